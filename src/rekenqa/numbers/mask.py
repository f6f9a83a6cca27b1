"""What must never yield a number: footnote markers, URLs, identifiers, phone numbers, postcodes; numeric
dates ("01-09-2025") are taken out here too, as quantities. Which digits are a glued footnote marker is
:func:`rekenqa.artefacts.markers.split_footnote_marker`'s to say.

The masked text has the same length as the original, so offsets stay valid.
"""

from __future__ import annotations

import re
from collections.abc import Collection

from rekenqa.artefacts.markers import split_footnote_marker
from rekenqa.numbers.quantity import Quantity

BLOCK = "\ue000"  # masks URLs, identifiers, phone numbers, postcodes and known footnote markers

_URLISH = re.compile(
    r"://|www\.|%[0-9A-Fa-f]{2}|\?(?=\S)|[=#&@]|\.(?:nl|com|org|eu|net|be|de|pdf|html?|aspx?|php)\b"
    r"|(?=[0-9a-f-]*[a-f])[0-9a-f]+-[0-9a-f]{4}-[0-9a-f]{4}|(?:[^/\s]*/){2,}",
    re.IGNORECASE,
)
_PHONE = re.compile(r"(?<![\w.,+])(\+31|0031|0)[\d \t()-]{8,16}")
_POSTCODE = re.compile(r"(?<![\w.,])[1-9]\d{3}\s?[A-Z]{2}(?=\s+[A-Z][a-z]|\s*[,;)]|\s*$)")
_NUMERIC_DATE = re.compile(
    r"(?<![\w.,/-])(?:(?P<d>\d{1,2})[-/.](?P<m>\d{1,2})[-/.](?P<y>\d{4})|(?P<iy>\d{4})-(?P<im>\d{2})-(?P<id>\d{2}))"
    r"(?![\w/-]|[.,]\d)"
)


def _mask(chars: list[str], start: int, end: int) -> None:
    for i in range(start, end):
        if chars[i] not in "\n":
            chars[i] = BLOCK


def _mask_tokens(text: str, chars: list[str], markers: Collection[int]) -> None:
    """Mask URL-like tokens and the known footnote markers glued to (or standing after) a word."""
    prev_end_marker = False
    for m in re.finditer(r"\S+", text):
        tok, s = m.group(0), m.start()
        if _URLISH.search(tok) and not re.fullmatch(r"[\d.,%()€]+[.,;:]?", tok):
            _mask(chars, s, m.end())
            prev_end_marker = False
            continue
        if markers:
            core = tok.rstrip(".,;:!?")
            if core.isascii() and core.isdigit() and int(core) in markers and prev_end_marker:
                _mask(chars, s, s + len(core))  # a marker standing alone after a glued one ("personen.42 43")
                continue
            rest, marker = split_footnote_marker(core, markers)
            if marker is not None:
                _mask(chars, s + len(rest), s + len(core))
                prev_end_marker = True
                continue
        prev_end_marker = bool(re.search(r"[.;:)”’\"]$", tok))


def _mask_phones(chars: list[str]) -> None:
    masked = "".join(chars)
    for m in _PHONE.finditer(masked):
        span = m.group(0).rstrip(" \t(-")
        digits = re.sub(r"\D", "", span)
        lead = m.group(1)
        if (lead == "0" and len(digits) == 10) or (lead == "+31" and len(digits) == 11) or len(digits) == 13:
            _mask(chars, m.start(), m.start() + len(span))


def _mask_postcodes(chars: list[str]) -> None:
    masked = "".join(chars)
    for m in _POSTCODE.finditer(masked):
        _mask(chars, m.start(), m.end())


def _numeric_dates(text: str, chars: list[str]) -> list[Quantity]:
    """Numeric dates ("1-9-2025", "2025-09-01") as quantities, masked in ``chars``."""
    masked = "".join(chars)
    dates: list[Quantity] = []
    for m in _NUMERIC_DATE.finditer(masked):
        if m.group("y"):
            y, mo, d = int(m.group("y")), int(m.group("m")), int(m.group("d"))
        else:
            y, mo, d = int(m.group("iy")), int(m.group("im")), int(m.group("id"))
        if not (1 <= mo <= 12 and 1 <= d <= 31 and 1800 <= y <= 2200):
            continue
        dates.append(
            Quantity(
                float(y),
                text[m.start() : m.end()],
                m.start(),
                m.end(),
                "",
                "date",
                "",
                "exact",
                f"{y:04d}-{mo:02d}-{d:02d}",
            )
        )
        _mask(chars, m.start(), m.end())
    return dates


def block_spans(text: str, markers: Collection[int]) -> tuple[str, list[Quantity]]:
    """Mask everything that must not yield a number; numeric dates are returned as quantities."""
    chars = list(text)
    _mask_tokens(text, chars, markers)
    _mask_phones(chars)
    _mask_postcodes(chars)
    dates = _numeric_dates(text, chars)
    return "".join(chars), dates
