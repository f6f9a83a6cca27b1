"""Fact frames: whom, where, when and what a number is about; and the claim checks built on them (pure)."""

from __future__ import annotations

from pathlib import Path

import pytest

from rekenqa.claimwords import (
    comparison,
    conflict,
    direction,
    inconsistent_comparison,
    negation_differs,
    opposite_word,
    superlative,
    swapped_term,
)
from rekenqa.factcheck import check, noun_words, subject_idf
from rekenqa.facts import sentence_facts, subject_words
from rekenqa.frames import Frame, frame_of, mentions, negated, place_mismatch, same_measure, stated_measure
from rekenqa.load import read_profile
from rekenqa.numbers import find_numbers
from rekenqa.types import DiffOp

PROFILE = read_profile(Path(__file__).resolve().parents[1] / "corpus", "migratie-in-haarlemmermeer-2025.txt")


def frame(text: str, number: str) -> Frame:
    found = find_numbers(text)
    q = next(q for q in found if q.text.startswith(number))
    return frame_of(q, found, text, PROFILE)


# ------------------------------------------------------------------ frames of report sentences


def test_each_number_belongs_to_the_group_of_its_own_clause() -> None:
    text = "Gezinsmigranten vormen met 43 procent de grootste groep, gevolgd door arbeidsmigranten (22 procent)."
    assert frame(text, "43").groups == ("gezinsmigranten",)
    assert frame(text, "22").groups == ("arbeidsmigranten",)


def test_local_and_national_numbers_of_one_sentence_get_their_own_place() -> None:
    text = "Het aandeel is in Haarlemmermeer met 4,9 procent hoger dan het landelijk aandeel van 3,4 procent."
    assert frame(text, "4,9").place == "haarlemmermeer"
    assert frame(text, "3,4").place == "nederland"


def test_a_number_in_parentheses_belongs_to_the_place_before_it() -> None:
    text = "Dat zijn Amstelveen (57 per duizend inwoners), Eindhoven (28 per duizend inwoners) en Amsterdam (23 per duizend)."
    assert [frame(text, n).place for n in ("57", "28", "23")] == ["amstelveen", "eindhoven", "amsterdam"]


def test_each_number_gets_the_year_of_its_clause() -> None:
    text = "Het aantal migranten was in 2015 6.920 personen, steeg in 2019 naar 11.290."
    assert frame(text, "6.920").period == "2015"
    assert frame(text, "11.290").period == "2019"


def test_a_number_after_van_de_n_is_a_part_of_n() -> None:
    text = "Van de 1095 sociale huurwoningen die zijn vrijgekomen, gingen er 85 naar statushouders."
    assert frame(text, "85").scope == "part"
    assert frame(text, "1095").scope == "total"


def test_a_short_group_stem_names_people_only_as_a_whole_word() -> None:
    assert [m.name for m in mentions("na verlening van de asielvergunning", PROFILE)] == []
    assert [m.name for m in mentions("de asielzoekers in de opvang", PROFILE)] == ["asielzoekers"]
    assert [m.name for m in mentions("Oekraïense vluchtelingen", PROFILE)] == ["oekrainers", "oekrainers"]


def test_a_region_named_by_its_name_is_that_place() -> None:
    assert [m.name for m in mentions("de regio Kennemerland", PROFILE) if m.kind == "place"] == ["kennemerland"]
    assert [m.name for m in mentions("in de regio", PROFILE)] == ["regio"]


@pytest.mark.parametrize(
    ("text", "number", "place"),
    [
        ("gaat men uit van 3.253 plekken in deze gemeenten", "3.253", "regio"),
        ("een asielopvang van 2.043 plekken in 8 gemeenten", "2.043", "regio"),
        ("De acht gemeenten bieden samen 900 plekken", "900", "regio"),
        ("Haarlemmermeer biedt 1.156 plekken", "1.156", "haarlemmermeer"),
        ("De gemeenten hebben 12 loketten", "12", ""),  # municipalities in general: no aggregate of some
        # A footnote's number before its first word ("33 Gemeenten worden …") counts no municipalities.
        ("33 Gemeenten worden gecompenseerd. Er is jaarlijks €5,1 miljoen beschikbaar", "€5,1", ""),
    ],
)
def test_a_figure_of_several_municipalities_together_is_regional(text: str, number: str, place: str) -> None:
    assert frame(text, number).place == place


def test_place_agreement() -> None:
    assert place_mismatch("", "", PROFILE) == ""  # neither says: the report's own municipality
    assert place_mismatch("", "haarlemmermeer", PROFILE) == ""
    assert place_mismatch("nederland", "", PROFILE) == ""  # a sentence that names no place agrees with any
    assert "landelijk" in place_mismatch("", "nederland", PROFILE)
    assert "Amstelveen" in place_mismatch("haarlemmermeer", "amstelveen", PROFILE)
    assert place_mismatch("kennemerland", "regio", PROFILE) == ""  # "in 8 gemeenten" may be Kennemerland
    assert place_mismatch("hoofddorp", "regio", PROFILE).startswith("deel vs totaal")
    assert place_mismatch("nederland", "regio", PROFILE) != ""
    assert place_mismatch("amsterdam", "regio", PROFILE) != ""  # a municipality is not "de MRA"


def test_measures_of_people() -> None:
    assert same_measure("persoon", "migrant") and same_measure("migrant", "arbeidsmigrant")
    assert not same_measure("inwoner", "migrant")  # all residents are not the migrants among them
    assert not same_measure("woning", "opvangplek")


def test_a_denied_number_and_a_hedge_are_told_apart() -> None:
    for text, denied in [
        ("Er woonden in 2023 geen 18.480 migranten.", True),
        ("Het is onwaar dat er 18.480 migranten woonden.", True),
        ("Er woonden niet meer dan 100 migranten.", False),  # the hedge of the number, not a denial
        ("Er woonden 18.480 migranten.", False),
    ]:
        q = next(q for q in find_numbers(text) if q.kind not in ("year", "period", "date"))
        assert negated(text, q) is denied, text


# ------------------------------------------------------------------ words around the numbers


def test_trends_from_words_and_from_numbers() -> None:
    assert direction("Het aantal is gestegen.") == "up"
    assert direction("Het aantal is verlaagd naar 951 plaatsen.") == "down"
    assert direction("Het aandeel ging van 4,8% naar 11,4%.") == "up"
    assert direction("Het aandeel is verdubbeld.") == "up"
    assert direction("Het aandeel is hoger dan landelijk.") == ""  # a comparison, not a change


def test_comparisons_keep_track_of_both_sides() -> None:
    assert comparison("Nederland heeft een groter aandeel dan Haarlemmermeer.", PROFILE) == ("nederland", "up", "haarlemmermeer")
    assert inconsistent_comparison("met 4,9 procent lager dan het landelijk aandeel van 3,4 procent")[0]
    assert not inconsistent_comparison("met 4,9 procent hoger dan het landelijk aandeel van 3,4 procent")[0]
    assert not inconsistent_comparison("meer dan 11 procent van de inwoners")[0]  # a bound, not two numbers


@pytest.mark.parametrize(
    "text",
    [
        "Studiemigranten maken minder dan één procent van de bevolking uit.",
        "Meer dan 11 procent van de inwoners is migrant.",
        "Gezinsmigranten betalen meer dan € 3.000 voor hun inburgering.",
        "Minder dan de helft van de statushouders heeft werk.",
    ],
)
def test_a_bound_on_a_number_is_no_comparison_of_two_sides(text: str) -> None:
    assert comparison(text, PROFILE) is None


def test_a_comparison_after_a_bound_is_still_read() -> None:
    text = "Met meer dan 11 procent ligt het aandeel in Haarlemmermeer hoger dan in Nederland."
    assert comparison(text, PROFILE) == ("haarlemmermeer", "up", "nederland")


def test_footnote_markers_are_no_letters_of_subject_words() -> None:
    assert subject_words("Migranten vormen daarmee 11,4 procent van de inwoners⁷ en ¹²statushouders.") == (
        "migranten", "vormen", "daarmee", "procent", "inwoners", "statushouders",
    )


def test_a_superlative_is_attached_to_its_group() -> None:
    assert superlative("De grootste groep migranten in onze gemeente zijn gezinsmigranten.", PROFILE) == ("max", "gezinsmigranten")
    assert superlative("Arbeid is het meest voorkomende motief van arbeidsmigranten.", PROFILE) == ("max", "arbeidsmigranten")


@pytest.mark.parametrize(
    ("text", "rank"),
    [
        ("Arbeidsmigratie komt, na gezinsmigratie, in Haarlemmermeer het vaakst voor.", ("next", "arbeidsmigranten")),
        ("Het motief dat vervolgens het vaakst voorkomt is arbeidsmigratie met 21,8 procent.", ("next", "arbeidsmigranten")),
        ("Arbeidsmigranten zijn de op één na grootste groep.", ("next", "arbeidsmigranten")),
        ("Na de zomer kwamen de meeste asielmigranten.", ("max", "asielzoekers")),  # "na" of a time, not a rank
    ],
)
def test_a_superlative_below_the_top_is_a_next_rank(text: str, rank: tuple[str, str]) -> None:
    assert superlative(text, PROFILE) == rank


def test_a_second_rank_contradicts_the_largest_but_not_the_largest_of_another() -> None:
    second = "Arbeidsmigratie komt, na gezinsmigratie, in Haarlemmermeer het vaakst voor."
    assert conflict("De grootste groep zijn arbeidsmigranten.", second, PROFILE)[0].startswith("andere rangorde")
    assert conflict("Gezinsmigranten zijn de grootste groep.", second, PROFILE) == ("", "")
    assert conflict("Arbeidsmigranten zijn de op één na grootste groep.", second, PROFILE) == ("", "")


# ------------------------------------------------------------------ claims against framed facts

SENTENCES = [
    ("In 2023 waren in de gemeente Haarlemmermeer in totaal 18.480 migranten als ingezetene geregistreerd op een totaal van 162.300 inwoners.", 17),
    ("Het totaal aantal migranten in de gemeente Haarlemmermeer was in 2015 6.920 personen, steeg in 2019 naar 11.290.", 18),
    ("Het percentage migranten dat als gezinsmigrant in Haarlemmermeer staat ingeschreven is het hoogste met 43,2 procent.", 17),
    ("Het aandeel gezinsmigranten is in Haarlemmermeer met 4,9 procent hoger dan het landelijk aandeel van 3,4 procent.", 21),
    ("Uit de CBS Migrantenmonitor blijkt dat ongeveer 200.000 van de 550.000 werkzame personen niet stond ingeschreven in de BRP.", 51),
]
FACTS = [f for text, page in SENTENCES for f in sentence_facts("r", text, page, f"c-{page}", PROFILE)]
IDF = subject_idf(FACTS)
NOUNS = noun_words(FACTS)


@pytest.mark.parametrize(
    ("claim", "status", "reason_part"),
    [
        # true claims in other forms
        ("In 2023 woonden er ruim 18.000 migranten in Haarlemmermeer.", "supported", ""),
        ("In 2023 woonden er achttienduizend migranten in Haarlemmermeer.", "supported", ""),
        ("In 2023 woonden er 18480 migranten in Haarlemmermeer.", "supported", ""),
        ("Ruim 43 procent van de migranten is gezinsmigrant.", "supported", ""),
        # the right number with the wrong year
        ("In 2019 woonden er 18.480 migranten in Haarlemmermeer.", "contradicted", "ander jaar"),
        # the national number given to the municipality: two numbers of one sentence swapped
        ("In Haarlemmermeer is 3,4 procent van de inwoners gezinsmigrant.", "contradicted", ""),
        # a share of one group given to another
        ("Bij arbeidsmigranten is het aandeel het hoogste met 43,2 procent.", "contradicted", "andere groep"),
        # one wrong number makes the claim wrong
        ("In 2023 waren er 18.480 migranten op een totaal van 200.000 inwoners.", "contradicted", ""),
        # a part larger than its whole
        ("Ongeveer 550.000 van de 200.000 werkzame personen stond niet ingeschreven in de BRP.", "contradicted", "verwisseld"),
        # a denial of the report's number
        ("Er woonden in 2023 geen 18.480 migranten in Haarlemmermeer.", "contradicted", "ontkenning"),
        # a number the report does not give about this
        ("In Haarlemmermeer wonen 3 miljoen olifanten.", "not_in_report", ""),
    ],
)
def test_claims_are_matched_by_frame(claim: str, status: str, reason_part: str) -> None:
    verdict = check(claim, FACTS, [], PROFILE, idf=IDF, nouns=NOUNS)
    assert verdict.status == status, verdict
    assert reason_part in verdict.reason, verdict.reason


def test_a_quoted_claim_with_an_opposite_or_another_group_is_a_swapped_term() -> None:
    def diff(*ops: tuple[str, str]) -> tuple[DiffOp, ...]:
        return tuple(DiffOp(op, text) for op, text in ops)  # type: ignore[arg-type]

    assert swapped_term(diff(("equal", "dat"), ("removed", "meer"), ("added", "minder"), ("equal", "plekken"))) == ("meer", "minder")
    assert swapped_term(diff(("added", "gezinsmigranten"), ("removed", "asielzoekers"))) == ("asielzoekers", "gezinsmigranten")
    assert swapped_term(diff(("removed", "twee"), ("added", "drie"))) is None  # a number: the fact check's business
    assert swapped_term(diff(("removed", "ruim"), ("added", "bijna"))) is None


# ------------------------------------------------------------------ compounds, levels, windows, names


def test_a_compound_counts_what_its_head_counts() -> None:
    from rekenqa.frames import compound_head

    assert compound_head("opvangplek", "plek")
    assert same_measure("opvangplek", "plek") and same_measure("plek", "opvangplek")
    assert not compound_head("plek", "plek")  # the same word is no compound
    assert not compound_head("opvangplek", "opvang")  # the first part is no head: an opvangplek is no opvang
    assert not compound_head("kaplek", "plek")  # too short a rest to be a word of its own


def test_the_municipalities_of_the_country_are_the_national_level() -> None:
    text = "In het voorjaar 2025 staan 122.080 Oekraïense ontheemden geregistreerd in Nederlandse gemeenten."
    assert frame(text, "122.080").place == "nederland"
    assert place_mismatch("haarlemmermeer", "nederland", PROFILE).startswith("deel vs totaal")
    assert frame("In onze gemeente staan 1.430 Oekraïense ontheemden ingeschreven.", "1.430").place == "haarlemmermeer"


def test_fact_subjects_hold_whole_words_only() -> None:
    """The window around a number is widened to whole words: no "dingswet" for "Spreidingswet"."""
    from rekenqa.facts import word_window

    sentence = ("Met de inwerkingtreding van de Spreidingswet is de gemeentelijke opgave van Haarlemmermeer voor het "
                "opvangen van asielzoekers gewijzigd van 607 naar 1015 plekken, waarvan 50 plekken voor minderjarigen.")
    facts = sentence_facts("r", sentence, 29, profile=PROFILE)
    words = {w for f in facts for w in f.subject}
    assert "spreidingswet" in words and "dingswet" not in words
    assert word_window("alpha beta gamma", 8, 9) == "beta"
    assert word_window("alpha beta", -5, 99) == "alpha beta"


def test_a_place_named_in_a_claim_is_matched_as_a_whole_word() -> None:
    from rekenqa.factcheck import _mentions

    assert not _mentions(["haarlem"], "In Haarlemmermeer worden 1.430 Oekraïners opgevangen.")
    assert _mentions(["haarlem"], "In Haarlem worden Oekraïners opgevangen.")
    assert _mentions(["haarlem"], "De Haarlemse opvang.")
    assert _mentions(["nieuw-vennep"], "De meeste wonen in Nieuw Vennep (660).")


# ------------------------------------------------------------------ the number lead


def _lead(question: str, *texts: str) -> str:
    from rekenqa.lead import pick
    from rekenqa.question import analyze
    from rekenqa.retrieve import Sentence
    from rekenqa.settings import Settings
    from rekenqa.types import Chunk

    chunk = Chunk(id="c-1", doc_id="r", text=" ".join(texts), first_page=48, last_page=48, page_starts=())
    sentences = [Sentence(t, chunk, i, 48, 1.0, 0.9, 0.5) for i, t in enumerate(texts)]
    chosen = pick(analyze(question, PROFILE, Settings().salient_zipf), sentences, PROFILE)
    return chosen.quantity.text if chosen else ""


def test_a_duration_never_answers_how_many_people() -> None:
    """"Hoeveel mensen …" is answered by a count; a sentence with only a duration gives no lead at all."""
    question = "Hoeveel mensen staan er nog op de wachtlijst voor inburgering?"
    assert _lead(question, "De wachttijd voor inburgering is gemiddeld 1 maand.") == ""
    assert _lead(question, "De wachttijd is 1 maand.", "Er staan nog 21 mensen op de wachtlijst.") == "21"
    # A question that asks for a duration still gets one.
    assert _lead("Hoeveel weken mogen asielzoekers per jaar werken?", "Asielzoekers mogen 24 weken per jaar werken.") == "24 weken"


# ------------------------------------------------------------------ claims without numbers: opposites, negation


@pytest.mark.parametrize(
    ("claim", "evidence", "said"),
    [
        ("De ondersteuning is voldoende.", "De ondersteuning is onvoldoende toegesneden op werk.", "onvoldoende"),
        ("De aanpak is onduidelijk.", "De aanpak is duidelijk beschreven.", "duidelijk"),
        ("Er is veel zicht op de inburgering.", "Er is weinig zicht op de inburgering.", "weinig"),
        ("Het aantal is gestegen.", "Het aantal is gedaald.", "gedaald"),
    ],
)
def test_an_opposite_word_of_the_report_contradicts(claim: str, evidence: str, said: str) -> None:
    assert opposite_word(claim, evidence) == said
    assert conflict(claim, evidence, PROFILE)[0].startswith(("tegengesteld", "omgekeerde"))


@pytest.mark.parametrize(
    ("claim", "evidence"),
    [
        ("Onze gemeente heeft voldoende opvangplekken.", "De gemeente heeft voldoende plekken, niet onvoldoende."),
        ("Het onderzoek is uitgevoerd door de Rekenkamer.", "Het onderzoek is uitgevoerd door BBSO."),  # "onderzoek" is no on-word
        ("Onze opvang is goed.", "De opvang in onze gemeente is goed geregeld."),  # "onze" is not the opposite of "ze"
    ],
)
def test_no_opposite_where_the_report_uses_the_claims_word(claim: str, evidence: str) -> None:
    assert opposite_word(claim, evidence) == ""


@pytest.mark.parametrize(
    ("claim", "evidence", "differs"),
    [
        # the negation of the claim's own statement decides
        ("Er is specifiek beleid voor studiemigranten.", "Er is geen specifiek beleid voor studiemigranten.", True),
        ("Bijna de helft is niet werkzaam via een uitzendbureau.", "Bijna de helft is werkzaam via een uitzendbureau.", True),
        # a negation in another statement of the report's sentence does not
        ("Het beleid wordt met name bepaald door de inspanningsverplichting voor de opvang.",
         "Het beleid wordt met name bepaald door de inspanningsverplichting voor de opvang; hierin is geen ruimte "
         "voor gemeentelijk beleid.", False),
        ("Er is geen wettelijke zorgplicht voor de kwaliteit van de particuliere opvang.",
         "Er is echter ook geen wettelijke zorgplicht of bevoegdheid ten aanzien van de kwaliteit van de "
         "particuliere opvang.", False),
        ("Asielzoekers doen vaak werk onder hun opleidingsniveau.",
         "Het werk ligt veelal beneden hun opleidingsniveau en sluit niet aan bij hun eerdere werk.", False),
        # a claim that denies a statement of a longer report sentence
        ("De gemeente heeft geen beleid voor de opvang.", "De gemeente heeft beleid voor de opvang, en het COA ook.", True),
    ],
)
def test_a_negation_is_read_against_the_statement_it_belongs_to(claim: str, evidence: str, differs: bool) -> None:
    assert negation_differs(claim, evidence) is differs


def test_a_claim_about_another_group_than_the_report_sentence_is_contradicted() -> None:
    reason, value = conflict(
        "Gemeenten moeten zorgen voor passende woonruimte voor gezinsmigranten.",
        "Gemeenten moeten volgens de wet- en regelgeving zorgen voor passende woonruimte voor statushouders.",
        PROFILE,
    )
    assert reason.startswith("andere groep") and value == "statushouders"
    # the same group, also when the report names another one beside it
    assert not conflict(
        "Gemeenten zorgen voor woonruimte voor statushouders.",
        "Gemeenten zorgen voor woonruimte voor statushouders, niet voor gezinsmigranten en arbeidsmigranten.",
        PROFILE,
        negation=False,
    )[0]


@pytest.mark.parametrize(
    ("claim", "measure"),
    [
        ("De werkloosheid onder arbeidsmigranten bedraagt 6 procent.", "werkloosheid"),
        ("De opvang van asielzoekers kost de gemeente jaarlijks 12 miljoen euro.", "opvang"),
        ("Het leefgeld voor een alleenstaande bedraagt in Haarlemmermeer zo'n 260 euro.", "leefgeld"),
        ("De taakstelling voor 2023 was 453 statushouders.", "taakstelling"),
        # a generic measure, a group as subject, or no copula before the number: nothing particular is stated
        ("Het aandeel migranten is 11,4 procent.", ""),
        ("De statushouders zijn met 437 personen.", ""),
        ("In 2019 woonden er 18.480 migranten.", ""),
        ("Er wonen 18.480 migranten, zegt de gemeente.", ""),
    ],
)
def test_the_measure_a_claim_states_for_its_number(claim: str, measure: str) -> None:
    number = next(q for q in find_numbers(claim) if q.kind not in ("year", "date", "period"))
    assert stated_measure(claim, number) == measure
