"""CheckList-style behavioural suite of the fact checker: report sentences with one plain-text edit.

TRUE variants (a hedge, a number in words, no thousands dot, a debate prefix) must be supported; FALSE
variants (swapped numbers, another year, another group, a reversed direction, a number times 10 or 30 %
higher) must not be. The variants come from tests/claim_variants.py, which reads sentences with its own
regexes, independent of the engine's extraction. The unit tests at the top check the generator itself and
need no engine; the suite at the bottom runs a seeded sample on the real engine.
"""

from __future__ import annotations

import math
import re
from collections import Counter

import pytest
from claim_variants import (
    FALSE_KINDS,
    KINDS,
    MAX_PER_SENTENCE,
    TRUE_KINDS,
    Variant,
    assert_floor,
    generate,
    report_years,
    sample,
    select_sentences,
)

GROUPS = [
    ("asielzoekers", ["asielzoeker", "asiel", "vluchteling"]),
    ("statushouders", ["statushouder", "vergunninghouder"]),
    ("arbeidsmigranten", ["arbeidsmigrant", "arbeidsmigra"]),
]
YEARS = [2015, 2019, 2022, 2023, 2024]
SENTENCES = [
    "In 2023 waren in Haarlemmermeer in totaal 18.480 migranten geregistreerd op 162.300 inwoners.",
    "Migranten vormen daarmee 11,4 procent van de inwoners van Haarlemmermeer.",
    "Het aandeel gezinsmigranten is met 4,9 procent hoger dan het landelijk aandeel van 3,4 procent.",
    "Het motief arbeidsmigratie komt voor met 21,8 procent, in totaal 4.025 personen.",
    "Daarnaast wonen er 395 arbeidsmigranten in Badhoevedorp.",
    "Het plan beschrijft 14 mogelijke locaties, per 3 juli 2025 is 6% daarvan in gebruik.",
    "Het aantal verstrekte vergunningen is gestegen, van 1.840 in 2019 naar 7.370 in 2024.",
    "De gemeente ving in 2022 maximaal 450 asielzoekers op in Hoofddorp.",
    "Voor het jaar 2024 was het subsidiebedrag € 1.425.495 voor 420 statushouders.",
]


def _of(variants: list[Variant], kind: str, sentence: str | None = None) -> list[str]:
    return [v.claim for v in variants if v.kind == kind and (sentence is None or v.sentence == sentence)]


@pytest.fixture(scope="module")
def variants() -> list[Variant]:
    return generate(SENTENCES, GROUPS, YEARS, seed=0)


# ------------------------------------------------------------------ the generator (no engine)


def test_generation_is_deterministic_capped_and_labelled(variants: list[Variant]) -> None:
    assert generate(SENTENCES, GROUPS, YEARS, seed=0) == variants
    per = Counter((v.sentence, v.kind) for v in variants)
    assert max(per.values()) <= MAX_PER_SENTENCE
    assert {v.kind for v in variants} == set(KINDS)
    assert all(v.truth == (v.kind in TRUE_KINDS) and v.claim != v.sentence for v in variants)


def _changed_span(sentence: str, claim: str) -> tuple[str, str]:
    """The differing middle of two strings, after their common prefix and suffix."""
    start = 0
    while start < min(len(sentence), len(claim)) and sentence[start] == claim[start]:
        start += 1
    end = 0
    while end < min(len(sentence), len(claim)) - start and sentence[-1 - end] == claim[-1 - end]:
        end += 1
    return sentence[start : len(sentence) - end], claim[start : len(claim) - end]


def _words(text: str) -> list[str]:
    return [w for w in text.split() if w != "€"]


@pytest.mark.parametrize("kind", [k for k in KINDS if k not in ("verwisseld", "voorvoegsel")])
def test_a_variant_replaces_one_token_and_nothing_else(variants: list[Variant], kind: str) -> None:
    for v in (v for v in variants if v.kind == kind):
        old, new = _changed_span(v.sentence, v.claim)
        # One token out, one token in (a hedge adds its word before the number: "ruim 11"; a dropped
        # thousands dot leaves nothing in).
        assert len(_words(old)) <= 1 and len(_words(new)) <= 2 and (old or new), (v.sentence, v.claim)
        if len(_words(new)) == 2:
            assert kind in ("ruim/bijna/circa", "in woorden"), (v.sentence, v.claim)


def test_swap_exchanges_two_numbers_of_one_form(variants: list[Variant]) -> None:
    sentence = SENTENCES[2]
    assert _of(variants, "verwisseld", sentence) == [
        "Het aandeel gezinsmigranten is met 3,4 procent hoger dan het landelijk aandeel van 4,9 procent."
    ]
    # A percentage and a count are never swapped; neither are years.
    assert not _of(variants, "verwisseld", SENTENCES[3])
    swapped = _of(variants, "verwisseld", SENTENCES[6])
    assert swapped == [
        "Het aantal verstrekte vergunningen is gestegen, van 7.370 in 2019 naar 1.840 in 2024."
    ]


def test_other_year_changes_only_the_single_year(variants: list[Variant]) -> None:
    claims = _of(variants, "ander jaar", SENTENCES[0])
    assert claims and all(c.replace(c[3:7], "2023", 1) == SENTENCES[0] for c in claims)
    assert {c[3:7] for c in claims} <= {"2015", "2019"}  # 2022 and 2024 are within one year of 2023
    assert not _of(variants, "ander jaar", SENTENCES[6])  # two years: ambiguous, skipped


def test_hedges_are_correct_and_never_touch_years_or_dates(variants: list[Variant]) -> None:
    hedged = _of(variants, "ruim/bijna/circa")
    assert all(re.search(r"\b(?:ruim|bijna|circa|ongeveer|zo'n) (?:€ )?\d", c) for c in hedged)
    assert not any(re.search(r"(?:ruim|bijna|circa|ongeveer|zo'n) (?:20\d\d|3 juli)", c) for c in hedged)
    assert any(re.search(r"(?:ruim|circa) 11 procent", c) for c in hedged)
    assert any(re.search(r"(?:ongeveer|zo'n) (?:18\.000|160\.000) ", c) for c in hedged)
    assert any(re.search(r"(?:ongeveer|zo'n) € 1\.400\.000", c) for c in hedged)  # the hedge precedes "€"


@pytest.mark.parametrize(
    ("value", "allowed"),
    [("11,4", {"ruim 11", "circa 11"}), ("21,8", {"bijna 22", "circa 22"}), ("2,5", set())],
)
def test_hedge_rules(value: str, allowed: set[str]) -> None:
    sentence = f"Het aandeel arbeidsmigranten in de gemeente bedraagt {value} procent van alle inwoners."
    claims = _of(generate([sentence], GROUPS, YEARS), "ruim/bijna/circa")
    found = {re.search(r"(?:ruim|bijna|circa) \d+", c).group(0) for c in claims}  # type: ignore[union-attr]
    assert found <= allowed and bool(found) == bool(allowed)


def test_in_words_and_procent(variants: list[Variant]) -> None:
    claims = _of(variants, "in woorden", SENTENCES[5])
    assert set(claims) <= {
        "Het plan beschrijft veertien mogelijke locaties, per 3 juli 2025 is 6% daarvan in gebruik.",
        "Het plan beschrijft 14 mogelijke locaties, per 3 juli 2025 is 6 procent daarvan in gebruik.",
    }
    assert claims
    assert not any("drie juli" in c for c in _of(variants, "in woorden"))


def test_without_dot_and_prefix(variants: list[Variant]) -> None:
    assert set(_of(variants, "zonder punt", SENTENCES[0])) == {
        SENTENCES[0].replace("18.480", "18480"),
        SENTENCES[0].replace("162.300", "162300"),
    }
    prefixed = _of(variants, "voorvoegsel", SENTENCES[0])
    assert len(prefixed) == MAX_PER_SENTENCE and all(c.endswith(" in" + SENTENCES[0][2:]) for c in prefixed)
    # "Haarlemmermeer" is a name (capitalised mid-sentence, never lowercase): it keeps its capital.
    named = "Haarlemmermeer telt 18.480 migranten."
    claims = _of(generate([named, *SENTENCES], GROUPS, YEARS), "voorvoegsel", named)
    assert claims and all(c.endswith(" " + named) for c in claims)


def test_other_group_replaces_the_group_word(variants: list[Variant]) -> None:
    claims = _of(variants, "andere groep", SENTENCES[4])
    assert set(claims) == {
        "Daarnaast wonen er 395 asielzoekers in Badhoevedorp.",
        "Daarnaast wonen er 395 statushouders in Badhoevedorp.",
    }
    singular = generate(["Een arbeidsmigrant verdient hier 1.500 euro per maand."], GROUPS, YEARS)
    assert all(" asielzoeker " in c or " statushouder " in c for c in _of(singular, "andere groep"))
    assert not _of(variants, "andere groep", SENTENCES[2])  # "gezinsmigranten" is no group here


def test_direction_flips_whole_words_only(variants: list[Variant]) -> None:
    assert _of(variants, "richting omgekeerd", SENTENCES[2]) == [SENTENCES[2].replace("hoger", "lager")]
    assert _of(variants, "richting omgekeerd", SENTENCES[6]) == [SENTENCES[6].replace("gestegen", "gedaald")]
    assert not _of(variants, "richting omgekeerd", SENTENCES[0])  # "Haarlemmermeer" holds no "meer"


def test_factor_ten_and_too_high_keep_the_notation() -> None:
    sentence = "Er waren 18.480 migranten, 11,4 procent, en 3 locaties."
    found = generate([sentence], GROUPS, YEARS, seed=0)
    times_ten = set(_of(found, "factor 10"))
    assert times_ten <= {sentence.replace("18.480", "184.800"), sentence.replace("11,4", "114"),
                         sentence.replace("3 loc", "30 loc")}  # fmt: skip
    too_high = set(_of(found, "te hoog"))
    assert too_high <= {sentence.replace("18.480", "24.024"), sentence.replace("11,4", "14,8"),
                        sentence.replace("3 loc", "5 loc")}  # fmt: skip
    assert len(times_ten) == len(too_high) == MAX_PER_SENTENCE
    small = generate(["De opvang biedt plaats aan 450 asielzoekers."], GROUPS, YEARS)
    assert _of(small, "factor 10") == ["De opvang biedt plaats aan 4.500 asielzoekers."]
    # Raising an upper bound ("maximaal 450") may keep the claim true: never done.
    assert not _of(generate([SENTENCES[7]], GROUPS, YEARS), "te hoog")


class _Fact:
    def __init__(self, sentence: str, row: str = "") -> None:
        self.sentence, self.row = sentence, row


def test_sentence_selection_and_years() -> None:
    facts = [
        _Fact(SENTENCES[0]),
        _Fact(SENTENCES[0]),
        _Fact(SENTENCES[1], row="2023"),
        _Fact("Kort: 3."),
        _Fact("12 Zie https://example.org voor de cijfers van 2019 en verder ook dit."),
        _Fact(SENTENCES[6]),
    ]
    chosen = select_sentences(facts)
    assert chosen == [SENTENCES[0], SENTENCES[6]]
    assert report_years(chosen) == [2019, 2023, 2024]


def test_sample_is_seeded_and_capped(variants: list[Variant]) -> None:
    picked = sample(variants, 2, seed=1)
    assert picked == sample(variants, 2, seed=1)
    assert max(Counter(v.kind for v in picked).values()) <= 2
    assert sample(variants, None) == sorted(variants, key=lambda v: KINDS.index(v.kind))


# ------------------------------------------------------------------ the suite (real engine)

PER_KIND = 60
SEED = 0
# The intended behaviour (claim_variants.TARGET_*): true variants supported ≥ 85 %, false ≤ 5 %.
# Regression floors: the share of correct verdicts per kind (true: supported; false: not supported), as
# measured on this seeded sample (bench/bench_claim_suite.py, see bench/results/claim_suite.json) minus a
# margin of 0.10. A kind below its target still passes while it stays above its floor; the test warns.
MARGIN = 0.10
MEASURED = {  # correct share per kind on the PER_KIND=60, SEED=0 sample (n in brackets), with fact frames
    "ruim/bijna/circa": 0.967,  # (60)
    "in woorden": 0.950,  # (60)
    "zonder punt": 1.000,  # (53)
    "voorvoegsel": 0.983,  # (60)
    "verwisseld": 1.000,  # (60)
    "ander jaar": 0.967,  # (60)
    "andere groep": 0.967,  # (60) a group word in a sentence whose number is not about that group
    "richting omgekeerd": 1.000,  # (31)
    "factor 10": 1.000,  # (60)
    "te hoog": 0.983,  # (60)
}
FLOORS = {kind: math.floor(max(0.0, rate - MARGIN) * 100) / 100 for kind, rate in MEASURED.items()}


@pytest.fixture(scope="module")
def suite(real_engine) -> dict[str, list[tuple[Variant, str]]]:
    sentences = select_sentences(real_engine.index.facts)
    groups = [(name, list(stems)) for name, stems in real_engine.profile.groups]
    chosen = sample(generate(sentences, groups, report_years(sentences), seed=SEED), PER_KIND, seed=SEED)
    results: dict[str, list[tuple[Variant, str]]] = {kind: [] for kind in KINDS}
    for variant in chosen:
        results[variant.kind].append((variant, real_engine.check_claim(variant.claim).status))
    return results


@pytest.mark.model
@pytest.mark.parametrize("kind", KINDS)
def test_claim_suite_floor(suite: dict[str, list[tuple[Variant, str]]], kind: str) -> None:
    assert_floor(kind, suite[kind], FLOORS[kind], kind in TRUE_KINDS)


def test_floors_cover_every_kind() -> None:
    assert set(FLOORS) == set(KINDS) == set(TRUE_KINDS) | set(FALSE_KINDS)
    assert all(0.0 <= floor <= 1.0 for floor in FLOORS.values())
