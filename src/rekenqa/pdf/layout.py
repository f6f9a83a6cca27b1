"""Page text from the fonts of its lines, in the layout the structure analysis reads.

The body font is the size most letters of the document are set in. On each page:

- a line set clearly larger than the body, or bold at body size and short without a full stop, is a
  heading: it stands alone between blank lines, and a heading wrapped over two lines is joined;
- a change of size or style between lines, a vertical gap of more than one and a half lines, or a short
  line that ends a sentence (the last line of a paragraph) starts a new block (a blank line): captions,
  tables and paragraphs stay apart;
- small lines under the last body line, the first of them opening with a number and a word, are the
  footnotes: they follow a line holding one space, the separator the structure analysis looks for;
- digits set small inside a body line are footnote markers and become superscripts;
- a contents page (most lines end in dot leaders and a page number) is one block of titles without their
  leaders and numbers, so its entries are not taken for the report's own headings.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from rekenqa.artefacts.markers import SUPERSCRIPT_DIGITS, TO_SUPERSCRIPT
from rekenqa.pdf.runs import Run, TextLine

HEADING_RATIO = 1.12  # a line this much larger than the body font is a heading
SMALL_RATIO = 0.9  # footnotes are set at most this size relative to the body
MARKER_RATIO = 0.8  # marker digits are set at most this size relative to their line
BLOCK_GAP = 1.5  # a gap of this many line heights between lines starts a new block
SHORT_LINE = 0.75  # a line shorter than this share of the page's longest lines may end a paragraph
ENDS = (".", "?", "!", ":", ".”", ".’", ")")
_FOOTNOTE_START = re.compile(r"^\d{1,3}\s+\S")
_TOC_LEADER = re.compile(r"\s*(?:\.\s*){4,}\s*(\d{1,4}|[ivxlc]{1,6})$")


def body_size(pages: Sequence[Sequence[TextLine]]) -> float:
    """The font size most letters of the document are set in."""
    weights: Counter[float] = Counter()
    for lines in pages:
        for line in lines:
            for run in line.runs:
                weights[round(run.size, 1)] += len(run.text.strip())
    return weights.most_common(1)[0][0] if weights else 10.0


def _line_text(line: TextLine) -> str:
    """The line's text with small digit runs (footnote markers) as superscripts glued to their word."""
    size = line.size
    parts: list[Run] = []
    for run in line.runs:
        stripped = run.text.strip()
        if parts and stripped.isdigit() and run.size <= size * MARKER_RATIO:
            parts.append(Run(stripped.translate(TO_SUPERSCRIPT), run.x, run.y, size, run.bold, run.italic))
            if run.text != run.text.rstrip():
                parts.append(Run(" ", run.x, run.y, size, run.bold, run.italic))
            continue
        parts.append(run)
    text = TextLine(parts).text
    return re.sub(r"\s+([⁰¹²³⁴⁵⁶⁷⁸⁹]+)", r"\1", text)


def _is_heading(line: TextLine, text: str, body: float) -> bool:
    if line.size >= body * HEADING_RATIO:
        return True
    return line.bold and line.size >= body * 0.95 and len(text) <= 90 and not text.endswith((".", ",", ";", ":"))


def _footnote_start(lines: Sequence[TextLine], texts: Sequence[str], body: float) -> int:
    """Index of the first line of the page's footnote area, or len(lines) when there is none."""
    last_body = max((i for i, ln in enumerate(lines) if ln.size > body * SMALL_RATIO), default=-1)
    for i in range(last_body + 1, len(lines)):
        if _FOOTNOTE_START.match(texts[i]) and not texts[i].split()[1][:1].isdigit():
            return last_body + 1
    return len(lines)


def toc_entry(text: str) -> str:
    """A contents line without its dot leaders and page number ("2 Aard en omvang ...... 17")."""
    return _TOC_LEADER.sub("", text)


def is_contents(texts: Sequence[str]) -> bool:
    """A contents page: four or more lines, most of them ending in dot leaders and a page number."""
    filled = [t for t in texts if t.strip()]
    entries = sum(1 for t in filled if _TOC_LEADER.search(t))
    return entries >= 4 and entries * 2 >= len(filled)


def page_text(lines: Sequence[TextLine], body: float) -> str:
    """The page as text: blocks between blank lines, then " " and the footnotes."""
    raw = [_line_text(line) for line in lines]
    if is_contents(raw):
        return "\n".join(toc_entry(t) for t in raw if t.strip())
    texts = raw
    notes_at = _footnote_start(lines, texts, body)
    out: list[str] = []
    previous: TextLine | None = None
    previous_heading = False
    widths = sorted((len(texts[i]) for i in range(notes_at) if texts[i]), reverse=True)
    full = widths[len(widths) // 10] if widths else 0  # the longest lines but a few
    for i in range(notes_at):
        line, text = lines[i], texts[i]
        if not text:
            continue
        heading = _is_heading(line, text, body)
        if previous is not None:
            height = max(previous.size, line.size) * 1.2
            gap = previous.y - line.y
            changed = (
                abs(line.size - previous.size) > body * 0.05
                or line.bold != previous.bold
                or any(r.italic for r in line.runs) != any(r.italic for r in previous.runs)
            )
            if heading and previous_heading and not changed and gap <= height * BLOCK_GAP:
                out[-1] = f"{out[-1]} {text}"
                continue
            paragraph_end = len(out[-1]) < full * SHORT_LINE and out[-1].rstrip(SUPERSCRIPT_DIGITS).endswith(ENDS)
            if heading or previous_heading or changed or gap > height * BLOCK_GAP or paragraph_end:
                out.append("")
        out.append(text)
        previous, previous_heading = line, heading
    notes = [t for t in texts[notes_at:] if t]
    if notes:
        out.extend([" ", *notes])
    return "\n".join(out)
