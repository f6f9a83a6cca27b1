"""End to end with the fake embedder: build, freshness, rebuild, pages, sources, input errors."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from rekenqa.citations import format_citation
from rekenqa.errors import IndexOutdated, InputInvalid, NotFound
from rekenqa.pipeline import Engine, build_index, index_status, prepare_corpus
from rekenqa.settings import Settings
from rekenqa.speech import is_checkworthy


@pytest.fixture(scope="module")
def fake_settings(report_index: Settings, tmp_path_factory: pytest.TempPathFactory) -> Settings:
    from conftest import copy_index

    return copy_index(report_index, tmp_path_factory.mktemp("fakeidx"))


@pytest.fixture(scope="module")
def fake_engine(fake_settings: Settings) -> Engine:
    from conftest import FakeEmbedder

    return Engine.open(fake_settings, embedder=FakeEmbedder())


def test_build_counts_and_manifest(fake_engine: Engine) -> None:
    manifest = fake_engine.index.manifest
    assert manifest["counts"]["pages"] == 94
    assert manifest["counts"]["chunks"] > 100
    assert manifest["counts"]["facts"] > 300
    assert manifest["embedder"] == {"id": "fake-embedder-64", "dim": 64}
    assert set(manifest["corpus"]) == {"migratie-in-haarlemmermeer-2025.txt", "migratie-in-haarlemmermeer-2025.txt.meta.json"}
    chunks = fake_engine.index.chunks
    assert {c.kind for c in chunks} >= {"text", "table", "footnotes"}
    assert all(3 <= c.first_page <= c.last_page <= 96 for c in chunks)
    assert len({c.id for c in chunks}) == len(chunks)


def test_page_17_with_footnotes(fake_engine: Engine) -> None:
    view = fake_engine.page("rapport", 17)
    assert "op een totaal van 162.300 inwoners" in view.page.text
    assert [n.number for n in view.footnotes] == [7, 8]
    with pytest.raises(NotFound, match="Kies een pagina van 3 tot en met 96"):
        fake_engine.page("rapport", 200)
    with pytest.raises(NotFound, match="Onbekend document"):
        fake_engine.page("../../etc/passwd", 1)


def test_sources_list_footnotes_with_urls(fake_engine: Engine) -> None:
    sources = fake_engine.sources()
    assert len(sources) >= 30
    assert all(u.startswith("http") for s in sources for u in s.urls)
    assert not any("hqp" in u for s in sources for u in s.urls)
    assert all(s.in_corpus_doc is None for s in sources)


def test_changed_corpus_is_detected_and_rebuilt(fake_settings: Settings, fake_engine: Engine, tmp_path: Path) -> None:
    from conftest import FakeEmbedder

    from rekenqa.index import check_fresh, read_manifest
    from rekenqa.load import corpus_hashes

    settings = fake_settings.replace(index_dir=tmp_path / "index")
    shutil.copytree(fake_settings.index_dir, settings.index_dir)
    source = fake_settings.corpus_dir / "bron-scp.md"
    source.write_text("# Burgerperspectieven\n\nDe zorgen over migratie nemen toe volgens het SCP.", encoding="utf-8")
    try:
        with pytest.raises(IndexOutdated, match="nieuw in corpus/: bron-scp.md"):
            check_fresh(read_manifest(settings.index_dir), corpus_hashes(settings.corpus_dir), "fake-embedder-64",
                        {"min_words": 120, "max_words": 250, "overlap_sentences": 1})
        engine = Engine.open(settings, embedder=FakeEmbedder())
        assert "nieuw in corpus" in engine.rebuilt_because
        assert {d.id for d in engine.index.documents} == {"migratie-haarlemmermeer-2025", "bron-scp"}
        assert engine.index.report.id == "migratie-haarlemmermeer-2025"
    finally:
        source.unlink()


def test_index_status_says_missing_outdated_corrupt_or_fresh(
    fake_settings: Settings, fake_engine: Engine, tmp_path: Path
) -> None:
    fresh = index_status(fake_settings, "fake-embedder-64")
    assert fresh.state == "fresh" and fresh.problem is None and fresh.index is not None
    assert index_status(fake_settings.replace(index_dir=tmp_path / "leeg"), "fake-embedder-64").state == "missing"
    outdated = index_status(fake_settings, "een-andere-embedder")
    assert outdated.state == "outdated" and "andere embedder" in str(outdated.problem)
    damaged = fake_settings.replace(index_dir=tmp_path / "index")
    shutil.copytree(fake_settings.index_dir, damaged.index_dir)
    (damaged.index_dir / "facts.jsonl").write_text("kapot\n", encoding="utf-8")
    assert index_status(damaged, "fake-embedder-64").state == "corrupt"
    # Without ``deep`` only the manifest is read: the damaged data file goes unnoticed.
    shallow = index_status(damaged, "fake-embedder-64", deep=False)
    assert shallow.state == "fresh" and shallow.index is None


def test_prepare_corpus_is_what_the_index_holds_and_writes_nothing(
    fake_settings: Settings, fake_engine: Engine, tmp_path: Path
) -> None:
    settings = fake_settings.replace(index_dir=tmp_path / "index")
    corpus = prepare_corpus(settings)
    assert list(tmp_path.iterdir()) == []
    index = fake_engine.index
    assert corpus.documents == index.documents
    assert corpus.chunks == index.chunks
    assert corpus.facts == index.facts
    assert {(p.doc_id, p.number): p for p in corpus.pages} == index.pages
    assert {s.doc_id: s for s in corpus.structures} == index.structures
    assert corpus.skipped == ()


def test_unreadable_source_is_skipped_with_its_name(fake_settings: Settings, tmp_path: Path) -> None:
    from conftest import FakeEmbedder

    settings = fake_settings.replace(index_dir=tmp_path / "index")
    bad = fake_settings.corpus_dir / "kapot.pdf"
    bad.write_bytes(b"%PDF-1.4 rommel")
    try:
        report = build_index(settings, embedder=FakeEmbedder())
        assert any("kapot.pdf" in line for line in report.skipped)
        manifest = json.loads((settings.index_dir / "manifest.json").read_text())
        assert manifest["skipped"]
    finally:
        bad.unlink()


@pytest.mark.parametrize(("bad", "message"), [("", "Lege vraag"), ("   \n\t ", "Lege vraag"), ("?!…", "geen woorden"),
                                              ("\x00\x01", "Lege vraag"), ("😀😀", "geen woorden"), ("x" * 5000, "te lang")])
def test_bad_questions_get_dutch_messages(fake_engine: Engine, bad: str, message: str) -> None:
    with pytest.raises(InputInvalid) as err:
        fake_engine.ask(bad)
    assert message in str(err.value)


def test_citation_format() -> None:
    from rekenqa.types import DocumentInfo

    info = DocumentInfo("r", "Migratie in Haarlemmermeer", "r.txt", citation="Rekenkamer Haarlemmermeer (2025), Migratie in Haarlemmermeer")
    assert format_citation(info, [17]) == "Rekenkamer Haarlemmermeer (2025), Migratie in Haarlemmermeer, p. 17"
    assert format_citation(info, [18, 17]) == "Rekenkamer Haarlemmermeer (2025), Migratie in Haarlemmermeer, pp. 17-18"
    assert format_citation(info, [17, 21]).endswith("pp. 17, 21")


def test_checkworthy() -> None:
    assert is_checkworthy("Er wonen ruim 18.000 migranten in onze gemeente.")
    assert is_checkworthy("Volgens het rapport heeft de gemeente geen beleid.")
    assert not is_checkworthy("Voorzitter, dank u wel.")


def test_messages_about_a_quote_use_its_article() -> None:
    """"het citaat", not "de citaat" (the app showed "De citaat is te lang")."""
    from rekenqa.errors import InputInvalid
    from rekenqa.inputs import clean

    with pytest.raises(InputInvalid, match=r"^Het citaat is te lang \(2\.001 tekens; het maximum is 2\.000\)"):
        clean("x" * 2001, "quote")
    with pytest.raises(InputInvalid, match=r"^Het citaat bevat geen woorden"):
        clean("!!!", "quote")
    with pytest.raises(InputInvalid, match=r"^Leeg citaat"):
        clean("  ", "quote")
    with pytest.raises(InputInvalid, match=r"^De vraag is te lang"):
        clean("x" * 2001, "question")
