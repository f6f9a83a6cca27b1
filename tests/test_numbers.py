"""Tests for the Dutch numeral parser: real phrases from the report, claims, round trips and comparisons."""

from __future__ import annotations

import math
import re
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rekenqa.artefacts.ligatures import repair_pasted_words
from rekenqa.numbers import (
    Quantity,
    as_comparable,
    find_numbers,
    format_number,
    matches,
    number_to_words,
    parse_number,
    split_footnote_marker,
    years_in,
)

REPORT = Path(__file__).resolve().parents[1] / "corpus" / "migratie-in-haarlemmermeer-2025.txt"


def only(text: str, **kw: object) -> Quantity:
    found = find_numbers(text, **kw)  # type: ignore[arg-type]
    assert len(found) == 1, f"{text!r} gaf {found}"
    return found[0]


# ---------------------------------------------------------------------------------------------------------
# parse_number
# ---------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("18.480", 18480),
        ("11,4", 11.4),
        ("162.300", 162300),
        ("1.036.836", 1036836),
        ("-1.234,5", -1234.5),
        ("0,6", 0.6),
        ("1,4 miljoen", 1_400_000),
        ("2,5 miljard", 2_500_000_000),
        ("1,4 mln", 1_400_000),
        ("17 duizend", 17_000),
        ("negen", 9),
        ("twaalf", 12),
        ("veertig", 40),
        ("honderd", 100),
        ("veertienhonderd", 1400),
        ("zeventienduizend", 17000),
        ("tweeduizend vijfhonderd", 2500),
        ("tweeduizendvijfhonderd", 2500),
        ("drieëntwintig", 23),
        ("drieentwintig", 23),
        ("eenentwintig", 21),
        ("honderdduizend", 100_000),
        ("negentienhonderdvijftig", 1950),
        ("twee miljoen driehonderdduizend", 2_300_000),
        ("een miljoen", 1_000_000),
        ("een", 1),
        ("één", 1),
        ("nul", 0),
        ("anderhalf", 1.5),
        ("elf komma vier", 11.4),
        ("tweederde", 2 / 3),
        ("twee derde", 2 / 3),
        ("een kwart", 0.25),
        ("driekwart", 0.75),
        ("de helft", 0.5),
        ("twintig", 20),
        ("tweeduizend honderd", 2100),
        ("twee duizend vijf honderd", 2500),
        ("negentien honderd vijftig", 1950),
    ],
)
def test_parse_number(text: str, expected: float) -> None:
    value = parse_number(text)
    assert value is not None
    assert math.isclose(value, expected, rel_tol=1e-12, abs_tol=1e-12)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "2.5",
        "1,036,836",
        "18.48",
        "twee drie",
        "twintig vijf",
        "twee miljoen drie miljard",
        "tweede",
        "Wi2021",
        "procent",
        "duizend duizend",
        "abc",
    ],
)
def test_parse_number_rejects(text: str) -> None:
    assert parse_number(text) is None


# ---------------------------------------------------------------------------------------------------------
# format_number
# ---------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        (18480, None, "18.480"),
        (18480, 0, "18.480"),
        (11.4, None, "11,4"),
        (11.4, 1, "11,4"),
        (11.44, 1, "11,4"),
        (2.45, 1, "2,5"),  # half up, as in reports
        (11.4, 0, "11"),
        (0.1 + 0.2, None, "0,3"),
        (1_036_836, None, "1.036.836"),
        (1_400_000, -5, "1.400.000"),
        (1_425_495, -5, "1.400.000"),
        (-1234.5, 1, "-1.234,5"),
        (-0.04, 1, "0,0"),
        (0, None, "0"),
        (999, None, "999"),
        (1000, None, "1.000"),
    ],
)
def test_format_number(value: float, decimals: int | None, expected: str) -> None:
    assert format_number(value, decimals) == expected


def test_format_number_rejects_nan() -> None:
    with pytest.raises(ValueError):
        format_number(math.nan)


@settings(max_examples=300, deadline=None)
@given(st.integers(min_value=0, max_value=10**9))
def test_roundtrip_integers(n: int) -> None:
    text = format_number(n)
    assert re.fullmatch(r"\d{1,3}(?:\.\d{3})*", text)
    assert parse_number(text) == n


@settings(max_examples=300, deadline=None)
@given(st.integers(min_value=-(10**9), max_value=10**9))
def test_roundtrip_one_decimal(k: int) -> None:
    value = k / 10
    text = format_number(value, 1)
    assert re.fullmatch(r"-?\d{1,3}(?:\.\d{3})*,\d", text)
    parsed = parse_number(text)
    assert parsed is not None
    assert math.isclose(parsed, value, abs_tol=1e-9)


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=0, max_value=10**9 - 1))
def test_roundtrip_number_words(n: int) -> None:
    words = number_to_words(n)
    assert parse_number(words) == n
    assert parse_number(words.replace("duizend ", "duizend")) == n  # written as one word


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=0, max_value=10**9))
def test_roundtrip_count_in_sentence(n: int) -> None:
    text = f"In totaal stonden {format_number(n)} personen ingeschreven."
    q = only(text)
    assert (q.value, q.kind, q.unit) == (n, "count", "personen")
    assert text[q.start : q.end] == q.text == format_number(n)


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=0, max_value=10_000), st.sampled_from(["procent", "%", " %"]))
def test_roundtrip_percent_in_sentence(k: int, sign: str) -> None:
    value = k / 10
    sep = "" if sign.startswith(("%", " ")) else " "
    q = only(f"Het aandeel is {format_number(value, 1)}{sep}{sign} van de inwoners.")
    assert q.kind == "percent" and q.unit == "%" and q.decimals == 1
    assert math.isclose(q.value, value, abs_tol=1e-9)


@settings(max_examples=100, deadline=None)
@given(st.integers(min_value=1900, max_value=2100), st.integers(min_value=0, max_value=10**7))
def test_roundtrip_year_then_count(year: int, n: int) -> None:
    found = find_numbers(f"Er waren in {year} {format_number(n)} migranten.")
    assert [(q.kind, q.value) for q in found] == [("year", year), ("count", n)]


# ---------------------------------------------------------------------------------------------------------
# find_numbers: one quantity per phrase
# ---------------------------------------------------------------------------------------------------------

SINGLE = [
    # text, value, unit, kind, hedge, bound
    ("in totaal 18.480 migranten", 18480, "personen", "count", "", "exact"),
    ("op een totaal van 162.300 inwoners", 162300, "personen", "count", "", "exact"),
    ("Migranten vormen daarmee 11,4 procent van de inwoners7.", 11.4, "%", "percent", "", "exact"),
    ("het hoogste is met 43,2 procent", 43.2, "%", "percent", "", "exact"),
    ("de groep studiemigranten (5,1%)8.", 5.1, "%", "percent", "", "exact"),
    ("een aandeel van 11,4 %", 11.4, "%", "percent", "", "exact"),
    ("vormen 1,65% van het totaal", 1.65, "%", "percent", "", "exact"),
    ("subsidiebedrag € 1.425.495", 1425495, "euro", "money", "", "exact"),
    ("bedroeg in 2023 € 1.036.836", 1036836, "euro", "money", "", "exact"),  # year goes separately
    ("een bedrag van €5,1 miljoen", 5_100_000, "euro", "money", "", "exact"),
    ("kost €1,4 mln", 1_400_000, "euro", "money", "", "exact"),
    ("1,4 miljoen euro", 1_400_000, "euro", "money", "", "exact"),
    ("met 18 euro per week", 18, "euro", "money", "", "exact"),
    ("maximaal € 533 voor een alleenstaande", 533, "euro", "money", "maximaal", "upper"),
    ("2,5 miljard", 2_500_000_000, "", "count", "", "exact"),
    ("Het (sub)team Asiel (3,8 fte)", 3.8, "fte", "count", "", "exact"),
    ("Het (sub)team Asiel (3,8 Me)", 3.8, "fte", "count", "", "exact"),  # broken "ft" ligature
    ("16,6 arbeidsmigrant per 1000 inwoners", 16.6, "per 1000 inwoners", "rate", "", "exact"),
    ("16,6 per 1.000 inwoners", 16.6, "per 1000 inwoners", "rate", "", "exact"),
    ("(57 per duizend inwoners)", 57, "per 1000 inwoners", "rate", "", "exact"),
    ("een doorlooptijd van 1,5 jaar", 1.5, "jaar", "duration", "", "exact"),
    ("na twaalf maanden een vergunning", 12, "maanden", "duration", "", "exact"),
    ("langer dan 24 weken per jaar werken", 24, "weken", "duration", "", "exact"),
    ("binnen 120 dagen na immigratie", 120, "dagen", "duration", "", "exact"),
    ("moeten 800 uur taalles volgen", 800, "uur", "duration", "", "exact"),
    ("voor een half jaar opgezet", 0.5, "jaar", "duration", "", "exact"),
    ("mogen pas een jaar na de aanvraag werken", 1, "jaar", "duration", "", "exact"),
    ("ruim een half miljoen werkenden", 500_000, "personen", "count", "ruim", "lower"),
    ("anderhalf miljoen euro", 1_500_000, "euro", "money", "", "exact"),
    ("een half miljard", 500_000_000, "", "count", "", "exact"),
    ("binnen een maand een woning", 1, "maanden", "duration", "", "exact"),
    ("ruim een week later", 1, "weken", "duration", "ruim", "lower"),
    ("verblijfsduur van minder dan 4 maanden", 4, "maanden", "duration", "minder dan", "upper"),
    ("De negen gemeenten in de regio", 9, "", "count", "", "exact"),
    ("zeventienduizend arbeidsmigranten", 17000, "personen", "count", "", "exact"),
    ("tweeduizend vijfhonderd mensen", 2500, "personen", "count", "", "exact"),
    ("veertienhonderd plekken", 1400, "", "count", "", "exact"),
    ("drieëntwintig gemeenten", 23, "", "count", "", "exact"),
    ("wordt één persoon als gezinsmigrant getypeerd", 1, "personen", "count", "", "exact"),
    # as said in a debate
    ("er wonen achttienduizend vierhonderdtachtig migranten", 18480, "personen", "count", "", "exact"),
    ("dat is elf komma vier procent", 11.4, "%", "percent", "", "exact"),
    ("Ruim elf procent van de inwoners", 11, "%", "percent", "ruim", "lower"),
    ("een kleine 19.000 mensen", 19000, "personen", "count", "bijna", "upper"),
    ("een dikke 18.000", 18000, "", "count", "ruim", "lower"),
    ("zo'n 18 duizend", 18000, "", "count", "circa", "approx"),
    ("in tweeduizend drieëntwintig", 2023, "", "year", "", "exact"),
    ("We hebben 3 à 4 fte nodig", 4, "fte", "count", "", "exact"),
    ("steeg van 1 miljoen naar 1,4 miljoen euro", 1_400_000, "euro", "money", "", "exact"),
    ("een ruime meerderheid van de raad", 0.5, "share", "fraction", "meer dan", "lower"),
    ("een minderheid van de raad", 0.5, "share", "fraction", "minder dan", "upper"),
    ("dat is 11.4 procent", 11.4, "%", "percent", "", "exact"),  # speech-to-text decimal point
    ("een daling van (-5,2%)", -5.2, "%", "percent", "", "exact"),
    ("2x zo groot", 2, "factor", "factor", "", "exact"),
    ("10-15% van de mensen", 15, "%", "percent", "", "exact"),
    # fractions and ratios
    ("tweederde deel van de arbeidsmigranten", 2 / 3, "share", "fraction", "", "exact"),
    ("twee derde van de groep", 2 / 3, "share", "fraction", "", "exact"),
    ("een derde van de mensen", 1 / 3, "share", "fraction", "", "exact"),
    ("komen voor bijna een vijfde deel uit", 0.2, "share", "fraction", "bijna", "upper"),
    ("een kwart van de bewoners", 0.25, "share", "fraction", "", "exact"),
    ("driekwart van de bewoners", 0.75, "share", "fraction", "", "exact"),
    ("Bijna de helft van deze arbeidsmigranten", 0.5, "share", "fraction", "bijna", "upper"),
    ("ongeveer de helft werkend", 0.5, "share", "fraction", "circa", "approx"),
    ("De meerderheid van de geïnterviewden", 0.5, "share", "fraction", "meer dan", "lower"),
    ("vier op de vijf bewoners", 0.8, "share", "fraction", "", "exact"),
    ("1 op de 10 bewoners", 0.1, "share", "fraction", "", "exact"),
    ("Ongeveer één op de vijf Twv’s", 0.2, "share", "fraction", "circa", "approx"),
    ("een op de vijf", 0.2, "share", "fraction", "", "exact"),
    # factors
    ("in de afgelopen jaren verdubbeld", 2, "factor", "factor", "", "exact"),
    ("is ruim verdubbeld.", 2, "factor", "factor", "ruim", "lower"),
    ("verdrievoudigde het aantal aanvragen", 3, "factor", "factor", "", "exact"),
    ("het aantal is verviervoudigd", 4, "factor", "factor", "", "exact"),
    ("liet een verviervoudiging zien", 4, "factor", "factor", "", "exact"),
    ("de wachtlijst is gehalveerd", 0.5, "factor", "factor", "", "exact"),
    ("de wachtlijst bijna\ngehalveerd69.", 0.5, "factor", "factor", "bijna", "lower"),  # just above one half
    ("bijna drie keer zo groot", 3, "factor", "factor", "bijna", "upper"),
    ("ongeveer twee keer zo groot", 2, "factor", "factor", "circa", "approx"),
    ("ongeveer een verdubbeling", 2, "factor", "factor", "circa", "approx"),
    # changes
    ("met 20 procent gestegen", 20, "%", "change", "", "exact"),
    ("is met 5 procent gedaald", -5, "%", "change", "", "exact"),
    ("toegenomen met 228 inburgeraars", 228, "personen", "change", "", "exact"),
    ("verminderd met 380 personen", -380, "personen", "change", "", "exact"),
    ("een stijging van 12 procent", 12, "%", "change", "", "exact"),
    ("gestegen met 6,6 procentpunt", 6.6, "procentpunt", "change", "", "exact"),
    # hedges
    ("ruim 11 procent van de ingezetenen", 11, "%", "percent", "ruim", "lower"),
    ("meer dan 11 procent in 2023", 11, "%", "percent", "meer dan", "lower"),
    ("ruim boven de 10 procent", 10, "%", "percent", "meer dan", "lower"),
    ("bijna 19.000 statushouders", 19000, "personen", "count", "bijna", "upper"),
    ("nog geen 5 procent", 5, "%", "percent", "bijna", "upper"),
    ("krap 40 plekken", 40, "", "count", "bijna", "upper"),
    ("circa 17.400 arbeidsmigranten", 17400, "personen", "count", "circa", "approx"),
    ("ongeveer 100 leerlingen", 100, "personen", "count", "circa", "approx"),
    ("zo'n 500 mensen", 500, "personen", "count", "circa", "approx"),
    ("zo’n 500 mensen", 500, "personen", "count", "circa", "approx"),
    ("rond de 500 mensen", 500, "personen", "count", "circa", "approx"),
    ("ca. 300 bewoners", 300, "personen", "count", "circa", "approx"),
    ("pakweg 20 gemeenten", 20, "", "count", "circa", "approx"),
    ("maximaal 450 asielzoekers", 450, "personen", "count", "maximaal", "upper"),
    ("tenminste vijf jaar", 5, "jaar", "duration", "ten minste", "lower"),
    ("precies 78 inburgeraars", 78, "personen", "count", "precies", "exact"),
    # periods and dates
    ("2025-Q1", 2025, "", "period", "", "exact"),
    ("2025\n-Q1", 2025, "", "period", "", "exact"),
    ("in het derde kwartaal 2024", 2024, "", "period", "", "exact"),
    ("Q3 2024", 2024, "", "period", "", "exact"),
    ("Sinds 1 februari 2024 is de wet", 2024, "", "date", "", "exact"),
    ("per 1 juli 2025", 2025, "", "date", "", "exact"),
    ("sinds maart 2023", 2023, "", "period", "", "exact"),
    ("over de periode 2015 - 2023", 2023, "", "period", "", "exact"),
    ("in 2023-2024 een pilot", 2024, "", "period", "", "exact"),
    ("tussen 2014 en 2022", 2022, "", "period", "", "exact"),
    ("in de periode november 2024 - mei 2025", 2025, "", "period", "", "exact"),
    ("februari - april 2025", 2025, "", "period", "", "exact"),
    ("de eerste helft 2025", 2025, "", "period", "", "exact"),
    ("op 31-12-2023", 2023, "", "date", "", "exact"),
    ("in 2023", 2023, "", "year", "", "exact"),
    ("rond 2020", 2020, "", "year", "circa", "approx"),
    ("1950 asielzoekers", 1950, "personen", "count", "", "exact"),  # a year-like count
    # ranges
    ("tussen de 10 en 13 procent", 13, "%", "percent", "", "exact"),
    ("tussen de 10 en 13 pro-\ncent ligt", 13, "%", "percent", "", "exact"),
    ("kinderen van 4 tot 12 jaar", 12, "jaar", "duration", "", "exact"),
    ("tussen 0 en 19 jaar", 19, "jaar", "duration", "", "exact"),
    ("van 607 naar 1.015 plekken", 1015, "", "count", "", "exact"),
    ("ruim verdubbeld, van 4,8% naar 11,4%.", 11.4, "%", "percent", "", "exact"),
]


@pytest.mark.parametrize(("text", "value", "unit", "kind", "hedge", "bound"), SINGLE)
def test_find_numbers_single(text: str, value: float, unit: str, kind: str, hedge: str, bound: str) -> None:
    found = [q for q in find_numbers(text) if not (q.kind == "factor" and kind != "factor")]
    found = [q for q in found if q.kind != "year" or kind == "year"]
    assert len(found) == 1, f"{text!r} gaf {found}"
    q = found[0]
    assert math.isclose(q.value, value, rel_tol=1e-9), q
    assert (q.unit, q.kind, q.hedge, q.bound) == (unit, kind, hedge, bound), q
    assert text[q.start : q.end] == q.text
    assert not q.text[:1].isspace() and not q.text[-1:].isspace()


@pytest.mark.parametrize(
    ("text", "period"),
    [
        ("2025-Q1", "2025-Q1"),
        ("in het derde kwartaal 2024", "2024-Q3"),
        ("eerste kwartaal 2025", "2025-Q1"),
        ("Q4 2024", "2024-Q4"),
        ("1 februari 2024", "2024-02-01"),
        ("31 januari 2024", "2024-01-31"),
        ("op 1 januari van dat jaar", "--01-01"),
        ("maart 2028", "2028-03"),
        ("2015 - 2023", "2015/2023"),
        ("van 2015 tot 2023", "2015/2023"),
        ("2025-2026", "2025/2026"),
        ("februari - april 2025", "2025-02/2025-04"),
        ("november 2024 - mei 2025", "2024-11/2025-05"),
        ("december 2023 - oktober 2024", "2023-12/2024-10"),
        ("de eerste helft 2025", "2025-H1"),
        ("op 2024-02-01", "2024-02-01"),
        ("in 2023", "2023"),
    ],
)
def test_periods(text: str, period: str) -> None:
    assert only(text).period == period


def test_change_from_to_keeps_start_value() -> None:
    q = only("gewijzigd van 607 naar 1015 plekken")
    assert (q.from_value, q.value, q.relation, q.noun) == (607, 1015, "change", "plekken")
    q = only("(van 2,4 naar 4,9 procent)")
    assert (q.from_value, q.value, q.unit, q.decimals) == (2.4, 4.9, "%", 1)


def test_range_keeps_low_value() -> None:
    q = only("tussen de 10 en 13 procent")
    assert (q.from_value, q.value, q.relation) == (10, 13, "range")


def test_scaled_numeral_precision() -> None:
    assert only("€1,4 mln").decimals == -5
    assert only("2 miljoen euro").decimals == -6
    assert only("11,45 procent").decimals == 2


# ---------------------------------------------------------------------------------------------------------
# find_numbers: whole sentences
# ---------------------------------------------------------------------------------------------------------

SENTENCES = [
    (
        "In 2023 waren in de gemeente Haarlemmermeer in totaal 18.480 migranten als ingezetene ge-\n"
        "registreerd op een totaal van 162.300 inwoners. Migranten vormen daarmee 11,4 procent van\n"
        "de inwoners7.",
        [("year", 2023), ("count", 18480), ("count", 162300), ("percent", 11.4)],
    ),
    ("Er waren in 2023 2.525 personen in Haarlemmermeer", [("year", 2023), ("count", 2525)]),
    (
        "het aandeel asiel- en arbeidsmigratie is bijna drie keer zo groot geworden (van respectievelijk "
        "0,6 en 0,9 naar 1,6 en 2,5 procent)",
        [("factor", 3), ("percent", 0.6), ("percent", 0.9), ("percent", 1.6), ("percent", 2.5)],
    ),
    (
        "Dit aandeel is in de afgelopen 10 jaar ruim verdubbeld, van 4,8% naar 11,4%.",
        [("duration", 10), ("factor", 2), ("percent", 11.4)],
    ),
    ("tweederde (67%) komt uit een niet EU/EFTA-land", [("fraction", 2 / 3), ("percent", 67)]),
    (
        "was in 2015 6.920 personen, steeg in 2019 naar 11.290 om vervolgens",
        [("year", 2015), ("count", 6920), ("year", 2019), ("count", 11290)],
    ),
    (
        "In 2015 was bijna 5 procent van de inwoners migrant en dit is gestegen naar meer dan 11 procent in 2023.",
        [("year", 2015), ("percent", 5), ("percent", 11), ("year", 2023)],
    ),
    (
        "De taakstelling voor de eerste helft 2025 bedroeg in eerste instantie 161 statushouders (waaronder 30 amv’ers).",
        [("period", 2025), ("count", 161), ("count", 30)],
    ),
    ("Totaal 1006 925 764 574", [("count", 1006), ("count", 925), ("count", 764), ("count", 574)]),
    (
        "Amstelveen (57 per duizend inwoners), Eindhoven (28 per duizend inwoners)",
        [("rate", 57), ("rate", 28)],
    ),
    ("bijna 19.000, nog geen 5 procent", [("count", 19000), ("percent", 5)]),  # a comma is no list
    ("één of twee jaar taallessen", [("duration", 1), ("duration", 2)]),
    (
        "hebben er 357 een uitkering (82%) en 80 geen uitkering (18%)67.",
        [("count", 357), ("percent", 82), ("count", 80), ("percent", 18)],
    ),
]


@pytest.mark.parametrize(("text", "expected"), SENTENCES)
def test_find_numbers_sentence(text: str, expected: list[tuple[str, float]]) -> None:
    found = find_numbers(text)
    assert [q.kind for q in found] == [k for k, _ in expected], found
    for q, (_, value) in zip(found, expected, strict=True):
        assert math.isclose(q.value, value, rel_tol=1e-9), q
        assert text[q.start : q.end] == q.text


@pytest.mark.parametrize(
    "text",
    [
        "zie paragraaf 2.3 over arbeidsmigratie",
        "Tabel 4 Aantal inburgeraars Haarlemmermeer",
        "Grafiek 3 laat zien",
        "in hoofdstuk 5 worden conclusies gepresenteerd",
        "In deel 2 van dit rapport",
        "artikel 28 van de Huisvestingswet",
        "artikel 2.4.4, eerste lid",
        "Staatscourant Nr. 5191969.",
        "Jaarstukken, p. 54.",
        "in het kader van de Wi2021",
        "de Wet inburgering 2021 is",
        "sinds de COVID-19 pandemie",
        "de top-10 van woongemeenten",
        "niveau B1 of A2 op de Rijksweg A4",
        "3.2 Opvang asielzoekers Haarlemmermeer",
        "2 Een statushouder is iemand met een verblijfsvergunning",
        "1. wat zijn de meest relevante feiten",
        "hqps://www.coa.nl/nl/loca/e/haarlemmermeer-hoofddorp-rijksweg-a4",
        "zie https://www.cbs.nl/nl-nl/nieuws/2025/10/7-procent-vrijgekomen-corporatiewoningen-in-2022",
        "/e.nl/Agenda/Index/98e17b9b-54f2-4019-9bb9-4183958073f2#563b110d-b01a-4ab2-8952-d5e8b46a70ee",
        "bel 020-1234567 of 06-12345678",
        "postcode 2132 TZ Hoofddorp",
        "Een derde, tijdelijke, opvanglocatie van het COA",
        "Een derde aandachtspunt is het beperkte zicht",
        "op de vijfde verdieping",
        "de 5e en later ook de 4e verdieping",
        "een aantal statushouders heeft een woning",
        "De gemeente acht het van belang",
        "halverwege het eerste kwartaal",
        "wordt de (opvang)situatie beschreven).9",
    ],
)
def test_no_quantities(text: str) -> None:
    assert find_numbers(text) == [], find_numbers(text)


def test_labels_on_request() -> None:
    found = find_numbers("zie paragraaf 2.3, Tabel 4 en de 5e verdieping", include_labels=True)
    assert [(q.kind, q.text) for q in found] == [
        ("label", "paragraaf 2.3"),
        ("label", "Tabel 4"),
        ("ordinal", "5e"),
    ]


def test_per_1000_is_not_a_count() -> None:
    found = find_numbers("16,6 per 1000 inwoners")
    assert [q.value for q in found] == [16.6]


# ---------------------------------------------------------------------------------------------------------
# Footnote markers
# ---------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("token", "markers", "expected"),
    [
        ("inwoners7", {7}, ("inwoners", 7)),
        ("inwoners7.", {7}, ("inwoners7.", None)),  # the caller strips sentence punctuation first
        ("inwoners17", {7, 17}, ("inwoners", 17)),
        ("(5,1%)8", {8}, ("(5,1%)", 8)),
        ("18.48094", {94}, ("18.480", 94)),
        ("1.425.495.55", {55}, ("1.425.495.", 55)),
        ("wet”.27", {27}, ("wet”.", 27)),
        ("2023", {3, 23}, ("2023", None)),
        ("11,48", {8}, ("11,48", None)),
        ("COVID-19", {19}, ("COVID-19", None)),
        ("inwoners7", {8}, ("inwoners7", None)),
        ("inwoners7", set(), ("inwoners7", None)),
        ("2.3", {3}, ("2.3", None)),
    ],
)
def test_split_footnote_marker(token: str, markers: set[int], expected: tuple[str, int | None]) -> None:
    assert split_footnote_marker(token, markers) == expected


def test_footnote_markers_stripped() -> None:
    text = "in totaal 18.48094 migranten en de studiemigranten (5,1%)8 van de inwoners7."
    found = find_numbers(text, footnote_markers={7, 8, 94})
    assert [(q.value, q.kind, q.text) for q in found] == [
        (18480, "count", "18.480"),
        (5.1, "percent", "5,1%"),
    ]


def test_glued_marker_without_known_markers() -> None:
    found = find_numbers("in totaal 18.48094 migranten")
    assert [q.value for q in found] == [18480]
    found = find_numbers("subsidiebedrag € 1.425.495.55 Hierbij")
    assert [(q.value, q.kind) for q in found] == [(1425495, "money")]


def test_standalone_marker_after_glued_one() -> None:
    found = find_numbers("in 2025 248 personen.42 43 De provincie", footnote_markers={42, 43})
    assert [(q.kind, q.value) for q in found] == [("year", 2025), ("count", 248)]


# ---------------------------------------------------------------------------------------------------------
# years_in, as_comparable
# ---------------------------------------------------------------------------------------------------------


def test_years_in() -> None:
    text = "In 2015 was het 5 procent; over 2015 - 2023 steeg het; de Wet inburgering 2021; Q3 2024; 1 februari 2022."
    assert years_in(text) == [2015, 2023, 2024, 2022]
    assert years_in("in 2023 2.525 personen") == [2023]
    assert years_in("geen jaartal, wel 1.015 plekken") == []


def test_as_comparable() -> None:
    dim, value = as_comparable(only("tweederde"))
    assert dim == "percent" and math.isclose(value, 200 / 3)
    assert as_comparable(only("66,7%")) == ("percent", 66.7)
    assert as_comparable(only("1,5 jaar")) == ("maanden", 18.0)
    assert as_comparable(only("€ 1.425.495")) == ("euro", 1425495.0)
    assert as_comparable(only("2.525 personen")) == ("aantal", 2525.0)


# ---------------------------------------------------------------------------------------------------------
# matches
# ---------------------------------------------------------------------------------------------------------

MATCHES = [
    # claimed, reported, ok, reason
    ("ruim 11 procent", "11,4%", True, "afgerond"),
    ("11 procent", "11,4 procent", True, "afgerond"),
    ("11,4 procent", "11,4%", True, "exact"),
    ("12 procent", "11,4 procent", False, "te hoog"),
    ("10 procent", "11,4 procent", False, "te laag"),
    ("bijna 19.000", "18.480", True, "afgerond"),
    ("ruim 20.000", "18.480", False, "te hoog"),
    ("18.000 migranten", "18.480", True, "afgerond"),
    ("20.000", "18.480", False, "te hoog"),
    ("184.800", "18.480", False, "factor 10"),
    ("1.848", "18.480", False, "factor 10"),
    ("1,14%", "11,4%", False, "factor 10"),
    ("tweederde", "66,7%", True, "afgerond"),
    ("tweederde", "67%", True, "afgerond"),
    ("de helft", "80%", False, "te laag"),
    ("bijna een vijfde", "18%", True, "afgerond"),
    ("vier op de vijf", "80%", True, "exact"),
    ("meer dan 11 procent", "25 procent", True, "ondergrens"),
    ("minder dan 11 procent", "25 procent", False, "te laag"),
    ("circa 17.000", "17.400", True, "binnen marge"),
    ("€1,4 mln", "€ 1.425.495", True, "afgerond"),
    ("1,5 jaar", "18 maanden", True, "exact"),
    ("11 procent", "18.480", False, "andere eenheid"),
    ("16,6 per 1000 inwoners", "1,65%", False, "andere eenheid"),
    ("ruim verdubbeld", "van 4,8% naar 11,4%", True, "afgerond"),
    ("verdubbeld", "van 4,8% naar 11,4%", True, "afgerond"),
    ("bijna verdubbeld", "van 4,8% naar 11,4%", False, "te laag"),
    ("verdrievoudigd", "van 4,8% naar 11,4%", False, "te hoog"),
    ("bijna gehalveerd", "van 162 naar 89", True, "afgerond"),
    ("met 67 procent gestegen", "van 607 naar 1.015", True, "afgerond"),
    ("met 20 procent gestegen", "van 607 naar 1.015", False, "te laag"),
    ("gestegen met 6,6 procentpunt", "van 4,8% naar 11,4%", True, "exact"),
    ("van 610 naar 1.000 plekken", "van 607 naar 1.015 plekken", True, "afgerond"),
    ("van 600 naar 1.000 plekken", "van 607 naar 1.015 plekken", False, "andere beginwaarde"),
    ("van 500 naar 1.015 plekken", "van 607 naar 1.015 plekken", False, "andere beginwaarde"),
    ("in 2023", "in 2023", True, "exact"),
    ("in 2022", "in 2023", False, "ander jaar"),
    ("derde kwartaal 2024", "Q3 2024", True, "exact"),
    ("vierde kwartaal 2024", "Q3 2024", False, "andere periode"),
    ("in 2023", "18.480", False, "andere eenheid"),
]


@pytest.mark.parametrize(("claimed", "reported", "ok", "reason"), MATCHES)
def test_matches(claimed: str, reported: str, ok: bool, reason: str) -> None:
    assert matches(only(claimed), only(reported)) == (ok, reason)


def test_matches_factor_against_given_factor() -> None:
    reported = Quantity(2.1, "2,1", 0, 3, "factor", "factor", "", "exact", decimals=1)
    assert matches(only("verdubbeld"), reported) == (True, "afgerond")
    reported = Quantity(3.2, "3,2", 0, 3, "factor", "factor", "", "exact", decimals=1)
    assert matches(only("verdubbeld"), reported) == (False, "te laag")


# ---------------------------------------------------------------------------------------------------------
# The real report
# ---------------------------------------------------------------------------------------------------------


@pytest.mark.model
@pytest.mark.skipif(not REPORT.is_file(), reason="het rapport ontbreekt")
def test_report_quantities_are_sane() -> None:
    text = REPORT.read_text(encoding="utf-8")
    found = find_numbers(text, include_labels=True)
    assert len(found) > 500
    last_end = -1
    for q in found:
        assert q.start >= last_end, q  # in order and non-overlapping
        assert text[q.start : q.end] == q.text
        assert "://" not in q.text and "hqps" not in q.text
        last_end = q.end
    values = {(q.kind, q.value) for q in found}
    for expected in [
        ("count", 18480),
        ("count", 162300),
        ("percent", 11.4),
        ("money", 1425495),
        ("rate", 16.6),
        ("count", 3.8),
        ("factor", 2),
        ("period", 2024),
    ]:
        assert expected in values, expected
    # No number ever swallows a glued footnote marker.
    assert not any(q.kind == "count" and q.value in (18480094, 1842549555) for q in found)


# The grammar reads clean text only: pasted text gets its lost ligatures back first (as Engine.check_claim does).
_REPORT_WORDS = Counter("twintig helft artikel eerste van de migranten".split())
GLYPH_PASTES = [
    ("De helM van de migranten", "De helft van de migranten"),
    ("de eerste helM 2025 bedroeg 161", "de eerste helft 2025 bedroeg 161"),
    ("ar/kel 2.4.4, eerste lid", "artikel 2.4.4, eerste lid"),
    ("twinDg migranten", "twintig migranten"),
    ("twin/g migranten", "twintig migranten"),
]


@pytest.mark.parametrize(("pasted", "clean"), GLYPH_PASTES)
def test_pasted_glyphs_give_the_clean_quantities(pasted: str, clean: str) -> None:
    repaired = repair_pasted_words(pasted, lambda w: _REPORT_WORDS[w.lower()])
    assert repaired == clean
    assert find_numbers(repaired) == find_numbers(clean)


def test_the_grammar_has_no_glyph_alternatives() -> None:
    # Unrepaired glyphs are not number words: the repair above is what reads them.
    assert find_numbers("De helM van de migranten") == []
    assert parse_number("twinDg") is None


@pytest.mark.parametrize("text", ["een migrant", "een jaarverslag", "elk jaar een keer", "een dagbesteding"])
def test_a_lone_article_is_no_number(text: str) -> None:
    """"een" counts one only before a unit of time; "een jaarverslag" is no duration."""
    assert [q for q in find_numbers(text) if q.kind != "year"] == []


@pytest.mark.parametrize(
    ("claimed", "reported", "ok"),
    [
        ("een jaar", "zes maanden", False),
        ("een jaar", "twaalf maanden", True),
        ("een jaar", "elf maanden", True),
        ("een half jaar", "zes maanden", True),
        ("twee jaar", "24 maanden", True),
        ("twee jaar", "12 maanden", False),
        ("1 jaar", "52 weken", True),
        ("zes maanden", "zes maanden", True),
    ],
)
def test_a_duration_rounds_in_its_own_unit(claimed: str, reported: str, ok: bool) -> None:
    """"Een jaar" may be eleven or thirteen months, not six: rounding to a year does not reach half of it."""
    c, r = find_numbers(claimed)[0], find_numbers(reported)[0]
    assert matches(c, r)[0] is ok, matches(c, r)


def test_a_footnote_marker_is_no_part_of_the_counted_noun() -> None:
    found = find_numbers("Het betreft zes hoofdgroepen¹¹ waarin diverse nationaliteiten zijn opgenomen.")
    assert [q.noun for q in found] == ["hoofdgroepen"]
