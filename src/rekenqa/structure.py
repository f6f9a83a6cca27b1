"""Find the structure of one repaired document: blocks, sections, footnotes, tables, captions, references.

Works on the pages that :func:`rekenqa.repair.repair_pages` returns. Every non-blank line of a page belongs to
exactly one :class:`~rekenqa.types.Block`, blocks come in reading order and their offsets are exact
(``page.text[block.start:block.end] == block.text``).

Section numbers: parts are "DEEL 1"/"DEEL 2" (level 0), chapters "3" (level 1), paragraphs "3.2"
(level 2), unnumbered sub-headings level 3; "Voorwoord", "Samenvatting" and "Bijlage 1" are level 1
outside the parts. DEEL 2 restarts its chapters at 1, so a section carries its part; the general chapter
1 before "DEEL 1" is counted in DEEL 1.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from rekenqa.artefacts.footnotes import group_by_footnote, split_footnote_area
from rekenqa.artefacts.markers import SUPERSCRIPT_DIGITS, marker_numbers
from rekenqa.artefacts.urls import URL_RE, unique_urls
from rekenqa.types import Block, DocumentStructure, Footnote, Page, Reference, Section, Table

logger = logging.getLogger(__name__)

_PART = re.compile(r"^DEEL (\d+)$")
_CHAPTER = re.compile(r"^(\d{1,2}) ([A-ZÀ-Ý].*)$")
_PARAGRAPH = re.compile(r"^(\d{1,2}\.\d{1,2}) (\S.*)$")
_APPENDIX = re.compile(r"^(Bijlage \d+) (\S.*)$")
_CAPTION = re.compile(r"^(Grafiek|Tabel|Figuur) (\d+)\b")
_UNLABELED_CAPTION = re.compile(r"^Stroomschema\b|\((?:in )?% van ")
_BULLET = re.compile(r"^(?:[•●▪◦]|[-–] |\d{1,2}\. |[a-z]\. )")
_NUMBERED_ITEM = re.compile(r"^(\d{1,2})\. ([A-ZÀ-Ý].*)$")
_VALUE = re.compile(r"^(?:\d{1,3}(?:\.\d{3})+|\d+(?:,\d+)?%?|✔|\[✔\])$")
_FRONT_MATTER = ("Voorwoord", "Samenvatting")
_CONTINUES_CAPTION = re.compile(r"(?:[,;]|\b(?:en|van|per|in|naar|op|de|het))$")
# A footnote number as structure reads it: followed by a space, or glued to the first word.
_FOOTNOTE_DEF = re.compile(r"^(\d{1,3})(?: |(?=\S))")
_REF_GROUP = re.compile(r"\(([^()]*?(?:19|20)\d\d[a-z]?)\)")
_REF_PART = re.compile(
    r"^(?:[Zz]ie(?: ook| hiervoor ook)?:?\s+)?"
    r"((?:[Vv]an (?:der |den )?|[Dd]e )?[A-Z][\w./&'’\-]*(?: (?:en|&|et al\.|e\.a\.|[A-Z][\w./&\-]*))*)"
    r",?\s+((?:19|20)\d\d[a-z]?)$"
)
_FOOTNOTE_REF = re.compile(
    r"(?:^\d{1,3}\s+|[:;]\s|\.\s)((?:[Vv]an (?:der |den )?)?[A-Z][\w\-]+(?: (?:en|&) [A-Z][\w\-]+| et al\.| e\.a\.)?),"
    r"(?: [A-Z]\.,)? ((?:19|20)\d\d)\b"
)


@dataclass(slots=True)
class _Line:
    index: int
    start: int  # offset of the first non-space character
    end: int  # offset after the last non-space character
    text: str  # stripped

    @property
    def blank(self) -> bool:
        return not self.text


@dataclass(slots=True)
class _TableState:
    label: str
    caption: str
    page: int
    lines: list[str] = field(default_factory=list)
    last_page: int = 0


def _lines(text: str) -> list[_Line]:
    out: list[_Line] = []
    pos = 0
    for index, raw in enumerate(text.split("\n")):
        stripped = raw.strip()
        lead = len(raw) - len(raw.lstrip())
        start = pos + lead
        out.append(_Line(index, start, start + len(stripped), stripped))
        pos += len(raw) + 1
    return out


def _ends_sentence(text: str) -> bool:
    return bool(text) and text.rstrip(SUPERSCRIPT_DIGITS + " ")[-1:] in ".:;?!”’"


def _is_value(token: str) -> bool:
    return bool(_VALUE.match(token))


def _is_table_line(text: str) -> bool:
    """A line that looks like a table cell or row rather than prose."""
    if not text:
        return False
    tokens = text.split()
    values = sum(1 for t in tokens if _is_value(t))
    if values and values >= len(tokens) / 2:
        return True
    if len(text) >= 60 and len(tokens) >= 8:
        return False
    return len(text) < 60


def _is_prose(text: str) -> bool:
    tokens = text.split()
    values = sum(1 for t in tokens if _is_value(t))
    return len(text) >= 60 and len(tokens) >= 8 and values < len(tokens) / 3


def _is_heading_text(text: str) -> bool:
    """Short, capitalised, no final punctuation, not a row of numbers."""
    if not text or len(text) > 90 or "  " in text:
        return False
    if not (text[0].isupper() or text[0].isdigit()):
        return False
    if text[-1] in ".,;:!?" or text[-1] in SUPERSCRIPT_DIGITS:
        return False
    words = text.split()
    if len(words) > 13:
        return False
    last = words[-1]
    if re.fullmatch(r"[\d.,%]+", last) and not re.fullmatch(r"(?:19|20)\d\d|\d{1,2}", last):
        return False  # a table total ("Totaal Haarlemmermeer  1156"), not a heading
    return not _BULLET.match(text) or bool(_NUMBERED_ITEM.match(text))


class _PageParser:
    """Split the body of one page into blocks."""

    def __init__(self, page: Page, lines: list[_Line], doc: _DocState) -> None:
        self.page = page
        self.lines = lines
        self.doc = doc
        self.blocks: list[Block] = []

    def block(self, kind: str, first: _Line, last: _Line, label: str = "") -> Block:
        text = self.page.text[first.start : last.end]
        b = Block(
            doc_id=self.page.doc_id,
            page=self.page.number,
            kind=kind,  # type: ignore[arg-type]
            text=text,
            start=first.start,
            end=last.end,
            footnote_refs=marker_numbers(text),
            label=label,
        )
        self.blocks.append(b)
        return b

    def next_content(self, i: int) -> int:
        while i < len(self.lines) and self.lines[i].blank:
            i += 1
        return i

    def parse(self) -> list[Block]:
        lines = self.lines
        i = self.next_content(0)
        first_content = i
        if self.doc.table is not None:
            if i < len(lines) and not _is_prose(lines[i].text) and not _CAPTION.match(lines[i].text):
                i = self.table_lines(i, continued=True)
            else:
                self.doc.finish_table()
        while i < len(lines):
            line = lines[i]
            if line.blank:
                i += 1
                continue
            text = line.text
            prev_blank = (
                i == first_content
                or lines[i - 1].blank
                or (bool(self.blocks) and self.blocks[-1].kind == "heading")
            )
            caption = _CAPTION.match(text)
            if caption and prev_blank:
                label = f"{caption.group(1)} {caption.group(2)}"
                j = self.caption_end(i)
                caption_text = " ".join(ln.text for ln in lines[i : j + 1] if not ln.blank)
                if caption.group(1) == "Tabel":
                    self.doc.finish_table()
                    self.doc.table = _TableState(label, caption_text, self.page.number)
                    i = self.table_lines(j + 1, continued=False, caption_line=i)
                else:
                    b = self.block("caption", line, lines[j], label)
                    self.doc.captions.append(b)
                    i = j + 1
                continue
            if (
                _UNLABELED_CAPTION.search(text)
                and prev_blank
                and len(text) < 120
                and not _ends_sentence(text)
            ):
                j = self.caption_end(i)
                b = self.block("caption", line, lines[j], "")
                self.doc.captions.append(b)
                i = j + 1
                continue
            heading = self.heading(i, prev_blank, i == first_content)
            if heading is not None:
                i = heading
                continue
            if self.is_bullet(i):
                i = self.bullet(i)
                continue
            if i == first_content and self.doc.last_kind == "bullet" and not self.doc.previous_ended:
                if text[0].islower():
                    i = self.bullet(i)  # a list item that runs on from the previous page
                    continue
            i = self.paragraph(i)
        return self.blocks

    # -- captions and tables -------------------------------------------------------------------------

    def caption_end(self, i: int) -> int:
        """Last line of a caption that starts at line ``i``."""
        lines = self.lines
        j = i
        while True:
            k = j + 1
            if k < len(lines) and not lines[k].blank and not _is_value(lines[k].text.split()[0]):
                cont = lines[k].text
                if len(cont) < 70 and (cont[0] == "(" or cont[0].islower()) and not _is_prose(cont):
                    j = k
                    continue
            k = self.next_content(j + 1)
            if k < len(lines) and k <= j + 2:
                cont = lines[k].text
                if len(cont) < 50 and not _ends_sentence(cont.rstrip(")")) or cont.startswith("("):
                    if cont.startswith("(") or _CONTINUES_CAPTION.search(lines[j].text):
                        j = k
                        continue
            return j

    def table_lines(self, i: int, continued: bool, caption_line: int | None = None) -> int:
        """Consume table lines from ``i``; one table block per page (with the caption on its first page)."""
        lines = self.lines
        state = self.doc.table
        assert state is not None
        first = caption_line if caption_line is not None else self.next_content(i)
        last = first if caption_line is not None else None
        j = i
        while j < len(lines):
            line = lines[j]
            if line.blank:
                if state.lines and state.lines[-1]:
                    state.lines.append("")  # cell groups are separated by blank lines
                j += 1
                continue
            text = line.text
            if _is_prose(text) or _CAPTION.match(text) or _UNLABELED_CAPTION.search(text):
                break
            if not _is_table_line(text):
                break
            state.lines.append(text)
            last = j
            j += 1
        if last is not None and first < len(lines):
            self.block("table", lines[first], lines[last], state.label)
            state.last_page = self.page.number
            state.lines.append("")
        ended = j < len(lines)
        if ended:
            self.doc.finish_table()
        return j

    # -- headings ------------------------------------------------------------------------------------

    def heading(self, i: int, prev_blank: bool, first_on_page: bool) -> int | None:
        """Record the heading at line ``i``; the index after it, or None when it is no heading."""
        lines = self.lines
        line = lines[i]
        text = line.text
        nxt = self.next_content(i + 1)
        has_next = nxt < len(lines)
        part = _PART.match(text)
        if part:
            title_line = lines[nxt] if has_next and _is_heading_text(lines[nxt].text) else None
            last = title_line or line
            label = f"DEEL {part.group(1)}"
            self.block("heading", line, last, label)
            self.doc.add_section(label, title_line.text if title_line else "", self.page.number, 0)
            return (nxt + 1) if title_line else i + 1
        if not prev_blank or not _is_heading_text(text):
            return None
        if first_on_page and text in _FRONT_MATTER:
            self.block("heading", line, line, "")
            self.doc.add_section("", text, self.page.number, 1, front=True)
            return i + 1
        for pattern, level in ((_APPENDIX, 1), (_PARAGRAPH, 2), (_CHAPTER, 1)):
            m = pattern.match(text)
            if m and has_next:
                number, title = m.group(1), m.group(2)
                if level == 1 and pattern is _CHAPTER and int(number) > 12:
                    continue
                self.block("heading", line, line, number)
                self.doc.add_section(number, title, self.page.number, level, appendix=pattern is _APPENDIX)
                return i + 1
        if not has_next:
            return None
        follower = lines[nxt].text
        numbered = _NUMBERED_ITEM.match(text)
        if numbered:
            # "1. Asiel en opvang" as a heading stands alone; a numbered list item runs on
            if nxt == i + 1 or not (follower[0].isupper() or follower[0] in "‘“'\"("):
                return None
        else:
            if len(text) > 78 or text.count("(") != text.count(")"):
                return None
            if not (
                follower[0].isupper()
                or follower[0] in "‘“'\"("
                or _BULLET.match(follower)
                or _PARAGRAPH.match(follower)
            ):
                return None
        if first_on_page and not self.doc.previous_ended:
            return None
        self.block("heading", line, line, "")
        self.doc.add_section("", text, self.page.number, 3)
        return i + 1

    # -- bullets and paragraphs ----------------------------------------------------------------------

    def is_bullet(self, j: int) -> bool:
        """A list item; a dash line only where a list can start (after a colon, semicolon or blank line)."""
        text = self.lines[j].text
        if not _BULLET.match(text):
            return False
        if text[0] not in "-–":
            return True
        k = j - 1
        if k < 0 or self.lines[k].blank:
            return True
        prev = self.lines[k].text.rstrip(SUPERSCRIPT_DIGITS)
        return prev[-1:] in ":;.,)" or bool(_BULLET.match(self.lines[k].text))

    def starts_block(self, j: int) -> bool:
        return self.is_bullet(j) or bool(_CAPTION.match(self.lines[j].text))

    def bullet(self, i: int) -> int:
        """One list item: its line, following lines, and lines after a blank that continue it."""
        lines = self.lines
        last = i
        j = i + 1
        while j < len(lines):
            if lines[j].blank:
                k = self.next_content(j)
                if k < len(lines) and k - j <= 2 and not self.starts_block(k):
                    end_char = lines[last].text.rstrip(SUPERSCRIPT_DIGITS)[-1:]
                    unfinished = end_char in ",:-(" or end_char.islower()
                    if lines[k].text[:1].islower() or unfinished and not _CAPTION.match(lines[k].text):
                        j = k
                        continue
                break
            if self.starts_block(j):
                break
            last = j
            j += 1
        self.block("bullet", lines[i], lines[last])
        return last + 1

    def paragraph(self, i: int) -> int:
        lines = self.lines
        last = i
        j = i + 1
        while j < len(lines) and not lines[j].blank and not self.starts_block(j):
            last = j
            j += 1
        self.block("body", lines[i], lines[last])
        return last + 1


@dataclass(slots=True)
class _DocState:
    doc_id: str
    sections: list[Section] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    captions: list[Block] = field(default_factory=list)
    table: _TableState | None = None
    part: str = ""
    seen_part: bool = False
    front: bool = False
    last_kind: str = ""
    previous_ended: bool = True

    def add_section(
        self, number: str, title: str, page: int, level: int, front: bool = False, appendix: bool = False
    ) -> None:
        if level == 0:
            self.part = number
            self.seen_part = True
        if front:
            self.front = True
        elif level <= 1:
            self.front = False
        part = "" if self.front or appendix else self.part
        if not part and not self.front and not appendix and not self.seen_part and level > 0:
            part = "DEEL 1"  # the general introduction counts in DEEL 1 (DEEL 2 restarts at 1)
        if appendix:
            self.part = ""
        self.sections.append(Section(self.doc_id, number, title, page, level, part))

    def finish_table(self) -> None:
        state = self.table
        if state is None:
            return
        self.table = None
        self.tables.append(
            Table(
                doc_id=self.doc_id,
                label=state.label,
                caption=state.caption,
                page=state.page,
                rows=_table_rows(state.lines),
                last_page=state.last_page or state.page,
            )
        )


def _table_rows(lines: list[str]) -> tuple[tuple[str, ...], ...]:
    """Rows of cells from the lines of a table (blank strings separate cell groups).

    Label-only groups before the first values are header cells (the last of them labels the first row when
    that row has no label of its own); a row is a label followed by its values; values without a label
    continue the previous row.
    """
    groups: list[str] = []
    current: list[str] = []
    for text in [*lines, ""]:
        tokens = text.split()
        own_row = len(tokens) > 1 and not _is_value(tokens[0]) and any(_is_value(t) for t in tokens)
        if own_row and current:
            groups.append(" ".join(current))  # "Totaal 1006 925 ..." / "man 468 447 ...": a row per line
            current = []
        if text:
            if current and text.startswith("-") and current[-1][-1:].isdigit():
                current[-1] += text  # "2025" + "-Q1"
            else:
                current.append(text)
            if own_row:
                groups.append(" ".join(current))
                current = []
        elif current:
            groups.append(" ".join(current))
            current = []
    header: list[str] = []
    rows: list[list[str]] = []
    for group in groups:
        tokens = group.split()
        first_value = next((k for k, t in enumerate(tokens) if _is_value(t)), None)
        if first_value is None:
            if rows:
                rows.append([group])
            else:
                header.append(group)
            continue
        label = " ".join(tokens[:first_value])
        values = tokens[first_value:]
        if label:
            rows.append([label, *values])
        elif rows:
            rows[-1].extend(values)
        elif header:
            rows.append([header.pop(), *values])
        else:
            rows.append(["", *values])
    width = max((len(r) - 1 for r in rows), default=0)
    if header:
        cells = _split_header(header, width)
        return tuple([tuple(cells), *(tuple(r) for r in rows)])
    return tuple(tuple(r) for r in rows)


def _merge_header(parts: list[str]) -> list[str]:
    """Join header fragments that continue each other ("2025" + "-Q1", "Migratiegroep/" + "beleidsterrein")."""
    merged: list[str] = []
    for part in parts:
        if merged and (part.startswith("-") or merged[-1].endswith(("-", "/"))):
            sep = "" if part.startswith("-") or merged[-1].endswith("-") else " "
            merged[-1] = merged[-1] + sep + part
        else:
            merged.append(part)
    return merged


def _split_header(header: list[str], width: int) -> list[str]:
    """Header cells: split multi-word fragments from the end until they match the value columns."""
    cells = list(header)
    k = len(cells) - 1
    while len(cells) < width + 1 and k >= 0:
        words = cells[k].split()
        if len(words) > 1 and len(cells) - 1 + len(words) <= width + 1:
            cells[k : k + 1] = words
        k -= 1
    if len(cells) == width:
        cells.insert(0, "")
    return cells


def _footnotes(
    page: Page, lines: list[_Line], start: int, defs: list[int]
) -> tuple[list[Block], list[tuple[int, list[str]]], list[str]]:
    """Footnote blocks of a page, the text lines per footnote number, and lines continuing the previous one."""
    blocks: list[Block] = []
    per_number: list[tuple[int, list[str]]] = []
    continuation: list[str] = []
    filled = [line for line in lines[start:] if not line.blank]
    groups = group_by_footnote(filled, defs, lambda line: line.text, _FOOTNOTE_DEF)
    for number, group in groups:
        text = page.text[group[0].start : group[-1].end]
        blocks.append(
            Block(
                page.doc_id,
                page.number,
                "footnote",
                text,
                group[0].start,
                group[-1].end,
                (),
                "" if number is None else str(number),
            )
        )
        texts = [ln.text for ln in group]
        if number is None:
            continuation.extend(texts)
        else:
            per_number.append((number, texts))
    return blocks, per_number, continuation


def _footnote_text(number: int, lines: list[str]) -> str:
    text = " ".join(lines)
    return re.sub(rf"^{number}\s*", "", text).strip()


def _references(doc_id: str, blocks: Sequence[Block]) -> list[Reference]:
    refs: list[Reference] = []
    seen: set[tuple[str, str, int]] = set()
    for block in blocks:
        text = URL_RE.sub(" ", block.text.replace("\n", " "))
        found: list[tuple[str, str]] = []
        for group in _REF_GROUP.finditer(text):
            for part in group.group(1).split(";"):
                m = _REF_PART.match(part.strip())
                if m and not re.search(r"\d", m.group(1)) and len(m.group(1).split()) <= 7:
                    found.append((m.group(1).strip(), m.group(2)))
        if block.kind == "footnote":
            for m in _FOOTNOTE_REF.finditer(text):
                found.append((m.group(1).strip(), m.group(2)))
        for author, year in found:
            if author.split()[0].lower() in {"zie", "bron", "stand", "nota"}:
                continue
            key = (author, year, block.page)
            if key in seen:
                continue
            seen.add(key)
            refs.append(Reference(doc_id, author, year, block.page))
    return refs


def analyze(pages: Sequence[Page]) -> DocumentStructure:
    """Analyse the repaired pages of one document."""
    if not pages:
        raise ValueError("analyze() needs at least one page")
    doc_id = pages[0].doc_id
    state = _DocState(doc_id)
    blocks: list[Block] = []
    footnote_parts: dict[int, tuple[int, list[str]]] = {}
    last_number: int | None = None
    expected = 1
    for page in pages:
        lines = _lines(page.text)
        start, defs = split_footnote_area([ln.text for ln in lines], expected)
        if defs:
            expected = defs[-1] + 1
        parser = _PageParser(page, lines[:start], state)
        body_blocks = parser.parse()
        fn_blocks, per_number, continuation = _footnotes(page, lines, start, defs) if defs else ([], [], [])
        if continuation and last_number is not None:
            footnote_parts[last_number][1].extend(continuation)
            fn_blocks = [replace(b, label=b.label or str(last_number)) for b in fn_blocks]
        for number, texts in per_number:
            footnote_parts[number] = (page.number, texts)
            last_number = number
        blocks.extend(body_blocks)
        blocks.extend(fn_blocks)
        body_lines = [ln.text for ln in lines[:start] if not ln.blank]
        state.previous_ended = not body_lines or _ends_sentence(body_lines[-1])
        state.last_kind = body_blocks[-1].kind if body_blocks else ""
    state.finish_table()
    footnotes = tuple(
        Footnote(doc_id, number, page_no, _footnote_text(number, texts), unique_urls(" ".join(texts)))
        for number, (page_no, texts) in sorted(footnote_parts.items())
    )
    references = _references(doc_id, blocks)
    logger.debug(
        "%s: %d blocks, %d sections, %d footnotes, %d tables, %d captions, %d references",
        doc_id,
        len(blocks),
        len(state.sections),
        len(footnotes),
        len(state.tables),
        len(state.captions),
        len(references),
    )
    return DocumentStructure(
        doc_id=doc_id,
        pages=tuple(pages),
        blocks=tuple(blocks),
        sections=tuple(state.sections),
        footnotes=footnotes,
        tables=tuple(state.tables),
        captions=tuple(state.captions),
        references=tuple(references),
    )


def _section_label(section: Section) -> str:
    if section.level == 0:
        return section.number
    if section.number:
        return f"{section.number} {section.title}"
    return section.title


def section_path(structure: DocumentStructure, page: int, offset: int, max_level: int = 2) -> str:
    """The headings above a position, e.g. "DEEL 1 > 3 Asielmigratie in Haarlemmermeer > 3.2 Opvang ...".

    ``max_level`` 3 adds the unnumbered sub-heading; positions before the first heading give "".
    """
    headings = [b for b in structure.blocks if b.kind == "heading"]
    stack: dict[int, Section] = {}
    for block, section in zip(headings, structure.sections, strict=False):
        if (block.page, block.start) > (page, offset):
            break
        for level in [lv for lv in stack if lv >= section.level]:
            del stack[level]
        if section.level == 1 and not section.part:
            stack.pop(0, None)
        stack[section.level] = section
    parts = [_section_label(stack[level]) for level in sorted(stack) if level <= max_level]
    if 0 not in stack:
        for level in sorted(stack):
            if level == 1 and stack[level].part and level <= max_level:
                parts.insert(0, stack[level].part)
                break
    return " > ".join(parts)
