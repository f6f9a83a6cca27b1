"""Benchmark: the CheckList-style claim variants (tests/claim_variants.py) through the real fact checker.

    python bench/bench_claim_suite.py [--out bench/results/claim_suite.json] [--per-kind N] [--seed S]

Builds every variant of the report's number sentences (one plain-text edit each: a hedge, a number in
words, a dropped thousands dot, a debate prefix; or a swap, another year, another group, a reversed
direction, a number times 10 or 30 % higher) and of its sentences without numbers (the sentence, its first
clause, an introduction; or a negation removed or added, a word turned into its opposite, another group), checks each with ``Engine.check_claim`` on the real index and
embedder, and reports per kind: n, the shares supported / contradicted / not_in_report, and the failure
rate (true kinds: not supported; false kinds: supported), with five example failures. ``--per-kind``
samples at most N variants per kind (seeded, the same sample as tests/test_claim_suite.py with N=60);
default all. Every verdict is written too, so that rates of any sample can be recomputed offline.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "tests"))

import word_variants  # noqa: E402
from claim_variants import KINDS, Variant, generate, report_years, sample, select_sentences  # noqa: E402

from rekenqa.pipeline import Engine  # noqa: E402
from rekenqa.settings import Settings  # noqa: E402

STATUSES = ("supported", "contradicted", "not_in_report")
EXAMPLES = 5


ALL_KINDS = (*KINDS, *word_variants.KINDS)


def build_variants(engine: Engine, per_kind: int | None, seed: int) -> list[Variant]:
    """The number variants of the report's number sentences, then the word variants of its sentences without
    numbers (tests/word_variants.py)."""
    sentences = select_sentences(engine.index.facts)
    groups = [(name, list(stems)) for name, stems in engine.profile.groups]
    numbers = sample(generate(sentences, groups, report_years(sentences), seed=seed), per_kind, seed=seed)
    return numbers + build_word_variants(engine, per_kind, seed)


def build_word_variants(engine: Engine, per_kind: int | None, seed: int) -> list[Variant]:
    lines = [line.text for line in engine.reading.lines if line.chunk.doc_id in engine.report_docs]
    plain = word_variants.select_sentences(lines)
    return word_variants.sample(word_variants.generate(plain, seed=seed), per_kind, seed=seed)


def failed(variant: Variant, status: str) -> bool:
    """A true variant fails when not supported; a false one fails when supported."""
    return (status != "supported") if variant.truth else (status == "supported")


def check_all(engine: Engine, variants: Sequence[Variant]) -> list[dict[str, object]]:
    rows = []
    for variant in variants:
        verdict = engine.check_claim(variant.claim)
        rows.append(
            {
                "kind": variant.kind,
                "truth": variant.truth,
                "sentence": variant.sentence,
                "claim": variant.claim,
                "status": verdict.status,
                "reason": verdict.reason,
                "report_value": verdict.report_value,
                "failed": failed(variant, verdict.status),
            }
        )
    return rows


def summarise(rows: Sequence[dict[str, object]]) -> dict[str, dict[str, object]]:
    summary: dict[str, dict[str, object]] = {}
    for kind in ALL_KINDS:
        mine = [r for r in rows if r["kind"] == kind]
        if not mine:
            continue
        n = len(mine)
        counts = Counter(str(r["status"]) for r in mine)
        failures = [r for r in mine if r["failed"]]
        summary[kind] = {
            "truth": bool(mine[0]["truth"]),
            "n": n,
            **{status: round(counts[status] / n, 3) for status in STATUSES},
            "failure_rate": round(len(failures) / n, 3),
            "examples": [{k: r[k] for k in ("claim", "status", "reason")} for r in failures[:EXAMPLES]],
        }
    return summary


def print_table(summary: dict[str, dict[str, object]]) -> None:
    header = f"{'kind':<20} {'truth':<6} {'n':>4} {'supported':>10} {'contradicted':>13} {'not_in_rep':>11} {'failure':>8}"
    print(header)
    print("-" * len(header))
    for kind, s in summary.items():
        print(
            f"{kind:<20} {s['truth']!s:<6} {s['n']:>4} {s['supported']:>10.3f} {s['contradicted']:>13.3f} "
            f"{s['not_in_report']:>11.3f} {s['failure_rate']:>8.3f}"
        )


def print_examples(summary: dict[str, dict[str, object]]) -> None:
    for kind, s in summary.items():
        examples = s["examples"]
        assert isinstance(examples, list)
        if examples:
            print(f"\n{kind}: example failures")
        for ex in examples:
            print(f"  [{ex['status']}] {ex['claim']}\n      reason: {ex['reason']}")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "claim_suite.json")
    parser.add_argument(
        "--per-kind", type=int, default=None, help="at most N variants per kind (default all)"
    )
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()

    engine = Engine.open(Settings.from_env())
    variants = build_variants(engine, args.per_kind, args.seed)
    started = time.perf_counter()
    rows = check_all(engine, variants)
    seconds = time.perf_counter() - started
    summary = summarise(rows)
    print_table(summary)
    print_examples(summary)
    print(f"\n{len(rows)} claims in {seconds:.0f} s")

    result = {
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, {platform.platform()}",
        "config": {"per_kind": args.per_kind, "seed": args.seed, "variants": len(rows)},
        "seconds": round(seconds, 1),
        "kinds": summary,
        "verdicts": rows,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
