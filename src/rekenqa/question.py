"""Question analysis (pure): question word, expected answer type, years, quarters, numbers, groups, places,
and rewriting of follow-up questions with the subject of the conversation.

The report's own places and groups come from its ``Profile`` (its catalog file in corpus/), not from code.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from rekenqa.lexical import STOPWORDS, fold
from rekenqa.morphology import is_verb_form
from rekenqa.types import Profile

_YEAR = re.compile(r"\b(19[5-9]\d|20[0-4]\d)\b")
_QUARTER = re.compile(
    r"\b(eerste|tweede|derde|vierde|1e|2e|3e|4e)\s+kwartaal(?:\s+(?:van\s+)?(20\d\d))?|\bQ([1-4])\b", re.I
)
_NUMBER = re.compile(r"\b\d+(?:[.,]\d+)*\b")
_ORD = {"eerste": 1, "1e": 1, "tweede": 2, "2e": 2, "derde": 3, "3e": 3, "vierde": 4, "4e": 4}
_FOLLOWUP_START = re.compile(r"^\s*(en|maar|ook|of)\b|^\s*(hoeveel|wat|welk[e]?|wie)\s+(daarvan|hiervan|ervan)\b", re.I)
_PRONOUNS = re.compile(r"\b(daarvan|hiervan|daarbij|hierbij|die groep|deze groep|dat|die|zij|ze|hun)\b", re.I)


@dataclass(frozen=True, slots=True)
class QuestionInfo:
    """What a question asks for."""

    text: str
    qword: str  # hoeveel, welk percentage, wanneer, wie, wat is, waarom, hoe, welke, of (yes/no), ""
    answer_type: str  # number, percent, money, date, person, definition, reason, policy, list, yesno, other
    years: tuple[int, ...]
    quarters: tuple[str, ...]  # "2024-Q3", or "Q3" when no year
    numbers: tuple[str, ...]
    groups: tuple[str, ...]  # names of the profile's groups, in profile order
    places: tuple[str, ...]
    names: tuple[str, ...] = ()  # other proper names and acronyms ("VVD", "Marokko", "SPUK")
    salient: tuple[str, ...] = ()  # uncommon content words an answer should be about ("godsdienst")
    # Asks for the Rekenkamer's assessment ("Wat concludeert ...", "Voldoet de gemeente ...?"): its
    # conclusions chapters state it; the body describes the facts behind it.
    judgement: bool = False
    group_stems: tuple[tuple[str, ...], ...] = ()  # for each of ``groups``: the stems that mention it
    # places an answer need not repeat: the report's own setting (the profile's implicit_places)
    implicit_places: frozenset[str] = frozenset()
    # What kind of answer the report's structure gives (``parts``): advies, conclusie, definitie, aantal,
    # beleid, janee, lijst or "".
    intent: str = ""

    def stems(self, group: str) -> tuple[str, ...]:
        """The stems by which the report mentions an asked group."""
        return self.group_stems[self.groups.index(group)]


def analyze(question: str, profile: Profile, salient_zipf: float) -> QuestionInfo:
    """Analyse a question with the report's ``profile``; ``salient_zipf`` is ``Settings.salient_zipf``."""
    low = fold(question)
    qword, answer_type = _qword(low)
    years = _years(low)
    quarters = []
    for match in _QUARTER.finditer(low):
        if match.group(3):
            q = int(match.group(3))
        else:
            q = _ORD[match.group(1).lower()]
        year = match.group(2) or (str(years[0]) if years else "")
        quarters.append(f"{year}-Q{q}" if year else f"Q{q}")
    numbers = tuple(n for n in _NUMBER.findall(low) if not _YEAR.fullmatch(n))
    groups = _groups(low, profile)
    judgement = bool(_judgement(profile.auditee).search(low))
    return QuestionInfo(
        question,
        qword,
        answer_type,
        years,
        tuple(quarters),
        numbers,
        groups,
        _places(low, profile),
        _names(question, profile),
        _salient(low, salient_zipf),
        judgement=judgement,
        group_stems=tuple(profile.stems(g) for g in groups),
        implicit_places=frozenset(profile.implicit_places),
        intent=intent_of(low, answer_type, judgement),
    )


# Asking for advice: the report's "aandachtspunten" (and recommendations) answer it.
_ADVICE = re.compile(
    r"\b(advie\w*|advise\w*|aanbevel\w*|aanbeveling\w*|aandachtspunt\w*|verbeterpunt\w*|raadt\b.*\baan"
    r"|aandacht (voor|nodig|vraagt|vragen)|wat (moet|zou|kan) de gemeente (beter|anders|verbeteren|doen))"
)
_INTENT_BY_TYPE = {
    "definition": "definitie", "number": "aantal", "percent": "aantal", "money": "aantal", "date": "aantal",
    "policy": "beleid", "yesno": "janee", "list": "lijst",
}


def intent_of(low: str, answer_type: str, judgement: bool) -> str:
    """The question's intent, which decides the parts of the report that lead the answer (``parts``)."""
    if _ADVICE.search(low):
        return "advies"
    if judgement:
        return "conclusie"
    return _INTENT_BY_TYPE.get(answer_type, "")


def named(text: str, profile: Profile) -> tuple[str, ...]:
    """The places and proper names in ``text`` (as ``analyze`` finds them), places first."""
    return (*_places(fold(text), profile), *_names(text, profile))


def _years(low: str) -> tuple[int, ...]:
    return tuple(int(y) for y in _YEAR.findall(low))


def _places(low: str, profile: Profile) -> tuple[str, ...]:
    return tuple(p for p in profile.places if re.search(rf"\b{re.escape(p)}\b", low))


@lru_cache(maxsize=16)
def _judgement(auditee: tuple[str, ...]) -> re.Pattern[str]:
    """Match a question for a judgement: "Wat concludeert de rekenkamer ...", "Wat is het oordeel ...", or a
    yes/no question about the audited body's own performance: "Voldoet Haarlemmermeer ...?", "Heeft de
    gemeente ...?"."""
    subjects = "|".join(["de gemeente", "het college", *(re.escape(a) for a in auditee)])
    return re.compile(
        r"\b(conclu\w*|eindconclusie|oordee\w*|beoordeel\w*|bevinding\w*)\b"
        # a verb of holding or saying with the Rekenkamer or its report as subject: the report's own view.
        r"|\b(vindt|vinden|zegt|zeggen|stelt|schrijft|meent) (de rekenkamer|het rapport|het onderzoek|de onderzoekers)\b"
        rf"|^(?!(hoeveel|wat|welk\w*|wie|waar\w*|wanneer|hoe)\b)\w+ ({subjects})\b"
    )


def _groups(low: str, profile: Profile) -> tuple[str, ...]:
    groups = [name for name, stems in profile.groups if any(s in low for s in stems)]
    # A group found only by a word it shares with another found group is that other group
    # ("Oekraiense vluchtelingen" are Ukrainians, ontheemden, not asylum seekers).
    for group, drops, weak in profile.group_overlaps:
        if group in groups and drops in groups:
            other = [s for s in profile.stems(drops) if s not in weak]
            if not any(s in low for s in other):
                groups.remove(drops)
    return tuple(groups)


COMMON_WORD_ZIPF = 4.5  # a capitalised word this frequent in Dutch is an everyday word, not a name to require
KNOWN_ZIPF = 2.0  # a word at least this frequent in Dutch is a real word, not a typo


def is_known_word(word: str) -> bool:
    """An ordinary Dutch word (wordfreq), whether or not the report uses it."""
    return _zipf(word) >= KNOWN_ZIPF


@lru_cache(maxsize=50_000)
def _zipf(word: str) -> float:
    from wordfreq import zipf_frequency

    return float(zipf_frequency(word, "nl"))


# Words of the asking, not of the topic (verbs of defining, judging and reporting, and the report itself):
# an answer need not repeat them.
_FRAME = frozenset(
    "verstaat verstaan betekent betekenen bedoeld bedoelt telt tellen geldt concludeert concluderen "
    "conclusie conclusies eindconclusie oordeel oordeelt beoordeelt rekenkamer rapport onderzoek "
    "onderzoekers stelt zegt schrijft noemt vindt".split()
)


def _salient(low: str, salient_zipf: float) -> tuple[str, ...]:
    """Content words rarer than ``salient_zipf`` in Dutch: the specific topic asked for.

    Inflected verbs are left out: the report tells an event in its own verbs ("bemiddeld" for "geholpen").
    """
    words: list[str] = []
    previous = ""
    for match in re.finditer(r"[^\W\d_]+", low):
        word, before = match.group(0), previous
        previous = word
        if len(word) < 4 or word in STOPWORDS or word in _FRAME or word in words:
            continue
        if _zipf(word) < salient_zipf and not is_verb_form(word, before):
            words.append(word)
    return tuple(words)


# Capitalised words of any Dutch municipal report, not a constraint on the answer (the report's own subject
# is in its profile: ``own_names``).
_COMMON_NAMES = frozenset("nederland nederlandse gemeente rekenkamer rapport raad college eu klopt".split())


def _names(question: str, profile: Profile) -> tuple[str, ...]:
    """Proper names and acronyms after the first word: things an answer must be about."""
    names = []
    for i, match in enumerate(re.finditer(r"[^\W\d_][\w/-]*", question)):
        word = match.group(0)
        if i == 0 or not word[0].isupper():
            continue
        key = fold(word).split("-")[0]
        if re.fullmatch(r"q[1-4]", key):  # a quarter ("Q3 2024"), parsed as such above
            continue
        if key in _COMMON_NAMES or any(key.startswith(p) for p in profile.own_names) or len(key) < 2:
            continue
        if key in profile.places:
            continue
        if _zipf(key) >= COMMON_WORD_ZIPF:
            continue  # an everyday word capitalised as part of a name ("Midden- en Oost-Europa"): no constraint
        names.append(key)
    return tuple(dict.fromkeys(names))


def _qword(low: str) -> tuple[str, str]:
    checks = [
        (r"\bwelk(e)? (percentage|aandeel|deel)\b|\bhoeveel procent\b|\bwat is het (percentage|aandeel)\b", "welk percentage", "percent"),
        (r"\bhoeveel (geld|euro|kost|budget)|\bwat kost|\bhoe(veel)? duur\b|\bwelk bedrag\b|\bbudget\b", "hoeveel", "money"),
        (r"\bhoeveel\b|\bwat is het aantal\b|\bhoe groot\b|\bom hoeveel\b|\baantal\b", "hoeveel", "number"),
        (r"\b(wanneer|wie) (telt|geldt|is|ben|wordt)\b.*\bals\b|\bwat wordt\b.*\bbedoeld met\b", "wat is", "definition"),
        (r"\bwanneer\b|\bin welk jaar\b|\bsinds wanneer\b|\bper wanneer\b|\bhoe lang\b", "wanneer", "date"),
        (r"\bwie\b|\bwelke organisatie|\bdoor wie\b", "wie", "person"),
        (r"\bwaarom\b|\bwat is de reden\b|\bhoe komt het\b|\bwaardoor\b", "waarom", "reason"),
        (r"\bwat (is|zijn|betekent|verstaat|wordt bedoeld)\b.*\b(definitie|onder|betekent|bedoeld|term)\b|\bwat betekent\b|\bwat verstaat\b|\bwat is een\b|\bwat zijn\b", "wat is", "definition"),
        (r"\bwat doet\b|\bwelk beleid\b|\bhoe (gaat|pakt|regelt|ondersteunt|zorgt)\b|\bbeleid\b|\bwat moet\b", "hoe", "policy"),
        (r"\bwelke\b", "welke", "list"),
        (r"^(is|zijn|heeft|hebben|klopt|kan|kunnen|mag|mogen|wordt|worden|doet|bestaat)\b", "of", "yesno"),
        (r"\bhoe\b", "hoe", "policy"),
        (r"\bwat\b", "wat", "other"),
    ]
    for pattern, qword, answer_type in checks:
        if re.search(pattern, low):
            return qword, answer_type
    return "", "other"


def is_followup(question: str, profile: Profile) -> bool:
    """A short question that leans on the previous one ("En in 2019?", "Hoeveel daarvan zijn statushouders?")."""
    words = question.split()
    if _FOLLOWUP_START.search(question):
        return True
    return len(words) <= 6 and not _groups(fold(question), profile) and bool(_PRONOUNS.search(question))


def contextualize(question: str, history: Sequence[str], profile: Profile) -> str:
    """Rewrite a follow-up question into a standalone one using the last question of the conversation."""
    if not history or not is_followup(question, profile):
        return question
    previous = history[-1]
    now_years, before_years = _years(fold(question)), _years(fold(previous))
    now_groups = _groups(fold(question), profile)
    rest = re.sub(r"^\s*(en|maar|ook|of)\b[\s,]*", "", question.strip(), flags=re.I).rstrip(" ?")
    if now_years and before_years and not now_groups and len(rest.split()) <= 4:
        # "En in 2019?": the previous question with the new year.
        rewritten = previous
        for old, new in zip(before_years, now_years, strict=False):
            rewritten = rewritten.replace(str(old), str(new))
        return rewritten
    if now_years and not before_years and len(rest.split()) <= 4:
        return f"{previous.rstrip(' ?')} in {' en '.join(str(y) for y in now_years)}?"
    # "Hoeveel daarvan zijn statushouders?": keep the new question, add the old subject.
    return f"{rest}? ({previous.rstrip(' ?')})"


_SPLIT = re.compile(r",?\s+en\s+(?=(hoeveel|wat|welk|welke|hoe|wanneer|waarom|wie)\b)", re.IGNORECASE)


def split_multi(question: str) -> list[str]:
    """Split "Hoeveel X ... en hoeveel Y ...?" into two questions; the second inherits the first's topic."""
    match = _SPLIT.search(question)
    if not match:
        return [question]
    first = question[: match.start()].strip().rstrip("?,") + "?"
    second = question[match.end() :].strip()
    second = second[0].upper() + second[1:] if second else second
    if len(first.split()) < 3 or len(second.split()) < 2:
        return [question]
    context = " ".join(w for w in re.findall(r"\w+", first)[1:] if fold(w) not in STOPWORDS)
    return [first, f"{second.rstrip('?')} ({context})?"]
