"""Question analysis and the sentence-level helpers that depend on it (no model needed)."""

from __future__ import annotations

from pathlib import Path

import pytest

from rekenqa import question as q
from rekenqa.answer import _has_amount
from rekenqa.errors import CorpusInvalid
from rekenqa.load import read_profile
from rekenqa.retrieve import Sentence, _national_only, is_conclusion, is_definition, is_heading
from rekenqa.settings import Settings
from rekenqa.types import Chunk, Profile

CORPUS = Path(__file__).resolve().parents[1] / "corpus"
PROFILE = read_profile(CORPUS, "migratie-in-haarlemmermeer-2025.txt")
ZIPF = Settings().salient_zipf


def analyze(text: str, profile: Profile = PROFILE) -> q.QuestionInfo:
    return q.analyze(text, profile, ZIPF)


def chunk(section: str = "DEEL 1 > 3 Asielmigratie", kind: str = "text") -> Chunk:
    return Chunk(id="c", doc_id="d", text="Tekst.", first_page=1, last_page=1, section=section, kind=kind)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "text",
    [
        "Wat concludeert de rekenkamer over het zicht op arbeidsmigranten?",
        "Wat is de eindconclusie over de pilot?",
        "Wat is het oordeel over de huisvesting van statushouders?",
        "Voldoet Haarlemmermeer aan de taakstelling?",
        "Heeft de gemeente een visie op nieuwkomers?",
        "Weet het college hoe het met de inburgering gaat?",
    ],
)
def test_judgement_questions(text: str) -> None:
    assert analyze(text).judgement


@pytest.mark.parametrize(
    "text",
    [
        "Hoeveel asielzoekers wonen in de gemeente?",
        "Wat doet de gemeente voor arbeidsmigranten?",
        "Krijgen statushouders voorrang op een huurwoning?",
        "Welke taken heeft de gemeente?",
    ],
)
def test_fact_questions_are_not_judgements(text: str) -> None:
    assert not analyze(text).judgement


def test_quarter_is_not_a_name() -> None:
    info = analyze("Hoeveel inburgeraars volgden in Q3 2024 de B1-route?")
    assert info.quarters == ("2024-Q3",)
    assert info.names == ("b1",)


def test_ukrainian_refugees_are_ukrainians_not_asylum_seekers() -> None:
    assert analyze("Hoeveel Oekraïense vluchtelingen vangt de gemeente op?").groups == ("oekrainers",)
    both = analyze("Hoeveel asielzoekers en Oekraïense vluchtelingen zijn er?").groups
    assert set(both) == {"asielzoekers", "oekrainers"}
    assert analyze("Hoeveel vluchtelingen kwamen er?").groups == ("asielzoekers",)


def test_frame_words_are_not_topic_words() -> None:
    assert "verstaat" not in analyze("Wat verstaat het rapport onder een statushouder?").salient
    assert "eindconclusie" not in analyze("Wat is de eindconclusie over de pilot asiel?").salient
    assert "godsdienst" in analyze("Wat is de godsdienst van migranten?").salient


def test_condition_questions_are_definitions() -> None:
    assert analyze("Wanneer telt iemand in dit onderzoek als migrant?").answer_type == "definition"
    assert analyze("Wie geldt als statushouder?").answer_type == "definition"
    assert analyze("Wanneer is de pilot gestopt?").answer_type == "date"
    assert analyze("Wat wordt in het rapport bedoeld met gezinsmigratie?").answer_type == "definition"


@pytest.mark.parametrize(
    ("line", "heading"),
    [
        ("5 Conclusies asiel en werk", True),
        ("Aanpak pilot asiel en werk Haarlemmermeer", True),
        ("De gemeentelijke pilot is na 1 november 2024 niet meer verlengd.", False),
        ("en de gemeente heeft geen zicht op de groep", False),
        ("De huidige capaciteit aan opvangplekken over de drie locaties is:", False),
        ("• Arbeid en toezicht: er zijn weinig gevallen bekend", False),
        ("Een lange regel zonder punt aan het eind die toch meer dan tien woorden telt", False),
        ("Grafiek 1 Migratiemotief (% van totaal aantal migranten in Haarlemmermeer, 2023)", True),
        ("Tabel 4 Aantal inburgeraars Haarlemmermeer", True),
        ("Tabel 4 laat zien dat het aantal inburgeraars stijgt.", False),
    ],
)
def test_is_heading(line: str, heading: bool) -> None:
    assert is_heading(line) is heading


def test_conclusion_and_definition_sections() -> None:
    assert is_conclusion(chunk("DEEL 1 > 7 Conclusies inventarisatie migratie"))
    assert is_conclusion(chunk("DEEL 1 > 2 Aard en omvang > 2.4 Conclusie"))
    assert not is_conclusion(chunk("Samenvatting"))
    assert is_definition(chunk("Bijlage 1 Definities migratiemotieven"))
    assert is_definition(chunk("DEEL 1 > 4 Statushouders", kind="footnotes"))
    assert not is_definition(chunk("DEEL 1 > 4 Statushouders"))


def test_national_sentences_are_those_naming_no_local_place() -> None:
    national = "In Nederland worden de meeste Oekraïense ontheemden opgevangen in gemeentelijke opvang (80%)."
    assert _national_only(national, PROFILE.local_names)
    assert not _national_only("In Haarlemmermeer en in Nederland stijgt het aantal.", PROFILE.local_names)
    assert not _national_only("Landelijk en in Nieuw-Vennep stijgt het aantal.", PROFILE.local_names)
    assert _national_only("Landelijk en in Nieuw-Vennep stijgt het aantal.", ())


def test_the_profile_holds_the_reports_places_and_groups() -> None:
    info = analyze("Hoeveel statushouders wonen er in Hoofddorp?")
    assert info.places == ("hoofddorp",) and info.groups == ("statushouders",)
    assert info.stems("statushouders") == ("statushouder", "vergunninghouder")
    bare = analyze("Hoeveel statushouders wonen er in Hoofddorp?", Profile())
    assert bare.places == () and bare.groups == () and bare.names == ("hoofddorp",)
    # The audited body makes a yes/no question a judgement only through the profile.
    assert analyze("Voldoet Haarlemmermeer aan de taakstelling?").judgement
    assert not analyze("Voldoet Haarlemmermeer aan de taakstelling?", Profile()).judgement


def test_salient_threshold_is_a_setting() -> None:
    assert "migranten" in q.analyze("Hoeveel migranten zijn er?", PROFILE, 7.0).salient
    assert "migranten" not in q.analyze("Hoeveel migranten zijn er?", PROFILE, 1.0).salient


def test_followups_use_the_profile_groups() -> None:
    assert q.is_followup("Hoeveel daarvan?", PROFILE)
    assert q.contextualize("En in 2019?", ["Hoeveel migranten woonden er in 2023?"], PROFILE) == (
        "Hoeveel migranten woonden er in 2019?"
    )
    # "zij" leans on the previous question unless it names a group of its own.
    assert not q.is_followup("Waar wonen zij statushouders?", PROFILE)
    assert q.is_followup("Waar wonen zij statushouders?", Profile())


def _sentence(text: str, kind: str = "text") -> Sentence:
    return Sentence(text, chunk("DEEL 1 > 3 Asielmigratie", kind=kind), 0, 1, 1.0, 1.0, 0.0)


def test_number_and_money_questions_need_an_amount() -> None:
    money = analyze("Wat kost de opvang van asielzoekers per jaar?")
    assert money.answer_type == "money"
    assert not _has_amount(money, [_sentence("De opgave ligt op 1015 plekken.")])
    assert _has_amount(money, [_sentence("De opvang kost de gemeente € 2,4 miljoen per jaar.")])
    count = analyze("Hoeveel arbeidsmigranten zijn dakloos geraakt?")
    assert not _has_amount(count, [_sentence("82 Celant, M., 2024. Arbeidsmigranten in beeld.", kind="footnotes")])
    assert _has_amount(count, [_sentence("Uiteindelijk zijn negen asielzoekers naar banen bemiddeld.")])
    assert _has_amount(count, [_sentence("In 2023 woonden er 4.025 arbeidsmigranten.")])
    # Other question types are not held to an amount.
    assert _has_amount(analyze("Wat doet de gemeente voor statushouders?"), [_sentence("Er is begeleiding.")])


def test_profile_group_words_equal_the_quote_checkers_list() -> None:
    from rekenqa.quotes import GROUP_WORDS

    # quotes.py still keeps its own copy; the profile carries the same words so it can switch to them.
    assert set(PROFILE.group_words) == GROUP_WORDS and len(PROFILE.group_words) == len(GROUP_WORDS)


def test_a_report_without_profile_gets_an_empty_one(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("tekst", encoding="utf-8")
    assert read_profile(tmp_path, "a.txt") == Profile()
    (tmp_path / "a.txt.meta.json").write_text('{"id": "a"}', encoding="utf-8")
    assert read_profile(tmp_path, "a.txt") == Profile()


@pytest.mark.parametrize(
    ("profile", "message"),
    [
        ('{"plaatsen": ["a"]}', "onbekende profielvelden: plaatsen"),
        ('{"places": "hoofddorp"}', "profile.places moet een lijst van teksten zijn"),
        ('{"groups": ["asiel"]}', "profile.groups moet een JSON-object zijn"),
        ('{"group_overlaps": [{"group": "a"}]}', "profile.group_overlaps moet een lijst"),
        ('["a"]', "profile moet een JSON-object zijn"),
    ],
)
def test_a_bad_profile_is_refused(tmp_path: Path, profile: str, message: str) -> None:
    (tmp_path / "a.txt").write_text("tekst", encoding="utf-8")
    (tmp_path / "a.txt.meta.json").write_text(f'{{"id": "a", "profile": {profile}}}', encoding="utf-8")
    with pytest.raises(CorpusInvalid, match=message):
        read_profile(tmp_path, "a.txt")
