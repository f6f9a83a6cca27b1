"""Benchmark: the report as a typeset PDF against its text export, in one run on one machine.

    python bench/bench_pdf.py [--out bench/results/pdf.json] [--sets qa_council,qa_dev,claims,quotes]

Typesets the bundled report as a PDF (tests/report_pdf.py: front matter i-iv, header, footer numbers,
footnotes at the page foot, ligature code points), builds a fresh index of each corpus (full builds, same
embedder, timed), then scores both on the dev sets (every metric, both halves) and reports the differences,
the page labels, ligature code points and running headers left in passages, and warm ask p95 for each.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "tests"))

from report_pdf import HEADER_TEXT, typeset_report  # noqa: E402

from rekenqa import evaluate  # noqa: E402
from rekenqa.pipeline import Engine, build_index, load_embedder  # noqa: E402
from rekenqa.settings import Settings  # noqa: E402

DATA = ROOT / "tests" / "data"
REPORT = "migratie-in-haarlemmermeer-2025"
LIGATURES = re.compile("[\ufb00-\ufb06]")


def pdf_corpus(base: Path) -> Path:
    """A corpus with the typeset PDF and the report's catalog entry (without the export's page rules)."""
    corpus = base / "corpus-pdf"
    corpus.mkdir(parents=True)
    typeset_report(ROOT / "corpus", corpus / f"{REPORT}.pdf")
    meta = json.loads((ROOT / "corpus" / f"{REPORT}.txt.meta.json").read_text(encoding="utf-8"))
    meta.pop("page_rule", None)
    meta.pop("first_page", None)
    (corpus / f"{REPORT}.pdf.meta.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
    return corpus


def export_corpus(base: Path) -> Path:
    corpus = base / "corpus-export"
    corpus.mkdir(parents=True)
    for name in (f"{REPORT}.txt", f"{REPORT}.txt.meta.json"):
        shutil.copy2(ROOT / "corpus" / name, corpus / name)
    return corpus


def metrics(engine: Engine, sets: list[str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name in sets:
        if name.startswith("qa"):
            items = evaluate.read_jsonl(DATA / f"{name}.jsonl", ["id", "question", "answerable"])
            report = evaluate.run_qa(items, engine.ask, k=5)
        elif name == "claims":
            items = evaluate.read_jsonl(DATA / "claims_dev.jsonl", ["id", "claim", "verdict"])
            report = evaluate.run_claims(items, engine.check_claim)
        else:
            items = evaluate.read_jsonl(DATA / "quotes_dev.jsonl", ["id", "quote", "verdict"])
            report = evaluate.run_quotes(items, engine.check_quote)
        keep = {k: v for k, v in report.items() if isinstance(v, int | float)}
        for split, block in report.get("per_split", {}).items():
            keep.update({f"{split}.{k}": v for k, v in block.items() if isinstance(v, int | float)})
        out[name] = keep
    return out


def passages_report(engine: Engine) -> dict[str, Any]:
    pages = [engine.index.pages[k] for k in sorted(engine.index.pages)]
    return {
        "pages": len(pages),
        "labels": [p.name for p in pages],
        "passages": len(engine.index.chunks),
        "facts": len(engine.index.facts),
        "footnotes": sum(len(s.footnotes) for s in engine.index.structures.values()),
        "sections": sum(len(s.sections) for s in engine.index.structures.values()),
        "tables": sum(len(s.tables) for s in engine.index.structures.values()),
        "ligature_passages": sum(1 for c in engine.index.chunks if LIGATURES.search(c.text)),
        "header_passages": sum(1 for c in engine.index.chunks if HEADER_TEXT in c.text),
    }


def _is_quality(key: str) -> bool:
    """A quality metric (not a count, k or latency)."""
    last = key.rsplit(".", 1)[-1]
    return not (last.startswith(("latency", "n_")) or last in ("n", "k"))


def _ask_p95_ratio(results: dict[str, Any]) -> float | None:
    exp = results["export"]["metrics"].get("qa_council", {}).get("latency_ms_p95")
    pdf = results["pdf"]["metrics"].get("qa_council", {}).get("latency_ms_p95")
    return round(pdf / exp, 3) if exp and pdf else None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "pdf.json")
    parser.add_argument("--sets", default="qa_council,qa_dev,claims,quotes")
    args = parser.parse_args()
    sets = [s for s in args.sets.split(",") if s]
    base = Path(tempfile.mkdtemp(prefix="rekenqa-bench-pdf-"))
    try:
        started = time.perf_counter()
        corpora = {"export": export_corpus(base), "pdf": pdf_corpus(base)}
        typeset_s = time.perf_counter() - started
        embedder = load_embedder(Settings.from_env())
        results: dict[str, Any] = {}
        for kind, corpus in corpora.items():
            settings = Settings(corpus_dir=corpus, index_dir=base / f"index-{kind}", cache_dir=Settings.from_env().cache_dir)
            started = time.perf_counter()
            build_index(settings, embedder=embedder)
            build_s = time.perf_counter() - started
            engine = Engine.open(settings, embedder=embedder, auto_build=False)
            print(f"{kind}: built in {build_s:.1f} s", flush=True)
            results[kind] = {"build_s": round(build_s, 2), **passages_report(engine), "metrics": metrics(engine, sets)}
        deltas: dict[str, dict[str, float]] = {}
        for name in sets:
            exp, pdf = results["export"]["metrics"][name], results["pdf"]["metrics"][name]
            deltas[name] = {k: round(pdf[k] - exp[k], 3) for k in exp if k in pdf and _is_quality(k)}
        report = {
            "machine": {"platform": platform.platform(), "cpus": os.cpu_count(), "load": os.getloadavg()},
            "typeset_s": round(typeset_s, 2),
            "build_ratio": round(results["pdf"]["build_s"] / results["export"]["build_s"], 3),
            "ask_p95_ratio": _ask_p95_ratio(results),
            "results": results,
            "pdf_minus_export": deltas,
            "worst": {name: max(d.items(), key=lambda kv: abs(kv[1])) if d else None for name, d in deltas.items()},
        }
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8")
        for name, d in deltas.items():
            print(name, {k: v for k, v in d.items() if abs(v) >= 0.01})
        summary = {k: report[k] for k in ("build_ratio", "ask_p95_ratio", "worst")}
        print(json.dumps(summary, ensure_ascii=False))
    finally:
        shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    main()
