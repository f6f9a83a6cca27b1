"""Build index/ from corpus/: read, repair, structure, chunk, frame the facts, embed and write, incrementally.

A document whose file and catalog file are unchanged keeps its passages, facts, pages, structure and vectors
from the existing index; only new or changed documents are read and embedded (see ``build_index``). Adding
and removing a source (``add_source``, ``remove_source``) go through the same build.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import numpy as np

from rekenqa import catalog, embed, lexical, load, repair, structure
from rekenqa import chunk as chunking
from rekenqa import facts as facts_mod
from rekenqa.errors import (
    CorpusInvalid,
    DocumentUnreadable,
    IndexCorrupt,
    IndexMissing,
    IndexNewer,
    IndexOutdated,
)
from rekenqa.index import (
    FORMAT_VERSION,
    DocStructure,
    DocumentPart,
    DocumentRows,
    Index,
    SkippedFile,
    build_lock,
    check_fresh,
    check_replaceable,
    document_part,
    document_rows,
    load_index,
    read_manifest,
    read_pages,
    remove_stale_temp,
    rows_json,
    sentence_lines,
    skipped_files,
    skipped_json,
    write_index,
)
from rekenqa.settings import Settings
from rekenqa.types import (
    Chunk,
    DocumentInfo,
    DocumentStructure,
    Fact,
    Page,
)

logger = logging.getLogger(__name__)

Progress = Callable[[float, str], None]


def _no_progress(fraction: float, message: str) -> None:
    logger.info("%3.0f%% %s", fraction * 100, message)


def chunk_params(settings: Settings) -> dict[str, Any]:
    return {
        "min_words": settings.chunk_min_words,
        "max_words": settings.chunk_max_words,
        "overlap_sentences": settings.chunk_overlap_sentences,
        "frames": facts_mod.FRAMES_VERSION,
    }


def load_embedder(settings: Settings) -> embed.Embedder:
    """The configured embedder, loaded when something is embedded (or ``embed.warm`` starts it): its id costs
    no model, and its dimension comes from the index's manifest when that index was built with it."""

    def load() -> embed.Embedder:
        return embed.load_embedder(engine=settings.engine, cache_dir=settings.cache_dir, model_path=settings.model_path)

    embedder_id = embed.embedder_id(settings.engine, settings.model_path)
    return embed.LazyEmbedder(load, embedder_id, _indexed_dim(settings, embedder_id))


def _indexed_dim(settings: Settings, embedder_id: str) -> int | None:
    """The vector length of the index in settings.index_dir when ``embedder_id`` built it; else None."""
    try:
        described = read_manifest(settings.index_dir)["embedder"]
    except (IndexMissing, IndexOutdated, IndexCorrupt, IndexNewer):
        return None
    dim = described.get("dim")
    return dim if described.get("id") == embedder_id and isinstance(dim, int) and dim > 0 else None


def _url_host(match: re.Match[str]) -> str:
    host = re.sub(r"^(?:hqps?|https?)://", "", match.group(0)).split("/", 1)[0]
    return host.removeprefix("www.").rstrip(".,;:)")


def sentence_texts(chunk: Chunk) -> list[str]:
    """What the embedder sees of each sentence.

    Table rows keep their table as topic. A URL is reduced to its host ("cbs.nl"): its path carries no
    meaning for the embedder and costs many tokens (about half of the footnotes' tokens).
    """
    lines = [repair.URL_RE.sub(_url_host, line) for line in sentence_lines(chunk)]
    if chunk.kind == "table" and lines:
        return [lines[0]] + [f"{lines[0]}: {line}" for line in lines[1:]]
    return lines


def passage_vectors(chunks: Sequence[Chunk], sentence_vectors: np.ndarray) -> np.ndarray:
    """A passage's vector: the normalised mean of its sentence vectors.

    Embedding every sentence once and pooling is half the work of embedding passages and sentences
    separately (the embedder dominates the build on a 2-core laptop), and the pooled vector ranks
    passages about as well as a passage embedding.
    """
    out = np.zeros((len(chunks), sentence_vectors.shape[1]), dtype=np.float32)
    row = 0
    for i, chunk in enumerate(chunks):
        n = len(sentence_lines(chunk))
        mean = sentence_vectors[row : row + n].astype(np.float32).mean(axis=0)
        norm = float(np.linalg.norm(mean))
        out[i] = mean / norm if norm else mean
        row += n
    return out


IndexState = Literal["missing", "outdated", "corrupt", "fresh"]


@dataclass(frozen=True, slots=True)
class IndexStatus:
    """Whether index/ fits corpus/, the embedder and the chunking settings; ``problem`` says why not."""

    state: IndexState
    problem: IndexMissing | IndexOutdated | IndexCorrupt | None = None
    index: Index | None = None  # the loaded index, when fresh and checked with ``deep``

    @property
    def fresh(self) -> bool:
        return self.state == "fresh"


def index_status(settings: Settings, embedder_id: str, *, deep: bool = True) -> IndexStatus:
    """Check index/ against corpus/, the embedder and the chunking settings: missing, outdated, corrupt or fresh.

    ``deep`` also loads every index file (checksums, shapes), so damage counts as corrupt; without it only
    the manifest is read. Call ``recover`` first where an interrupted swap may have left the index aside.
    """
    try:
        manifest = read_manifest(settings.index_dir)
        check_fresh(manifest, load.corpus_hashes(settings.corpus_dir), embedder_id, chunk_params(settings))
        index = load_index(settings.index_dir) if deep else None
    except IndexMissing as err:
        return IndexStatus("missing", err)
    except IndexOutdated as err:
        return IndexStatus("outdated", err)
    except IndexCorrupt as err:
        return IndexStatus("corrupt", err)
    return IndexStatus("fresh", None, index)


@dataclass(frozen=True, slots=True)
class BuildReport:
    documents: int
    pages: int
    chunks: int
    facts: int
    seconds: float
    skipped: tuple[str, ...]
    prepared: tuple[str, ...] = ()  # ids of the documents read, repaired, chunked and embedded by this build
    reused: tuple[str, ...] = ()  # ids taken unchanged from the previous index
    embedded: int = 0  # sentences embedded
    full_because: str = ""  # why every document was prepared again (Dutch); "" for an incremental build
    coalesced: bool = False  # another build, asked for at the same time, wrote this index: nothing was built


@dataclass(frozen=True, slots=True, eq=False)
class PreparedDocument:
    """One document ready for the index. ``sentence_vectors`` and ``passage_vectors`` are set when it was taken
    unchanged from the previous index (then it was neither read nor embedded again)."""

    info: DocumentInfo
    pages: tuple[Page, ...]
    structure: DocStructure
    chunks: tuple[Chunk, ...]
    facts: tuple[Fact, ...]
    sha256: str = ""
    catalog_sha256: str = ""
    sentence_vectors: np.ndarray | None = None
    passage_vectors: np.ndarray | None = None

    @property
    def reused(self) -> bool:
        return self.sentence_vectors is not None


@dataclass(frozen=True, slots=True)
class PreparedCorpus:
    """Everything index/ holds except vectors and BM25: corpus/ read, repaired, structured and chunked."""

    parts: tuple[PreparedDocument, ...]
    unreadable: tuple[SkippedFile, ...] = ()  # each unreadable source document, with why
    hashes: dict[str, str] = field(default_factory=dict)  # load.corpus_hashes when the corpus was read
    full_because: str = ""  # why no document was taken from the previous index; "" when some could be

    @property
    def documents(self) -> tuple[DocumentInfo, ...]:
        return tuple(p.info for p in self.parts)

    @property
    def pages(self) -> tuple[Page, ...]:
        return tuple(page for p in self.parts for page in p.pages)

    @property
    def structures(self) -> tuple[DocStructure, ...]:
        return tuple(p.structure for p in self.parts)

    @property
    def chunks(self) -> tuple[Chunk, ...]:
        return tuple(c for p in self.parts for c in p.chunks)

    @property
    def facts(self) -> tuple[Fact, ...]:
        return tuple(f for p in self.parts for f in p.facts)

    @property
    def skipped(self) -> tuple[str, ...]:
        """"path: why" of each unreadable source document, then of each page that could not be read (a scan)."""
        pages = (f"{p.info.path}: {page.note}" for p in self.parts for page in p.pages if page.note)
        return (*(f"{s.path}: {s.why}" for s in self.unreadable), *pages)


@dataclass(frozen=True, slots=True)
class PreviousIndex:
    """The index a build may take unchanged documents from (same format, embedder and chunking, undamaged)."""

    index: Index
    pages: tuple[Page, ...]  # pages.jsonl in file order
    rows: dict[str, DocumentRows]  # by document path
    skipped: dict[str, SkippedFile]  # by path

    def part(self, entry: load.CorpusFile, sha256: str, catalog_sha256: str) -> DocumentPart | None:
        """The document's rows when its file and catalog file are unchanged; None when it must be prepared."""
        rows = self.rows.get(entry.info.path)
        if rows is None or (rows.doc_id, rows.sha256, rows.catalog_sha256) != (entry.info.id, sha256, catalog_sha256):
            return None
        part = document_part(self.index, self.pages, rows)
        return part if part is not None and part.info == entry.info else None

    def skip(self, path: str, sha256: str, catalog_sha256: str) -> SkippedFile | None:
        """Why the file was unreadable before, when it is unchanged (it is not tried again)."""
        old = self.skipped.get(path)
        return old if old is not None and (old.sha256, old.catalog_sha256) == (sha256, catalog_sha256) else None

    def profile_changed(self, report: load.CorpusFile | None, catalog_sha256: str) -> str:
        """Why facts must be framed again in every document ("" when the report's catalog is unchanged):
        the report's profile frames the facts of all documents."""
        if report is None:
            return "het corpus heeft geen rapport"
        old = self.index.report
        rows = next((r for r in self.rows.values() if r.doc_id == old.id), None)
        if old.kind != "report" or rows is None or rows.path != report.info.path:
            return "een ander rapport"
        if rows.catalog_sha256 != catalog_sha256:
            return "de catalogus van het rapport is gewijzigd (het profiel geldt voor alle documenten)"
        return ""


def previous_index(settings: Settings, embedder: embed.Embedder) -> tuple[PreviousIndex | None, str]:
    """The existing index when a build may reuse its documents, else None and why (Dutch).

    A new format, another embedder, other chunking parameters or a damaged index mean a full build.
    Call with ``build_lock`` held.
    """
    try:
        manifest = read_manifest(settings.index_dir)
    except IndexMissing:
        return None, "er is nog geen index"
    except IndexOutdated:
        return None, "de index heeft een oud formaat"
    except IndexCorrupt:
        return None, "de vorige index is beschadigd"
    if manifest["embedder"].get("id") != embedder.id or manifest["embedder"].get("dim") != embedder.dim:
        return None, "andere embedder"
    if manifest["chunking"] != chunk_params(settings):
        return None, "andere instellingen voor passages"
    rows = document_rows(manifest)
    if not rows:
        return None, "de vorige index heeft geen gegevens per document"
    try:
        index = load_index(settings.index_dir)
        pages = tuple(read_pages(settings.index_dir))
    except (IndexMissing, IndexOutdated, IndexCorrupt):
        return None, "de vorige index is beschadigd"
    by_path = {r.path: r for r in rows.values()}
    return PreviousIndex(index, pages, by_path, skipped_files(manifest)), ""


def build_index(
    settings: Settings,
    embedder: embed.Embedder | None = None,
    progress: Progress | None = None,
    show_progress: bool = False,
    unless_usable: bool = False,
    full: bool = False,
) -> BuildReport:
    """Bring index/ up to date with corpus/ and write it atomically.

    Incremental: a document whose file and catalog file are unchanged is taken from the existing index
    (chunks, facts, pages, structure, vectors); only new and changed documents are read, repaired,
    structured, chunked and embedded. BM25, its lexicon and the dense index are built over all passages.
    ``full`` (or another embedder, chunking, format, report catalog, or a damaged index) prepares every
    document again.
    """
    say = progress or _no_progress
    check_replaceable(settings.index_dir)  # before any work: never build over a folder that is not an index
    before = _manifest_stamp(settings.index_dir)
    with build_lock(settings.index_dir):
        remove_stale_temp(settings.index_dir)  # left by builds that were killed; no other build runs now
        embedder = embedder or load_embedder(settings)
        # Builds asked for at the same time coalesce: one that waited for the lock while another wrote a fresh
        # index returns that index instead of building it again (a forced build still builds).
        waited = _manifest_stamp(settings.index_dir) != before
        if (unless_usable or (waited and not full)) and index_status(settings, embedder.id).fresh:
            counts = read_manifest(settings.index_dir)["counts"]
            say(1.0, "Klaar: een andere opdracht bouwde de index zojuist")
            return BuildReport(
                counts["documents"], counts["pages"], counts["chunks"], counts["facts"], 0.0, (), coalesced=True
            )
        report = build_locked(settings, embedder, say, show_progress, full=full)
    say(1.0, "Klaar")
    return report


def _manifest_stamp(index_dir: Path) -> tuple[int, int] | None:
    """(size, mtime) of the index's manifest, or None: changes whenever a build swaps a new index in."""
    try:
        stat = (index_dir / "manifest.json").stat()
    except OSError:
        return None
    return stat.st_size, stat.st_mtime_ns


def build_locked(
    settings: Settings,
    embedder: embed.Embedder,
    progress: Progress | None = None,
    show_progress: bool = False,
    *,
    full: bool = False,
) -> BuildReport:
    """``build_index`` for a caller that holds ``build_lock`` (adding or removing a source)."""
    say = progress or _no_progress
    started = dt.datetime.now(dt.UTC)
    for attempt in range(1, CHANGE_RETRIES + 1):
        previous, why = (None, "volledige herbouw gevraagd") if full else previous_index(settings, embedder)
        if previous is None:
            embed.warm(embedder)  # every document is embedded: the model loads while they are read
        corpus = prepare_corpus(settings, say, previous=previous, full_because=why)
        try:
            embedded = embed_and_write(settings, corpus, embedder, started, say, show_progress)
            break
        except _CorpusChanged as change:
            # The index would hash the new file but hold the old text: read the corpus again.
            logger.warning("corpus changed during the build (%s); attempt %d", ", ".join(change.paths), attempt)
            if attempt == CHANGE_RETRIES:
                raise CorpusInvalid(
                    f"Bestanden in {settings.corpus_dir} veranderden terwijl de index werd gebouwd: "
                    f"{', '.join(change.paths)}.",
                    hint="Wacht tot het kopiëren of bewerken klaar is en draai opnieuw: rekenqa index; "
                    "de vorige index is onaangetast.",
                ) from None
            say(0.0, "Een bestand veranderde tijdens het bouwen: opnieuw lezen")
    fresh = [p for p in corpus.parts if not p.reused]
    seconds = (dt.datetime.now(dt.UTC) - started).total_seconds()
    return BuildReport(
        len(corpus.documents),
        len(corpus.pages),
        len(corpus.chunks),
        len(corpus.facts),
        seconds,
        corpus.skipped,
        prepared=tuple(p.info.id for p in fresh),
        reused=tuple(p.info.id for p in corpus.parts if p.reused),
        embedded=embedded,
        full_because=corpus.full_because,
    )


CHANGE_RETRIES = 3  # reads of the corpus when its files change during a build


class _CorpusChanged(Exception):
    """Corpus files changed between reading them and writing the index (internal: the build reads again)."""

    def __init__(self, paths: Sequence[str]):
        super().__init__(", ".join(paths))
        self.paths = tuple(paths)


def _changed_since(settings: Settings, hashes: dict[str, str]) -> list[str]:
    """The corpus files (relative paths) added, removed or changed since ``hashes`` was taken."""
    now = load.corpus_hashes(settings.corpus_dir)
    return sorted(k for k in set(now) | set(hashes) if now.get(k) != hashes.get(k))


@dataclass(frozen=True, slots=True)
class SourceChange:
    """A source added to or removed from corpus/ and the index."""

    doc_id: str
    path: str  # relative to corpus/
    pages: int
    chunks: int
    seconds: float  # the whole operation: checking, copying or removing, and the index build
    build: BuildReport


def add_source(
    settings: Settings,
    origin: Path,
    meta: catalog.SourceMeta | None = None,
    embedder: embed.Embedder | None = None,
    progress: Progress | None = None,
    show_progress: bool = False,
) -> SourceChange:
    """Check a PDF, .txt or .md file, copy it into corpus/ with its catalog file, and update the index.

    The file is loaded before corpus/ is touched; when it is refused or the build fails, corpus/ is left as
    it was. Only the new document is read and embedded.
    """
    say = progress or _no_progress
    began = time.monotonic()
    with build_lock(settings.index_dir):
        remove_stale_temp(settings.index_dir)
        with catalog.checked_source(settings.corpus_dir, origin, meta or catalog.SourceMeta()) as checked:
            installed = catalog.install(settings.corpus_dir, checked)
        built: BuildReport | None = None
        try:
            using = embedder or load_embedder(settings)
            embed.warm(using)  # the model loads (seconds) while the documents are prepared and BM25 is built
            built = build_locked(settings, using, say, show_progress)
            if checked.doc_id not in built.prepared + built.reused:  # checked above, so not expected
                why = next((line for line in built.skipped if line.startswith(installed.path.name)), "")
                raise DocumentUnreadable(f"{installed.path.name} kon niet worden geïndexeerd. {why}".strip())
        except BaseException:
            installed.undo()
            if built is not None:  # the index was written for the corpus with the file: bring it in line again
                build_locked(settings, using, say)
            raise
    say(1.0, "Klaar")
    pages, chunks = _indexed_size(settings, checked.doc_id)
    path = installed.path.relative_to(settings.corpus_dir).as_posix()
    return SourceChange(checked.doc_id, path, pages, chunks, time.monotonic() - began, built)


def remove_source(
    settings: Settings,
    doc_id: str,
    embedder: embed.Embedder | None = None,
    progress: Progress | None = None,
) -> SourceChange:
    """Remove a source (never the report) from corpus/ and from the index; nothing else is embedded again.

    When the build fails, the source's files are put back.
    """
    say = progress or _no_progress
    began = time.monotonic()
    with build_lock(settings.index_dir):
        remove_stale_temp(settings.index_dir)
        entry = catalog.find_source(settings.corpus_dir, doc_id)
        # Removing embeds nothing when the index is up to date: the model (seconds to load) is loaded only
        # when some other document turns out to need embedding.
        embedder = embedder or load_embedder(settings)
        pages, chunks = _indexed_size(settings, entry.info.id)
        removed = catalog.take_out(settings.corpus_dir, entry)
        try:
            report = build_locked(settings, embedder, say)
        except BaseException:
            removed.restore()
            raise
        removed.discard()
    say(1.0, "Klaar")
    return SourceChange(entry.info.id, entry.info.path, pages, chunks, time.monotonic() - began, report)


def _indexed_size(settings: Settings, doc_id: str) -> tuple[int, int]:
    """(pages, passages) of a document in index/, from the manifest; (0, 0) when it is not there."""
    try:
        rows = document_rows(read_manifest(settings.index_dir)).get(doc_id)
    except (IndexMissing, IndexOutdated, IndexCorrupt):
        return 0, 0
    if rows is None:
        return 0, 0
    return rows.pages[1] - rows.pages[0], rows.chunks[1] - rows.chunks[0]


def prepare_corpus(
    settings: Settings,
    progress: Progress | None = None,
    *,
    previous: PreviousIndex | None = None,
    full_because: str = "geen vorige index gebruikt",
) -> PreparedCorpus:
    """Read corpus/, then repair, structure, chunk and extract the facts of every document; writes nothing.

    With ``previous``, documents whose file and catalog file are unchanged are taken from it instead.
    """
    say = progress or _no_progress
    say(0.0, "Documenten lezen")
    files = _discover(settings)
    hashes = load.corpus_hashes(settings.corpus_dir)
    report_file = next((f for f in files if f.info.kind == "report"), None)
    if previous is not None:
        why = previous.profile_changed(report_file, _hashes(settings, report_file.info, hashes)[1] if report_file else "")
        if why:
            previous, full_because = None, why
    raw, unreadable = _read_corpus(settings, files, hashes, previous)
    if not raw:
        raise CorpusInvalid(
            f"Geen leesbare documenten in {settings.corpus_dir}.",
            hint="Zet het rapport (.txt, .pdf of .md) in corpus/ en draai opnieuw: rekenqa index",
        )
    reused = sum(1 for item in raw if isinstance(item[1], DocumentPart))
    if reused:
        full_because = ""
        say(0.05, f"{reused} ongewijzigde document(en) overgenomen uit de vorige index")
    say(0.1, "Tekst herstellen")
    # The report's profile names the groups and places that facts are framed with, in every document.
    report = next((info for info, _, _ in raw if info.kind == "report"), raw[0][0])
    profile = load.read_profile(settings.corpus_dir, report.path)
    parts: list[PreparedDocument] = []
    for info, loaded, (sha256, catalog_sha256) in raw:
        if isinstance(loaded, DocumentPart):
            parts.append(
                PreparedDocument(
                    info, loaded.pages, loaded.structure, loaded.chunks, loaded.facts, sha256, catalog_sha256,
                    loaded.sentence_vectors, loaded.passage_vectors,
                )
            )
            continue
        # A document's repair uses its own words only: it does not change when other documents come or go.
        doc = structure.analyze(repair.repair_pages(loaded, repair.build_vocabulary(loaded)))
        doc_chunks = _chunk_document(settings, doc)
        parts.append(
            PreparedDocument(
                info,
                tuple(doc.pages),
                _doc_structure(info.id, doc),
                tuple(doc_chunks),
                tuple(facts_mod.extract_facts(doc, doc_chunks, profile)),
                sha256,
                catalog_sha256,
            )
        )
    return PreparedCorpus(tuple(parts), unreadable, hashes, full_because)


def _discover(settings: Settings) -> list[load.CorpusFile]:
    files = load.discover(settings.corpus_dir)
    if not files:
        raise CorpusInvalid(
            f"Geen documenten gevonden in {settings.corpus_dir}.",
            hint="Zet het rapport (.txt, .pdf of .md) in corpus/ en draai opnieuw: rekenqa index",
        )
    return files


def _hashes(settings: Settings, info: DocumentInfo, hashes: dict[str, str]) -> tuple[str, str]:
    """sha256 of a document's file and of its catalog file ("" when it has none)."""
    sha256 = hashes.get(info.path) or load.file_sha256(settings.corpus_dir / info.path)
    return sha256, hashes.get(info.path + load.CATALOG_SUFFIX, "")


def _read_corpus(
    settings: Settings,
    files: Sequence[load.CorpusFile],
    hashes: dict[str, str],
    previous: PreviousIndex | None,
) -> tuple[list[tuple[DocumentInfo, list[Page] | DocumentPart, tuple[str, str]]], tuple[SkippedFile, ...]]:
    """Load every new or changed document of corpus/ and take the others from ``previous``.

    An unreadable source is skipped (with why), an unreadable report is not.
    """
    raw: list[tuple[DocumentInfo, list[Page] | DocumentPart, tuple[str, str]]] = []
    skipped: list[SkippedFile] = []
    for entry in files:
        file_hashes = _hashes(settings, entry.info, hashes)
        part = previous.part(entry, *file_hashes) if previous is not None else None
        if part is not None:
            raw.append((entry.info, part, file_hashes))
            continue
        before = previous.skip(entry.info.path, *file_hashes) if previous is not None and entry.info.kind != "report" else None
        if before is not None:
            skipped.append(before)
            continue
        try:
            raw.append((entry.info, load.load_document(entry), file_hashes))
        except DocumentUnreadable as err:
            if entry.info.kind == "report":
                raise
            logger.warning("skipping %s: %s", entry.path.name, err)
            skipped.append(SkippedFile(entry.info.path, *file_hashes, str(err)))
    return raw, tuple(skipped)


def _doc_structure(doc_id: str, doc: DocumentStructure) -> DocStructure:
    return DocStructure(
        doc_id=doc_id,
        sections=doc.sections,
        footnotes=doc.footnotes,
        tables=doc.tables,
        captions=doc.captions,
        references=doc.references,
    )


def _chunk_document(settings: Settings, doc: DocumentStructure) -> list[Chunk]:
    def section_of(page: int, offset: int) -> str:
        return structure.section_path(doc, page, offset)

    return chunking.chunk_document(
        doc,
        min_words=settings.chunk_min_words,
        max_words=settings.chunk_max_words,
        overlap=settings.chunk_overlap_sentences,
        section_of=section_of,
    )


def embed_and_write(
    settings: Settings,
    corpus: PreparedCorpus,
    embedder: embed.Embedder,
    started: dt.datetime,
    progress: Progress | None = None,
    show_progress: bool = False,
) -> int:
    """Embed the sentences of the documents not taken from the previous index, build BM25 over all passages,
    and write index/ atomically. Returns the number of sentences embedded. Call with ``build_lock`` held."""
    say = progress or _no_progress
    chunks = corpus.chunks
    # BM25 first: it needs no vectors, so it runs while an embedder that loads in the background gets ready.
    say(0.2, "Lexicale index bouwen")
    analyzer = lexical.Analyzer(lexicon=lexical.build_lexicon(c.text for c in chunks))
    bm25 = lexical.BM25.build([f"{c.section} {c.text}" for c in chunks], analyzer)
    fresh = [c for p in corpus.parts if not p.reused for c in p.chunks]
    say(0.25, f"{len(fresh)} passages insluiten" if corpus.full_because else f"{len(fresh)} nieuwe passages insluiten")
    lines = [line for c in fresh for line in sentence_texts(c)]
    embedded = _embed_lines(embedder, lines, say, show_progress)
    sentence_blocks: list[np.ndarray] = []
    passage_blocks: list[np.ndarray] = []
    rows: list[DocumentRows] = []
    at = {"chunks": 0, "sentences": 0, "facts": 0, "pages": 0}
    used = 0
    for part in corpus.parts:
        if part.sentence_vectors is not None and part.passage_vectors is not None:
            sentences, passages = part.sentence_vectors, part.passage_vectors
        else:
            n = sum(len(sentence_lines(c)) for c in part.chunks)
            sentences = embedded[used : used + n]
            used += n
            passages = passage_vectors(part.chunks, sentences)
        sentence_blocks.append(np.asarray(sentences, dtype=np.float16))
        passage_blocks.append(np.asarray(passages, dtype=np.float32))
        sizes = {"chunks": len(part.chunks), "sentences": len(sentences), "facts": len(part.facts), "pages": len(part.pages)}
        spans = {key: (at[key], at[key] + size) for key, size in sizes.items()}
        at = {key: end for key, (_, end) in spans.items()}
        rows.append(
            DocumentRows(
                part.info.id, part.info.path, part.sha256, part.info.path + load.CATALOG_SUFFIX, part.catalog_sha256,
                **spans,
            )
        )
    sentence_vectors = np.concatenate(sentence_blocks) if sentence_blocks else np.zeros((0, embedder.dim), np.float16)
    vectors = np.concatenate(passage_blocks) if passage_blocks else np.zeros((0, embedder.dim), np.float32)
    manifest = _manifest(settings, corpus, embedder, started, rows)
    changed = _changed_since(settings, corpus.hashes) if corpus.hashes else []
    if changed:
        raise _CorpusChanged(changed)
    say(0.95, "Index wegschrijven")
    write_index(
        settings.index_dir, manifest, chunks, vectors, bm25, corpus.facts, corpus.pages, corpus.structures,
        sentence_vectors,
    )
    return len(lines)


EMBED_STEPS = 8  # progress reports while embedding, for a caller without a progress bar of its own


def _embed_lines(
    embedder: embed.Embedder, lines: Sequence[str], say: Progress, show_progress: bool
) -> np.ndarray:
    """Sentence vectors, with progress from 0.25 to 0.95: a terminal gets the embedder's own bar
    (``show_progress``); any other caller (the app) a report after each of ``EMBED_STEPS`` slices."""
    if not lines:
        return np.zeros((0, embedder.dim), dtype=np.float32)
    if not embed.is_loaded(embedder):
        say(0.25, "Zoekmodel laden")
    if show_progress:
        return embedder.embed_passages(lines, show_progress=True)
    step = -(-len(lines) // EMBED_STEPS)
    blocks = []
    for start in range(0, len(lines), step):
        blocks.append(embedder.embed_passages(lines[start : start + step]))
        done = min(start + step, len(lines))
        say(0.25 + 0.7 * done / len(lines), f"Zinnen insluiten: {done:,} van {len(lines):,}".replace(",", "."))
    return np.concatenate(blocks).astype(np.float32, copy=False)


def _manifest(
    settings: Settings,
    corpus: PreparedCorpus,
    embedder: embed.Embedder,
    started: dt.datetime,
    rows: Sequence[DocumentRows] = (),
) -> dict[str, Any]:
    return {
        "format_version": FORMAT_VERSION,
        "created": started.isoformat(timespec="seconds"),
        "embedder": {"id": embedder.id, "dim": embedder.dim},
        "chunking": chunk_params(settings),
        "corpus": corpus.hashes or load.corpus_hashes(settings.corpus_dir),
        "counts": {
            "documents": len(corpus.documents),
            "pages": len(corpus.pages),
            "chunks": len(corpus.chunks),
            "facts": len(corpus.facts),
        },
        "documents": [_doc_json(d) for d in corpus.documents],
        "by_document": rows_json(rows),
        "skipped": list(corpus.skipped),
        "skipped_files": skipped_json(corpus.unreadable),
    }


def _doc_json(info: DocumentInfo) -> dict[str, Any]:
    from rekenqa.index import to_json

    return dict(to_json(info))
