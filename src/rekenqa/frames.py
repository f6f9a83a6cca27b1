"""What a number is about: a frame for every quantity in a sentence (pure).

A frame says which group of people a number belongs to, which place, which time, what it counts and whether
it is a total or a part. The same function reads report sentences (at index time, stored with each fact)
and claims (at check time), so a claim is matched with the report by meaning, not only by value.

Attribution is by the sentence's structure, not by phrasing lists: a sentence is cut into clauses at commas,
parentheses and joining words; a number belongs to the group or place named in its own clause (the nearest
one), else to the nearest one before it in the sentence ("Amstelveen (57 per duizend), Eindhoven (28 …)").
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from rekenqa.lexical import fold, stem
from rekenqa.numbers import Quantity
from rekenqa.types import Profile

NATIONAL = "nederland"
REGION = "regio"
_SMALL_NUMBERS = "twee|drie|vier|vijf|zes|zeven|acht|negen|tien|elf|twaalf"
# Words that put a number at national or regional level; the profile's places name the rest.
_LEVEL_WORDS = (
    (
        re.compile(
            r"\b(landelijk\w*|nationa(?:al|le)|nederland|(?:heel|in) het land|(?:alle|nederlandse) gemeenten)\b"
        ),
        NATIONAL,
    ),
    (re.compile(r"\b(regio\w*|veiligheidsregio\w*|provinci\w*|metropoolregio\w*|mra|arbeidsmarktregio\w*)\b"), REGION),
    # A figure for several municipalities together ("3.253 plekken in deze gemeenten", "in 8 gemeenten") is
    # an aggregate, not one municipality's own.
    # The count follows a word ("in 8 gemeenten"): a footnote's number before its first word is not one.
    (
        re.compile(
            rf"(?:\b(?:in|over|van|voor|bij|uit|tussen|de|die|en) (?:\d+|{_SMALL_NUMBERS})"
            r"|\b(?:deze|betrokken|betreffende|deelnemende)) gemeenten\b"
        ),
        REGION,
    ),
)
# A speaker's own municipality: "in onze gemeente", "hier in de gemeente".
_OWN = re.compile(r"\b(onze gemeente|onze stad|in de gemeente)\b")
# A clause ends at punctuation or at a word that joins two statements.
_BOUNDARY = re.compile(
    r"[,;:()\[\]–]|\s(?:en|of|terwijl|maar|tegenover|vergeleken met|waarvan|van wie|daarvan|dan|boven|ten opzichte van)\s"
)
_WORD = re.compile(r"[^\W\d_][\w'-]*", re.UNICODE)
_TOTAL = re.compile(r"\b(in totaal|totaal|alle|samen|opgeteld|bij elkaar)\b")
_OF_WHOLE = re.compile(r"\b(?:van|op) (?:de|het|alle|een totaal van|in totaal)\s*$")
_TIMES = ("year", "period", "date")
_LONG_STEM = 8
_PART = re.compile(r"\b(waarvan|van wie|daarvan|van hen|van deze|hiervan)\b")
_SHARE_OF = re.compile(r"^\s*(?:van|onder)\s+(?:de|het|alle|hun|onze)?\s*([^\W\d_]{4,})")
_PEOPLE = frozenset({"migrant", "person", "persoon", "mens", "inwoner", "ingezeten", "bewoner", "burger", "bevolk"})
# People counted as residents: all of them, not the migrants among them.
_RESIDENTS = frozenset({"mens", "inwoner", "ingezeten", "bewoner", "burger", "bevolk"})


@dataclass(frozen=True, slots=True)
class Mention:
    kind: str  # "group" or "place"
    name: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Frame:
    """What one number is about. Empty strings and tuples mean "not said"."""

    groups: tuple[str, ...] = ()  # the profile's groups the number belongs to
    place: str = ""  # folded place name ("haarlemmermeer", "amstelveen"), "nederland" or "regio"; "" unsaid
    period: str = ""  # "2023", "2024-Q3", …
    measure: str = ""  # stem of what is counted: "migrant", "statushouder", "woning", "aandeel"
    scope: str = ""  # "total", "part" or ""


def lowered(text: str) -> str:
    """``fold(text)`` when it keeps every position (all Dutch text), else ``text.lower()``."""
    folded = fold(text)
    return folded if len(folded) == len(text) else text.lower()


def mentions(text: str, profile: Profile) -> list[Mention]:
    """Groups and places named in ``text`` with their positions (those of ``lowered(text)``)."""
    return list(_mentions(text, profile))


@lru_cache(maxsize=4096)
def _mentions(text: str, profile: Profile) -> tuple[Mention, ...]:
    # Cached: every number of a sentence is framed against the same mentions, and a claim's sentences recur.
    low = lowered(text)
    found = [*_group_mentions(low, profile), *_place_mentions(low, profile)]
    return tuple(sorted(found, key=lambda m: m.start))


def named_in(text: str, profile: Profile, kind: str) -> set[str]:
    """The names of the groups (``kind="group"``) or places (``"place"``) that ``text`` mentions."""
    return {m.name for m in _mentions(text, profile) if m.kind == kind}


def _group_mentions(low: str, profile: Profile) -> list[Mention]:
    """Words that name a group of people: a word of the profile's ``group_words``, or one that starts with a
    long stem of a group ("gezinsmigratie"). A short stem names the group only as a whole word: "asiel" in
    "asielvergunning" is about the procedure, not about the people."""
    out: list[Mention] = []
    people_words = {fold(w) for w in profile.group_words}
    for match in _WORD.finditer(low):
        word = match.group(0)
        for name, stems in profile.groups:
            if any(_names_group(word, s, people_words) for s in stems):
                out.append(Mention("group", name, match.start(), match.end()))
                break
    # A word shared by two groups belongs to the other group named right before it ("Oekraïense vluchtelingen").
    for group, drops, weak in profile.group_overlaps:
        for i, m in enumerate(out):
            if m.name == drops and any(low[m.start : m.end].startswith(w) for w in weak):
                before = [o for o in out[:i] if o.name == group and m.start - o.end < 4]
                if before:
                    out[i] = Mention("group", group, m.start, m.end)
    return out


def _names_group(word: str, stem: str, people_words: set[str]) -> bool:
    if word in people_words:
        return word.startswith(stem) or stem in word
    return len(stem) >= _LONG_STEM and (word.startswith(stem) or stem in word)


def name_pattern(name: str) -> str:
    """A regex for a folded name that also matches it with a space for a hyphen ("Nieuw Vennep")."""
    return re.escape(name).replace(r"\-", r"[-\s]").replace(r"\ ", r"[-\s]")


def _place_mentions(low: str, profile: Profile) -> list[Mention]:
    out = []
    for place in profile.places:
        for match in re.finditer(rf"\b{name_pattern(place)}\b", low):
            out.append(Mention("place", place, match.start(), match.end()))
    levels = [*_LEVEL_WORDS, (_OWN, own_place(profile))]
    for pattern, level in levels:
        for match in pattern.finditer(low):
            # "de regio Kennemerland" is Kennemerland: a level word right before a named place is part of it.
            named_next = any(0 <= m.start - match.end() <= 1 for m in out)
            if level and not named_next and not any(m.start <= match.start() < m.end for m in out):
                out.append(Mention("place", level, match.start(), match.end()))
    return out


def own_place(profile: Profile) -> str:
    """The report's own municipality: what a claim means when it names no place."""
    return next((p for p in profile.implicit_places if p in profile.local_names), "")


def place_mismatch(claimed: str, reported: str, profile: Profile) -> str:
    """Why a reported number is about another place than the claimed one ("" when they agree).

    A claim that names no place is about the report's own municipality; a report sentence that names none is
    about whatever its paragraph is about, so it agrees with any claimed place. A regional figure that names no
    region is a total against the municipality and its villages, but may be any region the profile names.
    """
    claimed = claimed or own_place(profile)
    if not reported or reported == claimed:
        return ""
    if reported == REGION and claimed in profile.regions:
        return ""  # an unnamed region ("in 8 gemeenten") may be the named one ("regio Kennemerland")
    if reported in (NATIONAL, REGION) and (claimed == own_place(profile) or claimed in profile.local_names):
        level = "landelijk" if reported == NATIONAL else "regionaal"
        return f"deel vs totaal: dit is het {level} cijfer, niet dat van de gemeente"
    return f"andere plaats: dit getal geldt voor {reported.title()}"


def clause_of(text: str, start: int, end: int) -> tuple[int, int]:
    """The bounds of the clause around [start, end)."""
    lo, hi = 0, len(text)
    for match in _BOUNDARY.finditer(text):
        if match.end() <= start:
            lo = match.end()
        elif match.start() >= end:
            hi = match.start()
            break
    return lo, hi


def _attributed(kind: str, q: Quantity, found: Sequence[Mention], text: str) -> list[Mention]:
    """The mentions of ``kind`` a number belongs to: its clause's nearest, else the nearest before it."""
    of_kind = [m for m in found if m.kind == kind]
    if not of_kind:
        return []
    lo, hi = clause_of(text, q.start, q.end)
    inside = [m for m in of_kind if lo <= m.start < hi]
    if inside:
        nearest = min(inside, key=lambda m: min(abs(m.start - q.end), abs(q.start - m.end)))
        # Two groups joined in one clause ("asiel- en arbeidsmigranten") both own the number.
        return [m for m in inside if m.name == nearest.name] or [nearest]
    before = [m for m in of_kind if m.end <= q.start]
    return [before[-1]] if before else []


def frame_of(q: Quantity, found: Sequence[Quantity], text: str, profile: Profile, period: str = "") -> Frame:
    """The frame of quantity ``q`` among all quantities ``found`` in ``text`` (a sentence or a claim)."""
    low = lowered(text)
    named = mentions(text, profile)
    groups = tuple(dict.fromkeys(m.name for m in _attributed("group", q, named, low)))
    places = _attributed("place", q, named, low)
    lo, hi = clause_of(low, q.start, q.end)
    clause = low[lo:hi]
    scope = "part" if _PART.search(low[max(0, lo - 12) : q.start]) else "total" if _TOTAL.search(clause) else ""
    # "Van de 1095 woningen … gingen er 85 naar …": a number after "van de N" is part of N.
    wholes = [p for p in found if p.kind not in _TIMES and _OF_WHOLE.search(low[max(0, p.start - 24) : p.start])]
    if any(p.end <= q.start for p in wholes if p is not q):
        scope = "part"
    elif q in wholes and any(p.start > q.end and p.kind not in _TIMES for p in found):
        scope = "total"
    return Frame(
        groups=groups,
        place=places[0].name if places else "",
        period=period or _clause_period(q, found, lo, hi),
        measure=measure_of(q, low),
        scope=scope,
    )


def _clause_period(q: Quantity, found: Sequence[Quantity], lo: int, hi: int) -> str:
    if q.period:
        return q.period
    times = [t for t in found if t.kind in ("year", "period", "date") and t.period and lo <= t.start < hi]
    return min(times, key=lambda t: abs(t.start - q.start)).period if times else ""


def measure_of(q: Quantity, low: str) -> str:
    """The stem of what a number counts: the noun after it, "van de X" after a share, else its kind."""
    if q.noun:
        return stem(fold(q.noun))
    if q.kind in ("percent", "fraction"):
        match = _SHARE_OF.match(low[q.end : q.end + 40])
        return stem(match.group(1)) if match else "aandeel"
    if q.kind == "money":
        return "euro"
    return ""


def row_measure(row_label: str, q: Quantity) -> str:
    """What a count in a table row counts when the row's label is one word that is no total: the "man" and
    "vrouw" rows of a table of inburgeraars count men and women ("" otherwise)."""
    row = fold(row_label).strip()
    if q.kind != "count" or not row.isalpha() or row in _TOTAL_ROWS:
        return ""
    return stem(row)


_TOTAL_ROWS = frozenset({"totaal", "overig", "overige", "onbekend", "gemiddeld"})


def people(measure: str) -> bool:
    """Does a measure count people in general (migranten, personen, inwoners) rather than a thing?"""
    # "migran" inside a word: the stems of compounds (arbeidsmigrant, "zinsmigran" for gezinsmigranten)
    return any(measure.startswith(p) for p in _PEOPLE) or "migran" in measure


def same_measure(a: str, b: str) -> bool:
    """Do two measures count the same thing? Unknown measures agree with anything."""
    if not a or not b or a == b:
        return True
    if people(a) and people(b):
        # "inwoners" and "mensen" count everyone; "migranten" counts some; "personen" can be either.
        resident = [any(m.startswith(r) for r in _RESIDENTS) for m in (a, b)]
        migrant = [m.startswith("migrant") for m in (a, b)]
        return not (resident[0] and migrant[1] or resident[1] and migrant[0])
    return len(min(a, b, key=len)) >= 5 and (a in b or b in a) or compound_head(a, b) or compound_head(b, a)


def compound_head(compound: str, head: str) -> bool:
    """Is ``head`` the last part of the Dutch compound ``compound`` ("opvangplek" ends in "plek")? Dutch
    compounds are head-final, so an opvangplek is a plek; the head must be a word of its own (4+ letters)."""
    return len(head) >= 4 and len(compound) >= len(head) + 3 and compound.endswith(head)


_NEGATION = re.compile(r"\b(geen|niet|nooit|nergens)\b")
_DENIAL = re.compile(r"\b(onwaar|niet waar|onjuist|een fabel|een mythe|klopt niet|is niet zo)\b[^.]*?\bdat\b")


def negated(text: str, q: Quantity) -> bool:
    """Does ``text`` deny the number ``q``: "geen 18.480 migranten", "het is onwaar dat …"?

    A negation inside the quantity itself ("niet meer dan 100") is its hedge, not a denial.
    """
    return negated_at(text, q.start)


def negated_at(text: str, start: int) -> bool:
    """Is the number at ``start`` of ``text`` denied or negated (see ``negated``)?"""
    low = lowered(text)
    if _DENIAL.search(low[:start]):
        return True
    lo, _ = clause_of(low, start, start + 1)
    return bool(_NEGATION.search(low[lo:start]))


def context_of(text: str, start: int, end: int) -> tuple[int, int]:
    """The words a number is said with: its clause, or for a bare "(80%)" also the clause before it."""
    low = lowered(text)
    lo, hi = clause_of(low, start, end)
    if len(_WORD.findall(low[lo:hi])) < 3 and lo > 0:
        lo = clause_of(low, max(lo - 2, 0), max(lo - 1, 0))[0]
    return lo, hi


def clauses(text: str) -> list[tuple[int, int]]:
    """All clauses of ``text`` as (start, end)."""
    low = lowered(text)
    bounds = [0, *[b for m in _BOUNDARY.finditer(low) for b in (m.start(), m.end())], len(low)]
    return [(bounds[i], bounds[i + 1]) for i in range(0, len(bounds) - 1, 2) if bounds[i + 1] > bounds[i]]


# "<what> bedraagt / is / kost / telt <number>": the verb that ties a measure to its value (a few words, such as
# "in Haarlemmermeer zo'n" or "de gemeente jaarlijks", may stand between them).
_COPULA = re.compile(
    r"\b(?:bedraagt|bedroeg|bedragen|bedroegen|is|was|zijn|waren|ligt op|lag op|liggen op|lagen op|kost|kostte"
    r"|kosten|kostten|telt|telde|tellen|telden|beloopt|beliep)\s+(?:[^\s.;:]+\s+){0,5}$"
)
_LEADING = re.compile(r"^\s*(?:de|het|onze|ons|hun|zijn|haar)\s+", re.IGNORECASE)
# Measures any number of a kind has: they name no particular thing the report must state.
_GENERIC_MEASURES = frozenset({
    "aandeel", "percentage", "aantal", "totaal", "deel", "bedrag", "getal", "cijfer", "omvang", "groep",
    "gemeente", "helft", "meerderheid", "minderheid", "hoeveelheid", "waarde", "niveau", "stand",
})  # fmt: skip


def stated_measure(text: str, q: Quantity) -> str:
    """The particular thing a claim says its number measures, when it states it as the subject of a copula:
    "De werkloosheid onder arbeidsmigranten bedraagt 6 procent" -> "werkloosheid", "Het leefgeld … is 260
    euro" -> "leefgeld"; "" for a generic measure ("Het aandeel migranten is …") or another construction."""
    before = text[: q.start]
    verb = _COPULA.search(before.lower())
    subject = _LEADING.match(before)
    if verb is None or subject is None:
        return ""
    # The subject's first word: its noun, or an adjective the report's sentence must then share too.
    words = _WORD.findall(before[subject.end() : verb.start()])
    head = fold(words[0]) if words else ""
    if len(head) < 5 or head in _GENERIC_MEASURES or head.endswith(("migranten", "houders", "zoekers")):
        return ""
    return head
