"""Dutch numerals (pure): parse, find, format and compare the numbers in report sentences and debate claims.

The module knows the Dutch ways of writing a number: "18.480" (thousands dot), "11,4" (decimal comma),
"€ 1,4 mln", "11,4 procent", "16,6 per 1000 inwoners", "tweeduizend vijfhonderd", "tweederde", "vier op
de vijf", "ruim verdubbeld", "gestegen van 607 naar 1.015", periods such as "derde kwartaal 2024", and the
hedges that say how exact a number is meant ("ruim", "bijna", "circa"). ``find_numbers`` returns every
quantity in a sentence as a :class:`Quantity`; ``matches`` says whether a claimed quantity is consistent
with a reported one, allowing for the hedge and for rounding at the stated precision.

How ``find_numbers`` works: digit numerals and number-word phrases are first found as *atoms*, then each
atom's characters are replaced by a placeholder in a "shadow" copy of the text (same length, so offsets stay
valid). Composite patterns (dates, periods, ranges, changes, fractions, rates, ...) are regular expressions
over that shadow text, tried in priority order; the first pattern that claims a span wins.

Label-like numbers ("Tabel 4", "paragraaf 2.3", "artikel 28", heading numbers at a line start) are
recognised and dropped unless ``include_labels=True``, which returns them as kind ``"label"``/``"ordinal"``.
Numbers inside URLs, identifiers, phone numbers and postcodes never produce a quantity, and neither do
footnote markers glued to a word, a percent sign or a closing parenthesis ("inwoners7", "(5,1%)8").
"""

from __future__ import annotations

import logging
import math
import re
from collections.abc import Callable, Collection
from dataclasses import dataclass, replace
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

logger = logging.getLogger(__name__)

__all__ = [
    "Quantity",
    "as_comparable",
    "find_numbers",
    "format_number",
    "matches",
    "number_to_words",
    "parse_number",
    "split_footnote_marker",
    "years_in",
]


@dataclass(frozen=True, slots=True)
class Quantity:
    """One quantity found in a text.

    ``value`` is the main value: for a change or a range it is the final/upper value and ``from_value`` the
    start/lower one. ``decimals`` is the precision as written; it is negative for scaled numerals
    ("1,4 miljoen" has ``decimals=-5``: it is precise to 100.000). ``noun`` is the word after a count
    ("2.525 personen" -> "personen"); ``relation`` is ``"range"`` or ``"change"`` when ``from_value`` is set.
    For kind ``"change"`` (``"met 20 procent gestegen"``) the value is signed: negative for a decrease.
    """

    value: float
    text: str
    start: int
    end: int
    unit: str
    kind: str
    hedge: str
    bound: str
    period: str = ""
    from_value: float | None = None
    decimals: int = 0
    noun: str = ""
    relation: str = ""


# ---------------------------------------------------------------------------------------------------------
# Number words
# ---------------------------------------------------------------------------------------------------------

_SMALL: dict[str, int] = {
    "nul": 0,
    "een": 1,
    "één": 1,
    "eén": 1,
    "twee": 2,
    "drie": 3,
    "vier": 4,
    "vijf": 5,
    "zes": 6,
    "zeven": 7,
    "acht": 8,
    "negen": 9,
    "tien": 10,
    "elf": 11,
    "twaalf": 12,
    "dertien": 13,
    "veertien": 14,
    "vijftien": 15,
    "zestien": 16,
    "zeventien": 17,
    "achttien": 18,
    "negentien": 19,
}
_TENS: dict[str, int] = {
    "twintig": 20,
    "dertig": 30,
    "veertig": 40,
    "vijftig": 50,
    "zestig": 60,
    "zeventig": 70,
    "tachtig": 80,
    "negentig": 90,
}
# Scales inside one compound word, largest first.
_SCALES: tuple[tuple[str, int], ...] = (
    ("miljard", 10**9),
    ("miljoen", 10**6),
    ("duizend", 1000),
    ("honderd", 100),
)
_BIG_WORDS: dict[str, int] = {"miljard": 10**9, "miljoen": 10**6}
_SCALE_WORDS: dict[str, int] = {"duizend": 1000, "honderd": 100}
# Denominators of fraction words ("twee derde", "een kwart", "de helft").
_FRACTION_WORDS: dict[str, int] = {
    "derde": 3,
    "vierde": 4,
    "vijfde": 5,
    "zesde": 6,
    "zevende": 7,
    "achtste": 8,
    "negende": 9,
    "tiende": 10,
    "twintigste": 20,
    "honderdste": 100,
    "kwart": 4,
}
_HALVES: dict[str, float] = {"anderhalf": 1.5, "anderhalve": 1.5, "half": 0.5, "halve": 0.5}
# Words that double as something else; only a number when the next word is not one of these.
_VERB_LIKE = {"acht"}
_NOT_AFTER_VERB_LIKE = {
    "het",
    "de",
    "dit",
    "dat",
    "deze",
    "die",
    "zich",
    "hij",
    "zij",
    "ze",
    "men",
    "wij",
    "we",
    "u",
    "niet",
    "een",
    "hem",
    "haar",
}


def _fix_ligatures(word: str) -> str:
    """Undo the broken "ti" ligature of the text export inside a word ("twinDg", "twin/g" -> "twintig")."""
    return re.sub(r"(?<=[a-zë])(?:D|/)(?=[a-zë])", "ti", word)


def _below_100(word: str) -> int | None:
    if word in _SMALL:
        return _SMALL[word]
    if word in _TENS:
        return _TENS[word]
    for tens_word, tens in _TENS.items():
        if word.endswith(tens_word) and len(word) > len(tens_word):
            head = word[: -len(tens_word)]
            for conj in ("ën", "en"):
                if head.endswith(conj):
                    unit = _SMALL.get(head[: -len(conj)])
                    if unit is not None and 1 <= unit <= 9:
                        return unit + tens
    return None


def _compound(word: str, first_scale: int = 0) -> int | None:
    """Value of one compound number word ("veertienhonderd", "tweeduizendvijfhonderd"), or None."""
    if not word:
        return None
    for i in range(first_scale, len(_SCALES)):
        name, mult = _SCALES[i]
        idx = word.find(name)
        if idx < 0:
            continue
        left, right = word[:idx], word[idx + len(name) :]
        if left == "":
            left_value: int | None = 1
        elif mult == 100:
            left_value = _below_100(left)  # "veertienhonderd" = 14 x 100
        else:
            left_value = _compound(left, i + 1)
        if left_value is None or left_value == 0 or (mult > 100 and left_value >= 1000):
            return None
        right_value: int | None = 0
        if right != "":
            right_value = _compound(right, i + 1) if mult > 100 else _below_100(right)
        if right_value is None or (right != "" and right_value == 0) or right_value >= mult:
            return None
        return left_value * mult + right_value
    return _below_100(word)


@lru_cache(maxsize=8192)
def _word_value(raw: str) -> float | None:
    """Value of a single number word (not a multi-word phrase), or None."""
    word = _fix_ligatures(raw).lower()
    if word in _HALVES and word not in ("half", "halve"):
        return _HALVES[word]
    for tail in ("ënhalf", "enhalf", "ënhalve", "enhalve"):
        if word.endswith(tail):
            head = _SMALL.get(word[: -len(tail)])
            return head + 0.5 if head is not None and head >= 1 else None
    value = _compound(word)
    return float(value) if value is not None else None


def _trailing_zeros(n: int) -> int:
    if n == 0:
        return 0
    count = 0
    while n % 10 == 0:
        n //= 10
        count += 1
    return count


def _combine_words(words: list[str]) -> tuple[float, int] | None:
    """Value and decimals of a multi-word number phrase ("tweeduizend vijfhonderd", "twee miljoen",
    "elf komma vier", "een half"), or None when the words do not form one number."""
    low = [_fix_ligatures(w).lower() for w in words]
    if not low:
        return None
    if "komma" in low:
        k = low.index("komma")
        whole = _combine_words(words[:k])
        digits = [_word_value(w) for w in words[k + 1 :]]
        if whole is None or whole[1] != 0 or not digits or any(d is None for d in digits):
            return None
        ints = [int(d) for d in digits if d is not None]
        if len(ints) == 1 and ints[0] < 100 and float(ints[0]) == digits[0]:
            frac = str(ints[0])
        elif all(0 <= d <= 9 for d in ints):
            frac = "".join(str(d) for d in ints)
        else:
            return None
        return float(f"{int(whole[0])}.{frac}"), len(frac)
    if low[0] in ("een", "één", "eén") and len(low) == 2 and low[1] in ("half", "halve"):
        return 0.5, 1
    if any(w in ("half", "halve") for w in low):
        return None
    total = 0  # millions and milliards
    thousands = 0  # the part that is a multiple of 1000, below a million
    current = 0  # the part below 1000 (or "negentien honderd")
    started = False
    last_big = 10**12
    for w in low:
        if w in _BIG_WORDS:
            mult = _BIG_WORDS[w]
            below = thousands + current if started else 1
            if mult >= last_big or below == 0 or below >= 1000:
                return None
            total += below * mult
            thousands = current = 0
            started, last_big = False, mult
            continue
        if w == "honderd":
            if current == 0:
                current = 100  # "tweeduizend honderd"
            elif current < 100:
                current *= 100  # "twee honderd", "negentien honderd"
            else:
                return None
            started = True
            continue
        if w == "duizend":
            if thousands or current >= 1000:
                return None
            thousands = (current if current else 1) * 1000
            current = 0
            started = True
            continue
        value = _word_value(w)
        if value is None or value != int(value):
            if value is not None and len(low) == 1:
                return value, 1  # "anderhalf"
            return None
        v = int(value)
        if v >= 10**6:
            if started or total:
                return None
            total, last_big = v, (10**9 if v >= 10**9 else 10**6)
            if v % last_big:
                last_big = 1000  # "tweemiljoenvijfhonderdduizend": only below-thousand words may follow
            continue
        if started or total:
            if v == 0:
                return None
            if current:
                if current % 100 or v >= 10 ** _trailing_zeros(current) or v >= 1000:
                    return None  # "twee drie", "twintig vijf"
            elif thousands:
                if v >= 1000:
                    return None
            elif v >= last_big:
                return None
        if v >= 1000:
            thousands, current = v - v % 1000, v % 1000
        else:
            current += v
        started = True
    return float(total + thousands + current), 0


@lru_cache(maxsize=8192)
def _is_number_word(word: str) -> bool:
    low = _fix_ligatures(word).lower()
    return (
        low in _BIG_WORDS
        or low in _SCALE_WORDS
        or low in ("anderhalf", "anderhalve")
        or _word_value(word) is not None
    )


def number_to_words(n: int) -> str:
    """Dutch number words for a non-negative integer below 10**12 (used to test the word parser).

    Numbers below a million are one word with a space after "duizend" ("tweeduizend vijfhonderd");
    millions and milliards are separate words ("twee miljoen driehonderdduizend").
    """
    if n < 0 or n >= 10**12:
        raise ValueError("alleen gehele getallen van 0 tot 10^12 worden ondersteund")
    small = {v: k for k, v in _SMALL.items() if k not in ("één", "eén")}
    tens = {v: k for k, v in _TENS.items()}

    def below_100(x: int) -> str:
        if x < 20:
            return small[x]
        unit, ten = x % 10, x - x % 10
        if unit == 0:
            return tens[ten]
        word = small[unit]
        return word + ("ën" if word.endswith("e") else "en") + tens[ten]

    def below_1000(x: int) -> str:
        hundreds, rest = divmod(x, 100)
        head = "" if hundreds == 0 else ("honderd" if hundreds == 1 else small[hundreds] + "honderd")
        return head + (below_100(rest) if rest else "")

    def below_million(x: int) -> str:
        thousands, rest = divmod(x, 1000)
        if thousands == 0:
            return below_1000(rest)
        head = "duizend" if thousands == 1 else below_1000(thousands) + "duizend"
        return head + (" " + below_1000(rest) if rest else "")

    if n == 0:
        return "nul"
    parts: list[str] = []
    milliards, rest = divmod(n, 10**9)
    millions, rest = divmod(rest, 10**6)
    if milliards:
        parts.append(("een" if milliards == 1 else below_1000(milliards)) + " miljard")
    if millions:
        parts.append(("een" if millions == 1 else below_1000(millions)) + " miljoen")
    if rest:
        parts.append(below_million(rest))
    return " ".join(parts)


# ---------------------------------------------------------------------------------------------------------
# Digit numerals
# ---------------------------------------------------------------------------------------------------------

_GROUPED = re.compile(r"\d{1,3}(?:\.\d{3})+")
_INT = re.compile(r"\d+")
_GROUPED_DEC = re.compile(r"(\d{1,3}(?:\.\d{3})+|\d+),(\d+)")
_SPACE_GROUPED = re.compile(r"\d{1,3}(?:[\u00a0\u202f\u2009]\d{3})+(?:,\d+)?")
_MULTIPLIER = re.compile(
    r"\s*(miljoen|miljard|mln\.?|mld\.?|mrd\.?|duizend)(?![^\W\d_])",
    re.IGNORECASE,
)
_MULTIPLIER_VALUES = {
    "miljoen": 10**6,
    "mln": 10**6,
    "miljard": 10**9,
    "mld": 10**9,
    "mrd": 10**9,
    "duizend": 1000,
}


@dataclass(frozen=True, slots=True)
class _Digits:
    used: int  # characters of the token that belong to the number (the rest is a footnote marker)
    value: float
    decimals: int
    kind: str  # "num" | "label"
    plain: bool  # digits only, no grouping or decimals


def _interpret_digits(tok: str) -> _Digits | None:
    """Read a run of digits, dots and commas as a Dutch numeral, a section label, or nothing."""
    if len(tok) > 40:  # no quantity has this many digits, and float() overflows past 308 of them
        return None
    if _INT.fullmatch(tok):
        if len(tok) > 1 and tok[0] == "0":
            return _Digits(len(tok), float(int(tok)), 0, "label", True)
        return _Digits(len(tok), float(int(tok)), 0, "num", True)
    if _GROUPED.fullmatch(tok):
        return _Digits(len(tok), float(int(tok.replace(".", ""))), 0, "num", False)
    m = _GROUPED_DEC.fullmatch(tok)
    if m:
        whole = m.group(1).replace(".", "")
        return _Digits(len(tok), float(f"{whole}.{m.group(2)}"), len(m.group(2)), "num", False)
    m = _GROUPED.match(tok)
    if m and m.end() < len(tok) and re.fullmatch(r"\.?\d{1,3}", tok[m.end() :]):
        # "18.48094" or "1.425.495.55": a footnote marker glued to a grouped number.
        return _Digits(m.end(), float(int(m.group(0).replace(".", ""))), 0, "num", False)
    if re.fullmatch(r"\d+(?:\.\d+)+", tok):
        return _Digits(len(tok), float(".".join(tok.split(".")[:2])), 0, "label", False)
    return None


def _parse_digit_numeral(text: str) -> tuple[float, int] | None:
    """Value and decimals of a whole digit numeral, optionally signed and scaled ("-1.234,5", "1,4 mln")."""
    s = text.strip()
    sign = 1.0
    if s[:1] in ("-", "−", "+"):
        sign = -1.0 if s[0] != "+" else 1.0
        s = s[1:].lstrip()
    mult = 1
    m = re.search(r"\s*(miljoen|miljard|mln\.?|mld\.?|mrd\.?|duizend)$", s, re.IGNORECASE)
    if m:
        mult = _MULTIPLIER_VALUES[m.group(1).lower().rstrip(".")]
        s = s[: m.start()]
    if _SPACE_GROUPED.fullmatch(s):
        s = re.sub(r"[\u00a0\u202f\u2009]", ".", s)
    if not s or not re.fullmatch(r"[\d.,]+", s):
        return None
    digits = _interpret_digits(s)
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
    low = _fix_ligatures(s).lower()
    if low in ("de helft", "helft"):
        return 0.5
    frac = _fraction_value(low)
    if frac is not None:
        return frac
    words = low.split(" ")
    combined = _combine_words(words)
    return combined[0] if combined else None


def _fraction_value(low: str) -> float | None:
    """Value of "tweederde", "twee derde", "twee-derde", "een vijfde", "driekwart" (lowercase), or None."""
    m = re.fullmatch(
        r"([^\W\d_]+?)[\s-]*(derde|vierde|vijfde|zesde|zevende|achtste|negende|tiende|kwart)n?", low
    )
    if not m:
        return None
    numerator = _word_value(m.group(1))
    if numerator is None or numerator < 1 or numerator != int(numerator):
        return None
    return numerator / _FRACTION_WORDS[m.group(2)]


def format_number(value: float, decimals: int | None = None) -> str:
    """Dutch formatting: 18480 -> "18.480", 11.4 -> "11,4", format_number(11.44, 1) -> "11,4".

    ``decimals=None`` writes as many decimals as the value needs (at most 10); ``decimals=0`` rounds to a
    whole number; a negative ``decimals`` rounds to tens, hundreds, ... (as in ``Quantity.decimals``).
    Rounding is half up, as in Dutch reports (2,45 -> 2,5).
    """
    if isinstance(value, bool) or not math.isfinite(float(value)):
        raise ValueError(f"geen eindig getal: {value!r}")
    if isinstance(value, int):
        exact = Decimal(value)
    else:
        exact = Decimal(repr(float(value)))
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


# ---------------------------------------------------------------------------------------------------------
# Footnote markers
# ---------------------------------------------------------------------------------------------------------

_MARKER_BEFORE = set(")]%”’\"'»")


def split_footnote_marker(token: str, known_markers: Collection[int]) -> tuple[str, int | None]:
    """Split a footnote marker glued to the end of ``token`` when that marker is in ``known_markers``.

    ``("inwoners7", {7})`` -> ``("inwoners", 7)``; ``("(5,1%)8", {8})`` -> ``("(5,1%)", 8)``;
    ``("18.48094", {94})`` -> ``("18.480", 94)``; ``("1.425.495.55", {55})`` -> ``("1.425.495.", 55)``.
    A token that is a well-formed number by itself ("2023", "11,45") is never split, and neither is a
    marker after a hyphen ("COVID-19").
    """
    m = re.search(r"\d+$", token)
    if not m or not known_markers or m.start() == 0:
        return token, None
    run = m.group(0)
    for k in range(1, min(3, len(run)) + 1):
        marker_text = run[-k:]
        if marker_text.startswith("0"):
            continue
        marker = int(marker_text)
        if marker not in known_markers:
            continue
        rest = token[:-k]
        last = rest[-1]
        if last.isdigit():
            # Only when the marker makes a grouped number ill-formed: "18.48094" -> "18.480" + 94.
            if _GROUPED.fullmatch(rest) and not _GROUPED.fullmatch(token) and "," not in token:
                return rest, marker
            continue
        if last == ".":
            before = rest[:-1]
            if before and (
                before[-1].isalpha() or before[-1] in _MARKER_BEFORE or _GROUPED.fullmatch(before)
            ):
                return rest, marker
            continue
        if last.isalpha() or last in _MARKER_BEFORE or last in ";:,":
            if last == "," and rest[:-1][-1:].isdigit():
                continue  # "11,48": a decimal, not "11," + marker
            return rest, marker
    return token, None


# ---------------------------------------------------------------------------------------------------------
# Hedges, units, nouns
# ---------------------------------------------------------------------------------------------------------

_HEDGES: dict[str, tuple[str, str]] = {}
for _words, _norm in (
    (
        ("ruim", "ruime", "een ruime", "dik", "een dikke", "ruimschoots", "goed", "een goede"),
        ("ruim", "lower"),
    ),
    (
        (
            "meer dan",
            "ruim meer dan",
            "ruim boven",
            "ruim boven de",
            "boven de",
            "boven",
            "net boven",
            "net boven de",
            "hoger dan",
            "groter dan",
        ),
        ("meer dan", "lower"),
    ),
    (
        ("ten minste", "tenminste", "minimaal", "minstens", "niet minder dan", "op zijn minst"),
        ("ten minste", "lower"),
    ),
    (
        (
            "bijna",
            "krap",
            "een kleine",
            "nagenoeg",
            "vrijwel",
            "tegen de",
            "net onder",
            "net onder de",
            "nog geen",
        ),
        ("bijna", "upper"),
    ),
    (
        (
            "minder dan",
            "onder de",
            "ruim onder",
            "ruim onder de",
            "lager dan",
            "kleiner dan",
            "nog minder dan",
        ),
        ("minder dan", "upper"),
    ),
    (
        ("maximaal", "hooguit", "ten hoogste", "niet meer dan", "hoogstens", "tot maximaal"),
        ("maximaal", "upper"),
    ),
    (
        (
            "circa",
            "ca.",
            "ca",
            "ongeveer",
            "zo'n",
            "zo’n",
            "zo‘n",
            "rond",
            "rond de",
            "rondom",
            "rondom de",
            "pakweg",
            "grofweg",
            "ruwweg",
            "naar schatting",
            "omstreeks",
            "bij benadering",
            "plusminus",
            "±",
            "~",
            "om en nabij",
            "om en nabij de",
            "zowat",
            "een stuk of",
            "globaal",
        ),
        ("circa", "approx"),
    ),
    (("precies", "exact", "welgeteld"), ("precies", "exact")),
):
    for _w in _words:
        _HEDGES[_w] = _norm

# In the shadow text the article "een" is a placeholder ("een kleine 19.000" -> "¤¤¤ kleine #####").
_HEDGE_ALT = "|".join(
    re.escape(h).replace(r"\ ", r"\s+").replace("een", "(?:een|¤¤¤)")
    for h in sorted(_HEDGES, key=len, reverse=True)
)


def _hedge_group(name: str) -> str:
    return rf"(?:(?<![\w])(?P<{name}>{_HEDGE_ALT})(?:\s+|(?<=[±~])\s*))?"


def _norm_hedge(raw: str | None) -> tuple[str, str]:
    if not raw:
        return "", "exact"
    key = " ".join(raw.lower().split())
    return _HEDGES.get(key, ("", "exact"))


_UNIT_ALT = (
    r"(?:%-?\s?punt(?:en)?|procentpunt(?:en)?|%|procent|pro-[ \t]*\n?[ \t]*cent|pct\.?|euro(?:'s|’s)?|eur|fte|(?-i:Me)"
    r"|jaren|jaar|maanden|maand|weken|week|dagen|dag|uren|uur)(?![^\W\d_])"
)


def _norm_unit(raw: str) -> tuple[str, str]:
    """(unit, kind) for a unit written after a number."""
    low = raw.lower().replace(" ", "")
    if "punt" in low:
        return "procentpunt", "percent"
    low = re.sub(r"-\s*", "", low)  # "pro-\ncent" hyphenated over a line break
    if low in ("%", "procent", "pct", "pct."):
        return "%", "percent"
    if low.startswith("euro") or low in ("eur", "€"):
        return "euro", "money"
    if low in ("fte", "me"):
        return "fte", "count"
    if low in ("jaar", "jaren"):
        return "jaar", "duration"
    if low.startswith("maand"):
        return "maanden", "duration"
    if low.startswith("we"):
        return "weken", "duration"
    if low.startswith("dag"):
        return "dagen", "duration"
    if low in ("uur", "uren"):
        return "uur", "duration"
    return "", "count"


_PERSON_NOUNS = {
    "personen",
    "persoon",
    "mensen",
    "inwoners",
    "inwoner",
    "ingezetenen",
    "migranten",
    "migrant",
    "statushouders",
    "statushouder",
    "asielzoekers",
    "asielzoeker",
    "vergunninghouders",
    "inburgeraars",
    "inburgeraar",
    "bewoners",
    "bewoner",
    "leerlingen",
    "kinderen",
    "jongeren",
    "volwassenen",
    "werknemers",
    "medewerkers",
    "kenniswerkers",
    "ontheemden",
    "oekraïners",
    "vluchtelingen",
    "amv'ers",
    "amv’ers",
    "deelnemers",
    "cliënten",
    "clienten",
    "nieuwkomers",
    "nareizigers",
    "studenten",
    "werkenden",
    "werklozen",
    "vrouwen",
    "mannen",
    "ouderen",
    "gezinsleden",
    "uitkeringsgerechtigden",
    "bijstandsgerechtigden",
}
_PERSON_SUFFIXES = ("migranten", "houders", "zoekers", "werkers", "gerechtigden", "ontheemden", "raars")
_COUNT_NOUNS_AFTER_YEAR = {
    "plekken",
    "plaatsen",
    "woningen",
    "huurwoningen",
    "aanvragen",
    "meldingen",
    "euro",
}
_STOPWORDS = {
    "en",
    "of",
    "tot",
    "de",
    "het",
    "een",
    "in",
    "op",
    "van",
    "naar",
    "voor",
    "met",
    "per",
    "is",
    "was",
    "zijn",
    "waren",
    "te",
    "dat",
    "die",
    "als",
    "bij",
    "uit",
    "aan",
    "om",
    "door",
    "over",
    "zo",
    "ook",
    "nog",
    "wel",
    "niet",
    "meer",
    "minder",
    "dan",
    "tussen",
    "respectievelijk",
    "keer",
    "maal",
    "wordt",
    "worden",
    "heeft",
    "hebben",
    "had",
    "er",
    "wat",
    "waarvan",
    "waarin",
    "daarvan",
    "hiervan",
    "totaal",
    "à",
}


_STOPWORDS.update(w.split()[0] for w in _HEDGES)
_YEAR_WORD_BEFORE = re.compile(
    r"(?<![\w])(?:in|sinds|vanaf|tot|na|voor|begin|eind|medio|jaar|zomer|voorjaar|najaar|winter)\s+$",
    re.IGNORECASE,
)


def _is_person_noun(noun: str) -> bool:
    return noun in _PERSON_NOUNS or noun.endswith(_PERSON_SUFFIXES)


def _next_word(text: str, pos: int) -> str:
    """The lowercase word right after ``pos`` (re-joining a word hyphenated over a line break)."""
    m = re.match(r"[ \t]*\n?[ \t]*([^\W\d_][\w’'\-]*)(?:\s*\n\s*([^\W\d_]+))?", text[pos:])
    if not m:
        return ""
    word = m.group(1)
    if word.endswith("-") and m.group(2):
        word = word[:-1] + m.group(2)
    word = word.rstrip("-").split("/")[0].lower()
    return "" if word in _STOPWORDS or len(word) < 3 else word


# ---------------------------------------------------------------------------------------------------------
# Atoms and the shadow text
# ---------------------------------------------------------------------------------------------------------

_BLOCK = "\ue000"  # masks URLs, identifiers, phone numbers, postcodes and known footnote markers
_NUM, _ART, _LAB, _ORD = "#", "¤", "@", "°"  # placeholders in the shadow text
_PLACEHOLDERS = _NUM + _ART + _LAB + _ORD


@dataclass(frozen=True, slots=True)
class _Atom:
    start: int
    end: int
    value: float
    decimals: int
    kind: str  # "num" | "article" | "label" | "ordinal"
    plain: bool = False
    word: bool = False

    @property
    def is_year(self) -> bool:
        return (
            self.kind == "num"
            and self.plain
            and not self.word
            and self.end - self.start == 4
            and 1900 <= self.value <= 2100
        )


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
_GLUE_PUNCT = set(".)]%”’\"'»")
_DIGIT_RUN = re.compile(r"\d[\d.,]*\d|\d")
_WORD_TOKEN = re.compile(r"[^\W\d_]+(?:/[^\W\d_]+)*")


def _mask(chars: list[str], start: int, end: int) -> None:
    for i in range(start, end):
        if chars[i] not in "\n":
            chars[i] = _BLOCK


def _block_spans(text: str, markers: Collection[int]) -> tuple[str, list[Quantity]]:
    """Mask everything that must not yield a number; numeric dates are returned as quantities."""
    chars = list(text)
    dates: list[Quantity] = []
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
    masked = "".join(chars)
    for m in _PHONE.finditer(masked):
        span = m.group(0).rstrip(" \t(-")
        digits = re.sub(r"\D", "", span)
        lead = m.group(1)
        if (lead == "0" and len(digits) == 10) or (lead == "+31" and len(digits) == 11) or len(digits) == 13:
            _mask(chars, m.start(), m.start() + len(span))
    masked = "".join(chars)
    for m in _POSTCODE.finditer(masked):
        _mask(chars, m.start(), m.end())
    masked = "".join(chars)
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
    return "".join(chars), dates


_PERCENT_AFTER = re.compile(r"\s*(?:%|procent)(?![^\W\d_])", re.IGNORECASE)


def _digit_atoms(masked: str) -> list[_Atom]:
    atoms: list[_Atom] = []
    n = len(masked)
    for m in _DIGIT_RUN.finditer(masked):
        s, tok = m.start(), m.group(0)
        prev = masked[s - 1] if s else ""
        if prev and (prev.isalpha() or prev == "_"):
            continue  # "Wi2021", "inwoners7", "B1", "Q3"
        if prev == "-" and s >= 2 and masked[s - 2].isalpha():
            continue  # "COVID-19", "top-10"
        if prev in _GLUE_PUNCT and s >= 2 and not masked[s - 2].isspace() and masked[s - 2] not in "(€":
            continue  # a footnote marker glued to punctuation: "(5,1%)8", "wet”.27", "p.59"
        digits = _interpret_digits(tok)
        if digits is None:
            continue
        end = s + digits.used
        kind = digits.kind
        if kind == "label" and tok.count(".") == 1 and _PERCENT_AFTER.match(masked, end):
            # "11.4 procent" (an English decimal point, as speech-to-text writes it) is no section number.
            whole, frac = tok.split(".")
            digits = _Digits(len(tok), float(f"{int(whole)}.{frac}"), len(frac), "num", False)
            kind = "num"
        if digits.used == len(tok) and end < n and masked[end].isalpha():
            run = re.match(r"[^\W\d_]+", masked[end:])
            suffix = run.group(0) if run else ""
            after = masked[end + len(suffix)] if end + len(suffix) < n else ""
            low = suffix.lower()
            if after.isdigit():
                continue  # an identifier such as "553481e5"
            if low in ("e", "ste", "de") and digits.plain and kind == "num" and digits.value < 1000:
                atoms.append(_Atom(s, end + len(suffix), digits.value, 0, "ordinal", True))
                continue
            if low not in ("fte", "mln", "mld", "mrd", "x", "procent", "miljoen", "miljard", "euro", "jaar"):
                continue
        value, decimals = digits.value, digits.decimals
        mult = _MULTIPLIER.match(masked, end) if kind == "num" and digits.used == len(tok) else None
        if mult:
            factor = _MULTIPLIER_VALUES[mult.group(1).lower().rstrip(".")]
            value *= factor
            decimals -= round(math.log10(factor))
            end = mult.end()
        sign = masked[s - 1] if s else ""
        signed = bool(sign) and sign in "-−+" and (s < 2 or masked[s - 2] in " \t\n(") and kind == "num"
        if signed:
            # A signed number ("-3%", "+5 procent"); "2015 - 2023" and "10-15" are ranges.
            s -= 1
            value = -value if sign != "+" else value
        atoms.append(_Atom(s, end, value, decimals, kind, digits.plain and not mult and not signed))
    return atoms


def _word_atoms(masked: str, taken: list[bool]) -> list[_Atom]:
    tokens = [
        (m.start(), m.end(), m.group(0))
        for m in _WORD_TOKEN.finditer(masked)
        if not any(taken[m.start() : m.end()])
    ]
    atoms: list[_Atom] = []
    i = 0
    while i < len(tokens):
        s0, e0, w0 = tokens[i]
        if not _is_number_word(w0):
            i += 1
            continue
        prev_char = masked[s0 - 1] if s0 else ""
        if prev_char in "-" and s0 >= 2 and masked[s0 - 2].isalpha():
            i += 1
            continue
        best: tuple[int, float, int] | None = None
        j = i
        while j < len(tokens):
            if j > i:
                gap = masked[tokens[j - 1][1] : tokens[j][0]]
                if not re.fullmatch(r"[ \t]+|[ \t]*\n[ \t]*", gap):
                    break
            w = tokens[j][2]
            if not (_is_number_word(w) or w.lower() in ("komma", "half", "halve")):
                break
            j += 1
            combined = _combine_words([t[2] for t in tokens[i:j]])
            if combined is not None:
                best = (j, combined[0], combined[1])
        if best is None:
            i += 1
            continue
        j, value, decimals = best
        start, end = s0, tokens[j - 1][1]
        words = [t[2].lower() for t in tokens[i:j]]
        if words == ["een"] or (words[0] == "een" and j - i == 1):
            atoms.append(_Atom(start, end, 1.0, 0, "article", word=True))
        elif len(words) == 1 and words[0] in _VERB_LIKE:
            nxt = tokens[j][2].lower() if j < len(tokens) else ""
            if nxt not in _NOT_AFTER_VERB_LIKE:
                atoms.append(_Atom(start, end, value, decimals, "num", word=True))
        else:
            atoms.append(_Atom(start, end, value, decimals, "num", word=True))
        i = j
    return atoms


# ---------------------------------------------------------------------------------------------------------
# Patterns over the shadow text
# ---------------------------------------------------------------------------------------------------------

_A = rf"(?<![{_PLACEHOLDERS}]){_NUM}+(?![{_PLACEHOLDERS}])"  # a number atom
_AA = rf"(?<![{_PLACEHOLDERS}])(?:{_NUM}+|{_ART}+)(?![{_PLACEHOLDERS}])"  # a number atom or the article "een"
_Y = rf"(?<![{_PLACEHOLDERS}]){_NUM}{{4}}(?![{_PLACEHOLDERS}])"
_MONTHS: dict[str, int] = {
    "januari": 1,
    "jan": 1,
    "februari": 2,
    "feb": 2,
    "maart": 3,
    "mrt": 3,
    "april": 4,
    "apr": 4,
    "mei": 5,
    "juni": 6,
    "jun": 6,
    "juli": 7,
    "jul": 7,
    "augustus": 8,
    "aug": 8,
    "september": 9,
    "sept": 9,
    "sep": 9,
    "oktober": 10,
    "okt": 10,
    "november": 11,
    "nov": 11,
    "december": 12,
    "dec": 12,
}
_MONTH_ALT = "|".join(sorted(_MONTHS, key=len, reverse=True))


def _month(name: str) -> str:
    return rf"(?<![^\W\d_])(?P<{name}>{_MONTH_ALT})\.?(?![^\W\d_])"


def _sq(n: str, hedge: bool = True) -> str:
    """A simple quantity: optional hedge, optional currency, a number atom, optional unit."""
    h = _hedge_group(f"h{n}") if hedge else ""
    return (
        rf"{h}(?:(?P<c{n}>€|eur(?![^\W\d_])|euro(?![^\W\d_]))\s*)?(?P<a{n}>{_A})"
        rf"(?:(?:\s*|-)(?P<u{n}>{_UNIT_ALT}))?"
    )


_UP = (
    r"gestegen|stijgt|steeg|stegen|toegenomen|neemt\s+toe|nam\s+toe|namen\s+toe|gegroeid|groeit|groeide|"
    r"verhoogd|verhoogt|verhoogde|opgelopen|loopt\s+op|liep\s+op|vermeerderd"
)
_DOWN = (
    r"gedaald|daalt|daalde|daalden|afgenomen|neemt\s+af|nam\s+af|namen\s+af|verminderd|vermindert|verminderde|"
    r"verlaagd|verlaagt|verlaagde|gezakt|gekrompen|krimpt|kromp|teruggelopen|teruggebracht"
)
_CHANGE_NOUNS = r"stijging|daling|toename|afname|groei|krimp|vermindering|verhoging|verlaging|afwijking"
_DOWN_WORDS = re.compile(rf"^(?:{_DOWN}|af|daling|afname|krimp|vermindering|verlaging)$", re.IGNORECASE)

_I = re.IGNORECASE
_LINE_LABEL = re.compile(
    rf"(?m)^[ \t]*(?P<a>(?<![{_PLACEHOLDERS}])[{_NUM}{_LAB}]+(?![{_PLACEHOLDERS}]))(?=\.[ \t]|[ \t]+\S|\.?[ \t]*$)"
)
_KEY_LABEL = re.compile(
    r"(?<![\w])(?:artikel|art\.|ar/kel|ar[Dd]kel|paragraaf|par\.|§|tabel|grafiek|figuur|fig\.|hoofdstuk|deel|"
    r"bijlage|nummer|nr\.?|no\.|p\.|pp\.|pag\.|pagina|blz\.|sectie|lid|stap|onderzoeksvraag|deelvraag|vraag|"
    r"fase|module|taakveld|beleidsdoel|motie|amendement|kamerstuk|stcrt\.?|versie|niveau|top|huisnummer|"
    r"kvk|rubriek|agendapunt|bladzijde|regel|punt|thema|stroom)"
    rf"\s*-?\s*(?P<a>[{_NUM}{_LAB}]+)(?:\s*(?:,|en|t/m|tot\s+en\s+met|-|–)\s*[{_NUM}{_LAB}]+(?![{_PLACEHOLDERS}]))*",
    _I,
)
_LAW_YEAR = re.compile(rf"(?<![\w])(?:[^\W\d_]*wet|wet\s+[^\W\d_]+)\s+(?P<a>{_Y})", _I)

_QUARTERS = (
    re.compile(rf"(?P<y>{_Y})\s*-?\s*Q(?P<q>[1-4])(?![\w])", _I),
    re.compile(rf"(?<![\w])Q(?P<q>[1-4])\s*[-/]?\s*(?:van\s+)?(?P<y>{_Y})", _I),
    re.compile(
        rf"(?<![\w])(?P<o>eerste|tweede|derde|vierde|laatste|{_ORD}+)\s+kwartaal\s+(?:van\s+)?(?P<y>{_Y})",
        _I,
    ),
    re.compile(
        rf"(?<![\w])(?P<h>eerste|tweede|{_ORD}+)\s+(?:helft|hel[mM]|halfjaar|jaarhelft)\s+(?:van\s+)?(?P<y>{_Y})",
        _I,
    ),
)
_DATE_DMY = re.compile(
    rf"(?P<d>(?<![{_PLACEHOLDERS}]){_NUM}{{1,2}}(?![{_PLACEHOLDERS}]))\s+{_month('m')}(?:\s+(?P<y>{_Y}))?", _I
)
_MONTH_RANGE = re.compile(
    rf"{_month('m1')}(?:\s+(?P<y1>{_Y}))?\s*(?:-|–|—|tot(?:\s+en\s+met)?|t/m)\s*{_month('m2')}\s+(?P<y2>{_Y})",
    _I,
)
_YEAR_MONTH_RANGE = re.compile(
    rf"(?P<y1>{_Y})\s*(?:-|–|—|tot(?:\s+en\s+met)?|t/m)\s*{_month('m2')}\s+(?P<y2>{_Y})", _I
)
_MONTH_YEAR = re.compile(rf"{_month('m')}\s+(?P<y>{_Y})", _I)
_YEAR_RANGE = re.compile(
    rf"(?:(?<![\w])(?P<pre>tussen|van|vanaf|periode)\s+)?(?P<y1>{_Y})\s*"
    rf"(?P<sep>-|–|—|/|tot(?:\s+en\s+met)?|t/m|t\.m\.|en)\s*(?P<y2>{_Y})",
    _I,
)
_CHANGE_FROM_TO = re.compile(rf"(?<![\w])van\s+{_sq('1')}\s+naar\s+{_sq('2')}", _I)
_CHANGE_VERB_MET = re.compile(rf"(?<![\w])(?P<v>{_UP}|{_DOWN})\s+met\s+{_sq('1')}", _I)
_CHANGE_MET_VERB = re.compile(
    rf"(?<![\w])met\s+{_sq('1')}\s+(?:(?:is|zijn|was|waren)\s+)?(?P<v>{_UP}|{_DOWN}|toe|af)(?![^\W\d_])", _I
)
_CHANGE_NOUN = re.compile(
    rf"(?<![\w])(?:een\s+|de\s+)?(?P<v>{_CHANGE_NOUNS})\s+(?:van|met)\s+{_sq('1')}(?!\s+naar)", _I
)
_FACTOR_VERB = re.compile(
    rf"{_hedge_group('h1')}(?:{_ART}+\s+)?(?<![\w])(?P<w>verdubbel(?:d|de|den|t|en|ing|ingen)?|"
    r"ver(?P<n>twee|drie|vier|vijf|zes|zeven|acht|negen|tien|honderd|duizend)voudig(?:d|de|den|t|en|ing|ingen)?|"
    r"(?:ge)?halveer(?:d|de|den|t)?|halveren|halvering(?:en)?)(?![^\W\d_])",
    _I,
)
_FACTOR_KEER = re.compile(
    rf"{_hedge_group('h1')}(?:(?P<a1>{_A})\s*(?:keer|maal|x)|(?<![\w])(?P<w>twee|drie|vier|vijf|tien|honderd)maal)"
    r"\s+(?:zo\s+(?:groot|hoog|veel|klein|laag|lang|duur|snel)|zoveel|meer|groter|hoger|zo(?![^\W\d_]))",
    _I,
)
_RATIO = re.compile(
    rf"{_hedge_group('h1')}(?P<a1>{_AA})\s+op\s+(?:de\s+|het\s+)?(?P<a2>{_A})(?!\s*(?:%|procent))", _I
)
_FRACTION_COMPOUND = re.compile(
    rf"{_hedge_group('h1')}(?<![\w])(?P<w>(?:twee|drie|vier|vijf|zes|zeven|acht|negen)"
    r"(?:derde|vierde|vijfde|zesde|zevende|achtste|negende|tiende|kwart)n?)(?![^\W\d_])",
    _I,
)
_FRACTION_WORDS_RE = re.compile(
    rf"{_hedge_group('h1')}(?P<a1>{_AA})\s*-?\s*(?P<w>derde|vierde|vijfde|zesde|zevende|achtste|negende|tiende|"
    r"twintigste|honderdste|kwart)n?(?![^\W\d_])",
    _I,
)
_HALF = re.compile(
    rf"{_hedge_group('h1')}(?<![\w])(?:(?P<art>de|het|een|¤¤¤)\s+)?(?P<w>helft|hel[mM](?![^\W\d_])|overgrote\s+meerderheid|"
    r"ruime\s+meerderheid|kleine\s+meerderheid|meerderheid|minderheid)(?![^\W\d_])",
    _I,
)
_FRACTION_AFTER_EEN = re.compile(
    r"\s*(?:$|[.;:!?()\-–]|deel\b|gedeelte\b|van\b|ervan\b|daarvan\b|hiervan\b|is\b|was\b|zijn\b|waren\b|heeft\b|"
    r"had\b|komt\b|kwam\b|woont\b|werkt\b|procent\b|%)",
    _I,
)


def _fraction_after_een(text: str, pos: int) -> bool:
    """Whether "een derde"/"een vijfde" ending at ``pos`` is a fraction rather than an ordinal."""
    if re.match(r"\s*,\s*[^\W\d_]+\s*,", text[pos:]):
        return False  # "Een derde, tijdelijke, opvanglocatie"
    return bool(re.match(r"\s*,", text[pos:]) or _FRACTION_AFTER_EEN.match(text, pos))


_RATE = re.compile(
    rf"{_sq('1')}(?:\s+(?P<noun>[^\W\d_]+))?\s+per\s+(?P<b>{_A})(?:\s+(?P<pop>[^\W\d_]+))?",
    _I,
)
_PROMILLE = re.compile(rf"{_sq('1')}\s*(?:‰|promille)", _I)
_RANGE = re.compile(
    rf"(?:(?<![\w])(?P<pre>tussen|van)\s+(?:de\s+|het\s+)?)?{_sq('1')}\s*"
    rf"(?P<sep>-|–|à|tot(?:\s+en\s+met)?|t/m|en)\s*{_sq('2', hedge=False)}",
    _I,
)
_SIMPLE = re.compile(_sq("1"), _I)
_CONNECTOR = re.compile(r"\s*(?:(?:,|en|of|tot|à|-|–|naar|respectievelijk|resp\.)\s*)+", _I)


_ANY_ATOM = re.compile(f"[{_NUM}{_ART}{_LAB}]")
_NEED_MONTH = re.compile(rf"(?<![^\W\d_])(?:{_MONTH_ALT})(?![^\W\d_])", _I)
_NEED_QUARTER = re.compile(r"q[1-4]|kwartaal|hel[fm]|halfjaar", _I)
_NEED_CHANGE = re.compile(rf"(?<![\w])(?:met|naar|{_CHANGE_NOUNS})(?![\w])", _I)
_NEED_FACTOR = re.compile(r"verdubbel|voudig|halve[er]|keer|maal|#x", _I)
_NEED_FRACTION = re.compile(
    r"derde|vierde|vijfde|zesde|zevende|achtste|negende|tiende|twintigste|honderdste|kwart|(?<![\w])op(?![\w])",
    _I,
)
_NEED_HALF = re.compile(r"hel[fm]|meerderheid|minderheid", _I)
_NEED_RATE = re.compile(r"per|‰|promille", _I)


class _Scanner:
    """Holds the text, its shadow and the quantities found so far for one ``find_numbers`` call."""

    def __init__(self, text: str, markers: Collection[int]) -> None:
        self.text = text
        masked, self.found = _block_spans(text, markers)
        self.masked = masked
        self.taken = [ch == _BLOCK for ch in masked]
        for q in self.found:
            self._take(q.start, q.end)
        atoms = _digit_atoms(masked)
        occupied = [False] * len(text)
        for a in atoms:
            for i in range(a.start, a.end):
                occupied[i] = True
        atoms += _word_atoms(masked, occupied)
        self.atoms = {a.start: a for a in atoms}
        chars = list(masked)
        symbol = {"num": _NUM, "article": _ART, "label": _LAB, "ordinal": _ORD}
        for a in atoms:
            for i in range(a.start, a.end):
                if chars[i] != "\n":
                    chars[i] = symbol[a.kind]
        self.shadow = "".join(chars)

    # -- bookkeeping ----------------------------------------------------------------------------------------

    def _take(self, start: int, end: int) -> None:
        for i in range(start, end):
            self.taken[i] = True

    def _free(self, start: int, end: int) -> bool:
        return not any(self.taken[start:end])

    def original(self, m: re.Match[str], group: str) -> str | None:
        """The original text of a group (the match itself is on the shadow text)."""
        if m.group(group) is None:
            return None
        return self.text[m.start(group) : m.end(group)]

    def atom(self, m: re.Match[str], group: str) -> _Atom | None:
        if m.group(group) is None:
            return None
        return self.atoms.get(m.start(group))

    def quantity(self, start: int, end: int, value: float, unit: str, kind: str, **kw: object) -> Quantity:
        # Never end a span on whitespace.
        while end > start and self.text[end - 1].isspace():
            end -= 1
        hedge, bound = _norm_hedge(kw.pop("hedge_text", None))  # type: ignore[arg-type]
        return Quantity(
            value=float(value),
            text=self.text[start:end],
            start=start,
            end=end,
            unit=unit,
            kind=kind,
            hedge=hedge,
            bound=bound,
            **kw,  # type: ignore[arg-type]
        )

    def run(
        self,
        pattern: re.Pattern[str],
        handler: Callable[[re.Match[str]], Quantity | None],
        needs: re.Pattern[str] | None = _ANY_ATOM,
    ) -> None:
        """Apply one rule: every match of ``pattern`` on free text that ``handler`` accepts becomes a quantity.

        ``needs`` is a cheap pre-check; the (slower) pattern only runs when it is found in the shadow text.
        """
        if needs is not None and not needs.search(self.shadow):
            return
        pos = 0
        while True:
            m = pattern.search(self.shadow, pos)
            if m is None:
                return
            if m.end() == m.start():
                pos = m.end() + 1
                continue
            q = handler(m) if self._free(m.start(), m.end()) else None
            if q is None:
                pos = m.start() + 1
                continue
            self.found.append(q)
            self._take(m.start(), m.end())
            pos = m.end()

    # -- simple quantities ----------------------------------------------------------------------------------

    def simple(
        self, m: re.Match[str], n: str, start: int | None = None, end: int | None = None
    ) -> Quantity | None:
        atom = self.atom(m, f"a{n}")
        if atom is None or atom.kind != "num":
            return None
        start = m.start() if start is None else start
        end = m.end() if end is None else end
        hedge_text = self.original(m, f"h{n}") if f"h{n}" in m.re.groupindex else None
        cur = m.group(f"c{n}")
        unit_text = m.group(f"u{n}")
        noun = _next_word(self.text, end)
        _, bound = _norm_hedge(hedge_text)
        if cur or (unit_text and _norm_unit(unit_text)[1] == "money"):
            unit, kind = "euro", "money"
        elif unit_text:
            unit, kind = _norm_unit(unit_text)
        elif (
            self._year_like(atom, start)
            and not (_is_person_noun(noun) or noun in _COUNT_NOUNS_AFTER_YEAR)
            and bound in ("exact", "approx")
        ):
            return self.quantity(
                start, end, atom.value, "", "year", hedge_text=hedge_text, period=f"{int(atom.value)}"
            )
        else:
            unit, kind = ("personen" if _is_person_noun(noun) else ""), "count"
        return self.quantity(
            start,
            end,
            atom.value,
            unit,
            kind,
            hedge_text=hedge_text,
            decimals=atom.decimals,
            noun="" if unit_text or cur else noun,
        )

    def _year_like(self, atom: _Atom, start: int) -> bool:
        """A four-digit year, or a year in words after "in", "sinds", ... ("in tweeduizend drieëntwintig")."""
        if atom.is_year:
            return True
        return (
            atom.word
            and atom.kind == "num"
            and 1900 <= atom.value <= 2100
            and bool(_YEAR_WORD_BEFORE.search(self.text[max(0, start - 12) : start]))
        )

    # -- rules ----------------------------------------------------------------------------------------------

    def labels(self) -> None:
        def line_label(m: re.Match[str]) -> Quantity | None:
            atom = self.atom(m, "a")
            if atom is None:
                return None
            if atom.kind == "num" and (atom.word or not atom.plain or atom.value >= 1000):
                return None
            after = self.text[atom.end :].lstrip(" \t")
            if after[:1] not in (".", "", "\n") and not (
                after[:1].isupper() or self.masked[len(self.text) - len(after)] == _BLOCK
            ):
                return None  # "18 procent ..." at a line start is a number, "2 Een statushouder ..." a label
            return self.quantity(m.start("a"), m.end("a"), atom.value, "", "label")

        def key_label(m: re.Match[str]) -> Quantity | None:
            atom = self.atom(m, "a")
            if atom is None or atom.kind not in ("num", "label"):
                return None
            return self.quantity(m.start(), m.end(), atom.value, "", "label")

        def law_year(m: re.Match[str]) -> Quantity | None:
            atom = self.atom(m, "a")
            if atom is None or not atom.is_year:
                return None
            return self.quantity(
                m.start("a"), m.end("a"), atom.value, "", "label", period=str(int(atom.value))
            )

        self.run(_LINE_LABEL, line_label)
        self.run(_KEY_LABEL, key_label)
        self.run(_LAW_YEAR, law_year)

    def periods(self) -> None:
        ordinals = {"eerste": 1, "tweede": 2, "derde": 3, "vierde": 4, "laatste": 4}

        def year(m: re.Match[str], group: str) -> int | None:
            atom = self.atom(m, group)
            return int(atom.value) if atom is not None and atom.is_year else None

        def quarter(m: re.Match[str]) -> Quantity | None:
            y = year(m, "y")
            if y is None:
                return None
            if "q" in m.re.groupindex and m.group("q"):
                q = int(m.group("q"))
            else:
                key = "o" if "o" in m.re.groupindex else "h"
                word = m.group(key).lower()
                if word in ordinals:
                    q = ordinals[word]
                else:
                    atom = self.atom(m, key)
                    q = int(atom.value) if atom is not None else 0
                if key == "h":
                    if q not in (1, 2):
                        return None
                    return self.quantity(m.start(), m.end(), y, "", "period", period=f"{y}-H{q}")
            if not 1 <= q <= 4:
                return None
            return self.quantity(m.start(), m.end(), y, "", "period", period=f"{y}-Q{q}")

        def date(m: re.Match[str]) -> Quantity | None:
            day_atom = self.atom(m, "d")
            if day_atom is None or not day_atom.plain or not 1 <= day_atom.value <= 31:
                return None
            month = _MONTHS[m.group("m").lower()]
            d = int(day_atom.value)
            y = year(m, "y") if m.group("y") else None
            if m.group("y") and y is None:
                return None
            if y is None:
                return self.quantity(m.start(), m.end(), d, "", "date", period=f"--{month:02d}-{d:02d}")
            return self.quantity(m.start(), m.end(), y, "", "date", period=f"{y:04d}-{month:02d}-{d:02d}")

        def month_range(m: re.Match[str]) -> Quantity | None:
            y2 = year(m, "y2")
            y1 = year(m, "y1") if m.group("y1") else y2
            if y1 is None or y2 is None:
                return None
            m1, m2 = _MONTHS[m.group("m1").lower()], _MONTHS[m.group("m2").lower()]
            return self.quantity(
                m.start(),
                m.end(),
                y2,
                "",
                "period",
                period=f"{y1}-{m1:02d}/{y2}-{m2:02d}",
                from_value=float(y1),
                relation="range",
            )

        def year_month_range(m: re.Match[str]) -> Quantity | None:
            y1, y2 = year(m, "y1"), year(m, "y2")
            if y1 is None or y2 is None or y1 > y2:
                return None
            m2 = _MONTHS[m.group("m2").lower()]
            return self.quantity(
                m.start(),
                m.end(),
                y2,
                "",
                "period",
                period=f"{y1}/{y2}-{m2:02d}",
                from_value=float(y1),
                relation="range",
            )

        def month_year(m: re.Match[str]) -> Quantity | None:
            y = year(m, "y")
            if y is None:
                return None
            month = _MONTHS[m.group("m").lower()]
            return self.quantity(m.start(), m.end(), y, "", "period", period=f"{y}-{month:02d}")

        def year_range(m: re.Match[str]) -> Quantity | None:
            y1, y2 = year(m, "y1"), year(m, "y2")
            if y1 is None or y2 is None or y2 <= y1:
                return None
            pre = (m.group("pre") or "").lower()
            sep = m.group("sep").lower()
            if sep == "en" and pre != "tussen":
                return None
            start = m.start() if pre else m.start("y1")
            return self.quantity(
                start, m.end(), y2, "", "period", period=f"{y1}/{y2}", from_value=float(y1), relation="range"
            )

        for pattern in _QUARTERS:
            self.run(pattern, quarter, _NEED_QUARTER)
        self.run(_MONTH_RANGE, month_range, _NEED_MONTH)
        self.run(_YEAR_MONTH_RANGE, year_month_range, _NEED_MONTH)
        self.run(_DATE_DMY, date, _NEED_MONTH)
        self.run(_MONTH_YEAR, month_year, _NEED_MONTH)
        self.run(_YEAR_RANGE, year_range)

    def changes(self) -> None:
        def from_to(m: re.Match[str]) -> Quantity | None:
            a1, a2 = self.atom(m, "a1"), self.atom(m, "a2")
            if a1 is None or a2 is None or a1.kind != "num" or a2.kind != "num":
                return None
            if (
                a1.is_year
                and a2.is_year
                and not (m.group("u1") or m.group("u2") or m.group("c1") or m.group("c2"))
            ):
                return None
            final = self.simple(m, "2", start=m.start())
            if final is None or final.kind == "year":
                return None
            unit, kind = final.unit, final.kind
            if not (m.group("u2") or m.group("c2")) and (m.group("u1") or m.group("c1")):
                first = self.simple(
                    m, "1", start=m.start("a1"), end=m.end("u1") if m.group("u1") else m.end("a1")
                )
                if first is not None:
                    unit, kind = first.unit, first.kind
            return replace(final, unit=unit, kind=kind, from_value=a1.value, relation="change")

        def signed(m: re.Match[str]) -> Quantity | None:
            q = self.simple(m, "1", start=m.start())
            if q is None or q.kind == "year":
                return None
            sign = -1.0 if _DOWN_WORDS.match(" ".join(m.group("v").split())) else 1.0
            return replace(q, value=sign * q.value, kind="change")

        self.run(_CHANGE_FROM_TO, from_to, _NEED_CHANGE)
        self.run(_CHANGE_VERB_MET, signed, _NEED_CHANGE)
        self.run(_CHANGE_MET_VERB, signed, _NEED_CHANGE)
        self.run(_CHANGE_NOUN, signed, _NEED_CHANGE)

    def factors(self) -> None:
        def verb(m: re.Match[str]) -> Quantity | None:
            w = m.group("w").lower()
            if "halve" in w or "halver" in w:
                value = 0.5
            elif m.group("n"):
                word_value = _word_value(m.group("n"))
                if word_value is None:
                    return None
                value = word_value
            else:
                value = 2.0
            q = self.quantity(
                m.start(), m.end(), value, "factor", "factor", hedge_text=self.original(m, "h1")
            )
            if value < 1 and q.bound in ("lower", "upper"):
                # "bijna gehalveerd": the factor is just above 0,5, so 0,5 is a lower bound.
                q = replace(q, bound="upper" if q.bound == "lower" else "lower")
            return q

        def keer(m: re.Match[str]) -> Quantity | None:
            if m.group("w"):
                value = _word_value(m.group("w"))
                decimals = 0
            else:
                atom = self.atom(m, "a1")
                if atom is None or atom.kind != "num" or atom.is_year:
                    return None
                value, decimals = atom.value, atom.decimals
            if value is None:
                return None
            return self.quantity(
                m.start(),
                m.end(),
                value,
                "factor",
                "factor",
                hedge_text=self.original(m, "h1"),
                decimals=decimals,
            )

        self.run(_FACTOR_VERB, verb, _NEED_FACTOR)
        self.run(_FACTOR_KEER, keer, _NEED_FACTOR)

    def fractions(self) -> None:
        def ratio(m: re.Match[str]) -> Quantity | None:
            a1, a2 = self.atom(m, "a1"), self.atom(m, "a2")
            if a1 is None or a2 is None or a1.is_year or a2.is_year:
                return None
            if a1.value <= 0 or a2.value <= 0 or a1.value > a2.value or a1.value != int(a1.value):
                return None
            return self.quantity(
                m.start(),
                m.end(),
                a1.value / a2.value,
                "share",
                "fraction",
                hedge_text=self.original(m, "h1"),
            )

        def compound(m: re.Match[str]) -> Quantity | None:
            value = _fraction_value(m.group("w").lower())
            if value is None:
                return None
            return self.quantity(
                m.start(), m.end(), value, "share", "fraction", hedge_text=self.original(m, "h1")
            )

        def words(m: re.Match[str]) -> Quantity | None:
            atom = self.atom(m, "a1")
            if atom is None or atom.value < 1 or atom.value != int(atom.value) or atom.value >= 10:
                return None
            if atom.kind == "article" or self.text[atom.start : atom.end].lower() == "een":
                if m.group("w").lower() != "kwart" and not _fraction_after_een(self.text, m.end()):
                    return None  # "een derde locatie" is an ordinal
            elif atom.kind != "num":
                return None
            value = atom.value / _FRACTION_WORDS[m.group("w").lower()]
            return self.quantity(
                m.start(), m.end(), value, "share", "fraction", hedge_text=self.original(m, "h1")
            )

        def half(m: re.Match[str]) -> Quantity | None:
            w = " ".join(m.group("w").lower().split())
            art = (self.original(m, "art") or "").lower()
            hedge_text = self.original(m, "h1")
            if w.startswith("hel"):
                if art not in ("de", "het") and not hedge_text:
                    return None
                return self.quantity(m.start(), m.end(), 0.5, "share", "fraction", hedge_text=hedge_text)
            if not art and not hedge_text:
                return None
            if w == "minderheid":
                return self.quantity(m.start(), m.end(), 0.5, "share", "fraction", hedge_text="minder dan")
            value = 0.75 if w.startswith("overgrote") else 0.5
            return self.quantity(m.start(), m.end(), value, "share", "fraction", hedge_text="meer dan")

        self.run(_RATIO, ratio, _NEED_FRACTION)
        self.run(_FRACTION_COMPOUND, compound, _NEED_FRACTION)
        self.run(_FRACTION_WORDS_RE, words, _NEED_FRACTION)
        self.run(_HALF, half, _NEED_HALF)

    def rates(self) -> None:
        def rate(m: re.Match[str]) -> Quantity | None:
            base = self.atom(m, "b")
            if (
                base is None
                or base.value not in (100, 1000, 10_000, 100_000)
                or m.group("u1")
                or m.group("c1")
            ):
                return None
            q = self.simple(m, "1")
            if q is None:
                return None
            pop = (m.group("pop") or "").lower()
            end = m.end() if pop else m.end("b")
            unit = f"per {int(base.value)}" + (f" {pop}" if pop else "")
            noun = (m.group("noun") or "").lower()
            q = self.quantity(
                q.start,
                end,
                q.value,
                unit,
                "rate",
                hedge_text=self.original(m, "h1"),
                decimals=q.decimals,
                noun=noun,
            )
            return q

        def promille(m: re.Match[str]) -> Quantity | None:
            q = self.simple(m, "1")
            if q is None or m.group("u1") or m.group("c1"):
                return None
            return replace(
                q, text=self.text[q.start : m.end()], end=m.end(), unit="per 1000", kind="rate", noun=""
            )

        self.run(_RATE, rate, _NEED_RATE)
        self.run(_PROMILLE, promille, _NEED_RATE)

    def ranges(self) -> None:
        def rng(m: re.Match[str]) -> Quantity | None:
            a1, a2 = self.atom(m, "a1"), self.atom(m, "a2")
            if a1 is None or a2 is None or a1.kind != "num" or a2.kind != "num":
                return None
            pre = (m.group("pre") or "").lower()
            sep = " ".join(m.group("sep").lower().split())
            if sep == "en" and pre != "tussen":
                return None
            if sep.startswith("tot") and pre not in ("van", "tussen"):
                return None
            if pre == "van" and not sep.startswith("tot"):
                return None
            if (a1.is_year or a2.is_year) and not (m.group("u2") or m.group("c1")):
                return None
            if a1.value >= a2.value:
                return None
            if m.group("u1") and m.group("u2") and _norm_unit(m.group("u1")) != _norm_unit(m.group("u2")):
                return None
            high = self.simple(m, "2", start=m.start())
            if high is None:
                return None
            unit, kind = high.unit, high.kind
            if m.group("c1") and kind == "count":
                unit, kind = "euro", "money"
            hedge, bound = _norm_hedge(self.original(m, "h1"))
            return replace(
                high, unit=unit, kind=kind, from_value=a1.value, relation="range", hedge=hedge, bound=bound
            )

        self.run(_RANGE, rng)

    def simples(self) -> None:
        self.run(_SIMPLE, lambda m: self.simple(m, "1"))

    def leftovers(self) -> None:
        for atom in self.atoms.values():
            if atom.kind in ("label", "ordinal") and self._free(atom.start, atom.end):
                self.found.append(self.quantity(atom.start, atom.end, atom.value, "", atom.kind))
                self._take(atom.start, atom.end)

    def propagate_units(self) -> None:
        """Give bare numbers in a list the unit of the last one: "0,6 en 0,9 naar 1,6 en 2,5 procent"."""
        self.found.sort(key=lambda q: q.start)
        inherited = [False] * len(self.found)
        for i in range(len(self.found) - 2, -1, -1):
            q, nxt = self.found[i], self.found[i + 1]
            if q.kind != "count" or q.unit or q.noun or q.from_value is not None:
                continue
            if nxt.kind not in ("percent", "duration", "rate") and nxt.unit != "fte":
                continue
            gap = self.text[q.end : nxt.start]
            if not gap.strip() or not _CONNECTOR.fullmatch(gap):
                continue
            if gap.strip() == "," and not inherited[i + 1]:
                continue  # "bijna 19.000, nog geen 5 procent": a comma alone does not make a list
            self.found[i] = replace(q, unit=nxt.unit, kind=nxt.kind)
            inherited[i] = True


def find_numbers(
    text: str, footnote_markers: Collection[int] = (), *, include_labels: bool = False
) -> list[Quantity]:
    """All quantities in ``text``, in order of position, non-overlapping.

    ``footnote_markers`` are the footnote numbers printed on the page; a marker glued to a word, number,
    percent sign or closing parenthesis ("inwoners7", "18.48094", "(5,1%)8") is removed before parsing.
    Labels ("Tabel 4", "paragraaf 2.3", heading numbers) and ordinals ("5e verdieping") are only returned
    when ``include_labels`` is true, as kind ``"label"`` and ``"ordinal"``.
    """
    if not text:
        return []
    scanner = _Scanner(text, frozenset(footnote_markers))
    scanner.labels()
    scanner.periods()
    scanner.changes()
    scanner.factors()
    scanner.fractions()
    scanner.rates()
    scanner.ranges()
    scanner.simples()
    scanner.leftovers()
    scanner.propagate_units()
    found = sorted(scanner.found, key=lambda q: q.start)
    if not include_labels:
        found = [q for q in found if q.kind not in ("label", "ordinal")]
    return found


def years_in(text: str) -> list[int]:
    """The years a text refers to (bare years, periods, dates, quarters), in order, without repeats.

    Years that are part of a name ("Wet inburgering 2021", "Wi2021") are not counted.
    """
    years: list[int] = []
    for q in find_numbers(text):
        found: list[int] = []
        if q.kind == "year":
            found = [int(q.value)]
        elif q.kind in ("period", "date"):
            found = [int(y) for y in re.findall(r"(?<!\d)(\d{4})(?!\d)", q.period)]
        for y in found:
            if y not in years:
                years.append(y)
    return years


# ---------------------------------------------------------------------------------------------------------
# Comparing quantities
# ---------------------------------------------------------------------------------------------------------

_MONTHS_PER = {
    "jaar": 12.0,
    "maanden": 1.0,
    "weken": 12.0 / 52.0,
    "dagen": 12.0 / 365.0,
    "uur": 12.0 / 8760.0,
}


def _dimension(q: Quantity) -> tuple[str, float]:
    """The comparable dimension of a quantity and the factor that converts its value into it."""
    if q.kind == "change":
        inner = replace(
            q,
            kind="money" if q.unit == "euro" else ("percent" if q.unit in ("%", "procentpunt") else "count"),
        )
        dim, scale = _dimension(inner)
        return f"verandering {dim}", scale
    if q.kind == "fraction" or q.unit == "share":
        return "percent", 100.0
    if q.kind == "percent":
        return ("procentpunt", 1.0) if q.unit == "procentpunt" else ("percent", 1.0)
    if q.kind == "money":
        return "euro", 1.0
    if q.kind == "duration":
        return "maanden", _MONTHS_PER.get(q.unit, 1.0)
    if q.kind == "rate":
        return q.unit, 1.0
    if q.kind == "factor":
        return "factor", 1.0
    if q.kind == "count":
        return ("fte", 1.0) if q.unit == "fte" else ("aantal", 1.0)
    return q.kind, 1.0


def as_comparable(q: Quantity) -> tuple[str, float]:
    """(dimension, value) with percent and share on one scale: "tweederde" -> ("percent", 66.67).

    Durations become months, money euros, counts ``"aantal"``; a change gets ``"verandering ..."``.
    """
    dim, scale = _dimension(q)
    return dim, q.value * scale


def _granularity(q: Quantity, claimed: bool) -> float:
    """The rounding step of a written number: 11,4 -> 0,1; "18.000" said in a claim -> 1.000."""
    if q.decimals != 0:
        return float(10.0 ** (-q.decimals))
    if not claimed or q.value != int(q.value) or q.hedge == "precies":
        return 1.0
    n = abs(int(q.value))
    digits = len(str(n))
    return float(10 ** min(_trailing_zeros(n), max(digits - 2, 0)))


def _interval(q: Quantity, claimed: bool) -> tuple[float, float]:
    """The values a quantity is consistent with, in its own unit, given its hedge and precision."""
    v = q.value
    if q.kind == "fraction":
        g, near = 0.05, 0.05
    elif q.kind == "factor" and q.decimals == 0:
        g, near = 0.0, 0.0
    else:
        g = _granularity(q, claimed)
        near = max(g, 0.1 * abs(v))
    if q.relation == "range" and q.from_value is not None:
        return q.from_value - g / 2, v + g / 2
    if q.kind == "factor" and q.decimals == 0:
        return _factor_interval(v, q.bound, q.hedge)
    if q.bound == "lower":
        return (v, math.inf) if q.hedge in ("meer dan", "ten minste") else (v, v + near)
    if q.bound == "upper":
        return (-math.inf, v) if q.hedge in ("minder dan", "maximaal") else (v - near, v)
    if q.bound == "approx":
        return min(v - g / 2, v - 0.1 * abs(v)), max(v + g / 2, v + 0.1 * abs(v))
    return v - g / 2, v + g / 2


def _factor_interval(v: float, bound: str, hedge: str) -> tuple[float, float]:
    """A factor said in words ("verdubbeld", "bijna drie keer zo groot") rounds to the nearest half step.

    A shrinking factor ("gehalveerd", 0,5) is handled as its reciprocal (2), so that "bijna gehalveerd"
    is a factor between 0,5 and 0,67.
    """
    if v <= 0:
        return v, v
    if v < 1:
        swapped = {"lower": "upper", "upper": "lower"}.get(bound, bound)
        lo, hi = _factor_interval(1 / v, swapped, hedge)
        return (1 / hi if hi else 0.0), (1 / lo if lo > 0 else math.inf)
    open_ended = hedge in ("meer dan", "ten minste", "minder dan", "maximaal")
    if bound == "lower":
        return (v, math.inf) if open_ended else (v, v + 0.5)
    if bound == "upper":
        return (1.0, v) if open_ended else (v - 0.5, v)
    if bound == "approx":
        return min(v - 0.5, v * 0.75), max(v + 0.5, v * 1.25)
    return v - 0.5, v + 0.5


def _derived(claimed: Quantity, reported: Quantity) -> Quantity:
    """The reported quantity in the claim's terms when the claim is a change or factor and the report
    gives a start and end value ("van 607 naar 1.015")."""
    if reported.from_value is None or reported.relation == "range":
        return reported
    v, f = reported.value, reported.from_value
    if claimed.kind == "factor" and reported.kind != "factor" and f:
        return replace(
            reported,
            value=v / f,
            kind="factor",
            unit="factor",
            from_value=None,
            relation="",
            decimals=6,
            hedge="",
            bound="exact",
        )
    if claimed.kind == "change" and reported.kind != "change":
        if claimed.unit == "%" and f:
            return replace(
                reported,
                value=(v - f) / f * 100,
                kind="change",
                unit="%",
                from_value=None,
                relation="",
                decimals=6,
                hedge="",
                bound="exact",
            )
        unit = "procentpunt" if reported.kind == "percent" else reported.unit
        return replace(
            reported,
            value=v - f,
            kind="change",
            unit=unit,
            from_value=None,
            relation="",
            decimals=max(reported.decimals, 0),
            hedge="",
            bound="exact",
        )
    return reported


def _period_of(q: Quantity) -> str:
    return q.period or (str(int(q.value)) if q.kind == "year" else "")


def matches(claimed: Quantity, reported: Quantity) -> tuple[bool, str]:
    """Is the claimed quantity consistent with the reported one, given hedge, rounding and unit?

    Returns ``(ok, reason)``; reasons are short Dutch phrases: "exact", "afgerond", "binnen marge",
    "ondergrens", "bovengrens" when consistent; "andere eenheid", "factor 10" (100, 1000), "te hoog",
    "te laag", "ander jaar", "andere periode", "andere beginwaarde" when not.
    """
    if claimed.kind in ("year", "period", "date") or reported.kind in ("year", "period", "date"):
        if claimed.kind not in ("year", "period", "date") or reported.kind not in ("year", "period", "date"):
            return False, "andere eenheid"
        cp, rp = _period_of(claimed), _period_of(reported)
        if cp == rp:
            return True, "exact"
        if claimed.kind == "year" and reported.kind == "year":
            return False, "ander jaar"
        return False, "andere periode"
    reported = _derived(claimed, reported)
    c_dim, c_scale = _dimension(claimed)
    r_dim, r_scale = _dimension(reported)
    if c_dim != r_dim:
        return False, "andere eenheid"
    ok, reason = _compare(claimed, c_scale, reported, r_scale)
    if ok and claimed.from_value is not None and reported.from_value is not None:
        if claimed.relation == "change" and reported.relation == "change":
            before_c = replace(claimed, value=claimed.from_value, from_value=None, relation="")
            before_r = replace(reported, value=reported.from_value, from_value=None, relation="")
            if not _compare(before_c, c_scale, before_r, r_scale)[0]:
                return False, "andere beginwaarde"
    return ok, reason


def _compare(claimed: Quantity, c_scale: float, reported: Quantity, r_scale: float) -> tuple[bool, str]:
    c_lo, c_hi = (x * c_scale for x in _interval(claimed, claimed=True))
    r_lo, r_hi = (x * r_scale for x in _interval(reported, claimed=False))
    c_val, r_val = claimed.value * c_scale, reported.value * r_scale
    eps = 1e-9 * max(1.0, abs(c_val), abs(r_val))
    if c_lo <= r_hi + eps and r_lo <= c_hi + eps:
        if abs(c_val - r_val) <= eps:
            return True, "exact"
        if claimed.bound == "approx":
            return True, "binnen marge"
        if claimed.hedge in ("meer dan", "ten minste", "minder dan", "maximaal"):
            near = max(_granularity(claimed, True), 0.1 * abs(claimed.value)) * c_scale
            if abs(r_val - c_val) > near + eps:
                return True, "ondergrens" if claimed.bound == "lower" else "bovengrens"
        return True, "afgerond"
    if claimed.kind != "factor" and c_val and r_val and math.isfinite(c_lo) and math.isfinite(c_hi):
        for k in (1, 2, 3):
            for direction in (1, -1):
                f = 10.0 ** (k * direction)
                if c_lo / f <= r_hi + eps and r_lo <= c_hi / f + eps:
                    return False, f"factor {10**k}"
    return (False, "te hoog") if c_lo > r_hi else (False, "te laag")
