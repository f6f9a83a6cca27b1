"""Misuse, faults and races from the red-team pass of issue 16: data that must never be lost, answers that must
never be silently wrong, and builds that must never crash or repeat themselves.

Each case is a parametrised test on the real report (indexed with the fake embedder; ``small``: its first
twelve pages, a build of about a second). The checks are on what a user sees: the Dutch message, the files
left on disk byte for byte, the verdict, the answer.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import REPORT_META, REPORT_TXT, FakeEmbedder, copy_index
from test_reliability import write_small_report

from rekenqa import build, load, repair
from rekenqa import index as index_mod
from rekenqa.errors import (
    CorpusInvalid,
    DocumentUnreadable,
    IndexCorrupt,
    IndexNewer,
    IndexWriteFailed,
    RekenQAError,
    SettingsInvalid,
)
from rekenqa.inputs import clean, recase
from rekenqa.pipeline import Engine, build_index
from rekenqa.settings import Settings

REPORT_ID = "migratie-haarlemmermeer-2025"


@pytest.fixture(scope="module")
def small_built(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    base = tmp_path_factory.mktemp("misuse-small")
    write_small_report(base / "corpus")
    settings = Settings(corpus_dir=base / "corpus", index_dir=base / "index", cache_dir=base / "cache")
    build_index(settings, embedder=FakeEmbedder())
    return settings


@pytest.fixture
def small(small_built: Settings, tmp_path: Path) -> Settings:
    """A private copy of the small built index (corpus + index), safe to damage."""
    work = tmp_path / "work"
    work.mkdir()
    return copy_index(small_built, work)


@pytest.fixture
def fresh_small(tmp_path: Path) -> Settings:
    """The small report's corpus and no index yet."""
    write_small_report(tmp_path / "corpus")
    return Settings(corpus_dir=tmp_path / "corpus", index_dir=tmp_path / "index", cache_dir=tmp_path / "cache")


@pytest.fixture(scope="module")
def engine(report_index: Settings, tmp_path_factory: pytest.TempPathFactory) -> Engine:
    settings = copy_index(report_index, tmp_path_factory.mktemp("misuse-engine"))
    return Engine.open(settings, embedder=FakeEmbedder(), auto_build=False)


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` (relative path -> bytes); a file stands for itself."""
    if folder.is_file():
        return {"": folder.read_bytes()}
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def is_dutch(message: str) -> bool:
    words = set(re.findall(r"[a-zà-ÿ]+", message.lower()))
    return "Traceback" not in message and len(words & {"de", "het", "een", "is", "niet", "van", "in", "geen", "of"}) >= 2


# ==================================================================== 1. the index folder is never someone else's


def _notes(path: Path) -> None:
    path.mkdir(parents=True)
    (path / "notities.txt").write_text("Mijn aantekeningen voor de raadsvergadering.", encoding="utf-8")


def _notes_with_folder(path: Path) -> None:
    _notes(path)
    (path / "map").mkdir()
    (path / "map" / "brief.md").write_text("# Brief", encoding="utf-8")


def _foreign_manifest(path: Path) -> None:
    path.mkdir(parents=True)
    (path / "manifest.json").write_text('{"name": "iets anders"}', encoding="utf-8")
    (path / "data.csv").write_text("a;b\n1;2\n", encoding="utf-8")


def _our_manifest_and_a_folder(path: Path) -> None:
    """An index of ours with the user's folder put inside it: not replaced either (the folder would go)."""
    path.mkdir(parents=True)
    (path / "manifest.json").write_text('{"format_version": 8, "embedder": {}}', encoding="utf-8")
    (path / "werk").mkdir()
    (path / "werk" / "concept.txt").write_text("concept", encoding="utf-8")


def _a_file(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("Dit is een bestand, geen map.", encoding="utf-8")


def _unreadable_manifest(path: Path) -> None:
    path.mkdir(parents=True)
    (path / "manifest.json").write_bytes(b"\xff\xfe\x00garbage")
    (path / "scriptie.docx").write_bytes(b"PK\x03\x04 ...")


NOT_AN_INDEX: dict[str, Callable[[Path], None]] = {
    "notes": _notes,
    "notes-and-subfolder": _notes_with_folder,
    "foreign-manifest": _foreign_manifest,
    "our-manifest-with-a-subfolder": _our_manifest_and_a_folder,
    "a-file": _a_file,
    "unreadable-manifest": _unreadable_manifest,
}


@pytest.mark.parametrize("kind", list(NOT_AN_INDEX))
def test_a_folder_that_is_not_an_index_is_never_replaced(fresh_small: Settings, tmp_path: Path, kind: str) -> None:
    target = tmp_path / "mijn-map"
    NOT_AN_INDEX[kind](target)
    before = snapshot(target)
    settings = fresh_small.replace(index_dir=target)
    with pytest.raises(IndexWriteFailed, match="is geen index van rekenqa en wordt niet overschreven") as caught:
        build_index(settings, embedder=FakeEmbedder())
    assert is_dutch(str(caught.value))
    assert snapshot(target) == before
    assert not list(tmp_path.glob(".mijn-map.*-*")), "no temp or old folder may be left"


@pytest.mark.parametrize("kind", list(NOT_AN_INDEX))
def test_opening_with_a_folder_that_is_not_an_index_builds_nothing_over_it(
    fresh_small: Settings, tmp_path: Path, kind: str
) -> None:
    target = tmp_path / "mijn-map"
    NOT_AN_INDEX[kind](target)
    before = snapshot(target)
    with pytest.raises(RekenQAError) as caught:
        Engine.open(fresh_small.replace(index_dir=target), embedder=FakeEmbedder())
    assert is_dutch(str(caught.value))
    assert snapshot(target) == before


def test_an_interrupted_swap_does_not_remove_a_folder_that_took_the_index_place(small: Settings) -> None:
    """A previous index set aside by a killed build is not restored over a user's folder at the index path."""
    aside = small.index_dir.parent / f".{small.index_dir.name}.old-1-1"
    small.index_dir.rename(aside)
    _notes(small.index_dir)
    before = snapshot(small.index_dir)
    index_mod.recover(small.index_dir)
    assert snapshot(small.index_dir) == before
    assert aside.is_dir()


@pytest.mark.parametrize("empty", ["missing", "empty-folder"])
def test_an_empty_or_missing_index_folder_is_built(fresh_small: Settings, tmp_path: Path, empty: str) -> None:
    target = tmp_path / "nieuw"
    if empty == "empty-folder":
        target.mkdir()
    build_index(fresh_small.replace(index_dir=target), embedder=FakeEmbedder())
    assert (target / "manifest.json").is_file()


@pytest.mark.parametrize(
    "layout",
    ["same", "index-inside-corpus", "corpus-inside-index", "same-via-dots"],
)
def test_corpus_and_index_may_not_overlap(tmp_path: Path, layout: str) -> None:
    corpus = tmp_path / "corpus"
    write_small_report(corpus)
    before = snapshot(corpus)
    index = {
        "same": corpus,
        "index-inside-corpus": corpus / "index",
        "corpus-inside-index": tmp_path,
        "same-via-dots": corpus / "sub" / "..",
    }[layout]
    with pytest.raises(SettingsInvalid, match="overlappen") as caught:
        Settings(corpus_dir=corpus, index_dir=index, cache_dir=tmp_path / "cache").validate()
    assert is_dutch(str(caught.value))
    assert snapshot(corpus) == before


def test_overlapping_folders_from_the_environment_are_refused(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    write_small_report(tmp_path / "corpus")
    monkeypatch.setenv("REKENQA_CORPUS_DIR", str(tmp_path / "corpus"))
    monkeypatch.setenv("REKENQA_INDEX_DIR", str(tmp_path / "corpus"))
    with pytest.raises(SettingsInvalid, match="overlappen"):
        Settings.from_env()


# ==================================================================== 4, 5, 14. the catalog and the corpus


def test_a_copy_of_the_report_under_another_name_does_not_take_its_place(fresh_small: Settings) -> None:
    corpus = fresh_small.corpus_dir
    shutil.copy(corpus / REPORT_TXT.name, corpus / "00 kopie.txt")
    files = load.discover(corpus)
    assert [f.path.name for f in files] == [REPORT_TXT.name]
    assert files[0].info.kind == "report" and files[0].first_page == 3
    build_index(fresh_small, embedder=FakeEmbedder())
    engine = Engine.open(fresh_small, embedder=FakeEmbedder(), auto_build=False)
    assert engine.index.report.id == REPORT_ID
    assert [d.id for d in engine.index.documents] == [REPORT_ID]


def test_a_source_calling_itself_the_report_is_refused(small: Settings) -> None:
    (small.corpus_dir / "bron.md").write_text("# Een bron\n\nTekst van de bron.", encoding="utf-8")
    (small.corpus_dir / "bron.md.meta.json").write_text('{"kind": "report"}', encoding="utf-8")
    before = snapshot(small.index_dir)
    with pytest.raises(CorpusInvalid, match="Meer dan één document heet het rapport") as caught:
        build_index(small, embedder=FakeEmbedder())
    assert "bron.md" in str(caught.value) and is_dutch(str(caught.value))
    assert snapshot(small.index_dir) == before


BAD_CATALOG_FIELDS: dict[str, tuple[str, Any, str]] = {
    "first_page-string": ("first_page", "3", 'first_page moet een geheel getal vanaf 1 zijn, niet de tekst "3"'),
    "first_page-float": ("first_page", 3.5, "first_page moet een geheel getal vanaf 1 zijn, niet het getal 3.5"),
    "first_page-true": ("first_page", True, "first_page moet een geheel getal vanaf 1 zijn, niet true"),
    "first_page-null": ("first_page", None, "first_page moet een geheel getal vanaf 1 zijn, niet null"),
    "first_page-zero": ("first_page", 0, "first_page moet een geheel getal vanaf 1 zijn, niet 0"),
    "first_page-negative": ("first_page", -2, "first_page moet een geheel getal vanaf 1 zijn, niet -2"),
    "year-string": ("year", "2025", 'year moet een jaartal (geheel getal) zijn, niet de tekst "2025"'),
    "year-absurd": ("year", 99999, "year moet een jaartal zijn, niet 99999"),
    "title-number": ("title", 42, "title moet een tekst zijn, niet het getal 42"),
    "kind-list": ("kind", ["report"], "kind moet 'report' of 'source' zijn, niet een lijst"),
    "kind-unknown": ("kind", "rapport", "kind moet 'report' of 'source' zijn, niet 'rapport'"),
    "id-with-slash": ("id", "../rapport", "mag alleen kleine letters"),
    "id-capitals": ("id", "Rapport", "mag alleen kleine letters"),
    "page_rule-unknown": ("page_rule", "elke-regel", "onbekende page_rule 'elke-regel'"),
    "profile-list": ("profile", [], "profile moet een JSON-object zijn"),
    "unknown-field": ("frist_page", 3, "onbekende velden: frist_page"),
}


@pytest.mark.parametrize("case", list(BAD_CATALOG_FIELDS))
def test_catalog_fields_of_the_wrong_type_are_refused_not_guessed(small: Settings, case: str) -> None:
    key, value, message = BAD_CATALOG_FIELDS[case]
    meta_path = small.corpus_dir / REPORT_META.name
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    meta[key] = value
    meta_path.write_text(json.dumps(meta), encoding="utf-8")
    before = snapshot(small.index_dir)
    with pytest.raises(CorpusInvalid) as caught:
        build_index(small, embedder=FakeEmbedder())
    assert message in str(caught.value)
    assert REPORT_META.name in str(caught.value)
    assert snapshot(small.index_dir) == before


def test_a_catalog_file_with_a_byte_order_mark_is_read(fresh_small: Settings) -> None:
    """Notepad on Windows writes UTF-8 with a BOM: the catalog still counts, first_page included."""
    meta_path = fresh_small.corpus_dir / REPORT_META.name
    meta_path.write_bytes(b"\xef\xbb\xbf" + REPORT_META.read_bytes())
    (entry,) = load.discover(fresh_small.corpus_dir)
    assert entry.info.kind == "report" and entry.first_page == 3
    build_index(fresh_small, embedder=FakeEmbedder())
    engine = Engine.open(fresh_small, embedder=FakeEmbedder(), auto_build=False)
    assert engine.index.page_numbers(REPORT_ID)[0] == 3


@pytest.mark.parametrize(
    "content, message",
    [
        ("[" * 100_000 + "]" * 100_000, "is geen geldige JSON"),
        ('{"profile": ' * 5_000 + "{}" + "}" * 5_000, ""),
        ('{"title": "x", "title": ' + '"y"' + "}", ""),  # a repeated key: JSON takes the last, as it may
        ("{" + " " * (2 << 20) + "}", "is te groot"),
        ('{"first_page": 1' + "0" * 5000 + "}", "is geen geldige JSON"),
    ],
    ids=["nested-lists", "nested-objects", "repeated-key", "two-megabytes", "5000-digit-number"],
)
def test_hostile_catalog_files_give_a_message_not_a_crash(small: Settings, content: str, message: str) -> None:
    (small.corpus_dir / REPORT_META.name).write_text(content, encoding="utf-8")
    try:
        build_index(small, embedder=FakeEmbedder())
    except CorpusInvalid as err:
        assert message in str(err) and is_dutch(str(err))
    else:
        assert not message, "expected a refusal"


# ==================================================================== 11, 13. files that used to crash or stall


def _utf16_odd(path: Path) -> None:
    path.write_bytes("\ufeffEen bron in UTF-16.".encode("utf-16-le") + b"\x41")


def _utf16_lone_surrogate(path: Path) -> None:
    path.write_bytes(b"\xff\xfe" + "Een bron ".encode("utf-16-le") + b"\x00\xd8" + "en verder.".encode("utf-16-le"))


def _too_big(path: Path) -> None:
    with path.open("wb") as handle:  # sparse: the size is what counts, and it is refused before reading
        handle.write(b"Een enorme bron. ")
        handle.truncate(load.MAX_TEXT_BYTES + 1)


BAD_SOURCES: dict[str, tuple[Callable[[Path], None], str]] = {
    "utf16-odd-length": (_utf16_odd, "is beschadigd: het is UTF-16-tekst maar niet volledig of niet geldig"),
    "utf16-lone-surrogate": (_utf16_lone_surrogate, "is beschadigd: het is UTF-16-tekst"),
    "too-big": (_too_big, "is te groot"),
}


@pytest.mark.parametrize("case", list(BAD_SOURCES))
def test_a_bad_source_is_skipped_with_its_reason_and_the_rest_works(small: Settings, case: str) -> None:
    make, message = BAD_SOURCES[case]
    make(small.corpus_dir / "bron.txt")
    report = build_index(small, embedder=FakeEmbedder())
    assert any(message in line for line in report.skipped), report.skipped
    engine = Engine.open(small, embedder=FakeEmbedder(), auto_build=False)
    assert engine.ask("Hoeveel migranten woonden er in Haarlemmermeer?") is not None
    # The skip is remembered: asking again does not try to build again.
    assert build.index_status(small, FakeEmbedder.id).fresh


@pytest.mark.parametrize("case", ["utf16-odd-length", "utf16-lone-surrogate"])
def test_a_bad_report_stops_the_build_in_dutch(small: Settings, case: str) -> None:
    make, message = BAD_SOURCES[case]
    make(small.corpus_dir / REPORT_TXT.name)
    before = snapshot(small.index_dir)
    with pytest.raises(DocumentUnreadable, match=message):
        build_index(small, embedder=FakeEmbedder())
    assert snapshot(small.index_dir) == before


def test_repairing_one_long_page_is_linear_in_its_length() -> None:
    """A text source without page breaks is one page: its repair used to rescan the text per number and URL.

    Eight times the text may take at most sixteen times as long (quadratic: 64 times)."""
    text = REPORT_TXT.read_text(encoding="utf-8")

    def seconds(size: int) -> float:
        pages = [load.Page("bron", 1, (text * 8)[:size])]
        vocab = repair.build_vocabulary(pages)
        started = time.perf_counter()
        repair.repair_pages(pages, vocab)
        return time.perf_counter() - started

    seconds(20_000)  # warm caches
    small_time = min(seconds(50_000) for _ in range(2))
    large_time = seconds(400_000)
    assert large_time < 16 * small_time + 0.5, (small_time, large_time)


# ==================================================================== 13. concurrent builds coalesce


def test_builds_asked_for_at_the_same_time_build_once(fresh_small: Settings) -> None:
    reports: list[build.BuildReport] = []
    errors: list[BaseException] = []

    def run() -> None:
        try:
            reports.append(build_index(fresh_small, embedder=FakeEmbedder()))
        except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)

    with index_mod.build_lock(fresh_small.index_dir):  # hold the lock until all three are waiting
        threads = [threading.Thread(target=run) for _ in range(3)]
        for thread in threads:
            thread.start()
        time.sleep(0.5)
    for thread in threads:
        thread.join(60)
    assert not errors
    assert sorted(r.coalesced for r in reports) == [False, True, True]
    assert Engine.open(fresh_small, embedder=FakeEmbedder(), auto_build=False).index.chunks


def test_a_forced_build_still_builds_after_waiting(small: Settings) -> None:
    with index_mod.build_lock(small.index_dir):
        result: list[build.BuildReport] = []
        thread = threading.Thread(target=lambda: result.append(build_index(small, embedder=FakeEmbedder(), full=True)))
        thread.start()
        time.sleep(0.2)
    thread.join(60)
    assert result and not result[0].coalesced and result[0].prepared == (REPORT_ID,)


# ==================================================================== 6. a file edited while the index is built


def test_a_file_edited_during_the_build_is_read_again(fresh_small: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    report = fresh_small.corpus_dir / REPORT_TXT.name
    original = load.load_document
    calls = []

    def edit_once(entry: load.CorpusFile) -> list[Any]:
        pages = original(entry)
        if not calls:  # the file changes after it was read, before the index is written
            report.write_text(report.read_text(encoding="utf-8") + "\n Slotzin die later is toegevoegd.\n", encoding="utf-8")
        calls.append(entry.path.name)
        return pages

    monkeypatch.setattr(load, "load_document", edit_once)
    build_index(fresh_small, embedder=FakeEmbedder())
    assert len(calls) == 2
    manifest = index_mod.read_manifest(fresh_small.index_dir)
    assert manifest["corpus"][REPORT_TXT.name] == load.file_sha256(report)
    pages = index_mod.read_pages(fresh_small.index_dir)
    assert any("Slotzin die later is toegevoegd" in p.text for p in pages)
    assert build.index_status(fresh_small, FakeEmbedder.id).fresh


def test_a_file_that_keeps_changing_stops_the_build_and_keeps_the_old_index(
    small: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    report = small.corpus_dir / REPORT_TXT.name
    report.write_text(report.read_text(encoding="utf-8") + "\n Nieuwe pagina.\n", encoding="utf-8")
    before = snapshot(small.index_dir)
    original = load.load_document

    def edit_always(entry: load.CorpusFile) -> list[Any]:
        pages = original(entry)
        with report.open("a", encoding="utf-8") as handle:
            handle.write(" nog een woord")
        return pages

    monkeypatch.setattr(load, "load_document", edit_always)
    with pytest.raises(CorpusInvalid, match="veranderden terwijl de index werd gebouwd") as caught:
        build_index(small, embedder=FakeEmbedder())
    assert REPORT_TXT.name in str(caught.value)
    assert snapshot(small.index_dir) == before


# ==================================================================== 9, 11. settings, format versions, tampering


@pytest.mark.parametrize(
    "variable, value",
    [
        ("REKENQA_REFUSAL_THRESHOLD", "nan"),
        ("REKENQA_REFUSAL_THRESHOLD", "inf"),
        ("REKENQA_REFUSAL_THRESHOLD", "-1"),
        ("REKENQA_REFUSAL_THRESHOLD", "1e308"),
        ("REKENQA_GAP_THRESHOLD", "NaN"),
        ("REKENQA_SALIENT_ZIPF", "99"),
        ("REKENQA_RRF_K", "-1"),
        ("REKENQA_RRF_K", "0"),
        ("REKENQA_RRF_K", "1" * 5000),
        ("REKENQA_MAX_INPUT_CHARS", "0"),
        ("REKENQA_MAX_INPUT_CHARS", "-5"),
        ("REKENQA_MAX_INPUT_CHARS", "1000000000000"),
        ("REKENQA_TOP_K", "١٢"),
        ("REKENQA_TOP_K", "1_0"),
        ("REKENQA_TOP_K", "5.0"),
        ("REKENQA_CHUNK_OVERLAP_SENTENCES", "99"),
        ("REKENQA_CHUNK_OVERLAP_SENTENCES", "-1"),
    ],
)
def test_settings_out_of_range_are_refused(monkeypatch: pytest.MonkeyPatch, variable: str, value: str) -> None:
    monkeypatch.setenv(variable, value)
    with pytest.raises(SettingsInvalid) as caught:
        Settings.from_env()
    message = str(caught.value)
    assert variable in message and is_dutch(message)
    assert len(message) < 300  # a 5,000-digit value is not echoed in full


@pytest.mark.parametrize("variable, value, expected", [("REKENQA_REFUSAL_THRESHOLD", "0,95", 0.95), ("REKENQA_RRF_K", " 30 ", 30)])
def test_settings_in_dutch_notation_are_read(monkeypatch: pytest.MonkeyPatch, variable: str, value: str, expected: float) -> None:
    monkeypatch.setenv(variable, value)
    settings = Settings.from_env()
    assert getattr(settings, variable.removeprefix("REKENQA_").lower()) == expected


def _set_manifest(settings: Settings, change: Callable[[dict[str, Any]], None], checksum: bool = True) -> None:
    path = settings.index_dir / "manifest.json"
    manifest = json.loads(path.read_text(encoding="utf-8"))
    change(manifest)
    if checksum:
        manifest["checksum"] = index_mod.manifest_checksum(manifest)
    path.write_text(json.dumps(manifest), encoding="utf-8")


def test_an_index_of_a_newer_version_is_neither_read_nor_rebuilt_over(small: Settings) -> None:
    _set_manifest(small, lambda m: m.update(format_version=index_mod.FORMAT_VERSION + 1))
    before = snapshot(small.index_dir)
    with pytest.raises(IndexNewer, match="nieuwere versie van rekenqa") as caught:
        Engine.open(small, embedder=FakeEmbedder())
    assert "--force" in str(caught.value)
    assert snapshot(small.index_dir) == before
    build_index(small, embedder=FakeEmbedder(), full=True)  # what the message offers
    assert index_mod.read_manifest(small.index_dir)["format_version"] == index_mod.FORMAT_VERSION


@pytest.mark.parametrize(
    "change",
    [
        lambda m: m["counts"].update(chunks=1),
        lambda m: m["documents"][0].update(title="Iets anders"),
        lambda m: m["files"].update({"chunks.jsonl": "0" * 64}),
        lambda m: m.pop("checksum"),
    ],
    ids=["count", "title", "file-checksum", "no-checksum"],
)
def test_a_manifest_edited_by_hand_is_caught(small: Settings, change: Callable[[dict[str, Any]], None]) -> None:
    _set_manifest(small, change, checksum=False)
    with pytest.raises(IndexCorrupt, match="manifest.json"):
        Engine.open(small, embedder=FakeEmbedder(), auto_build=False)
    engine = Engine.open(small, embedder=FakeEmbedder())  # and a rebuild mends it
    assert engine.rebuilt_because


@pytest.mark.parametrize(
    "content",
    ["[" * 100_000, '{"format_version": ' + "9" * 5000 + "}", "\x00\x01\x02", ""],
    ids=["deeply-nested", "5000-digit-version", "binary", "empty"],
)
def test_a_damaged_manifest_gives_a_message_and_a_rebuild(small: Settings, content: str) -> None:
    (small.index_dir / "manifest.json").write_text(content, encoding="utf-8")
    with pytest.raises(RekenQAError) as caught:
        Engine.open(small, embedder=FakeEmbedder(), auto_build=False)
    assert is_dutch(str(caught.value))
    assert Engine.open(small, embedder=FakeEmbedder()).index.chunks


def test_rows_of_the_wrong_shape_behind_valid_checksums_give_index_corrupt(small: Settings) -> None:
    """A tampered file whose checksums were updated too: every field is still checked on load."""
    chunks = small.index_dir / "chunks.jsonl"
    rows = [json.loads(line) for line in chunks.read_text(encoding="utf-8").splitlines()]
    rows[0] = ["geen", "object"]
    chunks.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    _set_manifest(small, lambda m: m["files"].update({"chunks.jsonl": load.file_sha256(chunks)}))
    with pytest.raises(IndexCorrupt):
        Engine.open(small, embedder=FakeEmbedder(), auto_build=False)


# ==================================================================== 7. typing details do not change answers

QUESTIONS = [
    "Hoeveel migranten woonden er in 2023 in Haarlemmermeer?",
    "Hoeveel statushouders moest de gemeente in 2023 huisvesten?",
    "Wat adviseert de rekenkamer over de opvang van asielzoekers?",
]
TYPINGS: dict[str, Callable[[str], str]] = {
    "capitals": str.upper,
    "title-case": str.title,
    "zero-width-space": lambda q: q.replace("migranten", "mi\u200bgranten").replace("gemeente", "ge\u200bmeente")
    .replace("rekenkamer", "reken\u200bkamer"),
    "soft-hyphen": lambda q: q.replace("migranten", "mi\u00adgranten").replace("statushouders", "status\u00adhouders")
    .replace("asielzoekers", "asiel\u00adzoekers"),
    "word-joiner-and-bidi": lambda q: "\u2066" + q.replace("in ", "in\u2060 ") + "\u2069",
    "arabic-indic-digits": lambda q: q.replace("2023", "٢٠٢٣"),
    "full-width-digits": lambda q: q.replace("2023", "２０２３"),
    "c1-control": lambda q: q.replace(" ", " \x85", 1),
}


def _answer_signature(engine: Engine, question: str) -> tuple[Any, ...]:
    answer = engine.ask(question)
    return answer.answered, answer.lead, tuple((c.doc_id, c.first_page) for c in answer.citations)


@pytest.mark.parametrize("typing", list(TYPINGS))
@pytest.mark.parametrize("question", QUESTIONS, ids=["count", "target", "advice"])
def test_the_same_question_typed_differently_gets_the_same_answer(engine: Engine, question: str, typing: str) -> None:
    assert _answer_signature(engine, TYPINGS[typing](question)) == _answer_signature(engine, question)


CLAIMS = [
    "In 2023 woonden er 18.480 migranten in Haarlemmermeer.",
    "In 2019 woonden er 18.480 migranten in Haarlemmermeer.",
]


@pytest.mark.parametrize("typing", list(TYPINGS))
@pytest.mark.parametrize("claim", CLAIMS, ids=["true", "wrong-year"])
def test_the_same_claim_typed_differently_gets_the_same_verdict(engine: Engine, claim: str, typing: str) -> None:
    expected = engine.check_claim(claim)
    got = engine.check_claim(TYPINGS[typing](claim))
    assert (got.status, got.reason, got.report_value) == (expected.status, expected.reason, expected.report_value)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Hoeveel migranten wonen er in Haarlemmermeer?", "Hoeveel migranten wonen er in Haarlemmermeer?"),
        ("HOEVEEL MIGRANTEN WONEN ER IN HAARLEMMERMEER?", "Hoeveel migranten wonen er in Haarlemmermeer?"),
        ("Hoeveel Migranten Wonen Er In Haarlemmermeer?", "Hoeveel migranten wonen er in Haarlemmermeer?"),
        ("WAT DOET HET COA? EN DE GEMEENTE?", "Wat doet het COA? En de gemeente?"),
        ("Wat zegt het COA over de IND en het Rijk?", "Wat zegt het COA over de IND en het Rijk?"),
        ("COA", "COA"),
    ],
)
def test_shouted_and_title_case_text_takes_the_documents_casing(text: str, expected: str) -> None:
    casing = {"haarlemmermeer": "Haarlemmermeer", "coa": "COA", "ind": "IND", "rijk": "Rijk"}
    assert recase(text, casing) == expected


def test_quotes_keep_their_capitals_but_lose_invisible_characters(engine: Engine) -> None:
    """A quote's changed capitals are reported, not normalised away; invisible characters never count."""
    sentence = "Migranten vormen daarmee"
    assert engine.check_quote(sentence.replace("vormen", "vor\u200bmen")).status == "exact"
    assert engine.check_quote(sentence.upper()).status == "harmless"
    assert clean("mi\u200bgran\u00adten\u2060") == "migranten"


# ==================================================================== 8. claims that must never be "klopt"


@pytest.mark.parametrize(
    "claim",
    [
        "Er woonden in 2023 geen 18.480 migranten in Haarlemmermeer.",
        "Het is onwaar dat er in 2023 18.480 migranten in Haarlemmermeer woonden.",
        "Het is niet waar dat er in 2023 18.480 migranten in Haarlemmermeer woonden.",
        "In 2023 woonden er niet 18.480 migranten in Haarlemmermeer.",
        "In 2023 woonden er nooit meer dan 100 migranten in Haarlemmermeer.",
        "In 2023 woonden er 1e308 migranten in Haarlemmermeer.",
        "In 2023 woonden er 1,848E4 migranten in Haarlemmermeer.",
        "In 2023 woonden er 18.480.000.000.000.000.000.000.000.000.000 migranten in Haarlemmermeer.",
        "In 2023 woonden er 1234567890123456789012345678901234 migranten in Haarlemmermeer.",
        "In 2023 woonden er 18480000000000000000000000000000000000000000 migranten in Haarlemmermeer.",
    ],
    ids=["geen", "onwaar", "niet-waar", "niet", "nooit-meer-dan", "1e308", "1,848E4", "41-digits-grouped",
         "34-digits", "44-digits"],
)
def test_negated_or_absurd_claims_are_never_supported(engine: Engine, claim: str) -> None:
    verdict = engine.check_claim(claim)
    assert verdict.status != "supported", verdict.reason
    assert verdict.reason


# ==================================================================== 3. the engine under 8 threads


def test_eight_threads_get_the_answers_one_thread_gets(engine: Engine) -> None:
    questions = [*QUESTIONS, *(TYPINGS["capitals"](q) for q in QUESTIONS)]
    expected = {q: _answer_signature(engine, q) for q in questions}
    claims = {c: engine.check_claim(c).status for c in CLAIMS}
    failures: list[str] = []

    def work(offset: int) -> None:
        for i in range(12):
            q = questions[(offset + i) % len(questions)]
            if _answer_signature(engine, q) != expected[q]:
                failures.append(q)
            c = CLAIMS[(offset + i) % len(CLAIMS)]
            if engine.check_claim(c).status != claims[c]:
                failures.append(c)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert not failures


def test_environment_is_not_leaked_between_tests() -> None:
    """The suite's own guard: no REKENQA_* setting from a test above survives into the next."""
    assert not any(k.startswith("REKENQA_") and k not in ("REKENQA_INDEX_DIR", "REKENQA_CACHE_DIR") for k in os.environ)
