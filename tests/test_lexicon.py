"""The shared Dutch word lists agree with the number grammar that reads them."""

from __future__ import annotations

import pytest

from rekenqa import lexicon
from rekenqa.numbers import find_numbers, parse_number


@pytest.mark.parametrize("word", lexicon.NUMBER_CUE_WORDS + lexicon.FOLD_MULTIPLES + lexicon.TIMES_MULTIPLES)
def test_number_cue_words_are_numbers(word: str) -> None:
    assert parse_number(word) is not None


@pytest.mark.parametrize("word", lexicon.LABEL_WORDS)
def test_label_words_make_labels(word: str) -> None:
    found = find_numbers(f"zie {word} 4 hierna", include_labels=True)
    assert [q.kind for q in found] == ["label"], found


@pytest.mark.parametrize(("name", "number"), list(lexicon.MONTHS.items()))
def test_every_month_makes_a_date(name: str, number: int) -> None:
    (q,) = find_numbers(f"op 3 {name} 2024 begon het")
    assert q.period == f"2024-{number:02d}-03"


def test_month_names_are_the_twelve_months_in_order() -> None:
    assert [lexicon.MONTHS[m] for m in lexicon.MONTH_NAMES] == list(range(1, 13))


@pytest.mark.parametrize(("hedge", "norm"), list(lexicon.HEDGES.items()))
def test_every_hedge_is_read(hedge: str, norm: tuple[str, str]) -> None:
    (q,) = find_numbers(f"het waren {hedge} 300 plekken")
    assert (q.hedge, q.bound) == norm


def test_compound_fractions_use_known_denominators() -> None:
    assert set(lexicon.COMPOUND_DENOMINATORS) <= set(lexicon.FRACTION_DENOMINATORS)
    for numerator in lexicon.COMPOUND_NUMERATORS:
        for denominator in lexicon.COMPOUND_DENOMINATORS:
            value = parse_number(numerator + denominator)
            expected = parse_number(numerator)
            assert value is not None and expected is not None
            assert value == pytest.approx(expected / lexicon.FRACTION_DENOMINATORS[denominator])


@pytest.mark.parametrize("verb", lexicon.FALL_VERBS)
def test_fall_verbs_make_a_decrease(verb: str) -> None:
    (q,) = find_numbers(f"het aantal is {verb} met 20 procent")
    assert q.kind == "change" and q.value == -20


@pytest.mark.parametrize("verb", lexicon.RISE_VERBS)
def test_rise_verbs_make_an_increase(verb: str) -> None:
    (q,) = find_numbers(f"het aantal is {verb} met 20 procent")
    assert q.kind == "change" and q.value == 20
