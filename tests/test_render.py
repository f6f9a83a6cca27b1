"""The app's pure text helpers (rekenqa.render), with literal strings: no model, no index, no Streamlit."""

from __future__ import annotations

import ast
import datetime as dt
import re
from pathlib import Path

import pytest

from rekenqa import render
from rekenqa.settings import PROJECT_ROOT
from rekenqa.types import (
    Answer,
    Chunk,
    Citation,
    Claim,
    DiffOp,
    Evidence,
    Footnote,
    QuoteVerdict,
    Section,
    Source,
    Verdict,
)

PAGE = "De gemeente huisvestte statushouders.¹\nNog een zin.\n\n1 CBS, Bevolking 2023, tabel 3.\n2 Gemeente, jaarverslag."
NOTES = (
    Footnote("r", 1, 5, "CBS, Bevolking 2023, tabel 3.", ("https://www.cbs.nl/x",)),
    Footnote("r", 2, 5, "Gemeente, jaarverslag."),
)
SECTIONS = [
    Section("r", "1", "Inleiding", 3, 1),
    Section("r", "1.1", "Aanpak_", 5, 2),
    Section("r", "", "Bijlage", 20, 1),
]
VERDICT = Verdict(
    Claim("c"),
    "contradicted",
    (Evidence("s", "r", 4), Evidence("t", "r", 2), Evidence("u", "r", 4)),
    "11,4 procent",
    "Ander *getal*.",
    "10 procentpunt",
)


# ----------------------------------------------------------------------------- escaping


@pytest.mark.parametrize(
    "text",
    [
        "<script>alert('x')</script>",
        "**vet** _schuin_ `code` ~~weg~~",
        "[klik](javascript:alert(1)) ![img](http://x/y.png)",
        ":red[rood] :material/home: :smile:",
        "$x^2$ en 100$",
        "# Kop\n- lijst\n1. genummerd\n> citaat | tabel |",
        "&lt;b&gt; a \\* b",
    ],
)
def test_md_escape_neutralises_markdown_and_html(text: str) -> None:
    out = render.md_escape(text)
    # Every Markdown/HTML/directive character is preceded by a backslash: nothing can render as markup.
    unescaped = re.findall(r"(?<!\\)(?:\\\\)*([`*_\[\]()#<>~:$&|!])", out)
    assert not unescaped, out
    assert "\n" not in out
    # Removing the escapes gives the text back (whitespace normalised).
    assert re.sub(r"\\(.)", r"\1", out) == " ".join(text.split())


def test_md_lines_keeps_lines_and_escapes() -> None:
    out = render.md_lines("regel *een*\n<b>twee</b>\n\nalinea")
    assert out == "regel \\*een\\*  \n\\<b\\>twee\\</b\\>\n\nalinea"


def test_md_link_only_links_http() -> None:
    assert (
        render.md_link("https://www.cbs.nl/a_b")
        == "[https\\://www\\.cbs\\.nl/a\\_b](<https://www.cbs.nl/a_b>)"
    )
    assert "](" not in render.md_link("javascript:alert(1)")


# ----------------------------------------------------------------------------- highlighting


def test_marked_markdown_wraps_escaped_spans() -> None:
    text = "Tekst [met] haken.\nVolgende *regel*."
    start = text.index("[met]")
    end = text.index("regel") + len("regel")
    out = render.marked_markdown(text, [(start, end)])
    assert (
        out == "Tekst :orange-background[\\[met\\] haken\\.]  \n:orange-background[Volgende \\*regel]\\*\\."
    )
    assert ":orange-background[" in out and "[met]" not in out


def test_marked_markdown_merges_overlapping_spans() -> None:
    assert render.marked_markdown("een twee drie", [(4, 8), (0, 6)], "yellow-background") == (
        ":yellow-background[een twee] drie"
    )


def test_find_quote_ignores_spacing_and_footnote_marks() -> None:
    page = "Intro.\nMigranten vormen  daarmee\n11,4 procent³ van de inwoners. Slot."
    span = render.find_quote(page, "Migranten vormen daarmee 11,4 procent van de inwoners.")
    assert span is not None
    assert page[span[0] : span[1]].startswith("Migranten") and page[span[0] : span[1]].endswith("inwoners.")
    assert render.find_quote(page, "Iets heel anders.") is None


def test_find_quote_finds_a_sentence_that_runs_onto_the_next_page_by_its_beginning() -> None:
    page = "Slot van de pagina. Het college heeft in 2024 besloten om de opvang van"
    quote = "Het college heeft in 2024 besloten om de opvang van asielzoekers uit te breiden."
    assert render.find_quote(page, quote) == (page.index("Het"), len(page))


def test_find_term_is_case_and_whitespace_insensitive() -> None:
    assert render.find_term("Statushouders en\nstatus houders", "status  HOUDERS") == [(17, 31)]
    assert render.find_term("tekst", "   ") == []


# ----------------------------------------------------------------------------- page text


def test_reflow_joins_layout_lines_but_keeps_sentence_ends_and_list_items() -> None:
    text = "Dit is een lange regel van de tekst die doorloopt op de volgende regel van\nde pagina, tot hier.\n1. Een punt\nKop"
    out = render.reflow(text)
    assert out == (
        "Dit is een lange regel van de tekst die doorloopt op de volgende regel van de pagina, tot hier.\n"
        "1. Een punt\nKop"
    )
    assert len(out) == len(text)


def test_footnote_area_starts_at_the_first_printed_footnote() -> None:
    assert render.footnote_area(PAGE, [1, 2], [n.text for n in NOTES]) == PAGE.index("1 CBS")
    assert render.footnote_area(PAGE, [3], ["Niet op deze pagina."]) is None


def test_page_body_leaves_the_footnote_area_out_and_marks_quotes() -> None:
    plain = render.page_body(PAGE, NOTES)
    assert plain == render.PageBody("De gemeente huisvestte statushouders\\.¹  \nNog een zin\\.", False)
    quoted = render.page_body(PAGE, NOTES, quotes=["De gemeente huisvestte statushouders."])
    assert quoted.markdown == ":orange-background[De gemeente huisvestte statushouders\\.¹]  \nNog een zin\\."
    assert render.page_body(PAGE, NOTES, quotes=["Iets dat er niet staat."]).quote_missing
    assert render.page_body("\n\n", ()).markdown == "_(lege pagina)_"


def test_page_body_keeps_the_footnote_area_when_a_search_hit_stands_in_it() -> None:
    out = render.page_body(PAGE, NOTES, term="jaarverslag").markdown
    assert out.endswith("2 Gemeente, :yellow-background[jaarverslag]\\.")
    assert "1 CBS, Bevolking 2023" in out


def test_footnote_list_escapes_and_links() -> None:
    assert render.footnote_list(NOTES) == (
        "**Voetnoten op deze pagina**  \n"
        "1\\. CBS, Bevolking 2023, tabel 3\\. — [https\\://www\\.cbs\\.nl/x](<https://www.cbs.nl/x>)  \n"
        "2\\. Gemeente, jaarverslag\\."
    )


def test_snippet_cuts_at_spaces_and_moves_the_span() -> None:
    excerpt, span = render.snippet("een twee drie vier vijf zes zeven acht negen tien", 19, 23, width=8)
    assert (excerpt, span) == ("… vier vijf zes …", (7, 11))
    assert excerpt[span[0] : span[1]] == "vijf"


def test_search_hits_and_hit_markdown() -> None:
    pages = [(3, "Statushouders en statushouders"), (4, "niets"), (5, "STATUSHOUDERS")]
    assert render.search_hits(pages, "statushouders") == [(3, [(0, 13), (17, 30)]), (5, [(0, 13)])]
    text = "een twee drie vier vijf zes zeven acht negen tien vier"
    assert render.hit_markdown(text, [(14, 18), (50, 54)]) == (
        "een twee drie :yellow-background[vier] vijf zes zeven acht negen tien vier *(+1)*"
    )


# ----------------------------------------------------------------------------- answers


def test_citations_pages_and_quotes() -> None:
    citations = (Citation("c1", "r", 7, 8, "Een *zin*."), Citation("c2", "r", 12, 12, None))
    assert render.cited_pages(citations) == [7, 8, 12]
    assert render.citation_markdown(citations[0]) == "“Een \\*zin\\*\\.” (p. 7-8)"
    assert render.citation_markdown(citations[1]) == "“” (p. 12)"
    numbered = Citation("c3", "r", 33, 33, "Een bron.", number=2, footnote=32)
    assert render.citation_markdown(numbered) == "**[2]** voetnoot 32 (p. 33): “Een bron\\.”"
    assert render.citation_button_label(numbered) == "[2] vn. 32, p. 33"
    assert render.citation_help(numbered) == "Open pagina 33: Een bron\\."


def test_nearest_markdown_shortens_at_a_word() -> None:
    long = render.nearest_markdown(Chunk("c", "r", "woord " * 80, 3, 4))
    assert long.endswith("woord … (p. 3-4)") and len(long) == 304
    assert render.nearest_markdown(Chunk("c", "r", "Korte  tekst_a.", 9, 9)) == "Korte tekst\\_a\\. (p. 9)"


def test_source_markdown() -> None:
    assert render.source_markdown(NOTES[0]) == (
        "voetnoot 1 (p. 5): CBS, Bevolking 2023, tabel 3\\.  \n[https\\://www\\.cbs\\.nl/x](<https://www.cbs.nl/x>)"
    )
    assert render.source_markdown(NOTES[1]) == "voetnoot 2 (p. 5): Gemeente, jaarverslag\\."


def test_answer_markdown_cites_only_answered_questions() -> None:
    citations = (Citation("c1", "r", 7, 8, "Zin."), Citation("c2", "r", 12, 12))
    made = dt.datetime(2025, 3, 4, 5, 6)
    footer = (
        "---\nGemaakt met rekenqa (offline) op 04-03-2025 05:06. "
        "De antwoorden citeren het rapport letterlijk; controleer de pagina's.\n"
    )
    answered = Answer("Vraag?", "Antwoord.", citations, (), True)
    out = render.answer_markdown("Vraag?", answered, lambda doc, pages: f"{doc}:{list(pages)}", made)
    assert out == (
        "# Vraag aan het rapport\n\nVraag?\n\n## Antwoord\n\nAntwoord.\n\n## Bronvermelding\n\nr:[7, 8, 12]\n\n"
        + footer
    )
    refused = Answer("Vraag?", "Geen.", citations, (), False)
    out = render.answer_markdown("Vraag?", refused, lambda doc, pages: "X", made)
    assert out == "# Vraag aan het rapport\n\nVraag?\n\n## Antwoord\n\nGeen.\n\n" + footer


# ----------------------------------------------------------------------------- verdicts


def test_badge_markdown() -> None:
    assert render.badge_markdown("supported", render.CLAIM_BADGES) == (
        "#### :green-background[:green[:material/check_circle: klopt]]"
    )
    assert (
        render.badge_markdown("raar", render.QUOTE_BADGES)
        == "#### :gray-background[:gray[:material/help: raar]]"
    )


def test_verdict_rows() -> None:
    assert render.verdict_rows(VERDICT) == (
        "**Waarde in het rapport:** 11,4 procent  \n**Reden:** Ander \\*getal\\*\\.  \n**Verschil:** 10 procentpunt"
    )
    assert render.verdict_rows(Verdict(Claim("c"), "not_in_report", (), "", "")) == ""


def test_speech_summary_and_export_rows() -> None:
    from rekenqa import export

    results = [("a", VERDICT), ("b", Verdict(Claim("b"), "supported", (), "", "")), ("c", VERDICT)]
    assert render.speech_summary(results) == "**3 beweringen gecontroleerd:** 1 klopt, 2 klopt niet"
    rows = export.speech_rows(results)
    assert [r["Nr."] for r in rows] == ["1", "2", "3"]
    assert [r["Oordeel"] for r in rows] == ["klopt niet", "klopt", "klopt niet"]
    assert [r["Pagina's"] for r in rows] == ["2, 4", "", "2, 4"]
    assert list(rows[0]) == ["Nr.", "Bewering", "Oordeel", "Waarde in het rapport", "Toelichting", "Pagina's"]


def test_quote_changes_only_when_the_reason_does_not_name_them() -> None:
    altered = QuoteVerdict(
        "q", "altered", "o", (3,), "r", reason="Getal gewijzigd", changes=("11,4 → 21,4", "weg: *daarmee*")
    )
    assert render.quote_changes(altered) == "**Wijzigingen**  \n• 11,4 → 21,4  \n• weg\\: \\*daarmee\\*"
    named = QuoteVerdict("q", "altered", "o", (3,), "r", reason="11,4 → 21,4", changes=("11,4 → 21,4",))
    assert render.quote_changes(named) is None
    assert render.quote_changes(QuoteVerdict("q", "harmless", "o", (3,), "r", changes=("x",))) is None


def test_diff_markdown_marks_removed_and_added() -> None:
    ops = (DiffOp("equal", "vormen daarmee"), DiffOp("removed", "11,4"), DiffOp("added", "<b>12</b>"))
    out = render.diff_markdown(ops)
    assert out == "vormen daarmee :red-background[~~11,4~~] :green-background[\\<b\\>12\\</b\\>]"


# ----------------------------------------------------------------------------- report and sidebar


def test_section_at_and_section_holds() -> None:
    assert [render.section_at(SECTIONS, p) for p in (2, 5, 30)] == [None, 1, 2]
    assert render.section_holds(SECTIONS, 0, 4, 40)
    assert render.section_holds(SECTIONS, 2, 40, 40)
    assert not render.section_holds(SECTIONS, 1, 21, 40)
    assert not render.section_holds(SECTIONS, None, 4, 40)
    assert not render.section_holds(SECTIONS, 3, 4, 40)


def test_toc_label_indents_and_escapes() -> None:
    labels = [render.toc_label(s) for s in SECTIONS]
    assert labels == ["1 **Inleiding** · p. 3", "\u20031\\.1 Aanpak\\_ · p. 5", "**Bijlage** · p. 20"]


def test_format_date() -> None:
    assert render.format_date(None) == "onbekend"
    assert render.format_date("2025-03-04T05:06:00") == "04-03-2025 05:06"
    assert render.format_date("gisteren") == "gisteren"


def test_sidebar_lines() -> None:
    doc = {"title": "Migratie [2025]", "kind": "report", "pages": 60, "chunks": 300}
    assert render.document_line(doc) == "- Migratie \\[2025\\] (rapport) — 60 pagina's, 300 passages"
    assert render.document_line({}) == "-  (bron) — 0 pagina's, 0 passages"
    info = {
        "created": "2025-03-04T05:06:00",
        "embedder": {"id": "e5_small", "dim": 384},
        "counts": {"chunks": 3},
    }
    assert render.index_summary(info) == (
        "**Index gebouwd:** 04-03-2025 05:06  \n**Zoekmodel:** e5\\_small (384 dimensies)  \n"
        "**Inhoud:** 3 passages, 0 getallen"
    )


def test_sources_table() -> None:
    sources = [Source(1, 4, "CBS", ("https://a", "https://b"), "cbs"), Source(2, 5, "Wet", ())]
    assert render.sources_table(sources) == {
        "Voetnoot": [1, 2],
        "Pagina": [4, 5],
        "Bron": ["CBS", "Wet"],
        "URL": ["https://a", ""],
        "In corpus": ["cbs", "nee"],
    }


# ----------------------------------------------------------------------------- shareable links


@pytest.mark.parametrize(
    ("params", "state"),
    [
        ({"tab": "Vraag", "q": " Hoeveel? "}, {"tab": render.TAB_VRAAG, "pending_question": "Hoeveel?"}),
        ({"tab": "bewering", "q": "c"}, {"tab": render.TAB_BEWERING, "claim_text": "c", "claim_run": True}),
        (
            {"tab": "bewering", "q": "c", "tekst": "t"},
            {
                "tab": render.TAB_BEWERING,
                "claim_mode": "Toespraak of motie",
                "speech_text": "t",
                "speech_run": True,
            },
        ),
        ({"tab": "citaat", "q": "x"}, {"tab": render.TAB_CITAAT, "quote_text": "x", "quote_run": True}),
        (
            {"tab": "rapport", "pagina": "17", "zoek": "asiel"},
            {"tab": render.TAB_RAPPORT, "rp_page": 17, "rp_search": "asiel"},
        ),
        ({"tab": "onbekend", "q": "x", "pagina": "1a"}, {}),
        ({"q": "x"}, {}),
    ],
)
def test_link_state(params: dict[str, str], state: dict[str, object]) -> None:
    assert render.link_state(params) == state


# ----------------------------------------------------------------------------- module boundary


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    names = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    return names | {node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}


def test_only_the_ui_package_imports_streamlit() -> None:
    """Streamlit stays in app.py and rekenqa/ui: render and the pipeline modules work without it."""
    package = PROJECT_ROOT / "src" / "rekenqa"
    users = sorted(
        str(path.relative_to(package))
        for path in package.rglob("*.py")
        if any(name.split(".")[0] == "streamlit" for name in _imports(path))
    )
    # launch.py is the launcher behind `rekenqa app`: it imports Streamlit's CLI inside the function that
    # starts the app, so importing rekenqa.launch (or the CLI) still works without Streamlit.
    launcher = package / "launch.py"
    top_level = {
        alias.name if isinstance(node, ast.Import) else node.module or ""
        for node in ast.parse(launcher.read_text(encoding="utf-8")).body
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in (node.names if isinstance(node, ast.Import) else [None])
    }
    assert not any(name.split(".")[0] == "streamlit" for name in top_level), "launch.py imports streamlit eagerly"
    assert users and all(user.startswith("ui") or user == "launch.py" for user in users), users


def test_table_markdown_draws_only_tables_whose_cells_line_up() -> None:
    from rekenqa.types import Table

    grid = Table("r", "Tabel 2", "Tabel 2 Aandeel", 21, (("", "A|B", "C"), ("Asiel", "1,6", "1,3"), ("Totaal", "11,4", "9,1")))
    text = render.table_markdown(grid)
    assert text is not None
    lines = text.splitlines()
    assert lines[0] == "|   | A\\|B | C |" and lines[1] == "|---|---|---|" and lines[2] == "| Asiel | 1,6 | 1,3 |"
    ragged = Table("r", "Tabel 1", "Tabel 1 Beleid", 7, (("Groep", "Opvang", "Werk"), ("Asielzoekers", "✔"), ("Statushouders", "✔", "✔")))
    assert render.table_markdown(ragged) is None


def test_a_repeated_sentence_names_its_other_pages_in_the_app() -> None:
    repeated = Citation("c1", "r", 95, 95, "Onder gezinshereniging wordt … verstaan.", number=1, also=(36,))
    assert render.citation_where(repeated) == "p. 95; ook p. 36"
    assert render.citation_where(Citation("c2", "r", 17, 17, "Zin.")) == "p. 17"
