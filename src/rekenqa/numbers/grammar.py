"""Shared pieces of the patterns over the shadow text: an atom, a year, a month, a simple quantity, and the
trend words of a change."""

from __future__ import annotations

import re

from rekenqa.lexicon import CHANGE_NOUNS as _CHANGE_NOUN_WORDS
from rekenqa.lexicon import FALL_VERBS, MONTHS, RISE_VERBS
from rekenqa.numbers.atoms import ART, LAB, NUM, PLACEHOLDERS
from rekenqa.numbers.context import UNIT_ALT, hedge_group

IGNORE = re.IGNORECASE
A = rf"(?<![{PLACEHOLDERS}]){NUM}+(?![{PLACEHOLDERS}])"  # a number atom
AA = rf"(?<![{PLACEHOLDERS}])(?:{NUM}+|{ART}+)(?![{PLACEHOLDERS}])"  # a number atom or the article "een"
Y = rf"(?<![{PLACEHOLDERS}]){NUM}{{4}}(?![{PLACEHOLDERS}])"  # a four-digit atom
MONTH_ALT = "|".join(sorted(MONTHS, key=len, reverse=True))
ANY_ATOM = re.compile(f"[{NUM}{ART}{LAB}]")


def alt(words: tuple[str, ...]) -> str:
    """A regex alternation of ``words``, in order, with any whitespace in a phrase as ``\\s+``."""
    return "|".join(w.replace(" ", r"\s+") for w in words)


UP = alt(RISE_VERBS)
DOWN = alt(FALL_VERBS)
CHANGE_NOUNS = alt(_CHANGE_NOUN_WORDS)


def month(name: str) -> str:
    """A month name or abbreviation, captured as group ``name``."""
    return rf"(?<![^\W\d_])(?P<{name}>{MONTH_ALT})\.?(?![^\W\d_])"


def sq(n: str, hedge: bool = True) -> str:
    """A simple quantity: optional hedge, optional currency, a number atom, optional unit."""
    h = hedge_group(f"h{n}") if hedge else ""
    return (
        rf"{h}(?:(?P<c{n}>€|eur(?![^\W\d_])|euro(?![^\W\d_]))\s*)?(?P<a{n}>{A})"
        rf"(?:(?:\s*|-)(?P<u{n}>{UNIT_ALT}))?"
    )
