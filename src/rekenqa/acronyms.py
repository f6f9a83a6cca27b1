"""Acronyms the report defines, "Richtlijn Tijdelijke Bescherming (RTB)", and the words they stand for (pure).

The report writes a name out once and uses its acronym after that ("de RTB … geldt nu tot en met 4 maart
2027"); users write either. A sentence that uses one of the two also holds the words of the other, so a
question or claim in the long form finds the sentence in the short one, and the other way round.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence

# "(RTB)", "(RooO)", "(AenM)": two to seven letters with at least two capitals.
_DEFINED = re.compile(r"\(([A-Z][A-Za-z]{1,6})\)")
_WORD = re.compile(r"[^\W\d_][\w-]*")
MAX_WORDS = 8  # the longest written-out name the report gives ("Regionale Instelling voor … Wonen")


def defined(texts: Iterable[str]) -> dict[str, str]:
    """Acronym -> its written-out name, for every "Name Of Thing (NOT)" in ``texts`` (the first one found)."""
    out: dict[str, str] = {}
    for text in texts:
        for match in _DEFINED.finditer(text):
            acronym = match.group(1)
            if sum(c.isupper() for c in acronym) < 2 or acronym in out:
                continue
            words = _WORD.findall(text[: match.start()])[-MAX_WORDS:]
            name = _expansion(acronym, words)
            if name:
                out[acronym] = name
    return out


def _expansion(acronym: str, words: Sequence[str]) -> str:
    """The written-out name among the last ``words``: the run whose word initials are the acronym's capitals
    ("Plan Inburgering en Participatie" for PIP), else the shortest run that starts with its first letter and
    holds its letters in order ("Werkgeverservicepunt" for WSP)."""
    letters = acronym.lower()
    capitals = "".join(c for c in acronym if c.isupper()).lower()
    runs = [words[start:] for start in range(len(words) - 1, -1, -1) if words[start][:1].isupper()]
    for run in runs:
        if "".join(w[0] for w in run if w.lower() not in _LINK_WORDS).lower() == capitals:
            return " ".join(run)
    for run in runs:
        if run[0][0].lower() == letters[0] and _in_order(letters, " ".join(run).lower()):
            return " ".join(run)
    return ""


_LINK_WORDS = frozenset({"en", "van", "voor", "de", "het", "der", "of", "op"})


def _in_order(letters: str, text: str) -> bool:
    at = 0
    for letter in letters:
        at = text.find(letter, at)
        if at < 0:
            return False
        at += 1
    return True


def term_links(
    names: Mapping[str, str], analyze: Callable[[str], Sequence[str]]
) -> list[tuple[str, frozenset[str], str]]:
    """(the acronym's term, the terms of its name, the name folded to lowercase) for every acronym whose name
    analyses to other terms."""
    out = []
    for acronym, name in sorted(names.items()):
        short, long = analyze(acronym), frozenset(analyze(name))
        if len(short) == 1 and long and short[0] not in long:
            out.append((short[0], long, _flat(name)))
    return out


def linked(terms: frozenset[str], text: str, links: Sequence[tuple[str, frozenset[str], str]]) -> frozenset[str]:
    """``terms`` (of ``text``) with the name's terms for each acronym among them, and the acronym where the
    name itself stands in ``text`` (written out, not merely its stems: "als ingezetene registreren" is not
    the Registratie Niet-Ingezetenen)."""
    extra: set[str] = set()
    flat = ""
    for short, long, name in links:
        if short in terms:
            extra |= long
        elif long <= terms:
            flat = flat or _flat(text)
            if name in flat:
                extra.add(short)
    return terms | extra if extra else terms


def _flat(text: str) -> str:
    return " ".join(_WORD.findall(text.lower()))
