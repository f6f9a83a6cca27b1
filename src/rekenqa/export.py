"""Files to take away: a whole conversation (Markdown, printable HTML) and a speech check (CSV, Markdown).

Pure functions of answers and verdicts; the app offers them as downloads. All headers are Dutch. HTML is
built from escaped text only (``html.escape``), with a print style sheet and no scripts.
"""

from __future__ import annotations

import csv
import datetime as dt
import html
import io
from collections.abc import Callable, Sequence

from rekenqa.answer import REFUSAL
from rekenqa.render import CLAIM_BADGES, cited_pages, made_with
from rekenqa.types import Answer, Verdict

Cite = Callable[[str, Sequence[int]], str]  # Engine.citation
Turn = tuple[str, Answer]

def _citations(answer: Answer) -> list[tuple[str, str]]:
    """(marker and place, quote) of every cited sentence: ("[1] p. 17", "…")."""
    rows = []
    for citation in answer.citations:
        marker = f"[{citation.number}] " if citation.number else ""
        rows.append((marker + citation.label, " ".join((citation.quote or "").split())))
    return rows


def conversation_markdown(turns: Sequence[Turn], cite: Cite, made: dt.datetime, title: str) -> str:
    """The whole conversation as Markdown: every question, its answer's lead, cited sentences and citation."""
    lines = [f"# Gesprek met het rapport: {title}", ""]
    for k, (question, answer) in enumerate(turns, start=1):
        lines += [f"## Vraag {k}: {question}", ""]
        if not answer.answered:
            lines += [REFUSAL, ""]
            lines += [line for note in answer.notes for line in (note, "")]
            continue
        if answer.lead:
            lines += [f"**{answer.lead}**", ""]
        lines += [f"- {where}: “{quote}”" for where, quote in _citations(answer)]
        lines += [""] + [f"> {note}" for note in answer.notes] + ([""] if answer.notes else [])
        if answer.citations:
            lines += [f"Bronvermelding: {cite(answer.citations[0].doc_id, cited_pages(answer.citations))}", ""]
    lines += ["---", made_with(made), ""]
    return "\n".join(lines)


PRINT_CSS = """
body { font-family: Georgia, 'Times New Roman', serif; max-width: 46rem; margin: 2rem auto; padding: 0 1rem;
       color: #1a1a1a; line-height: 1.5; }
h1 { font-size: 1.5rem; } h2 { font-size: 1.15rem; margin-top: 2rem; border-top: 1px solid #ccc; padding-top: 1rem; }
.lead { font-weight: bold; } blockquote { margin: 0.4rem 0 0.4rem 1rem; }
.where { color: #444; font-size: 0.9rem; } .cite { color: #444; font-size: 0.85rem; }
footer { margin-top: 2rem; font-size: 0.8rem; color: #555; }
@media print { body { margin: 0; max-width: none; } h2 { break-after: avoid; } li { break-inside: avoid; } }
"""


def conversation_html(turns: Sequence[Turn], cite: Cite, made: dt.datetime, title: str) -> str:
    """The whole conversation as a self-contained HTML page to print (or save as PDF from the browser)."""
    e = html.escape
    parts = [
        '<!DOCTYPE html>\n<html lang="nl">\n<head>\n<meta charset="utf-8">',
        f"<title>Gesprek met het rapport: {e(title)}</title>\n<style>{PRINT_CSS}</style>\n</head>\n<body>",
        f"<h1>Gesprek met het rapport: {e(title)}</h1>",
    ]
    for k, (question, answer) in enumerate(turns, start=1):
        parts.append(f"<h2>Vraag {k}: {e(question)}</h2>")
        if not answer.answered:
            parts.append(f"<p>{e(REFUSAL)}</p>")
            parts.extend(f"<p>{e(note)}</p>" for note in answer.notes)
            continue
        if answer.lead:
            parts.append(f'<p class="lead">{e(answer.lead)}</p>')
        parts.append("<ol>" if answer.citations else "")
        for where, quote in _citations(answer):
            parts.append(f'<li><blockquote>“{e(quote)}”</blockquote><span class="where">{e(where)}</span></li>')
        parts.append("</ol>" if answer.citations else "")
        parts += [f"<p><em>{e(note)}</em></p>" for note in answer.notes]
        if answer.citations:
            citation = cite(answer.citations[0].doc_id, cited_pages(answer.citations))
            parts.append(f'<p class="cite">Bronvermelding: {e(citation)}</p>')
    parts.append(f"<footer>{e(made_with(made))}</footer>\n</body>\n</html>\n")
    return "\n".join(p for p in parts if p)


# ----------------------------------------------------------------------------- speech check

SPEECH_HEADERS = ("Nr.", "Bewering", "Oordeel", "Waarde in het rapport", "Toelichting", "Pagina's")


def explanation(verdict: Verdict) -> str:
    """The reason of a verdict with its difference, when the difference says something ("te hoog; verschil
    +2.000"); never "geen verschil" (beside "klopt niet" it reads as a contradiction, beside "klopt" it
    repeats the verdict)."""
    parts = [verdict.reason] if verdict.reason else []
    if verdict.difference and verdict.difference != "geen verschil":
        parts.append(f"verschil {verdict.difference}")
    return "; ".join(parts)


def page_names(verdict: Verdict) -> str:
    """The pages of a verdict's evidence, in order: "17, 18"; in a source: "SCP (2025), Titel, 12"."""
    names = []
    for evidence in sorted(verdict.evidence, key=lambda e: e.page):
        name = evidence.page_name or str(evidence.page)
        names.append(f"{evidence.document}, {name}" if evidence.document else name)
    return ", ".join(dict.fromkeys(names))


def speech_rows(results: Sequence[tuple[str, Verdict]]) -> list[dict[str, str]]:
    """One row per checked claim of a speech, with Dutch column names (``SPEECH_HEADERS``)."""
    return [
        dict(
            zip(
                SPEECH_HEADERS,
                (
                    str(k),
                    sentence,
                    CLAIM_BADGES[verdict.status][0],
                    verdict.report_value,
                    explanation(verdict),
                    page_names(verdict),
                ),
                strict=True,
            )
        )
        for k, (sentence, verdict) in enumerate(results, start=1)
    ]


def speech_csv(results: Sequence[tuple[str, Verdict]]) -> bytes:
    """CSV for a spreadsheet: semicolons and a UTF-8 byte order mark, as Excel expects them in Dutch."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=SPEECH_HEADERS, delimiter=";", lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(speech_rows(results))
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("\\", "\\\\").replace("|", "\\|") or "–"


def speech_markdown(results: Sequence[tuple[str, Verdict]], made: dt.datetime) -> str:
    """The speech check as a Markdown table."""
    rows = speech_rows(results)
    lines = ["# Controle van een toespraak", "", "| " + " | ".join(SPEECH_HEADERS) + " |"]
    lines.append("|" + "|".join("---" for _ in SPEECH_HEADERS) + "|")
    lines += ["| " + " | ".join(_cell(row[h]) for h in SPEECH_HEADERS) + " |" for row in rows]
    lines += ["", "---", made_with(made), ""]
    return "\n".join(lines)
