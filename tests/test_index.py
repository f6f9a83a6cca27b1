from __future__ import annotations

import json
import threading
from pathlib import Path

import numpy as np
import pytest

from rekenqa import index as index_mod
from rekenqa.errors import IndexCorrupt, IndexMissing, IndexOutdated, IndexWriteFailed
from rekenqa.index import DocStructure, check_fresh, load_index, read_manifest, recover, write_index
from rekenqa.lexical import BM25, Analyzer
from rekenqa.types import Chunk, Fact, Footnote, Page, Section


def _manifest(n: int) -> dict:
    return {
        "format_version": index_mod.FORMAT_VERSION,
        "created": "2026-01-01T00:00:00+00:00",
        "embedder": {"id": "fake", "dim": 4},
        "chunking": {"min_words": 120},
        "corpus": {"r.txt": "abc"},
        "counts": {"chunks": n},
        "documents": [{"id": "r", "title": "Rapport", "path": "r.txt", "kind": "report", "citation": "R (2025)"}],
    }


def _write(path: Path, texts: list[str]) -> None:
    chunks = [Chunk(id=f"c-{i}", doc_id="r", text=t, first_page=3 + i, last_page=4 + i, page_starts=((5, 4 + i),)) for i, t in enumerate(texts)]
    vectors = np.eye(len(texts), 4, dtype=np.float32)
    bm25 = BM25.build(texts, Analyzer())
    facts = [Fact("r", 18480.0, "18.480", "", "2023", ("migranten",), "In 2023 18.480 migranten.", 17)]
    pages = [Page("r", 3 + i, t) for i, t in enumerate(texts)]
    structures = [DocStructure("r", sections=(Section("r", "2", "Aard", 3),), footnotes=(Footnote("r", 7, 3, "CBS", ("https://cbs.nl",)),))]
    sentences = np.ones((len(texts), 4), dtype=np.float16)
    write_index(path, _manifest(len(texts)), chunks, vectors, bm25, facts, pages, structures, sentences)


def test_roundtrip(tmp_path: Path) -> None:
    _write(tmp_path / "index", ["een twee", "drie vier"])
    idx = load_index(tmp_path / "index")
    assert [c.id for c in idx.chunks] == ["c-0", "c-1"]
    assert idx.chunks[0].page_starts == ((5, 4),)
    assert idx.chunks[0].page_at(6) == 4 and idx.chunks[0].page_at(1) == 3
    assert idx.dense.ntotal == 2
    assert idx.facts[0].subject == ("migranten",)
    assert idx.structures["r"].footnotes[0].urls == ("https://cbs.nl",)
    assert idx.pages[("r", 4)].text == "drie vier"
    assert not list(tmp_path.glob(".index.*"))  # no temp folders left


def test_missing_index(tmp_path: Path) -> None:
    with pytest.raises(IndexMissing, match="rekenqa index"):
        load_index(tmp_path / "index")


@pytest.mark.parametrize("name", ["dense.faiss", "chunks.jsonl", "bm25.json", "manifest.json", "sentences.npy", "pages.jsonl"])
def test_truncated_files_are_reported_as_corrupt(tmp_path: Path, name: str) -> None:
    _write(tmp_path / "index", ["een twee", "drie vier"])
    target = tmp_path / "index" / name
    data = target.read_bytes()
    target.write_bytes(data[: len(data) // 2])
    with pytest.raises(IndexCorrupt) as err:
        load_index(tmp_path / "index")
    assert str(err.value).startswith(f"Het indexbestand {name} in ") and "rekenqa index" in str(err.value)


def test_chunk_count_mismatch_is_corrupt(tmp_path: Path) -> None:
    _write(tmp_path / "index", ["een twee", "drie vier"])
    lines = (tmp_path / "index" / "chunks.jsonl").read_text().splitlines()
    (tmp_path / "index" / "chunks.jsonl").write_text(lines[0] + "\n")
    with pytest.raises(IndexCorrupt, match="chunks.jsonl"):
        load_index(tmp_path / "index")


def test_failed_build_keeps_the_old_index(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _write(tmp_path / "index", ["oud een", "oud twee"])

    def boom(*args: object, **kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(index_mod, "_write_jsonl", boom)
    with pytest.raises(IndexWriteFailed, match="vorige index is onaangetast"):
        _write(tmp_path / "index", ["nieuw"])
    assert load_index(tmp_path / "index").chunks[0].text == "oud een"
    assert not list(tmp_path.glob(".index.tmp-*"))


def test_interrupted_swap_is_recovered(tmp_path: Path) -> None:
    _write(tmp_path / "index", ["oud een", "oud twee"])
    (tmp_path / "index").rename(tmp_path / ".index.old-1-1")  # crash between the two renames
    recover(tmp_path / "index")
    assert load_index(tmp_path / "index").chunks[1].text == "oud twee"


def test_outdated_manifest_says_what_changed(tmp_path: Path) -> None:
    _write(tmp_path / "index", ["een"])
    manifest = read_manifest(tmp_path / "index")
    check_fresh(manifest, {"r.txt": "abc"}, "fake", {"min_words": 120})
    with pytest.raises(IndexOutdated, match="gewijzigd: r.txt"):
        check_fresh(manifest, {"r.txt": "xyz"}, "fake", {"min_words": 120})
    with pytest.raises(IndexOutdated, match="andere embedder"):
        check_fresh(manifest, {"r.txt": "abc"}, "other", {"min_words": 120})
    with pytest.raises(IndexOutdated, match="nieuw in corpus"):
        check_fresh(manifest, {"r.txt": "abc", "bron.pdf": "1"}, "fake", {"min_words": 120})


def test_old_format_is_outdated(tmp_path: Path) -> None:
    _write(tmp_path / "index", ["een"])
    path = tmp_path / "index" / "manifest.json"
    data = json.loads(path.read_text())
    data["format_version"] = 0
    path.write_text(json.dumps(data))
    with pytest.raises(IndexOutdated, match="oud formaat"):
        load_index(tmp_path / "index")


def test_no_pickle_in_index_files(tmp_path: Path) -> None:
    _write(tmp_path / "index", ["een"])
    for name in index_mod.FILES:
        assert (tmp_path / "index" / name).is_file()
        assert not (tmp_path / "index" / name).read_bytes().startswith(b"\x80")


def test_build_lock_lets_one_builder_in_at_a_time(tmp_path: Path) -> None:
    index_dir = tmp_path / "index"
    events: list[str] = []

    def second() -> None:
        with index_mod.build_lock(index_dir):
            events.append("second")

    with index_mod.build_lock(index_dir):
        thread = threading.Thread(target=second)
        thread.start()
        thread.join(timeout=0.5)
        assert thread.is_alive() and events == [], "a second build must wait for the lock"
        events.append("first")
    thread.join(timeout=30)
    assert events == ["first", "second"]
    assert (tmp_path / ".index.lock").is_file()


def test_recover_never_creates_the_lock_file(tmp_path: Path) -> None:
    _write(tmp_path / "index", ["een"])
    (tmp_path / ".index.lock").unlink(missing_ok=True)
    recover(tmp_path / "index")
    assert not (tmp_path / ".index.lock").exists()


def test_recover_leaves_a_running_build_alone(tmp_path: Path) -> None:
    """While a build holds the lock, the folders it set aside are its own: recover must not remove them."""
    index_dir = tmp_path / "index"
    _write(index_dir, ["nieuw"])
    aside = tmp_path / ".index.old-1-1"
    aside.mkdir()
    with index_mod.build_lock(index_dir):
        recover(index_dir)
        assert aside.is_dir()
    recover(index_dir)
    assert not aside.exists()


def test_an_index_built_by_an_older_reading_of_the_facts_is_outdated(tmp_path: Path) -> None:
    """Facts and their frames are stored in the index: a new FRAMES_VERSION makes an old index outdated, with
    a reason that says the numbers are read differently (not "andere instellingen")."""
    from rekenqa.facts import FRAMES_VERSION

    _write(tmp_path / "index", ["een"])
    manifest = read_manifest(tmp_path / "index")
    manifest["chunking"] = {"min_words": 120, "frames": FRAMES_VERSION - 1}
    with pytest.raises(IndexOutdated, match="leest de getallen en hun kaders anders"):
        check_fresh(manifest, {"r.txt": "abc"}, "fake", {"min_words": 120, "frames": FRAMES_VERSION})
    with pytest.raises(IndexOutdated, match="andere instellingen voor passages"):
        check_fresh(manifest, {"r.txt": "abc"}, "fake", {"min_words": 200, "frames": FRAMES_VERSION})
    manifest["chunking"]["frames"] = FRAMES_VERSION
    check_fresh(manifest, {"r.txt": "abc"}, "fake", {"min_words": 120, "frames": FRAMES_VERSION})
