"""Metrics over JSONL test sets, exactly as EVAL.md defines them (keys are read by outside scripts).

The runners take the system as callables, so the metrics can be tested on hand-computed sets without an
index; ``pipeline``/``cli`` pass in the real engine.
"""

from __future__ import annotations

import codecs
import contextlib
import errno
import io
import json
import logging
import os
import re
import secrets
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, Protocol, TypeVar

from rekenqa.errors import InputInvalid
from rekenqa.types import Answer, QuoteVerdict, Verdict

logger = logging.getLogger(__name__)

QA_TYPES = ("number", "policy", "definition", "conclusion", "multi", "unanswerable")
CLAIM_LABELS = ("supported", "contradicted", "not_in_report")
QUOTE_LABELS = ("exact", "harmless", "altered", "not_found")


SetKind = Literal["qa", "claims", "quotes"]
REQUIRED: dict[SetKind, tuple[str, ...]] = {
    "qa": ("id", "question", "answerable"),
    "claims": ("id", "claim", "verdict"),
    "quotes": ("id", "quote", "verdict"),
}
MAX_SET_BYTES = 50 * 1024 * 1024  # a test set of thousands of items is a few MB; more is the wrong file
MAX_LINE_CHARS = 1_000_000  # one item is a few hundred characters; no question is a megabyte
_SURROGATE = re.compile("[\ud800-\udfff]")  # "\ud800" is valid JSON but cannot be written as UTF-8


@dataclass(frozen=True, slots=True)
class FieldRule:
    """What one EVAL.md field must hold: a test, and the Dutch words for it ("true of false")."""

    expected: str
    test: Callable[[Any], bool]


def _is_text(value: Any) -> bool:
    return isinstance(value, str) and _SURROGATE.search(value) is None


def _is_filled(value: Any) -> bool:
    return _is_text(value) and bool(value.strip())


def _one_of(labels: Sequence[str]) -> FieldRule:
    words = ", ".join(labels[:-1]) + " of " + labels[-1]
    return FieldRule(words, lambda v: isinstance(v, str) and v in labels)


_FILLED = FieldRule("een niet-lege tekst", _is_filled)
_TEXT = FieldRule("een tekst", _is_text)
_TEXTS = FieldRule("een lijst van teksten", lambda v: isinstance(v, list) and all(_is_text(x) for x in v))
_PAGES = FieldRule(
    "een lijst van paginanummers (hele getallen vanaf 1, zoals [17])",
    # bool is an int in Python: true must not count as page 1
    lambda v: isinstance(v, list) and all(type(p) is int and p >= 1 for p in v),
)
# An empty gold number is "present" in every answer, so each must be filled.
_NUMBERS = FieldRule(
    'een lijst van getallen als tekst (zoals ["18.480", "11,4"])',
    lambda v: isinstance(v, list) and all(_is_filled(x) for x in v),
)

# The one table of the fields EVAL.md defines: field -> what it must hold. Other fields are kept unchecked.
_COMMON = {"id": _FILLED, "pages": _PAGES, "evidence": _TEXTS, "note": _TEXT, "split": _TEXT}
SCHEMAS: dict[SetKind | None, dict[str, FieldRule]] = {
    "qa": {
        **_COMMON,
        "question": _FILLED,
        "answer": _TEXT,
        "numbers": _NUMBERS,
        "type": _one_of(QA_TYPES),
        "answerable": FieldRule("true of false", lambda v: isinstance(v, bool)),
    },
    "claims": {**_COMMON, "claim": _FILLED, "verdict": _one_of(CLAIM_LABELS), "correct_value": _TEXT},
    "quotes": {**_COMMON, "quote": _FILLED, "verdict": _one_of(QUOTE_LABELS), "original": _TEXT},
    None: _COMMON,  # a set of unknown kind: only the fields every set shares
}
_KIND_BY_TEXT: dict[str, SetKind] = {"question": "qa", "claim": "claims", "quote": "quotes"}


def describe(value: Any) -> str:
    """A JSON value in Dutch words, for messages: 'de tekst "false"', 'het getal 17', 'null'."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return f"het getal {_short(json.dumps(value))}"
    if isinstance(value, str):
        if _SURROGATE.search(value):
            return "een tekst met een ongeldig teken (een losse UTF-16-surrogaat zoals \\ud800)"
        return f"de tekst {_short(json.dumps(value, ensure_ascii=False))}" if value.strip() else "een lege tekst"
    if isinstance(value, list):
        return f"de lijst {_short(json.dumps(value, ensure_ascii=False))}" if value else "een lege lijst"
    return "een object"


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def item_problem(item: dict[str, Any], kind: SetKind | None) -> str | None:
    """What is wrong with one item by the EVAL.md schema of its set (Dutch), or None; nothing is coerced."""
    for field, rule in SCHEMAS[kind].items():
        if field in item and not rule.test(item[field]):
            return f'"{field}" moet {rule.expected} zijn, niet {describe(item[field])}.'
    if kind != "qa" or "answerable" not in item:
        return None
    if "type" in item and (item["type"] == "unanswerable") == item["answerable"]:
        return (
            f'"type" is "{item["type"]}" maar "answerable" is {describe(item["answerable"])}; '
            'een vraag die het rapport niet beantwoordt heeft "type": "unanswerable" en "answerable": false.'
        )
    if not item["answerable"]:
        for field in ("pages", "numbers"):
            if item.get(field):
                return (
                    f'"answerable" is false maar "{field}" is niet leeg; '
                    'een vraag die het rapport niet beantwoordt heeft "pages": [] en "numbers": [].'
                )
    return None


def read_jsonl(path: Path, required: Sequence[str], kind: SetKind | None = None) -> list[dict[str, Any]]:
    """Read and check a test set (EVAL.md); any problem is refused with a Dutch message naming the line.

    ``kind`` defaults to the set whose text field is in ``required`` ("question": qa, and so on).
    """
    if kind is None:
        kind = next((k for key, k in _KIND_BY_TEXT.items() if key in required), None)
    lines = _set_lines(path)
    items: list[dict[str, Any]] = []
    lines_of: dict[str, list[int]] = {}
    for number, line in lines:
        where = f"{path.name}, regel {number}"
        if len(line) > MAX_LINE_CHARS:
            raise InputInvalid(
                f"{where} is te lang ({_count(len(line))} tekens; het maximum is {_count(MAX_LINE_CHARS)} per regel)."
            )
        item = _parse(line, where)
        missing = [key for key in required if key not in item]
        if missing:
            raise InputInvalid(f"{where}: ontbrekende velden: {', '.join(missing)}.")
        problem = item_problem(item, kind)
        if problem:
            raise InputInvalid(f"{where}: {problem}")
        if "id" in item:
            lines_of.setdefault(item["id"], []).append(number)
        items.append(item)
    if not items:
        raise InputInvalid(f"De testset {path.name} is leeg.", hint="Een testset heeft één JSON-object per regel (zie EVAL.md).")
    doubles = {key: at for key, at in lines_of.items() if len(at) > 1}
    if doubles:
        key, at = next(iter(doubles.items()))
        others = len(doubles) - 1
        more = {0: "", 1: " Nog 1 ander id komt dubbel voor."}.get(others, f" Nog {others} andere id's komen dubbel voor.")
        raise InputInvalid(
            f"{path.name}: het id {json.dumps(key, ensure_ascii=False)} komt {len(at)} keer voor "
            f"(regels {', '.join(map(str, at[:-1]))} en {at[-1]}); elk item heeft een eigen id.{more}"
        )
    return items


def _count(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def _parse(line: str, where: str) -> dict[str, Any]:
    """One line as a JSON object; duplicate keys are refused (JSON keeps the last one silently)."""

    def pairs(kv: list[tuple[str, Any]]) -> dict[str, Any]:
        seen: dict[str, Any] = {}
        for key, value in kv:
            if key in seen:
                raise InputInvalid(f'{where}: het veld "{key}" staat twee keer in hetzelfde object.')
            seen[key] = value
        return seen

    try:
        item = json.loads(line, object_pairs_hook=pairs)
    except json.JSONDecodeError as exc:
        raise InputInvalid(f"{where}: geen geldige JSON ({exc.msg}).") from exc
    except RecursionError as exc:
        raise InputInvalid(f"{where}: geen bruikbare JSON (te diep genest).") from exc
    except ValueError as exc:  # Python refuses integers of more than 4300 digits
        raise InputInvalid(f"{where}: geen bruikbare JSON (een getal van meer dan 4.300 cijfers).") from exc
    if not isinstance(item, dict):
        raise InputInvalid(f"{where}: elke regel moet een JSON-object zijn ({{…}}), niet {describe(item)}.")
    return item


def _set_lines(path: Path) -> list[tuple[int, str]]:
    """The numbered lines of a test set file: UTF-8 (a BOM allowed) or UTF-16/32 with a BOM, at most 50 MB."""
    if not path.is_file():
        raise InputInvalid(f"Testset niet gevonden: {path}.")
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_SET_BYTES + 1)  # never more, whatever the file claims to be
    except OSError as exc:
        raise InputInvalid(f"De testset {path} kan niet worden gelezen ({os_reason(exc)}).") from exc
    if len(data) > MAX_SET_BYTES:
        size = max(len(data), path.stat().st_size)
        raise InputInvalid(
            f"{path.name} is te groot ({_size(size)}); een testset mag hoogstens {_size(MAX_SET_BYTES)} zijn.",
            hint="Is dit wel de testset?",
        )
    text = _decode(data, path.name)
    # Split on "\n" only: str.splitlines() also splits on U+2028/U+2029, which are valid inside a JSON string.
    return [(n, line.removesuffix("\r")) for n, line in enumerate(text.split("\n"), start=1) if line.strip()]


def _size(n: int) -> str:
    value, unit = (n / 1024**3, "GB") if n >= 1024**3 else (n / 1024**2, "MB")
    return f"{value:.1f}".replace(".", ",").removesuffix(",0") + f" {unit}"


_BOMS = (  # UTF-32 first: its little-endian BOM starts with UTF-16's
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def _decode(data: bytes, name: str) -> str:
    codec = next((c for bom, c in _BOMS if data.startswith(bom)), "utf-8")
    if codec == "utf-8" and b"\x00" in data:
        head = data[:4096]
        # ASCII in UTF-16 has a zero byte beside every character: on the odd (LE) or even (BE) positions only
        odd, even = head[1::2].count(0) / len(head[1::2] or b"-"), head[0::2].count(0) / len(head[0::2] or b"-")
        if max(odd, even) > 0.4 and min(odd, even) < 0.05:
            raise InputInvalid(
                f"{name} lijkt UTF-16 zonder BOM; een testset moet UTF-8 zijn.",
                hint="Sla het bestand op als UTF-8 (of als UTF-16 mét BOM).",
            )
        raise InputInvalid(f"{name} is geen tekstbestand (het bevat binaire gegevens); een testset is JSONL in UTF-8.")
    try:
        return data.decode(codec)
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        bad = data[exc.start : exc.start + 1].hex().upper()
        encoding = "UTF-8" if codec.startswith("utf-8") else codec.upper()
        raise InputInvalid(
            f"{name}, regel {line}: geen geldige {encoding} (byte 0x{bad}); een testset moet UTF-8 zijn.",
            hint="Sla het bestand op als UTF-8 (in de editor: Opslaan als… → codering UTF-8).",
        ) from exc


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
        cited = [p for c in answer.citations for p in c.cited_pages]
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
                    cite_gold += bool(gold_pages & set(c.cited_pages))
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
        answer = _judge(ask, item, "question")
        elapsed = (clock() - started) * 1000
        ranked = tuple(tuple(p.chunk.pages) for p in answer.passages)
        outcomes.append(QAOutcome(answer, ranked, elapsed))
    report = qa_metrics(items, outcomes, k)
    report["k"] = k
    return report


R = TypeVar("R")


def _judge(run: Callable[[str], R], item: dict[str, Any], key: str) -> R:
    """Run the system on one item's text; a text the system refuses names the item."""
    try:
        return run(str(item[key]))
    except InputInvalid as err:
        raise InputInvalid(f"Item {json.dumps(item.get('id'), ensure_ascii=False)}: {err}") from err


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


def _page_hit(rows: Sequence[dict[str, Any]]) -> float:
    """Share of the rows with a counted page (``page_hit`` not None) whose evidence page is a gold page."""
    counted = [r["page_hit"] for r in rows if r["page_hit"] is not None]
    return _ratio(sum(counted), len(counted))


def _verdict_report(
    items: Sequence[dict[str, Any]],
    preds: Sequence[str],
    labels: Sequence[str],
    latencies: Sequence[float],
    per_item: list[dict[str, Any]],
) -> dict[str, Any]:
    """The EVAL.md report shared by the claims and quotes sets."""
    report: dict[str, Any] = {"n": len(items)}
    report.update(classification_metrics([i["verdict"] for i in items], preds, labels))
    report["page_hit"] = _page_hit(per_item)
    report["latency_ms_p50"] = round(percentile(latencies, 50), 2)
    report["latency_ms_p95"] = round(percentile(latencies, 95), 2)
    report["per_item"] = per_item
    per_split = {}
    for split in _splits(items):
        pos = [k for k, item in enumerate(items) if item.get("split") == split]
        block: dict[str, Any] = {"n": len(pos)}
        block.update(classification_metrics([items[k]["verdict"] for k in pos], [preds[k] for k in pos], labels))
        block["page_hit"] = _page_hit([per_item[k] for k in pos])
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
        # page_hit counts the supported/contradicted items, by the first evidence page: the one the verdict shows
        # first (not the lowest page number, which favours the summary's pages)
        first = verdict.evidence[0].page if verdict.evidence else None
        hit = first in gold_pages if item["verdict"] in ("supported", "contradicted") else None
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
    for item in items:
        started = clock()
        verdict = _judge(check, item, key)
        elapsed = (clock() - started) * 1000
        latencies.append(elapsed)
        preds.append(verdict.status)
        fields, hit = row(item, verdict)
        per_item.append(
            {
                "id": item.get("id"),
                key: item[key],
                "prediction": verdict.status,
                "gold": item["verdict"],
                "correct": verdict.status == item["verdict"],
                **fields,
                "page_hit": hit,
                "latency_ms": round(elapsed, 2),
            }
        )
    return _verdict_report(items, preds, labels, latencies, per_item)


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
        f"\nhelft {split}: n={block['n']}  accuracy={block['accuracy']:.3f}  macro-F1={block['macro_f1']:.3f}  "
        f"page_hit={block['page_hit']:.3f}"
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


def plot_paths(out: Path) -> tuple[Path, Path]:
    """Where ``qa_plots`` writes its two PNGs: beside the report, named after it."""
    return out.with_name(out.stem + ".hits.png"), out.with_name(out.stem + ".latency.png")


def check_report_path(out: Path, source: Path, *, plots: bool = False) -> None:
    """Refuse, before any work, a report path that would overwrite the test set or cannot be written.

    The plots of ``eval qa`` (``plots=True``) are checked too. A missing folder is fine when it can be made.
    """
    targets = [out, *(plot_paths(out) if plots else ())]
    for target in targets:
        if target.exists() and os.path.samefile(target, source):
            what = "--out" if target == out else f"De grafiek {target.name} van --out"
            raise InputInvalid(
                f"{what} {target} is de testset zelf ({source.name}): het rapport zou de testset overschrijven.",
                hint=f"Kies een ander bestand, bijvoorbeeld --out {source.with_name(source.stem + '.rapport.json')}.",
            )
    if out.is_dir():
        raise InputInvalid(
            f"--out {out} is een map; geef een bestandsnaam op.", hint=f"Bijvoorbeeld --out {out / 'rapport.json'}."
        )
    if out.suffix.lower() == ".jsonl":
        raise InputInvalid(
            f"--out {out} heeft de extensie van een testset (.jsonl); het rapport is één JSON-bestand.",
            hint=f"Kies een .json-bestand, bijvoorbeeld --out {out.with_suffix('.json')}.",
        )
    for target in targets:
        if target.is_dir() or (target.exists() and not target.is_file()):
            raise InputInvalid(f"{target} bestaat al en is geen gewoon bestand; kies een andere naam voor --out.")
        if target.is_file() and not os.access(target, os.W_OK):
            raise InputInvalid(f"{target} is alleen-lezen; kies een andere naam voor --out.")
    folder = out.absolute().parent
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    if not folder.is_dir():
        raise InputInvalid(f"De map voor --out {out} kan niet worden gemaakt: {folder} is een bestand, geen map.")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise InputInvalid(f"In de map {folder} mag niet worden geschreven; kies een andere plek voor --out {out}.")


def write_report(report: dict[str, Any], out: Path) -> None:
    """Write the JSON report; an existing file is only replaced once the new one is complete."""
    write_atomic(out, json.dumps(report, ensure_ascii=False, indent=2).encode("utf-8"))


def write_atomic(out: Path, data: bytes) -> None:
    """Write a temporary file beside ``out`` and rename it over ``out``, so no reader sees half a file."""
    tmp = out.with_name(f".{out.name}.{secrets.token_hex(4)}.tmp")
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        # os.open with 0o666 lets the umask decide the mode, as a plain open() would
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, out)
    except OSError as exc:
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)
        raise InputInvalid(f"Kon {out} niet schrijven ({os_reason(exc)}); een eerder bestand daar is onveranderd.") from exc


_OS_REASONS = {
    errno.ENOSPC: "de schijf is vol",
    errno.EDQUOT: "de schijfruimte (quota) is op",
    errno.EACCES: "geen toestemming",
    errno.EPERM: "geen toestemming",
    errno.EROFS: "de schijf is alleen-lezen",
    errno.EEXIST: "een deel van het pad is een bestand, geen map",
    errno.ENOTDIR: "een deel van het pad is een bestand, geen map",
    errno.EISDIR: "het is een map",
    errno.ENOENT: "het bestaat niet",
}


def os_reason(exc: OSError) -> str:
    """An OS error in Dutch words, for messages (the system's own text is English)."""
    return _OS_REASONS.get(exc.errno or 0, exc.strerror or str(exc))


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
    hits, lat = plot_paths(out)
    _save_png(fig, hits)
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
    _save_png(fig, lat)
    plt.close(fig)
    paths.append(lat)
    return paths


def _save_png(fig: Any, path: Path) -> None:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=110)
    write_atomic(path, buffer.getvalue())
