"""Typeset the bundled report (and small made-up sources) as realistic PDFs, for tests of the PDF reader.

The corpus only holds the report as a text export. Real users drop the published PDF into corpus/, so the
reader must recover from a PDF what the export gives: printed page numbers, clean text and structure. This
module writes such a PDF with reportlab from the project's own clean version of the export
(load -> repair -> structure), so a test can compare what ``rekenqa.load.load_pdf`` and the repair and
structure stages make of the PDF with what they make of the export.

What the report PDF contains (A4 portrait, 98 pages):

- four front pages labelled i-iv: cover, colophon and two contents pages listing the report's sections
  (parts, chapters and paragraphs) with dot leaders and their printed page numbers;
- one PDF page per export page, in order, labelled 3..96 (PDF page labels, checked with
  ``pypdf.PdfReader.page_labels``); every sentence stays on its own printed page (a page that is too full
  is set in a smaller size instead);
- a running header (:data:`HEADER_TEXT`, 8 pt) and the printed page label (footer, centred, 9 pt) on
  every page;
- body text from the structure blocks of each page: bold headings, paragraphs re-wrapped to the text width
  with line-end hyphenation of long words ("econo-" / "mische", to be joined by the reader), bullets with a
  hanging indent, table rows with every cell drawn at its own column position, italic captions, and
  footnotes at the page foot under a short rule;
- the artefacts of real PDFs: footnote markers as small raised ASCII digits glued to the word ("inwoners7"
  in extracted text), the ligatures of :data:`LIGATURES` as code points (U+FB01 "ﬁ", U+FB02 "ﬂ": the only
  ligature glyphs the bundled Bitstream Vera fonts have), a few non-breaking spaces before "procent"/"%" and
  a few soft hyphens (U+00AD) inside long words.

:func:`typeset_document` sets any small document given as pages of (kind, text) elements with the same
conventions, and :func:`demo_source` writes a deterministic made-up source (a statistics publication) that
tests can add to a corpus. Output is deterministic: reportlab runs with ``invariant=1`` and every "now and
then" choice is a counter or a seeded ``random.Random``, so the same input gives the same bytes.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import reportlab
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

if TYPE_CHECKING:
    from reportlab.pdfgen.textobject import PDFTextObject

    from rekenqa.types import Block, DocumentStructure

__all__ = [
    "ALL_LIGATURES",
    "HEADER_TEXT",
    "LIGATURES",
    "demo_source",
    "typeset_document",
    "typeset_report",
]

REPORT_TITLE = "Migratie in Haarlemmermeer"
REPORT_PUBLISHER = "Rekenkamer Haarlemmermeer"
REPORT_DATE = "september 2025"
HEADER_TEXT = f"{REPORT_PUBLISHER} · {REPORT_TITLE}"

# Typographic ligatures, longest first; only those the fonts have a glyph for are used (see LIGATURES).
ALL_LIGATURES: dict[str, str] = {"ffi": "\ufb03", "ffl": "\ufb04", "fi": "\ufb01", "fl": "\ufb02", "ff": "\ufb00"}

SUPERSCRIPT_DIGITS = "⁰¹²³⁴⁵⁶⁷⁸⁹"  # as in rekenqa.artefacts.markers
_FROM_SUPERSCRIPT = str.maketrans(SUPERSCRIPT_DIGITS, "0123456789")
_TO_SUPERSCRIPT = str.maketrans("0123456789", SUPERSCRIPT_DIGITS)
NBSP = "\u00a0"
SOFT_HYPHEN = "\u00ad"
# Characters the Vera fonts lack: drawn from the standard ZapfDingbats font (pypdf maps them back) ...
DINGBATS = frozenset("✔✓✗✘●■❖➢➤")
# ... or replaced by the nearest character Vera has.
_SUBSTITUTES = str.maketrans({"\u202f": NBSP, "\u2009": " ", "\u200b": ""})

# -- page geometry (points) ---------------------------------------------------------------------------

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN_X = 62.0
TEXT_WIDTH = PAGE_WIDTH - 2 * MARGIN_X
HEADER_Y = PAGE_HEIGHT - 36.0
BODY_TOP = PAGE_HEIGHT - 64.0  # top of the first body line box
BODY_BOTTOM = 56.0  # bottom of the last body or footnote line box
FOOTER_Y = 30.0
NOTE_GAP = 12.0  # between the body and the footnote rule, at scale 1
MIN_SCALE = 0.3

MARKER_SIZE = 0.6  # footnote marker size relative to its text (6 pt in 10 pt text)
MARKER_RISE = 0.35  # and its text rise (3.5 pt in 10 pt text)
MIN_HYPHEN_WORD = 10  # letters in a word before it may be split at a line end
MIN_HYPHEN_PART = 4  # letters on each side of the split
NBSP_EVERY = 2  # every second "<number> procent" / "<number> %" gets a non-breaking space
SOFT_HYPHEN_EVERY = 23  # every 23rd word of 13 letters or more gets a soft hyphen
SOFT_HYPHEN_WORD = 13
_LONG_WORD = re.compile(rf"[^\W\d_]{{{SOFT_HYPHEN_WORD},}}")
_SENTENCE_END = re.compile(rf"[.:;?!][)’”'\"]*[{SUPERSCRIPT_DIGITS}]*$")

# -- fonts --------------------------------------------------------------------------------------------

REGULAR, BOLD, ITALIC, BOLD_ITALIC = "RekenQA-Vera", "RekenQA-VeraBd", "RekenQA-VeraIt", "RekenQA-VeraBI"
_FONT_FILES = {REGULAR: "Vera.ttf", BOLD: "VeraBd.ttf", ITALIC: "VeraIt.ttf", BOLD_ITALIC: "VeraBI.ttf"}
DINGBAT_FONT = "ZapfDingbats"
_NBSP_STANDIN = 0xE0A0  # a private-use code point drawn with the space glyph, written as U+00A0


class _NbspTTFont(TTFont):
    """A TTFont that keeps U+00A0 in the PDF's ToUnicode map.

    reportlab maps a non-breaking space onto the plain space before encoding, so a reader would never see
    one. This font encodes it as a private-use stand-in with the space glyph and then writes U+00A0 as the
    stand-in's Unicode value, which is what ToUnicode and the font subset are built from.
    """

    def __init__(self, name: str, filename: str) -> None:
        super().__init__(name, filename)
        face = self.face
        if 0xA0 in face.charToGlyph:
            face.charToGlyph[_NBSP_STANDIN] = face.charToGlyph[0xA0]
            face.charWidths[_NBSP_STANDIN] = face.charWidths[0xA0]

    def splitString(self, text: str | bytes, doc: object, encoding: str = "utf-8") -> list[tuple[int, bytes]]:
        if isinstance(text, bytes):
            text = text.decode(encoding)
        if NBSP not in text or _NBSP_STANDIN not in self.face.charToGlyph:
            return super().splitString(text, doc, encoding)  # type: ignore[no-any-return]
        result = super().splitString(text.replace(NBSP, chr(_NBSP_STANDIN)), doc, encoding)
        state = self.state[doc]
        code = state.assignments.get(_NBSP_STANDIN)
        if code is not None:
            subset = state.subsets[code >> 8]
            if (code & 0xFF) < len(subset) and subset[code & 0xFF] == _NBSP_STANDIN:
                subset[code & 0xFF] = 0xA0
        return result  # type: ignore[no-any-return]


@cache
def _fonts() -> dict[str, TTFont]:
    """Register the four Bitstream Vera faces that ship with reportlab (once per process)."""
    folder = Path(reportlab.__file__).parent / "fonts"
    fonts: dict[str, TTFont] = {}
    for name, filename in _FONT_FILES.items():
        font = _NbspTTFont(name, str(folder / filename))
        pdfmetrics.registerFont(font)
        fonts[name] = font
    return fonts


@cache
def _has_glyph(font: str, char: str) -> bool:
    if font == DINGBAT_FONT:
        return char in DINGBATS
    return ord(char) in _fonts()[font].face.charToGlyph


def _covered_ligatures(font: str) -> dict[str, str]:
    return {plain: lig for plain, lig in ALL_LIGATURES.items() if _has_glyph(font, lig)}


# The replacements used: the ligatures that all four Vera faces have (fi and fl).
LIGATURES: dict[str, str] = {
    plain: lig
    for plain, lig in ALL_LIGATURES.items()
    if all(plain in _covered_ligatures(font) for font in _FONT_FILES)
}


@cache
def _ligature_pattern(font: str) -> re.Pattern[str] | None:
    covered = [plain for plain in _covered_ligatures(font) if plain in LIGATURES]
    return re.compile("|".join(covered)) if covered else None


# -- runs: pieces of text in one font, size and rise ----------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Run:
    text: str
    font: str
    size: float
    rise: float = 0.0


# A run at unit size: (text, font, size factor, rise factor); sizes are multiplied out at layout time.
_UnitRun = tuple[str, str, float, float]


@lru_cache(maxsize=200_000)
def _unit_runs(word: str, font: str, ligatures: bool) -> tuple[tuple[_UnitRun, ...], float]:
    """The runs of one word (or cell) and its width at 1 pt.

    Superscript digits become small raised ASCII digits in the regular face (footnote markers), characters
    Vera lacks come from ZapfDingbats, and covered ligatures replace their letters.
    """
    runs: list[_UnitRun] = []
    for piece in re.split(f"([{SUPERSCRIPT_DIGITS}]+)", word):
        if not piece:
            continue
        if piece[0] in SUPERSCRIPT_DIGITS:
            runs.append((piece.translate(_FROM_SUPERSCRIPT), REGULAR, MARKER_SIZE, MARKER_RISE))
            continue
        for text, run_font in _split_fonts(piece, font):
            if ligatures and run_font != DINGBAT_FONT and (pattern := _ligature_pattern(run_font)):
                text = pattern.sub(lambda m: ALL_LIGATURES[m.group(0)], text)
            runs.append((text, run_font, 1.0, 0.0))
    width = sum(pdfmetrics.stringWidth(text, f, 1.0) * size for text, f, size, _ in runs)
    return tuple(runs), width


def _split_fonts(text: str, font: str) -> list[tuple[str, str]]:
    """Split ``text`` into (text, font) pieces: dingbats in ZapfDingbats, the rest in ``font``."""
    pieces: list[tuple[str, str]] = []
    for char in text:
        run_font = DINGBAT_FONT if char in DINGBATS and not _has_glyph(font, char) else font
        if pieces and pieces[-1][1] == run_font:
            pieces[-1] = (pieces[-1][0] + char, run_font)
        else:
            pieces.append((char, run_font))
    return pieces


class _Measure:
    """Widths and runs of words in one font and size."""

    def __init__(self, font: str, size: float, ligatures: bool) -> None:
        self.font, self.size, self.ligatures = font, size, ligatures
        self.space = pdfmetrics.stringWidth(" ", font, size)

    def width(self, word: str) -> float:
        return _unit_runs(word, self.font, self.ligatures)[1] * self.size

    def runs(self, words: Sequence[str]) -> tuple[_Run, ...]:
        """The runs of words set on one line, separated by spaces."""
        runs: list[_Run] = []
        for k, word in enumerate(words):
            if k:
                runs.append(_Run(" ", self.font, self.size))
            for text, font, size, rise in _unit_runs(word, self.font, self.ligatures)[0]:
                runs.append(_Run(text, font, self.size * size, self.size * rise))
        return tuple(runs)


# -- line breaking and hyphenation -------------------------------------------------------------------

_VOWELS = frozenset("aeiouyàáâäèéêëìíîïòóôöùúûü")
_DIGRAPHS = frozenset({"ch", "sj", "th", "ph", "qu"})  # one consonant sound: never split inside
# Consonant pairs that can start a Dutch syllable: "migratie-groepen", "ver-schil" not "migratieg-roepen".
_ONSETS = frozenset({"bl", "br", "dr", "fl", "fr", "gl", "gr", "kl", "kn", "kr", "pl", "pr", "sc", "sl",
                     "sm", "sn", "sp", "st", "tr", "vl", "vr", "wr", "zw"})
_HYPHENABLE = re.compile(r"^([(‘“]?)([^\W\d_]+)([.,;:!?)’”]*)$")


def _break_points(letters: str) -> list[int]:
    """Dutch-looking split positions in a word: eco|no|mie, ver|schil, migratie|groepen, lan|de|lijk."""
    low = letters.lower()
    points: set[int] = set()
    for k in range(1, len(low) - 1):
        before, at, after = low[k - 1], low[k], low[k + 1]
        if before not in _VOWELS or at in _VOWELS:
            continue
        if after in _VOWELS or (low[k : k + 2] in _DIGRAPHS and low[k + 2 : k + 3] in _VOWELS):
            points.add(k)  # V|CV and V|chV
        elif k + 2 < len(low) and low[k + 2] in _VOWELS:  # VCCV
            points.add(k if low[k : k + 2] in _ONSETS else k + 1)
    return sorted(p for p in points if MIN_HYPHEN_PART <= p <= len(low) - MIN_HYPHEN_PART)


def _hyphen_split(word: str, room: float, measure: _Measure) -> tuple[str, str] | None:
    """Split a long word so that "left-" fits in ``room``; None when it cannot be split there."""
    match = _HYPHENABLE.match(word)
    if not match or len(match.group(2)) < MIN_HYPHEN_WORD:
        return None
    prefix, letters, suffix = match.groups()
    for k in reversed(_break_points(letters)):
        left = prefix + letters[:k] + "-"
        if measure.width(left) <= room:
            return left, letters[k:] + suffix
    return None


def _wrap(words: Sequence[str], measure: _Measure, width: float, first_indent: float = 0.0,
          indent: float = 0.0, hyphenate: bool = True) -> list[tuple[float, list[str]]]:
    """Break words into lines of at most ``width``: (indent, words) per line.

    A long word that does not fit is hyphenated when it can be; a word longer than a whole line (a URL) is
    broken between characters.
    """
    lines: list[tuple[float, list[str]]] = []
    current: list[str] = []
    used, x = 0.0, first_indent
    for word in words:
        w = measure.width(word)
        need = used + measure.space + w if current else w
        if need <= width - x:
            current.append(word)
            used = need
            continue
        room = width - x - (used + measure.space if current else 0.0)
        if w > width - indent and current and measure.width(word[:4]) <= room:
            k = _longest_fitting_prefix(word, measure, room)  # a URL longer than a line starts right here
            current.append(word[:k])
            word = word[k:]
        elif hyphenate:
            split = _hyphen_split(word, room, measure)
            if split is not None:
                current.append(split[0])
                word = split[1]
        if current:
            lines.append((x, current))
        current, used, x = [], 0.0, indent
        while measure.width(word) > width - x and len(word) > 1:
            k = _longest_fitting_prefix(word, measure, width - x)
            lines.append((x, [word[:k]]))
            word = word[k:]
        current, used = [word], measure.width(word)
    if current:
        lines.append((x, current))
    return lines


def _longest_fitting_prefix(word: str, measure: _Measure, room: float) -> int:
    k = len(word) - 1
    while k > 1 and measure.width(word[:k]) > room:
        k -= 1
    return k


def _words(text: str) -> list[str]:
    """Words separated by plain spaces (a non-breaking space keeps "11,4 procent" together)."""
    return [w for w in re.split(r"[ \t\n]+", text) if w]


# -- elements and lines -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Element:
    """One thing set on a page; ``text`` may hold hard line breaks ("\\n")."""

    kind: str  # title | heading | paragraph | bullet | caption | table | footnote
    text: str = ""
    level: int = 1
    rows: tuple[tuple[str, ...], ...] = ()
    number: str = ""  # footnote number, when ``text`` starts with it
    columns: tuple[tuple[str, ...], ...] = ()  # all rows of a table that runs over pages: fixes column x


@dataclass(frozen=True, slots=True)
class _Line:
    height: float
    space_before: float
    segments: tuple[tuple[float, tuple[_Run, ...]], ...]  # (x offset from the margin, runs)


@dataclass(frozen=True, slots=True)
class _Style:
    font: str
    size: float
    leading: float
    space_before: float


_STYLES = {
    "title": _Style(BOLD, 15.0, 18.5, 12.0),
    "heading1": _Style(BOLD, 14.0, 17.0, 10.0),
    "heading2": _Style(BOLD, 12.0, 15.0, 8.0),
    "heading3": _Style(BOLD, 10.5, 13.0, 6.0),
    "paragraph": _Style(REGULAR, 10.0, 12.4, 5.0),
    "bullet": _Style(REGULAR, 10.0, 12.4, 2.5),
    "caption": _Style(ITALIC, 9.0, 11.2, 5.0),
    "table": _Style(REGULAR, 9.0, 11.2, 3.0),
    "footnote": _Style(REGULAR, 8.0, 9.6, 0.0),
}
_BULLET = re.compile(r"^(•|●|-|–|\*|\d{1,2}[.)]|[a-z][.)])\s+")
BULLET_INDENT = 14.0
TABLE_GAP = 10.0


def _style(element: _Element) -> _Style:
    if element.kind == "heading":
        return _STYLES[f"heading{min(max(element.level, 1), 3)}"]
    return _STYLES[element.kind]


def _layout(elements: Sequence[_Element], scale: float, ligatures: bool) -> list[_Line]:
    lines: list[_Line] = []
    for element in elements:
        style = _style(element)
        measure = _Measure(style.font, style.size * scale, ligatures)
        leading, before = style.leading * scale, style.space_before * scale
        if element.kind == "table":
            placed = _table_lines(element.rows, element.columns or element.rows, style, scale, ligatures)
        elif element.kind == "bullet":
            placed = _bullet_lines(element.text, measure)
        else:
            placed = _text_lines(element, measure)
        for k, segments in enumerate(placed):
            lines.append(_Line(leading, before if k == 0 else 0.0, segments))
    return lines


_Segments = tuple[tuple[float, tuple[_Run, ...]], ...]


def _text_lines(element: _Element, measure: _Measure) -> list[_Segments]:
    """Lines of a heading, paragraph, caption or footnote; each hard line break starts a new line."""
    hyphenate = element.kind in ("paragraph", "footnote")
    indent = measure.width(element.number) + measure.space if element.number else 0.0
    out: list[_Segments] = []
    for k, part in enumerate(element.text.split("\n")):
        words = _words(part)
        if not words:
            continue
        first = 0.0 if k == 0 else indent
        for x, line in _wrap(words, measure, TEXT_WIDTH, first, indent, hyphenate):
            out.append(((x, measure.runs(line)),))
    return out


def _bullet_lines(text: str, measure: _Measure) -> list[_Segments]:
    """A list item: its marker, then the text with a hanging indent."""
    match = _BULLET.match(text)
    marker, body = (match.group(1), text[match.end():]) if match else ("", text)
    indent = max(BULLET_INDENT * measure.size / 10.0, measure.width(marker) + measure.space)
    lines = _wrap(_words(body), measure, TEXT_WIDTH, indent, indent)
    out: list[_Segments] = []
    for k, (x, words) in enumerate(lines):
        segment = (x, measure.runs(words))
        marker_runs = (*measure.runs([marker]), _Run(" ", measure.font, measure.size))
        out.append(((0.0, marker_runs), segment) if k == 0 and marker else (segment,))
    return out


def _table_lines(rows: Sequence[Sequence[str]], all_rows: Sequence[Sequence[str]], style: _Style, scale: float,
                 ligatures: bool) -> list[_Segments]:
    """Table rows: each cell drawn at its column's x; the size shrinks until the widest row fits.

    Column widths come from ``all_rows`` (the whole table), so a table keeps its columns across pages.
    """
    columns = max((len(row) for row in all_rows), default=0)
    if not columns:
        return []
    natural = [0.0] * columns
    for row in all_rows:
        for j, cell in enumerate(row):
            natural[j] = max(natural[j], _Measure(style.font, 1.0, ligatures).width(" ".join(_words(cell))))
    gap = TABLE_GAP * scale
    fit = (TEXT_WIDTH - gap * (columns - 1)) / max(sum(natural), 1.0)
    size = max(min(style.size * scale, fit), 4.0)
    measure = _Measure(style.font, size, ligatures)
    xs = [sum(natural[:j]) * size + gap * j for j in range(columns)]
    out: list[_Segments] = []
    for row in rows:
        segments = tuple((xs[j], measure.runs(_words(cell))) for j, cell in enumerate(row) if cell.strip())
        if segments:
            out.append(segments)
    return out


def _height(lines: Sequence[_Line], first: bool = True) -> float:
    return sum(line.height + (0.0 if first and k == 0 else line.space_before) for k, line in enumerate(lines))


# -- the typesetter ---------------------------------------------------------------------------------


class _Typesetter:
    """Draws pages on one reportlab canvas and keeps the counters of the "now and then" artefacts."""

    def __init__(self, out: Path, *, title: str, author: str, ligatures: bool) -> None:
        _fonts()
        self.out = out
        self.ligatures = ligatures
        self.canvas = Canvas(str(out), pagesize=A4, invariant=1, pageCompression=1)
        self.canvas.setTitle(title)
        self.canvas.setAuthor(author)
        self.canvas.setCreator("rekenqa tests/report_pdf.py (reportlab)")
        self.pages = 0
        self.scales: list[float] = []  # the scale each text page was set at (1.0: the normal sizes)
        self._nbsp_seen = 0
        self._long_words = 0

    # artefacts of real PDFs ------------------------------------------------------------------------

    def prepare(self, element: _Element) -> _Element:
        """Substitute characters Vera lacks; add non-breaking spaces and soft hyphens to running text."""
        text = element.text.translate(_SUBSTITUTES)
        if element.kind in ("paragraph", "bullet", "footnote"):
            text = re.sub(r"(\d) (procent\b|%)", self._nbsp, text)
            text = _LONG_WORD.sub(self._soft_hyphen, text)
        rows = tuple(tuple(cell.translate(_SUBSTITUTES) for cell in row) for row in element.rows)
        columns = tuple(tuple(cell.translate(_SUBSTITUTES) for cell in row) for row in element.columns)
        return _Element(element.kind, text, element.level, rows, element.number, columns)

    def _nbsp(self, match: re.Match[str]) -> str:
        self._nbsp_seen += 1
        space = NBSP if self._nbsp_seen % NBSP_EVERY == 0 else " "
        return f"{match.group(1)}{space}{match.group(2)}"

    def _soft_hyphen(self, match: re.Match[str]) -> str:
        word = match.group(0)
        self._long_words += 1
        points = _break_points(word)
        if self._long_words % SOFT_HYPHEN_EVERY or not points:
            return word
        k = min(points, key=lambda p: abs(p - len(word) / 2))
        return word[:k] + SOFT_HYPHEN + word[k:]

    # pages ------------------------------------------------------------------------------------------

    def text_page(self, header: str, label: str, body: Sequence[_Element], notes: Sequence[_Element]) -> None:
        """A page of running text: the body from the top, footnotes at the foot; shrunk until it fits."""
        body = [self.prepare(e) for e in body]
        notes = [self.prepare(e) for e in notes]
        scale = 1.0
        while True:
            body_lines = _layout(body, scale, self.ligatures)
            note_lines = _layout(notes, scale, self.ligatures)
            notes_height = _height(note_lines) + NOTE_GAP * scale if note_lines else 0.0
            if _height(body_lines) + notes_height <= BODY_TOP - BODY_BOTTOM or scale <= MIN_SCALE:
                break
            scale = round(scale - 0.04, 2)
        self.scales.append(scale)
        self._begin(header)
        text = self.canvas.beginText(MARGIN_X, BODY_TOP)
        _draw_lines(text, body_lines, BODY_TOP)
        if note_lines:
            top = BODY_BOTTOM + _height(note_lines)
            _draw_lines(text, note_lines, top)
        self.canvas.drawText(text)
        if note_lines:
            rule_y = BODY_BOTTOM + _height(note_lines) + 4.0 * scale
            self.canvas.setLineWidth(0.5)
            self.canvas.line(MARGIN_X, rule_y, MARGIN_X + 120.0, rule_y)
        self._end(label)

    def free_page(self, header: str, label: str, lines: Iterable[tuple[float, float, str, str, float]]) -> None:
        """A page of single lines at fixed places: (x, y, text, font, size); x < 0 right-aligns at -x."""
        self._begin(header)
        for x, y, text, font, size in lines:
            runs = _Measure(font, size, self.ligatures).runs(_words(text))
            width = sum(pdfmetrics.stringWidth(r.text, r.font, r.size) for r in runs)
            obj = self.canvas.beginText(-x - width if x < 0 else x, y)
            _draw_runs(obj, runs)
            self.canvas.drawText(obj)
        self._end(label)

    def _begin(self, header: str) -> None:
        canvas = self.canvas
        canvas.setFont(REGULAR, 8)
        canvas.drawString(MARGIN_X, HEADER_Y, header)
        canvas.setLineWidth(0.3)
        canvas.line(MARGIN_X, HEADER_Y - 4.0, PAGE_WIDTH - MARGIN_X, HEADER_Y - 4.0)

    def _end(self, label: str) -> None:
        self.canvas.setFont(REGULAR, 9)
        self.canvas.drawCentredString(PAGE_WIDTH / 2, FOOTER_Y, label)
        self.canvas.showPage()
        self.pages += 1

    def save(self, front_pages: int, first_number: int) -> Path:
        """Write the file with page labels: roman i.. for the front pages, then decimals from ``first_number``."""
        if front_pages:
            self.canvas.addPageLabel(0, "ROMAN_LOWER", 1)
        if self.pages > front_pages:
            self.canvas.addPageLabel(front_pages, "ARABIC", first_number)
        self.canvas.save()
        return self.out


def _draw_lines(text: PDFTextObject, lines: Sequence[_Line], top: float) -> None:
    """Draw lines downwards from ``top``; each line's baseline sits a fifth of its height above its bottom."""
    y = top
    for k, line in enumerate(lines):
        y -= line.height + (line.space_before if k else 0.0)
        baseline = y + 0.2 * line.height
        for x, runs in line.segments:
            text.setTextOrigin(MARGIN_X + x, baseline)
            _draw_runs(text, runs)


def _draw_runs(text: PDFTextObject, runs: Iterable[_Run]) -> None:
    font: tuple[str, float] | None = None
    rise = 0.0
    for run in runs:
        if (run.font, run.size) != font:
            text.setFont(run.font, run.size)
            font = (run.font, run.size)
        if run.rise != rise:
            text.setRise(run.rise)
            rise = run.rise
        text.textOut(run.text)
    if rise:
        text.setRise(0)


# -- the report -------------------------------------------------------------------------------------


def typeset_report(corpus_dir: Path, out: Path, *, ligatures: bool = True) -> Path:
    """Typeset the report in ``corpus_dir`` (its text export) as a PDF at ``out``; returns ``out``.

    Pages: i-iv front matter (cover, colophon, contents), then one page per export page labelled 3..96.
    """
    doc = _report_structure(corpus_dir)
    setter = _Typesetter(out, title=REPORT_TITLE, author=REPORT_PUBLISHER, ligatures=ligatures)
    setter.free_page(HEADER_TEXT, "i", _cover_lines())
    setter.free_page(HEADER_TEXT, "ii", _colophon_lines())
    entries = _contents_entries(doc)
    half = (len(entries) + 1) // 2
    setter.free_page(HEADER_TEXT, "iii", _contents_lines(entries[:half], heading=True))
    setter.free_page(HEADER_TEXT, "iv", _contents_lines(entries[half:], heading=False))
    by_page = _report_elements(doc)
    for page in doc.pages:
        body, notes = by_page.get(page.number, ([], []))
        setter.text_page(HEADER_TEXT, str(page.number), body, notes)
    return setter.save(front_pages=4, first_number=doc.pages[0].number)


def _report_structure(corpus_dir: Path) -> DocumentStructure:
    """The report's structure as the project finds it in the export (load, repair, analyse)."""
    from rekenqa import load, repair, structure

    entry = next(e for e in load.discover(corpus_dir) if e.info.kind == "report")
    pages = load.load_document(entry)
    fixed = repair.repair_pages(pages, repair.build_vocabulary(pages))
    return structure.analyze(fixed)


_FreeLines = list[tuple[float, float, str, str, float]]


def _cover_lines() -> _FreeLines:
    return [
        (MARGIN_X, 560.0, REPORT_TITLE, BOLD, 26.0),
        (MARGIN_X, 522.0, REPORT_PUBLISHER, REGULAR, 15.0),
        (MARGIN_X, 500.0, REPORT_DATE, REGULAR, 12.0),
    ]


def _colophon_lines() -> _FreeLines:
    texts = [
        ("Colofon", BOLD, 11.0),
        (REPORT_TITLE, REGULAR, 9.0),
        (f"Rapport van de {REPORT_PUBLISHER}, {REPORT_DATE}", REGULAR, 9.0),
        ("Onderzoek door BBSO, Nijmegen, in opdracht van de rekenkamer", REGULAR, 9.0),
        ("Deel 1: inventarisatie migratie en beleid; deel 2: verdiepingsstudie asiel en werk", REGULAR, 9.0),
        ("Bronnen van de cijfers: CBS, COA, gemeente Haarlemmermeer", REGULAR, 9.0),
    ]
    return [(MARGIN_X, 250.0 - 14.0 * k, text, font, size) for k, (text, font, size) in enumerate(texts)]


def _contents_entries(doc: DocumentStructure) -> list[tuple[int, str, int]]:
    """(level, "number title", page) of the parts, chapters and paragraphs, in order."""
    entries = []
    for section in doc.sections:
        if section.level <= 2:
            label = f"{section.number} {section.title}" if section.number else section.title
            entries.append((section.level, label, section.page))
    return entries


def _contents_lines(entries: Sequence[tuple[int, str, int]], *, heading: bool) -> _FreeLines:
    """Contents lines with dot leaders: the title, a run of dots, and the page number right-aligned."""
    lines: _FreeLines = []
    y = BODY_TOP - 20.0
    if heading:
        lines.append((MARGIN_X, y, "Inhoudsopgave", BOLD, 14.0))
        y -= 28.0
    right = PAGE_WIDTH - MARGIN_X
    dot = pdfmetrics.stringWidth(". ", REGULAR, 10.0)
    for level, label, page in entries:
        font = BOLD if level == 0 else REGULAR
        if level <= 1 and lines:
            y -= 5.0
        x = MARGIN_X + (18.0 if level == 2 else 0.0)
        lines.append((x, y, label, font, 10.0))
        title_end = x + pdfmetrics.stringWidth(label, font, 10.0) + 6.0
        number_start = right - pdfmetrics.stringWidth(str(page), REGULAR, 10.0) - 6.0
        dots = int((number_start - title_end) / dot)
        if dots > 2:
            lines.append((number_start - dots * dot, y, ". " * dots, REGULAR, 10.0))
        lines.append((-right, y, str(page), REGULAR, 10.0))
        y -= 15.0
    return lines


def _report_elements(doc: DocumentStructure) -> dict[int, tuple[list[_Element], list[_Element]]]:
    """Per printed page: the body elements and the footnote elements, from the structure blocks."""
    headings = [b for b in doc.blocks if b.kind == "heading"]
    levels = {(b.page, b.start): s.level for b, s in zip(headings, doc.sections, strict=False)}
    table_rows = _table_rows_by_page(doc)
    done_tables: set[tuple[str, int]] = set()
    pages: dict[int, tuple[list[_Element], list[_Element]]] = {}
    for block in doc.blocks:
        body, notes = pages.setdefault(block.page, ([], []))
        if block.kind == "footnote":
            notes.append(_footnote_element(block))
        elif block.kind == "heading":
            level = levels.get((block.page, block.start), 3)
            body.extend(_Element("heading", line, level) for line in _lines(block.text))
        elif block.kind == "body":
            body.append(_Element("paragraph", "\n".join(_hard_lines(block.text, typical=95))))
        elif block.kind in ("bullet", "caption"):
            body.append(_Element(block.kind, " ".join(_lines(block.text))))
        elif block.kind == "table":
            body.extend(_table_elements(doc, block, table_rows, done_tables))
    return pages


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.split("\n") if line.strip()]


def _hard_lines(text: str, typical: int) -> list[str]:
    """Join a block's lines into its paragraphs: a clearly short line that ends a sentence ends one.

    A list item inside a footnote ("- De B1-route.") starts its own line too.
    """
    lines = _lines(text)
    width = max([typical, *(len(line) for line in lines)])
    parts: list[str] = []
    for k, line in enumerate(lines):
        previous = lines[k - 1] if k else ""
        ends = bool(_SENTENCE_END.search(previous))
        if k == 0 or (ends and len(previous) < 0.8 * width) or _BULLET.match(line):
            parts.append(line)
        else:
            parts[-1] += " " + line
    return parts


def _footnote_element(block: Block) -> _Element:
    number = block.label if block.label and re.match(rf"{re.escape(block.label)}\s", block.text) else ""
    return _Element("footnote", "\n".join(_hard_lines(block.text, typical=115)), number=number)


def _table_of(doc: DocumentStructure, block: Block) -> int | None:
    """Index of the table that a table block belongs to."""
    for k, table in enumerate(doc.tables):
        if block.label and block.label == table.label:
            return k
    for k, table in enumerate(doc.tables):
        if not block.label and table.page < block.page <= max(table.last_page, table.page):
            return k
    return None


def _table_elements(doc: DocumentStructure, block: Block, table_rows: dict[tuple[int, int], list[tuple[str, ...]]],
                    done: set[tuple[str, int]]) -> list[_Element]:
    """Caption (on the table's first page) and the rows of a table that fall on the block's page."""
    k = _table_of(doc, block)
    if k is None:  # not a table the structure kept: set its lines as they are
        return [_Element("paragraph", "\n".join(_lines(block.text)))]
    table = doc.tables[k]
    if (table.label, block.page) in done:
        return []
    done.add((table.label, block.page))
    elements = []
    if block.page == table.page:
        elements.append(_Element("caption", table.caption))
    rows = table_rows.get((k, block.page), [])
    if rows:
        elements.append(_Element("table", rows=tuple(rows), columns=table.rows))
    return elements


def _table_rows_by_page(doc: DocumentStructure) -> dict[tuple[int, int], list[tuple[str, ...]]]:
    """The rows of each table per page, for tables that run over pages.

    A row goes to the first page whose table block shows its label; when its values only appear on a later
    page (the export broke the table inside the row) the values go there, as a row without a label.
    """
    out: dict[tuple[int, int], list[tuple[str, ...]]] = {}
    for k, table in enumerate(doc.tables):
        last = max(table.last_page, table.page)
        texts = {
            p: " ".join(" ".join(b.text.split()) for b in doc.blocks if b.kind == "table" and b.page == p)
            for p in range(table.page, last + 1)
        }
        page = table.page
        for n, row in enumerate(table.rows):
            label = " ".join(row[0].split()) if row else ""
            if n and label:
                page = next((p for p in range(page, last + 1) if label in texts[p]), page)
            values = " ".join(" ".join(cell.split()) for cell in row[1:])
            later = next((p for p in range(page + 1, last + 1) if values and values in texts[p]), None)
            if n and label and later is not None and values not in texts[page].split(label, 1)[-1]:
                out.setdefault((k, page), []).append((row[0],))
                out.setdefault((k, later), []).append(("", *row[1:]))
                page = later
            else:
                out.setdefault((k, page), []).append(row)
    return out


# -- other documents ----------------------------------------------------------------------------------

ElementKinds = ("title", "heading", "paragraph", "bullet", "caption", "table", "footnote")


def typeset_document(out: Path, title: str, pages: list[list[tuple[str, str]]], *, header: str,
                     front_pages: int = 0, ligatures: bool = True, author: str = "") -> Path:
    """Typeset a small document: one PDF page per item of ``pages``; returns ``out``.

    Each page is a list of (kind, text): "title" (a large bold line), "heading" ("2.1 ..." is set smaller
    than "2 ..."), "paragraph" (a "\\n" is a hard line break), "bullet" ("• " is added when the text has
    no list marker), "caption", "table" (one row, cells separated by tabs; consecutive rows form one table)
    and "footnote" ("N text", set at the page foot). Footnote markers in the text are Unicode superscript
    digits. The first ``front_pages`` pages are labelled i, ii, ...; the others 1, 2, ...
    """
    setter = _Typesetter(out, title=title, author=author, ligatures=ligatures)
    for index, items in enumerate(pages):
        label = _roman(index + 1) if index < front_pages else str(index - front_pages + 1)
        body, notes = _document_elements(items)
        setter.text_page(header, label, body, notes)
    return setter.save(front_pages=min(front_pages, len(pages)), first_number=1)


def _document_elements(items: Sequence[tuple[str, str]]) -> tuple[list[_Element], list[_Element]]:
    body: list[_Element] = []
    notes: list[_Element] = []
    rows: list[tuple[str, ...]] = []
    for kind, text in [*items, ("", "")]:
        if kind != "table" and rows:
            body.append(_Element("table", rows=tuple(rows)))
            rows = []
        if kind == "table":
            rows.append(tuple(text.split("\t")))
        elif kind == "footnote":
            match = re.match(r"(\d{1,3})\s", text)
            notes.append(_Element("footnote", text, number=match.group(1) if match else ""))
        elif kind == "heading":
            level = 2 if re.match(r"\d+\.\d+", text) else 1
            body.append(_Element("heading", text, level))
        elif kind == "bullet":
            body.append(_Element("bullet", text if _BULLET.match(text) else f"• {text}"))
        elif kind in ("title", "paragraph", "caption"):
            body.append(_Element(kind, text))
        elif kind:
            raise ValueError(f"unknown element kind {kind!r}; expected one of {', '.join(ElementKinds)}")
    return body, notes


def _roman(n: int) -> str:
    numerals = [(1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"),
                (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")]
    out = ""
    for value, numeral in numerals:
        while n >= value:
            out += numeral
            n -= value
    return out


# -- a made-up source ---------------------------------------------------------------------------------

_CHAPTERS = (
    "Inleiding",
    "Definities en bronnen",
    "Immigratie en emigratie",
    "Migratiemotieven",
    "Regionale verschillen",
    "Arbeidsmigratie en de arbeidsmarkt",
    "Asiel en opvang",
    "Conclusies",
)
_SUBHEADINGS = (
    "Ontwikkeling sinds {prev}",
    "Verschillen tussen gemeenten",
    "Leeftijd en geslacht",
    "Financiële gevolgen voor gemeenten",
    "Kanttekeningen bij de cijfers",
    "Vergelijking met andere landen",
)
_PLACES = ("Nederland", "Noord-Holland", "Haarlemmermeer", "Amsterdam", "de Randstad", "Utrecht", "Rotterdam")
_GROUPS = ("arbeidsmigranten", "asielmigranten", "gezinsmigranten", "studiemigranten", "statushouders",
           "kennismigranten")
_SENTENCES = (
    "In {year} vestigden zich {n1} {group} in {place}, {pct} procent meer dan in {prev}.",
    "Volgens de officiële definitie van {publisher} is een migrant iemand die zich na een verblijf in het "
    "buitenland in een Nederlandse gemeente inschrijft.",
    "Het aandeel {group} in de bevolking van {place} steeg tussen {prev} en {year} van {pct2} naar {pct} procent.",
    "De fluctuaties per kwartaal zijn groot, zodat jaarcijfers een betrouwbaarder beeld geven dan "
    "kwartaalcijfers.",
    "Ongeveer {pct}% van de {group} woonde na vijf jaar nog in dezelfde gemeente.",
    "Het saldo van immigratie en emigratie kwam in {year} uit op {n2} personen.",
    "De specifieke samenstelling van de groep {group} verschilt sterk per regio.",
    "Uit de registratie blijkt dat {n3} personen zich in {year} hebben uitgeschreven uit de Basisregistratie "
    "Personen.",
    "De invloed van flexibele arbeidscontracten op het vestigingsgedrag is moeilijk te meten.",
    "In {place} is het profiel van de {group} jonger dan gemiddeld: de helft is jonger dan {age} jaar.",
    "Een deel van de {group} staat niet ingeschreven, waardoor de cijfers een ondergrens zijn.",
    "Het effect van nieuwe regelgeving op de omvang van de instroom is pas na enkele jaren zichtbaar.",
    "Gemeenten ontvangen voor de opvang een financiële vergoeding per bezet bed van {euro} euro per dag.",
    "De cijfers over {year} zijn voorlopig en worden in het najaar van {next} definitief vastgesteld.",
    "In vergelijking met {prev} is de gemiddelde verblijfsduur met {pct2} procent toegenomen.",
    "Conflicten en onveiligheid in de landen van herkomst blijven de belangrijkste reden voor asielmigratie.",
    "Bij {group} gaat het in {pct} procent van de gevallen om een efficiënte overgang naar betaald werk.",
    "De grafiek laat zien dat de instroom sinds {prev} vrijwel elk jaar is gegroeid.",
)
_BULLET_SENTENCES = (
    "de inschrijving in de Basisregistratie Personen (BRP);",
    "de registratie van niet-ingezetenen (RNI), voor een verblijf korter dan vier maanden;",
    "de gegevens van het COA over de bezetting van opvanglocaties;",
    "de verblijfsvergunningen die de IND afgeeft, naar verblijfsdoel;",
    "de polisadministratie van het UWV, voor werkenden en hun contracten.",
)
_NOTES = (
    "Zie de toelichting op de definities in bijlage 1 van deze publicatie.",
    "Voorlopige cijfers; de definitieve cijfers verschijnen in {next}.",
    "Bron: {publisher}, bewerking van gegevens uit de Basisregistratie Personen, {year}.",
    "Exclusief personen die zich korter dan vier maanden in Nederland vestigen.",
    "De indeling naar migratiemotief volgt het eerste verblijfsdoel bij binnenkomst.",
)


def demo_source(out: Path, *, title: str, publisher: str, year: int, n_pages: int = 20, seed: int = 0) -> Path:
    """Write a deterministic made-up source of ``n_pages`` pages (labels 1..n) about migration statistics.

    Chapters with numbered headings, paragraphs of plausible Dutch sentences with the publisher's own
    (random but seeded) numbers, a few bullet lists and footnotes with superscript markers. The running
    header is "<publisher> · <title>"; page 1 opens with the title and "<publisher>, <year>".
    """
    rng = random.Random(seed)
    pages = _demo_pages(rng, title=title, publisher=publisher, year=year, n_pages=n_pages)
    return typeset_document(out, title, pages, header=f"{publisher} · {title}", author=publisher)


def _demo_pages(rng: random.Random, *, title: str, publisher: str, year: int,
                n_pages: int) -> list[list[tuple[str, str]]]:
    chapters = _CHAPTERS if n_pages >= len(_CHAPTERS) else _CHAPTERS[: max(n_pages, 1)]
    starts = {round(k * n_pages / len(chapters)): k for k in range(len(chapters))}
    pages: list[list[tuple[str, str]]] = []
    note = 0
    chapter, sub = 0, 0
    for index in range(n_pages):
        items: list[tuple[str, str]] = []
        if index == 0:
            items += [("title", title), ("paragraph", f"{publisher}, {year}")]
        if index in starts:
            chapter, sub = starts[index] + 1, 0
            items.append(("heading", f"{chapter} {chapters[chapter - 1]}"))
        elif rng.random() < 0.4:
            sub += 1
            sub_title = rng.choice(_SUBHEADINGS).format(prev=year - 5)
            items.append(("heading", f"{chapter}.{sub} {sub_title}"))
        notes: list[tuple[str, str]] = []
        templates = rng.sample(_SENTENCES, len(_SENTENCES))  # no sentence twice on a page
        for p in range(3):
            count = rng.randint(4, 6)
            chosen, templates = templates[:count], templates[count:]
            text = " ".join(_demo_sentence(rng, template, publisher, year) for template in chosen)
            if rng.random() < 0.35:
                note += 1
                text = _with_marker(text, note)
                note_text = rng.choice(_NOTES).format(publisher=publisher, year=year, next=year + 1)
                notes.append(("footnote", f"{note} {note_text}"))
            items.append(("paragraph", text))
            if p == 1 and rng.random() < 0.3:
                items.append(("paragraph", "De cijfers in deze publicatie zijn gebaseerd op:"))
                items += [("bullet", b) for b in rng.sample(_BULLET_SENTENCES, 3)]
        pages.append(items + notes)
    return pages


def _demo_sentence(rng: random.Random, template: str, publisher: str, year: int) -> str:
    return template.format(
        year=year - 1,
        prev=year - 1 - rng.randint(2, 9),
        next=year,
        publisher=publisher,
        group=rng.choice(_GROUPS),
        place=rng.choice(_PLACES),
        n1=_dutch_int(rng.randint(800, 95_000)),
        n2=_dutch_int(rng.randint(10_000, 250_000)),
        n3=_dutch_int(rng.randint(1_000, 60_000)),
        pct=_dutch_decimal(rng.uniform(1.0, 40.0)),
        pct2=_dutch_decimal(rng.uniform(0.5, 15.0)),
        age=rng.randint(24, 38),
        euro=rng.randint(45, 140),
    )


def _with_marker(text: str, number: int) -> str:
    """Put footnote marker ``number`` (superscript) after the first sentence of ``text``."""
    end = text.find(". ")
    end = len(text) - 1 if end < 0 else end
    return text[:end] + text[end] + str(number).translate(_TO_SUPERSCRIPT) + text[end + 1:]


def _dutch_int(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def _dutch_decimal(x: float) -> str:
    return f"{x:.1f}".replace(".", ",")
