"""Wire the stages: the only module that knows their order.

The CLI, the Streamlit app and the evaluation scripts all go through ``Engine``: one code path to test.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
import re
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal, cast

import numpy as np

from rekenqa import answer as answering
from rekenqa import catalog, embed, factcheck, lexical, load, quotes, repair, spelling, structure
from rekenqa import chunk as chunking
from rekenqa import facts as facts_mod
from rekenqa import question as questions
from rekenqa.artefacts.ligatures import repair_pasted_words
from rekenqa.artefacts.normalize import normalize_input
from rekenqa.citations import PageView, format_citation, looks_like_source, match_source
from rekenqa.claimwords import swapped_term
from rekenqa.context import Line, Reading
from rekenqa.errors import (
    CorpusInvalid,
    DocumentUnreadable,
    IndexCorrupt,
    IndexMissing,
    IndexOutdated,
    InputInvalid,
    NotFound,
    RekenQAError,
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
    document_part,
    document_rows,
    load_index,
    read_manifest,
    read_pages,
    recover,
    remove_stale_temp,
    rows_json,
    sentence_lines,
    skipped_files,
    skipped_json,
    write_index,
)
from rekenqa.inputs import clean
from rekenqa.quotes.words import CMP_TABLE, match_key
from rekenqa.retrieve import Retriever, Sentence, is_conclusion, is_definition, rrf
from rekenqa.sentences import split_sentences
from rekenqa.settings import RETRIEVERS, Settings
from rekenqa.speech import is_checkworthy
from rekenqa.types import (
    Answer,
    Chunk,
    DocumentInfo,
    DocumentStructure,
    Evidence,
    Fact,
    Footnote,
    Page,
    Passage,
    QuoteVerdict,
    RetrieverMode,
    Source,
    Verdict,
)

logger = logging.getLogger(__name__)

Progress = Callable[[float, str], None]
QUOTED_CLAIM_WORDS = 8  # a claim this long may quote a sentence of the report
LIST_INTENTS = ("lijst", "advies", "conclusie", "beleid")  # questions whose answer may be a whole list
MAX_SPEECH_CLAIMS = 100  # about 3 s of checking; a longer text is refused, not checked for minutes


def _no_progress(fraction: float, message: str) -> None:
    logger.info("%3.0f%% %s", fraction * 100, message)


def chunk_params(settings: Settings) -> dict[str, Any]:
    return {
        "min_words": settings.chunk_min_words,
        "max_words": settings.chunk_max_words,
        "overlap_sentences": settings.chunk_overlap_sentences,
    }


def load_embedder(settings: Settings) -> embed.Embedder:
    return embed.load_embedder(engine=settings.engine, cache_dir=settings.cache_dir, model_path=settings.model_path)


def _url_host(match: re.Match[str]) -> str:
    host = re.sub(r"^(?:hqps?|https?)://", "", match.group(0)).split("/", 1)[0]
    return host.removeprefix("www.").rstrip(".,;:)")


def _authoritative(info: questions.QuestionInfo, retriever: Retriever) -> Callable[[Chunk], bool] | None:
    """The passages that state this kind of answer: the aandachtspunten for advice, conclusions for a
    judgement, definitions for a term."""
    if info.intent == "advies":
        return lambda chunk: retriever.has_part(chunk, "aandachtspunten")
    if info.judgement:
        return is_conclusion
    if info.answer_type == "definition":
        return is_definition
    return None


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
        """"path: why" of each unreadable source document."""
        return tuple(f"{s.path}: {s.why}" for s in self.unreadable)


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
    with build_lock(settings.index_dir):
        remove_stale_temp(settings.index_dir)  # left by builds that were killed; no other build runs now
        if unless_usable and embedder is not None and index_status(settings, embedder.id).fresh:
            # Another process or thread built a fresh index while this one waited for the lock.
            counts = read_manifest(settings.index_dir)["counts"]
            return BuildReport(counts["documents"], counts["pages"], counts["chunks"], counts["facts"], 0.0, ())
        report = build_locked(settings, embedder or load_embedder(settings), say, show_progress, full=full)
    say(1.0, "Klaar")
    return report


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
    previous, why = (None, "volledige herbouw gevraagd") if full else previous_index(settings, embedder)
    corpus = prepare_corpus(settings, say, previous=previous, full_because=why)
    fresh = [p for p in corpus.parts if not p.reused]
    embedded = embed_and_write(settings, corpus, embedder, started, say, show_progress)
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
            # The model loads (seconds) while the documents are prepared and BM25 is built.
            using = embedder or _DeferredEmbedder.for_index(settings, background=True) or load_embedder(settings)
            try:
                built = build_locked(settings, using, say, show_progress)
            except _EmbedderChanged as changed:  # the index was built with another embedder: build it anew
                using = changed.embedder
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
        embedder = embedder or _DeferredEmbedder.for_index(settings) or load_embedder(settings)
        pages, chunks = _indexed_size(settings, entry.info.id)
        removed = catalog.take_out(settings.corpus_dir, entry)
        try:
            try:
                report = build_locked(settings, embedder, say)
            except _EmbedderChanged as changed:  # the index was built with another embedder: build it anew
                report = build_locked(settings, changed.embedder, say)
        except BaseException:
            removed.restore()
            raise
        removed.discard()
    say(1.0, "Klaar")
    return SourceChange(entry.info.id, entry.info.path, pages, chunks, time.monotonic() - began, report)


class _EmbedderChanged(Exception):
    """The configured embedder is not the one the previous index was built with."""

    def __init__(self, embedder: embed.Embedder) -> None:
        super().__init__(embedder.id)
        self.embedder = embedder


class _DeferredEmbedder:
    """Stands in for the configured embedder with the id and dimension of the existing index; the real one is
    loaded when something is embedded, or (``background``) in a thread while documents are prepared.
    Raises ``_EmbedderChanged`` when the real one turns out to differ."""

    def __init__(self, settings: Settings, embedder_id: str, dim: int, background: bool = False) -> None:
        self.settings = settings
        self.id = embedder_id
        self.dim = dim
        self._lock = threading.Lock()
        self._done = threading.Event()
        self._started = False
        self._loaded: embed.Embedder | None = None
        self._error: BaseException | None = None
        if background:
            # Not a daemon: a process that ends early waits for the load instead of dying inside an import.
            self._started = True
            threading.Thread(target=self._load, name="rekenqa-embedder", daemon=False).start()

    @classmethod
    def for_index(cls, settings: Settings, background: bool = False) -> _DeferredEmbedder | None:
        """For the index in settings.index_dir; None when there is no readable manifest."""
        try:
            manifest = read_manifest(settings.index_dir)
        except (IndexMissing, IndexOutdated, IndexCorrupt):
            return None
        described = manifest["embedder"]
        if not isinstance(described.get("id"), str) or not isinstance(described.get("dim"), int):
            return None
        return cls(settings, described["id"], described["dim"], background)

    def _load(self) -> None:
        try:
            self._loaded = load_embedder(self.settings)
        except BaseException as exc:  # re-raised in the thread that needs the embedder
            self._error = exc
        finally:
            self._done.set()

    def real(self) -> embed.Embedder:
        with self._lock:
            start, self._started = not self._started, True
        if start:
            self._load()
        self._done.wait()
        if self._error is not None:
            raise self._error
        assert self._loaded is not None
        if (self._loaded.id, self._loaded.dim) != (self.id, self.dim):
            raise _EmbedderChanged(self._loaded)
        return self._loaded

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        return self.real().embed_queries(texts)

    def embed_passages(self, texts: Sequence[str], show_progress: bool = False) -> np.ndarray:
        return self.real().embed_passages(texts, show_progress=show_progress)


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
    embedded = (
        embedder.embed_passages(lines, show_progress=show_progress)
        if lines
        else np.zeros((0, embedder.dim), dtype=np.float32)
    )
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
    say(0.95, "Index wegschrijven")
    write_index(
        settings.index_dir, manifest, chunks, vectors, bm25, corpus.facts, corpus.pages, corpus.structures,
        sentence_vectors,
    )
    return len(lines)


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


class Engine:
    """The loaded index and embedder, with every operation users can run. Safe to share between threads."""

    def __init__(self, settings: Settings, index: Index, embedder: embed.Embedder) -> None:
        self.settings = settings
        self.index = index
        self.embedder = embedder
        self.rebuilt_because = ""
        # What the report knows about its own subject (places, groups, examples), from its catalog file.
        self.profile = load.read_profile(settings.corpus_dir, index.report.path)
        self.retriever = Retriever(
            chunks=index.chunks,
            dense_index=index.dense,
            bm25=index.bm25,
            sentence_vectors=index.sentence_vectors,
            sentence_offsets=index.sentence_offsets,
            fusion=rrf(settings.rrf_k),
            profile=self.profile,
            weights=settings.retrieval,
        )
        self.reading = Reading(index.chunks)
        self._fact_idf = factcheck.subject_idf(index.facts)
        self._fact_nouns = factcheck.noun_words(index.facts)
        self._lock = threading.Lock()
        self._matchers: dict[bool, quotes.QuoteMatcher] = {}
        # Answers, checks and quotes come from the report unless sources are asked for too.
        self.report_docs = frozenset({index.report.id})
        self.source_docs = frozenset(d.id for d in index.documents) - self.report_docs
        self._report_facts = tuple(f for f in index.facts if f.doc_id in self.report_docs)
        self._footnotes = {
            (doc_id, note.number): note for doc_id, st in index.structures.items() for note in st.footnotes
        }

    @classmethod
    def open(
        cls,
        settings: Settings | None = None,
        *,
        embedder: embed.Embedder | None = None,
        auto_build: bool = True,
        progress: Progress | None = None,
    ) -> Engine:
        """Load the index, building or rebuilding it first when it is missing, outdated or damaged."""
        settings = settings or Settings.from_env()
        embedder = embedder or load_embedder(settings)
        reason = ""
        recover(settings.index_dir)
        status = index_status(settings, embedder.id)
        index = status.index
        if index is None:
            assert status.problem is not None
            if not auto_build:
                raise status.problem
            reason = str(status.problem)
            logger.warning("building the index: %s", status.problem)
            build_index(settings, embedder=embedder, progress=progress, unless_usable=True)
            index = load_index(settings.index_dir)
        engine = cls(settings, index, embedder)
        engine.rebuilt_because = reason
        return engine

    # ------------------------------------------------------------ questions

    @functools.cached_property
    def vocabulary(self) -> spelling.Vocabulary:
        """The words of the indexed texts: typos in questions are corrected to them."""
        return spelling.Vocabulary(chunk.text for chunk in self.index.chunks)

    def footnote(self, doc_id: str, number: int) -> Footnote | None:
        return self._footnotes.get((doc_id, number))

    def scope(self, sources: bool) -> frozenset[str] | None:
        """The documents an answer, check or quote may come from: the report, or (None) every document."""
        return None if sources or not self.source_docs else self.report_docs

    def document_name(self, doc_id: str) -> str:
        """How a citation names a document: "" for the report (its pages speak for it), else its citation."""
        if doc_id in self.report_docs:
            return ""
        info = self.index.document(doc_id)
        return (info.citation or info.title) if info is not None else doc_id

    def retrieve(self, question: str, k: int = 10, mode: str | None = None, sources: bool = False) -> list[Passage]:
        """Ranked passages for a question (no answer composition): used by evaluation and the app."""
        text = clean(question, "question", self.settings.max_input_chars)
        mode = _check_mode(mode or self.settings.retriever)
        vector = self.embedder.embed_queries([text])[0] if mode != "bm25" else None
        return self.retriever.search(vector, text, k=k, mode=mode, docs=self.scope(sources))

    def ask(
        self,
        question: str,
        history: Sequence[str] = (),
        mode: str | None = None,
        k: int | None = None,
        sources: bool = False,
    ) -> Answer:
        """Answer a question from the report's own sentences, with pages; or say the report does not answer it.

        ``history`` holds the earlier questions of the conversation, so follow-ups ("En in 2019?") work.
        With ``sources`` the cited sources in corpus/ answer too, after the report and named.
        """
        text = clean(question, "question", self.settings.max_input_chars)
        earlier = [clean(h, "question", 10_000) for h in history if h and h.strip()]
        standalone = questions.contextualize(text, earlier, self.profile)
        parts = questions.split_multi(standalone)
        if len(parts) > 1:
            return answering.merge(text, [self._answer(text, part, mode, k, sources) for part in parts])
        return self._answer(text, standalone, mode, k, sources)

    def evidence(
        self, standalone: str, mode: str | None = None, k: int | None = None, docs: frozenset[str] | None = None
    ) -> tuple[questions.QuestionInfo, list[Passage], list[Sentence], bool]:
        """Analyse a standalone question, retrieve passages and score their sentences, best first.

        Returns (question info, passages, sentences, whether scores come from the embedder).
        """
        standalone = spelling.correct(standalone, self.vocabulary, questions.is_known_word)
        info = questions.analyze(standalone, self.profile, self.settings.salient_zipf)
        mode = _check_mode(mode or self.settings.retriever)
        k = k or self.settings.top_k
        vector = self.embedder.embed_queries([standalone])[0] if mode != "bm25" else None
        prefer = _authoritative(info, self.retriever)
        passages = self.retriever.search(vector, standalone, k=max(k, 10), mode=mode, prefer=prefer, docs=docs)
        candidates = self._candidates(info, vector, passages[:k], docs)
        sentences = self.retriever.sentences(vector, info, candidates, self.index.chunk_pos)
        return info, passages, sentences, vector is not None

    def _answer(self, shown: str, standalone: str, mode: str | None, k: int | None, sources: bool = False) -> Answer:
        report = self._compose(shown, standalone, mode, k, self.scope(False))
        if not sources or not self.source_docs:
            return report
        # The report answers first; what the sources say follows, named.
        return answering.combine(report, self._compose(shown, standalone, mode, k, self.source_docs))

    def _compose(self, shown: str, standalone: str, mode: str | None, k: int | None, docs: frozenset[str] | None) -> Answer:
        info, passages, sentences, calibrated = self.evidence(standalone, mode, k, docs)
        # The refusal thresholds are calibrated on embedder scores; a BM25-only run has none.
        return answering.compose(
            shown,
            info,
            passages,
            sentences,
            threshold=self.settings.refusal_threshold if calibrated else float("-inf"),
            gap_threshold=self.settings.gap_threshold if calibrated else float("-inf"),
            footnote=self.footnote,
            profile=self.profile,
            expand=self._neighbours,
            order=self._report_order,
            document=self.document_name,
        )

    def _neighbours(self, sentence: Sentence, info: questions.QuestionInfo) -> tuple[list[Sentence], list[Sentence]]:
        """The sentence before, when this one leans on it; for a question asking for a list, advice or a
        judgement, the items of the list the sentence introduces."""
        def as_sentence(line: Line) -> Sentence:
            part = self.retriever.parts_of(line.chunk)[line.line]
            return Sentence(line.text, line.chunk, line.line, line.page, sentence.score, 0.0, 0.0, part)

        if sentence.chunk.kind != "text":
            return [], []
        before = self.reading.leans_back(sentence.chunk.id, sentence.line)
        lists = info.intent in LIST_INTENTS
        items = self.reading.list_after(sentence.chunk.id, sentence.line) if lists else []
        return ([as_sentence(before)] if before else []), [as_sentence(item) for item in items]

    def _report_order(self, sentence: Sentence) -> tuple[int, ...]:
        at = self.reading.position(sentence.chunk.id, sentence.line)
        return (sentence.page, self.index.chunk_pos[sentence.chunk.id] if at is None else -1, at or sentence.line)

    def _candidates(
        self, info: questions.QuestionInfo, vector: np.ndarray | None, top: Sequence[Passage], docs: frozenset[str] | None
    ) -> list[Passage]:
        """The passages whose sentences may answer: the top ones, plus tables and sections made for the question."""
        candidates = list(top) + self._period_tables(info, top, docs)
        where = _authoritative(info, self.retriever)
        if where is not None and vector is not None:
            # Where the report itself states such answers: bring their nearest passages in.
            seen = {p.chunk.id for p in candidates}
            low = candidates[-1].score if candidates else 0.0

            def keep(c: Chunk) -> bool:
                return where(c) and c.id not in seen and (docs is None or c.doc_id in docs)

            candidates += self.retriever.nearest_where(vector, keep, 2, low)
        return candidates

    def _period_tables(
        self, info: questions.QuestionInfo, passages: Sequence[Passage], docs: frozenset[str] | None
    ) -> list[Passage]:
        """Tables with a column for the asked quarter: their cells answer "hoeveel … in Q3 2024" directly."""
        keys = [q.lower() for q in info.quarters if "-" in q and not q.startswith("-")]
        if not keys:
            return []
        seen = {p.chunk.id for p in passages}
        low_score = passages[-1].score if passages else 0.0
        return [
            Passage(chunk, low_score)
            for chunk in self.index.chunks
            if chunk.kind == "table"
            and chunk.id not in seen
            and (docs is None or chunk.doc_id in docs)
            and any(key in chunk.text.lower() for key in keys)
        ]

    # ------------------------------------------------------------ fact-check and quotes

    def check_claim(self, claim: str, sources: bool = False) -> Verdict:
        """Compare a claim from a debate with the report's numbers and sentences; with ``sources``, a claim the
        report says nothing about is checked against the cited sources in corpus/ (the document named)."""
        text = self.repair_pasted(clean(claim, "claim", self.settings.max_input_chars))
        vector = self.embedder.embed_queries([text])[0]
        verdict = self._check(text, vector, self.scope(False))
        if sources and self.source_docs and verdict.status == "not_in_report":
            other = self._check(text, vector, self.source_docs)
            if other.status != "not_in_report":
                verdict = other
        return replace(verdict, evidence=tuple(self.named(e) for e in verdict.evidence))

    def named(self, evidence: Evidence) -> Evidence:
        """Evidence with its page as printed and, in a source, the document named."""
        page = self.index.pages.get((evidence.doc_id, evidence.page))
        return replace(
            evidence,
            page_name=page.label if page is not None else "",
            document=self.document_name(evidence.doc_id),
        )

    def _check(self, text: str, vector: np.ndarray, docs: frozenset[str] | None) -> Verdict:
        info = questions.analyze(text, self.profile, self.settings.salient_zipf)
        passages = self.retriever.search(vector, text, k=10, mode="hybrid", docs=docs)
        sentences = self.retriever.sentences(vector, info, passages[:6], self.index.chunk_pos)
        facts: Sequence[Fact] = self.index.facts
        if docs == self.report_docs:
            facts = self._report_facts
        elif docs is not None:
            facts = [f for f in self.index.facts if f.doc_id in docs]
        verdict = factcheck.check(
            text,
            facts,
            sentences,
            self.profile,
            idf=self._fact_idf,
            weights=self.settings.factcheck,
            nouns=self._fact_nouns,
        )
        if verdict.status == "supported" and len(text.split()) >= QUOTED_CLAIM_WORDS:
            verdict = self._quoted_with_swap(verdict, docs is None) or verdict
        return verdict

    def _quoted_with_swap(self, verdict: Verdict, sources: bool) -> Verdict | None:
        """A claim that quotes a report sentence with one word turned into its opposite or into another group
        ("… minder duurzame plekken …" for "meer") is contradicted by that sentence."""
        quoted = self.quote_matcher(sources).check(verdict.claim.text)
        swap = swapped_term(quoted.diff) if quoted.status == "altered" and quoted.pages else None
        if swap is None:
            return None
        said, claimed = swap
        return Verdict(
            claim=verdict.claim,
            status="contradicted",
            evidence=(Evidence(quoted.original, quoted.doc_id, quoted.pages[0], ""),),
            report_value=said,
            reason=f"andere term: het rapport zegt ‘{said}’, niet ‘{claimed}’",
        )

    def repair_pasted(self, text: str) -> str:
        """Pasted text as the report's text is: normalised, its lost ligatures put back against the documents' words."""

        def count(word: str) -> int:
            # The report's words are only needed for a word with a glyph: most claims never build the matcher.
            return self.quote_matcher().vocabulary.get(match_key(word.translate(CMP_TABLE)), 0)

        return repair_pasted_words(normalize_input(text), count)

    def check_speech(self, speech: str, sources: bool = False) -> list[tuple[str, Verdict]]:
        """Split a speech or motion into sentences and check the check-worthy ones."""
        text = clean(speech, "speech", 200_000)
        worthy = [span.text for span in split_sentences(text) if is_checkworthy(span.text)]
        if len(worthy) > MAX_SPEECH_CLAIMS:
            raise InputInvalid(
                f"De tekst bevat {len(worthy)} te controleren zinnen; het maximum is {MAX_SPEECH_CLAIMS}.",
                hint="Splits de tekst op en controleer de delen apart.",
            )
        return [(s, self.check_claim(s[: self.settings.max_input_chars], sources)) for s in worthy]

    def check_quote(self, quote: str, sources: bool = False) -> QuoteVerdict:
        """Does a pasted quote stand in the report (with ``sources``: or in a cited source), and on which page?"""
        text = clean(quote, "quote", 20_000)
        return self.quote_matcher(sources).check(text)

    def quote_matcher(self, sources: bool = False) -> quotes.QuoteMatcher:
        """The quote matcher over the report's pages, or over every document's (the report's first)."""
        docs = self.scope(sources)
        key = docs is None
        with self._lock:
            if key not in self._matchers:
                ordered = sorted(self.index.pages, key=lambda k: (k[0] != self.index.report.id, k))
                pages = [self.index.pages[k] for k in ordered if docs is None or k[0] in docs]
                self._matchers[key] = quotes.QuoteMatcher(pages, self.citation)
            return self._matchers[key]

    # ------------------------------------------------------------ documents

    def resolve_doc(self, doc: str | None) -> DocumentInfo:
        """Find a document by id, unique id prefix, file name, or 'rapport' for the report."""
        if not doc or doc.lower() in ("rapport", "report"):
            return self.index.report
        wanted = doc.strip().lower()
        exact = [d for d in self.index.documents if wanted in (d.id.lower(), d.path.lower())]
        if exact:
            return exact[0]
        prefix = [d for d in self.index.documents if d.id.lower().startswith(wanted)]
        if len(prefix) == 1:
            return prefix[0]
        known = ", ".join(d.id for d in self.index.documents)
        raise NotFound(f"Onbekend document '{doc}'.", hint=f"Bekende documenten: {known}.")

    def page(self, doc: str | None, number: int | str) -> PageView:
        """A page by its printed name ("17", "iii") or number."""
        info = self.resolve_doc(doc)
        numbers = self.index.page_numbers(info.id)
        page = self.find_page(info.id, number)
        if page is None:
            first, last = self.page_name(info.id, numbers[0]), self.page_name(info.id, numbers[-1])
            raise NotFound(
                f"Pagina {number} bestaat niet in {info.title}.",
                hint=f"Kies een pagina van {first} tot en met {last}.",
            )
        notes = tuple(f for f in self.index.structures[info.id].footnotes if f.page == page.number)
        return PageView(info, page, notes, numbers[0], numbers[-1])

    def find_page(self, doc_id: str, name: int | str) -> Page | None:
        """The page of ``doc_id`` with number ``name`` (an int), or printed as ``name`` ("iii", "17")."""
        if isinstance(name, int):
            return self.index.pages.get((doc_id, name))
        wanted = name.strip().casefold()
        pages = [self.index.pages[(doc_id, n)] for n in self.index.page_numbers(doc_id)]
        by_name = next((p for p in pages if p.name.casefold() == wanted), None)
        if by_name is not None:
            return by_name
        return next((p for p in pages if str(p.number) == wanted), None)

    def sources(self) -> list[Source]:
        """The sources the report cites in its footnotes, marked when present in corpus/."""
        report = self.index.report
        others = [d for d in self.index.documents if d.id != report.id]
        out = []
        for note in self.index.structures[report.id].footnotes:
            if not note.urls and not looks_like_source(note.text):
                continue
            out.append(
                Source(
                    footnote=note.number,
                    page=note.page,
                    text=note.text,
                    urls=note.urls,
                    in_corpus_doc=match_source(note, others),
                )
            )
        return out

    def info(self) -> dict[str, Any]:
        manifest = self.index.manifest
        return {
            "index": str(self.index.path),
            "created": manifest.get("created"),
            "embedder": manifest.get("embedder"),
            "counts": manifest.get("counts"),
            "chunking": manifest.get("chunking"),
            "documents": [
                {
                    "id": d.id,
                    "title": d.title,
                    "kind": d.kind,
                    "path": d.path,
                    "pages": len(self.index.page_numbers(d.id)),
                    "chunks": sum(1 for c in self.index.chunks if c.doc_id == d.id),
                    "citation": d.citation,
                }
                for d in self.index.documents
            ],
            "skipped": manifest.get("skipped", []),
        }

    def citation(self, doc_id: str, pages: Sequence[int]) -> str:
        """A copyable citation line: 'Rekenkamer Haarlemmermeer (2025), Migratie in Haarlemmermeer, p. 17'."""
        info = self.index.document(doc_id) or self.index.report
        return format_citation(info, pages, lambda n: self.page_name(info.id, n))

    def page_name(self, doc_id: str, number: int) -> str:
        """A page as printed: "17", "iii"."""
        page = self.index.pages.get((doc_id, number))
        return page.name if page is not None else str(number)


def _check_mode(mode: str) -> RetrieverMode:
    if mode not in RETRIEVERS:
        raise InputInvalid(f"Onbekende retriever '{mode}'. Kies hybrid, dense of bm25.")
    return cast(RetrieverMode, mode)


__all__ = ["BuildReport", "Engine", "PageView", "RekenQAError", "build_index", "format_citation"]
