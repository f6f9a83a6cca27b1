"""The words around a number: the hedge before it ("ruim", "bijna"), the unit after it ("procent", "fte")
and the noun it counts ("2.525 personen")."""

from __future__ import annotations

import re

from rekenqa.lexicon import HEDGES, NOT_COUNTED_NOUNS, PERSON_NOUNS, PERSON_SUFFIXES, YEAR_CONTEXT_WORDS

# In the shadow text the article "een" is a placeholder ("een kleine 19.000" -> "¤¤¤ kleine #####").
_HEDGE_ALT = "|".join(
    re.escape(h).replace(r"\ ", r"\s+").replace("een", "(?:een|¤¤¤)")
    for h in sorted(HEDGES, key=len, reverse=True)
)
UNIT_ALT = (
    r"(?:%-?\s?punt(?:en)?|procentpunt(?:en)?|%|procent|pro-[ \t]*\n?[ \t]*cent|pct\.?|euro(?:'s|’s)?|eur|fte|(?-i:Me)"
    r"|jaren|jaar|maanden|maand|weken|week|dagen|dag|uren|uur)(?![^\W\d_])"
)
# A hedge's first word is never the noun a number counts ("19.000 bijna ...").
_NOT_NOUNS = set(NOT_COUNTED_NOUNS) | {w.split()[0] for w in HEDGES}
YEAR_WORD_BEFORE = re.compile(rf"(?<![\w])(?:{'|'.join(YEAR_CONTEXT_WORDS)})\s+$", re.IGNORECASE)


def hedge_group(name: str) -> str:
    """An optional hedge before a number, captured as group ``name``."""
    return rf"(?:(?<![\w])(?P<{name}>{_HEDGE_ALT})(?:\s+|(?<=[±~])\s*))?"


def norm_hedge(raw: str | None) -> tuple[str, str]:
    """(normal form, bound) of a hedge as written; ("", "exact") for none."""
    if not raw:
        return "", "exact"
    key = " ".join(raw.lower().split())
    return HEDGES.get(key, ("", "exact"))


def norm_unit(raw: str) -> tuple[str, str]:
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


def is_person_noun(noun: str) -> bool:
    return noun in PERSON_NOUNS or noun.endswith(PERSON_SUFFIXES)


_SUPERSCRIPTS = re.compile("[\u00b2\u00b3\u00b9\u2070-\u2079]+")


def next_word(text: str, pos: int) -> str:
    """The lowercase word right after ``pos`` (re-joining a word hyphenated over a line break)."""
    m = re.match(r"[ \t]*\n?[ \t]*([^\W\d_][\w’'\-]*)(?:\s*\n\s*([^\W\d_]+))?", text[pos:])
    if not m:
        return ""
    word = m.group(1)
    if word.endswith("-") and m.group(2):
        word = word[:-1] + m.group(2)
    # A footnote marker is no part of the word: "hoofdgroepen¹¹" counts hoofdgroepen.
    word = _SUPERSCRIPTS.sub("", word).rstrip("-").split("/")[0].lower()
    return "" if word in _NOT_NOUNS or len(word) < 3 else word
