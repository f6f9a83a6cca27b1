"""Sweep the refusal thresholds on a QA dev set and print the trade-off (refusal accuracy vs false refusals).

    python bench/calibrate_refusal.py [tests/data/qa_council.jsonl] [--split tune] [--out bench/results/refusal.json]

Calibrate on the tuning half only (``--split tune``, the default); the reporting half is only measured
(``--split report`` prints its curve and the point of the current settings).

Retrieval runs once per question; only answer composition is repeated per threshold pair, so the sweep is
fast. Pick the pair with the best refusal accuracy whose false-refusal rate stays within the target
(0.10), and put it in settings.py (``refusal_threshold``, ``gap_threshold``).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from rekenqa import answer  # noqa: E402
from rekenqa.pipeline import Engine  # noqa: E402
from rekenqa.settings import Settings  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("file", type=Path, nargs="?", default=ROOT / "tests" / "data" / "qa_council.jsonl")
    parser.add_argument("--split", default="tune", help="tune, report or all")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "refusal.json")
    parser.add_argument("--max-false", type=float, default=0.10)
    args = parser.parse_args()
    engine = Engine.open(Settings.from_env())
    items = [json.loads(line) for line in args.file.read_text(encoding="utf-8").splitlines() if line.strip()]
    items = [i for i in items if args.split == "all" or i.get("split", args.split) == args.split]
    prepared = []
    for item in items:
        info, passages, sentences, _ = engine.evidence(item["question"])  # exactly what ask() weighs
        prepared.append((item, info, passages, sentences))
    weighed = [(item["answerable"], answer.weigh(info, sentences, profile=engine.profile)) for item, info, _, sentences in prepared]
    n_un = sum(1 for answerable, _ in weighed if not answerable)
    n_ans = len(weighed) - n_un
    rows = []
    for base in np.arange(0.90, 1.30, 0.01):
        for gap in np.arange(0.90, 1.40, 0.01):
            answered = [(a, e.answers(float(base), float(gap))) for a, e in weighed]
            rows.append(
                {
                    "refusal_threshold": round(float(base), 2),
                    "gap_threshold": round(float(gap), 2),
                    "refusal_accuracy": round(sum(not ok for a, ok in answered if not a) / max(n_un, 1), 3),
                    "false_refusal_rate": round(sum(not ok for a, ok in answered if a) / max(n_ans, 1), 3),
                }
            )
    allowed = [r for r in rows if r["false_refusal_rate"] <= args.max_false]
    best = max(allowed, key=lambda r: (r["refusal_accuracy"], -r["false_refusal_rate"], -r["gap_threshold"]))
    frontier = {}
    for r in rows:
        key = r["false_refusal_rate"]
        if key not in frontier or r["refusal_accuracy"] > frontier[key]["refusal_accuracy"]:
            frontier[key] = r
    print("false refusals -> best refusal accuracy (thresholds)")
    for key in sorted(frontier):
        r = frontier[key]
        print(f"  {key:5.3f} -> {r['refusal_accuracy']:.3f}  (base {r['refusal_threshold']}, gap {r['gap_threshold']})")
    settings = engine.settings
    current = [(a, e.answers(settings.refusal_threshold, settings.gap_threshold)) for a, e in weighed]
    now = {
        "refusal_threshold": settings.refusal_threshold,
        "gap_threshold": settings.gap_threshold,
        "refusal_accuracy": round(sum(not ok for a, ok in current if not a) / max(n_un, 1), 3),
        "false_refusal_rate": round(sum(not ok for a, ok in current if a) / max(n_ans, 1), 3),
    }
    print(f"{args.file.name} ({args.split}, {len(items)} items)")
    print("chosen:", best)
    print("current settings:", now)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps({"file": args.file.name, "split": args.split, "chosen": best, "current": now, "frontier": [frontier[k] for k in sorted(frontier)]}, indent=2))


if __name__ == "__main__":
    main()
