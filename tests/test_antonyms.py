"""Opposite words with their inflected forms (rekenqa.antonyms) and their use by the checks."""

from __future__ import annotations

import pytest

from rekenqa.antonyms import forms, inflected, opposite_pairs, side_of
from rekenqa.claimwords import negation_changed, opposite_word, swapped_term
from rekenqa.types import DiffOp


@pytest.mark.parametrize(
    ("base", "form"),
    [
        ("groot", "grote"), ("klein", "kleine"), ("zwak", "zwakke"), ("snel", "snelle"), ("actief", "actieve"),
        ("structureel", "structurele"), ("integraal", "integrale"), ("kwetsbaar", "kwetsbare"),
        ("vrijwillig", "vrijwillige"), ("samenhangend", "samenhangende"), ("robuust", "robuuste"),
        ("open", "open"), ("succesvol", "succesvolle"), ("lang", "lange"), ("breed", "brede"),
    ],
)  # fmt: skip
def test_the_inflected_form_follows_the_spelling_rules(base: str, form: str) -> None:
    assert inflected(base) == form


def test_the_degrees_of_an_adjective() -> None:
    assert forms("groot") == ("groot", "grote", "groter", "grotere", "grootste")
    assert forms("zwak")[2] == "zwakker"
    assert forms("kwetsbaar")[2] == "kwetsbaarder"


def test_forms_of_one_word_stand_on_one_side() -> None:
    assert side_of("grote") & side_of("groter") & side_of("groot")
    assert not side_of("grote") & side_of("kleine")
    assert {pair for pair, _ in side_of("grote")} & {pair for pair, _ in side_of("kleine")}
    assert side_of("niet") == frozenset()  # a negation is read per statement, not as a word pair
    assert frozenset(("grote", "kleine")) in opposite_pairs()


@pytest.mark.parametrize(
    ("claim", "evidence", "said"),
    [
        ("Er is een grote groep studiemigranten.", "Er is een kleine groep studiemigranten in Haarlemmermeer.", "kleine"),
        ("De gemeente speelt een passieve rol.", "De gemeente speelt een actieve rol bij statushouders.", "actieve"),
        ("Er zijn versnipperde trajecten voor arbeidsmigranten.", "Er zijn geen samenhangende trajecten voor arbeidsmigranten.", "samenhangende"),
        ("De ondersteuning is sterker geworden.", "De ondersteuning is zwakker geworden.", "zwakker"),
    ],
)  # fmt: skip
def test_an_inflected_opposite_of_the_report_is_found(claim: str, evidence: str, said: str) -> None:
    assert opposite_word(claim, evidence) == said


@pytest.mark.parametrize(
    ("claim", "evidence"),
    [
        # the claim says both sides, as the report does
        ("Er is een grote groep arbeidsmigranten en een kleine groep studiemigranten.", "Er is een kleine groep studiemigranten."),
        # the report uses the claim's side too
        ("De groep is groot.", "De grote groep is groter dan de kleine groep."),
        # words with an everyday second sense are no opposites: "laat zien", "in het licht van", "ruim 1.400"
        ("Het rapport laat zien dat het snel gaat.", "Vroeg in het onderzoek bleek dat het snel gaat."),
        ("In het licht van de wet is dit zwaar.", "In het licht van de wet is dit zwaar."),
    ],
)  # fmt: skip
def test_no_opposite_where_the_sides_do_not_differ(claim: str, evidence: str) -> None:
    assert opposite_word(claim, evidence) == ""


def test_a_quoted_claim_with_an_inflected_opposite_is_a_swapped_term() -> None:
    diff = [DiffOp("equal", "Er is een"), DiffOp("removed", "kleine"), DiffOp("added", "grote"), DiffOp("equal", "groep")]
    assert swapped_term(diff) == ("kleine", "grote")


def test_a_swapped_word_is_read_without_its_punctuation() -> None:
    diff = [
        DiffOp("equal", "te zorgen voor passende woonruimte voor"),
        DiffOp("removed", "statushouders,"),
        DiffOp("added", "kennismigranten,"),
        DiffOp("equal", "hetgeen consequenties heeft"),
    ]
    assert swapped_term(diff) == ("statushouders", "kennismigranten")
    assert swapped_term([DiffOp("removed", "kleine."), DiffOp("added", "grote.")]) == ("kleine", "grote")
    assert swapped_term([DiffOp("removed", ","), DiffOp("added", ";")]) is None


def test_a_negation_added_or_dropped_in_a_quote_is_seen() -> None:
    dropped = [DiffOp("equal", "Er is"), DiffOp("removed", "geen"), DiffOp("equal", "specifiek beleid")]
    added = [DiffOp("equal", "De gemeente heeft"), DiffOp("added", "niet"), DiffOp("equal", "een regeling")]
    reworded = [DiffOp("equal", "Er is"), DiffOp("removed", "geen"), DiffOp("added", "niet een"), DiffOp("equal", "x")]
    assert negation_changed(dropped) and negation_changed(added)
    assert not negation_changed(reworded)
    assert not negation_changed([DiffOp("removed", "specifiek"), DiffOp("added", "eigen")])
    # the end of the sentence before the quote, left over by the alignment, holds a "niet"
    leftover = [DiffOp("equal", "Uit"), DiffOp("removed", "een niet EU/EFTA-land (67%)."), DiffOp("added", "het rapport blijkt:")]
    assert not negation_changed(leftover)
