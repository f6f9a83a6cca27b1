"""Digit numerals: read "18.480", "11,4", "-1.234,5", "1,4 mln"; ``parse_number`` and ``format_number``."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, localcontext

from rekenqa.artefacts.markers import GROUPED
from rekenqa.lexicon import MULTIPLIERS
from rekenqa.numbers.words import combine_words, fraction_value

_INT = re.compile(r"\d+")
_GROUPED_DEC = re.compile(r"(\d{1,3}(?:\.\d{3})+|\d+),(\d+)")
_SPACE_GROUPED = re.compile(r"\d{1,3}(?:[\u00a0\u202f\u2009]\d{3})+(?:,\d+)?")
# A scale word after a digit numeral in running text: "1,4 miljoen", "2,5 mld.".
MULTIPLIER = re.compile(
    r"\s*(miljoen|miljard|mln\.?|mld\.?|mrd\.?|duizend)(?![^\W\d_])",
    re.IGNORECASE,
)
_MULTIPLIER_AT_END = re.compile(r"\s*(miljoen|miljard|mln\.?|mld\.?|mrd\.?|duizend)$", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Digits:
    """A run of digits, dots and commas read as a numeral."""

    used: int  # characters of the token that belong to the number (the rest is a footnote marker)
    value: float
    decimals: int
    kind: str  # "num" | "label"
    plain: bool  # digits only, no grouping or decimals


def interpret_digits(tok: str) -> Digits | None:
    """Read a run of digits, dots and commas as a Dutch numeral, a section label, or nothing."""
    if len(tok) > 40:  # no quantity has this many digits, and float() overflows past 308 of them
        return None
    if _INT.fullmatch(tok):
        if len(tok) > 1 and tok[0] == "0":
            return Digits(len(tok), float(int(tok)), 0, "label", True)
        return Digits(len(tok), float(int(tok)), 0, "num", True)
    if GROUPED.fullmatch(tok):
        return Digits(len(tok), float(int(tok.replace(".", ""))), 0, "num", False)
    m = _GROUPED_DEC.fullmatch(tok)
    if m:
        whole = m.group(1).replace(".", "")
        return Digits(len(tok), float(f"{whole}.{m.group(2)}"), len(m.group(2)), "num", False)
    m = GROUPED.match(tok)
    if m and m.end() < len(tok) and re.fullmatch(r"\.?\d{1,3}", tok[m.end() :]):
        # "18.48094" or "1.425.495.55": a footnote marker glued to a grouped number.
        return Digits(m.end(), float(int(m.group(0).replace(".", ""))), 0, "num", False)
    if re.fullmatch(r"\d+(?:\.\d+)+", tok):
        return Digits(len(tok), float(".".join(tok.split(".")[:2])), 0, "label", False)
    return None


def _parse_digit_numeral(text: str) -> tuple[float, int] | None:
    """Value and decimals of a whole digit numeral, optionally signed and scaled ("-1.234,5", "1,4 mln")."""
    s = text.strip()
    sign = 1.0
    if s[:1] in ("-", "−", "+"):
        sign = -1.0 if s[0] != "+" else 1.0
        s = s[1:].lstrip()
    mult = 1
    m = _MULTIPLIER_AT_END.search(s)
    if m:
        mult = MULTIPLIERS[m.group(1).lower().rstrip(".")]
        s = s[: m.start()]
    if _SPACE_GROUPED.fullmatch(s):
        s = re.sub(r"[\u00a0\u202f\u2009]", ".", s)
    if not s or not re.fullmatch(r"[\d.,]+", s):
        return None
    digits = interpret_digits(s)
    if digits is None or digits.kind != "num" or digits.used != len(s):
        return None
    decimals = digits.decimals - round(math.log10(mult))
    return sign * digits.value * mult, decimals


def parse_number(text: str) -> float | None:
    """Value of a single Dutch numeral or number-word phrase, or None.

    Accepts "18.480", "11,4", "-1.234,5", "1,4 miljoen", "2,5 mld", "negen", "veertienhonderd",
    "tweeduizend vijfhonderd", "drieëntwintig", "een", "één", "anderhalf", "elf komma vier", and the
    fraction words "tweederde", "twee derde", "een kwart", "driekwart", "de helft" (as a share 0..1).
    An English-style "2.5" is not a Dutch numeral and gives None.
    """
    s = " ".join(text.split())
    if not s:
        return None
    if re.match(r"[-−+]?\s*\d", s):
        parsed = _parse_digit_numeral(s)
        return parsed[0] if parsed else None
    low = s.lower()
    if low in ("de helft", "helft"):
        return 0.5
    frac = fraction_value(low)
    if frac is not None:
        return frac
    words = low.split(" ")
    combined = combine_words(words)
    return combined[0] if combined else None


def format_number(value: float, decimals: int | None = None) -> str:
    """Dutch formatting: 18480 -> "18.480", 11.4 -> "11,4", format_number(11.44, 1) -> "11,4".

    ``decimals=None`` writes as many decimals as the value needs (at most 10); ``decimals=0`` rounds to a
    whole number; a negative ``decimals`` rounds to tens, hundreds, ... (as in ``Quantity.decimals``).
    Rounding is half up, as in Dutch reports (2,45 -> 2,5).
    """
    if isinstance(value, bool) or not math.isfinite(float(value)):
        raise ValueError(f"geen eindig getal: {value!r}")
    with localcontext() as context:
        # Room for every digit of the largest float (10^308) and its decimals: the default 28 digits raise
        # InvalidOperation on a claimed 34-digit number.
        context.prec = 400
        return _format_decimal(Decimal(value) if isinstance(value, int) else Decimal(repr(float(value))), decimals)


def _format_decimal(exact: Decimal, decimals: int | None) -> str:
    if decimals is None:
        rounded = exact.quantize(Decimal(1).scaleb(-10), rounding=ROUND_HALF_UP).normalize()
        decimals = max(0, -int(rounded.as_tuple().exponent))
    if decimals >= 0:
        rounded = exact.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    else:
        step = Decimal(10) ** (-decimals)
        rounded = (exact / step).quantize(Decimal(1), rounding=ROUND_HALF_UP) * step
        decimals = 0
    negative = rounded < 0
    text = f"{abs(rounded):.{decimals}f}"
    whole, _, frac = text.partition(".")
    groups: list[str] = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    out = ".".join(groups) + ("," + frac if frac else "")
    if negative and any(ch not in "0.," for ch in out):
        out = "-" + out
    return out
