"""Claim -> Verdict against the facts table and the retrieved sentences (pure).

Claims with numbers are compared with the facts table: a fact about the same thing (subject words, group,
period) whose number is consistent with the claimed one (hedges and rounding allowed) supports the claim; a
fact about the same thing with another number contradicts it, with the reason (other year, other group,
factor 10, too high/low). Claims without numbers are compared with the best matching sentences: negation,
direction (gestegen/gedaald) and comparison (hoger/lager, grootste/kleinste) must agree.

Groups and places come from the report's ``Profile``; the weights from ``settings.FactcheckWeights``.
"""

from __future__ import annotations

import logging
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

from rekenqa.artefacts.glyphs import LETTER
from rekenqa.claimwords import check_words, conflict, inconsistent_comparison, not_in_report
from rekenqa.facts import TIME_KINDS, subject_words, to_quantity
from rekenqa.frames import (
    Frame,
    clauses,
    compound_head,
    context_of,
    frame_of,
    lowered,
    mentions,
    name_pattern,
    named_in,
    negated,
    negated_at,
    people,
    place_mismatch,
    same_measure,
    stated_measure,
)
from rekenqa.lexical import fold, stem
from rekenqa.lexicon import CLAIM_DOWN_CUES, CLAIM_UP_CUES
from rekenqa.numbers import Quantity, as_comparable, find_numbers, format_number, matches, years_in
from rekenqa.question import named
from rekenqa.retrieve import Sentence
from rekenqa.settings import FactcheckWeights
from rekenqa.types import Claim, Evidence, Fact, Profile, Verdict

logger = logging.getLogger(__name__)

UP, DOWN = CLAIM_UP_CUES, CLAIM_DOWN_CUES
REASONS = {
    "afgerond": "afgerond correct",
    "exact": "exact",
    "binnen marge": "afgerond correct",
    "ondergrens": "afgerond correct",
    "bovengrens": "afgerond correct",
    "te hoog": "te hoog",
    "te laag": "te laag",
    "andere eenheid": "andere eenheid",
    "ander jaar": "ander jaar",
    "andere periode": "ander jaar",
}


@dataclass(frozen=True, slots=True)
class _Candidate:
    fact: Fact
    subject: float
    period_ok: bool
    group_ok: bool
    ok: bool
    why: str
    place_ok: bool = True
    frame_why: str = ""  # why the fact's frame differs from the claim's: "andere groep: …", "andere plaats: …"

    @property
    def in_frame(self) -> bool:
        return self.period_ok and self.group_ok and self.place_ok


def claim_groups(text: str, profile: Profile) -> set[str]:
    """The profile's groups that ``text`` mentions (as the frames read them)."""
    return named_in(text, profile, "group")


def _stems(words: Sequence[str]) -> set[str]:
    return {stem(w) for w in words if len(w) > 2}


def analyze_claim(text: str) -> tuple[Claim, list[Quantity]]:
    found = find_numbers(text)
    # "per duizend inwoners" is the unit of a rate, not a number the claim states.
    values = [q for q in found if q.kind not in TIME_KINDS and not text[: q.start].lower().endswith("per ")]
    low = text.lower()
    direction = "up" if any(w in low for w in UP) else "down" if any(w in low for w in DOWN) else ""
    claim = Claim(
        text=text,
        numbers=tuple(q.value for q in values),
        years=tuple(years_in(text)),
        subject=subject_words(_without_numbers(text, found)),
        direction=direction,  # type: ignore[arg-type]
    )
    return claim, values


def _named(text: str, profile: Profile) -> tuple[str, ...]:
    """Places and proper names in a claim (other than the report's own setting)."""
    return tuple(n for n in named(text, profile) if n not in profile.implicit_places)


def _mentions(names: Sequence[str], text: str) -> bool:
    low = fold(text)
    # A whole word, or its adjective or inhabitants ("Haarlemse"): "Haarlem" is not "Haarlemmermeer".
    return all(re.search(rf"\b{name_pattern(n)}(?:s|se|er|ers)?\b", low) for n in names)


def _without_numbers(text: str, found: Sequence[Quantity]) -> str:
    out = text
    for q in sorted(found, key=lambda q: -q.start):
        out = out[: q.start] + " " + out[q.end :]
    return out


def check(
    text: str,
    facts: Sequence[Fact],
    sentences: Sequence[Sentence],
    profile: Profile,
    idf: Mapping[str, float] | None = None,
    weights: FactcheckWeights | None = None,
    nouns: frozenset[str] | None = None,
    restating: frozenset[tuple[str, str]] = frozenset(),
) -> Verdict:
    """Check one claim. ``sentences`` are the retrieved, scored sentences for the claim (best first);
    ``profile`` is the report's; ``idf`` weighs subject words by rarity (``subject_idf(facts)``) and ``nouns``
    are the report's nouns (``noun_words(facts)``), both computed here when not given; ``weights`` default to
    ``FactcheckWeights()``; ``restating`` holds (passage id, sentence) of the facts in the summary,
    conclusions and aandachtspunten, which restate a chapter's fact: the chapter's page is shown first."""
    w = weights or FactcheckWeights()
    claim, quantities = analyze_claim(text)
    unread = unread_numerals(text)
    if unread:
        # A number the claim states but nobody can read ("1e308", forty digits) is no number of the report,
        # and the rest of the claim must not be confirmed without it.
        return Verdict(
            claim=claim,
            status="not_in_report",
            evidence=(),
            report_value="",
            reason=f"het getal ‘{unread[0][:24]}{'…' if len(unread[0]) > 24 else ''}’ is niet als aantal te lezen "
            "(onleesbaar of onmogelijk groot)",
        )
    every_fact = facts
    names = _named(text, profile)
    if names:
        # A claim about a place or name the evidence never mentions is not something the report says.
        sentences = [s for s in sentences if _mentions(names, f"{s.chunk.section} {s.chunk.text}")]
        # A fact counts when its sentence names them, or its passage does ("Volgens Decisio …" two lines up).
        passages = {s.chunk.id for s in sentences}
        facts = [f for f in facts if _mentions(names, f.sentence) or f.chunk_id in passages]
    if quantities:
        table = _Table(facts, idf or subject_idf(facts), noun_words(facts) if nouns is None else nouns, restating)
        return _check_numbers(claim, quantities, table, sentences, profile, w)
    # A comparison of two places reads the numbers of both, also where one sentence names only one of them.
    return check_words(claim, sentences, profile, w.min_sentence, every_fact)


_NUMERAL = re.compile(r"(?<![\w.,])\d[\d.,]*(?:[eE][+-]?\d+)?(?![\w])")
MAX_DIGITS = 15  # more significant digits than any count, amount or share a report gives


def unread_numerals(text: str) -> list[str]:
    """Numerals in ``text`` that the number reader does not read: scientific notation, absurdly many digits."""
    spans = [(q.start, q.end) for q in find_numbers(text)]
    out = []
    for m in _NUMERAL.finditer(text):
        if any(a < m.end() and m.start() < b for a, b in spans):
            continue
        numeral = m.group(0).rstrip(".,")
        if re.search(r"[eE]", numeral) or sum(ch.isdigit() for ch in numeral) > MAX_DIGITS:
            out.append(numeral)
    return out


def _evidence(fact: Fact) -> Evidence:
    return Evidence(sentence=fact.sentence, doc_id=fact.doc_id, page=fact.page, chunk_id=fact.chunk_id)


def subject_idf(facts: Sequence[Fact]) -> dict[str, float]:
    """Inverse document frequency of subject stems over the facts table; unseen stems get the maximum."""
    df: dict[str, int] = {}
    for fact in facts:
        for word in _stems(fact.subject):
            df[word] = df.get(word, 0) + 1
    n = len(facts) or 1
    idf = {word: math.log((n + 1) / (count + 0.5)) for word, count in df.items()}
    # A word no fact mentions is as likely an everyday verb ("woonden") as a missing topic: weigh it like a
    # typical word, not like the rarest one.
    typical = sorted(idf.values())[len(idf) // 2] if idf else 1.0
    return idf | {"": typical}


_LIMITS = frozenset({"meer dan", "minder dan", "maximaal", "ten minste"})


def _period_ok(claimed: str, years: set[str], reported: str) -> bool:
    """Does the fact's period agree with the claimed number's own period (else with any year of the claim)?"""
    if not reported:
        return True
    if claimed:
        return reported.startswith(claimed) or claimed.startswith(reported) or claimed in reported
    return not years or any(reported.startswith(y) or y in reported for y in years)


_ALL_MIGRANTS = re.compile(r"\bmigrant(?:en)?\b")


def _group_mismatch(frame: Frame, fact: Fact, all_migrants: bool = False) -> str:
    """Why a fact is about other people than the claimed number (empty when the groups agree).
    ``all_migrants``: the claim speaks of migrants without naming a group ("een op de negen … is migrant")."""
    claimed, reported = set(frame.groups), set(fact.groups)
    if claimed and reported:
        return "" if claimed & reported else f"andere groep: dit getal geldt voor {_names(fact.groups)}"
    if claimed and people(fact.measure) and not (fact.row or fact.column):
        # a number of people without a group of its own, outside a table: all migrants
        return "deel vs totaal: dit getal geldt voor alle migranten"
    if reported and not claimed and (people(frame.measure) or fact.scope == "part" or all_migrants):
        return f"deel vs totaal: dit getal geldt alleen voor {_names(fact.groups)}"
    return ""


def _names(groups: Sequence[str]) -> str:
    return " en ".join(groups)


def _score_facts(
    claim: Claim,
    q: Quantity,
    found: Sequence[Quantity],
    facts: Sequence[Fact],
    boost: dict[str, float],
    idf: Mapping[str, float],
    profile: Profile,
    w: FactcheckWeights,
) -> list[_Candidate]:
    family = as_comparable(q)[0]
    claim_stems = _stems(claim.subject)
    unseen = idf.get("", w.unseen_idf)
    # Sums over sorted words, rounded: a set's order changes with the process' hash seed, and float sums in
    # another order can fall on either side of a threshold (the same claim got two verdicts in two runs).
    weights = {word: idf.get(word, unseen) for word in sorted(claim_stems)}
    total = math.fsum(weights.values()) or 1.0
    years = {str(y) for y in claim.years}
    frame = frame_of(q, found, claim.text, profile)
    named = _named_stems(claim.text, profile)
    all_migrants = bool(_ALL_MIGRANTS.search(lowered(claim.text)))
    out = []
    for fact in facts:
        reported = to_quantity(fact)
        if as_comparable(reported)[0] != family:
            continue
        fact_stems = _stems(fact.subject)
        if not claim_stems:
            continue
        matched = claim_stems & fact_stems
        # Words that name the claim's group or place match a fact in that group or place, whatever its words
        # ("Oekraïners" and "Oekraïense ontheemden"); a compound matches its head ("opvangplekken", "plekken").
        for group in set(frame.groups) & set(fact.groups):
            matched |= named.get(("group", group), set())
        if frame.place and frame.place == fact.place:
            matched |= named.get(("place", frame.place), set())
        # (Not for people: an arbeidsmigrant is a migrant, but which group a number counts is the frame's call.)
        matched |= {
            c for c in claim_stems - matched
            if not people(c) and any(compound_head(c, f) or compound_head(f, c) for f in fact_stems if not people(f))
        }
        overlap = math.fsum(weights[word] for word in sorted(matched & claim_stems)) / total
        overlap += boost.get(fact.chunk_id, 0.0)
        if q.noun and stem(fold(q.noun)) in _stems(_noun_window(fact)):
            overlap += w.noun  # "18.500 migranten" and "18.480 migranten" count the same thing
        elif q.kind == "count" and q.noun and not (set(frame.groups) & set(fact.groups) or _counts_same(q.noun, fact)):
            continue  # a count of "olifanten" is neither confirmed nor contradicted by a count of people
        if q.kind == "count" and not _same_thing(frame.measure, fact.measure, profile):
            continue  # 1.400 Oekraïners are not 114 registraties of them
        overlap = round(overlap, 9)
        group_why = _group_mismatch(frame, fact, all_migrants)
        # A duration is mostly a rule ("zes maanden na de aanvraag"): the national rule holds in the municipality
        # too, so only a place the claim names can differ from the report's.
        place_why = place_mismatch(frame.place, fact.place, profile) if frame.place or q.kind != "duration" else ""
        period_ok = _period_ok(frame.period, years, fact.period)
        ok, why = matches(q, reported)
        if ok and fact.hedge in _LIMITS and q.hedge not in _LIMITS and not _close(q, reported, w.hedge_ratio):
            # "meer dan 11 procent" bounds a value but does not confirm "een kwart"; "maximaal € 533" not € 260.
            ok, why = False, "te hoog" if as_comparable(q)[1] > as_comparable(reported)[1] else "te laag"
        out.append(
            _Candidate(fact, overlap, period_ok, not group_why, ok, why, not place_why, group_why or place_why)
        )
    out.sort(key=lambda c: -c.subject)
    return out


def _named_stems(text: str, profile: Profile) -> dict[tuple[str, str], set[str]]:
    """The stems of the words that name each group and place in ``text``, by (kind, name)."""
    low = lowered(text)
    out: dict[tuple[str, str], set[str]] = {}
    for m in mentions(text, profile):
        out.setdefault((m.kind, m.name), set()).update(_stems(subject_words(low[m.start : m.end])))
    return out


_GENERIC_NOUNS = frozenset({"personen", "mensen", "inwoners", "keer", "stuks"})


def _same_thing(claimed: str, reported: str, profile: Profile) -> bool:
    """Do two counted things agree: the same measure, or both people (a group word counts people)?"""
    return same_measure(claimed, reported) or (_counts_people(claimed, profile) and _counts_people(reported, profile))


def _counts_people(measure: str, profile: Profile) -> bool:
    return people(measure) or any(measure.startswith(s[:6]) for _, stems in profile.groups for s in stems)


def _counts_same(noun: str, fact: Fact) -> bool:
    """Does the fact mention what the claim counts (as a word or inside a compound: migranten/arbeidsmigranten)?"""
    key = stem(fold(noun))
    if fold(noun) in _GENERIC_NOUNS or len(key) < 4:
        return True
    return any(key in word or stem(word) == key or compound_head(key, stem(word)) for word in fact.subject)


def _noun_window(fact: Fact) -> Sequence[str]:
    """The words right after the fact's number in its sentence: what it counts."""
    at = fact.sentence.find(fact.text)
    if at < 0:
        return ()
    return subject_words(fact.sentence[at + len(fact.text) : at + len(fact.text) + 40])[:3]


def _close(a: Quantity, b: Quantity, ratio: float) -> bool:
    x, y = abs(as_comparable(a)[1]), abs(as_comparable(b)[1])
    if x == 0 or y == 0:
        return x == y
    return max(x, y) / min(x, y) <= ratio


def _distance(q: Quantity, fact: Fact) -> float:
    """How far a reported value is from the claimed one (log ratio), to pick the fact a speaker meant."""
    x, y = abs(as_comparable(q)[1]), abs(as_comparable(to_quantity(fact))[1])
    if x == 0 or y == 0:
        return 0.0 if x == y else 10.0
    return abs(math.log(x / y))


@dataclass(frozen=True, slots=True)
class _Table:
    """The facts a claim is checked against, with the word statistics over them."""

    facts: Sequence[Fact]
    idf: Mapping[str, float]
    nouns: frozenset[str]
    restating: frozenset[tuple[str, str]] = frozenset()  # (passage id, sentence) of summarising parts' facts


def _check_numbers(
    claim: Claim,
    quantities: Sequence[Quantity],
    table: _Table,
    sentences: Sequence[Sentence],
    profile: Profile,
    w: FactcheckWeights,
) -> Verdict:
    # Facts in the passages that retrieval found for the claim count as more on-topic.
    boost: dict[str, float] = {}
    for rank, sentence in enumerate(sentences[: w.retrieved_sentences]):
        boost[sentence.chunk.id] = max(boost.get(sentence.chunk.id, 0.0), w.retrieved - w.retrieved_decay * rank)
    found = find_numbers(claim.text)
    scored = {id(q): _score_facts(claim, q, found, table.facts, boost, table.idf, profile, w) for q in quantities}
    anchor = _anchor(scored.values(), w.min_subject)
    supported: list[tuple[Quantity, Verdict]] = []
    unknown: list[Quantity] = []
    for q in quantities:
        verdict = _check_quantity(claim, q, found, scored[id(q)], table, anchor, profile, w)
        if verdict is None:
            unknown.append(q)
            continue
        if verdict.status == "contradicted":
            # One wrong number makes the claim wrong, however many others are right.
            return verdict
        supported.append((q, verdict))
    if not supported or (
        any(q.kind != "duration" for q in unknown) and all(q.kind == "duration" for q, _ in supported)
    ):
        # "zestig procent … binnen drie jaar": a confirmed duration says nothing about an unconfirmed share.
        return not_in_report(claim, sentences)
    # The claim's main number speaks for it: a share, count or amount before a duration ("in tien jaar"), a
    # specific value before a small count ("ruim elfhonderd plekken" before "drie locaties").
    _, verdict = min(supported, key=lambda pair: (pair[0].kind == "duration", not _distinctive(pair[0])))
    reason, value = inconsistent_comparison(claim.text)
    if not reason:
        # The numbers agree; the words around them (trend, comparison, superlative) must agree too.
        reason, value = conflict(claim.text, verdict.evidence[0].sentence, profile, negation=False)
    if reason:
        return replace(verdict, status="contradicted", reason=reason, report_value=value, difference="")
    return verdict


def _closest_first(
    q: Quantity, good: Sequence[_Candidate], restating: frozenset[tuple[str, str]], band: float = 0.2
) -> list[_Candidate]:
    """The agreeing facts, best first. Among those about as on-topic as the best (within ``band``) a chapter's
    sentence leads a summary's or conclusion's restatement of it ("1.430 … (stand december 2024)" before the
    conclusions' "ruim 1.400"), then the value nearest the claimed one ("bijna 11,5 procent" is shown with the
    report's 11,4, not "meer dan 11")."""
    if not good:
        return []
    best = max(c.subject for c in good)
    return sorted(
        good,
        key=lambda c: (
            c.subject < best - band,
            (c.fact.chunk_id, c.fact.sentence) in restating,
            _distance(q, c.fact),
            -c.subject,
        ),
    )


def _anchor(scored: Iterable[Sequence[_Candidate]], min_subject: float) -> str:
    """The report sentence that confirms most of a claim's numbers (at least two), or "".

    A claim that repeats a sentence with four numbers is checked against that sentence, not number by number
    against whichever fact happens to share most words with it.
    """
    votes: dict[str, float] = {}
    counts: dict[str, int] = {}
    for candidates in scored:
        seen: set[str] = set()
        for c in candidates:
            if c.ok and c.in_frame and c.subject >= min_subject / 2 and c.fact.sentence not in seen:
                seen.add(c.fact.sentence)
                counts[c.fact.sentence] = counts.get(c.fact.sentence, 0) + 1
                votes[c.fact.sentence] = votes.get(c.fact.sentence, 0.0) + c.subject
    best = max(counts, key=lambda k: (counts[k], votes[k]), default="")
    return best if best and counts[best] >= 2 else ""


def _check_quantity(
    claim: Claim,
    q: Quantity,
    found: Sequence[Quantity],
    scored: Sequence[_Candidate],
    table: _Table,
    anchor: str,
    profile: Profile,
    w: FactcheckWeights,
) -> Verdict | None:
    """The verdict on one claimed quantity: supported or contradicted by a fact in its frame, or None."""
    candidates = [c for c in scored if c.subject >= w.min_subject]
    anchored = [c for c in scored if anchor and c.fact.sentence == anchor and c.ok and c.in_frame]
    if anchored:
        candidates = anchored + [c for c in candidates if c not in anchored]
    if not candidates:
        return _trend(claim, q, found, table, profile, w) if q.kind in ("factor", "change") else None
    # The topic band is set by the best fact in the claim's frame: a fact about another place or group with
    # more words in common does not push the right one out.
    # Without one, the best fact at the claim's own date sets it: "op 1 september 2025 … 21" is read against
    # that date's figures, not against the same list in May.
    top = next(
        (c.subject for c in candidates if c.in_frame),
        next((c.subject for c in candidates if c.period_ok and c.fact.period and claim.years), candidates[0].subject),
    )
    near = anchored or [c for c in candidates if c.subject >= top - w.near]
    if _distinctive(q):
        # The report states this very number about related things: a slip of group, place or year, not news.
        near += [c for c in candidates if c.ok and c.subject < top - w.near]
        # Said of another group, place or year, the very number may share few words with the claim: "met 43,2
        # procent de grootste groep" for arbeidsmigranten, where the report's 43,2 is the gezinsmigranten' share.
        near += [c for c in scored if c.ok and not c.in_frame and w.min_subject / 2 <= c.subject < w.min_subject]
    good = [c for c in near if c.ok and c.in_frame]
    if good and not any(c.fact.period for c in good) and any(c.ok and not c.period_ok for c in near):
        # Only undated mentions agree, while a dated one gives this number for another year: that one decides.
        good = []
    good = _closest_first(q, good, table.restating)
    if good:
        fact = good[0].fact
        swapped = _swapped_position(claim.text, q, fact) or _part_exceeds_whole(claim.text)
        if swapped:
            return Verdict(
                claim=claim,
                status="contradicted",
                evidence=(_evidence(fact),),
                report_value=swapped,
                reason=f"verwisseld: in het rapport staat op deze plaats {swapped}",
                difference="",
            )
        moved = _moved_qualifier(claim.text, q, fact, profile, table.nouns)
        if moved:
            return Verdict(
                claim=claim,
                status="contradicted",
                evidence=(_evidence(fact),),
                report_value=fact.text,
                reason=f"verwisseld: in het rapport hoort {fact.text} niet bij ‘{moved}’",
                difference="",
            )
        denied = negated(claim.text, q) and not fact_negated(fact)
        return Verdict(
            claim=claim,
            status="contradicted" if denied else "supported",
            evidence=_restated(fact, candidates, w.min_subject, table.restating),
            report_value=fact.text,
            reason="ontkenning: het rapport noemt dit getal wel" if denied else REASONS.get(good[0].why, good[0].why),
            difference="" if denied else _difference(q, fact),
            notes=_two_values(near, fact, w.two_values),
        )
    trend = _trend(claim, q, found, table, profile, w) if q.kind in ("factor", "change") else None
    if trend is not None:
        return trend
    contradiction = _contradiction(q, near)
    if contradiction is None:
        return None
    fact, reason = contradiction
    if reason in _VALUE_REASONS and not _states(fact, stated_measure(claim.text, q)):
        # "De werkloosheid … bedraagt 6 procent" against a share of something else: another value of another
        # thing is no contradiction, the report does not give this one.
        return None
    difference = _difference(q, fact)
    # Where the claimed number does stand (another year, group or place) is evidence too: it shows the slip.
    slip = next((c.fact for c in near if c.ok and not c.in_frame and c.fact.page != fact.page), None)
    stated = _restated(fact, candidates, w.min_subject, table.restating)
    shown = (stated[0], *([_evidence(slip)] if slip is not None else []))
    return Verdict(
        claim=claim,
        status="contradicted",
        evidence=(*shown, *stated[1:])[: max(3, len(shown))],
        report_value=fact.text,
        reason=reason,
        # The same value in another year, group or place: no difference to show beside "klopt niet".
        difference="" if difference == "geen verschil" else difference,
        notes=_two_values(near, fact, w.two_values),
    )


_ARTICLE_NOUN = re.compile(
    rf"(?:\b(?:de|het|een|deze|die|dit|geen|alle|bij|in|voor|met|op|naar|uit)|\d)\s+(?:\w+e\s+)?({LETTER}{{6,}})",
    re.UNICODE,
)


def noun_words(facts: Sequence[Fact]) -> frozenset[str]:
    """Folded words the report's fact sentences use as nouns (after an article, a preposition or a number):
    what numbers can be about."""
    return frozenset(
        fold(m.group(1))
        for f in facts
        for m in _ARTICLE_NOUN.finditer(f.sentence)
        # After a year the next word is the sentence's verb ("in het eerste kwartaal 2025 stonden …").
        if not _YEAR_BEFORE.search(f.sentence[: m.start(1)])
    )


_YEAR_BEFORE = re.compile(r"\b(?:19|20)\d\d\s+(?:\w+e\s+)?$")


def _qualifiers(text: str, profile: Profile, nouns: frozenset[str]) -> list[str]:
    """Distinctive nouns of a clause: long words the report uses as nouns, not a group or place of the profile."""
    low = lowered(text)
    spans = [low[m.start : m.end] for m in mentions(text, profile)]
    return [
        w for w in subject_words(text)
        if w in nouns and not people(stem(w)) and not any(w in sp or sp in w for sp in spans)
    ]


def _moved_qualifier(claim_text: str, q: Quantity, fact: Fact, profile: Profile, nouns: frozenset[str]) -> str:
    """A word the claim ties to its number that the report's sentence ties to another part of it.

    "Bij gastgezinnen … 80 procent" against "opgevangen in gemeentelijke opvanglocaties (80%), de overige groep
    … bij gastgezinnen": the number stands in the sentence, but with something else. Returns the word, or "".
    """
    at = fact.sentence.find(fact.text)
    if at < 0 or fact.row:
        return ""
    lo, hi = context_of(fact.sentence, at, at + len(fact.text))
    own = set(_stems(subject_words(fact.sentence[lo:hi])))
    # Only another number of the same kind in the sentence can be the one the claim's words belong to.
    family = as_comparable(q)[0]
    competitors = [
        r for r in find_numbers(fact.sentence)
        if r.kind not in TIME_KINDS and as_comparable(r)[0] == family and r.value != fact.value
    ]
    c_lo, c_hi = context_of(claim_text, q.start, q.end)
    for word in _qualifiers(claim_text[c_lo:c_hi], profile, nouns):
        key = stem(word)
        if any(key in w or w in key for w in own if len(w) >= 4):
            continue
        for o_lo, o_hi in clauses(fact.sentence):
            if o_hi <= lo or o_lo >= hi:
                other = set(_stems(subject_words(fact.sentence[o_lo:o_hi])))
                rival = [r for r in competitors if o_lo <= r.start < o_hi]
                if key in other and rival:
                    return word
    return ""


_TOKEN = re.compile(rf"{LETTER}+", re.UNICODE)


def _neighbours(text: str, start: int, end: int, width: int = 3) -> tuple[set[str], set[str]]:
    """The words right before and right after a number."""
    low = lowered(text)
    return set(_TOKEN.findall(low[:start])[-width:]), set(_TOKEN.findall(low[end:])[:width])


def _swapped_position(claim_text: str, q: Quantity, fact: Fact) -> str:
    """The report's number where the claim has ``q`` when the claim follows the report's sentence but puts
    two of its numbers in each other's place ("162.300 migranten … op 18.480 inwoners"); else ""."""
    at = fact.sentence.find(fact.text)
    if at < 0:
        return ""
    claim_words, report_words = set(_TOKEN.findall(lowered(claim_text))), set(_TOKEN.findall(lowered(fact.sentence)))
    if len(claim_words) < 8 or len(claim_words & report_words) < 0.7 * len(claim_words):
        return ""  # a paraphrase: where its numbers stand says nothing about the report's sentence
    left, right = _neighbours(claim_text, q.start, q.end)

    def fit(start: int, end: int) -> int:
        other_left, other_right = _neighbours(fact.sentence, start, end)
        return len(left & other_left) + len(right & other_right)

    own = fit(at, at + len(fact.text))
    family = as_comparable(q)[0]
    for r in find_numbers(fact.sentence):
        if r.kind in TIME_KINDS or as_comparable(r)[0] != family or r.value == fact.value:
            continue
        if fit(r.start, r.end) >= max(own + 2, 3):
            return r.text
    return ""


def _part_exceeds_whole(text: str) -> str:
    """A claim whose part is larger than its whole ("550.000 van de 200.000", "17.400 … waarvan 3.730" read
    the other way): returns the whole as written, else ""."""
    found = [q for q in find_numbers(text) if q.kind not in TIME_KINDS]
    for i, q in enumerate(found):
        frame = frame_of(q, found, text, Profile())
        if frame.scope != "part":
            continue
        wholes = [w for w in found[:i] if as_comparable(w)[0] == as_comparable(q)[0] and w.kind == "count"]
        if q.kind == "count" and wholes and q.value > wholes[-1].value:
            return wholes[-1].text
    return ""


RESTATING_PARTS = frozenset({"samenvatting", "conclusies", "aandachtspunten"})


def _restated(
    fact: Fact,
    candidates: Sequence[_Candidate],
    min_subject: float,
    restating: frozenset[tuple[str, str]] = frozenset(),
    most: int = 2,
) -> tuple[Evidence, ...]:
    """``fact`` and the same number in the same frame on other pages (the summary and the chapter that states
    it), the chapter first: the summary and conclusions restate, often rounded, what a chapter's page gives."""
    out = [fact]
    pages = {fact.page}
    for c in candidates:
        other = c.fact
        if other.page in pages or c.subject < min_subject or not c.in_frame:
            continue
        if other.value == fact.value and other.kind == fact.kind and other.groups == fact.groups:
            out.append(other)
            pages.add(other.page)
            if len(out) > most:
                break
    out.sort(key=lambda f: (f.chunk_id, f.sentence) in restating)
    return tuple(_evidence(f) for f in out)


def _distinctive(q: Quantity) -> bool:
    """A value too specific to recur by chance: three significant digits, or decimals (43,2; 18.480; 1.015)."""
    digits = len(str(abs(int(round(q.value)))).rstrip("0"))
    return q.decimals > 0 or digits >= 3


def _trend(
    claim: Claim, q: Quantity, found: Sequence[Quantity], table: _Table, profile: Profile, w: FactcheckWeights
) -> Verdict | None:
    """A claimed change or factor ("tussen <datum> en <datum> gehalveerd", "sinds <jaar> verdubbeld")
    computed from two numbers of one report sentence at the claim's dates, or None."""
    # "in mei 2025 gehalveerd ten opzichte van november 2024" is a change from the earlier date: times in order.
    times = sorted(t.period for t in found if t.kind in TIME_KINDS and t.period)
    if not times:
        return None
    # The numbers the change is between are counts, shares or amounts about the claim's subject.
    probes = [replace(q, kind=kind, unit="%" if kind == "percent" else "", from_value=None, relation="", noun="")
              for kind in ("count", "percent")]
    scored = [c for probe in probes for c in _score_facts(claim, probe, found, table.facts, {}, table.idf, profile, w)]
    scored.sort(key=lambda c: -c.subject)
    for candidate in scored:
        if candidate.subject < w.min_subject or not candidate.in_frame:
            continue
        pair = _pair_at(times, [c.fact for c in scored if c.fact.sentence == candidate.fact.sentence])
        if pair is None:
            continue
        first, last = pair
        change = replace(to_quantity(last), from_value=first.value, relation="change")
        ok, why = matches(q, change)
        return Verdict(
            claim=claim,
            status="supported" if ok else "contradicted",
            evidence=(_evidence(last),),
            report_value=f"van {first.text} naar {last.text}",
            reason=REASONS.get(why, why) if ok else (why if why.startswith("te ") else "omgekeerde richting"),
        )
    return None


def _pair_at(times: Sequence[str], facts: Sequence[Fact]) -> tuple[Fact, Fact] | None:
    """The facts of one sentence at the first claimed time and at the second (else the latest one)."""
    dated = [f for f in facts if f.period and f.kind not in ("factor", "change")]

    def at(period: str) -> Fact | None:
        return next((f for f in dated if f.period.startswith(period) or period.startswith(f.period)), None)

    first = at(times[0])
    last = at(times[1]) if len(times) > 1 else max(dated, key=lambda f: f.period, default=None)
    if first is None or last is None or first is last or first.period >= last.period:
        return None
    if as_comparable(to_quantity(first))[0] != as_comparable(to_quantity(last))[0]:
        return None
    return first, last


def fact_negated(fact: Fact) -> bool:
    """Does the report's own sentence deny or negate its number ("niet meer dan …", "geen …")?"""
    at = fact.sentence.find(fact.text)
    return at >= 0 and negated_at(fact.sentence, at)


# Reasons that rest on the value alone (not on the claimed number standing elsewhere in the report).
_VALUE_REASONS = frozenset({"te hoog", "te laag", "factor 10", "andere eenheid"})


def _states(fact: Fact, measure: str) -> bool:
    """Does the fact's sentence name what the claim says its number measures (or the claim names nothing)?"""
    if not measure:
        return True
    key = stem(measure)
    return any(key in stem(word) for word in subject_words(fact.sentence))


def _contradiction(q: Quantity, near: Sequence[_Candidate]) -> tuple[Fact, str] | None:
    """The fact that contradicts claimed quantity ``q`` among the near candidates, with the reason; or None."""
    # Same number, other year, group or place: the classic debate slip.
    same_value = [c for c in near if c.ok]
    right_context = [c for c in near if c.in_frame]
    if same_value:
        slip = same_value[0]
        if not slip.period_ok:
            # The year is what differs, also when the claimed year's own value stands in the same sentence.
            return (right_context or same_value)[0].fact, "ander jaar"
        if right_context and right_context[0].fact.sentence == slip.fact.sentence:
            return right_context[0].fact, f"verwisseld: {slip.fact.text} hoort bij iets anders in dezelfde zin"
        if slip.frame_why:
            # For another group: the claimed group's own value where the sentence of the number gives one
            # ("gezinsmigratie (43 procent), gevolgd door arbeidsmigratie (22 procent)"), else the number where it
            # does belong, not some figure elsewhere that merely names no group ("6%" of all migrants).
            closest = min(same_value, key=lambda c: (_distance(q, c.fact), -c.subject)).fact
            own = right_context
            if not slip.group_ok:
                own = [c for c in right_context if c.fact.groups and c.fact.sentence == closest.sentence]
            return (own[0].fact if own else closest), slip.frame_why
    if right_context:
        # A slip by a factor of 10 (184.800 for 18.480) explains a claim better than the nearest value.
        chosen = min(right_context, key=lambda c: (not c.why.startswith("factor"), _distance(q, c.fact), -c.subject))
        return chosen.fact, REASONS.get(chosen.why, chosen.why)
    return None


def _difference(q: Quantity, fact: Fact) -> str:
    family, claimed = as_comparable(q)
    _, reported = as_comparable(to_quantity(fact))
    delta = claimed - reported
    if abs(delta) < 1e-9:
        return "geen verschil"
    sign = "+" if delta > 0 else "-"
    if family == "percent":
        return f"{sign}{format_number(abs(delta), 1)} procentpunt"
    return f"{sign}{format_number(abs(delta), 0 if float(abs(delta)).is_integer() else 1)}"


def _two_values(near: Sequence[_Candidate], chosen: Fact, margin: float) -> tuple[str, ...]:
    """Say so when the report gives another value for the same thing (same period, near-identical subject)."""
    others = [
        c.fact
        for c in near
        if c.fact.value != chosen.value
        and c.fact.period == chosen.period
        and c.fact.unit == chosen.unit
        and c.subject >= near[0].subject - margin
        and c.fact.page != chosen.page
    ]
    if not others:
        return ()
    other = others[0]
    return (
        f"Let op: het rapport noemt elders een andere waarde: {other.text} (p. {other.page}) "
        f"naast {chosen.text} (p. {chosen.page}).",
    )
