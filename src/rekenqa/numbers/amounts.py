"""Rules for amounts made of numbers and words: changes ("van 607 naar 1.015", "met 20 procent gestegen"),
factors ("verdubbeld", "drie keer zo groot"), fractions ("twee derde", "vier op de vijf", "de helft"),
rates ("16,6 per 1000 inwoners"), ranges ("tussen 10 en 15 procent") and simple quantities."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import TYPE_CHECKING

from rekenqa.lexicon import (
    COMPOUND_DENOMINATORS,
    COMPOUND_NUMERATORS,
    FALL_NOUNS,
    FOLD_MULTIPLES,
    FRACTION_DENOMINATORS,
    SHARE_WORDS,
    TIMES_MULTIPLES,
)
from rekenqa.numbers.atoms import ART, PLACEHOLDERS
from rekenqa.numbers.context import hedge_group, norm_hedge, norm_unit
from rekenqa.numbers.grammar import AA, ANY_ATOM, CHANGE_NOUNS, DOWN, IGNORE, UP, A, alt, sq
from rekenqa.numbers.quantity import Quantity
from rekenqa.numbers.words import fraction_value, word_value

if TYPE_CHECKING:
    from rekenqa.numbers.scan import Rule, Scanner

_DENOMINATORS = "|".join(FRACTION_DENOMINATORS)
_DOWN_WORDS = re.compile(rf"^(?:{DOWN}|af|{'|'.join(FALL_NOUNS)})$", IGNORE)

CHANGE_FROM_TO = re.compile(rf"(?<![\w])van\s+{sq('1')}\s+naar\s+{sq('2')}", IGNORE)
CHANGE_VERB_MET = re.compile(rf"(?<![\w])(?P<v>{UP}|{DOWN})\s+met\s+{sq('1')}", IGNORE)
CHANGE_MET_VERB = re.compile(
    rf"(?<![\w])met\s+{sq('1')}\s+(?:(?:is|zijn|was|waren)\s+)?(?P<v>{UP}|{DOWN}|toe|af)(?![^\W\d_])", IGNORE
)
CHANGE_NOUN = re.compile(
    rf"(?<![\w])(?:een\s+|de\s+)?(?P<v>{CHANGE_NOUNS})\s+(?:van|met)\s+{sq('1')}(?!\s+naar)", IGNORE
)
FACTOR_VERB = re.compile(
    rf"{hedge_group('h1')}(?:{ART}+\s+)?(?<![\w])(?P<w>verdubbel(?:d|de|den|t|en|ing|ingen)?|"
    rf"ver(?P<n>{'|'.join(FOLD_MULTIPLES)})voudig(?:d|de|den|t|en|ing|ingen)?|"
    r"(?:ge)?halveer(?:d|de|den|t)?|halveren|halvering(?:en)?)(?![^\W\d_])",
    IGNORE,
)
FACTOR_KEER = re.compile(
    rf"{hedge_group('h1')}(?:(?P<a1>{A})\s*(?:keer|maal|x)|(?<![\w])(?P<w>{'|'.join(TIMES_MULTIPLES)})maal)"
    r"\s+(?:zo\s+(?:groot|hoog|veel|klein|laag|lang|duur|snel)|zoveel|meer|groter|hoger|zo(?![^\W\d_]))",
    IGNORE,
)
RATIO = re.compile(
    rf"{hedge_group('h1')}(?P<a1>{AA})\s+op\s+(?:de\s+|het\s+)?(?P<a2>{A})(?!\s*(?:%|procent))", IGNORE
)
FRACTION_COMPOUND = re.compile(
    rf"{hedge_group('h1')}(?<![\w])(?P<w>(?:{'|'.join(COMPOUND_NUMERATORS)})"
    rf"(?:{'|'.join(COMPOUND_DENOMINATORS)})n?)(?![^\W\d_])",
    IGNORE,
)
FRACTION_WORDS = re.compile(
    rf"{hedge_group('h1')}(?P<a1>{AA})\s*-?\s*(?P<w>{_DENOMINATORS})n?(?![^\W\d_])",
    IGNORE,
)
HALF = re.compile(
    rf"{hedge_group('h1')}(?<![\w])(?:(?P<art>de|het|een|¤¤¤)\s+)?"
    rf"(?P<w>{alt(SHARE_WORDS)})(?![^\W\d_])",
    IGNORE,
)
_FRACTION_AFTER_EEN = re.compile(
    r"\s*(?:$|[.;:!?()\-–]|deel\b|gedeelte\b|van\b|ervan\b|daarvan\b|hiervan\b|is\b|was\b|zijn\b|waren\b|heeft\b|"
    r"had\b|komt\b|kwam\b|woont\b|werkt\b|procent\b|%)",
    IGNORE,
)
RATE = re.compile(rf"{sq('1')}(?:\s+(?P<noun>[^\W\d_]+))?\s+per\s+(?P<b>{A})(?:\s+(?P<pop>[^\W\d_]+))?", IGNORE)
PROMILLE = re.compile(rf"{sq('1')}\s*(?:‰|promille)", IGNORE)
RANGE = re.compile(
    rf"(?:(?<![\w])(?P<pre>tussen|van)\s+(?:de\s+|het\s+)?)?{sq('1')}\s*"
    rf"(?P<sep>-|–|à|tot(?:\s+en\s+met)?|t/m|en)\s*{sq('2', hedge=False)}",
    IGNORE,
)
SIMPLE = re.compile(sq("1"), IGNORE)
# "een jaar", "een maand": the article counts one unit of time (a lone "een" stays an article).
ONE_DURATION = re.compile(
    rf"{hedge_group('h1')}(?P<c1>)(?P<a1>(?<![{PLACEHOLDERS}]){ART}+(?![{PLACEHOLDERS}]))\s+"
    rf"(?P<u1>jaar|maand|week|dag)(?![^\W\d_])",
    IGNORE,
)

NEED_CHANGE = re.compile(rf"(?<![\w])(?:met|naar|{CHANGE_NOUNS})(?![\w])", IGNORE)
NEED_FACTOR = re.compile(r"verdubbel|voudig|halve[er]|keer|maal|#x", IGNORE)
NEED_FRACTION = re.compile(rf"{_DENOMINATORS}|(?<![\w])op(?![\w])", IGNORE)
NEED_HALF = re.compile(r"helf|meerderheid|minderheid", IGNORE)
NEED_RATE = re.compile(r"per|‰|promille", IGNORE)


# -- changes ------------------------------------------------------------------------------------------------


def from_to(sc: Scanner, m: re.Match[str]) -> Quantity | None:
    """"van 607 naar 1.015 plekken": the final value, with the start value and the unit of either."""
    a1, a2 = sc.atom(m, "a1"), sc.atom(m, "a2")
    if a1 is None or a2 is None or a1.kind != "num" or a2.kind != "num":
        return None
    if a1.is_year and a2.is_year and not (m.group("u1") or m.group("u2") or m.group("c1") or m.group("c2")):
        return None
    final = sc.simple(m, "2", start=m.start())
    if final is None or final.kind == "year":
        return None
    unit, kind = final.unit, final.kind
    if not (m.group("u2") or m.group("c2")) and (m.group("u1") or m.group("c1")):
        first = sc.simple(m, "1", start=m.start("a1"), end=m.end("u1") if m.group("u1") else m.end("a1"))
        if first is not None:
            unit, kind = first.unit, first.kind
    return replace(final, unit=unit, kind=kind, from_value=a1.value, relation="change")


def signed_change(sc: Scanner, m: re.Match[str]) -> Quantity | None:
    """"met 20 procent gestegen", "een daling van 5 procent": the change, negative for a decrease."""
    q = sc.simple(m, "1", start=m.start())
    if q is None or q.kind == "year":
        return None
    sign = -1.0 if _DOWN_WORDS.match(" ".join(m.group("v").split())) else 1.0
    return replace(q, value=sign * q.value, kind="change")


# -- factors ------------------------------------------------------------------------------------------------


def factor_verb(sc: Scanner, m: re.Match[str]) -> Quantity | None:
    """"verdubbeld" (2), "verdrievoudigd" (3), "gehalveerd" (0,5)."""
    w = m.group("w").lower()
    if "halve" in w or "halver" in w:
        value = 0.5
    elif m.group("n"):
        word = word_value(m.group("n"))
        if word is None:
            return None
        value = word
    else:
        value = 2.0
    q = sc.quantity(m.start(), m.end(), value, "factor", "factor", hedge_text=sc.original(m, "h1"))
    if value < 1 and q.bound in ("lower", "upper"):
        # "bijna gehalveerd": the factor is just above 0,5, so 0,5 is a lower bound.
        q = replace(q, bound="upper" if q.bound == "lower" else "lower")
    return q


def factor_keer(sc: Scanner, m: re.Match[str]) -> Quantity | None:
    """"drie keer zo groot", "2,5 maal zoveel", "tweemaal zo hoog"."""
    if m.group("w"):
        value = word_value(m.group("w"))
        decimals = 0
    else:
        atom = sc.atom(m, "a1")
        if atom is None or atom.kind != "num" or atom.is_year:
            return None
        value, decimals = atom.value, atom.decimals
    if value is None:
        return None
    hedge_text = sc.original(m, "h1")
    return sc.quantity(m.start(), m.end(), value, "factor", "factor", hedge_text=hedge_text, decimals=decimals)


# -- fractions ----------------------------------------------------------------------------------------------


def _fraction_after_een(text: str, pos: int) -> bool:
    """Whether "een derde"/"een vijfde" ending at ``pos`` is a fraction rather than an ordinal."""
    if re.match(r"\s*,\s*[^\W\d_]+\s*,", text[pos:]):
        return False  # "Een derde, tijdelijke, opvanglocatie"
    return bool(re.match(r"\s*,", text[pos:]) or _FRACTION_AFTER_EEN.match(text, pos))


def ratio(sc: Scanner, m: re.Match[str]) -> Quantity | None:
    """"vier op de vijf", "een op de tien"."""
    a1, a2 = sc.atom(m, "a1"), sc.atom(m, "a2")
    if a1 is None or a2 is None or a1.is_year or a2.is_year:
        return None
    if a1.value <= 0 or a2.value <= 0 or a1.value > a2.value or a1.value != int(a1.value):
        return None
    hedge_text = sc.original(m, "h1")
    return sc.quantity(m.start(), m.end(), a1.value / a2.value, "share", "fraction", hedge_text=hedge_text)


def fraction_compound(sc: Scanner, m: re.Match[str]) -> Quantity | None:
    """"tweederde", "driekwart"."""
    value = fraction_value(m.group("w").lower())
    if value is None:
        return None
    return sc.quantity(m.start(), m.end(), value, "share", "fraction", hedge_text=sc.original(m, "h1"))


def fraction_words(sc: Scanner, m: re.Match[str]) -> Quantity | None:
    """"twee derde", "een kwart", "3 vijfde"; "een derde locatie" is an ordinal."""
    atom = sc.atom(m, "a1")
    if atom is None or atom.value < 1 or atom.value != int(atom.value) or atom.value >= 10:
        return None
    if atom.kind == "article" or sc.text[atom.start : atom.end].lower() == "een":
        if m.group("w").lower() != "kwart" and not _fraction_after_een(sc.text, m.end()):
            return None  # "een derde locatie" is an ordinal
    elif atom.kind != "num":
        return None
    value = atom.value / FRACTION_DENOMINATORS[m.group("w").lower()]
    return sc.quantity(m.start(), m.end(), value, "share", "fraction", hedge_text=sc.original(m, "h1"))


def half(sc: Scanner, m: re.Match[str]) -> Quantity | None:
    """"de helft" (0,5), "de meerderheid" (more than half), "de overgrote meerderheid" (more than 75%)."""
    w = " ".join(m.group("w").lower().split())
    art = (sc.original(m, "art") or "").lower()
    hedge_text = sc.original(m, "h1")
    if w.startswith("hel"):
        if art not in ("de", "het") and not hedge_text:
            return None
        return sc.quantity(m.start(), m.end(), 0.5, "share", "fraction", hedge_text=hedge_text)
    if not art and not hedge_text:
        return None
    if w == "minderheid":
        return sc.quantity(m.start(), m.end(), 0.5, "share", "fraction", hedge_text="minder dan")
    value = 0.75 if w.startswith("overgrote") else 0.5
    return sc.quantity(m.start(), m.end(), value, "share", "fraction", hedge_text="meer dan")


# -- rates and ranges ---------------------------------------------------------------------------------------


def rate(sc: Scanner, m: re.Match[str]) -> Quantity | None:
    """"16,6 per 1000 inwoners"."""
    base = sc.atom(m, "b")
    if base is None or base.value not in (100, 1000, 10_000, 100_000) or m.group("u1") or m.group("c1"):
        return None
    q = sc.simple(m, "1")
    if q is None:
        return None
    pop = (m.group("pop") or "").lower()
    end = m.end() if pop else m.end("b")
    unit = f"per {int(base.value)}" + (f" {pop}" if pop else "")
    noun = (m.group("noun") or "").lower()
    return sc.quantity(
        q.start, end, q.value, unit, "rate", hedge_text=sc.original(m, "h1"), decimals=q.decimals, noun=noun
    )


def promille(sc: Scanner, m: re.Match[str]) -> Quantity | None:
    q = sc.simple(m, "1")
    if q is None or m.group("u1") or m.group("c1"):
        return None
    return replace(q, text=sc.text[q.start : m.end()], end=m.end(), unit="per 1000", kind="rate", noun="")


def number_range(sc: Scanner, m: re.Match[str]) -> Quantity | None:
    """"tussen 10 en 15 procent", "van 3 tot 5", "10-15": the upper value, with the lower as ``from_value``."""
    a1, a2 = sc.atom(m, "a1"), sc.atom(m, "a2")
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
    if m.group("u1") and m.group("u2") and norm_unit(m.group("u1")) != norm_unit(m.group("u2")):
        return None
    high = sc.simple(m, "2", start=m.start())
    if high is None:
        return None
    unit, kind = high.unit, high.kind
    if m.group("c1") and kind == "count":
        unit, kind = "euro", "money"
    hedge, bound = norm_hedge(sc.original(m, "h1"))
    return replace(high, unit=unit, kind=kind, from_value=a1.value, relation="range", hedge=hedge, bound=bound)


CHANGE_RULES: tuple[Rule, ...] = (
    (CHANGE_FROM_TO, from_to, NEED_CHANGE),
    (CHANGE_VERB_MET, signed_change, NEED_CHANGE),
    (CHANGE_MET_VERB, signed_change, NEED_CHANGE),
    (CHANGE_NOUN, signed_change, NEED_CHANGE),
)
FACTOR_RULES: tuple[Rule, ...] = (
    (FACTOR_VERB, factor_verb, NEED_FACTOR),
    (FACTOR_KEER, factor_keer, NEED_FACTOR),
)
FRACTION_RULES: tuple[Rule, ...] = (
    (RATIO, ratio, NEED_FRACTION),
    (FRACTION_COMPOUND, fraction_compound, NEED_FRACTION),
    (FRACTION_WORDS, fraction_words, NEED_FRACTION),
    (HALF, half, NEED_HALF),
)
RATE_RULES: tuple[Rule, ...] = (
    (RATE, rate, NEED_RATE),
    (PROMILLE, promille, NEED_RATE),
)
RANGE_RULES: tuple[Rule, ...] = ((RANGE, number_range, ANY_ATOM),)
