from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import REPORT_META, REPORT_TXT
from pdfgen import write_pdf

from rekenqa.errors import CorpusInvalid, DocumentUnreadable
from rekenqa.load import corpus_hashes, discover, load_document, read_text_file, split_text_export


def test_report_pages_are_printed_pages_3_to_96(tiny_corpus: Path) -> None:
    files = discover(tiny_corpus)
    assert files[0].info.kind == "report"
    assert files[0].info.citation == "Rekenkamer Haarlemmermeer (2025), Migratie in Haarlemmermeer"
    pages = load_document(files[0])
    assert [p.number for p in pages] == list(range(3, 97))
    assert pages[0].text.lstrip().startswith("Voorwoord")
    # Three pages start with their own printed number: the count must agree with them.
    numbered = {p.number: p.text.split("\n")[0].strip() for p in pages if p.text.split("\n")[0].strip().isdigit()}
    assert numbered == {35: "35", 39: "39", 45: "45"}


def test_every_line_of_the_export_lands_on_one_page(tiny_corpus: Path) -> None:
    text = REPORT_TXT.read_text(encoding="utf-8")
    pages = split_text_export(text, "r", 3)
    assert "\n".join(p.text for p in pages) == text.replace("\r\n", "\n")


def test_page_of_a_known_sentence(tiny_corpus: Path) -> None:
    pages = load_document(discover(tiny_corpus)[0])
    hits = [p.number for p in pages if "op een totaal van 162.300 inwoners" in p.text]
    assert hits == [17]


def test_pdf_with_page_labels(tmp_path: Path) -> None:
    corpus = tmp_path / "c"
    corpus.mkdir()
    write_pdf(corpus / "bron.pdf", ["Eerste pagina over asiel.", "Tweede pagina over werk."], labels_start=11)
    files = discover(corpus)
    pages = load_document(files[0])
    assert [p.number for p in pages] == [11, 12]
    assert "asiel" in pages[0].text


def test_pdf_without_labels_uses_page_index(tmp_path: Path) -> None:
    write_pdf(tmp_path / "b.pdf", ["een", "twee", "drie"])
    pages = load_document(discover(tmp_path)[0])
    assert [p.number for p in pages] == [1, 2, 3]


@pytest.mark.parametrize(
    ("maker", "needle"),
    [
        (lambda p: write_pdf(p, ["geheim"], password="s3cret"), "wachtwoord"),
        (lambda p: p.write_bytes(b"%PDF-1.4\n%%EOF\n"), "beschadigd"),
        (lambda p: p.write_bytes(b""), "beschadigd"),
        (lambda p: write_pdf(p, ["", ""]), "geen tekst"),
        (lambda p: p.write_bytes((Path(write_pdf(p, ["tekst hier"])).read_bytes())[:60]), "beschadigd"),
    ],
    ids=["encrypted", "corrupt", "empty", "image-only", "truncated"],
)
def test_bad_pdfs_get_a_dutch_message_naming_the_file(tmp_path: Path, maker, needle: str) -> None:
    path = tmp_path / "kapot.pdf"
    maker(path)
    with pytest.raises(DocumentUnreadable) as err:
        load_document(discover(tmp_path)[0])
    assert "kapot.pdf" in str(err.value)
    assert needle in str(err.value)


def test_mixed_encoding_text_is_decoded_line_by_line(tmp_path: Path) -> None:
    path = tmp_path / "mix.txt"
    path.write_bytes("Oekraïne in UTF-8\n".encode() + "café in cp1252\n".encode("cp1252"))
    text = read_text_file(path)
    assert "Oekraïne" in text and "café" in text


def test_symlink_outside_corpus_is_skipped(tmp_path: Path) -> None:
    outside = tmp_path / "buiten.txt"
    outside.write_text("geheime tekst", encoding="utf-8")
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "link.txt").symlink_to(outside)
    (corpus / "echt.md").write_text("# Bron\nTekst.", encoding="utf-8")
    assert [f.path.name for f in discover(corpus)] == ["echt.md"]
    assert "link.txt" not in corpus_hashes(corpus)


def test_duplicate_document_is_indexed_once(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text("zelfde tekst", encoding="utf-8")
    (tmp_path / "b.md").write_text("zelfde tekst", encoding="utf-8")
    assert len(discover(tmp_path)) == 1


def test_bad_catalog_and_missing_corpus(tmp_path: Path) -> None:
    with pytest.raises(CorpusInvalid, match="bestaat niet"):
        discover(tmp_path / "nope")
    (tmp_path / "a.md").write_text("tekst", encoding="utf-8")
    (tmp_path / "a.md.meta.json").write_text("{kapot", encoding="utf-8")
    with pytest.raises(CorpusInvalid, match="geen geldige JSON"):
        discover(tmp_path)


def test_catalog_of_the_report_is_complete() -> None:
    meta = json.loads(REPORT_META.read_text(encoding="utf-8"))
    for key in ("id", "title", "publisher", "year", "kind", "citation"):
        assert meta[key]


def test_formfeed_text_and_markdown(tmp_path: Path) -> None:
    (tmp_path / "f.txt").write_text("pagina een\fpagina twee\f", encoding="utf-8")
    (tmp_path / "g.md").write_text("# Titel\n\nEen bron.", encoding="utf-8")
    docs = {f.path.name: load_document(f) for f in discover(tmp_path)}
    assert [p.number for p in docs["f.txt"]] == [1, 2]
    assert len(docs["g.md"]) == 1
