"""Split the body of one page into blocks: headings, captions, tables, bullets, paragraphs."""

from __future__ import annotations

import re

from rekenqa.artefacts.markers import SUPERSCRIPT_DIGITS, marker_numbers
from rekenqa.structure.lines import (
    APPENDIX,
    BULLET,
    CAPTION,
    CHAPTER,
    CONTINUES_CAPTION,
    FRONT_MATTER,
    NUMBERED_ITEM,
    PARAGRAPH,
    PART,
    UNLABELED_CAPTION,
    Line,
    ends_sentence,
    is_heading_text,
    is_prose,
    is_table_line,
    is_value,
)
from rekenqa.structure.state import DocState, TableState
from rekenqa.types import Block, Page

_CELL_GAP = re.compile(r" {2,}")  # cells of a table row, where the reader knew their positions


class PageParser:
    """Split the body of one page into blocks."""

    def __init__(self, page: Page, lines: list[Line], doc: DocState) -> None:
        self.page = page
        self.lines = lines
        self.doc = doc
        self.blocks: list[Block] = []

    def block(self, kind: str, first: Line, last: Line, label: str = "") -> Block:
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
            if i < len(lines) and not is_prose(lines[i].text) and not CAPTION.match(lines[i].text):
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
            caption = CAPTION.match(text)
            if caption and prev_blank and self.page.blocks_known and self.runs_on(self.caption_end(i)):
                caption = None  # a paragraph that opens by naming a figure ("Grafiek 1 laat zien …")
            if caption and prev_blank:
                label = f"{caption.group(1)} {caption.group(2)}"
                j = self.caption_end(i)
                caption_text = " ".join(ln.text for ln in lines[i : j + 1] if not ln.blank)
                if caption.group(1) == "Tabel":
                    self.doc.finish_table()
                    self.doc.table = TableState(label, caption_text, self.page.number)
                    i = self.table_lines(j + 1, continued=False, caption_line=i)
                else:
                    b = self.block("caption", line, lines[j], label)
                    self.doc.captions.append(b)
                    i = j + 1
                continue
            if UNLABELED_CAPTION.search(text) and prev_blank and len(text) < 120 and not ends_sentence(text):
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

    def runs_on(self, j: int) -> bool:
        """Whether the block goes on after line ``j`` (the reader knew the blocks: a blank line ends each)."""
        return j + 1 < len(self.lines) and not self.lines[j + 1].blank

    def caption_end(self, i: int) -> int:
        """Last line of a caption that starts at line ``i``."""
        lines = self.lines
        j = i
        while True:
            k = j + 1
            if k < len(lines) and not lines[k].blank and not is_value(lines[k].text.split()[0]):
                cont = lines[k].text
                if len(cont) < 70 and (cont[0] == "(" or cont[0].islower()) and not is_prose(cont):
                    j = k
                    continue
            k = self.next_content(j + 1)
            if k < len(lines) and k <= j + 2:
                cont = lines[k].text
                if len(cont) < 50 and not ends_sentence(cont.rstrip(")")) or cont.startswith("("):
                    if cont.startswith("(") or CONTINUES_CAPTION.search(lines[j].text):
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
            cells = _CELL_GAP.split(text) if self.page.blocks_known else [text]
            if len(cells) > 1:
                # The layout set the cells apart: a header row gives a group per cell, a row one line.
                if any(is_value(t) for cell in cells for t in cell.split()):
                    state.lines.extend([" ".join(cells), ""])
                else:
                    for cell in cells:
                        state.lines.extend([cell, ""])
                last = j
                j += 1
                continue
            if is_prose(text) or CAPTION.match(text) or UNLABELED_CAPTION.search(text):
                break
            if not is_table_line(text):
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
        part = PART.match(text)
        if part:
            title_line = lines[nxt] if has_next and is_heading_text(lines[nxt].text) else None
            last = title_line or line
            label = f"DEEL {part.group(1)}"
            self.block("heading", line, last, label)
            self.doc.add_section(label, title_line.text if title_line else "", self.page.number, 0)
            return (nxt + 1) if title_line else i + 1
        if not prev_blank or not is_heading_text(text):
            return None
        if self.page.blocks_known and nxt == i + 1:
            return None  # the fonts said where blocks end: this line runs on into its paragraph
        if first_on_page and text in FRONT_MATTER:
            self.block("heading", line, line, "")
            self.doc.add_section("", text, self.page.number, 1, front=True)
            return i + 1
        for pattern, level in ((APPENDIX, 1), (PARAGRAPH, 2), (CHAPTER, 1)):
            m = pattern.match(text)
            if m and has_next:
                number, title = m.group(1), m.group(2)
                if level == 1 and pattern is CHAPTER and int(number) > 12:
                    continue
                self.block("heading", line, line, number)
                self.doc.add_section(number, title, self.page.number, level, appendix=pattern is APPENDIX)
                return i + 1
        if not has_next:
            return None
        follower = lines[nxt].text
        numbered = NUMBERED_ITEM.match(text)
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
                or BULLET.match(follower)
                or PARAGRAPH.match(follower)
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
        if not BULLET.match(text):
            return False
        if text[0] not in "-–":
            return True
        k = j - 1
        if k < 0 or self.lines[k].blank:
            return True
        prev = self.lines[k].text.rstrip(SUPERSCRIPT_DIGITS)
        return prev[-1:] in ":;.,)" or bool(BULLET.match(self.lines[k].text))

    def starts_block(self, j: int) -> bool:
        return self.is_bullet(j) or bool(CAPTION.match(self.lines[j].text))

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
                    if lines[k].text[:1].islower() or unfinished and not CAPTION.match(lines[k].text):
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
