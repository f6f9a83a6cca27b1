"""Lines of a page and the tests that classify them (heading, caption, table row, prose, bullet)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from rekenqa.artefacts.markers import SUPERSCRIPT_DIGITS

PART = re.compile(r"^DEEL (\d+)$")
CHAPTER = re.compile(r"^(\d{1,2}) ([A-ZÀ-Ý].*)$")
PARAGRAPH = re.compile(r"^(\d{1,2}\.\d{1,2}) (\S.*)$")
APPENDIX = re.compile(r"^(Bijlage \d+) (\S.*)$")
CAPTION = re.compile(r"^(Grafiek|Tabel|Figuur) (\d+)\b")
UNLABELED_CAPTION = re.compile(r"^Stroomschema\b|\((?:in )?% van ")
BULLET = re.compile(r"^(?:[•●▪◦]|[-–] |\d{1,2}\. |[a-z]\. )")
NUMBERED_ITEM = re.compile(r"^(\d{1,2})\. ([A-ZÀ-Ý].*)$")
_VALUE = re.compile(r"^(?:\d{1,3}(?:\.\d{3})+|\d+(?:,\d+)?%?|✔|\[✔\])$")
FRONT_MATTER = ("Voorwoord", "Samenvatting")
CONTINUES_CAPTION = re.compile(r"(?:[,;]|\b(?:en|van|per|in|naar|op|de|het))$")


@dataclass(slots=True)
class Line:
    index: int
    start: int  # offset of the first non-space character
    end: int  # offset after the last non-space character
    text: str  # stripped

    @property
    def blank(self) -> bool:
        return not self.text


def split_lines(text: str) -> list[Line]:
    out: list[Line] = []
    pos = 0
    for index, raw in enumerate(text.split("\n")):
        stripped = raw.strip()
        lead = len(raw) - len(raw.lstrip())
        start = pos + lead
        out.append(Line(index, start, start + len(stripped), stripped))
        pos += len(raw) + 1
    return out


def ends_sentence(text: str) -> bool:
    return bool(text) and text.rstrip(SUPERSCRIPT_DIGITS + " ")[-1:] in ".:;?!”’"


def is_value(token: str) -> bool:
    return bool(_VALUE.match(token))


def is_table_line(text: str) -> bool:
    """A line that looks like a table cell or row rather than prose."""
    if not text:
        return False
    tokens = text.split()
    values = sum(1 for t in tokens if is_value(t))
    if values and values >= len(tokens) / 2:
        return True
    if len(text) >= 60 and len(tokens) >= 8:
        return False
    return len(text) < 60


def is_prose(text: str) -> bool:
    tokens = text.split()
    values = sum(1 for t in tokens if is_value(t))
    return len(text) >= 60 and len(tokens) >= 8 and values < len(tokens) / 3


def is_heading_text(text: str) -> bool:
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
    return not BULLET.match(text) or bool(NUMBERED_ITEM.match(text))
