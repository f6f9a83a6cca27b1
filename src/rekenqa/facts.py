"""Every number in a document with its unit, period, subject words, sentence and page (pure)."""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import replace

from rekenqa.artefacts.glyphs import LETTER
from rekenqa.frames import Frame, clause_of, frame_of, lowered, measure_of, mentions, row_measure
from rekenqa.lexical import STOPWORDS, fold
from rekenqa.numbers import Quantity, find_numbers
from rekenqa.sentences import normalize_ws, split_sentences
from rekenqa.types import Chunk, DocumentStructure, Fact, Profile, Table

logger = logging.getLogger(__name__)

TIME_KINDS = frozenset({"year", "period", "date"})
# The version of how facts and their frames are read. Facts are stored in the index, so an index built by an
# older reading is outdated and rebuilt (the manifest keeps this number with the chunking settings).
# 3: "Nederlandse gemeenten" is national; subject windows cut at whole words. 4: a footnote marker is no letter
# of a subject word or of the noun a number counts ("inwoners⁷" was "inwoners7"). 5: a table cell that holds
# only a number below 1000 is a fact too (a bare "468" was read as a label, so Tabel 4 gave one fact of 33).
FRAMES_VERSION = 6
_WORD = re.compile(rf"{LETTER}+", re.UNICODE)


def subject_words(text: str) -> tuple[str, ...]:
    """Folded content words of ``text``: what a number in it is about."""
    words = []
    for match in _WORD.finditer(text):
        word = fold(match.group(0))
        if len(word) > 2 and word not in STOPWORDS and word not in words:
            words.append(word)
    return tuple(words)


def word_window(text: str, start: int, end: int) -> str:
    """``text[start:end]`` widened to whole words: a cut never leaves half a word ("…dingswet")."""
    start, end = max(0, start), min(len(text), end)
    while start > 0 and text[start - 1].isalnum():
        start -= 1
    while end < len(text) and text[end].isalnum():
        end += 1
    return text[start:end]


def period_of(quantity: Quantity, found: Sequence[Quantity], text: str = "") -> str:
    """The period a number refers to: its own, else the nearest year/period/date in its clause of ``text``,
    else the nearest one before it, else after it."""
    if quantity.period:
        return quantity.period
    times = [q for q in found if q.kind in TIME_KINDS and q.period]
    if text:
        lo, hi = clause_of(lowered(text), quantity.start, quantity.end)
        inside = [q for q in times if lo <= q.start < hi]
        if inside:
            return min(inside, key=lambda q: abs(q.start - quantity.start)).period
    before = [q for q in times if q.end <= quantity.start]
    if before:
        return before[-1].period
    after = [q for q in times if q.start >= quantity.end]
    return after[0].period if after else ""


def to_quantity(fact: Fact) -> Quantity:
    """The fact as a numbers.Quantity, for comparing with a claimed quantity."""
    return Quantity(
        value=fact.value,
        text=fact.text,
        start=0,
        end=len(fact.text),
        unit=fact.unit,
        kind=fact.kind,
        hedge=fact.hedge,
        bound=fact.bound,
        period=fact.period,
        from_value=fact.from_value,
        decimals=fact.decimals,
    )


def _fact(doc_id: str, q: Quantity, frame: Frame, subject: tuple[str, ...], sentence: str, page: int, chunk_id: str,
          row: str = "", column: str = "") -> Fact:
    return Fact(
        doc_id=doc_id,
        value=float(q.value),
        text=q.text,
        unit=q.unit,
        period=frame.period,
        subject=subject,
        sentence=sentence,
        page=page,
        chunk_id=chunk_id,
        row=row,
        column=column,
        kind=q.kind,
        hedge=q.hedge,
        bound=q.bound,
        decimals=q.decimals,
        from_value=q.from_value,
        groups=frame.groups,
        place=frame.place,
        measure=frame.measure,
        scope=frame.scope,
    )


def _chunk_for(chunks: Sequence[Chunk], page: int, sentence: str) -> str:
    probe = sentence[:60]
    for chunk in chunks:
        if chunk.first_page <= page <= chunk.last_page and probe in chunk.text:
            return chunk.id
    return ""


def extract_facts(doc: DocumentStructure, chunks: Sequence[Chunk], profile: Profile | None = None) -> list[Fact]:
    """Facts from the running text, captions and footnotes, and from every table cell, each with its frame
    (groups and places from the report's ``profile``)."""
    profile = profile or Profile()
    facts: list[Fact] = []
    navigation = {p.number for p in doc.pages if p.contents}
    for block in doc.blocks:
        if block.kind in ("table", "heading") or block.page in navigation:
            continue
        for span in split_sentences(block.text):
            chunk_id = _chunk_for(chunks, block.page, span.text)
            facts.extend(sentence_facts(doc.doc_id, span.text, block.page, chunk_id, profile))
    for table in doc.tables:
        facts.extend(_table_facts(doc.doc_id, table, chunks, profile))
    return facts


def sentence_facts(doc_id: str, sentence: str, page: int, chunk_id: str = "", profile: Profile | None = None) -> list[Fact]:
    profile = profile or Profile()
    found = find_numbers(sentence)
    out = []
    for q in found:
        if q.kind in TIME_KINDS:
            continue
        window = word_window(sentence, q.start - 100, q.end + 60)
        frame = frame_of(q, found, sentence, profile, period_of(q, found, sentence))
        out.append(_fact(doc_id, q, frame, subject_words(window), sentence, page, chunk_id))
    return out


def _table_facts(doc_id: str, table: Table, chunks: Sequence[Chunk], profile: Profile) -> list[Fact]:
    out: list[Fact] = []
    if not table.rows:
        return out
    header = table.rows[0]
    chunk_id = next((c.id for c in chunks if c.kind == "table" and table.label and table.label in c.text), "")
    caption = normalize_ws(table.caption)
    for row in table.rows[1:]:
        if not row:
            continue
        row_label = normalize_ws(row[0])
        for col, cell in enumerate(row):
            column = normalize_ws(header[col]) if col < len(header) else ""
            context = f"{column} {row_label}"
            times = find_numbers(context)
            for q in cell_numbers(cell, context, caption):
                if q.kind in TIME_KINDS:
                    continue
                sentence = f"{table.label} ({caption}): {row_label} – {column}: {normalize_ws(cell)}"
                period = q.period or next((t.period for t in times if t.kind in TIME_KINDS and t.period), "")
                frame = cell_frame(q, period, f"{row_label} | {column} | {caption}", profile)
                out.append(
                    _fact(doc_id, q, frame, subject_words(f"{caption} {row_label} {column}"), sentence,
                          table.page, chunk_id, row=row_label, column=column)
                )
    return out


def cell_numbers(cell: str, labels: str = "", caption: str = "") -> list[Quantity]:
    """The quantities of a table cell. Alone in running text a bare "468" may be a heading or page number (a
    label); alone in a cell it is the cell's value: a share when its column or row (``labels``) is "%" or
    "aandeel", or when the ``caption`` speaks of shares and not of counts; else a count."""
    found = find_numbers(cell, include_labels=True)
    whole = cell.strip()
    if len(found) == 1 and found[0].kind in ("label", "count") and found[0].text == whole and not found[0].unit:
        if _SHARE_LABEL.search(fold(labels)) or (
            _SHARE_LABEL.search(fold(caption)) and not _COUNT_LABEL.search(fold(f"{labels} {caption}"))
        ):
            return [replace(found[0], kind="percent", unit="%")]
        return [replace(found[0], kind="count")]
    return [q for q in found if q.kind not in ("label", "ordinal")]


_SHARE_LABEL = re.compile(r"%|\b(?:aandeel|percentage|procent)\b")
_COUNT_LABEL = re.compile(r"\b(?:aantal|absoluut|totaal aantal)\b")


def cell_frame(q: Quantity, period: str, context: str, profile: Profile) -> Frame:
    """The frame of a table cell from ``"row | column | caption"``: the row and column name its group and place;
    the caption only when it names a single one (a caption "per gemeente en Nederland" names none)."""
    row_col, _, caption = context.rpartition(" | ")
    own = mentions(row_col, profile)
    around = mentions(caption, profile)

    def pick(kind: str) -> list[str]:
        names = list(dict.fromkeys(m.name for m in own if m.kind == kind))
        if names:
            return names
        names = list(dict.fromkeys(m.name for m in around if m.kind == kind))
        return names if len(names) == 1 and " per " not in f" {fold(caption)} " else []

    places = pick("place")
    # A caption that names one group names the table's population; its rows subdivide it ("Aantal en aandeel
    # arbeidsmigranten naar nationaliteit": the row "Asiellanden" counts arbeidsmigranten, not asielzoekers).
    population = list(dict.fromkeys(m.name for m in around if m.kind == "group"))
    return Frame(
        groups=tuple(population if len(population) == 1 else pick("group")),
        place=places[0] if places else "",
        period=period,
        measure=measure_of(q, fold(q.text)) or row_measure(row_col.partition(" | ")[0], q),
    )
