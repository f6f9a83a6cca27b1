"""CheckList-style behavioural suite of the fact checker on claims without numbers.

The report's sentences without a number, each with one plain-text edit (tests/word_variants.py, independent
of the engine's lexicon): TRUE variants (the sentence, its first clause, an introduction) must be supported;
FALSE variants (a negation removed or added, a word turned into its opposite, another group) must not be.
The unit tests at the top check the generator; the suite at the bottom runs a seeded sample on the real
engine against floors measured by bench/bench_claim_suite.py.
"""

from __future__ import annotations

import math
import random

import pytest
from claim_variants import Variant, assert_floor
from word_variants import (
    FALSE_KINDS,
    INTRO,
    KINDS,
    TRUE_KINDS,
    first_clause,
    generate,
    negate,
    opposite,
    other_group,
    sample,
    select_sentences,
)

SENTENCES = [
    "Er is geen specifiek gemeentelijk beleid voor studiemigranten en er zijn geen signalen dat dit gewenst is.",
    "De ondersteuning vanuit het COA is nog pril en beperkt in personele en financiële capaciteit.",
    "Gemeenten moeten volgens de wet- en regelgeving zorgen voor passende woonruimte voor statushouders.",
    "De gekozen korte route naar werk kan asielzoekers helpen, maar de aanpak stokt zonder ketenperspectief.",
]


def _of(variants: list[Variant], kind: str) -> list[str]:
    return [v.claim for v in variants if v.kind == kind]


# ------------------------------------------------------------------ the generator (no engine)


def test_selection_keeps_plain_sentences_only() -> None:
    lines = [SENTENCES[0], SENTENCES[0], "In 2023 waren er 18.480 migranten in de gemeente Haarlemmermeer.",
             "• een aandachtspunt is de huisvesting van statushouders in de gemeente.", "Te kort.",
             "Een zin zonder punt aan het eind met genoeg woorden erin"]  # fmt: skip
    assert select_sentences(lines) == [SENTENCES[0]]


def test_negation_removes_or_adds_one() -> None:
    assert negate(SENTENCES[0]) == SENTENCES[0].replace("geen specifiek", "specifiek", 1)
    assert negate(SENTENCES[1]) == SENTENCES[1].replace("is nog", "is niet nog")
    assert negate("Het gaat over werk.") is None  # no finite verb of the list, no negation


def test_opposite_keeps_names_and_capitals() -> None:
    rng = random.Random(0)
    assert opposite(SENTENCES[1], rng) == SENTENCES[1].replace("beperkt", "uitgebreid")
    assert opposite("De Wet goed verhuurderschap geldt hier.", rng) is None
    assert opposite("Veel gemeenten doen dit.", rng) == "Weinig gemeenten doen dit."


def test_other_group_needs_exactly_one_group() -> None:
    claim = other_group(SENTENCES[2], random.Random(0))
    assert claim and "statushouders" not in claim and claim != SENTENCES[2]
    assert other_group("Statushouders en asielzoekers wonen hier lang in de gemeente.", random.Random(0)) is None


def test_first_clause_and_intro() -> None:
    assert first_clause(SENTENCES[3]) == "De gekozen korte route naar werk kan asielzoekers helpen."
    assert first_clause(SENTENCES[2]) is None
    variants = generate(SENTENCES)
    assert _of(variants, "inleiding")[0] == INTRO + "er is geen" + SENTENCES[0][len("Er is geen"):]


def test_generation_is_deterministic_and_labelled() -> None:
    variants = generate(SENTENCES, seed=3)
    assert variants == generate(SENTENCES, seed=3)
    assert all(v.truth == (v.kind in TRUE_KINDS) for v in variants)
    assert all(v.claim != v.sentence for v in variants if v.kind != "letterlijk")
    assert set(KINDS) == set(TRUE_KINDS) | set(FALSE_KINDS)
    picked = sample(variants, 1, seed=1)
    assert picked == sample(variants, 1, seed=1) and len(picked) == len({v.kind for v in variants})


# ------------------------------------------------------------------ the suite (real engine)

PER_KIND = 60
SEED = 0
MARGIN = 0.10
MEASURED = {  # correct share per kind on the PER_KIND=60, SEED=0 sample (n in brackets), 2026-12-04
    "letterlijk": 0.983,  # (60)
    "hoofdzin": 0.983,  # (60)
    "inleiding": 0.967,  # (60)
    "ontkenning": 1.000,  # (60) was 0.967 before a quote with its negation dropped or added was contradicted
    # (60) was 0.517 before rekenqa.antonyms gave the checker inflected opposites (grote/kleine, actieve/passieve).
    # Its lexicon holds this suite's pairs among others: these two kinds now measure mostly its coverage.
    "tegendeel": 1.000,
    "andere groep (woorden)": 0.917,  # (60) was 0.867 before the quote diff's words were read without commas
    "ontkenning kort": 1.000,  # (60) was 0.933
    "tegendeel kort": 0.949,  # (39) was 0.462
    # (60) opposites from a second list that neither the checker nor its lexicon was written with
    "tegendeel (tweede lijst)": 0.783,
}
FLOORS = {kind: math.floor(max(0.0, rate - MARGIN) * 100) / 100 for kind, rate in MEASURED.items()}


@pytest.fixture(scope="module")
def suite(real_engine) -> dict[str, list[tuple[Variant, str]]]:
    lines = [line.text for line in real_engine.reading.lines if line.chunk.doc_id in real_engine.report_docs]
    chosen = sample(generate(select_sentences(lines), seed=SEED), PER_KIND, seed=SEED)
    results: dict[str, list[tuple[Variant, str]]] = {kind: [] for kind in KINDS}
    for variant in chosen:
        results[variant.kind].append((variant, real_engine.check_claim(variant.claim).status))
    return results


@pytest.mark.model
@pytest.mark.parametrize("kind", KINDS)
def test_word_suite_floor(suite: dict[str, list[tuple[Variant, str]]], kind: str) -> None:
    assert_floor(kind, suite[kind], FLOORS[kind], kind in TRUE_KINDS)


def test_floors_cover_every_kind() -> None:
    assert set(FLOORS) == set(KINDS)
