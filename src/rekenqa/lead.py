"""The lead of a number answer: the quantity whose frame best matches the question (pure).

Every number in the chosen sentences gets a frame (frames.frame_of: group, place, period, what it counts);
the question gets the same (its groups, place, years and the noun it counts). A number whose frame
contradicts the question (another group, place or year) is never the lead; of the rest, the one that agrees
on most wins, earlier sentences first. When no number fits, the answer has no lead, only cited sentences.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from rekenqa.artefacts.markers import strip_markers
from rekenqa.frames import (
    Frame,
    clause_of,
    frame_of,
    lowered,
    measure_of,
    mentions,
    people,
    place_mismatch,
    row_measure,
    same_measure,
)
from rekenqa.lexical import STOPWORDS, fold, stem
from rekenqa.numbers import Quantity, find_numbers
from rekenqa.question import QuestionInfo
from rekenqa.retrieve import Sentence
from rekenqa.types import Profile

KINDS_FOR_TYPE = {
    "number": ("count", "rate", "money", "percent", "fraction", "factor", "duration"),
    "percent": ("percent", "fraction"),
    "money": ("money",),
    "date": ("date", "period", "year", "duration"),
}
# A question of another type that asks for an amount ("Hoe groot …?", "het aantal …") is a number question.
_ASKS_AMOUNT = re.compile(
    r"\b(hoeveel|hoe (?:groot|veel|lang|vaak|hoog|oud)|aantal|aandeel|percentage|bedrag|gemiddeld\w*)\b"
)
_COUNTED = re.compile(r"\b(?:hoeveel|aantal|totaal)\s+(?:(?:de|het|nieuwe|extra|andere)\s+)?([^\W\d_]{4,})")
_PERCENT_WORDS = re.compile(r"\b(percentage|procent|aandeel|deel van)\b")
_ASKS_PART = re.compile(r"\b(hoeveel van (?:de|het|hen|deze|die)|waarvan|daarvan)\b")
_WORD = re.compile(r"[^\W\d_]+")


@dataclass(frozen=True, slots=True)
class Pick:
    quantity: Quantity
    frame: Frame
    sentence: Sentence
    score: float


def amount_type(info: QuestionInfo) -> str:
    """The answer type the lead serves: the question's own, or "number" for an amount asked in other words."""
    if info.answer_type in KINDS_FOR_TYPE:
        return info.answer_type
    return "number" if _ASKS_AMOUNT.search(fold(info.text)) else ""


def asks_amount(info: QuestionInfo) -> bool:
    """Is the question itself a request for an amount ("Hoeveel …?", "Hoe hoog is …?", "Wat kost …?"), not a
    yes/no question or a comparison that mentions one?"""
    return bool(_AMOUNT_QUESTION.match(fold(info.text)))


_AMOUNT_QUESTION = re.compile(
    r"\s*(?:en\s+|maar\s+)?(?:hoeveel|hoe (?:groot|veel|hoog)|wat kost\w*|welk(?:e)? (?:percentage|bedrag|aandeel)"
    r"|wat (?:is|was|zijn|waren) (?:het|de) (?:aantal|aandeel|percentage|bedrag|hoogte)\b)"
)


def counted(info: QuestionInfo) -> str:
    """The stem of what a question counts: "Hoeveel statushouders …" -> "statushouder"."""
    match = _COUNTED.search(fold(info.text))
    return stem(match.group(1)) if match and match.group(1) not in _NOT_COUNTED else ""


# "Hoeveel procent / keer / jaar …" asks for a share, factor or duration, not a count of something.
_NOT_COUNTED = frozenset({"procent", "keer", "jaar", "jaren", "maanden", "weken", "dagen", "uren"})


def pick(info: QuestionInfo, chosen: Sequence[Sentence], profile: Profile) -> Pick | None:
    """The quantity of the chosen sentences that answers the question, or None when none fits its frame."""
    kind = amount_type(info)
    kinds = KINDS_FOR_TYPE.get(kind)
    if not kinds:
        return None
    best: Pick | None = None
    asked_text = fold(info.text)
    for rank, sentence in enumerate(chosen):
        text = strip_markers(sentence.text)
        found = find_numbers(text)
        for q in found:
            if q.kind not in kinds or (kind != "date" and q.kind == "year") or q.text in info.numbers:
                continue
            if fold(q.text) in asked_text:
                continue  # the question's own "tien jaar", not an answer to it
            frame = frame_of(q, found, text, profile)
            lo, hi = clause_of(lowered(text), q.start, q.end)
            if sentence.chunk.kind == "table":
                # A table row reads "Tabel 4 – vrouw – 2025-Q1 (…): 538": the whole row is the number's context.
                frame = _row_frame(q, found, f"{sentence.chunk.section} {text}", text, profile)
                lo, hi = 0, len(text)
            score = fit(info, kind, q, frame, lowered(text)[lo:hi], profile)
            if score is None:
                continue
            if sentence.chunk.kind == "table" and _names_row(info, frame):
                score += 2.5  # "Hoeveel mannelijke inburgeraars …?" asks for the row "man", not the total
            score -= 0.5 * rank + 0.01 * q.start / max(len(text), 1)
            if sentence.chunk.kind == "footnotes":
                score -= 1.0  # a footnote supports the answer; the body states it
            if best is None or score > best.score:
                best = Pick(q, frame, sentence, score)
    return best


def _row_frame(q: Quantity, found: Sequence[Quantity], context: str, text: str, profile: Profile) -> Frame:
    named = mentions(context, profile)
    times = [t for t in found if t.kind in ("year", "period", "date") and t.period]
    return Frame(
        groups=tuple(dict.fromkeys(m.name for m in named if m.kind == "group")),
        place=next((m.name for m in named if m.kind == "place"), ""),
        period=q.period or (times[-1].period if times else ""),
        measure=measure_of(q, lowered(text)) or row_measure(_row_label(text), q),
    )


def _names_row(info: QuestionInfo, frame: Frame) -> bool:
    """Does the question name the thing a table row counts, in a word of its own ("mannelijke" for "man")?"""
    return bool(frame.measure) and any(w.startswith(frame.measure) for w in content_stems(info.text))


def _row_label(text: str) -> str:
    """The row of a rendered table cell, "Tabel 4 – man – 2024-Q4 (…): 447" -> "man" ("" for another line)."""
    parts = text.split(" – ")
    return parts[1].strip() if len(parts) >= 3 else ""


def fit(info: QuestionInfo, kind: str, q: Quantity, frame: Frame, clause: str, profile: Profile) -> float | None:
    """How well a number's frame (and ``clause``, its words) matches the question; None when it contradicts it."""
    score = 0.0
    asked, owned = set(info.groups), set(frame.groups)
    noun = counted(info)
    if asked and owned:
        if not asked & owned:
            return None
        score += 2.0
    elif owned and people(noun):
        return None  # "Hoeveel migranten …" is not answered by the number of one group
    elif asked and people(frame.measure):
        score -= 2.0  # a number of all migrants, or of people not said to be of the asked group
    place = question_place(info, profile)
    if place_mismatch(place, frame.place, profile):
        if place:
            return None  # "Hoeveel … in Amstelveen?" is not answered by a number of another place
        score -= 1.0  # a question that names no place prefers the report's own
    elif place and frame.place == place:
        score += 1.0
    years = [str(y) for y in info.years]
    if years and frame.period:
        if not any(frame.period.startswith(y) or y in frame.period for y in years):
            return None
        score += 1.5
    if noun:
        if frame.measure and not same_measure(noun, frame.measure) and not (owned and people(frame.measure)):
            score -= 1.5
        elif noun in clause or (frame.measure and (noun in frame.measure or frame.measure in noun)):
            score += 1.0
        if q.kind == "duration":
            return None  # "Hoeveel mensen …" counts people, not months
    wants_share = kind == "percent" or bool(_PERCENT_WORDS.search(fold(info.text)))
    if wants_share != (q.kind in ("percent", "fraction")):
        score -= 2.0 if noun else 1.0  # "Hoeveel studiemigranten" asks for people, not a share
    if _ASKS_PART.search(fold(info.text)):
        score += {"part": 1.0, "total": -0.5}.get(frame.scope, 0.0)
    words = content_stems(info.text)
    if words:
        score += sum(w in clause for w in words) / len(words)
    return score


def question_place(info: QuestionInfo, profile: Profile) -> str:
    """The place a question asks about ("" for the report's own municipality), national level included."""
    places = [m.name for m in mentions(info.text, profile) if m.kind == "place"]
    return places[0] if places else ""


def content_stems(text: str) -> list[str]:
    """Stems of the question's content words (a clause holding them talks about what is asked)."""
    return [stem(w) for w in dict.fromkeys(_WORD.findall(fold(text))) if len(w) > 3 and w not in STOPWORDS]
