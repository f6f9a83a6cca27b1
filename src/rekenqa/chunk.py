"""Cut a document's structure into passages (pure).

Passages respect sections and sentences (about ``min_words``–``max_words`` words, ``overlap`` sentences
repeated), know the printed pages they span, their section path and the footnotes they reference, and
carry offsets into the repaired page text. Tables, and each page's footnotes, are passages of their own.
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from rekenqa.artefacts.markers import footnote_refs
from rekenqa.sentences import normalize_ws, split_sentences, word_count
from rekenqa.types import Block, Chunk, DocumentStructure, Table

logger = logging.getLogger(__name__)

# A sentence end: final punctuation, or a footnote marker (the range also takes superscript letters).
_TERMINAL = re.compile(r"[.!?:;][\"'’”)\]]*\s*$|[\u2070-\u2079\u00b9\u00b2\u00b3]+\s*$")


def chunk_id(doc_id: str, first_page: int, text: str) -> str:
    digest = hashlib.sha1(f"{doc_id}\x00{first_page}\x00{text}".encode(), usedforsecurity=False)
    return "c-" + digest.hexdigest()[:8]


@dataclass(slots=True)
class _Unit:
    """A sentence (or heading) with its position; may span a page break."""

    first_page: int
    start: int
    last_page: int
    end: int
    text: str
    heading: bool = False
    block_kind: str = "body"
    breaks: tuple[tuple[int, int], ...] = ()  # (offset in text, page) where the sentence runs onto a page


def chunk_document(
    structure: DocumentStructure,
    min_words: int = 120,
    max_words: int = 250,
    overlap: int = 1,
    section_of: Callable[[int, int], str] | None = None,
) -> list[Chunk]:
    """Cut one document into passages; ``section_of(page, offset)`` names the section path there."""
    doc = structure.doc_id
    section_of = section_of or (lambda page, offset: "")
    chunks: list[Chunk] = []
    flow: list[Block] = []
    tables: dict[str, list[Block]] = {}
    notes: dict[int, list[Block]] = {}
    navigation = {p.number for p in structure.pages if p.contents}
    for block in structure.blocks:
        if block.page in navigation:
            continue  # a contents page lists headings with page numbers: it answers nothing itself
        if block.kind == "table":
            tables.setdefault(block.label or f"tabel-p{block.page}", []).append(block)
        elif block.kind == "footnote":
            notes.setdefault(block.page, []).append(block)
        else:
            flow.append(block)

    units = _units(flow)
    chunks.extend(_pack(doc, units, min_words, max_words, overlap, section_of))
    chunks.extend(_table_chunks(doc, tables, structure.tables, section_of))
    chunks.extend(_footnote_chunks(doc, notes, section_of))
    chunks.sort(key=lambda c: (c.first_page, c.start, c.kind != "text"))
    return _with_labels(chunks, {p.number: p.label for p in structure.pages if p.label})


def _with_labels(chunks: list[Chunk], labels: dict[int, str]) -> list[Chunk]:
    """Passages on pages printed with a label other than their number ("iii") carry those labels."""
    if not labels:
        return chunks
    return [
        replace(c, labels=tuple((n, labels[n]) for n in c.pages if n in labels)) if any(n in labels for n in c.pages) else c
        for c in chunks
    ]


def _table_chunks(
    doc: str, tables: dict[str, list[Block]], parsed: Sequence[Table], section_of: Callable[[int, int], str]
) -> list[Chunk]:
    """One passage per table: its rendered cells, or its lines where it could not be parsed."""
    out: list[Chunk] = []
    by_label = {t.label: t for t in parsed}
    for label, blocks in tables.items():
        first, last = blocks[0], blocks[-1]
        table = by_label.get(label)
        text = render_table(table) if table is not None and table.rows else "\n".join(b.text.strip() for b in blocks)
        out.append(
            Chunk(
                id=chunk_id(doc, first.page, text),
                doc_id=doc,
                text=text,
                first_page=first.page,
                last_page=last.page,
                section=section_of(first.page, first.start),
                footnotes=footnote_refs(text),
                kind="table",
                start=first.start,
                end=last.end,
            )
        )
    return out


def _footnote_chunks(
    doc: str, notes: dict[int, list[Block]], section_of: Callable[[int, int], str]
) -> list[Chunk]:
    """One passage per page with footnotes."""
    out: list[Chunk] = []
    for page, blocks in sorted(notes.items()):
        text = "\n".join(normalize_ws(b.text) for b in blocks)
        out.append(
            Chunk(
                id=chunk_id(doc, page, text),
                doc_id=doc,
                text=text,
                first_page=page,
                last_page=page,
                section=section_of(page, blocks[0].start),
                footnotes=tuple(sorted({n for b in blocks for n in _leading_number(b.text)})),
                kind="footnotes",
                start=blocks[0].start,
                end=blocks[-1].end,
            )
        )
    return out


def render_table(table: Table) -> str:
    """A table as passage text: the caption, then one line per cell with its row and column label.

    Self-contained lines let sentence scoring find a single cell ("Totaal – 2024-Q3: 764"). Rows whose cells
    can't be aligned with the header (e.g. check marks without positions) become one line per row.
    """
    lines = [normalize_ws(table.caption)]
    header = [_period_words(normalize_ws(h)) for h in table.rows[0]]
    for row in table.rows[1:]:
        cells = [normalize_ws(c) for c in row]
        if not cells:
            continue
        label = cells[0] or "(rij)"
        if len(cells) == len(header) and len(cells) > 1:
            for column, cell in zip(header[1:], cells[1:], strict=True):
                if cell:
                    lines.append(f"{table.label} – {label} – {column}: {cell}")
        else:
            lines.append(f"{table.label} – {label}: {' '.join(cells[1:]) or '–'}")
    return "\n".join(lines)


_QUARTER_LABEL = re.compile(r"^(\d{4})-Q([1-4])$")
_ORDINAL = {"1": "eerste", "2": "tweede", "3": "derde", "4": "vierde"}


def _period_words(label: str) -> str:
    """'2024-Q3' -> '2024-Q3 (derde kwartaal 2024)', so the cell matches how people ask for it."""
    match = _QUARTER_LABEL.match(label)
    if not match:
        return label
    year, quarter = match.groups()
    return f"{label} ({_ORDINAL[quarter]} kwartaal {year})"


def _leading_number(text: str) -> tuple[int, ...]:
    match = re.match(r"\s*(\d{1,3})\s", text)
    return (int(match.group(1)),) if match else ()


def _units(flow: Sequence[Block]) -> list[_Unit]:
    """Sentences of the running text, joining a sentence that runs over a page break."""
    units: list[_Unit] = []
    for block in flow:
        if block.kind == "heading":
            units.append(
                _Unit(block.page, block.start, block.page, block.end, normalize_ws(block.text), True, "heading")
            )
            continue
        spans = split_sentences(block.text, block.start)
        for i, span in enumerate(spans):
            prev = units[-1] if units else None
            continues = (
                i == 0
                and prev is not None
                and not prev.heading
                and prev.last_page < block.page
                and not _TERMINAL.search(prev.text)
                and span.text[:1].islower()
            )
            if continues and prev is not None:
                prev.breaks = (*prev.breaks, (len(prev.text) + 1, block.page))
                prev.last_page, prev.end = block.page, span.end
                prev.text = f"{prev.text} {span.text}"
            else:
                units.append(_Unit(block.page, span.start, block.page, span.end, span.text, False, block.kind))
    return units


def _page_starts(units: Sequence[_Unit]) -> tuple[tuple[int, int], ...]:
    """(offset in the passage text, page) wherever the passage runs onto another printed page."""
    starts: list[tuple[int, int]] = []
    page, offset = units[0].first_page, 0
    for u in units:
        if u.first_page != page:
            starts.append((offset, u.first_page))
        starts.extend((offset + at, p) for at, p in u.breaks)
        page = u.last_page
        offset += len(u.text) + 1
    return tuple(starts)


def _text_chunk(doc: str, units: Sequence[_Unit], section: str) -> Chunk:
    """One running-text passage from its sentences and headings."""
    text = "\n".join(u.text for u in units)
    first, last = units[0], units[-1]
    return Chunk(
        id=chunk_id(doc, first.first_page, text),
        doc_id=doc,
        text=text,
        first_page=first.first_page,
        last_page=max(u.last_page for u in units),
        section=section,
        footnotes=footnote_refs(text),
        kind="text",
        start=first.start,
        end=last.end,
        page_starts=_page_starts(units),
    )


class _Packer:
    """The passage being filled, its section and the passages cut so far."""

    def __init__(
        self, doc: str, min_words: int, max_words: int, overlap: int, section_of: Callable[[int, int], str]
    ) -> None:
        self.doc = doc
        self.min_words = min_words
        self.max_words = max_words
        self.overlap = overlap
        self.section_of = section_of
        self.chunks: list[Chunk] = []
        self.current: list[_Unit] = []
        self.section = ""
        self.fresh = 0  # units added since the last passage; the overlap tail alone is never a passage

    def words(self) -> int:
        return sum(word_count(u.text) for u in self.current)

    def flush(self, keep: int) -> list[_Unit]:
        """Cut the running passage; the units the next one starts with (the last ``keep`` sentences)."""
        current = self.current
        if not current or all(u.heading for u in current):
            return list(current)
        if self.fresh == 0:
            return []
        self.chunks.append(_text_chunk(self.doc, current, self.section))
        self.fresh = 0
        tail = [u for u in current[-keep:] if not u.heading] if keep else []
        return tail

    def add_heading(self, unit: _Unit) -> None:
        # A heading closes the running passage unless that passage is only headings so far.
        if self.current and not all(u.heading for u in self.current):
            if self.words() >= self.min_words // 3:
                self.flush(0)
                self.current = []
        if not self.current:
            self.section = self.section_of(unit.first_page, unit.start)
        self.current.append(unit)
        self.fresh += 1

    def add_sentence(self, unit: _Unit) -> None:
        if not self.current:
            self.section = self.section_of(unit.first_page, unit.start)
        words = self.words()
        if self.current and words + word_count(unit.text) > self.max_words and words >= self.min_words // 2:
            self.current = self.flush(self.overlap)
            if self.current:
                self.section = self.section_of(self.current[0].first_page, self.current[0].start)
        self.current.append(unit)
        self.fresh += 1
        if self.words() >= self.max_words:
            self.current = self.flush(self.overlap)


def _pack(
    doc: str,
    units: Sequence[_Unit],
    min_words: int,
    max_words: int,
    overlap: int,
    section_of: Callable[[int, int], str],
) -> list[Chunk]:
    """Running-text passages of about ``min_words``-``max_words`` words, ``overlap`` sentences repeated."""
    packer = _Packer(doc, min_words, max_words, overlap, section_of)
    for unit in units:
        if unit.heading:
            packer.add_heading(unit)
        else:
            packer.add_sentence(unit)
    packer.flush(0)
    return packer.chunks
