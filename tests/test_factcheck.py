"""The claim checker: on the real report's facts table, and its pure parts on literals."""

from __future__ import annotations

from pathlib import Path

import pytest

from rekenqa.factcheck import _named, check, claim_groups, subject_idf
from rekenqa.facts import sentence_facts
from rekenqa.load import read_profile
from rekenqa.settings import FactcheckWeights
from rekenqa.types import Profile

PROFILE = read_profile(Path(__file__).resolve().parents[1] / "corpus", "migratie-in-haarlemmermeer-2025.txt")

SENTENCES = [
    ("In 2023 waren in de gemeente Haarlemmermeer in totaal 18.480 migranten als ingezetene geregistreerd op een totaal van 162.300 inwoners.", 17),
    ("Het totaal aantal migranten in de gemeente Haarlemmermeer was in 2015 6.920 personen, steeg in 2019 naar 11.290.", 18),
    ("In 2023 stonden in totaal 4.025 personen met een arbeidsmigratiemotief in de gemeente Haarlemmermeer ingeschreven.", 22),
    ("Het percentage migranten dat als gezinsmigrant in Haarlemmermeer staat ingeschreven is het hoogste met 43,2 procent.", 17),
]
FACTS = [f for text, page in SENTENCES for f in sentence_facts("r", text, page, f"c-{page}")]
IDF = subject_idf(FACTS)


@pytest.mark.parametrize(
    ("claim", "status", "reason_part", "page"),
    [
        ("Haarlemmermeer had in 2023 ruim 160.000 inwoners.", "supported", "afgerond", 17),
        ("In 2023 woonden er bijna 18.500 migranten in Haarlemmermeer.", "supported", "afgerond", 17),
        ("In 2023 woonden er 184.800 migranten in Haarlemmermeer.", "contradicted", "factor 10", 17),
        # Either the gezinsmigranten figure (p. 17) or the arbeidsmigranten one it was taken from (p. 22).
        ("In 2023 stonden er 4.025 gezinsmigranten ingeschreven.", "contradicted", "", (17, 22)),
        ("Ruim 40 procent van de migranten is gezinsmigrant.", "supported", "afgerond", 17),
        ("Amsterdam telt 18.480 migranten.", "not_in_report", "niet in het rapport", None),
        ("In Haarlemmermeer wonen 3 miljoen olifanten.", "not_in_report", "niet in het rapport", None),
    ],
)
@pytest.mark.model
def test_numeric_claims(real_engine, claim: str, status: str, reason_part: str, page: int | tuple[int, ...] | None) -> None:
    verdict = real_engine.check_claim(claim)
    assert verdict.status == status, verdict
    assert reason_part in verdict.reason
    if page is not None:
        assert verdict.evidence[0].page in (page if isinstance(page, tuple) else (page,))
    if status == "contradicted":
        assert verdict.report_value and verdict.difference


def test_pure_check_on_literal_facts() -> None:
    verdict = check("Haarlemmermeer had in 2023 ruim 160.000 inwoners.", FACTS, [], PROFILE, idf=IDF)
    assert verdict.status == "supported" and verdict.report_value == "162.300" and verdict.evidence[0].page == 17
    assert check("In Haarlemmermeer wonen 3 miljoen olifanten.", FACTS, [], PROFILE).status == "not_in_report"
    assert check("Amsterdam telt 18.480 migranten.", FACTS, [], PROFILE).status == "not_in_report"


def test_places_come_from_the_profile() -> None:
    # Amsterdam is a place of the profile: no fact mentions it, so the report does not say this.
    assert check("Amsterdam telt 18.480 migranten.", FACTS, [], PROFILE, idf=IDF).status == "not_in_report"
    # The report's own setting narrows nothing; without a profile it is just a name the evidence must contain.
    claim = "In 2023 woonden in Haarlemmermeer en Hoofddorp 18.480 migranten."
    assert _named(claim, PROFILE) == ("hoofddorp",)
    assert _named(claim, Profile()) == ("haarlemmermeer", "hoofddorp")


def test_groups_come_from_the_profile() -> None:
    assert claim_groups("het aantal statushouders en vergunninghouders", PROFILE) == {"statushouders"}
    assert claim_groups("het aantal statushouders", Profile()) == set()


def test_weights_decide_what_counts_as_the_same_subject() -> None:
    claim = "In 2023 woonden er bijna 18.500 migranten in Haarlemmermeer."
    assert check(claim, FACTS, [], PROFILE, idf=IDF).status == "supported"
    strict = FactcheckWeights(min_subject=5.0)
    assert check(claim, FACTS, [], PROFILE, idf=IDF, weights=strict).status == "not_in_report"


@pytest.mark.parametrize(
    ("pasted", "clean"),
    [
        ("Bijna de helM van de arbeidsmigranten werkt.", "Bijna de helft van de arbeidsmigranten werkt."),
        ("In 2023 telde de gemeente twinDg duizend migranten.", "In 2023 telde de gemeente twintig duizend migranten."),
    ],
)
@pytest.mark.model
def test_pasted_glyph_claim_gets_the_clean_verdict(real_engine, pasted: str, clean: str) -> None:
    glyphs, plain = real_engine.check_claim(pasted), real_engine.check_claim(clean)
    assert glyphs.claim.text == clean and glyphs.claim.numbers == plain.claim.numbers != ()
    assert (glyphs.status, glyphs.report_value, glyphs.evidence) == (plain.status, plain.report_value, plain.evidence)


@pytest.mark.parametrize(
    ("claim", "status", "reason_part"),
    [
        # a trend stated the wrong way: computed from "van 6.920 in 2015 … naar 18.480"
        ("Het aantal migranten in Haarlemmermeer is sinds 2015 gedaald.", "contradicted", "richting"),
        # a factor stated too high ("ruim verdubbeld")
        ("Het aandeel migranten is in tien jaar verdrievoudigd.", "contradicted", "te hoog"),
        # a comparison the wrong way round, with the sides in another order than the report's
        ("Nederland als geheel heeft een groter aandeel migranten dan Haarlemmermeer.", "contradicted", "vergelijking"),
        # a change computed from two numbers of one sentence at the claim's dates (162 -> 89)
        ("De wachtlijst voor inburgering is tussen november 2024 en mei 2025 bijna gehalveerd.", "supported", "162"),
        ("De wachtlijst voor inburgering is tussen november 2024 en mei 2025 verdrievoudigd.", "contradicted", "162"),
        # … with the later date first: "in <later> gehalveerd ten opzichte van <earlier>"
        ("De wachtlijst voor inburgering is in mei 2025 bijna gehalveerd ten opzichte van november 2024.", "supported", "162"),
        # comparisons computed from the report's numbers for both places (a table row, one sentence)
        ("Aalsmeer heeft een groter aandeel migranten dan Haarlemmermeer.", "contradicted", "11,3 tegen 11,4"),
        ("Aalsmeer heeft een kleiner aandeel migranten dan Haarlemmermeer.", "supported", ""),
        ("In Amstelveen wonen naar verhouding minder arbeidsmigranten van buiten de EU dan in Eindhoven.", "contradicted", "vergelijking"),
        ("Van alle kernen wonen de meeste arbeidsmigranten in Nieuw-Vennep.", "contradicted", "Hoofddorp"),
        # a quoted sentence with one word turned into its opposite
        ("De uitdaging is dat minder duurzame plekken worden gerealiseerd voor de opvang van asielzoekers.", "contradicted", "meer"),
        # … with an inflected opposite, or another group with the report's comma still after it
        ("Er is een grote groep studiemigranten in Haarlemmermeer; het gaat om 0,6 procent van de bevolking.", "contradicted", "kleine"),
        ("De gemeente dient volgens landelijke wet- en regelgeving te zorgen voor passende woonruimte voor "
         "kennismigranten, hetgeen consequenties heeft voor het woonbeleid van de gemeente.", "contradicted", "statushouders"),
        # … with its negation dropped
        ("Er is specifiek gemeentelijk beleid voor studiemigranten en er zijn geen signalen dat een specifiek beleid "
         "voor deze groep gewenst is.", "contradicted", "ontkenning"),
        # the largest group is another group
        ("De grootste groep migranten zijn asielmigranten.", "contradicted", "gezinsmigranten"),
        ("Gezinsmigranten zijn met ruim 43 procent de grootste groep.", "supported", ""),
        # the claim's date decides which of the report's figures it is read against: on 1 september 2025 the 21
        # are gezinsmigranten (the same list in May scores higher on words, but is of another date)
        ("Er stonden op 1 september 2025 nog 21 asielmigranten op de wachtlijst voor inburgering.", "contradicted", "andere groep"),
        # a date checked against the sentence that writes the name as its acronym ("de RTB … 4 maart 2027")
        ("De Richtlijn Tijdelijke Bescherming voor Oekraïners loopt af op 4 maart 2026.", "contradicted", "andere datum"),
        ("De Richtlijn Tijdelijke Bescherming voor Oekraïners loopt af op 4 maart 2027.", "supported", ""),
        # the right number, the wrong year
        ("In 2019 woonden er 18.480 migranten in Haarlemmermeer.", "contradicted", "ander jaar"),
        # a value of a thing the report gives no number for is not contradicted by a share of something else
        ("De werkloosheid onder statushouders in Haarlemmermeer bedraagt 40 procent.", "not_in_report", ""),
        # … while a value of a thing it does give is ("taakstelling … 453 statushouders")
        ("De taakstelling voor de huisvesting van statushouders was in 2023 500 statushouders.", "contradicted", "453"),
        ("Het is onwaar dat er in 2023 18.480 migranten in Haarlemmermeer woonden.", "contradicted", "ontkenning"),
    ],
)
@pytest.mark.model
def test_claims_by_meaning(real_engine, claim: str, status: str, reason_part: str) -> None:
    verdict = real_engine.check_claim(claim)
    assert verdict.status == status, verdict
    assert reason_part in f"{verdict.reason} {verdict.report_value}"


@pytest.mark.parametrize(
    ("question", "history", "number"),
    [
        ("Hoeveel studiemigranten staan er in Haarlemmermeer ingeschreven?", [], "935"),  # a count, not the share
        ("Wat is het landelijke aandeel gezinsmigranten?", [], "3,4"),  # the national figure of the sentence
        ("Hoeveel gezinsmigranten telde de gemeente in 2015?", [], "3.395"),  # the group, not all migrants
        ("En in 2019?", ["Hoeveel migranten woonden er in 2015 in Haarlemmermeer?"], "11.290"),  # follow-up year
        ("Hoeveel mensen woonden er in 2023 in de gemeente Haarlemmermeer?", [], "162.300"),  # residents, not migrants
        # Tabel 4 (p. 43): the total row for all inburgeraars, the row the question names for a part of them
        ("Hoeveel inburgeraars telde Haarlemmermeer in het vierde kwartaal van 2024?", [], "925"),
        ("Hoeveel vrouwen telde de groep inburgeraars in het vierde kwartaal van 2024?", [], "487"),
        ("Hoeveel mannelijke inburgeraars waren er in het eerste kwartaal van 2025?", [], "468"),
    ],
)
@pytest.mark.model
def test_number_leads_name_the_fact_of_the_question(real_engine, question: str, history: list[str], number: str) -> None:
    answer = real_engine.ask(question, history=history)
    assert number in answer.lead, answer.lead


@pytest.mark.model
@pytest.mark.parametrize(
    ("claim", "reason_part", "slip_page"),
    [
        # the national number given as the municipality's own: the page of the national figure is shown too
        ("In Haarlemmermeer wonen 122.080 Oekraïense ontheemden.", "deel vs totaal", 61),
        # a claim about Haarlem is not about Haarlemmermeer: no Haarlemmermeer figure decides it
        ("In Haarlem worden 1.430 Oekraïense ontheemden opgevangen.", "", 0),
    ],
)
def test_a_number_of_another_frame_is_shown_where_it_stands(real_engine, claim: str, reason_part: str, slip_page: int) -> None:
    verdict = real_engine.check_claim(claim)
    if not slip_page:
        assert verdict.status == "not_in_report", verdict
        return
    assert verdict.status == "contradicted", verdict
    assert reason_part in verdict.reason
    assert slip_page in {e.page for e in verdict.evidence}, verdict.evidence


@pytest.mark.model
def test_een_jaar_is_checked_as_a_duration(real_engine) -> None:
    """"een jaar" is twelve months: the report's "zes maanden na de aanvraag" contradicts it."""
    verdict = real_engine.check_claim("Asielzoekers mogen pas een jaar na de aanvraag voor asiel werken.")
    assert verdict.status == "contradicted", verdict
    assert "zes maanden" in verdict.report_value


@pytest.mark.model
@pytest.mark.parametrize(
    "claim",
    [
        "82 procent van de inburgeringsplichtige statushouders in Haarlemmermeer heeft een bijstandsuitkering.",
        "Slechts de helft van de inburgeringsplichtige statushouders heeft een bijstandsuitkering.",
    ],
)
def test_the_chapter_page_comes_before_its_restatement(real_engine, claim: str) -> None:
    """The conclusions (p. 72) restate the chapter's 82 % (p. 45): the chapter's page is shown first, the
    restatement beside it; also when the claim's number is wrong."""
    verdict = real_engine.check_claim(claim)
    assert verdict.status in ("supported", "contradicted"), verdict
    pages = [e.page for e in verdict.evidence]
    assert pages[0] == 45 and 72 in pages, pages
    assert (verdict.evidence[0].chunk_id, verdict.evidence[0].sentence) not in real_engine.restating_facts


@pytest.mark.model
def test_a_number_given_to_another_group_names_the_group_it_belongs_to(real_engine) -> None:
    # The report's 43,2 procent is the gezinsmigranten' share (p. 17): said of another group, the verdict shows
    # that number and where it stands, not some unrelated figure that names no group.
    verdict = real_engine.check_claim("Statushouders vormen met 43,2 procent de grootste groep migranten.")
    assert verdict.status == "contradicted" and "gezinsmigranten" in verdict.reason, verdict
    assert verdict.report_value == "43,2 procent" and verdict.evidence[0].page == 17
    # Also when the claim shares few words with the report's sentence beyond the number itself.
    other = real_engine.check_claim("Met 43,2 procent vormen studiemigranten de grootste groep in Haarlemmermeer.")
    assert other.status == "contradicted" and other.reason.startswith("andere groep"), other
    assert "gezinsmigranten" in other.reason


@pytest.mark.model
def test_a_chapter_figure_leads_the_rounded_restatement_of_it(real_engine) -> None:
    # The conclusions say "ruim 1.400", the chapter (p. 64) gives 1.430 with its date: the chapter leads.
    verdict = real_engine.check_claim("Er worden in Haarlemmermeer zo'n 1.400 Oekraïners opgevangen.")
    assert verdict.status == "supported", verdict
    assert verdict.evidence[0].page == 64 and verdict.report_value == "1.430"


@pytest.mark.model
def test_a_national_rule_holds_for_a_claim_that_names_no_place(real_engine) -> None:
    # "zes maanden na de aanvraag" is the national rule (pp. 33, 77, 78): no part-of-a-total slip for a claim
    # that names no place, so the chapter's pages count as evidence.
    verdict = real_engine.check_claim("Een asielzoeker mag zes maanden na zijn asielaanvraag gaan werken.")
    assert verdict.status == "supported", verdict
    assert {33, 77, 78} & {e.page for e in verdict.evidence}


@pytest.mark.model
def test_table_cells_check_claims_by_their_row(real_engine) -> None:
    # Tabel 4 (p. 43): 468 men and 538 women among the inburgeraars in 2025-Q1.
    right = real_engine.check_claim("In het eerste kwartaal van 2025 waren er 468 mannen onder de inburgeraars.")
    assert right.status == "supported" and right.evidence[0].page == 43, right
    swapped = real_engine.check_claim(
        "In het eerste kwartaal van 2025 waren er 538 mannen en 468 vrouwen onder de inburgeraars."
    )
    assert swapped.status == "contradicted" and swapped.evidence[0].page == 43, swapped
