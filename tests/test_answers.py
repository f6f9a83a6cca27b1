"""Answers that follow the report's structure: parts, footnotes as footnotes, neighbours, whole lists,
numbered citations in report order, typo-tolerant questions; pure units first, then the real engine."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from rekenqa import answer as answering
from rekenqa import lead as leads
from rekenqa.context import Reading
from rekenqa.morphology import is_verb_form
from rekenqa.parts import line_parts, section_part
from rekenqa.question import analyze, intent_of
from rekenqa.retrieve import Sentence, is_question
from rekenqa.spelling import Vocabulary, correct
from rekenqa.types import Chunk, Profile

DATA = Path(__file__).parent / "data"


def chunk(cid: str, text: str, section: str = "DEEL 1 > 3 Asiel", kind: str = "text", page: int = 10) -> Chunk:
    return Chunk(cid, "r", text, page, page, section=section, kind=kind)  # type: ignore[arg-type]


# ----------------------------------------------------------------------------- parts


def test_section_names_its_part() -> None:
    assert section_part("DEEL 1 > 3 Asiel > 3.4 Aandachtspunten asielmigranten") == "aandachtspunten"
    assert section_part("DEEL 1 > 7 Conclusies inventarisatie") == "conclusies"
    assert section_part("Bijlage 1 Definities migratiemotieven") == "definities"
    assert section_part("Samenvatting") == "samenvatting"
    assert section_part("DEEL 1 > 2 Aard en omvang > 2.2 Migratie") == "body"
    # A part is named by a title's first word, not by a word inside it.
    assert section_part("DEEL 2 > 1 Asiel en werk als aandachtspunt") == "body"


def test_headings_inside_the_text_switch_the_part_across_passages() -> None:
    chunks = [
        chunk("a", "De tabel laat zien dat de gemeente haar taken oppakt.\nAandachtspunten voor beleid\nMigratie en beleid\n"
              "De Rekenkamer wijst op de volgende aandachtspunten:", section="Samenvatting"),
        chunk("f", "3 Een voetnoot.", section="Samenvatting", kind="footnotes"),
        chunk("b", "• een aandachtspunt is de huisvesting;\n• er is weinig zicht op arbeidsmigranten.\nAsiel en werk\n"
              "Bij asielzoekers is een sterke wens om te werken.", section="Samenvatting"),
    ]
    parts = line_parts(chunks)
    assert parts["a"] == ("samenvatting", "aandachtspunten", "aandachtspunten", "aandachtspunten")
    assert parts["f"] == ("voetnoot",)
    # The part continues onto the next passage; an unnumbered heading after running text ends it.
    assert parts["b"] == ("aandachtspunten", "aandachtspunten", "samenvatting", "samenvatting")


def test_numbered_heading_in_a_conclusions_chapter() -> None:
    chunks = [chunk("c", "Conclusies\n1. Cijfers over migratie\nEr wonen veel migranten.\n3. Aandachtspunten gemeentelijk beleid\n"
                    "Arbeidsmigranten\nEr is weinig zicht op hun huisvesting.", section="DEEL 1 > 7 Conclusies")]
    assert line_parts(chunks)["c"] == (
        "conclusies", "conclusies", "conclusies", "aandachtspunten", "aandachtspunten", "aandachtspunten"
    )


# ----------------------------------------------------------------------------- question intent


@pytest.mark.parametrize(
    ("question", "intent"),
    [
        ("Wat adviseert de rekenkamer over de huisvesting van statushouders?", "advies"),
        ("Welke aandachtspunten noemt de rekenkamer?", "advies"),
        ("Wat vindt de rekenkamer van de monitoring?", "conclusie"),
        ("Wat concludeert het rapport over studiemigranten?", "conclusie"),
        ("Wat is een statushouder?", "definitie"),
        ("Hoeveel migranten woonden er in 2023?", "aantal"),
        ("Hoe groot is de groep studiemigranten?", "aantal"),
        ("Mogen asielzoekers werken?", "janee"),
        ("Wat doet de gemeente aan huisvesting?", "beleid"),
    ],
)
def test_question_intent(question: str, intent: str) -> None:
    assert analyze(question, Profile(), 4.8).intent == intent


def test_intent_of_is_pure_on_folded_text() -> None:
    assert intent_of("welke aanbevelingen doet de rekenkamer?", "list", False) == "advies"
    assert intent_of("welke groepen zijn er?", "list", False) == "lijst"


# ----------------------------------------------------------------------------- words


def test_verb_forms_are_not_topic_words() -> None:
    for word in ("geholpen", "geregeld", "verdwijnt", "werkten", "afgewezen"):
        assert is_verb_form(word), word
    assert is_verb_form("dringen", "te") and not is_verb_form("dringen")
    for word in ("leerlingen", "wethouder", "contract", "basisscholen", "huur", "statushouders", "gemeente"):
        assert not is_verb_form(word), word
    # So a question's uncommon topic words leave its verbs out.
    info = analyze("Hoeveel asielzoekers zijn via de pilot aan een baan geholpen?", Profile(), 4.8)
    assert "geholpen" not in info.salient and "pilot" in info.salient


def test_typos_are_corrected_to_the_reports_words() -> None:
    vocabulary = Vocabulary(["Hoofddorp telt veel arbeidsmigranten. " * 6, "Wat wil de gemeente bereiken?", "Hoofdorp"])

    def known(word: str) -> bool:
        return word in {"hoeveel", "wonen", "eigenlijk", "criminaliteit"}

    assert correct("hoeveel arbeidsmigranten wonen in Hoofdorp", vocabulary, known).endswith("in Hoofddorp")
    assert correct("Wat wil de gemeente eigenlijk berieken?", vocabulary, known) == "Wat wil de gemeente eigenlijk bereiken?"
    # An ordinary Dutch word the report does not use stays as typed.
    assert correct("criminaliteit rond het azc", vocabulary, known) == "criminaliteit rond het azc"


def test_the_reports_own_questions_answer_nothing() -> None:
    assert is_question("2. op welke beleidsthema’s heeft migratie invloed?")
    assert not is_question("Er is geen specifiek beleid voor studiemigranten.")


# ----------------------------------------------------------------------------- neighbours and lists


def test_reading_leans_back_and_brings_whole_lists() -> None:
    chunks = [
        chunk("a", "De gemeente heeft een taakstelling.\nDit betekent dat er woningen nodig zijn.\n"
              "De Rekenkamer wijst op de volgende aandachtspunten:\n• de opvang van asielzoekers;"),
        chunk("fn", "3 Een voetnoot.", kind="footnotes"),
        chunk("b", "• de opvang van asielzoekers;\n• de huisvesting van statushouders.\nEen nieuw onderwerp begint hier.\n"
              "Asiel en werk\nNog een zin."),
    ]
    reading = Reading(chunks)
    before = reading.leans_back("a", 1)
    assert before is not None and before.text == "De gemeente heeft een taakstelling."
    assert reading.leans_back("a", 0) is None
    items = [line.text for line in reading.list_after("a", 2)]
    # The overlap line is read once; the list ends one line after its last bullet.
    assert items == ["• de opvang van asielzoekers;", "• de huisvesting van statushouders.", "Een nieuw onderwerp begint hier."]
    assert reading.list_after("a", 0) == []


def sentence(c: Chunk, line: int, score: float, page: int | None = None) -> Sentence:
    return Sentence(c.text.split("\n")[line], c, line, page or c.first_page, score, score, 0.5)


def test_footnotes_are_cited_as_footnotes_in_report_order() -> None:
    body = chunk("b", "Een statushouder krijgt een woning.\nDe gemeente zoekt woonruimte.", page=30)
    notes = chunk("n", "32 Op het moment dat een asielzoeker een vergunning krijgt, koppelt het COA hem aan een gemeente.",
                  kind="footnotes", page=29)
    info = analyze("Wat is een statushouder?", Profile(), 4.8)
    chosen = (sentence(notes, 0, 1.2), sentence(body, 1, 1.1), sentence(body, 0, 1.0))
    cites = answering.cite(info, chosen, order=lambda s: (s.page, s.line))
    assert [c.number for c in cites] == [1, 2, 3]
    # Running text first in the report's order, the footnote after it, its marker number taken off the quote.
    assert [c.quote for c in cites[:2]] == ["Een statushouder krijgt een woning.", "De gemeente zoekt woonruimte."]
    assert cites[2].footnote == 32 and cites[2].quote.startswith("Op het moment")
    assert cites[2].label == "voetnoot 32 (p. 29)"
    assert answering.citation_line(cites[2]) == f"[3] voetnoot 32 (p. 29): “{cites[2].quote}”"


def test_a_sentence_the_report_repeats_verbatim_names_its_other_pages() -> None:
    chapter = chunk("c", "Onder gezinshereniging wordt de vestiging van gezinsleden verstaan.", page=36)
    appendix = chunk("d", "Onder gezinshereniging wordt de vestiging van gezinsleden verstaan.\nEen ander begrip.", page=95)
    notes = chunk("n", "37 Onder gezinshereniging wordt de vestiging van gezinsleden verstaan.", kind="footnotes", page=36)
    info = analyze("Wat is gezinshereniging?", Profile(), 4.8)
    scored = [sentence(appendix, 0, 1.2), sentence(chapter, 0, 1.1), sentence(appendix, 1, 0.9), sentence(notes, 0, 0.8)]
    cites = answering.cite(info, scored[:1], restated=scored)
    assert [(c.first_page, c.also) for c in cites] == [(95, (36,))]
    assert cites[0].label == "p. 95; ook p. 36" and cites[0].cited_pages == (95, 36)
    assert answering.citation_line(cites[0]).endswith("(p. 95; ook p. 36)")
    # A sentence the report states once names only its page.
    assert answering.cite(info, scored[2:3], restated=scored)[0].also == ()
    # A list bullet or the closing punctuation does not make another sentence.
    assert answering.repeat_key("• Gezinsmigratie: migratie rondom gezinsvorming") == answering.repeat_key(
        "Gezinsmigratie: migratie rondom gezinsvorming."
    )
    # The engine's repeats cover the whole document, not only the scored sentences.
    whole = answering.cite(info, scored[:1], repeats=lambda s: {95, 36, 40})
    assert whole[0].also == (36, 40)


@pytest.mark.model
def test_a_definition_repeated_in_the_appendix_cites_both_pages(real_engine) -> None:
    # The appendix (p. 95) repeats the chapter's definition (p. 36) word for word.
    answer = real_engine.ask("Wat betekent gezinshereniging volgens het rapport?")
    pages = {p for c in answer.citations for p in c.cited_pages}
    assert {36, 95} <= pages, answer.text
    assert "ook p. 36" in answer.text or "ook p. 95" in answer.text


def test_a_footnote_answers_only_when_the_running_text_does_not() -> None:
    body = chunk("b", "De gemeente huisvestte 88 statushouders in 2024.")
    notes = chunk("n", "40 Bron: jaarverslag gemeente 2024 over de huisvesting van statushouders.", kind="footnotes")
    info = analyze("Hoeveel statushouders huisvestte de gemeente in 2024?", Profile(), 4.8)
    close = [sentence(notes, 0, 1.20), sentence(body, 0, 1.15)]
    assert [s.chunk.id for s in answering.body_first(info, close, 0.08)] == ["b"]
    far = [sentence(notes, 0, 1.30), sentence(body, 0, 1.15)]
    assert [s.chunk.id for s in answering.body_first(info, far, 0.08)] == ["n", "b"]
    source = analyze("Welke bron noemt het rapport voor de huisvesting?", Profile(), 4.8)
    assert [s.chunk.id for s in answering.body_first(source, close, 0.08)] == ["n", "b"]


def test_an_amount_question_without_a_fitting_number_is_refused() -> None:
    body = chunk("b", "Volgens de monitor 2010-2022 woonden in 2022 14.250 arbeidsmigranten in de gemeente.")
    for question, answered in (
        ("Hoeveel arbeidsmigranten woonden er in 2010 in de gemeente?", False),  # the number is of 2022
        ("Hoeveel arbeidsmigranten woonden er in 2022 in de gemeente?", True),
    ):
        info = analyze(question, Profile(), 4.8)
        answer = answering.compose(question, info, [], [sentence(body, 0, 1.0)], threshold=0.5)
        assert answer.answered is answered, question
        assert ("14.250" in answer.lead) is answered
        # The refusal says why: the report discusses the subject, but gives no number that fits.
        assert (answer.notes == (answering.NO_FITTING_AMOUNT,)) is not answered
        assert (answering.NO_FITTING_AMOUNT in answer.text) is not answered
    # A question the report is not close to gets the plain refusal, without that note.
    info = analyze("Hoeveel arbeidsmigranten woonden er in 2010 in de gemeente?", Profile(), 4.8)
    far = answering.compose("v", info, [], [sentence(body, 0, 0.2)], threshold=0.5)
    assert not far.answered and far.notes == () and far.text == answering.REFUSAL
    # A sentence about the subject that holds no amount at all does not answer "Hoe hoog …?" either.
    dated = chunk("d", "Sinds 1 juli 2024 betalen werkende ontheemden een eigen bijdrage voor de opvang.")
    question = "Hoe hoog is de eigen bijdrage van werkende ontheemden?"
    info = analyze(question, Profile(), 4.8)
    assert not answering.compose(question, info, [], [sentence(dated, 0, 1.0)], threshold=0.5).answered


def test_a_question_for_a_persons_name_needs_a_sentence_that_names_one() -> None:
    role = chunk("r", "De wethouder van Wonen is verantwoordelijk voor de opvang van ontheemden.")
    named = chunk("n", "Wethouder Jansen is verantwoordelijk voor de opvang van ontheemden.")
    question = "Welke wethouder gaat over de opvang van ontheemden?"
    info = analyze(question, Profile(), 4.8)
    refused = answering.compose(question, info, [], [sentence(role, 0, 1.0)], threshold=0.5)
    assert not refused.answered and refused.notes == (answering.NO_PERSON_NAMED,)
    assert answering.compose(question, info, [], [sentence(named, 0, 1.0)], threshold=0.5).answered
    # Who is responsible (an organisation) is no question for a name.
    other = "Wie is verantwoordelijk voor de opvang van ontheemden?"
    info = analyze(other, Profile(), 4.8)
    assert answering.compose(other, info, [], [sentence(role, 0, 1.0)], threshold=0.5).answered


@pytest.mark.model
def test_the_report_names_no_alderman(real_engine) -> None:
    answer = real_engine.ask("Wie is de wethouder die over de opvang van asielzoekers gaat?")
    assert not answer.answered and answer.text.startswith(answering.REFUSAL)
    assert answer.notes == (answering.NO_PERSON_NAMED,)
    assert "Dichtstbijzijnde passages" in answer.text


@pytest.mark.parametrize(
    ("question", "asks"),
    [
        ("Hoeveel statushouders zijn gehuisvest?", True),
        ("En hoeveel waren het er in 2019?", True),
        ("Hoe hoog is de eigen bijdrage?", True),
        ("Wat kost de opvang per jaar?", True),
        ("Wat is het aandeel gezinsmigranten?", True),
        ("Klopt het dat het aandeel migranten hoger is dan gemiddeld?", False),
        ("Hoe verhoudt het aandeel gezinsmigranten zich tot Nederland?", False),
        ("Onder welk deel van de gemeente valt het beleid?", False),
    ],
)
def test_which_questions_ask_for_an_amount(question: str, asks: bool) -> None:
    assert leads.asks_amount(analyze(question, Profile(), 4.8)) is asks


# ----------------------------------------------------------------------------- the real engine

GLUED = re.compile(r"“\d{1,3} [A-Z]")  # a quote that starts with a footnote's number: “32 Op het moment …


@pytest.mark.model
def test_list_question_gets_the_whole_list(real_engine) -> None:
    answer = real_engine.ask("Welke aandachtspunten noemt de rekenkamer?")
    assert answer.answered
    bullets = [c for c in answer.citations if (c.quote or "").startswith("•")]
    assert len(bullets) >= 6, answer.text
    assert {8, 9} <= {c.first_page for c in bullets}
    assert [c.number for c in answer.citations] == list(range(1, len(answer.citations) + 1))


@pytest.mark.model
def test_a_list_intro_brings_its_items_for_a_number_question(real_engine) -> None:
    # "De huidige capaciteit … over de drie locaties in Haarlemmermeer is:" answers nothing on its own.
    answer = real_engine.ask("Hoeveel opvangplekken zijn er in de huidige capaciteit in Haarlemmermeer?")
    intro = next(c for c in answer.citations if c.quote.rstrip().endswith("is:"))
    items = [c for c in answer.citations if c.context and c.first_page == intro.first_page]
    assert any("Rijksweg A4 430" in c.quote for c in items), answer.text
    assert "430" in answer.text


@pytest.mark.model
def test_definition_cites_footnote_as_footnote(real_engine) -> None:
    answer = real_engine.ask("Wat is een statushouder?")
    assert answer.answered and not GLUED.search(answer.text)
    notes = [c for c in answer.citations if c.footnote]
    assert any(c.footnote == 2 and c.first_page == 6 and c.quote.startswith("Een statushouder is") for c in notes)
    assert "voetnoot 2 (p. 6)" in answer.text


@pytest.mark.model
def test_advice_comes_from_the_aandachtspunten(real_engine) -> None:
    answer = real_engine.ask("Wat adviseert de rekenkamer over de huisvesting van statushouders?")
    assert answer.answered
    assert any(c.part == "aandachtspunten" for c in answer.citations), answer.text
    assert not any((c.quote or "").strip().startswith("1. Huisvesting") for c in answer.citations)


@pytest.mark.model
def test_typo_in_a_place_name_still_answers(real_engine) -> None:
    answer = real_engine.ask("hoeveel arbeidsmigranten wonen in Hoofdorp")
    assert answer.answered and "1.870" in answer.text


@pytest.mark.model
def test_no_answer_quotes_a_footnote_with_its_marker_glued(real_engine) -> None:
    questions = [json.loads(line)["question"] for name in ("qa_council.jsonl", "qa_dev.jsonl")
                 for line in (DATA / name).read_text(encoding="utf-8").splitlines() if line.strip()]
    glued = [q for q in questions if GLUED.search(real_engine.ask(q).text)]
    assert glued == []
