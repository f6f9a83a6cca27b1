"""Dutch words of opposite meaning, with their inflected forms (pure).

A claim that turns the report's "kleine groep" into a "grote groep", "onvoldoende robuust" into "voldoende"
or "een actieve rol" into "een passieve rol" says the opposite of the report. The lexicon holds base forms
("groot" / "klein"); the forms a sentence uses are derived by the regular rules of Dutch adjectives: the
inflected form ("grote", "zwakke", "actieve", "structurele"), the comparative ("groter", "zwakker") and the
superlative ("grootste"), with the few irregular ones given (goed / beter / best). ``side_of`` maps every
form to its pair and side, so that "grote" and "groter" count as the same side of groot / klein.
"""

from __future__ import annotations

import re
from functools import lru_cache

# Base forms: (one side, the other side). Adjectives and adverbs of judgement, size, degree and frequency as
# an audit report uses them; nouns and verbs of change are given in all their forms.
_ADJECTIVES = (
    ("goed", "slecht"), ("groot", "klein"), ("hoog", "laag"), ("sterk", "zwak"), ("snel", "langzaam"),
    ("makkelijk", "moeilijk"), ("gemakkelijk", "moeilijk"), ("eenvoudig", "ingewikkeld"), ("simpel", "complex"),
    ("actief", "passief"), ("positief", "negatief"), ("beperkt", "uitgebreid"), ("breed", "smal"),
    ("lang", "kort"), ("jong", "oud"),
    ("structureel", "incidenteel"), ("samenhangend", "versnipperd"), ("integraal", "sectoraal"),
    ("tijdelijk", "permanent"), ("tijdelijk", "blijvend"), ("tijdelijk", "structureel"), ("centraal", "decentraal"),
    ("verplicht", "vrijwillig"), ("robuust", "kwetsbaar"),
    ("veilig", "gevaarlijk"), ("open", "gesloten"), ("volledig", "gedeeltelijk"),
    ("compleet", "onvolledig"), ("helder", "vaag"), ("duidelijk", "vaag"), ("sterk", "gering"),
    ("groot", "gering"), ("hoog", "gering"), ("vaak", "zelden"), ("toereikend", "ontoereikend"),
    ("zichtbaar", "onzichtbaar"), ("gunstig", "ongunstig"), ("succesvol", "onsuccesvol"),
    ("formeel", "informeel"), ("expliciet", "impliciet"),
)  # fmt: skip
# Words given with their forms: irregular degrees, adverbs, nouns and verbs of change. (Not "niet" / "wel" or
# "geen" / "alle": a negation is read per statement, ``claimwords.negation_differs``.) Words with a second,
# everyday sense are left out: "laat" (laat zien), "licht" (in het licht van), "duur" (de duur), "ruim"
# (ruim 1.400), "rijk" (het Rijk), "direct".
_WORDS = (
    ("goed", "slecht"), ("beter", "slechter"), ("best", "slechtst"), ("beste", "slechtste"),
    ("veel", "weinig"), ("meer", "minder"), ("meest", "minst"), ("meeste", "minste"), ("vaker", "minder vaak"),
    ("altijd", "nooit"), ("meerderheid", "minderheid"), ("voordeel", "nadeel"), ("voordelen", "nadelen"),
    ("succes", "mislukking"), ("boven", "onder"), ("stijging", "daling"),
    ("toename", "afname"), ("groei", "krimp"), ("gestegen", "gedaald"), ("stijgt", "daalt"), ("steeg", "daalde"),
    ("stegen", "daalden"), ("toegenomen", "afgenomen"), ("neemt toe", "neemt af"), ("verhoogd", "verlaagd"),
    ("verhoging", "verlaging"), ("verbeterd", "verslechterd"), ("verbetering", "verslechtering"),
    ("verbetert", "verslechtert"), ("versterkt", "verzwakt"), ("uitgebreid", "ingekrompen"),
    ("voldoende", "onvoldoende"),
)  # fmt: skip

_VOWELS = "aeiou"
_DOUBLE_VOWEL = re.compile(r"(aa|ee|oo|uu)([^aeiou])$")
_SHORT_VOWEL = re.compile(r"(?:^|[^aeiou])([aeiou])([bdfgklmnprst])$")


def inflected(base: str) -> str:
    """The inflected form of an adjective ("groot" -> "grote", "zwak" -> "zwakke", "actief" -> "actieve")."""
    if base.endswith("e"):
        return base
    if base.endswith("ief"):
        return base[:-1] + "ve"
    if base.endswith("en"):
        return base  # "open", "gesloten": no other form
    if base.endswith("vol"):
        return base + "le"  # "succesvol" -> "succesvolle"
    if base.endswith(("ig", "isch", "lijk", "end")):
        return base + "e"
    match = _DOUBLE_VOWEL.search(base)
    if match:
        stem = base[: match.start()] + match.group(1)[0] + match.group(2)
        return (stem[:-1] + "v" if stem.endswith("f") else stem[:-1] + "z" if stem.endswith("s") else stem) + "e"
    match = _SHORT_VOWEL.search(base)
    if match and sum(ch in _VOWELS for ch in base) == 1:
        return base + base[-1] + "e"  # one short vowel: "zwak" -> "zwakke", "snel" -> "snelle"
    return base + "e"


def forms(base: str) -> tuple[str, ...]:
    """Base, inflected, comparative, inflected comparative and superlative forms of an adjective."""
    e_form = inflected(base)
    comparative = base + "der" if base.endswith("r") else e_form + "r" if e_form.endswith("e") else base + "er"
    superlative = base + ("st" if base.endswith("s") else "ste")
    return base, e_form, comparative, comparative + "e", superlative


def _pairs() -> list[tuple[tuple[str, ...], tuple[str, ...]]]:
    """Every pair as its two sides' forms, form by form."""
    return [(forms(a), forms(b)) for a, b in _ADJECTIVES] + [((a,), (b,)) for a, b in _WORDS]


@lru_cache(maxsize=1)
def _sides() -> dict[str, frozenset[tuple[int, int]]]:
    """Every form -> the (pair, side) entries it stands for (a word may belong to several pairs)."""
    out: dict[str, set[tuple[int, int]]] = {}
    for number, (left, right) in enumerate(_pairs()):
        for side, words in enumerate((left, right)):
            for word in words:
                out.setdefault(word, set()).add((number, side))
    return {word: frozenset(entries) for word, entries in out.items()}


def side_of(word: str) -> frozenset[tuple[int, int]]:
    """The (pair, side) entries of ``word`` (lowercase); empty when it has no opposite here."""
    return _sides().get(word, frozenset())


@lru_cache(maxsize=1)
def opposite_pairs() -> frozenset[frozenset[str]]:
    """All single-word pairs of opposite forms ({"grote", "kleine"}), for word-level diffs."""
    return frozenset(
        frozenset((a, b))
        for left, right in _pairs()
        for a, b in zip(left, right, strict=True)
        if " " not in a and " " not in b and a != b
    )
