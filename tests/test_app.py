"""The Streamlit app, driven headless with streamlit.testing (real report, real embedder, real index)."""

from __future__ import annotations

import re

import pytest
from streamlit.testing.v1 import AppTest

from rekenqa.render import TAB_BEWERING, TAB_CITAAT, TAB_RAPPORT, TAB_VRAAG, TABS, md_escape
from rekenqa.settings import PROJECT_ROOT

APP = PROJECT_ROOT / "app.py"
CITATION = "Rekenkamer Haarlemmermeer (2025), Migratie in Haarlemmermeer, p"
REFUSAL = "Het rapport geeft hierover geen informatie."


# ----------------------------------------------------------------------------- helpers


@pytest.fixture
def app_env(real_engine, real_settings, monkeypatch: pytest.MonkeyPatch):
    """Point the app at the session's real index (built once by ``real_engine``)."""
    monkeypatch.setenv("REKENQA_INDEX_DIR", str(real_settings.index_dir))
    monkeypatch.setenv("REKENQA_CORPUS_DIR", str(real_settings.corpus_dir))
    monkeypatch.setenv("REKENQA_CACHE_DIR", str(real_settings.cache_dir))
    return real_engine


def start(select: str | None = None, **query: str) -> AppTest:
    """A fresh session; ``select`` picks a tab label, ``query`` are URL query parameters."""
    at = AppTest.from_file(str(APP), default_timeout=120)
    if select:
        at.session_state["tab"] = select
    for name, value in query.items():
        at.query_params[name] = value
    at.run()
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    return at


def url_values(at: AppTest, name: str) -> list[str]:
    """The values of a query parameter (AppTest gives one value as a string, several as a list)."""
    value = at.query_params.get(name)
    return [] if value is None else [value] if isinstance(value, str) else list(value)


def markdown_text(at: AppTest) -> str:
    return "\n".join(m.value for m in at.markdown)


PAGE_LABEL = re.compile(r"(?:\[\d+\] )?(?:vn\. \d+, )?p\\?\. (\d+)(?:-\d+)?")  # the label is Markdown: "p\\. 17"


def page_buttons(at: AppTest) -> list:
    """Buttons that open a page: "p. 17", a numbered citation "[1] p. 17" or a footnote "[2] vn. 32, p. 33"."""
    return [b for b in at.button if PAGE_LABEL.fullmatch(b.label or "")]


def button_page(button: object) -> int:
    match = PAGE_LABEL.fullmatch(getattr(button, "label", "") or "")
    assert match, button
    return int(match.group(1))


def viewer_page(at: AppTest) -> int | None:
    found = [int(m) for m in re.findall(r"^#### Pagina (\d+)$", markdown_text(at), flags=re.MULTILINE)]
    return found[0] if found else None


# ----------------------------------------------------------------------------- safety (no model)


def test_app_never_renders_raw_html() -> None:
    assert "unsafe_allow_html=True" not in APP.read_text(encoding="utf-8")


# ----------------------------------------------------------------------------- start


@pytest.mark.model
def test_start_shows_sidebar_and_tabs(app_env) -> None:
    at = start()
    assert [t.label for t in at.tabs] == list(TABS)
    sidebar = "\n".join(m.value for m in at.sidebar.markdown)
    assert "Geïndexeerde documenten" in sidebar and "Zoekmodel" in sidebar
    assert any("Hulp" in e.label for e in at.sidebar.expander)


@pytest.mark.model
def test_engine_error_is_a_dutch_message(real_engine, tmp_path, monkeypatch) -> None:
    from rekenqa.errors import CorpusInvalid
    from rekenqa.pipeline import Engine

    def fail(*args, **kwargs):
        raise CorpusInvalid("Geen documenten gevonden in corpus/.", hint="Zet het rapport in corpus/.")

    monkeypatch.setenv("REKENQA_INDEX_DIR", str(tmp_path / "elders"))
    monkeypatch.setattr(Engine, "open", classmethod(lambda cls, *a, **k: fail()))
    at = AppTest.from_file(str(APP), default_timeout=120).run()
    assert not at.exception
    assert at.error and "Geen documenten gevonden" in at.error[0].value


@pytest.mark.model
def test_first_start_reports_progress(real_engine, tmp_path, monkeypatch) -> None:
    from rekenqa.pipeline import Engine

    calls: list[tuple[float, str]] = []

    def fake_open(cls, settings=None, *, progress=None, **kwargs):
        for fraction, message in ((0.0, "Documenten lezen"), (0.5, "Zinnen insluiten"), (1.0, "Klaar")):
            calls.append((fraction, message))
            progress(fraction, message)
        return real_engine

    monkeypatch.setenv("REKENQA_INDEX_DIR", str(tmp_path / "nieuw"))
    monkeypatch.setattr(Engine, "open", classmethod(fake_open))
    at = AppTest.from_file(str(APP), default_timeout=120).run()
    assert not at.exception and not at.error
    assert [m for _, m in calls] == ["Documenten lezen", "Zinnen insluiten", "Klaar"]
    # The progress bar is gone once the engine is open; a second session reuses the engine.
    assert len(at.tabs) == 4
    calls.clear()
    AppTest.from_file(str(APP), default_timeout=120).run()
    assert calls == []


# ----------------------------------------------------------------------------- vraag het rapport


@pytest.mark.model
def test_question_with_citations_viewer_and_follow_up(app_env) -> None:
    at = start()
    at.chat_input(key="chat_input").set_value("Hoeveel migranten woonden er in 2023 in Haarlemmermeer?").run()
    assert not at.exception and not at.error
    buttons = page_buttons(at)
    assert buttons, "no page citation shown"
    assert any(c.value.startswith(CITATION) for c in at.code)
    assert at.get("download_button")
    # The answer quotes the report.
    assert "“" in markdown_text(at)

    # Clicking a citation opens the page beside the answer, with the cited sentence highlighted.
    page = button_page(buttons[0])
    buttons[0].click().run()
    assert not at.exception and not at.error
    assert viewer_page(at) == page
    assert ":orange-background[" in markdown_text(at)
    at.button(key="viewer_next_side").click().run()
    assert viewer_page(at) == page + 1
    at.button(key="viewer_prev_side").click().run()
    assert viewer_page(at) == page
    at.button(key="viewer_close_side").click().run()
    assert viewer_page(at) is None

    # A follow-up question uses the history; both turns stay visible.
    at.chat_input(key="chat_input").set_value("En in 2019?").run()
    assert not at.exception and not at.error
    assert len([m for m in at.chat_message if m.name == "assistant"]) == 2


@pytest.mark.model
def test_refused_question_shows_refusal_and_nearest_passages(app_env) -> None:
    at = start()
    at.chat_input(key="chat_input").set_value("Wat vindt de burgemeester van voetbal?").run()
    assert not at.exception and not at.error
    assert any(REFUSAL in w.value for w in at.warning)
    assert "Dichtstbijzijnde passages" in markdown_text(at)
    near = page_buttons(at)
    assert near, "the nearest passages have no page buttons"
    near[0].click().run()
    assert not at.exception and viewer_page(at) == button_page(near[0])


@pytest.mark.model
def test_a_refusal_says_why_when_the_report_discusses_the_subject(app_env) -> None:
    at = start()
    at.chat_input(key="chat_input").set_value("Welke wethouder is verantwoordelijk voor de opvang van asielzoekers?").run()
    assert not at.exception and not at.error
    assert any(REFUSAL in w.value for w in at.warning)
    assert any("noemt geen namen van personen" in c.value for c in at.caption)
    assert "Dichtstbijzijnde passages" in markdown_text(at)


@pytest.mark.model
@pytest.mark.parametrize("question", ["   ", "?!"])
def test_empty_question_is_a_dutch_error(app_env, question: str) -> None:
    at = start()
    at.chat_input(key="chat_input").set_value(question).run()
    assert not at.exception
    assert at.error and ("Lege vraag" if not question.strip() else "geen woorden") in at.error[0].value
    assert not at.chat_message


@pytest.mark.model
def test_user_text_is_escaped_in_the_chat(app_env) -> None:
    at = start()
    question = "<b>Hoeveel</b> **statushouders** :red[kwamen] er in 2024?"
    at.chat_input(key="chat_input").set_value(question).run()
    assert not at.exception
    user = [m for m in at.chat_message if m.name == "user"][0]
    assert user.markdown[0].value == md_escape(question)


@pytest.mark.model
def test_example_question_and_new_conversation(app_env) -> None:
    at = start()
    at.button(key="example_0").click().run()
    assert not at.exception and not at.error
    assert len(at.chat_message) == 2
    assert url_values(at, "v") == [at.chat_message[0].markdown[0].value.replace("\\", "")]
    # "Nieuw gesprek" asks first: the wiping button sits in a popover that says what will be lost.
    popover = [p for p in at.get("popover") if p.proto.popover.label == "Nieuw gesprek"]
    assert popover and any("wissen?" in m.value for m in popover[0].markdown)
    assert at.button(key="chat_reset") in popover[0].button
    at.button(key="chat_reset").click().run()
    assert not at.chat_message
    assert "v" not in at.query_params


@pytest.mark.model
def test_chat_survives_a_reload(app_env) -> None:
    """The questions are kept in the address: a new session with that address asks them again, in order."""
    first = start()
    for question in ("Hoeveel migranten woonden er in 2023 in Haarlemmermeer?", "En in 2019?"):
        first.chat_input(key="chat_input").set_value(question).run()
    kept = url_values(first, "v")
    assert kept == ["Hoeveel migranten woonden er in 2023 in Haarlemmermeer?", "En in 2019?"]
    answers = [m.markdown[0].value for m in first.chat_message if m.name == "assistant"]

    at = AppTest.from_file(str(APP), default_timeout=120)
    at.query_params["tab"] = "vraag"
    at.query_params["v"] = kept
    at.run()
    assert not at.exception and not at.error
    assert [m.markdown[0].value for m in at.chat_message if m.name == "user"] == [md_escape(q) for q in kept]
    # The follow-up is asked with its history again: the same answers as before the reload.
    assert [m.markdown[0].value for m in at.chat_message if m.name == "assistant"] == answers
    labels = [b.label for b in at.get("download_button")]
    assert "Gesprek als Markdown" in labels and "Gesprek om af te drukken (HTML)" in labels


@pytest.mark.model
def test_viewer_has_two_places_and_stays_in_its_tab(app_env) -> None:
    """Beside the answer (wide screens) and below the clicked citation (narrow): both carry the same page; the
    viewer of the chat does not show under another tab; citation buttons get accessible names."""
    at = start()
    at.chat_input(key="chat_input").set_value("Hoeveel migranten woonden er in 2023 in Haarlemmermeer?").run()
    buttons = page_buttons(at)
    buttons[0].click().run()
    pages = re.findall(r"^#### Pagina (\d+)$", markdown_text(at), flags=re.MULTILINE)
    assert pages == [str(button_page(buttons[0]))] * 2
    assert at.button(key="viewer_close_inline") and at.button(key="viewer_close_side")
    names = at.session_state["_aria"]
    assert names[buttons[0].key].startswith(f"Open pagina {button_page(buttons[0])}: ")
    at.session_state["tab"] = TAB_BEWERING
    at.run()
    assert viewer_page(at) is None


# ----------------------------------------------------------------------------- check een bewering


@pytest.mark.model
def test_claim_supported(app_env) -> None:
    at = start(TAB_BEWERING)
    at.text_input(key="claim_text").set_value("Haarlemmermeer had in 2023 ruim 160.000 inwoners.")
    at.button[[b.label for b in at.button].index("Controleer bewering")].click().run()
    assert not at.exception and not at.error
    text = markdown_text(at)
    assert re.search(r":green-background\[:green\[[^\]]*klopt\]", text), text
    assert "Waarde in het rapport" in text
    assert page_buttons(at)
    page_buttons(at)[0].click().run()
    assert not at.exception and viewer_page(at) == 17
    assert at.session_state["tab"] == TAB_BEWERING


@pytest.mark.model
def test_claim_empty_is_a_dutch_error(app_env) -> None:
    at = start(TAB_BEWERING)
    at.button[[b.label for b in at.button].index("Controleer bewering")].click().run()
    assert not at.exception
    assert at.error and "Lege bewering" in at.error[0].value


@pytest.mark.model
def test_speech_batch_table(app_env) -> None:
    speech = (
        "Voorzitter, dank u wel. Haarlemmermeer had in 2023 ruim 160.000 inwoners. "
        "Migranten vormen 30 procent van de inwoners. Ik vind dat we moeten investeren."
    )
    at = start(tab="bewering", tekst=speech)
    chips = [m.value for m in at.markdown if re.fullmatch(r":(green|red|gray)-badge\[[^\]]+\]", m.value)]
    assert len(chips) >= 2, "one verdict chip per checked claim"
    assert {re.sub(r".*\[(.*)\]", r"\1", c) for c in chips} <= {"klopt", "klopt niet", "staat niet in het rapport"}
    # Details inline: each row has its evidence below it, and page buttons that open the viewer.
    assert any(e.label == "Wat het rapport zegt" for e in at.expander)
    pages = [b for b in at.button if re.fullmatch(r"speech_\d+_page_\d+", b.key or "")]
    assert pages
    pages[0].click().run()
    assert viewer_page(at) == button_page(pages[0])
    # The filter: only the claims that do not hold.
    pills = next(g for g in at.get("button_group") if g.key == "speech_filter")
    shown = len(chips)
    pills.set_value(["contradicted"]).run()
    chips_after = [m.value for m in at.markdown if re.fullmatch(r":(green|red|gray)-badge\[[^\]]+\]", m.value)]
    assert chips_after and len(chips_after) < shown and all(c.startswith(":red-badge") for c in chips_after)
    labels = [b.label for b in at.get("download_button")]
    assert "Download als CSV" in labels and "Download als Markdown" in labels


# ----------------------------------------------------------------------------- check een citaat


@pytest.mark.model
def test_quote_exact(app_env) -> None:
    at = start(TAB_CITAAT)
    at.text_area(key="quote_text").set_value("Migranten vormen daarmee 11,4 procent van de inwoners")
    at.button(key="quote_button").click().run()
    assert not at.exception and not at.error
    text = markdown_text(at)
    assert re.search(r":green-background\[:green\[[^\]]*letterlijk", text), text
    assert any(c.value.startswith(CITATION) for c in at.code)
    assert page_buttons(at)


@pytest.mark.model
def test_quote_altered_shows_word_diff(app_env) -> None:
    at = start(tab="citaat", q="Migranten vormen daarmee 21,4 procent van de inwoners")
    text = markdown_text(at)
    assert re.search(r":red-background\[:red\[[^\]]*gewijzigd", text), text
    assert ":red-background[~~" in text and ":green-background[" in text


@pytest.mark.model
def test_quote_empty_is_a_dutch_error(app_env) -> None:
    at = start(TAB_CITAAT)
    at.button(key="quote_button").click().run()
    assert not at.exception
    assert at.error and "typ eerst een citaat" in at.error[0].value


# ----------------------------------------------------------------------------- rapport


@pytest.mark.model
def test_report_page_navigation_toc_search_and_sources(app_env) -> None:
    at = start(TAB_RAPPORT)
    at.selectbox(key="rp_page").set_value(17).run()
    assert not at.exception and not at.error
    assert viewer_page(at) == 17
    assert any(c.value == f"{CITATION}. 17" for c in at.code)
    at.button(key="rp_next").click().run()
    assert viewer_page(at) == 18
    at.button(key="rp_prev").click().run()
    assert viewer_page(at) == 17

    # A visit to another tab keeps the page being read.
    at.session_state["tab"] = TAB_VRAAG
    at.run()
    at.session_state["tab"] = TAB_RAPPORT
    at.run()
    assert not at.exception and viewer_page(at) == 17

    # Table of contents: it follows the page being read, and a section jumps to its page.
    toc = at.radio(key="rp_toc")
    assert len(toc.options) >= 5
    assert toc.index is not None
    assert int(toc.options[toc.index].rsplit("p. ", 1)[1]) <= 17
    target = 3
    target_page = int(toc.options[target].rsplit("p. ", 1)[1])
    toc.set_value(target).run()
    assert not at.exception
    assert viewer_page(at) == target_page
    at.toggle(key="rp_toc_all").set_value(True).run()
    assert len(at.radio(key="rp_toc").options) > len(toc.options)

    # Search: hits with page buttons; a hit opens its page with the term marked.
    at.text_input(key="rp_search").set_value("statushouders").run()
    assert not at.exception and not at.error
    assert any("treffers" in c.value for c in at.caption)
    hits = [b for b in at.button if (b.key or "").startswith("hit_")]
    assert hits
    hits[1].click().run()
    assert viewer_page(at) == int(hits[1].label.split()[1])
    assert ":yellow-background[" in markdown_text(at)

    # Sources: footnote numbers, URLs and whether each is in the corpus.
    frame = at.dataframe[0].value
    assert {"Voetnoot", "Pagina", "Bron", "URL", "In corpus"} <= set(frame.columns)
    assert len(frame) > 5


@pytest.mark.model
def test_report_link_opens_page(app_env) -> None:
    at = start(tab="rapport", pagina="17")
    assert viewer_page(at) == 17


@pytest.mark.model
def test_the_reports_tables_render_as_tables_in_the_page_view(app_env) -> None:
    at = start(tab="rapport", pagina="21")
    text = markdown_text(at)
    assert "**Tabel 2" in text
    assert "| Asielmigratie | 1,6 | 1,3 | 1,5 | 1,7 | 1,8 | 1,6 |" in text
    # Tabel 1 lost its columns in the export: no grid that would put a tick in the wrong column.
    at = start(tab="rapport", pagina="7")
    assert any("niet te herleiden" in c.value for c in at.caption)


# ----------------------------------------------------------------------------- long input is kept


LONG = " ".join(["In 2023 woonden er 18.480 migranten in Haarlemmermeer."] * 45)  # about 2,500 characters


@pytest.mark.model
def test_a_long_question_is_kept_and_can_go_to_the_speech_check(app_env) -> None:
    at = start()
    at.chat_input(key="chat_input").set_value(LONG).run()
    assert not at.exception and not at.error
    warning = " ".join(w.value for w in at.warning)
    assert f"Deze vraag is {len(LONG):,} tekens lang".replace(",", ".") in warning and "hoogstens 2.000" in warning
    assert "Uw tekst is bewaard. Maak hem korter, of laat hem controleren als toespraak" in warning
    assert [t.value for t in at.text_area if t.label == "Uw tekst"] == [LONG]
    at.button(key="long_vraag_speech").click().run()
    assert not at.exception and not at.error
    assert at.session_state["tab"] == TAB_BEWERING and at.session_state["claim_mode"] == "Toespraak of motie"
    assert at.session_state["speech_text"] == LONG
    assert "long_text" not in at.session_state


@pytest.mark.model
def test_a_long_claim_stays_in_its_field_with_advice(app_env) -> None:
    at = start(select=TAB_BEWERING)
    at.text_input(key="claim_text").set_value(LONG)
    next(b for b in at.button if b.label == "Controleer bewering").click().run()
    assert not at.exception and not at.error
    warning = " ".join(w.value for w in at.warning)
    assert "Deze bewering is" in warning and "Uw tekst is bewaard" in warning
    assert at.text_input(key="claim_text").value == LONG
    at.button(key="long_bewering_speech").click().run()
    assert at.session_state["claim_mode"] == "Toespraak of motie" and at.session_state["speech_text"] == LONG


@pytest.mark.model
def test_number_answer_shows_the_reports_series_as_a_chart(app_env) -> None:
    """A quantity the report gives for several years: a small chart, each point a button to its page."""
    at = start()
    at.chat_input(key="chat_input").set_value("Hoeveel migranten woonden er in 2015 in Haarlemmermeer?").run()
    assert not at.exception and not at.error
    assert at.get("vega_lite_chart"), "no chart"
    points = [b for b in at.button if re.fullmatch(r"chart_0_point_\d+", b.key or "")]
    assert [b.label for b in points] == ["2015: 6.920 (p. 18)", "2019: 11.290 (p. 18)", "2023: 18.480 (p. 18)"]
    points[1].click().run()
    assert viewer_page(at) == 18
    # A question without such a series has no chart.
    at.chat_input(key="chat_input").set_value("Wat adviseert de rekenkamer over asielzoekers en werk?").run()
    assert len(at.get("vega_lite_chart")) == 1


@pytest.mark.model
def test_a_question_whose_run_was_interrupted_is_answered_before_the_next(app_env) -> None:
    """A run stopped by newer input leaves its question in the queue: the next run answers both, in order."""
    at = start()
    at.session_state["chat_queue"] = ["Hoeveel migranten woonden er in 2023 in Haarlemmermeer?"]
    at.chat_input(key="chat_input").set_value("En in 2019?").run()
    assert not at.exception and not at.error
    users = [m.markdown[0].value for m in at.chat_message if m.name == "user"]
    assert users == [md_escape("Hoeveel migranten woonden er in 2023 in Haarlemmermeer?"), md_escape("En in 2019?")]
    assert at.session_state["chat_queue"] == []


# ----------------------------------------------------------------------------- hostile links and error boxes

Q = "Hoeveel migranten woonden er in 2023 in Haarlemmermeer?"
HOSTILE_LINKS: list[tuple[dict[str, str | list[str]], str]] = [
    ({"tab": "rapport", "pagina": "²"}, "geen paginanummer"),
    ({"tab": "rapport", "pagina": "9" * 5000}, "te lang"),
    ({"tab": "rapport", "pagina": "٣"}, "geen paginanummer"),  # an Arabic-Indic digit: isdigit() is True
    ({"tab": "rapport", "pagina": "-1"}, "geen paginanummer"),
    ({"tab": "rapport", "pagina": "0"}, "bestaat niet"),
    ({"tab": "rapport", "pagina": "99999"}, "bestaat niet"),
    ({"tab": "rapport", "pagina": ""}, "is leeg"),
    ({"tab": "rapport", "pagina": ["17", "18"]}, "meer dan eens"),
    ({"tab": "onzin"}, "Onbekend tabblad"),
    ({"tab": ""}, "is leeg"),
    ({"tab": ["vraag", "rapport"]}, "meer dan eens"),
    ({"tab": "rapport\x00"}, "stuurtekens"),
    ({"tab": "rapport", "doc": "bestaat-niet"}, "Onbekend document"),
    ({"tab": "rapport", "doc": "x" * 500}, "te lang"),
    ({"v": ["x" * 3000]}, "overgeslagen"),
    ({"v": [Q + "\x07"]}, "overgeslagen"),
    ({"v": ["   "]}, "overgeslagen"),
    ({"v": [f"{Q} ({k})" for k in range(30)]}, "de laatste 12 van de 30 vragen"),
    ({"tab": "vraag", "q": "Wat zegt het rapport\u202e over werk?"}, "stuurtekens"),
    ({"tab": "citaat", "q": "a" * 30_000}, "te lang"),
    ({"tab": "rapport", "zoek": "z" * 500}, "te lang"),
    ({"tab": "rapport", "zoek": "\x1b[31mrood"}, "stuurtekens"),
    ({"tab": "bewering", "tekst": ""}, "is leeg"),
    ({"tab": "rapport", "pagina": "**17**](https://e.nl)"}, "te lang"),
]


@pytest.mark.model
@pytest.mark.parametrize(("query", "expected"), HOSTILE_LINKS, ids=[f"link{k}" for k in range(len(HOSTILE_LINKS))])
def test_a_hostile_link_is_ignored_with_a_notice(app_env, query: dict, expected: str) -> None:
    at = AppTest.from_file(str(APP), default_timeout=120)
    for name, value in query.items():
        at.query_params[name] = value
    at.run()
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    notices = [i.value for i in at.info if i.value.startswith("Niet alles in deze link")]
    assert len(notices) == 1 and expected in notices[0], [i.value for i in at.info]
    assert "\x00" not in notices[0] and "\u202e" not in notices[0]
    # The page itself is there, with the parts of the link that were fine.
    assert [t.label for t in at.tabs] == list(TABS)
    if query.get("tab") == "rapport":
        assert at.session_state["tab"] == TAB_RAPPORT


@pytest.mark.model
def test_a_valid_link_shows_no_notice(app_env) -> None:
    at = start(tab="rapport", pagina="17", zoek="statushouders")
    assert not [i for i in at.info if i.value.startswith("Niet alles in deze link")]
    assert viewer_page(at) == 17


@pytest.mark.model
def test_a_file_name_in_an_error_box_is_shown_literally(real_engine, tmp_path, monkeypatch) -> None:
    from rekenqa.errors import DocumentUnreadable
    from rekenqa.pipeline import Engine
    from rekenqa.render import md_lines

    message = "Het bestand **vet** [x](https://e.nl).txt kan niet worden gelezen."

    def fail(*args, **kwargs):
        raise DocumentUnreadable(message, hint="Sla het op als pdf of txt.")

    monkeypatch.setenv("REKENQA_INDEX_DIR", str(tmp_path / "elders"))
    monkeypatch.setattr(Engine, "open", classmethod(lambda cls, *a, **k: fail()))
    at = AppTest.from_file(str(APP), default_timeout=120).run()
    assert not at.exception
    shown = at.error[0].value
    assert shown == md_lines(f"{message} Sla het op als pdf of txt.")
    assert r"\*\*vet\*\* \[x\]\(https\://e\.nl\)\.txt" in shown  # no bold, no link


@pytest.mark.model
def test_an_unexpected_failure_is_one_dutch_sentence_without_details(app_env, monkeypatch) -> None:
    import rekenqa.ui.state

    def broken() -> None:
        raise RuntimeError("/geheim/pad/naar/bron.py: kapot")

    monkeypatch.setattr(rekenqa.ui.state, "keep_widget_state", broken)
    at = AppTest.from_file(str(APP), default_timeout=120).run()
    assert not at.exception
    assert [e.value for e in at.error] == [
        "Er ging iets mis bij het tonen van deze pagina. Probeer het opnieuw: klik nog eens, of laad de pagina "
        "opnieuw. Blijft het misgaan, start de app dan opnieuw; de details staan in het venster waarin de app draait."
    ]
    everything = " ".join(str(getattr(e, "value", "")) for e in at.main) + markdown_text(at)
    assert "geheim" not in everything and "Traceback" not in everything
