"""The metrics code itself, on tiny hand-computed sets."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from rekenqa.errors import InputInvalid
from rekenqa.evaluate import (
    QAOutcome,
    classification_metrics,
    classification_table,
    number_in,
    percentile,
    qa_metrics,
    qa_plots,
    qa_table,
    read_jsonl,
    run_claims,
)
from rekenqa.types import Answer, Citation, Claim, Evidence, Verdict


def _answer(text: str, pages: list[int], answered: bool = True) -> Answer:
    cites = tuple(Citation("c", "r", p, p, "x") for p in pages)
    return Answer("q", text, cites, (), answered)


ITEMS = [
    {"id": "a", "type": "number", "answerable": True, "pages": [17], "numbers": ["18.480", "11,4"]},
    {"id": "b", "type": "number", "answerable": True, "pages": [20], "numbers": ["4.025"]},
    {"id": "c", "type": "policy", "answerable": True, "pages": [30], "numbers": []},
    {"id": "d", "type": "unanswerable", "answerable": False, "pages": [], "numbers": []},
    {"id": "e", "type": "unanswerable", "answerable": False, "pages": [], "numbers": []},
]
OUTCOMES = [
    # a: gold page at rank 1; cites 17 and 18; one of two numbers in the text.
    QAOutcome(_answer("Er waren 18.480 migranten.", [17, 18]), ((17,), (18,), (5,)), 10.0),
    # b: gold page at rank 3; cites a wrong page; number present.
    QAOutcome(_answer("Het waren 4.025 personen.", [21]), ((21,), (22,), (19, 20)), 20.0),
    # c: refused although answerable; gold page nowhere in the top 10.
    QAOutcome(_answer("Het rapport geeft hierover geen informatie.", [], answered=False), ((1,), (2,)), 30.0),
    # d: refused (right); e: answered (wrong).
    QAOutcome(_answer("Geen info.", [], answered=False), ((4,),), 40.0),
    QAOutcome(_answer("Iets.", [9]), ((9,),), 50.0),
]


def test_qa_metrics_by_hand() -> None:
    report = qa_metrics(ITEMS, OUTCOMES, k=5)
    assert report["n"] == 5
    assert report["retrieval_hit_at_1"] == pytest.approx(1 / 3, abs=1e-4)
    assert report["retrieval_hit_at_5"] == pytest.approx(2 / 3, abs=1e-4)
    assert report["mrr_at_10"] == pytest.approx((1 + 1 / 3) / 3, abs=1e-4)
    assert report["citation_hit"] == pytest.approx(1 / 3, abs=1e-4)
    # Citations of answered answerable items: 17 (gold), 18, 21 -> 1 of 3.
    assert report["citation_precision"] == pytest.approx(1 / 3, abs=1e-4)
    # Gold numbers: 18.480 (yes), 11,4 (no), 4.025 (yes).
    assert report["number_recall"] == pytest.approx(2 / 3, abs=1e-4)
    assert report["refusal_accuracy"] == 0.5
    assert report["false_refusal_rate"] == pytest.approx(1 / 3, abs=1e-4)
    assert report["latency_ms_p50"] == 30.0
    assert report["latency_ms_p95"] == pytest.approx(48.0)
    assert [i["correct"] for i in report["per_item"]] == [False, False, False, True, False]
    assert report["per_type"]["unanswerable"]["refusal_accuracy"] == 0.5
    assert set(report["per_item"][0]) >= {"id", "prediction", "gold", "correct", "latency_ms", "pages"}


def test_qa_metrics_per_split() -> None:
    items = [{**item, "split": "tune" if k < 3 else "report"} for k, item in enumerate(ITEMS)]
    report = qa_metrics(items, OUTCOMES, k=5)
    assert list(report["per_split"]) == ["tune", "report"]
    assert report["per_split"]["tune"]["n"] == 3
    assert report["per_split"]["tune"]["retrieval_hit_at_1"] == pytest.approx(1 / 3, abs=1e-4)
    assert report["per_split"]["report"]["refusal_accuracy"] == 0.5
    assert "helft tune" in qa_table(report) and "helft report" in qa_table(report)
    assert "per_split" not in qa_metrics(ITEMS, OUTCOMES, k=5)


def test_claims_report_per_split() -> None:
    items = [
        {"id": "a", "claim": "x", "verdict": "supported", "split": "tune"},
        {"id": "b", "claim": "y", "verdict": "contradicted", "split": "tune"},
        {"id": "c", "claim": "z", "verdict": "supported", "split": "report"},
    ]

    def check(text: str) -> Verdict:
        return Verdict(Claim(text), "supported" if text != "y" else "not_in_report", (), "", "")

    report = run_claims(items, check)
    assert report["per_split"]["tune"] == {**report["per_split"]["tune"], "n": 2, "accuracy": 0.5}
    assert report["per_split"]["report"]["accuracy"] == 1.0


def test_claims_page_hit_reads_the_first_evidence_page_not_the_lowest() -> None:
    items = [
        {"id": "a", "claim": "x", "verdict": "supported", "pages": [45]},
        {"id": "b", "claim": "y", "verdict": "supported", "pages": [45]},
        {"id": "c", "claim": "z", "verdict": "not_in_report", "pages": []},
    ]
    shown = {"x": (72, 45), "y": (45, 9), "z": ()}

    def check(text: str) -> Verdict:
        evidence = tuple(Evidence("s", "r", page) for page in shown[text])
        return Verdict(Claim(text), "supported" if evidence else "not_in_report", evidence, "", "")

    report = run_claims(items, check)
    # "x" shows p. 72 first (a restatement), "y" shows the gold p. 45 first although p. 9 is lower
    assert report["page_hit"] == 0.5
    assert [row["pages"] for row in report["per_item"]] == [[45, 72], [9, 45], []]
    assert [row["page_hit"] for row in report["per_item"]] == [False, True, None]


def test_claims_page_hit_per_split_counts_only_that_half() -> None:
    items = [
        {"id": "a", "claim": "x", "verdict": "supported", "pages": [45], "split": "tune"},
        {"id": "b", "claim": "y", "verdict": "contradicted", "pages": [9], "split": "report"},
        {"id": "c", "claim": "z", "verdict": "supported", "pages": [30], "split": "report"},
    ]
    shown = {"x": (45,), "y": (9,), "z": (31,)}

    def check(text: str) -> Verdict:
        evidence = tuple(Evidence("s", "r", page) for page in shown[text])
        return Verdict(Claim(text), "supported", evidence, "", "")

    report = run_claims(items, check)
    assert report["per_split"]["tune"]["page_hit"] == 1.0
    assert report["per_split"]["report"]["page_hit"] == 0.5
    assert report["page_hit"] == pytest.approx(2 / 3, abs=1e-4)
    assert "page_hit=0.500" in classification_table(report, ("supported", "contradicted", "not_in_report"))


def test_classification_metrics_by_hand() -> None:
    gold = ["supported", "supported", "contradicted", "not_in_report"]
    pred = ["supported", "contradicted", "contradicted", "supported"]
    m = classification_metrics(gold, pred, ("supported", "contradicted", "not_in_report"))
    assert m["accuracy"] == 0.5
    # supported: P=1/2 R=1/2 F1=.5; contradicted: P=1/2 R=1 F1=2/3; not_in_report: 0.
    assert m["f1_per_class"]["supported"] == 0.5
    assert m["f1_per_class"]["contradicted"] == pytest.approx(0.6667, abs=1e-4)
    assert m["macro_f1"] == pytest.approx((0.5 + 0.6667 + 0) / 3, abs=1e-3)
    assert m["confusion"]["supported"]["contradicted"] == 1


@pytest.mark.parametrize(
    ("number", "text", "found"),
    [
        ("18.480", "in totaal 18.480 migranten", True),
        ("18.480", "in totaal 118.480 migranten", False),
        ("11,4", "11,4 procent", True),
        ("11,4", "11,45 procent", False),
        ("764", "764 deelnemers", True),
        ("6", "6%", True),
    ],
)
def test_number_in(number: str, text: str, found: bool) -> None:
    assert number_in(number, text) is found


def test_percentile_and_plots(tmp_path: Path) -> None:
    assert percentile([10, 20, 30, 40], 50) == 25
    report = qa_metrics(ITEMS, OUTCOMES, k=5)
    paths = qa_plots(report, tmp_path / "r.json")
    assert all(p.is_file() and p.stat().st_size > 1000 for p in paths)


def test_read_jsonl_errors(tmp_path: Path) -> None:
    path = tmp_path / "set.jsonl"
    path.write_text(json.dumps({"id": "x"}) + "\n{kapot\n", encoding="utf-8")
    with pytest.raises(InputInvalid, match="regel 1: ontbrekende velden: question"):
        read_jsonl(path, ["id", "question"])
    with pytest.raises(InputInvalid, match="regel 2"):
        read_jsonl(path, ["id"])
