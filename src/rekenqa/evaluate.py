"""Metrics over JSONL test sets, exactly as EVAL.md defines them (keys are read by outside scripts).

The runners take the system as callables, so the metrics can be tested on hand-computed sets without an
index; ``pipeline``/``cli`` pass in the real engine.
"""

from __future__ import annotations

import json
import logging
import re
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol, TypeVar

from rekenqa.errors import InputInvalid
from rekenqa.types import Answer, QuoteVerdict, Verdict

logger = logging.getLogger(__name__)

QA_TYPES = ("number", "policy", "definition", "conclusion", "multi", "unanswerable")
CLAIM_LABELS = ("supported", "contradicted", "not_in_report")
QUOTE_LABELS = ("exact", "harmless", "altered", "not_found")


def read_jsonl(path: Path, required: Sequence[str]) -> list[dict[str, Any]]:
    """Read a test set; a bad line gives a Dutch message with its line number."""
    if not path.is_file():
        raise InputInvalid(f"Testset niet gevonden: {path}.")
    items = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputInvalid(f"{path.name}, regel {number}: geen geldige JSON ({exc.msg}).") from exc
        missing = [key for key in required if key not in item]
        if missing:
            raise InputInvalid(f"{path.name}, regel {number}: ontbrekende velden: {', '.join(missing)}.")
        items.append(item)
    if not items:
        raise InputInvalid(f"De testset {path.name} is leeg.")
    return items


def percentile(values: Sequence[float], q: float) -> float:
    """Linear-interpolated percentile (numpy's default), 0 for no values."""
    if not values:
        return 0.0
    ordered = sorted(values)
    pos = (len(ordered) - 1) * q / 100
    lo, hi = int(pos), min(int(pos) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (pos - lo)


def _number_key(text: str) -> str:
    return re.sub(r"\s+", "", text).strip(".").lower()


def number_in(number: str, text: str) -> bool:
    """Is a gold number ("18.480", "11,4") present in the text as a whole number (not inside another)?"""
    pattern = rf"(?<![\d.,]){re.escape(_number_key(number))}(?![\d]|[.,]\d)"
    return re.search(pattern, re.sub(r"(?<=\d)\s+(?=%)", "", text.lower())) is not None


# ---------------------------------------------------------------- qa


@dataclass(frozen=True, slots=True)
class QAOutcome:
    """What the system did for one QA item."""

    answer: Answer
    ranked_pages: tuple[tuple[int, ...], ...]  # pages of the ranked passages, best first
    latency_ms: float


def qa_metrics(items: Sequence[dict[str, Any]], outcomes: Sequence[QAOutcome], k: int = 5) -> dict[str, Any]:
    """The EVAL.md qa metrics, overall and per question type."""
    report = _qa_block(items, outcomes, k)
    per_type = {}
    for qtype in sorted({str(i.get("type", "")) for i in items}):
        sel = [(i, o) for i, o in zip(items, outcomes, strict=True) if i.get("type") == qtype]
        per_type[qtype] = _qa_block([i for i, _ in sel], [o for _, o in sel], k)
        per_type[qtype].pop("per_item")
    report["per_type"] = per_type
    per_split = {}
    for split in _splits(items):
        sel = [(i, o) for i, o in zip(items, outcomes, strict=True) if i.get("split") == split]
        per_split[split] = _qa_block([i for i, _ in sel], [o for _, o in sel], k)
        per_split[split].pop("per_item")
    if per_split:
        report["per_split"] = per_split
    return report


def _splits(items: Sequence[dict[str, Any]]) -> list[str]:
    """The dev-set halves the items name ("tune": rules may be tuned on it; "report": only measured)."""
    return sorted({str(i["split"]) for i in items if i.get("split")}, key=lambda s: (s != "tune", s))


def _qa_block(items: Sequence[dict[str, Any]], outcomes: Sequence[QAOutcome], k: int) -> dict[str, Any]:
    hit1 = hitk = 0
    rr = 0.0
    cite_hit = 0
    cite_total = cite_gold = 0
    gold_numbers = found_numbers = 0
    refusals_right = false_refusals = 0
    lead_items = lead_hits = 0
    answerable = [i for i in items if i.get("answerable", True)]
    unanswerable = [i for i in items if not i.get("answerable", True)]
    per_item = []
    for item, outcome in zip(items, outcomes, strict=True):
        gold_pages = set(item.get("pages", []))
        answer = outcome.answer
        cited = [p for c in answer.citations for p in range(c.first_page, c.last_page + 1)]
        if item.get("answerable", True):
            ranked = outcome.ranked_pages
            first = next((r for r, pages in enumerate(ranked[:10], start=1) if gold_pages & set(pages)), None)
            hit1 += bool(first == 1)
            hitk += bool(first is not None and first <= k)
            rr += 1.0 / first if first else 0.0
            item_cite_hit = bool(answer.answered and gold_pages & set(cited))
            cite_hit += item_cite_hit
            if answer.answered:
                for c in answer.citations:
                    cite_total += 1
                    cite_gold += bool(gold_pages & set(range(c.first_page, c.last_page + 1)))
            numbers = item.get("numbers", [])
            present = [n for n in numbers if number_in(str(n), answer.text)] if answer.answered else []
            gold_numbers += len(numbers)
            found_numbers += len(present)
            false_refusals += not answer.answered
            if item.get("type") == "number" and numbers:
                lead_items += 1
                lead_hits += any(number_in(str(n), answer.lead) for n in numbers)
            correct = answer.answered and item_cite_hit and len(present) == len(numbers)
        else:
            refusals_right += not answer.answered
            correct = not answer.answered
        per_item.append(_qa_row(item, outcome, gold_pages, cited, bool(correct), k))
    n_ans = len(answerable)
    latencies = [o.latency_ms for o in outcomes]
    return {
        "n": len(items),
        "n_answerable": n_ans,
        "n_unanswerable": len(unanswerable),
        "retrieval_hit_at_1": _ratio(hit1, n_ans),
        "retrieval_hit_at_5": _ratio(hitk, n_ans),
        "mrr_at_10": _ratio(rr, n_ans),
        "citation_hit": _ratio(cite_hit, n_ans),
        "citation_precision": _ratio(cite_gold, cite_total),
        "number_recall": _ratio(found_numbers, gold_numbers),
        # number questions whose bold lead ("Volgens het rapport: …") holds a gold number
        "lead_number_hit": _ratio(lead_hits, lead_items),
        "refusal_accuracy": _ratio(refusals_right, len(unanswerable)),
        "false_refusal_rate": _ratio(false_refusals, n_ans),
        "latency_ms_p50": round(percentile(latencies, 50), 2),
        "latency_ms_p95": round(percentile(latencies, 95), 2),
        "per_item": per_item,
    }


def _qa_row(
    item: dict[str, Any], outcome: QAOutcome, gold_pages: set[int], cited: list[int], correct: bool, k: int
) -> dict[str, Any]:
    """One question's line of ``per_item``: the prediction beside the gold answer and pages."""
    answer = outcome.answer
    return {
        "id": item.get("id"),
        "type": item.get("type"),
        "question": item.get("question"),
        "prediction": answer.text,
        "answered": answer.answered,
        "lead": answer.lead,
        "gold": item.get("answer", ""),
        "gold_pages": sorted(gold_pages),
        "pages": sorted(set(cited)),
        "retrieved_pages": [list(p) for p in outcome.ranked_pages[:k]],
        "correct": correct,
        "latency_ms": round(outcome.latency_ms, 2),
    }


def _ratio(a: float, b: float) -> float:
    return round(a / b, 4) if b else 0.0


def run_qa(
    items: Sequence[dict[str, Any]],
    ask: Callable[[str], Answer],
    k: int = 5,
    clock: Callable[[], float] = time.perf_counter,
) -> dict[str, Any]:
    """Ask every question (warm), time it, and compute the metrics."""
    outcomes = []
    for item in items:
        started = clock()
        answer = ask(str(item["question"]))
        elapsed = (clock() - started) * 1000
        ranked = tuple(tuple(p.chunk.pages) for p in answer.passages)
        outcomes.append(QAOutcome(answer, ranked, elapsed))
    report = qa_metrics(items, outcomes, k)
    report["k"] = k
    return report


# ---------------------------------------------------------------- classification


def classification_metrics(gold: Sequence[str], pred: Sequence[str], labels: Sequence[str]) -> dict[str, Any]:
    """Accuracy, macro-F1 over ``labels``, F1 per class and the confusion matrix (gold -> predicted -> count)."""
    confusion: dict[str, dict[str, int]] = {g: {p: 0 for p in labels} for g in labels}
    for g, p in zip(gold, pred, strict=True):
        confusion.setdefault(g, {q: 0 for q in labels})
        confusion[g][p] = confusion[g].get(p, 0) + 1
    f1 = {}
    for label in labels:
        tp = confusion.get(label, {}).get(label, 0)
        fp = sum(row.get(label, 0) for g, row in confusion.items() if g != label)
        fn = sum(c for p, c in confusion.get(label, {}).items() if p != label)
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        f1[label] = round(2 * precision * recall / (precision + recall), 4) if precision + recall else 0.0
    present = [label for label in labels if any(g == label for g in gold)]
    macro = sum(f1[label] for label in present) / len(present) if present else 0.0
    correct = sum(g == p for g, p in zip(gold, pred, strict=True))
    return {
        "accuracy": _ratio(correct, len(gold)),
        "macro_f1": round(macro, 4),
        "f1_per_class": f1,
        "confusion": confusion,
    }


def _verdict_report(
    items: Sequence[dict[str, Any]],
    preds: Sequence[str],
    labels: Sequence[str],
    page_hits: int,
    page_total: int,
    latencies: Sequence[float],
    per_item: list[dict[str, Any]],
) -> dict[str, Any]:
    """The EVAL.md report shared by the claims and quotes sets."""
    report: dict[str, Any] = {"n": len(items)}
    report.update(classification_metrics([i["verdict"] for i in items], preds, labels))
    report["page_hit"] = _ratio(page_hits, page_total)
    report["latency_ms_p50"] = round(percentile(latencies, 50), 2)
    report["latency_ms_p95"] = round(percentile(latencies, 95), 2)
    report["per_item"] = per_item
    per_split = {}
    for split in _splits(items):
        pos = [k for k, item in enumerate(items) if item.get("split") == split]
        block: dict[str, Any] = {"n": len(pos)}
        block.update(classification_metrics([items[k]["verdict"] for k in pos], [preds[k] for k in pos], labels))
        per_split[split] = block
    if per_split:
        report["per_split"] = per_split
    return report


class _Judged(Protocol):
    @property
    def status(self) -> str: ...


V = TypeVar("V", bound=_Judged)


def run_claims(
    items: Sequence[dict[str, Any]], check: Callable[[str], Verdict], clock: Callable[[], float] = time.perf_counter
) -> dict[str, Any]:
    """Check every claim of a claims set and score the verdicts (EVAL.md, claims)."""

    def row(item: dict[str, Any], verdict: Verdict) -> tuple[dict[str, Any], bool | None]:
        pages = sorted({e.page for e in verdict.evidence})
        gold_pages = set(item.get("pages", []))
        # page_hit counts the supported/contradicted items, by the first evidence page
        hit = bool(gold_pages & set(pages[:1] or pages)) if item["verdict"] in ("supported", "contradicted") else None
        fields = {"report_value": verdict.report_value, "reason": verdict.reason, "pages": pages,
                  "gold_pages": sorted(gold_pages)}
        return fields, hit

    return _run_verdicts(items, "claim", check, CLAIM_LABELS, row, clock)


def run_quotes(
    items: Sequence[dict[str, Any]],
    check: Callable[[str], QuoteVerdict],
    clock: Callable[[], float] = time.perf_counter,
) -> dict[str, Any]:
    """Check every quote of a quotes set and score the verdicts (EVAL.md, quotes)."""

    def row(item: dict[str, Any], verdict: QuoteVerdict) -> tuple[dict[str, Any], bool | None]:
        gold_pages = set(item.get("pages", []))
        # page_hit counts the items with an original
        hit = bool(gold_pages & set(verdict.pages)) if item.get("original") else None
        fields = {"pages": list(verdict.pages), "gold_pages": sorted(gold_pages), "reason": verdict.reason}
        return fields, hit

    return _run_verdicts(items, "quote", check, QUOTE_LABELS, row, clock)


def _run_verdicts(
    items: Sequence[dict[str, Any]],
    key: str,
    check: Callable[[str], V],
    labels: Sequence[str],
    row: Callable[[dict[str, Any], V], tuple[dict[str, Any], bool | None]],
    clock: Callable[[], float],
) -> dict[str, Any]:
    """Run ``check`` on each item's ``key`` text; ``row`` gives the item's extra fields and page hit (None: not counted)."""
    preds: list[str] = []
    latencies: list[float] = []
    per_item: list[dict[str, Any]] = []
    page_hits = page_total = 0
    for item in items:
        started = clock()
        verdict = check(str(item[key]))
        elapsed = (clock() - started) * 1000
        latencies.append(elapsed)
        preds.append(verdict.status)
        fields, hit = row(item, verdict)
        if hit is not None:
            page_total += 1
            page_hits += hit
        per_item.append(
            {
                "id": item.get("id"),
                key: item[key],
                "prediction": verdict.status,
                "gold": item["verdict"],
                "correct": verdict.status == item["verdict"],
                **fields,
                "latency_ms": round(elapsed, 2),
            }
        )
    return _verdict_report(items, preds, labels, page_hits, page_total, latencies, per_item)


# ---------------------------------------------------------------- output


def qa_table(report: dict[str, Any]) -> str:
    """A short human table per question type (Dutch headings)."""
    cols = [
        ("hit@1", "retrieval_hit_at_1"),
        (f"hit@{report.get('k', 5)}", "retrieval_hit_at_5"),
        ("mrr@10", "mrr_at_10"),
        ("cit.hit", "citation_hit"),
        ("cit.prec", "citation_precision"),
        ("getallen", "number_recall"),
        ("lead", "lead_number_hit"),
        ("weigering", "refusal_accuracy"),
        ("ten onr.", "false_refusal_rate"),
        ("p50 ms", "latency_ms_p50"),
        ("p95 ms", "latency_ms_p95"),
    ]
    rows = [("type", "n", *[c for c, _ in cols])]
    halves = [(f"helft {split}", block) for split, block in report.get("per_split", {}).items()]
    for name, block in [*report.get("per_type", {}).items(), ("totaal", report), *halves]:
        rows.append((name, str(block["n"]), *[_fmt(block[key]) for _, key in cols]))
    return _render(rows)


def classification_table(report: dict[str, Any], labels: Iterable[str]) -> str:
    labels = list(labels)
    rows = [("gold \\ voorspeld", *labels, "F1")]
    for gold in labels:
        row = report["confusion"].get(gold, {})
        rows.append((gold, *[str(row.get(p, 0)) for p in labels], _fmt(report["f1_per_class"].get(gold, 0.0))))
    summary = (
        f"n={report['n']}  accuracy={report['accuracy']:.3f}  macro-F1={report['macro_f1']:.3f}  "
        f"page_hit={report['page_hit']:.3f}  p50={report['latency_ms_p50']:.1f} ms  p95={report['latency_ms_p95']:.1f} ms"
    )
    halves = "".join(
        f"\nhelft {split}: n={block['n']}  accuracy={block['accuracy']:.3f}  macro-F1={block['macro_f1']:.3f}"
        for split, block in report.get("per_split", {}).items()
    )
    return _render(rows) + "\n" + summary + halves


def _fmt(value: Any) -> str:
    return f"{value:.3f}" if isinstance(value, float) and value <= 1.0 else f"{value:.1f}" if isinstance(value, float) else str(value)


def _render(rows: Sequence[Sequence[str]]) -> str:
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)) for row in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def write_report(report: dict[str, Any], out: Path) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8")


def qa_plots(report: dict[str, Any], out: Path) -> list[Path]:
    """Hit@k per question type and a latency histogram, as PNGs next to the report."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    paths = []
    per_type = report.get("per_type", {})
    names = [t for t in per_type if per_type[t].get("n_answerable")]
    fig, ax = plt.subplots(figsize=(7, 3.5))
    xs = range(len(names))
    ax.bar([x - 0.2 for x in xs], [per_type[t]["retrieval_hit_at_1"] for t in names], width=0.4, label="hit@1")
    ax.bar([x + 0.2 for x in xs], [per_type[t]["retrieval_hit_at_5"] for t in names], width=0.4, label=f"hit@{report.get('k', 5)}")
    ax.set_xticks(list(xs), names)
    ax.set_ylim(0, 1.05)
    ax.set_ylabel("aandeel vragen")
    ax.set_title("Retrieval per vraagtype")
    ax.legend()
    fig.tight_layout()
    hits = out.with_name(out.stem + ".hits.png")
    fig.savefig(hits, dpi=110)
    plt.close(fig)
    paths.append(hits)
    fig, ax = plt.subplots(figsize=(7, 3.5))
    ax.hist([i["latency_ms"] for i in report["per_item"]], bins=20, color="#3b6ea5")
    ax.axvline(report["latency_ms_p95"], color="#c0392b", linestyle="--", label=f"p95 = {report['latency_ms_p95']:.0f} ms")
    ax.set_xlabel("latentie per vraag (ms)")
    ax.set_ylabel("aantal vragen")
    ax.set_title("Latentie (warm)")
    ax.legend()
    fig.tight_layout()
    lat = out.with_name(out.stem + ".latency.png")
    fig.savefig(lat, dpi=110)
    plt.close(fig)
    paths.append(lat)
    return paths
