"""Charts from the report's own facts: which numbers form a series, and which must not."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from rekenqa.facts import sentence_facts
from rekenqa.load import read_profile
from rekenqa.series import find_seed, series_for
from rekenqa.types import Fact

PROFILE = read_profile(Path(__file__).resolve().parents[1] / "corpus", "migratie-in-haarlemmermeer-2025.txt")


def facts(*sentences: str, page: int = 5) -> list[Fact]:
    return [f for s in sentences for f in sentence_facts("r", s, page, "c1", PROFILE)]


def by_text(found: list[Fact], text: str) -> Fact:
    return next(f for f in found if f.text == text)


def test_a_sentence_that_lists_years_is_a_time_series() -> None:
    found = facts(
        "Het aantal migranten in Haarlemmermeer was in 2015 4.100, in 2019 7.300 en in 2023 9.800 personen."
    )
    series = series_for(by_text(found, "7.300"), found)
    assert series is not None and series.axis == "jaar"
    assert [(p.label, p.text) for p in series.points] == [("2015", "4.100"), ("2019", "7.300"), ("2023", "9.800")]


def test_two_years_are_not_a_chart_and_number_words_never_are() -> None:
    found = facts("In 2015 woonden er 4.100 migranten en in 2023 9.800 migranten in Haarlemmermeer.")
    assert series_for(by_text(found, "4.100"), found) is None
    words = facts("Er zijn in 2015 twee, in 2019 drie en in 2023 vier locaties.")
    assert all(series_for(f, words) is None for f in words)


def test_shares_of_groups_in_one_sentence_are_a_series_per_group() -> None:
    found = facts(
        "Het gaat om gezinsmigranten (40%), gevolgd door arbeidsmigranten (25%), asielmigranten (15%) en "
        "studiemigranten (6%)."
    )
    series = series_for(by_text(found, "25%"), found)
    assert series is not None and series.axis == "groep"
    assert [p.label for p in series.points][:2] == ["arbeidsmigranten", "gezinsmigranten"]
    assert len(series.points) == 4


def test_two_values_for_one_point_give_no_chart() -> None:
    found = facts("In 2015 waren het 4.100 of 4.300 migranten, in 2019 7.300 en in 2023 9.800 migranten.")
    seed = by_text(found, "7.300")
    assert series_for(seed, found) is None


def test_other_pages_and_other_measures_do_not_join() -> None:
    """Same frame on another page, or another thing counted in the same sentence: not one series."""
    here = facts("In 2015 woonden er 4.100 migranten en in 2019 7.300 migranten in Haarlemmermeer.", page=5)
    there = facts("In 2023 woonden er 9.800 migranten in Haarlemmermeer.", page=40)
    assert series_for(by_text(here, "4.100"), here + there) is None
    mixed = facts("In 2015 waren er 4.100 migranten, in 2019 30 woningen en in 2023 9.800 migranten.")
    assert series_for(by_text(mixed, "4.100"), mixed) is None


def table_cell(row: str, column: str, text: str, value: float) -> Fact:
    return Fact("r", value, text, "%", "", (), f"Tabel 2 {row} {column}", 21, chunk_id="t", row=row, column=column, kind="percent")


def test_a_table_cell_charts_its_row_without_the_total() -> None:
    cells = [
        table_cell(row, column, text, float(text.replace(",", ".")))
        for row, values in {"Asiel": ("1,6", "1,3", "1,6"), "Totaal": ("11,4", "11,3", "9,1")}.items()
        for column, text in zip(("Haarlemmermeer", "Aalsmeer", "Nederland"), values, strict=True)
    ]
    cells.append(table_cell("Asiel", "Totaal", "4,5", 4.5))
    series = series_for(cells[0], cells)
    assert series is not None and series.axis == "tabel" and series.title == "Asiel"
    assert [p.label for p in series.points] == ["Haarlemmermeer", "Aalsmeer", "Nederland"]
    # A total cell has no peers in its own row direction: its column is used instead.
    total = series_for(cells[-1], cells)
    assert total is None or "Totaal" not in [p.label for p in total.points]


def test_find_seed_prefers_the_same_sentence() -> None:
    found = facts("In 2015 woonden er 4.100 migranten.", "Ook in 2016 waren het 4.100 migranten.")
    other = replace(found[1], page=5)
    seed = find_seed([*found, other], "r", 5, "4.100", "Ook in 2016 waren het 4.100 migranten.")
    assert seed is not None and seed.sentence.startswith("Ook")


@pytest.mark.model
def test_the_real_report_charts_migrants_over_time_and_table_2(real_engine) -> None:
    answer = real_engine.ask("Hoeveel migranten woonden er in 2015 in Haarlemmermeer?")
    ref = answer.lead_ref
    assert ref is not None and ref.text == "6.920"
    facts_ = real_engine.index.facts
    series = series_for(find_seed(facts_, ref.doc_id, ref.page, ref.text, ref.sentence), facts_)
    assert series is not None
    assert [(p.label, p.text, p.page) for p in series.points] == [
        ("2015", "6.920", 18),
        ("2019", "11.290", 18),
        ("2023", "18.480", 18),
    ]
    cell = next(f for f in facts_ if f.row == "Asielmigratie" and f.column == "Haarlemmermeer")
    table = series_for(cell, facts_)
    assert table is not None and table.title == "Asielmigratie"
    assert "Nederland" in [p.label for p in table.points] and len(table.points) >= 5
