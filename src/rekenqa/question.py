"""Question analysis (pure): question word, expected answer type, years, quarters, numbers, groups, places,
and rewriting of follow-up questions with the subject of the conversation."""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from rekenqa.lexical import STOPWORDS, fold

GROUPS = {
    "asielzoekers": ("asielzoeker", "asielmigrant", "asielmigratie", "asiel", "vluchteling"),
    "statushouders": ("statushouder", "vergunninghouder"),
    "arbeidsmigranten": ("arbeidsmigrant", "arbeidsmigratie", "arbeidsmigra"),
    "gezinsmigranten": ("gezinsmigrant", "gezinsmigratie", "gezinshereniging", "nareiziger", "gezinsvorming"),
    "studiemigranten": ("studiemigrant", "studiemigratie", "student"),
    "oekrainers": ("oekrain", "oekraiens", "ontheemd"),
    "inburgeraars": ("inburger",),
}
PLACES = ("haarlemmermeer", "hoofddorp", "nieuw-vennep", "badhoevedorp", "aalsmeer", "haarlem", "zaanstad",
          "amsterdam", "noord-holland", "nederland", "schiphol", "den haag", "zwanenburg")

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
    groups: tuple[str, ...]
    places: tuple[str, ...]
    names: tuple[str, ...] = ()  # other proper names and acronyms ("VVD", "Marokko", "SPUK")
    salient: tuple[str, ...] = ()  # uncommon content words an answer should be about ("godsdienst")
    # Asks for the Rekenkamer's assessment ("Wat concludeert ...", "Voldoet de gemeente ...?"): its
    # conclusions chapters state it; the body describes the facts behind it.
    judgement: bool = False


def analyze(question: str) -> QuestionInfo:
    low = fold(question)
    qword, answer_type = _qword(low)
    years = tuple(int(y) for y in _YEAR.findall(low))
    quarters = []
    for match in _QUARTER.finditer(low):
        if match.group(3):
            q = int(match.group(3))
        else:
            q = _ORD[match.group(1).lower()]
        year = match.group(2) or (str(years[0]) if years else "")
        quarters.append(f"{year}-Q{q}" if year else f"Q{q}")
    numbers = tuple(n for n in _NUMBER.findall(low) if not _YEAR.fullmatch(n))
    groups = _groups(low)
    places = tuple(p for p in PLACES if re.search(rf"\b{re.escape(p)}\b", low))
    return QuestionInfo(
        question,
        qword,
        answer_type,
        years,
        tuple(quarters),
        numbers,
        groups,
        places,
        _names(question),
        _salient(low),
        judgement=bool(_JUDGEMENT.search(low)),
    )


# "Wat concludeert de rekenkamer ...", "Wat is het oordeel ...", or a yes/no question about the
# municipality's own performance: "Voldoet Haarlemmermeer ...?", "Heeft de gemeente ...?".
_JUDGEMENT = re.compile(
    r"\b(conclu\w*|eindconclusie|oordee\w*|beoordeel\w*|bevinding\w*)\b"
    r"|^(?!(hoeveel|wat|welk\w*|wie|waar\w*|wanneer|hoe)\b)\w+ (de gemeente|het college|haarlemmermeer)\b"
)


def _groups(low: str) -> tuple[str, ...]:
    groups = [name for name, stems in GROUPS.items() if any(s in low for s in stems)]
    # "Oekraiense vluchtelingen" are Ukrainians (ontheemden), not asylum seekers.
    if "oekrainers" in groups and "asielzoekers" in groups:
        other = [s for s in GROUPS["asielzoekers"] if s != "vluchteling"]
        if not any(s in low for s in other):
            groups.remove("asielzoekers")
    return tuple(groups)


# Words at least this frequent in Dutch (wordfreq Zipf scale) are too general to mark a topic.
SALIENT_ZIPF = float(os.environ.get("REKENQA_SALIENT_ZIPF", "4.8"))


@lru_cache(maxsize=50_000)
def _zipf(word: str) -> float:
    from wordfreq import zipf_frequency

    return float(zipf_frequency(word, "nl"))


# Words of the asking, not of the topic: "Wat verstaat het rapport onder ...", "Wanneer telt iemand als ...",
# "Wat is de eindconclusie over ...". An answer need not repeat them.
_FRAME = frozenset(
    "verstaat verstaan betekent betekenen bedoeld bedoelt telt tellen geldt concludeert concluderen "
    "conclusie conclusies eindconclusie oordeel oordeelt beoordeelt rekenkamer rapport onderzoek "
    "onderzoekers stelt zegt schrijft noemt vindt".split()
)


def _salient(low: str) -> tuple[str, ...]:
    """Content words that are not among the most common Dutch words: the specific topic asked for."""
    words = []
    for word in re.findall(r"[^\W\d_]{4,}", low):
        if word in STOPWORDS or word in _FRAME or word in words:
            continue
        if _zipf(word) < SALIENT_ZIPF:
            words.append(word)
    return tuple(words)


# Capitalised words that name the report's own setting, not a constraint on the answer.
_COMMON_NAMES = frozenset(
    "haarlemmermeer nederland nederlandse gemeente rekenkamer rapport raad college eu oekraine oekraiens "
    "oekraiense oekrainers oekrainer klopt".split()
)


def _names(question: str) -> tuple[str, ...]:
    """Proper names and acronyms after the first word: things an answer must be about."""
    names = []
    for i, match in enumerate(re.finditer(r"[^\W\d_][\w/-]*", question)):
        word = match.group(0)
        if i == 0 or not word[0].isupper():
            continue
        key = fold(word).split("-")[0]
        if re.fullmatch(r"q[1-4]", key):  # a quarter ("Q3 2024"), parsed as such above
            continue
        if key in _COMMON_NAMES or any(key.startswith(p) for p in ("haarlemmermeer", "oekrai")) or len(key) < 2:
            continue
        if key in PLACES:
            continue
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
        (r"\bwat (is|zijn|betekent|verstaat|wordt bedoeld)\b.*\b(definitie|onder|betekent|bedoeld|term)\b|\bwat betekent\b|\bwat verstaat\b|\bwat zijn .*(nareizigers|statushouders|ontheemden)\b|\bwat is een\b|\bwat zijn\b", "wat is", "definition"),
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


def is_followup(question: str) -> bool:
    """A short question that leans on the previous one ("En in 2019?", "Hoeveel daarvan zijn statushouders?")."""
    words = question.split()
    if _FOLLOWUP_START.search(question):
        return True
    info = analyze(question)
    return len(words) <= 6 and not info.groups and bool(_PRONOUNS.search(question))


def contextualize(question: str, history: Sequence[str]) -> str:
    """Rewrite a follow-up question into a standalone one using the last question of the conversation."""
    if not history or not is_followup(question):
        return question
    previous = history[-1]
    now = analyze(question)
    before = analyze(previous)
    rest = re.sub(r"^\s*(en|maar|ook|of)\b[\s,]*", "", question.strip(), flags=re.I).rstrip(" ?")
    if now.years and before.years and not now.groups and len(rest.split()) <= 4:
        # "En in 2019?": the previous question with the new year.
        rewritten = previous
        for old, new in zip(before.years, now.years, strict=False):
            rewritten = rewritten.replace(str(old), str(new))
        return rewritten
    if now.years and not before.years and len(rest.split()) <= 4:
        return f"{previous.rstrip(' ?')} in {' en '.join(str(y) for y in now.years)}?"
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
