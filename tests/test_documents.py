"""The report beside two cited sources (generated PDFs), with the real embedder and a real index.

Answers, checks and quotes come from the report unless sources are asked for; then the report comes first
and every citation from a source names the source. Pages of a source print as labelled ("i", "3").
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from report_pdf import typeset_document

from rekenqa.answer import NOT_IN_REPORT_BUT_SOURCE
from rekenqa.settings import Settings

pytestmark = pytest.mark.model

LIBRARY = "De bibliotheek van Haarlemmermeer organiseerde in 2024 in totaal 212 taalcafés voor nieuwkomers."
CBS_CITATION = "CBS (2024), Migranten in gemeenten"
SCP_CITATION = "SCP (2025), Burgerperspectieven"


def _source_pages() -> list[list[tuple[str, str]]]:
    return [
        [("title", "Migranten in gemeenten"), ("paragraph", "Een statistische verkenning door het CBS.")],
        [
            ("heading", "1 Migranten in Haarlemmermeer"),
            (
                "paragraph",
                "In 2023 woonden in de gemeente Haarlemmermeer 18.480 migranten. Dat is 11,4 procent van de "
                "inwoners van de gemeente.",
            ),
            ("heading", "2 Taal en ontmoeting"),
            ("paragraph", LIBRARY + " Zij trokken samen ruim 2.900 bezoekers."),
        ],
        [("heading", "3 Werk"), ("paragraph", "Het aandeel werkende nieuwkomers steeg tussen 2020 en 2024 gestaag.")],
    ]


def _scp_pages() -> list[list[tuple[str, str]]]:
    return [
        [
            ("heading", "1 Zorgen over migratie"),
            (
                "paragraph",
                "In het Continu Onderzoek Burgerperspectieven noemde 38 procent van de ondervraagden immigratie "
                "een van de belangrijkste maatschappelijke problemen.",
            ),
        ],
        [("heading", "2 Vertrouwen"), ("paragraph", "Het vertrouwen in de politiek bleef in 2024 laag.")],
    ]


def _add(corpus: Path, name: str, meta: dict[str, Any], pages: list[list[tuple[str, str]]], front: int) -> None:
    pdf = typeset_document(corpus / name, str(meta["title"]), pages, header=str(meta["title"]), front_pages=front)
    (pdf.parent / (pdf.name + ".meta.json")).write_text(json.dumps({**meta, "kind": "source"}), encoding="utf-8")


@pytest.fixture(scope="module")
def engine(real_engine: Any, real_settings: Settings, tmp_path_factory: pytest.TempPathFactory) -> Any:
    """The real report's index with two sources added to its corpus."""
    from rekenqa.pipeline import Engine

    base = tmp_path_factory.mktemp("documents")
    shutil.copytree(real_settings.corpus_dir, base / "corpus")
    shutil.copytree(real_settings.index_dir, base / "index")
    cbs = {"id": "cbs-2024", "title": "Migranten in gemeenten", "publisher": "CBS", "year": 2024}
    _add(base / "corpus", "cbs-migranten.pdf", cbs, _source_pages(), front=1)
    scp = {"id": "scp-2025", "title": "Burgerperspectieven", "publisher": "SCP", "year": 2025}
    _add(base / "corpus", "scp-burgerperspectieven.pdf", scp, _scp_pages(), front=0)
    settings = Settings(corpus_dir=base / "corpus", index_dir=base / "index", cache_dir=real_settings.cache_dir)
    return Engine.open(settings, embedder=real_engine.embedder)


def test_three_documents_indexed_with_their_pages(engine: Any) -> None:
    ids = [d.id for d in engine.index.documents]
    assert ids[0] == "migratie-haarlemmermeer-2025" and set(ids[1:]) == {"cbs-2024", "scp-2025"}
    view = engine.page("cbs-2024", "i")
    assert view.page.name == "i" and "statistische verkenning" in view.page.text
    assert engine.page("cbs-2024", "2").page.name == "2"
    assert engine.page_name("cbs-2024", view.page.number) == "i"


def test_answers_come_from_the_report_unless_sources_are_asked(engine: Any) -> None:
    question = "Hoeveel taalcafés organiseerde de bibliotheek in 2024?"
    assert not engine.ask(question).answered
    answer = engine.ask(question, sources=True)
    assert answer.answered
    assert NOT_IN_REPORT_BUT_SOURCE in answer.text
    first = answer.citations[0]
    assert first.doc_id == "cbs-2024" and first.document == CBS_CITATION
    assert first.label == f"{CBS_CITATION}, p. 1"
    assert "212" in answer.lead and CBS_CITATION in answer.lead


def test_the_report_answers_first_when_a_source_says_the_same(engine: Any) -> None:
    question = "Hoeveel migranten woonden er in 2023 in Haarlemmermeer?"
    plain = engine.ask(question)
    assert plain.answered and {c.doc_id for c in plain.citations} == {"migratie-haarlemmermeer-2025"}
    both = engine.ask(question, sources=True)
    assert both.citations[0].doc_id == "migratie-haarlemmermeer-2025"
    assert both.citations[0].document == "" and both.citations[0].label.startswith("p. ")
    report_first = [c.doc_id == "migratie-haarlemmermeer-2025" for c in both.citations]
    assert report_first == sorted(report_first, reverse=True), "source citations come after the report's"
    assert "Volgens het rapport" in both.lead
    for citation in both.citations:
        if citation.doc_id != "migratie-haarlemmermeer-2025":
            assert citation.document == CBS_CITATION and citation.label.startswith(CBS_CITATION)


def test_claims_are_checked_against_a_source_when_asked(engine: Any) -> None:
    claim = "De bibliotheek organiseerde in 2024 212 taalcafés voor nieuwkomers."
    assert engine.check_claim(claim).status == "not_in_report"
    verdict = engine.check_claim(claim, sources=True)
    assert verdict.status == "supported"
    assert verdict.evidence[0].doc_id == "cbs-2024" and verdict.evidence[0].document == CBS_CITATION
    assert verdict.evidence[0].label == f"{CBS_CITATION}, p. 1"
    # A claim the report speaks to is judged by the report, sources or not.
    report_claim = "In 2023 woonden er 18.480 migranten in Haarlemmermeer."
    with_sources = engine.check_claim(report_claim, sources=True)
    assert with_sources.status == "supported" and with_sources.evidence[0].doc_id == "migratie-haarlemmermeer-2025"


def test_quotes_are_found_in_a_source_only_when_asked(engine: Any) -> None:
    assert engine.check_quote(LIBRARY).status == "not_found"
    verdict = engine.check_quote(LIBRARY, sources=True)
    assert verdict.status == "exact" and verdict.doc_id == "cbs-2024"
    assert verdict.page_names == ("1",) and verdict.citation == f"{CBS_CITATION}, p. 1"
    report_quote = "Migranten vormen daarmee 11,4 procent van de inwoners."
    assert engine.check_quote(report_quote, sources=True).doc_id == "migratie-haarlemmermeer-2025"


def test_app_toggle_searches_the_sources_and_names_them(engine: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from streamlit.testing.v1 import AppTest

    from rekenqa.render import TAB_RAPPORT, md_escape
    from rekenqa.settings import PROJECT_ROOT

    monkeypatch.setenv("REKENQA_INDEX_DIR", str(engine.settings.index_dir))
    monkeypatch.setenv("REKENQA_CORPUS_DIR", str(engine.settings.corpus_dir))
    monkeypatch.setenv("REKENQA_CACHE_DIR", str(engine.settings.cache_dir))
    at = AppTest.from_file(str(PROJECT_ROOT / "app.py"), default_timeout=180)
    at.run()
    assert not at.exception and not at.error
    toggle = at.toggle(key="include_sources")
    assert toggle.value is False
    question = "Hoeveel taalcafés organiseerde de bibliotheek in 2024?"
    at.chat_input(key="chat_input").set_value(question).run()
    shown = "\n".join(m.value for m in at.markdown)
    assert md_escape(CBS_CITATION) not in shown
    toggle.set_value(True).run()
    at.chat_input(key="chat_input").set_value(question).run()
    assert not at.exception and not at.error
    shown = "\n".join(m.value for m in at.markdown)
    assert md_escape(CBS_CITATION) in shown and "taalcafés" in shown
    labels = [b.label for b in at.button if b.label.startswith("[")]
    assert any(label.startswith(f"[1] {md_escape(CBS_CITATION)}, p. 1") for label in labels), labels
    # The report browser names the source's front page as printed.
    at.session_state["tab"] = TAB_RAPPORT
    at.run()
    at.selectbox(key="rp_doc").set_value("cbs-2024").run()
    assert not at.exception and not at.error
    page = at.selectbox(key="rp_page")
    assert page.value == engine.find_page("cbs-2024", "i").number
    assert "#### Pagina i" in "\n".join(m.value for m in at.markdown)
    at.button(key="rp_next").click().run()
    assert "#### Pagina 1" in "\n".join(m.value for m in at.markdown)
