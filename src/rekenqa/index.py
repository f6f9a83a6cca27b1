"""Build, save and load index/: the only module that writes there.

Plain files, no pickle:

- ``manifest.json``  format version, build date, embedder id and dimension, chunking parameters, sha256 of
  every corpus file, counts, the document catalog, and per document (``by_document``) the sha256 of its
  file and of its catalog file with the rows it holds in the other files (see ``DocumentRows``);
- ``chunks.jsonl``   one passage a line;
- ``dense.faiss``    FAISS inner-product index over normalised passage vectors (row i = chunk i);
- ``sentences.npy``  float16 vectors of every line of every passage, in passage order (numpy, no pickle);
- ``bm25.json``      the BM25 postings and the compound-part lexicon of the Dutch analyzer;
- ``facts.jsonl``    every number in the corpus with its context;
- ``pages.jsonl``    the repaired text of every page;
- ``structure.json`` sections, footnotes, tables, captions and references per document.

An index is written to a temporary folder beside ``index/`` and renamed into place, so a crash never
leaves a half index and the previous index stays usable until the new one is complete.

The rows of one document are contiguous in every file, so a build can take an unchanged document's
chunks, facts, pages, structure and vectors from the previous index (``document_part``) instead of
reading and embedding it again.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import json
import logging
import os
import shutil
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, TypeVar

import numpy as np
from filelock import FileLock, Timeout

from rekenqa.errors import IndexCorrupt, IndexMissing, IndexNewer, IndexOutdated, IndexWriteFailed
from rekenqa.lexical import BM25
from rekenqa.load import file_sha256
from rekenqa.types import (
    Block,
    Chunk,
    DocumentInfo,
    Fact,
    Footnote,
    Page,
    Reference,
    Section,
    Table,
)

if TYPE_CHECKING:
    import faiss
    from _typeshed import DataclassInstance

logger = logging.getLogger(__name__)

# Bump when the index files or what goes into them (chunking, facts, vectors) change.
FORMAT_VERSION = 8  # 7: per-document file hashes and row ranges (incremental builds); 8: the manifest checksummed
FILES = (
    "manifest.json",
    "chunks.jsonl",
    "dense.faiss",
    "sentences.npy",
    "bm25.json",
    "facts.jsonl",
    "pages.jsonl",
    "structure.json",
)
REBUILD_HINT = "Bouw de index opnieuw op met: rekenqa index"
DenseKind = Literal["auto", "flat", "hnsw"]
T = TypeVar("T", bound="DataclassInstance")


@dataclass(frozen=True, slots=True)
class DocStructure:
    """The structure of one document as stored in the index (without its pages)."""

    doc_id: str
    sections: tuple[Section, ...] = ()
    footnotes: tuple[Footnote, ...] = ()
    tables: tuple[Table, ...] = ()
    captions: tuple[Block, ...] = ()
    references: tuple[Reference, ...] = ()


@dataclass(slots=True)
class Index:
    """A loaded index. Read-only after loading; safe to share between threads."""

    path: Path
    manifest: dict[str, Any]
    documents: tuple[DocumentInfo, ...]
    chunks: tuple[Chunk, ...]
    dense: faiss.Index
    bm25: BM25
    facts: tuple[Fact, ...]
    pages: dict[tuple[str, int], Page]
    structures: dict[str, DocStructure]
    sentence_vectors: np.ndarray | None = None
    chunk_pos: dict[str, int] = field(default_factory=dict)
    sentence_offsets: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))

    def __post_init__(self) -> None:
        self.chunk_pos = {c.id: i for i, c in enumerate(self.chunks)}
        counts = [len(sentence_lines(c)) for c in self.chunks]
        self.sentence_offsets = np.concatenate([[0], np.cumsum(counts)[:-1]]).astype(np.int64) if counts else self.sentence_offsets

    def chunk(self, chunk_id: str) -> Chunk:
        return self.chunks[self.chunk_pos[chunk_id]]

    def document(self, doc_id: str) -> DocumentInfo | None:
        return next((d for d in self.documents if d.id == doc_id), None)

    @property
    def report(self) -> DocumentInfo:
        return next((d for d in self.documents if d.kind == "report"), self.documents[0])

    def page_numbers(self, doc_id: str) -> list[int]:
        return sorted(n for d, n in self.pages if d == doc_id)


def sentence_lines(chunk: Chunk) -> list[str]:
    """The sentences of a passage: its lines (chunking puts one sentence, table row or footnote a line)."""
    return chunk.text.split("\n")


# ---------------------------------------------------------------- serialisation


def to_json(value: Any) -> Any:
    """Dataclasses (nested), tuples and paths to JSON-able values."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_json(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, list | tuple):
        return [to_json(v) for v in value]
    if isinstance(value, dict):
        return {str(k): to_json(v) for k, v in value.items()}
    if isinstance(value, Path):
        return str(value)
    return value


def _tuplify(value: Any) -> Any:
    if isinstance(value, list):
        return tuple(_tuplify(v) for v in value)
    return value


def from_json(cls: type[T], data: dict[str, Any]) -> T:
    """Rebuild a flat dataclass of ``cls`` from ``to_json`` output (lists become tuples)."""
    names = {f.name for f in dataclasses.fields(cls)}
    return cls(**{k: _tuplify(v) for k, v in data.items() if k in names})


def _write_jsonl(path: Path, rows: Sequence[Any]) -> None:
    with path.open("w", encoding="utf-8") as handle:
        for row in rows:
            handle.write(json.dumps(to_json(row), ensure_ascii=False) + "\n")


def _read_jsonl(path: Path) -> list[dict[str, Any]]:
    rows = []
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                rows.append(json.loads(line))
    return rows


# ---------------------------------------------------------------- per-document rows (incremental builds)

Span = tuple[int, int]  # [start, end) rows of one document in an index file


@dataclass(frozen=True, slots=True)
class DocumentRows:
    """One document in the manifest: the hashes it was built from and where its rows lie in the index files.

    ``chunks`` are rows of chunks.jsonl and dense.faiss, ``sentences`` rows of sentences.npy, ``facts`` and
    ``pages`` lines of facts.jsonl and pages.jsonl; each a half-open range [start, end).
    """

    doc_id: str
    path: str  # the document file, relative to corpus/
    sha256: str
    catalog: str  # its catalog file, relative to corpus/ (which need not exist)
    catalog_sha256: str  # "" when there is no catalog file
    chunks: Span
    sentences: Span
    facts: Span
    pages: Span


@dataclass(frozen=True, slots=True)
class SkippedFile:
    """A corpus file that could not be read, with the hashes it was tried with: unchanged, it is not tried again."""

    path: str
    sha256: str
    catalog_sha256: str
    why: str  # Dutch


_SPANS = ("chunks", "sentences", "facts", "pages")


def rows_json(rows: Sequence[DocumentRows]) -> dict[str, Any]:
    """The manifest's ``by_document``: {doc id: {path, sha256, catalog, catalog_sha256, chunks, ...}}."""
    return {r.doc_id: {k: v for k, v in to_json(r).items() if k != "doc_id"} for r in rows}


def skipped_json(skipped: Sequence[SkippedFile]) -> dict[str, Any]:
    """The manifest's ``skipped_files``: {path: {sha256, catalog_sha256, why}}."""
    return {s.path: {k: v for k, v in to_json(s).items() if k != "path"} for s in skipped}


def document_rows(manifest: dict[str, Any]) -> dict[str, DocumentRows]:
    """The per-document records of a manifest by doc id; {} when it has none or they are ill-formed."""
    raw = manifest.get("by_document")
    if not isinstance(raw, dict):
        return {}
    out: dict[str, DocumentRows] = {}
    try:
        for doc_id, entry in raw.items():
            path, sha256, catalog, catalog_sha256 = (entry[key] for key in ("path", "sha256", "catalog", "catalog_sha256"))
            if not all(isinstance(t, str) for t in (path, sha256, catalog, catalog_sha256)):
                return {}
            chunks, sentences, facts, pages = (_span(entry[key]) for key in _SPANS)
            out[str(doc_id)] = DocumentRows(str(doc_id), path, sha256, catalog, catalog_sha256, chunks, sentences, facts, pages)
    except (KeyError, TypeError, ValueError):
        return {}
    return out


def skipped_files(manifest: dict[str, Any]) -> dict[str, SkippedFile]:
    """The unreadable files a manifest records, by path; {} when it has none or they are ill-formed."""
    raw = manifest.get("skipped_files")
    if not isinstance(raw, dict):
        return {}
    try:
        return {
            str(path): SkippedFile(str(path), str(e["sha256"]), str(e["catalog_sha256"]), str(e["why"]))
            for path, e in raw.items()
        }
    except (KeyError, TypeError):
        return {}


def _span(value: Any) -> Span:
    if not (isinstance(value, list | tuple) and len(value) == 2 and all(type(v) is int for v in value)):
        raise ValueError(f"bad row range {value!r}")
    start, end = int(value[0]), int(value[1])
    if not 0 <= start <= end:
        raise ValueError(f"bad row range {value!r}")
    return start, end


@dataclass(frozen=True, slots=True, eq=False)
class DocumentPart:
    """One document's share of a loaded index: what a build reuses when its file and catalog are unchanged."""

    info: DocumentInfo
    chunks: tuple[Chunk, ...]
    facts: tuple[Fact, ...]
    pages: tuple[Page, ...]
    structure: DocStructure
    sentence_vectors: np.ndarray  # float16, as stored in sentences.npy
    passage_vectors: np.ndarray  # float32 rows of dense.faiss


def read_pages(index_dir: Path) -> list[Page]:
    """pages.jsonl in file order (``Index.pages`` is keyed by page); call after ``load_index`` checked it."""
    try:
        return [from_json(Page, row) for row in _read_jsonl(index_dir / "pages.jsonl")]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise IndexCorrupt(f"De index in {index_dir} is beschadigd of onvolledig.", hint=REBUILD_HINT) from exc


def document_part(index: Index, pages: Sequence[Page], rows: DocumentRows) -> DocumentPart | None:
    """Cut one document's rows out of a loaded index; None when they do not fit it (prepare it again then).

    ``pages`` is pages.jsonl in file order (``read_pages``).
    """
    info = index.document(rows.doc_id)
    structure = index.structures.get(rows.doc_id)
    vectors = index.sentence_vectors
    if info is None or structure is None or vectors is None or info.path != rows.path:
        return None
    sizes = {"chunks": len(index.chunks), "sentences": len(vectors), "facts": len(index.facts), "pages": len(pages)}
    if any(getattr(rows, key)[1] > size for key, size in sizes.items()):
        return None
    chunks = index.chunks[slice(*rows.chunks)]
    facts = index.facts[slice(*rows.facts)]
    doc_pages = tuple(pages[slice(*rows.pages)])
    if any(item.doc_id != rows.doc_id for group in (chunks, facts, doc_pages) for item in group):
        return None
    n_sentences = sum(len(sentence_lines(c)) for c in chunks)
    start = int(index.sentence_offsets[rows.chunks[0]]) if chunks else rows.sentences[0]
    if rows.sentences != (start, start + n_sentences):
        return None
    try:
        passage_vectors = (
            np.asarray(index.dense.reconstruct_n(rows.chunks[0], len(chunks)), dtype=np.float32)
            if chunks
            else np.zeros((0, index.dense.d), dtype=np.float32)
        )
    except RuntimeError:  # a dense index that cannot give its vectors back
        return None
    return DocumentPart(
        info=info,
        chunks=chunks,
        facts=facts,
        pages=doc_pages,
        structure=structure,
        sentence_vectors=np.asarray(vectors[slice(*rows.sentences)], dtype=np.float16),
        passage_vectors=passage_vectors,
    )


# ---------------------------------------------------------------- writing


def lock_path(index_dir: Path) -> Path:
    """The build lock file beside ``index_dir`` (``.index.lock`` for ``index/``)."""
    return index_dir.parent / f".{index_dir.name}.lock"


@contextlib.contextmanager
def build_lock(index_dir: Path) -> Iterator[None]:
    """Serialise index builds between processes and threads (one writer at a time)."""
    path = lock_path(index_dir)
    try:
        index_dir.parent.mkdir(parents=True, exist_ok=True)
        # Create the lock file here, so a read-only folder fails now with a Dutch message rather than
        # inside the lock library (which on some platforms retries a denied open until its timeout).
        path.open("a").close()
    except OSError as exc:
        raise IndexWriteFailed(
            f"De index kan niet worden gebouwd in {index_dir} ({exc.strerror or exc}).",
            hint="Controleer of de map beschrijfbaar is of kies een andere map met REKENQA_INDEX_DIR; "
            "de vorige index is onaangetast.",
        ) from exc
    # A new FileLock per build: two instances on one path exclude each other, also between threads.
    with FileLock(path):
        yield


def write_index(
    index_dir: Path,
    manifest: dict[str, Any],
    chunks: Sequence[Chunk],
    vectors: np.ndarray,
    bm25: BM25,
    facts: Sequence[Fact],
    pages: Sequence[Page],
    structures: Sequence[DocStructure],
    sentence_vectors: np.ndarray,
    dense_kind: DenseKind = "auto",
) -> None:
    """Write a complete index to a temporary folder, then swap it into place."""
    import faiss

    if len(chunks) != vectors.shape[0]:
        raise ValueError("one vector per chunk expected")
    check_replaceable(index_dir)
    parent = index_dir.parent
    tmp = parent / f".{index_dir.name}.tmp-{os.getpid()}-{time.monotonic_ns()}"
    try:
        parent.mkdir(parents=True, exist_ok=True)
        tmp.mkdir()
        faiss.write_index(make_dense(vectors, dense_kind), str(tmp / "dense.faiss"))
        np.save(tmp / "sentences.npy", np.ascontiguousarray(sentence_vectors, dtype=np.float16), allow_pickle=False)
        _write_jsonl(tmp / "chunks.jsonl", chunks)
        _write_jsonl(tmp / "facts.jsonl", facts)
        _write_jsonl(tmp / "pages.jsonl", pages)
        (tmp / "bm25.json").write_text(json.dumps(bm25.to_json(), ensure_ascii=False), encoding="utf-8")
        (tmp / "structure.json").write_text(
            json.dumps([to_json(s) for s in structures], ensure_ascii=False), encoding="utf-8"
        )
        # The manifest goes last, with a checksum of every other file: a folder without one is never taken
        # for an index, and a truncated or damaged file is caught on load.
        manifest = {**manifest, "files": {name: file_sha256(tmp / name) for name in FILES if name != "manifest.json"}}
        manifest["checksum"] = manifest_checksum(manifest)
        (tmp / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8")
        for name in FILES:
            with (tmp / name).open("rb") as handle:
                os.fsync(handle.fileno())
        _swap(tmp, index_dir)
    except BaseException as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        if isinstance(exc, OSError):
            why = exc.strerror or str(exc)
        elif isinstance(exc, RuntimeError) and "faiss" in str(exc).lower():
            # faiss reports a failed write (a full disk) as RuntimeError with its C++ source location: not shown.
            why = "No space left on device" if "no space" in str(exc).lower() else "schrijven mislukt"
        else:
            raise
        raise IndexWriteFailed(
            f"De index kon niet worden geschreven naar {index_dir} ({why}).",
            hint="Controleer of de schijf beschrijfbaar is en genoeg vrije ruimte heeft; "
            "de vorige index is onaangetast.",
        ) from exc


HNSW_FROM = 20_000  # passages; below this an exact flat index is fast enough (< 5 ms a query)


def make_dense(
    vectors: np.ndarray, kind: DenseKind = "auto", m: int = 32, ef_construction: int = 200, ef_search: int = 128
) -> faiss.Index:
    """A FAISS inner-product index: exact (flat) for small corpora, HNSW when the corpus grows."""
    import faiss

    dim = int(vectors.shape[1])
    if kind == "auto":
        kind = "hnsw" if len(vectors) >= HNSW_FROM else "flat"
    index: faiss.Index
    if kind == "hnsw":
        index = faiss.IndexHNSWFlat(dim, m, faiss.METRIC_INNER_PRODUCT)
        index.hnsw.efConstruction = ef_construction
        index.hnsw.efSearch = ef_search
    elif kind == "flat":
        index = faiss.IndexFlatIP(dim)
    else:
        raise ValueError(f"unknown dense index kind {kind!r}")
    if len(vectors):
        index.add(np.ascontiguousarray(vectors, dtype=np.float32))
    return index



def manifest_checksum(manifest: dict[str, Any]) -> str:
    """sha256 of the manifest without its own ``checksum``: the files' checksums are themselves checked."""
    body = {k: v for k, v in manifest.items() if k != "checksum"}
    return hashlib.sha256(json.dumps(body, ensure_ascii=False, sort_keys=True).encode("utf-8")).hexdigest()


def holds_index(path: Path) -> bool:
    """Whether ``path`` is a folder rekenqa may replace: absent, empty, holding only the files of an index
    (damaged or not), or an index of ours (a manifest of rekenqa, any format version) with only plain files."""
    if not os.path.lexists(path):
        return True
    if path.is_symlink() or not path.is_dir():
        return False
    try:
        entries = list(path.iterdir())
    except OSError:
        return False
    if not entries:
        return True
    if all(e.name in FILES and e.is_file() and not e.is_symlink() for e in entries):
        return True  # only our files, whatever state they are in: a damaged index is rebuilt
    try:
        manifest = json.loads((path / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError, RecursionError):
        return False
    ours = isinstance(manifest, dict) and isinstance(manifest.get("format_version"), int) and "embedder" in manifest
    return ours and all(e.is_file() and not e.is_symlink() for e in entries)


def check_replaceable(index_dir: Path) -> None:
    """Refuse to build into a folder that is not an index of ours: replacing it would delete its contents."""
    if not holds_index(index_dir):
        raise IndexWriteFailed(
            f"De map {index_dir} is geen index van rekenqa en wordt niet overschreven.",
            hint="Kies met REKENQA_INDEX_DIR een lege of nog niet bestaande map; er is niets gewijzigd.",
        )


def _swap(tmp: Path, index_dir: Path) -> None:
    check_replaceable(index_dir)  # again: the folder may have changed while the index was being written
    old = index_dir.parent / f".{index_dir.name}.old-{os.getpid()}-{time.monotonic_ns()}"
    if index_dir.exists():
        index_dir.rename(old)
    try:
        tmp.rename(index_dir)
    except OSError:
        if old.exists() and not index_dir.exists():
            old.rename(index_dir)
        raise
    shutil.rmtree(old, ignore_errors=True)


def remove_stale_temp(index_dir: Path) -> None:
    """Remove the temp folders of builds that were killed. Call with build_lock held (no build is writing)."""
    for stale in index_dir.parent.glob(f".{index_dir.name}.tmp-*"):
        shutil.rmtree(stale, ignore_errors=True)


def recover(index_dir: Path) -> None:
    """Restore a previous index left aside by a swap that was interrupted; remove stale temp folders."""
    parent = index_dir.parent
    if not parent.is_dir():
        return
    path = lock_path(index_dir)
    if not path.is_file():  # no build ever ran here; never create the lock file (the folder may be read-only)
        _recover_unlocked(index_dir)
        return
    lock = FileLock(path, timeout=0)
    try:
        lock.acquire()
    except Timeout:
        # A build is running and may be between its two renames: let it finish the swap.
        deadline = time.monotonic() + 10
        while not (index_dir / "manifest.json").is_file() and time.monotonic() < deadline:
            time.sleep(0.05)
        return
    except OSError:  # a lock file this user cannot open: no build of this user can run here either
        _recover_unlocked(index_dir)
        return
    try:
        _recover_unlocked(index_dir)
    finally:
        lock.release()


def _recover_unlocked(index_dir: Path) -> None:
    parent = index_dir.parent
    olds = sorted(parent.glob(f".{index_dir.name}.old-*"))
    if not (index_dir / "manifest.json").is_file() and olds:
        if os.path.lexists(index_dir) and not holds_index(index_dir):
            # Something else took the index's place: leave it and the index set aside as they are.
            logger.warning("not restoring %s: %s is not an index of ours", olds[-1], index_dir)
            return
        logger.warning("restoring the previous index from %s", olds[-1])
        if index_dir.exists():
            shutil.rmtree(index_dir, ignore_errors=True)
        olds[-1].rename(index_dir)
        olds = olds[:-1]
    for stale in olds:
        shutil.rmtree(stale, ignore_errors=True)


# ---------------------------------------------------------------- reading


def read_manifest(index_dir: Path) -> dict[str, Any]:
    path = index_dir / "manifest.json"
    if not path.is_file():
        raise IndexMissing(f"Geen index gevonden in {index_dir}.", hint="Draai eerst: rekenqa index")
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError) as exc:  # ValueError: bad UTF-8, bad JSON, a 5,000-digit number
        raise IndexCorrupt(f"Het indexbestand manifest.json in {index_dir} is beschadigd.", hint=REBUILD_HINT) from exc
    version = manifest.get("format_version") if isinstance(manifest, dict) else None
    if isinstance(version, int) and not isinstance(version, bool) and version > FORMAT_VERSION:
        raise IndexNewer(
            f"De index in {index_dir} is gebouwd door een nieuwere versie van rekenqa (formaat {version}; deze "
            f"versie leest formaat {FORMAT_VERSION}).",
            hint="Werk rekenqa bij, of bouw de index opnieuw met: rekenqa index --force "
            "(de nieuwere index wordt dan vervangen).",
        )
    if not isinstance(manifest, dict) or version != FORMAT_VERSION:
        raise IndexOutdated(
            f"De index in {index_dir} heeft een oud formaat en past niet bij deze versie van rekenqa.",
            hint=REBUILD_HINT,
        )
    shapes = {"embedder": dict, "corpus": dict, "chunking": dict, "files": dict, "documents": list}
    if any(not isinstance(manifest.get(key), kind) for key, kind in shapes.items()) or not manifest["documents"]:
        raise IndexCorrupt(f"Het indexbestand manifest.json in {index_dir} is beschadigd.", hint=REBUILD_HINT)
    if manifest.get("checksum") != manifest_checksum(manifest):
        raise IndexCorrupt(
            f"Het indexbestand manifest.json in {index_dir} is gewijzigd of beschadigd (controlegetal klopt niet).",
            hint=REBUILD_HINT,
        )
    return manifest


def check_fresh(manifest: dict[str, Any], corpus_hashes: dict[str, str], embedder_id: str, params: dict[str, Any]) -> None:
    """Raise IndexOutdated (with what changed, in Dutch) when the index no longer fits."""
    reasons = []
    old = manifest.get("corpus", {})
    added = sorted(set(corpus_hashes) - set(old))
    removed = sorted(set(old) - set(corpus_hashes))
    changed = sorted(k for k in set(old) & set(corpus_hashes) if old[k] != corpus_hashes[k])
    if added:
        reasons.append("nieuw in corpus/: " + ", ".join(added))
    if removed:
        reasons.append("verdwenen uit corpus/: " + ", ".join(removed))
    if changed:
        reasons.append("gewijzigd: " + ", ".join(changed))
    if manifest.get("embedder", {}).get("id") != embedder_id:
        reasons.append(f"andere embedder ({manifest.get('embedder', {}).get('id')} → {embedder_id})")
    chunking = manifest.get("chunking")
    if chunking != params:
        if _chunk_settings(chunking) == _chunk_settings(params):
            reasons.append("deze versie leest de getallen en hun kaders anders")
        else:
            reasons.append("andere instellingen voor passages")
    if reasons:
        raise IndexOutdated("De index is verouderd: " + "; ".join(reasons) + ".", hint=REBUILD_HINT)


def _chunk_settings(chunking: object) -> dict[str, Any]:
    """The chunking settings of a manifest, without the version of how facts are read ("frames")."""
    return {k: v for k, v in chunking.items() if k != "frames"} if isinstance(chunking, dict) else {}


def load_index(index_dir: Path) -> Index:
    """Load every file of the index; any damage gives IndexCorrupt with a rebuild hint."""
    import faiss

    recover(index_dir)
    manifest = read_manifest(index_dir)
    for name, expected in manifest.get("files", {}).items():
        path = index_dir / name
        if not path.is_file() or file_sha256(path) != expected:
            raise IndexCorrupt(f"Het indexbestand {name} in {index_dir} ontbreekt of is beschadigd.", hint=REBUILD_HINT)
    try:
        chunks = tuple(from_json(Chunk, row) for row in _read_jsonl(index_dir / "chunks.jsonl"))
        facts = tuple(from_json(Fact, row) for row in _read_jsonl(index_dir / "facts.jsonl"))
        pages = [from_json(Page, row) for row in _read_jsonl(index_dir / "pages.jsonl")]
        bm25 = BM25.from_json(json.loads((index_dir / "bm25.json").read_text(encoding="utf-8")))
        structures = {}
        for raw in json.loads((index_dir / "structure.json").read_text(encoding="utf-8")):
            structures[raw["doc_id"]] = DocStructure(
                doc_id=raw["doc_id"],
                sections=tuple(from_json(Section, s) for s in raw["sections"]),
                footnotes=tuple(from_json(Footnote, s) for s in raw["footnotes"]),
                tables=tuple(from_json(Table, s) for s in raw["tables"]),
                captions=tuple(from_json(Block, s) for s in raw["captions"]),
                references=tuple(from_json(Reference, s) for s in raw["references"]),
            )
        documents = tuple(from_json(DocumentInfo, d) for d in manifest["documents"])
        dense_path = index_dir / "dense.faiss"
        if not dense_path.is_file():
            raise FileNotFoundError(dense_path)
        dense = faiss.read_index(str(dense_path))
        sentence_vectors = np.load(index_dir / "sentences.npy", allow_pickle=False)
    except (OSError, ValueError, KeyError, TypeError, AttributeError, IndexError, RuntimeError, RecursionError) as exc:
        # RuntimeError: faiss; RecursionError: deeply nested JSON; the others: rows of the wrong shape.
        raise IndexCorrupt(f"De index in {index_dir} is beschadigd of onvolledig.", hint=REBUILD_HINT) from exc
    if dense.ntotal != len(chunks) or bm25.n_docs != len(chunks):
        raise IndexCorrupt(
            f"De index in {index_dir} is inconsistent ({dense.ntotal} vectoren, {len(chunks)} passages).",
            hint=REBUILD_HINT,
        )
    n_sentences = sum(len(sentence_lines(c)) for c in chunks)
    if sentence_vectors.ndim != 2 or sentence_vectors.shape[0] != n_sentences:
        raise IndexCorrupt(f"De zinsvectoren in {index_dir} passen niet bij de passages.", hint=REBUILD_HINT)
    expected_dim = manifest.get("embedder", {}).get("dim")
    if expected_dim is not None and dense.d != expected_dim:
        raise IndexCorrupt(f"De vectoren in {index_dir} hebben een onverwachte dimensie.", hint=REBUILD_HINT)
    return Index(
        path=index_dir,
        manifest=manifest,
        documents=documents,
        chunks=chunks,
        dense=dense,
        bm25=bm25,
        facts=facts,
        pages={(p.doc_id, p.number): p for p in pages},
        structures=structures,
        sentence_vectors=sentence_vectors,
    )
