"""Files to take away: the conversation (Markdown, printable HTML) and the speech check (CSV, Markdown)."""

from __future__ import annotations

import csv
import datetime as dt
import io

from rekenqa import export
from rekenqa.types import Answer, Citation, Claim, Evidence, Verdict

MADE = dt.datetime(2026, 12, 2, 14, 5)


def cite(doc_id: str, pages) -> str:
    return f"Rekenkamer (2025), Rapport, p. {', '.join(map(str, pages))}"


ANSWER = Answer(
    question="q",
    text="",
    citations=(
        Citation("c1", "r", 17, 17, quote="In 2023 woonden er 18.480 <b>migranten</b>.", number=1),
        Citation("c2", "r", 33, 33, quote="Zie CBS.", number=2, footnote=32),
    ),
    passages=(),
    answered=True,
    lead="Volgens het rapport: 18.480 migranten (2023) (p. 17).",
)
REFUSED = Answer(
    question="r", text="", citations=(), passages=(), answered=False, notes=("Het rapport noemt geen namen.",)
)
TURNS = [("Hoeveel <migranten>?", ANSWER), ("Wat vindt de burgemeester?", REFUSED)]


def test_conversation_markdown_has_every_turn_citation_and_refusal() -> None:
    text = export.conversation_markdown(TURNS, cite, MADE, "Migratie")
    assert text.startswith("# Gesprek met het rapport: Migratie")
    assert "## Vraag 1: Hoeveel <migranten>?" in text and "## Vraag 2: Wat vindt de burgemeester?" in text
    assert "- [1] p. 17: “In 2023 woonden er 18.480 <b>migranten</b>.”" in text
    assert "- [2] voetnoot 32 (p. 33): “Zie CBS.”" in text
    assert "Bronvermelding: Rekenkamer (2025), Rapport, p. 17, 33" in text
    assert text.count("Het rapport geeft hierover geen informatie.") == 1
    assert "Het rapport geeft hierover geen informatie.\n\nHet rapport noemt geen namen.\n" in text
    assert "02-12-2026 14:05" in text


def test_conversation_html_is_escaped_dutch_and_printable() -> None:
    page = export.conversation_html(TURNS, cite, MADE, "Migratie & <meer>")
    assert page.startswith("<!DOCTYPE html>") and '<html lang="nl">' in page
    assert "Hoeveel &lt;migranten&gt;?" in page and "&lt;b&gt;migranten&lt;/b&gt;" in page
    assert "Migratie &amp; &lt;meer&gt;" in page
    assert "<script" not in page and "@media print" in page
    assert page.count("<li>") == 2
    assert "<p>Het rapport noemt geen namen.</p>" in page


def verdict(status: str, value: str = "", reason: str = "", difference: str = "", pages=()) -> Verdict:
    return Verdict(Claim("c"), status, tuple(Evidence("s", "r", p) for p in pages), value, reason, difference)  # type: ignore[arg-type]


RESULTS = [
    ("In 2019 woonden er 18.480 migranten.", verdict("contradicted", "18.480", "ander jaar", "geen verschil", (17,))),
    ("Er wonen 162.300 mensen; dat klopt.", verdict("supported", "162.300", "exact", "geen verschil", (17, 5, 17))),
    ("De criminaliteit steeg met 40%.", verdict("not_in_report")),
]


def test_speech_rows_never_contradict_themselves() -> None:
    rows = export.speech_rows(RESULTS)
    assert rows[0]["Oordeel"] == "klopt niet" and rows[0]["Toelichting"] == "ander jaar"  # no "geen verschil"
    assert rows[1]["Toelichting"] == "exact"
    assert rows[1]["Pagina's"] == "5, 17"
    assert rows[2]["Oordeel"] == "staat niet in het rapport" and rows[2]["Pagina's"] == ""


def test_speech_csv_opens_in_dutch_excel() -> None:
    data = export.speech_csv(RESULTS)
    assert data.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == list(export.SPEECH_HEADERS)
    assert rows[1][:3] == ["1", "In 2019 woonden er 18.480 migranten.", "klopt niet"]
    assert len(rows) == 4


def test_speech_markdown_table_escapes_pipes() -> None:
    text = export.speech_markdown([("a | b", verdict("supported", "1", "exact"))], MADE)
    assert "| Nr. | Bewering | Oordeel | Waarde in het rapport | Toelichting | Pagina's |" in text
    assert "a \\| b" in text
    assert text.splitlines()[4].count(" | ") == 5
