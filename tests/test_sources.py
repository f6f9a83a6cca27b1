"""Cited sources as documents: ``rekenqa add`` / ``remove`` / ``sources`` and the incremental index build.

With the real report, the real embedder and a copy of the real index (never /work/main/corpus or index/).
Sources are small generated PDFs (tests/pdfgen.py).
"""

from __future__ import annotations

import hashlib
import json
import shutil
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from conftest import copy_index
from pdfgen import SCAN, write_pdf
from typer.testing import CliRunner

from rekenqa import build, catalog, embed, pipeline
from rekenqa.catalog import SourceMeta
from rekenqa.cli import app
from rekenqa.errors import DocumentUnreadable, InputInvalid, NotFound, RekenQAError
from rekenqa.index import FORMAT_VERSION, document_rows, load_index, read_manifest, sentence_lines
from rekenqa.settings import Settings

pytestmark = pytest.mark.model
runner = CliRunner()

TOPICS = ("arbeidsmigranten", "statushouders", "studiemigranten", "gezinsmigranten", "Oekraïense ontheemden")
PLACES = ("Hoofddorp", "Nieuw-Vennep", "Badhoevedorp", "Zwanenburg", "Haarlem", "Amstelveen")
PHAROS = "https://www.pharos.nl/thema/gezondheid-en-migranten/"  # cited by footnote 35 of the report


class CountingEmbedder:
    """The real embedder, counting what it is asked to embed."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.id = inner.id
        self.dim = inner.dim
        self.passages: list[list[str]] = []

    @property
    def lines(self) -> int:
        return sum(len(call) for call in self.passages)

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        return self.inner.embed_queries(texts)

    def embed_passages(self, texts: Sequence[str], show_progress: bool = False) -> np.ndarray:
        self.passages.append(list(texts))
        return self.inner.embed_passages(texts, show_progress=show_progress)


def source_pages(n: int, seed: int = 0) -> list[str]:
    """``n`` pages of plain Dutch text with numbers, different per page (no repeated lines)."""
    pages = []
    for p in range(n):
        lines = [f"Hoofdstuk {p + 1 + seed * 100}: ontwikkelingen in {PLACES[(p + seed) % len(PLACES)]}"]
        for i in range(6):
            k = p * 31 + i * 7 + seed * 13
            lines.append(
                f"In {2015 + k % 10} woonden er {1000 + k * 17} {TOPICS[k % len(TOPICS)]} in "
                f"{PLACES[(k // 3) % len(PLACES)]}, een stijging van {k % 40} procent."
            )
        pages.append("\n".join(lines))
    return pages


def snapshot(folder: Path) -> dict[str, str]:
    """sha256 of every file under ``folder``, by relative path."""
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def rows_of(settings: Settings, doc_id: str) -> tuple[list[str], np.ndarray, np.ndarray]:
    """A document's chunks.jsonl lines, sentence vectors and passage vectors, as stored."""
    index = load_index(settings.index_dir)
    rows = document_rows(index.manifest)[doc_id]
    lines = (settings.index_dir / "chunks.jsonl").read_text(encoding="utf-8").splitlines()[slice(*rows.chunks)]
    assert index.sentence_vectors is not None
    sentences = np.array(index.sentence_vectors[slice(*rows.sentences)])
    passages = index.dense.reconstruct_n(rows.chunks[0], rows.chunks[1] - rows.chunks[0])
    return lines, sentences, passages


@pytest.fixture(scope="module")
def base(real_engine: Any, real_settings: Settings, tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """A private copy of the real report's corpus and index (built with the real embedder)."""
    return copy_index(real_settings, tmp_path_factory.mktemp("sources-base"))


@pytest.fixture
def counting(real_engine: Any) -> CountingEmbedder:
    return CountingEmbedder(real_engine.embedder)


@pytest.fixture
def copy(base: Settings, tmp_path: Path) -> Settings:
    return copy_index(base, tmp_path / "kopie")


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("pdfs")
    return {
        "cbs": write_pdf(folder / "CBS Migranten in gemeenten 2024.pdf", source_pages(4, seed=1)),
        "scp": write_pdf(folder / "scp_burgerperspectieven.pdf", source_pages(3, seed=2)),
    }


@pytest.fixture(scope="module")
def two_added(base: Settings, pdfs: dict[str, Path], real_engine: Any, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The report with two sources added one after the other; what was embedded, and the report's rows before.

    The second one sorts before the first (documents are ordered by path): the first one's rows move.
    """
    settings = copy_index(base, tmp_path_factory.mktemp("two-added"))
    before = rows_of(settings, real_engine.index.report.id)
    first, second = CountingEmbedder(real_engine.embedder), CountingEmbedder(real_engine.embedder)
    scp = pipeline.add_source(settings, pdfs["scp"], SourceMeta(publisher="SCP", year=2025, doc_id="scp-2025"), embedder=first)
    scp_rows = rows_of(settings, "scp-2025")
    cbs = pipeline.add_source(
        settings, pdfs["cbs"], SourceMeta(title="Migranten in gemeenten", publisher="CBS", year=2024, url=PHAROS),
        embedder=second,
    )
    return {"settings": settings, "before": before, "scp_rows": scp_rows, "changes": (cbs, scp), "embedders": (second, first)}


# ---------------------------------------------------------------- adding


def test_added_sources_are_indexed_and_only_they_are_embedded(two_added: dict[str, Any], real_engine: Any) -> None:
    settings: Settings = two_added["settings"]
    cbs, scp = two_added["changes"]
    assert (cbs.doc_id, cbs.path, cbs.pages) == ("cbs-migranten-in-gemeenten-2024", "cbs-migranten-in-gemeenten-2024.pdf", 4)
    assert (scp.doc_id, scp.path, scp.pages) == ("scp-2025", "scp-burgerperspectieven.pdf", 3)
    assert cbs.chunks > 0 and scp.chunks > 0
    report_id = real_engine.index.report.id
    index = load_index(settings.index_dir)
    for change, embedder in zip(two_added["changes"], two_added["embedders"], strict=True):
        # Exactly the sentences of the new document (in slices, for progress): nothing of the report or the
        # other source.
        own = [c for c in index.chunks if c.doc_id == change.doc_id]
        assert 1 <= len(embedder.passages) <= build.EMBED_STEPS
        assert embedder.lines == sum(len(sentence_lines(c)) for c in own)
        assert change.build.prepared == (change.doc_id,) and report_id in change.build.reused
        assert change.build.full_because == "" and change.build.embedded == embedder.lines
    assert [d.id for d in index.documents] == [report_id, cbs.doc_id, scp.doc_id]
    # The report's chunks and vectors are untouched: byte-equal rows; so are the moved rows of the first source.
    for doc_id, old in ((report_id, two_added["before"]), (scp.doc_id, two_added["scp_rows"])):
        lines, sentences, passages = rows_of(settings, doc_id)
        old_lines, old_sentences, old_passages = old
        assert lines == old_lines
        assert sentences.dtype == old_sentences.dtype and sentences.tobytes() == old_sentences.tobytes()
        assert passages.tobytes() == old_passages.tobytes()


def test_added_sources_show_in_info_and_sources(two_added: dict[str, Any], real_engine: Any) -> None:
    settings: Settings = two_added["settings"]
    engine = pipeline.Engine.open(settings, embedder=real_engine.embedder, auto_build=False)
    docs = {d["id"]: d for d in engine.info()["documents"]}
    assert set(docs) == {real_engine.index.report.id, "cbs-migranten-in-gemeenten-2024", "scp-2025"}
    assert docs["cbs-migranten-in-gemeenten-2024"]["title"] == "Migranten in gemeenten"
    assert docs["cbs-migranten-in-gemeenten-2024"]["citation"] == "CBS (2024), Migranten in gemeenten"
    assert docs["scp-2025"]["kind"] == "source" and docs["scp-2025"]["pages"] == 3
    assert docs["scp-2025"]["title"] == "Scp burgerperspectieven"  # no --title, no /Title: from the file name
    linked = {s.footnote: s.in_corpus_doc for s in engine.sources() if s.in_corpus_doc}
    assert linked.get(35) == "cbs-migranten-in-gemeenten-2024"  # by its --url
    meta = json.loads((settings.corpus_dir / "scp-burgerperspectieven.pdf.meta.json").read_text(encoding="utf-8"))
    assert meta == {"id": "scp-2025", "title": "Scp burgerperspectieven", "publisher": "SCP", "year": 2025,
                    "kind": "source", "citation": "SCP (2025), Scp burgerperspectieven", "url": ""}


def test_manifest_records_hashes_and_rows_per_document(two_added: dict[str, Any]) -> None:
    settings: Settings = two_added["settings"]
    manifest = read_manifest(settings.index_dir)
    assert manifest["format_version"] == FORMAT_VERSION == 8
    rows = document_rows(manifest)
    assert list(rows) == [d["id"] for d in manifest["documents"]]
    corpus = manifest["corpus"]
    ends = {"chunks": 0, "sentences": 0, "facts": 0, "pages": 0}
    for doc in rows.values():
        assert doc.sha256 == corpus[doc.path] and doc.catalog_sha256 == corpus[doc.catalog]
        for key in ends:  # contiguous, in document order
            start, end = getattr(doc, key)
            assert start == ends[key] and end >= start
            ends[key] = end
    index = load_index(settings.index_dir)
    assert index.sentence_vectors is not None
    assert ends == {"chunks": len(index.chunks), "sentences": len(index.sentence_vectors), "facts": len(index.facts),
                    "pages": len(index.pages)}


def test_incremental_build_equals_full_build(two_added: dict[str, Any], real_engine: Any, tmp_path: Path) -> None:
    settings: Settings = two_added["settings"]
    full = settings.replace(index_dir=tmp_path / "full")
    report = pipeline.build_index(full, embedder=real_engine.embedder, full=True)
    assert report.full_because and report.reused == () and len(report.prepared) == 3
    for name in ("chunks.jsonl", "facts.jsonl", "pages.jsonl", "structure.json", "bm25.json"):
        assert (settings.index_dir / name).read_bytes() == (full.index_dir / name).read_bytes(), name
    inc_manifest, full_manifest = read_manifest(settings.index_dir), read_manifest(full.index_dir)
    for key in ("created", "files", "checksum"):  # the checksum covers the creation time and the files' checksums
        inc_manifest.pop(key)
        full_manifest.pop(key)
    assert inc_manifest == full_manifest
    inc, whole = load_index(settings.index_dir), load_index(full.index_dir)
    assert inc.sentence_vectors is not None and whole.sentence_vectors is not None
    assert inc.sentence_vectors.shape == whole.sentence_vectors.shape
    # Equal within float16 rounding: a sentence embedded alone or in another batch differs in the last bits.
    np.testing.assert_allclose(inc.sentence_vectors.astype(np.float32), whole.sentence_vectors.astype(np.float32), atol=2e-3)
    np.testing.assert_allclose(inc.dense.reconstruct_n(0, inc.dense.ntotal), whole.dense.reconstruct_n(0, whole.dense.ntotal), atol=2e-3)


def test_unchanged_corpus_reuses_every_document(two_added: dict[str, Any], counting: CountingEmbedder, tmp_path: Path) -> None:
    settings = copy_index(two_added["settings"], tmp_path)
    report = pipeline.build_index(settings, embedder=counting)
    assert report.prepared == () and len(report.reused) == 3 and counting.lines == 0


# ---------------------------------------------------------------- removing


def test_remove_source_embeds_nothing_and_keeps_the_rest(
    two_added: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = copy_index(two_added["settings"], tmp_path)
    report_id = load_index(settings.index_dir).report.id
    keep = rows_of(settings, "scp-2025"), rows_of(settings, report_id)

    def no_model() -> embed.Embedder:
        raise AssertionError("removing a source must not load the embedder")

    built_with = load_index(settings.index_dir).manifest["embedder"]
    # The configured embedder, as the build gets it: lazy, with the index's id; loading it fails the test.
    lazy = embed.LazyEmbedder(no_model, built_with["id"], built_with["dim"])
    monkeypatch.setattr(build, "load_embedder", lambda settings: lazy)
    change = pipeline.remove_source(settings, "cbs-migranten-in-gemeenten-2024")
    assert (change.doc_id, change.pages) == ("cbs-migranten-in-gemeenten-2024", 4) and change.chunks > 0
    assert change.build.prepared == () and change.build.embedded == 0
    assert sorted(p.name for p in settings.corpus_dir.iterdir()) == sorted(
        [f.name for f in two_added["settings"].corpus_dir.iterdir() if not f.name.startswith("cbs-")]
    )
    index = load_index(settings.index_dir)
    assert [d.id for d in index.documents] == [report_id, "scp-2025"]
    assert not any(c.doc_id.startswith("cbs-") for c in index.chunks)
    for doc_id, (lines, sentences, passages) in zip(("scp-2025", report_id), keep, strict=True):
        now = rows_of(settings, doc_id)
        assert now[0] == lines and now[1].tobytes() == sentences.tobytes() and now[2].tobytes() == passages.tobytes()
    assert pipeline.index_status(settings, two_added["embedders"][0].id).fresh
    assert not list(settings.corpus_dir.parent.glob(".corpus.removed-*"))


@pytest.mark.parametrize(("doc_id", "error", "message"), [
    ("migratie-haarlemmermeer-2025", InputInvalid, "is het rapport zelf en kan niet worden verwijderd"),
    ("bestaat-niet", NotFound, "Onbekende bron 'bestaat-niet'. Bekende documenten: migratie-haarlemmermeer-2025 (rapport)"),
])
def test_remove_refuses_the_report_and_unknown_ids(copy: Settings, doc_id: str, error: type, message: str) -> None:
    before, index_before = snapshot(copy.corpus_dir), snapshot(copy.index_dir)
    with pytest.raises(error) as err:
        pipeline.remove_source(copy, doc_id)
    assert message in str(err.value)
    assert snapshot(copy.corpus_dir) == before and snapshot(copy.index_dir) == index_before


def test_failed_build_puts_a_removed_source_back(two_added: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    settings = copy_index(two_added["settings"], tmp_path)
    before, index_before = snapshot(settings.corpus_dir), snapshot(settings.index_dir)

    def fail(*args: object, **kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("rekenqa.index._write_jsonl", fail)
    with pytest.raises(RekenQAError, match="vorige index is onaangetast"):
        pipeline.remove_source(settings, "scp-2025")
    assert snapshot(settings.corpus_dir) == before and snapshot(settings.index_dir) == index_before


# ---------------------------------------------------------------- refusals leave corpus/ as it was


def _image_only_pdf(path: Path) -> Path:
    """One page that draws a 2x2 grey image and has no text layer (a scan)."""
    return write_pdf(path, [SCAN])


def _refusals(folder: Path, corpus: Path) -> dict[str, tuple[Path, SourceMeta, str]]:
    report = next(p for p in corpus.iterdir() if p.suffix == ".txt")
    return {
        "encrypted": (write_pdf(folder / "geheim.pdf", source_pages(2), password="geheim"), SourceMeta(), "beveiligd met een wachtwoord"),
        "image-only": (_image_only_pdf(folder / "scan.pdf"), SourceMeta(), "bevat geen tekst"),
        "blank": (write_pdf(folder / "leeg.pdf", ["", ""]), SourceMeta(), "bevat geen tekst"),
        "damaged": (_write(folder / "kapot.pdf", b"%PDF-1.4 rommel"), SourceMeta(), "beschadigd of onvolledig"),
        "empty-text": (_write(folder / "leeg.txt", b"  \n "), SourceMeta(), "is leeg"),
        "duplicate-content": (Path(shutil.copy(report, folder / "kopie-rapport.txt")), SourceMeta(), "staat al in corpus/ als 'migratie-haarlemmermeer-2025'"),
        "duplicate-id": (write_pdf(folder / "bron.pdf", source_pages(1, 7)), SourceMeta(doc_id="migratie-haarlemmermeer-2025"), "al in gebruik"),
        "reserved-id": (write_pdf(folder / "bron2.pdf", source_pages(1, 8)), SourceMeta(doc_id="rapport"), "gereserveerd"),
        "bad-id": (write_pdf(folder / "bron3.pdf", source_pages(1, 9)), SourceMeta(doc_id="Mijn Bron!"), "Ongeldige id"),
        "bad-year": (write_pdf(folder / "bron4.pdf", source_pages(1, 10)), SourceMeta(year=20245), "Ongeldig jaar"),
        "bad-url": (write_pdf(folder / "bron5.pdf", source_pages(1, 11)), SourceMeta(url="cbs.nl"), "Ongeldige URL"),
        "unsupported": (_write(folder / "bron.docx", b"PK\x03\x04"), SourceMeta(), "alleen PDF-, .txt- en .md-bestanden"),
        "missing": (folder / "bestaat-niet.pdf", SourceMeta(), "Bestand niet gevonden"),
    }


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


REFUSALS = ["encrypted", "image-only", "blank", "damaged", "empty-text", "duplicate-content", "duplicate-id",
            "reserved-id", "bad-id", "bad-year", "bad-url", "unsupported", "missing"]


@pytest.mark.parametrize("case", REFUSALS)
def test_refused_sources_leave_corpus_and_index_unchanged(
    copy: Settings, counting: CountingEmbedder, tmp_path: Path, case: str
) -> None:
    path, meta, message = _refusals(tmp_path, copy.corpus_dir)[case]
    before, index_before = snapshot(copy.corpus_dir), snapshot(copy.index_dir)
    with pytest.raises(RekenQAError) as err:
        pipeline.add_source(copy, path, meta, embedder=counting)
    assert message in str(err.value)
    assert snapshot(copy.corpus_dir) == before and snapshot(copy.index_dir) == index_before
    assert counting.lines == 0


def test_too_many_pages_is_refused(copy: Settings, counting: CountingEmbedder, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import rekenqa.pdf.reader as reader

    monkeypatch.setattr(reader, "MAX_PDF_PAGES", 3)
    before = snapshot(copy.corpus_dir)
    with pytest.raises(DocumentUnreadable, match="heeft 5 pagina's; het maximum is 3"):
        pipeline.add_source(copy, write_pdf(tmp_path / "lang.pdf", source_pages(5)), embedder=counting)
    assert snapshot(copy.corpus_dir) == before


def test_duplicate_of_an_added_source_is_refused(two_added: dict[str, Any], pdfs: dict[str, Path], tmp_path: Path) -> None:
    settings = copy_index(two_added["settings"], tmp_path / "k")
    renamed = Path(shutil.copy(pdfs["scp"], tmp_path / "andere-naam.pdf"))
    before = snapshot(settings.corpus_dir)
    with pytest.raises(InputInvalid, match="staat al in corpus/ als 'scp-2025' \\(scp-burgerperspectieven.pdf\\)"):
        pipeline.add_source(settings, renamed)
    assert snapshot(settings.corpus_dir) == before


def test_failed_build_removes_the_added_files(copy: Settings, counting: CountingEmbedder, pdfs: dict[str, Path],
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    before, index_before = snapshot(copy.corpus_dir), snapshot(copy.index_dir)

    def fail(*args: object, **kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("rekenqa.index._write_jsonl", fail)
    with pytest.raises(RekenQAError, match="vorige index is onaangetast"):
        pipeline.add_source(copy, pdfs["cbs"], embedder=counting)
    assert snapshot(copy.corpus_dir) == before and snapshot(copy.index_dir) == index_before


# ---------------------------------------------------------------- what forces a full build


def test_changed_source_catalog_prepares_only_that_source(two_added: dict[str, Any], counting: CountingEmbedder, tmp_path: Path) -> None:
    settings = copy_index(two_added["settings"], tmp_path)
    meta_path = settings.corpus_dir / "scp-burgerperspectieven.pdf.meta.json"
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    meta_path.write_text(json.dumps({**meta, "title": "Burgerperspectieven 2025"}), encoding="utf-8")
    report = pipeline.build_index(settings, embedder=counting)
    assert report.prepared == ("scp-2025",) and len(report.reused) == 2
    assert load_index(settings.index_dir).document("scp-2025").title == "Burgerperspectieven 2025"  # type: ignore[union-attr]


@pytest.mark.parametrize("change", ["report-catalog", "chunking", "damaged", "format", "embedder"])
def test_full_build_when_everything_depends_on_it(
    report_copy: Settings, tmp_path: Path, change: str
) -> None:
    """With the fake embedder (the reasons, not the vectors, are tested here)."""
    from conftest import FakeEmbedder

    settings = report_copy
    write_pdf(settings.corpus_dir / "bron.pdf", source_pages(2, seed=3))
    first = pipeline.build_index(settings, embedder=FakeEmbedder())
    assert first.prepared == ("bron",) and first.full_because == ""
    embedder: Any = FakeEmbedder()
    if change == "report-catalog":
        meta = next(settings.corpus_dir.glob("*.txt.meta.json"))
        data = json.loads(meta.read_text(encoding="utf-8"))
        data["profile"]["places"].append("lisse")
        meta.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        why = "catalogus van het rapport"
    elif change == "chunking":
        settings = settings.replace(chunk_max_words=settings.chunk_max_words + 10)
        why = "andere instellingen voor passages"
    elif change == "damaged":
        (settings.index_dir / "facts.jsonl").write_text("kapot\n", encoding="utf-8")
        why = "beschadigd"
    elif change == "format":
        manifest = json.loads((settings.index_dir / "manifest.json").read_text(encoding="utf-8"))
        manifest["format_version"] = FORMAT_VERSION - 1
        (settings.index_dir / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
        why = "oud formaat"
    else:
        embedder.id = "een-andere-embedder"
        why = "andere embedder"
    report = pipeline.build_index(settings, embedder=embedder)
    assert why in report.full_because and report.reused == () and len(report.prepared) == 2


def test_changed_report_text_prepares_only_the_report(report_copy: Settings) -> None:
    from conftest import FakeEmbedder

    write_pdf(report_copy.corpus_dir / "bron.pdf", source_pages(2, seed=4))
    pipeline.build_index(report_copy, embedder=FakeEmbedder())
    report_txt = next(report_copy.corpus_dir.glob("*.txt"))
    report_txt.write_text(report_txt.read_text(encoding="utf-8") + "\nEen extra regel.\n", encoding="utf-8")
    report = pipeline.build_index(report_copy, embedder=FakeEmbedder())
    assert report.prepared == ("migratie-haarlemmermeer-2025",) and report.reused == ("bron",)


def test_unchanged_unreadable_source_is_not_read_again(report_copy: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    from conftest import FakeEmbedder

    (report_copy.corpus_dir / "kapot.pdf").write_bytes(b"%PDF-1.4 rommel")
    first = pipeline.build_index(report_copy, embedder=FakeEmbedder())
    assert [line.split(":")[0] for line in first.skipped] == ["kapot.pdf"]

    def no_reading(entry: object) -> None:
        raise AssertionError("nothing changed: nothing is read")

    monkeypatch.setattr(pipeline.load, "load_document", no_reading)
    again = pipeline.build_index(report_copy, embedder=FakeEmbedder())
    assert again.skipped == first.skipped and again.prepared == ()


# ---------------------------------------------------------------- catalog


def test_safe_names_never_overwrite(tmp_path: Path) -> None:
    (tmp_path / "cbs-rapport.pdf").write_bytes(b"x")
    (tmp_path / "cbs-rapport-2.pdf.meta.json").write_text("{}")  # a leftover catalog file blocks its name too
    assert catalog.free_name(tmp_path, Path("/elders/CBS Rapport.PDF")) == "cbs-rapport-3.pdf"
    assert catalog.free_name(tmp_path, Path("../../etc/passwd.txt")) == "passwd.txt"
    assert catalog.free_name(tmp_path, Path("€€€.md")) == "bron.md"


def test_title_defaults_to_the_pdf_title(tmp_path: Path) -> None:
    from pypdf import PdfReader, PdfWriter

    path = write_pdf(tmp_path / "x.pdf", source_pages(1))
    writer = PdfWriter(clone_from=PdfReader(str(path)))
    writer.add_metadata({"/Title": "Microsoft Word - Staat van Migratie 2024"})
    with path.open("wb") as handle:
        writer.write(handle)
    assert catalog.catalog_for(path, "x", SourceMeta(publisher="CBS"))["title"] == "Staat van Migratie 2024"
    assert catalog.catalog_for(path, "x", SourceMeta(title="Eigen titel"))["citation"] == "Onbekende uitgever, Eigen titel"


# ---------------------------------------------------------------- the command line


@pytest.fixture
def cli_copy(copy: Settings, counting: CountingEmbedder, monkeypatch: pytest.MonkeyPatch) -> Settings:
    monkeypatch.setenv("REKENQA_INDEX_DIR", str(copy.index_dir))
    monkeypatch.setenv("REKENQA_CORPUS_DIR", str(copy.corpus_dir))
    monkeypatch.setattr(build, "load_embedder", lambda settings: counting)  # the loaded model, counted
    return copy


def test_cli_add_info_sources_remove(cli_copy: Settings, counting: CountingEmbedder, pdfs: dict[str, Path]) -> None:
    result = runner.invoke(app, ["add", str(pdfs["cbs"]), "--title", "Migranten in gemeenten", "--publisher", "CBS",
                                 "--year", "2024", "--id", "cbs-2024", "--url", PHAROS])
    assert result.exit_code == 0, result.output
    assert "Toegevoegd: cbs-2024 (corpus/cbs-migranten-in-gemeenten-2024.pdf) — 4 pagina's," in result.output
    assert " passages, in " in result.output and "nieuwe passages insluiten" in result.output
    assert len(counting.passages) == 1
    result = runner.invoke(app, ["info"])
    assert result.exit_code == 0, result.output
    assert "- cbs-2024 (bron): Migranten in gemeenten — 4 pagina's" in result.output
    assert "Index opnieuw opgebouwd" not in result.output  # fresh after add
    result = runner.invoke(app, ["sources"])
    assert result.exit_code == 0, result.output
    assert "waarvan 1 in corpus/" in result.output and "[ 35] p. 34  in corpus als cbs-2024" in result.output
    data = json.loads(runner.invoke(app, ["sources", "--json"]).output)
    assert [s["footnote"] for s in data if s["in_corpus_doc"] == "cbs-2024"] == [35]
    result = runner.invoke(app, ["remove", "cbs-2024"])
    assert result.exit_code == 0, result.output
    assert "Verwijderd: cbs-2024 (corpus/cbs-migranten-in-gemeenten-2024.pdf) — 4 pagina's" in result.output
    assert len(counting.passages) == 1  # removing embedded nothing
    assert not (cli_copy.corpus_dir / "cbs-migranten-in-gemeenten-2024.pdf").exists()
    assert "cbs-2024" not in runner.invoke(app, ["info"]).output


def test_cli_refusals_are_dutch(cli_copy: Settings, tmp_path: Path) -> None:
    before = snapshot(cli_copy.corpus_dir)
    encrypted = write_pdf(tmp_path / "geheim.pdf", source_pages(1), password="geheim")
    result = runner.invoke(app, ["add", str(encrypted)])
    assert result.exit_code == 1 and "Fout: De PDF geheim.pdf is beveiligd met een wachtwoord." in result.output
    result = runner.invoke(app, ["remove", "rapport"])
    assert result.exit_code == 1 and "Fout: 'migratie-haarlemmermeer-2025' is het rapport zelf" in result.output
    result = runner.invoke(app, ["remove", "onbekend"])
    assert result.exit_code == 1 and "Fout: Onbekende bron 'onbekend'. Bekende documenten:" in result.output
    result = runner.invoke(app, ["remove", "migratie-haarlemmermeer-2025"])
    assert result.exit_code == 1 and "het rapport zelf en kan niet worden verwijderd" in result.output
    assert snapshot(cli_copy.corpus_dir) == before
