"""The PDF path: the bundled report typeset as a real PDF (tests/report_pdf.py) reads back as the export does.

Front matter labelled i-iv, pages 3-96, a running header, footer page numbers, footnotes at the page foot,
ligature code points, soft hyphens and non-breaking spaces: the reader must give printed page labels, clean
text without furniture, and the export's structure (sections, footnotes, tables) on the same pages.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pdfgen import SCAN, write_pdf
from report_pdf import HEADER_TEXT, typeset_report

from rekenqa import load, repair, structure
from rekenqa.pdf import read_pdf
from rekenqa.pdf.furniture import is_page_number
from rekenqa.pdf.labels import page_name, page_numbers
from rekenqa.pdf.layout import toc_entry
from rekenqa.settings import PROJECT_ROOT
from rekenqa.types import DocumentStructure, Page

LIGATURE_POINTS = re.compile("[\ufb00-\ufb06\u00ad\u00a0]")


@pytest.fixture(scope="module")
def report_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return typeset_report(PROJECT_ROOT / "corpus", tmp_path_factory.mktemp("pdf") / "rapport.pdf")


@pytest.fixture(scope="module")
def pdf_pages(report_pdf: Path) -> list[Page]:
    return list(read_pdf(report_pdf, "rapport").pages)


def _analyse(pages: list[Page]) -> DocumentStructure:
    return structure.analyze(repair.repair_pages(pages, repair.build_vocabulary(pages)))


@pytest.fixture(scope="module")
def pdf_structure(pdf_pages: list[Page]) -> DocumentStructure:
    return _analyse(pdf_pages)


@pytest.fixture(scope="module")
def export_structure() -> DocumentStructure:
    entry = next(e for e in load.discover(PROJECT_ROOT / "corpus") if e.info.kind == "report")
    return _analyse(load.load_document(entry))


# ----------------------------------------------------------------------------- labels


def test_page_labels_are_the_printed_ones(pdf_pages: list[Page]) -> None:
    names = [p.name for p in pdf_pages]
    assert names == ["i", "ii", "iii", "iv", *map(str, range(3, 97))]
    numbers = [p.number for p in pdf_pages]
    assert len(set(numbers)) == len(numbers), "two pages share a number"
    assert numbers[4:] == list(range(3, 97)), "arabic pages keep their printed number"
    assert all(n < 0 for n in numbers[:4]) and numbers[:4] == sorted(numbers[:4])


def test_page_numbers_never_collide() -> None:
    assert page_numbers(["i", "ii", "1", "2"]) == [(-4, "i"), (-3, "ii"), (1, ""), (2, "")]
    # A number printed twice (an appendix restarting at 1) keeps its label but gets its own number.
    assert page_numbers(["1", "2", "1"]) == [(1, ""), (2, ""), (-1, "1")]
    assert page_numbers(["", "A-1"]) == [(1, ""), (-1, "A-1")]
    assert page_name(-3, "ii") == "ii" and page_name(17) == "17"


# ----------------------------------------------------------------------------- clean text


def test_no_ligature_code_points_soft_hyphens_or_odd_spaces(report_pdf: Path, pdf_pages: list[Page]) -> None:
    from pypdf import PdfReader

    raw = "".join(page.extract_text() for page in PdfReader(str(report_pdf)).pages)
    assert "\ufb01" in raw and "\u00ad" in raw, "the fixture must contain the artefacts it tests"
    assert not any(LIGATURE_POINTS.search(p.text) for p in pdf_pages)


def test_running_header_and_page_numbers_are_gone(pdf_pages: list[Page]) -> None:
    for page in pdf_pages:
        assert HEADER_TEXT not in page.text
        lines = [line.strip() for line in page.text.split("\n") if line.strip()]
        assert lines, f"page {page.name} is empty"
        assert lines[-1] != page.name, f"page {page.name} ends with its footer number"


def test_page_number_lines() -> None:
    assert is_page_number("17", "17") and is_page_number("- 17 -", "17") and is_page_number("iii", "iii")
    assert is_page_number("Pagina 17 van 96", "17")
    assert not is_page_number("17 procent", "17") and not is_page_number("iii", "iv")


def test_contents_lines_lose_their_leaders() -> None:
    assert toc_entry("2 Aard en omvang migratie . . . . . . . . 17") == "2 Aard en omvang migratie"
    assert toc_entry("Voorwoord ........ iii") == "Voorwoord"
    assert toc_entry("In 2023 waren het 18.480 migranten.") == "In 2023 waren het 18.480 migranten."


def test_text_matches_the_export_page_by_page(pdf_structure: DocumentStructure, export_structure: DocumentStructure) -> None:
    """Every printed page holds the same words as the export's page (hyphenation rejoined, markers set)."""

    def words(page: Page) -> set[str]:
        return set(re.findall(r"[a-zà-ÿ]{4,}", page.text.lower()))

    pdf = {p.number: p for p in pdf_structure.pages}
    worse = []
    for page in export_structure.pages:
        expected = words(page)
        got = words(pdf[page.number])
        missing = expected - got
        if expected and len(missing) > max(2, 0.03 * len(expected)):
            worse.append((page.number, sorted(missing)[:8]))
    assert not worse, worse


# ----------------------------------------------------------------------------- structure


def test_sections_footnotes_and_tables_match_the_export(
    pdf_structure: DocumentStructure, export_structure: DocumentStructure
) -> None:
    body = [s for s in pdf_structure.sections if s.page > 0]
    assert [(s.page, s.title) for s in body] == [(s.page, s.title) for s in export_structure.sections]
    assert [(f.number, f.page) for f in pdf_structure.footnotes] == [
        (f.number, f.page) for f in export_structure.footnotes
    ]
    assert [(t.label, t.page) for t in pdf_structure.tables] == [(t.label, t.page) for t in export_structure.tables]


def test_footnote_markers_are_superscripts_linked_to_their_notes(pdf_structure: DocumentStructure) -> None:
    page_17 = next(p for p in pdf_structure.pages if p.number == 17)
    assert "de inwoners⁷." in page_17.text
    refs = {n for b in pdf_structure.blocks if b.kind != "footnote" for n in b.footnote_refs}
    assert len(refs) >= 150


# ----------------------------------------------------------------------------- bad pages


def test_a_scanned_page_gets_a_dutch_note(tmp_path: Path) -> None:
    path = write_pdf(tmp_path / "bron.pdf", ["Eerste pagina met tekst over migratie.", SCAN, "Derde pagina."])
    doc = read_pdf(path, "bron")
    assert len(doc.notes) == 1 and "pagina 2" in doc.notes[0] and "geen tekst" in doc.notes[0]
    assert [p.text.strip() != "" for p in doc.pages] == [True, False, True]


def test_the_build_names_a_scanned_page_in_dutch(report_copy, fake_embedder) -> None:
    """The note reaches `rekenqa index`, `rekenqa info` and the app's sidebar (the manifest's skipped list)."""
    from rekenqa.index import read_manifest
    from rekenqa.pipeline import build_index

    write_pdf(report_copy.corpus_dir / "bron.pdf", ["Eerste pagina over huisvesting.", SCAN, "Derde pagina."])
    report = build_index(report_copy, embedder=fake_embedder)
    expected = "bron.pdf: pagina 2 van bron.pdf bevat geen tekst (een scan?) en is niet doorzoekbaar"
    assert expected in report.skipped
    assert expected in read_manifest(report_copy.index_dir)["skipped"]


def test_quotes_keep_their_pages(pdf_structure: DocumentStructure, export_structure: DocumentStructure) -> None:
    """A sentence of every export page, quoted, is found on the same printed page in the PDF as in the export."""
    from rekenqa.quotes import QuoteMatcher
    from rekenqa.sentences import split_sentences

    matcher = QuoteMatcher(list(pdf_structure.pages), lambda doc, pages: "")
    export = QuoteMatcher(list(export_structure.pages), lambda doc, pages: "")
    checked, wrong = 0, []
    for page in export_structure.pages:
        body = " ".join(b.text for b in export_structure.blocks if b.page == page.number and b.kind in ("body", "bullet"))
        spans = [s.text for s in split_sentences(" ".join(body.split())) if 8 <= len(s.text.split()) <= 40]
        if not spans:
            continue
        quote = spans[len(spans) // 2]
        verdict = matcher.check(quote)
        checked += 1
        if verdict.status not in ("exact", "harmless") or verdict.pages != export.check(quote).pages:
            wrong.append((page.number, verdict.status, verdict.pages, quote[:60]))
    assert checked >= 80
    assert not wrong, wrong


def test_tables_keep_every_cell(pdf_structure: DocumentStructure, export_structure: DocumentStructure) -> None:
    """Cells drawn at their own positions come back as the export's rows, header and values alike."""
    assert [t.rows for t in pdf_structure.tables] == [t.rows for t in export_structure.tables]
    assert all(t.rows for t in pdf_structure.tables)


def test_a_contents_page_is_shown_but_never_a_passage(pdf_structure: DocumentStructure) -> None:
    from rekenqa.chunk import chunk_document

    contents = [p for p in pdf_structure.pages if p.contents]
    assert [p.name for p in contents] == ["iii", "iv"]
    assert "Aard en omvang migratie Haarlemmermeer" in contents[0].text and ". . ." not in contents[0].text
    chunks = chunk_document(pdf_structure, min_words=40, max_words=220, overlap=1)
    assert chunks and not any(c.first_page in {p.number for p in contents} for c in chunks)


def test_a_numbered_heading_is_no_footnote_marker(tmp_path: Path) -> None:
    """Markers come from their font size: "1 Inleiding" at the top of a page stays a heading."""
    from report_pdf import typeset_document

    pages = [[("heading", "1 Inleiding"), ("paragraph", "In 2023 woonden er 18.480 migranten in de gemeente.")]]
    path = typeset_document(tmp_path / "bron.pdf", "Bron", pages, header="Bron")
    raw = list(read_pdf(path, "bron").pages)
    fixed = repair.repair_pages(raw, repair.build_vocabulary(raw))
    assert "\n1 Inleiding\n" in fixed[0].text and "¹" not in fixed[0].text
    assert "Inleiding" in [s.title for s in structure.analyze(fixed).sections]
