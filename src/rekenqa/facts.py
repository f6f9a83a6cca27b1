"""Every number in a document with its unit, period, subject words, sentence and page (pure)."""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence

from rekenqa.lexical import STOPWORDS, fold
from rekenqa.numbers import Quantity, find_numbers, years_in
from rekenqa.sentences import normalize_ws, split_sentences
from rekenqa.types import Chunk, DocumentStructure, Fact, Table

logger = logging.getLogger(__name__)

SKIP_KINDS = frozenset({"label", "ordinal"})
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
_QUARTER = re.compile(r"\b(20\d{2})\s*-?\s*Q([1-4])\b|\b([1-4])e\s+kwartaal\s+(20\d{2})\b", re.IGNORECASE)


def subject_words(text: str) -> tuple[str, ...]:
    """Folded content words of ``text``: what a number in it is about."""
    words = []
    for match in _WORD.finditer(text):
        word = fold(match.group(0))
        if len(word) > 2 and word not in STOPWORDS and word not in words:
            words.append(word)
    return tuple(words)


def period_of(quantity: Quantity, sentence: str) -> str:
    """The period a number refers to: its own, else the single year named in its sentence."""
    if quantity.period:
        return quantity.period
    quarter = _QUARTER.search(sentence)
    if quarter:
        year, q = (quarter.group(1), quarter.group(2)) if quarter.group(1) else (quarter.group(4), quarter.group(3))
        return f"{year}-Q{q}"
    years = sorted(set(years_in(sentence)))
    if len(years) == 1:
        return str(years[0])
    if years:
        # The year nearest before the number is the likeliest reference ("in 2019 naar 11.290").
        before = [y for y in years_in(sentence[: quantity.start])]
        return str(before[-1]) if before else str(years[0])
    return ""


def _chunk_for(chunks: Sequence[Chunk], page: int, sentence: str) -> str:
    probe = sentence[:60]
    for chunk in chunks:
        if chunk.first_page <= page <= chunk.last_page and probe in chunk.text:
            return chunk.id
    return ""


def extract_facts(doc: DocumentStructure, chunks: Sequence[Chunk]) -> list[Fact]:
    """Facts from the running text, captions and footnotes, and from every table cell."""
    facts: list[Fact] = []
    for block in doc.blocks:
        if block.kind in ("table", "heading"):
            continue
        for span in split_sentences(block.text):
            facts.extend(_sentence_facts(doc.doc_id, span.text, block.page, _chunk_for(chunks, block.page, span.text)))
    for table in doc.tables:
        facts.extend(_table_facts(doc.doc_id, table, chunks))
    return facts


def _sentence_facts(doc_id: str, sentence: str, page: int, chunk_id: str) -> list[Fact]:
    out = []
    for q in find_numbers(sentence):
        if q.kind in SKIP_KINDS or q.kind == "year":
            continue
        window = sentence[max(0, q.start - 90) : q.end + 60]
        out.append(
            Fact(
                doc_id=doc_id,
                value=float(q.value),
                text=q.text,
                unit=q.unit,
                period=period_of(q, sentence),
                subject=subject_words(window),
                sentence=sentence,
                page=page,
                chunk_id=chunk_id,
            )
        )
    return out


def _table_facts(doc_id: str, table: Table, chunks: Sequence[Chunk]) -> list[Fact]:
    out: list[Fact] = []
    if not table.rows:
        return out
    header = table.rows[0]
    chunk_id = next((c.id for c in chunks if c.kind == "table" and table.label and table.label in c.text), "")
    for row in table.rows[1:]:
        if not row:
            continue
        row_label = normalize_ws(row[0])
        for col, cell in enumerate(row):
            column = normalize_ws(header[col]) if col < len(header) else ""
            for q in find_numbers(cell):
                if q.kind in SKIP_KINDS or q.kind == "year":
                    continue
                sentence = f"{table.label} ({normalize_ws(table.caption)}): {row_label} – {column}: {normalize_ws(cell)}"
                period = q.period or period_of(q, f"{column} {row_label}")
                out.append(
                    Fact(
                        doc_id=doc_id,
                        value=float(q.value),
                        text=q.text,
                        unit=q.unit,
                        period=period,
                        subject=subject_words(f"{table.caption} {row_label} {column}"),
                        sentence=sentence,
                        page=table.page,
                        chunk_id=chunk_id,
                        row=row_label,
                        column=column,
                    )
                )
    return out
