"""Tests for rekenqa.structure on the real report and on a small synthetic document."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rekenqa import repair, structure
from rekenqa.load import discover, load_document
from rekenqa.types import DocumentStructure, Page

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def doc() -> DocumentStructure:
    entry = next(e for e in discover(ROOT / "corpus") if e.info.kind == "report")
    pages = load_document(entry)
    fixed = repair.repair_pages(pages, repair.build_vocabulary(pages))
    return structure.analyze(fixed)


def _heading_block(doc: DocumentStructure, page: int, text: str):  # noqa: ANN202
    return next(b for b in doc.blocks if b.kind == "heading" and b.page == page and b.text.startswith(text))


# --- sections -----------------------------------------------------------------------------------------------


def test_chapters(doc: DocumentStructure) -> None:
    chapters = [(s.part, s.number, s.title) for s in doc.sections if s.level == 1 and s.number]
    assert chapters == [
        ("DEEL 1", "1", "Inleiding"),
        ("DEEL 1", "2", "Aard en omvang migratie Haarlemmermeer"),
        ("DEEL 1", "3", "Asielmigratie in Haarlemmermeer"),
        ("DEEL 1", "4", "Statushouders en gezinsmigranten Haarlemmermeer"),
        ("DEEL 1", "5", "Arbeidsmigratie en studiemigratie Haarlemmermeer"),
        ("DEEL 1", "6", "Oekraïense ontheemden in Haarlemmermeer"),
        ("DEEL 1", "7", "Conclusies inventarisatie migratie en beleid gemeente"),
        ("DEEL 2", "1", "Inleiding"),
        ("DEEL 2", "2", "Beleidskader asiel en werk"),
        ("DEEL 2", "3", "Ervaringen pilot asiel en werk Haarlemmermeer"),
        ("DEEL 2", "4", "Ervaringen en perspectief asielzoekers met werk Haarlemmermeer"),
        ("DEEL 2", "5", "Conclusies asiel en werk"),
        ("", "Bijlage 1", "Definities migratiemotieven en migratiegroepen"),
    ]


def test_parts_and_front_matter(doc: DocumentStructure) -> None:
    parts = [(s.number, s.title, s.page) for s in doc.sections if s.level == 0]
    assert parts == [
        ("DEEL 1", "Inventarisatie migratie en beleid Haarlemmermeer", 15),
        ("DEEL 2", "Verdiepingsstudie Asiel en werk Haarlemmermeer", 76),
    ]
    front = [(s.title, s.page, s.part) for s in doc.sections if s.level == 1 and not s.number]
    assert front == [("Voorwoord", 3, ""), ("Samenvatting", 4, "")]


def test_paragraphs(doc: DocumentStructure) -> None:
    paragraphs = {(s.part, s.number): (s.title, s.page) for s in doc.sections if s.level == 2}
    assert paragraphs[("DEEL 1", "3.2")] == ("Opvang asielzoekers Haarlemmermeer", 28)
    assert paragraphs[("DEEL 1", "1.3")] == ("Onderzoeksvragen en aanpak verdiepend onderzoek", 14)
    assert paragraphs[("DEEL 1", "6.4")] == (
        "Aandachtspunten Oekraïense ontheemden en gemeentelijk beleid",
        67,
    )
    numbers = [s.number for s in doc.sections if s.level == 2]
    assert len(numbers) == len(set(numbers)) == 27
    assert all(re.fullmatch(r"\d\.\d", n) for n in numbers)


def test_unnumbered_subheadings(doc: DocumentStructure) -> None:
    subs = {(s.title, s.page) for s in doc.sections if s.level == 3}
    for expected in [
        ("Ontwikkeling migratie en migratiemotieven Haarlemmermeer", 18),
        ("Opvanglocaties Haarlemmermeer", 28),
        ("1. Asiel en opvang", 31),
        ("Arbeidsmarkttoegang", 63),
        ("Kenmerken geïnterviewde asielzoekers", 85),
    ]:
        assert expected in subs
    titles = {t for t, _ in subs}
    # no sentence, table row or caption is taken for a heading
    assert not any(t.endswith((".", ",", ";")) for t in titles)
    assert "Totaal Haarlemmermeer  1156" not in titles
    assert not any(t.startswith(("Grafiek", "Tabel")) for t in titles)


def test_section_path(doc: DocumentStructure) -> None:
    block = _heading_block(doc, 28, "Opvanglocaties Haarlemmermeer")
    assert (
        structure.section_path(doc, 28, block.start)
        == "DEEL 1 > 3 Asielmigratie in Haarlemmermeer > 3.2 Opvang asielzoekers Haarlemmermeer"
    )
    assert structure.section_path(doc, 28, block.start, max_level=3).endswith(
        "3.2 Opvang asielzoekers Haarlemmermeer > Opvanglocaties Haarlemmermeer"
    )
    body = next(b for b in doc.blocks if b.page == 77 and b.kind == "body")
    assert structure.section_path(doc, 77, body.start) == "DEEL 2 > 1 Inleiding"
    assert structure.section_path(doc, 10, 200) == "DEEL 1 > 1 Inleiding > 1.1 Aanleiding onderzoek"
    assert structure.section_path(doc, 3, 50) == "Voorwoord"
    assert structure.section_path(doc, 95, 10) == "Bijlage 1 Definities migratiemotieven en migratiegroepen"
    assert structure.section_path(doc, 15, 0) == "DEEL 1"


# --- blocks -------------------------------------------------------------------------------------------------


def test_blocks_cover_every_character_once(doc: DocumentStructure) -> None:
    for page in doc.pages:
        blocks = [b for b in doc.blocks if b.page == page.number]
        assert blocks, page.number
        covered = [0] * len(page.text)
        previous_end = -1
        for b in blocks:
            assert page.text[b.start : b.end] == b.text
            assert b.start >= previous_end, f"page {page.number}: blocks out of order"
            previous_end = b.end
            for k in range(b.start, b.end):
                covered[k] += 1
        for k, ch in enumerate(page.text):
            if not ch.isspace():
                assert covered[k] == 1, f"page {page.number} offset {k} {page.text[k - 20 : k + 20]!r}"


def test_block_kinds_and_refs(doc: DocumentStructure) -> None:
    kinds = {b.kind for b in doc.blocks}
    assert kinds == {"heading", "body", "bullet", "table", "caption", "footnote"}
    block = next(b for b in doc.blocks if "de inwoners⁷" in b.text)
    assert block.kind == "body" and block.page == 17 and 7 in block.footnote_refs
    refs = [n for b in doc.blocks for n in b.footnote_refs]
    assert sorted(refs) == list(range(1, 163))
    heading = _heading_block(doc, 28, "3.2 Opvang")
    assert heading.label == "3.2"
    bullet = next(b for b in doc.blocks if b.text.startswith("• verzameling en analyse van CBS-data"))
    assert bullet.kind == "bullet" and "kwantitatieve vraag" in bullet.text  # runs on over a blank line


# --- footnotes ----------------------------------------------------------------------------------------------


def test_footnotes_numbered_without_gaps(doc: DocumentStructure) -> None:
    assert [f.number for f in doc.footnotes] == list(range(1, 163))
    assert all(f.text for f in doc.footnotes)
    assert doc.footnotes[27].text.startswith("In mei 2025 is de populatie")  # the number is not in the text


@pytest.mark.parametrize(
    ("number", "page", "start"),
    [
        (1, 5, "In bijlage 1 zijn definities"),
        (7, 17, "Het gaat bij de definitie van migrant"),
        (23, 28, "https://www.coa.nl/nl/locatie/haarlemmermeer-hoofddorp-rijksweg-a4"),
        (94, 58, "Er zijn sinds 2024 meerjarige prestatieafspraken"),
        (102, 61, "Aankomst, registratie en verblijf"),
        (154, 89, "Deze mentale situatie bij asielzoekers"),
        (162, 94, "De CBS-data zijn verrijkt"),
    ],
)
def test_footnote_spot_checks(doc: DocumentStructure, number: int, page: int, start: str) -> None:
    note = doc.footnotes[number - 1]
    assert (note.number, note.page) == (number, page)
    assert note.text.startswith(start)


def test_footnote_text_and_urls(doc: DocumentStructure) -> None:
    fn = {f.number: f for f in doc.footnotes}
    assert fn[23].urls == ("https://www.coa.nl/nl/locatie/haarlemmermeer-hoofddorp-rijksweg-a4",)
    # text joined over lines, and over the page break into page 48
    assert "Statushouders moeten na 14 weken doorstromen" in fn[68].text
    assert fn[68].urls == (
        "https://www.inspectie-jenv.nl/documenten/2025/03/25/brief-inburgering-van-statushouders-vanuit-de-asielopvang",
    )
    assert (
        "https://www.rijksoverheid.nl/documenten/rapporten/2024/09/27/tk-bijlage-1-wodc-rapport"
        in fn[99].urls
    )
    assert len(fn[100].urls) == 2
    assert "\n" not in fn[8].text and "migratiebewegingen)." in fn[8].text
    assert sum(len(f.urls) for f in doc.footnotes) >= 55


# --- tables and captions -------------------------------------------------------------------------------------


def test_tables(doc: DocumentStructure) -> None:
    tables = {t.label: t for t in doc.tables}
    assert list(tables) == ["Tabel 1", "Tabel 2", "Tabel 3", "Tabel 4"]
    assert (tables["Tabel 1"].page, tables["Tabel 1"].last_page) == (7, 8)  # continues on the next page
    assert tables["Tabel 1"].caption == "Tabel 1 - Specifiek beleid van de gemeente voor migratiegroepen³"
    assert [t.page for t in tables.values()] == [7, 21, 23, 43]
    assert tables["Tabel 2"].caption.endswith("per gemeente en Nederland (%), in 2023")
    rows = {r[0]: r for r in tables["Tabel 2"].rows}
    assert rows[""] == ("", "Haarlemmermeer", "Aalsmeer", "Amstelveen", "Haarlem", "Zaanstad", "Nederland")
    assert rows["Totaal"] == ("Totaal", "11,4", "11,3", "25,6", "13", "10,9", "9,1")
    assert rows["Tijdelijke Bescherming"][1] == "0,7"
    rows3 = {r[0]: r for r in tables["Tabel 3"].rows}
    assert rows3["Totaal"] == ("Totaal", "4.025", "100")
    assert rows3["Overige landen"] == ("Overige landen", "2.105", "52")


def test_inburgering_table_by_quarter(doc: DocumentStructure) -> None:
    table = next(t for t in doc.tables if t.label == "Tabel 4")
    header, *rows = table.rows
    assert header[0] == "Totaal aantal inburgeraars naar geslacht"
    assert header[1:3] == ("2025-Q1", "2024-Q4") and header[-1] == "2022-Q3"
    by_label = {r[0]: dict(zip(header[1:], r[1:], strict=True)) for r in rows}
    assert by_label["Totaal"]["2025-Q1"] == "1006"
    assert by_label["man"]["2024-Q4"] == "447"
    assert by_label["vrouw"]["2022-Q3"] == "43"


def test_table_blocks_hold_their_caption(doc: DocumentStructure) -> None:
    blocks = [b for b in doc.blocks if b.kind == "table"]
    assert [(b.label, b.page) for b in blocks] == [
        ("Tabel 1", 7),
        ("Tabel 1", 8),
        ("Tabel 2", 21),
        ("Tabel 3", 23),
        ("Tabel 4", 43),
    ]
    assert blocks[0].text.startswith("Tabel 1 - Specifiek beleid")
    assert "Oekraïners ✔" in blocks[1].text


def test_captions(doc: DocumentStructure) -> None:
    labels = [c.label for c in doc.captions if c.label]
    assert labels == [f"Grafiek {n}" for n in range(1, 7)]
    grafiek = {c.label: c for c in doc.captions}
    assert grafiek["Grafiek 2"].text.startswith(
        "Grafiek 2 Migratie naar motief Haarlemmermeer in 2015, 2019 en 2023"
    )
    assert grafiek["Grafiek 2"].footnote_refs == (10,)
    assert "Nederland; 2015, 2019, 2023" in grafiek["Grafiek 6"].text  # caption continues after a blank line
    unlabeled = [c.text for c in doc.captions if not c.label]
    assert any(t.startswith("Stroomschema inburgeringsplichtige") for t in unlabeled)
    assert all(c.kind == "caption" for c in doc.captions)


# --- references ---------------------------------------------------------------------------------------------


def test_references(doc: DocumentStructure) -> None:
    refs = {(r.author, r.year, r.page) for r in doc.references}
    assert ("SCP", "2025", 3) in refs
    assert ("NIDI", "2023", 10) in refs
    assert ("Kasem en Lubberman", "2018", 11) in refs
    assert ("Lodenstein et al.", "2024", 83) in refs
    assert ("van der Meulen et al.", "2022", 53) in refs
    assert ("Heyma en Vervliet", "2022", 50) in refs  # a footnote citing a source
    assert not any(r.author.lower().startswith(("stand", "in ", "juli")) for r in doc.references)


# --- a small synthetic document -----------------------------------------------------------------------------


def _synthetic() -> list[Page]:
    return [
        Page("d", 1, "Voorwoord\n\nDit is de inleiding van het rapport.\n\nNog een alinea."),
        Page(
            "d",
            2,
            "1 Inleiding\n\n1.1 Aanleiding\n\nEen zin met een noot¹. Nog een zin die doorloopt\n"
            "op de volgende regel.\n• een opsomming;\n• nog een punt.\n\n"
            "Grafiek 1 Aantal personen\n\n1 Zie https://www.cbs.nl/nl-nl/nieuws en (CBS, 2024).",
        ),
        Page("d", 3, "DEEL 2\n\nTweede deel\n\n1 Inleiding\n\nTekst van het tweede deel (SCP, 2025)."),
    ]


def test_synthetic_document() -> None:
    doc = structure.analyze(_synthetic())
    assert [(s.part, s.number, s.title, s.level) for s in doc.sections] == [
        ("", "", "Voorwoord", 1),
        ("DEEL 1", "1", "Inleiding", 1),
        ("DEEL 1", "1.1", "Aanleiding", 2),
        ("DEEL 2", "DEEL 2", "Tweede deel", 0),
        ("DEEL 2", "1", "Inleiding", 1),
    ]
    assert [(f.number, f.page, f.urls) for f in doc.footnotes] == [
        (1, 2, ("https://www.cbs.nl/nl-nl/nieuws",))
    ]
    assert [b.kind for b in doc.blocks if b.page == 2] == [
        "heading",
        "heading",
        "body",
        "bullet",
        "bullet",
        "caption",
        "footnote",
    ]
    assert {(r.author, r.year) for r in doc.references} == {("CBS", "2024"), ("SCP", "2025")}
    assert structure.section_path(doc, 3, len(doc.pages[2].text) - 1) == "DEEL 2 > 1 Inleiding"


_line = st.text(alphabet="abcdefghij ABCD.,;:•-0123456789⁷()", min_size=0, max_size=40)


@settings(max_examples=60, deadline=None)
@given(st.lists(_line, min_size=1, max_size=15))
def test_any_page_is_covered_by_blocks(lines: list[str]) -> None:
    page = Page("d", 1, "\n".join(lines))
    doc = structure.analyze([page])
    covered = [0] * len(page.text)
    for b in doc.blocks:
        assert page.text[b.start : b.end] == b.text
        for k in range(b.start, b.end):
            covered[k] += 1
    assert all(covered[k] == 1 for k, ch in enumerate(page.text) if not ch.isspace())


def test_every_table_cell_is_a_fact_with_its_row_and_column(doc: DocumentStructure) -> None:
    from rekenqa.facts import extract_facts
    from rekenqa.load import read_profile

    profile = read_profile(Path(__file__).resolve().parents[1] / "corpus", "migratie-in-haarlemmermeer-2025.txt")
    cells = [f for f in extract_facts(doc, [], profile) if f.row]
    by_cell = {(f.page, f.row, f.column): f for f in cells}
    # Tabel 4: 3 rows of 11 quarters; a bare "468" in a cell is its value, not a label.
    assert sum(f.page == 43 for f in cells) == 33
    men = by_cell[(43, "man", "2025-Q1")]
    assert (men.value, men.kind, men.measure, men.period) == (468.0, "count", "man", "2025-Q1")
    assert by_cell[(43, "vrouw", "2025-Q1")].value == 538.0
    assert by_cell[(43, "Totaal", "2025-Q1")].measure == ""  # a total row counts the caption's people
    # Tabel 3: the "%" column holds shares, the "Absoluut" column counts; the caption's one group is the
    # population of every row ("Asiellanden" are arbeidsmigranten from asylum countries).
    share = by_cell[(23, "MOE-landers", "%")]
    count = by_cell[(23, "MOE-landers", "Absoluut")]
    assert (share.kind, share.value, count.kind, count.value) == ("percent", 18.0, "count", 725.0)
    assert by_cell[(23, "Asiellanden", "%")].groups == ("arbeidsmigranten",)


def test_cell_numbers_read_a_bare_number_as_the_cells_value() -> None:
    from rekenqa.facts import cell_numbers

    assert [(q.kind, q.value) for q in cell_numbers("468")] == [("count", 468.0)]
    assert [(q.kind, q.unit) for q in cell_numbers("18", "% MOE-landers")] == [("percent", "%")]
    assert [q.kind for q in cell_numbers("18", "Absoluut MOE-landers", "Aantal en aandeel")] == ["count"]
    assert [q.kind for q in cell_numbers("5,1%")] == ["percent"]
    assert cell_numbers("✔") == [] and cell_numbers("") == []
