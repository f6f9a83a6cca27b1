"""Claims without numbers: trends, comparisons, superlatives and negations against the report (pure).

A trend is read from the evidence's own words ("gestegen") or computed from its numbers ("van 607 naar
1.015", "verdubbeld"); a comparison keeps track of who is compared with whom, so "A minder dan B" agrees with
"B meer dan A"; a superlative ("de grootste groep") is checked for the group it is attached to.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from rekenqa.antonyms import opposite_pairs, side_of
from rekenqa.facts import subject_words, to_quantity
from rekenqa.frames import clause_of, lowered, mentions, named_in, own_place
from rekenqa.lexical import STOPWORDS, fold, stem
from rekenqa.lexicon import (
    CHANGE_NOUNS,
    CLAIM_DOWN_CUES,
    CLAIM_UP_CUES,
    FALL_NOUNS,
    FALL_VERBS,
    NEXT_RANK_CUES,
    RISE_VERBS,
    SUPERLATIVES,
)
from rekenqa.numbers import as_comparable, find_numbers
from rekenqa.quotes.words import TERM_PAIRS, is_group
from rekenqa.retrieve import Sentence
from rekenqa.types import Claim, DiffOp, Evidence, Fact, Profile, Verdict

NEGATIONS = frozenset({"geen", "niet", "nooit", "niets", "nergens", "zonder", "ontbreekt", "ontbreken"})
_COMPARATIVE = re.compile(
    r"\b(?:(meer|hoger|groter|vaker|sterker)|(minder|lager|kleiner|minder vaak|zwakker))\s+(?:[\w/-]+\s+){0,6}?dan\b"
)
_BOUND_NUMBER = re.compile(
    r"\s*(?:[€$]|\d|(?:een|één|twee|drie|vier|vijf|zes|zeven|acht|negen|tien|elf|twaalf|dertien|veertien|vijftien"
    r"|twintig|dertig|veertig|vijftig|zestig|zeventig|tachtig|negentig|honderd|duizend|de helft|half|anderhalf)\b)"
)
_SUPERLATIVE = re.compile(r"\b(" + "|".join(SUPERLATIVES) + r")\b")
_FLIP = {"up": "down", "down": "up"}
_COMPARISON_WORDS = frozenset({"meer", "minder", "hoger", "lager", "groter", "kleiner", "vaker", "verhouding", "relatief"})


def _is_change_word(word: str) -> bool:
    """Words of a change over time, not of a comparison ("hoger", "meer dan") or a bare particle ("toe.")."""
    return " dan" not in word and word not in ("hoger", "lager", "toe.", "afwijking")


_RISE = tuple(w for w in (*CLAIM_UP_CUES, *RISE_VERBS, *CHANGE_NOUNS) if w not in FALL_NOUNS and _is_change_word(w))
_FALL = tuple(w for w in (*CLAIM_DOWN_CUES, *FALL_VERBS, *FALL_NOUNS) if _is_change_word(w))


def direction(text: str) -> str:
    """"up" or "down" when ``text`` states a change: in words, or as a from-to value or a factor."""
    low = f" {text.lower()} "
    up = any(re.search(rf"\b{re.escape(w)}\b", low) for w in _RISE)
    down = any(re.search(rf"\b{re.escape(w)}\b", low) for w in _FALL)
    if up != down:
        return "up" if up else "down"
    for q in find_numbers(text):
        if q.relation == "change" and q.from_value is not None and q.value != q.from_value:
            return "up" if q.value > q.from_value else "down"
        if q.kind == "factor" and q.value != 1:
            return "up" if q.value > 1 else "down"
        if q.kind == "change" and q.value:
            return "up" if q.value > 0 else "down"
    return ""


def comparison(text: str, profile: Profile) -> tuple[str, str, str] | None:
    """(subject, direction, object) of "A … meer/minder … dan B": the groups or places on either side.

    A side the sentence does not name is "" (the report's own municipality or the topic of the paragraph).
    """
    low = lowered(text)
    # "minder dan één procent", "meer dan 11 procent": a bound on a number, not a comparison of two sides.
    match = next((m for m in _COMPARATIVE.finditer(low) if not _BOUND_NUMBER.match(low, m.end())), None)
    if match is None:
        return None
    side = "up" if match.group(1) else "down"
    named = mentions(text, profile)
    lo, _ = clause_of(low, match.start(), match.end())
    before = [m.name for m in named if m.end <= match.start()]
    after = [m.name for m in named if m.start >= match.end()]
    return (before[-1] if before else ""), side, (after[0] if after else "")


def superlative(text: str, profile: Profile) -> tuple[str, str] | None:
    """(kind, group or place) of "de grootste groep zijn X": the mention nearest to the superlative.

    A superlative ranked below the top ("arbeidsmigratie, na gezinsmigratie, het vaakst"; "vervolgens het
    vaakst") is of kind "next": the group it is about is not the largest, and the group after "na" is ahead.
    """
    low = lowered(text)
    match = _SUPERLATIVE.search(low)
    if match is None:
        return None
    kind = SUPERLATIVES[match.group(1)]
    named = mentions(text, profile)
    # The largest group is a group; only a sentence that names none ranks places ("de meeste in Hoofddorp").
    named = [m for m in named if m.kind == "group"] or named
    ahead = [m for m in named if _AHEAD.search(low[: m.start])]
    if ahead or _NEXT_RANK.search(low[max(0, match.start() - 24) : match.start()]):
        kind = "next"
    named = [m for m in named if m not in ahead]
    if not named:
        return kind, ""
    nearest = min(named, key=lambda m: min(abs(m.start - match.end()), abs(match.start() - m.end)))
    return kind, nearest.name


# "na gezinsmigratie", "na de gezinsmigranten": the mention that follows ranks above the superlative's subject.
_AHEAD = re.compile(r"\bna (?:de |het )?$")
_NEXT_RANK = re.compile(r"\b(?:" + "|".join(NEXT_RANK_CUES) + r")\b")


def _place_after(text: str, profile: Profile) -> str:
    """The first place named after the superlative of ``text``."""
    low = lowered(text)
    match = _SUPERLATIVE.search(low)
    if match is None:
        return ""
    return next((m.name for m in mentions(text, profile) if m.kind == "place" and m.start > match.end()), "")


def _words(text: str) -> set[str]:
    return set(re.findall(r"[a-zà-ÿ]+", text.lower()))


def _evidence(sentence: Sentence) -> Evidence:
    return Evidence(sentence.text, sentence.chunk.doc_id, sentence.page, sentence.chunk.id)


def not_in_report(claim: Claim, sentences: Sequence[Sentence]) -> Verdict:
    return Verdict(
        claim=claim,
        status="not_in_report",
        evidence=tuple(_evidence(s) for s in sentences[:1]),
        report_value="",
        reason="niet in het rapport",
    )


def conflict(claim_text: str, evidence: str, profile: Profile, negation: bool = True) -> tuple[str, str]:
    """(reason, the report's word) when ``evidence`` says the opposite of the claim; ("", "") otherwise.

    ``negation=False`` leaves out the test for a negation (a claim with numbers has its own).
    """
    claim_dir, ev_dir = direction(claim_text), direction(evidence)
    if claim_dir and ev_dir and claim_dir != ev_dir:
        return "omgekeerde richting", "gestegen" if ev_dir == "up" else "gedaald"
    claimed, reported = comparison(claim_text, profile), comparison(evidence, profile)
    if claimed and reported:
        subject, side, other = claimed
        expected = reported[1] if subject == reported[0] or other == reported[2] else None
        if subject and subject == reported[2] or other and other == reported[0]:
            expected = _FLIP[reported[1]]
        if expected and side != expected:
            return "omgekeerde vergelijking", "meer" if expected == "up" else "minder"
    top_claim, top_report = superlative(claim_text, profile), superlative(evidence, profile)
    if top_claim and top_report and top_claim[0] == top_report[0] and top_claim[1] and top_report[1]:
        if top_claim[1] != top_report[1]:
            return f"andere groep: volgens het rapport {top_report[1]}", top_report[1]
    if top_claim and top_report and top_claim[0] == "max" and top_report[0] == "next" and top_claim[1] != top_report[1]:
        return "", ""  # "A, na B, het vaakst" ranks A second: it says nothing against "B is de grootste"
    if top_claim and top_report and top_claim[1] == top_report[1] and top_claim[0] != top_report[0]:
        ranks = {top_claim[0], top_report[0]}
        if ranks == {"max", "next"}:
            said = "niet de grootste" if top_report[0] == "next" else "de grootste"
            return f"andere rangorde: volgens het rapport {said}", said
        if "next" not in ranks:
            return "omgekeerde vergelijking", "grootste" if top_report[0] == "max" else "kleinste"
    if top_claim and top_report and top_claim == top_report:
        # "De meeste arbeidsmigranten wonen in Nieuw-Vennep" against "… wonen in Hoofddorp (1.870) en …".
        claimed_place, reported_place = _place_after(claim_text, profile), _place_after(evidence, profile)
        if claimed_place and reported_place and claimed_place != reported_place:
            return f"andere plaats: volgens het rapport {reported_place.title()}", reported_place.title()
    if negation and negation_differs(claim_text, evidence):
        return "ontkenning: het rapport zegt het tegendeel", ""
    if negation:
        said = opposite_word(claim_text, evidence)
        if said:
            return f"tegengesteld: het rapport zegt ‘{said}’", said
        claimed_groups, reported_groups = named_in(claim_text, profile, "group"), named_in(evidence, profile, "group")
        if claimed_groups and reported_groups and not claimed_groups & reported_groups:
            # "… woonruimte voor gezinsmigranten" against "… woonruimte voor statushouders"
            names = " en ".join(sorted(reported_groups))
            return f"andere groep: het rapport zegt dit van {names}", names
    return "", ""


_ABOUT = 2  # content words in common that make two clauses about the same thing
_ALIGNED = 0.5  # share of a claim clause's content words that the report clause it is read against has


def _content(text: str) -> frozenset[str]:
    return frozenset(stem(w) for w in _words(text) if len(w) > 2 and w not in STOPWORDS and w not in NEGATIONS)


# Where one statement ends and another begins, for the scope of a negation: punctuation and the words that join
# two statements; "en" / "of" only before a negation of its own ("… ligt en niet aansluit", "en sluit niet
# aan"), since they
# mostly join the parts of one statement ("geen zorgplicht of bevoegdheid").
_STATEMENT_BOUNDARY = re.compile(
    r"[,;:()\[\]–]|\s(?:maar|terwijl|omdat|doordat|waardoor|want|hoewel|zodat|tegenover)\s"
    r"|\s(?:en|of)\s(?=(?:\w+\s)?(?:niet|geen|nooit)\b)"
)


def _statements(low: str) -> list[str]:
    return [part for part in _STATEMENT_BOUNDARY.split(low) if part.strip()]


def negation_differs(claim_text: str, evidence: str) -> bool:
    """Does the claim deny what the evidence affirms, or the other way round?

    Each clause of the claim is read against the clause of the evidence that shares most of its words: a
    negation in one and not the other decides. Beyond such pairs, only clauses about the same things count (at
    least ``_ABOUT`` content words in common with the other text): a "geen" in another clause of a long report
    sentence ("…; hierin is geen ruimte voor gemeentelijk beleid") neither confirms nor contradicts the claim.
    """
    low_claim, low_evidence = lowered(claim_text), lowered(evidence)
    claim_parts = [(_content(part), bool(_words(part) & NEGATIONS)) for part in _statements(low_claim)]
    report = [(_content(part), bool(_words(part) & NEGATIONS)) for part in _statements(low_evidence)]
    if not claim_parts or not report:
        return False
    for words, denies in claim_parts:
        if len(words) < 2:
            continue
        shared, other_denies = max(((len(words & other) / len(words), neg) for other, neg in report), key=lambda x: x[0])
        if shared >= _ALIGNED and denies != other_denies:
            return True
    claim_words = frozenset().union(*(w for w, _ in claim_parts))
    report_words = frozenset().union(*(w for w, _ in report))
    claim_denies = any(neg for words, neg in claim_parts if len(words & report_words) >= _ABOUT)
    report_denies = any(neg for words, neg in report if len(words & claim_words) >= _ABOUT)
    return claim_denies != report_denies


_MIN_BASE = 5  # "on" + a word of at least this length is its opposite ("onvoldoende"); "onze" is not "ze"


def opposite_word(claim_text: str, evidence: str) -> str:
    """The evidence's word for the opposite of a word of the claim ("onvoldoende" for "voldoende", "kleine"
    for "grote", "weinig" for "veel"), when the evidence does not use the claim's side itself; else ""."""
    claimed, reported = _words(claim_text), _words(evidence)
    claim_sides = {entry for word in claimed for entry in side_of(word)}
    report_sides = {entry for word in reported for entry in side_of(word)}
    for word in sorted(reported - claimed):
        for pair, side in sorted(side_of(word)):
            # The report says one side and not the other; the claim says the other side and not this one.
            if (pair, 1 - side) in claim_sides and (pair, side) not in claim_sides and (pair, 1 - side) not in report_sides:
                return word
    for word in sorted(claimed - reported):
        if word.startswith("on") and len(word) - 2 >= _MIN_BASE:
            other = word[2:]
        elif len(word) >= _MIN_BASE:
            other = f"on{word}"
        else:
            continue
        if other in reported and other not in claimed:
            return other
    return ""


def inconsistent_comparison(text: str) -> tuple[str, str]:
    """A claim that compares its own two numbers the wrong way: "met 4,9 procent lager dan … 3,4 procent"."""
    low = lowered(text)
    match = _COMPARATIVE.search(low)
    if match is None:
        return "", ""
    found = [q for q in find_numbers(text) if q.kind not in ("year", "period", "date")]
    if any(q.start <= match.start() < q.end or match.start() <= q.start < match.end() for q in found):
        return "", ""  # "meer dan 11 procent" is a bound on one number, not a comparison of two
    before = [q for q in found if q.end <= match.start()]
    after = [q for q in found if q.start >= match.end()]
    if not before or not after:
        return "", ""
    x, y = as_comparable(before[-1]), as_comparable(after[0])
    if x[0] != y[0] or x[1] == y[1]:
        return "", ""
    says_more = bool(match.group(1))
    if says_more != (x[1] > y[1]):
        return "omgekeerde vergelijking", "lager" if says_more else "hoger"
    return "", ""


def other_date(claim_text: str, evidence: str) -> tuple[str, str]:
    """("andere datum", the report's date) when a claim dates something the evidence dates differently."""
    claimed = [q for q in find_numbers(claim_text) if q.kind == "date" and q.period]
    reported = [q for q in find_numbers(evidence) if q.kind == "date" and q.period]
    if len(claimed) == 1 and reported and all(q.period != claimed[0].period for q in reported):
        return "andere datum", reported[0].text
    return "", ""


def compared_facts(claim_text: str, facts: Sequence[Fact], profile: Profile) -> tuple[Fact, Fact, bool] | None:
    """For "A heeft meer/minder … dan B": the report's numbers for A and B on the same thing (one sentence or
    one table column, same group and period), and whether they say what the claim says."""
    claimed = comparison(claim_text, profile)
    if claimed is None:
        return None
    subject, side, other = (place or own_place(profile) for place in claimed)
    places = named_in(claim_text, profile, "place")
    if subject == other or not {subject, other} <= places | {own_place(profile)}:
        return None  # a comparison of groups or of unnamed sides is left to the sentences
    groups = named_in(claim_text, profile, "group")
    topic = {stem(w) for w in subject_words(claim_text) if w not in places and w not in _COMPARISON_WORDS}
    pairs = []
    for a in facts:
        if a.place != subject or (groups and not groups & set(a.groups)):
            continue
        about = {stem(w) for w in (*a.subject, *subject_words(f"{a.row} {a.column}"))}
        if topic and len(topic & about) < len(topic) / 2:
            continue  # numbers of these places about something else
        for b in facts:
            if b.place == other and b.groups == a.groups and b.period == a.period and _same_slot(a, b):
                if as_comparable(to_quantity(a))[0] == as_comparable(to_quantity(b))[0] and a.value != b.value:
                    pairs.append((a, b))
    if not pairs:
        return None
    # A claim about migrants in general is about the table's total, not about one of its categories.
    a, b = min(pairs, key=lambda p: (not groups and "totaal" not in fold(f"{p[0].row} {p[0].column}"),))
    return a, b, (a.value > b.value) == (side == "up")


def _same_slot(a: Fact, b: Fact) -> bool:
    """One sentence, or one row or column of one table."""
    if a.sentence == b.sentence:
        return True
    same_table = bool(a.row) and a.sentence.split(":")[0] == b.sentence.split(":")[0]
    return same_table and (a.row == b.row or a.column == b.column)


def check_words(
    claim: Claim, sentences: Sequence[Sentence], profile: Profile, min_sentence: float, facts: Sequence[Fact] = ()
) -> Verdict:
    """A claim without numbers against the best matching sentence of the report; a comparison of two places
    against the report's numbers for both (``facts``)."""
    pair = compared_facts(claim.text, facts, profile)
    if pair is not None:
        a, b, agrees = pair
        return Verdict(
            claim=claim,
            status="supported" if agrees else "contradicted",
            evidence=(Evidence(a.sentence, a.doc_id, a.page, a.chunk_id),),
            report_value=f"{a.text} tegen {b.text}",
            reason="komt overeen met het rapport" if agrees else "omgekeerde vergelijking",
        )
    if not sentences or sentences[0].overlap < min_sentence:
        return not_in_report(claim, sentences)
    best = sentences[0]
    reason, value = conflict(claim.text, best.text, profile)
    if not reason:
        # A date is checked against the close sentences that give one.
        for other in [s for s in sentences[:3] if s.overlap >= min_sentence]:
            reason, value = other_date(claim.text, other.text)
            if reason:
                best = other
                break
    if not reason:
        # A sentence as close to the claim as the best one that says the opposite decides.
        for other in sentences[1:3]:
            if other.overlap >= max(min_sentence, best.overlap - 0.05):
                reason, value = conflict(claim.text, other.text, profile)
                if reason:
                    best = other
                    break
    if not reason and direction(claim.text) and not direction(best.text):
        # The best sentence states no change: a sentence close behind it that does decides the trend.
        for other in sentences[1:3]:
            if other.overlap >= min_sentence and direction(other.text):
                best = other
                reason, value = conflict(claim.text, other.text, profile)
                break
    return Verdict(
        claim=claim,
        status="contradicted" if reason else "supported",
        evidence=(_evidence(best),),
        report_value=value,
        reason=reason or "komt overeen met het rapport",
    )


_PUNCTUATION = ".,;:!?()[]\"'‘’“”«»…"


def _diff_words(text: str) -> list[str]:
    """The words of a diff step, lowercase, without the punctuation the diff keeps on them ("statushouders,")."""
    return [w for w in (w.strip(_PUNCTUATION) for w in text.lower().split()) if w]


def swapped_term(diff: Sequence[DiffOp]) -> tuple[str, str] | None:
    """(the report's word, the claim's word) when a claim that quotes a report sentence puts one word in the
    place of its opposite ("meer" for "minder", "daling" for "stijging") or of another group; else None.

    ``diff`` is the quote check's word diff of the claim against the sentence it quotes.
    """
    for first, second in zip(diff, diff[1:], strict=False):
        if {first.op, second.op} != {"removed", "added"}:
            continue
        removed, added = (first, second) if first.op == "removed" else (second, first)
        old, new = _diff_words(removed.text), _diff_words(added.text)
        if len(old) != 1 or len(new) != 1:
            continue
        pair = frozenset((old[0], new[0]))
        if pair in TERM_PAIRS or pair in opposite_pairs() or (is_group(old[0]) and is_group(new[0]) and old[0] != new[0]):
            return old[0], new[0]
    return None


# The negation words a speaker drops or adds ("zonder" and "ontbreekt" are rephrasings, not a dropped word).
_DENYING = NEGATIONS - {"zonder", "ontbreekt", "ontbreken"}


def negation_changed(diff: Sequence[DiffOp]) -> bool:
    """Does a claim that quotes a report sentence add or drop a negation ("Er is specifiek beleid" for "Er is
    geen specifiek beleid")? Only a negation inserted or deleted on its own counts: a negation moved or
    reworded ("niet een regeling" for "geen regeling") is not, nor one inside a longer stretch the alignment
    left over (the end of the sentence before a quote's introduction)."""
    counts = {"removed": 0, "added": 0}
    alone = False
    for op in diff:
        if op.op in counts:
            words = _diff_words(op.text)
            denials = sum(w in _DENYING for w in words)
            counts[op.op] += denials
            alone = alone or (denials > 0 and denials == len(words))
    return alone and counts["removed"] != counts["added"]
