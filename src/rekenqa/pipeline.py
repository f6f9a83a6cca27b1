"""Wire the stages: the only module that knows their order.

The CLI, the Streamlit app and the evaluation scripts all go through ``Engine``: one code path to test.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
import re
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Literal, cast

import numpy as np

from rekenqa import answer as answering
from rekenqa import chunk as chunking
from rekenqa import embed, factcheck, lexical, load, quotes, repair, spelling, structure
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
    Index,
    build_lock,
    check_fresh,
    load_index,
    read_manifest,
    recover,
    remove_stale_temp,
    sentence_lines,
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


@dataclass(frozen=True, slots=True)
class PreparedCorpus:
    """Everything index/ holds except vectors and BM25: corpus/ read, repaired, structured and chunked."""

    documents: tuple[DocumentInfo, ...]
    pages: tuple[Page, ...]
    structures: tuple[DocStructure, ...]
    chunks: tuple[Chunk, ...]
    facts: tuple[Fact, ...]
    skipped: tuple[str, ...]  # "path: why" of each unreadable source document


def build_index(
    settings: Settings,
    embedder: embed.Embedder | None = None,
    progress: Progress | None = None,
    show_progress: bool = False,
    unless_usable: bool = False,
) -> BuildReport:
    """Read corpus/, repair, structure, chunk, embed and write index/ atomically."""
    say = progress or _no_progress
    started = dt.datetime.now(dt.UTC)
    with build_lock(settings.index_dir):
        remove_stale_temp(settings.index_dir)  # left by builds that were killed; no other build runs now
        if unless_usable and embedder is not None and index_status(settings, embedder.id).fresh:
            # Another process or thread built a fresh index while this one waited for the lock.
            counts = read_manifest(settings.index_dir)["counts"]
            return BuildReport(counts["documents"], counts["pages"], counts["chunks"], counts["facts"], 0.0, ())
        corpus = prepare_corpus(settings, say)
        say(0.25, f"{len(corpus.chunks)} passages insluiten")
        embed_and_write(settings, corpus, embedder or load_embedder(settings), started, say, show_progress)
    seconds = (dt.datetime.now(dt.UTC) - started).total_seconds()
    say(1.0, "Klaar")
    return BuildReport(
        len(corpus.documents), len(corpus.pages), len(corpus.chunks), len(corpus.facts), seconds, corpus.skipped
    )


def prepare_corpus(settings: Settings, progress: Progress | None = None) -> PreparedCorpus:
    """Read corpus/, then repair, structure, chunk and extract the facts of every document; writes nothing."""
    say = progress or _no_progress
    say(0.0, "Documenten lezen")
    raw, skipped = _read_corpus(settings)
    say(0.1, "Tekst herstellen")
    vocab = repair.build_vocabulary([p for _, pages in raw for p in pages])
    all_pages: list[Page] = []
    structures: list[DocStructure] = []
    chunks: list[Chunk] = []
    facts: list[Fact] = []
    report = next((info for info, _ in raw if info.kind == "report"), raw[0][0])
    # The report's profile names the groups and places that facts are framed with, in every document.
    profile = load.read_profile(settings.corpus_dir, report.path)
    for info, pages in raw:
        doc = structure.analyze(repair.repair_pages(pages, vocab))
        all_pages.extend(doc.pages)
        structures.append(_doc_structure(info.id, doc))
        doc_chunks = _chunk_document(settings, doc)
        chunks.extend(doc_chunks)
        facts.extend(facts_mod.extract_facts(doc, doc_chunks, profile))
    documents = tuple(info for info, _ in raw)
    return PreparedCorpus(documents, tuple(all_pages), tuple(structures), tuple(chunks), tuple(facts), skipped)


def _read_corpus(settings: Settings) -> tuple[list[tuple[DocumentInfo, list[Page]]], tuple[str, ...]]:
    """Load every document of corpus/; an unreadable source is skipped (with why), an unreadable report is not."""
    files = load.discover(settings.corpus_dir)
    if not files:
        raise CorpusInvalid(
            f"Geen documenten gevonden in {settings.corpus_dir}.",
            hint="Zet het rapport (.txt, .pdf of .md) in corpus/ en draai opnieuw: rekenqa index",
        )
    raw: list[tuple[DocumentInfo, list[Page]]] = []
    skipped: list[str] = []
    for entry in files:
        try:
            raw.append((entry.info, load.load_document(entry)))
        except DocumentUnreadable as err:
            if entry.info.kind == "report":
                raise
            logger.warning("skipping %s: %s", entry.path.name, err)
            skipped.append(f"{entry.info.path}: {err}")
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
) -> None:
    """Embed every sentence, build BM25, and write index/ atomically. Call with ``build_lock`` held."""
    say = progress or _no_progress
    chunks = corpus.chunks
    lines = [line for c in chunks for line in sentence_texts(c)]
    sentence_vectors = embedder.embed_passages(lines, show_progress=show_progress)
    vectors = passage_vectors(chunks, sentence_vectors)
    say(0.9, "Lexicale index bouwen")
    analyzer = lexical.Analyzer(lexicon=lexical.build_lexicon(c.text for c in chunks))
    bm25 = lexical.BM25.build([f"{c.section} {c.text}" for c in chunks], analyzer)
    manifest = _manifest(settings, corpus, embedder, started)
    say(0.95, "Index wegschrijven")
    write_index(
        settings.index_dir, manifest, chunks, vectors, bm25, corpus.facts, corpus.pages, corpus.structures,
        sentence_vectors,
    )


def _manifest(settings: Settings, corpus: PreparedCorpus, embedder: embed.Embedder, started: dt.datetime) -> dict[str, Any]:
    return {
        "format_version": FORMAT_VERSION,
        "created": started.isoformat(timespec="seconds"),
        "embedder": {"id": embedder.id, "dim": embedder.dim},
        "chunking": chunk_params(settings),
        "corpus": load.corpus_hashes(settings.corpus_dir),
        "counts": {
            "documents": len(corpus.documents),
            "pages": len(corpus.pages),
            "chunks": len(corpus.chunks),
            "facts": len(corpus.facts),
        },
        "documents": [_doc_json(d) for d in corpus.documents],
        "skipped": list(corpus.skipped),
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
        self._matcher: quotes.QuoteMatcher | None = None
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

    def retrieve(self, question: str, k: int = 10, mode: str | None = None) -> list[Passage]:
        """Ranked passages for a question (no answer composition): used by evaluation and the app."""
        text = clean(question, "question", self.settings.max_input_chars)
        mode = _check_mode(mode or self.settings.retriever)
        vector = self.embedder.embed_queries([text])[0] if mode != "bm25" else None
        return self.retriever.search(vector, text, k=k, mode=mode)

    def ask(self, question: str, history: Sequence[str] = (), mode: str | None = None, k: int | None = None) -> Answer:
        """Answer a question from the report's own sentences, with pages; or say the report does not answer it.

        ``history`` holds the earlier questions of the conversation, so follow-ups ("En in 2019?") work.
        """
        text = clean(question, "question", self.settings.max_input_chars)
        earlier = [clean(h, "question", 10_000) for h in history if h and h.strip()]
        standalone = questions.contextualize(text, earlier, self.profile)
        parts = questions.split_multi(standalone)
        if len(parts) > 1:
            return answering.merge(text, [self._answer(text, part, mode, k) for part in parts])
        return self._answer(text, standalone, mode, k)

    def evidence(
        self, standalone: str, mode: str | None = None, k: int | None = None
    ) -> tuple[questions.QuestionInfo, list[Passage], list[Sentence], bool]:
        """Analyse a standalone question, retrieve passages and score their sentences, best first.

        Returns (question info, passages, sentences, whether scores come from the embedder).
        """
        standalone = spelling.correct(standalone, self.vocabulary, questions.is_known_word)
        info = questions.analyze(standalone, self.profile, self.settings.salient_zipf)
        mode = _check_mode(mode or self.settings.retriever)
        k = k or self.settings.top_k
        vector = self.embedder.embed_queries([standalone])[0] if mode != "bm25" else None
        passages = self.retriever.search(vector, standalone, k=max(k, 10), mode=mode, prefer=_authoritative(info, self.retriever))
        candidates = self._candidates(info, vector, passages[:k])
        sentences = self.retriever.sentences(vector, info, candidates, self.index.chunk_pos)
        return info, passages, sentences, vector is not None

    def _answer(self, shown: str, standalone: str, mode: str | None, k: int | None) -> Answer:
        info, passages, sentences, calibrated = self.evidence(standalone, mode, k)
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

    def _candidates(self, info: questions.QuestionInfo, vector: np.ndarray | None, top: Sequence[Passage]) -> list[Passage]:
        """The passages whose sentences may answer: the top ones, plus tables and sections made for the question."""
        candidates = list(top) + self._period_tables(info, top)
        where = _authoritative(info, self.retriever)
        if where is not None and vector is not None:
            # Where the report itself states such answers: bring their nearest passages in.
            seen = {p.chunk.id for p in candidates}
            low = candidates[-1].score if candidates else 0.0
            candidates += self.retriever.nearest_where(vector, lambda c: where(c) and c.id not in seen, 2, low)
        return candidates

    def _period_tables(self, info: questions.QuestionInfo, passages: Sequence[Passage]) -> list[Passage]:
        """Tables with a column for the asked quarter: their cells answer "hoeveel … in Q3 2024" directly."""
        keys = [q.lower() for q in info.quarters if "-" in q and not q.startswith("-")]
        if not keys:
            return []
        seen = {p.chunk.id for p in passages}
        low_score = passages[-1].score if passages else 0.0
        return [
            Passage(chunk, low_score)
            for chunk in self.index.chunks
            if chunk.kind == "table" and chunk.id not in seen and any(key in chunk.text.lower() for key in keys)
        ]

    # ------------------------------------------------------------ fact-check and quotes

    def check_claim(self, claim: str) -> Verdict:
        """Compare a claim from a debate with the report's numbers and sentences."""
        text = self.repair_pasted(clean(claim, "claim", self.settings.max_input_chars))
        info = questions.analyze(text, self.profile, self.settings.salient_zipf)
        vector = self.embedder.embed_queries([text])[0]
        passages = self.retriever.search(vector, text, k=10, mode="hybrid")
        sentences = self.retriever.sentences(vector, info, passages[:6], self.index.chunk_pos)
        verdict = factcheck.check(
            text,
            self.index.facts,
            sentences,
            self.profile,
            idf=self._fact_idf,
            weights=self.settings.factcheck,
            nouns=self._fact_nouns,
        )
        if verdict.status == "supported" and len(text.split()) >= QUOTED_CLAIM_WORDS:
            verdict = self._quoted_with_swap(verdict) or verdict
        return verdict

    def _quoted_with_swap(self, verdict: Verdict) -> Verdict | None:
        """A claim that quotes a report sentence with one word turned into its opposite or into another group
        ("… minder duurzame plekken …" for "meer") is contradicted by that sentence."""
        quoted = self.quote_matcher().check(verdict.claim.text)
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

    def check_speech(self, speech: str) -> list[tuple[str, Verdict]]:
        """Split a speech or motion into sentences and check the check-worthy ones."""
        text = clean(speech, "speech", 200_000)
        worthy = [span.text for span in split_sentences(text) if is_checkworthy(span.text)]
        if len(worthy) > MAX_SPEECH_CLAIMS:
            raise InputInvalid(
                f"De tekst bevat {len(worthy)} te controleren zinnen; het maximum is {MAX_SPEECH_CLAIMS}.",
                hint="Splits de tekst op en controleer de delen apart.",
            )
        return [(s, self.check_claim(s[: self.settings.max_input_chars])) for s in worthy]

    def check_quote(self, quote: str) -> QuoteVerdict:
        """Does a pasted quote stand in the report, and on which page?"""
        text = clean(quote, "quote", 20_000)
        return self.quote_matcher().check(text)

    def quote_matcher(self) -> quotes.QuoteMatcher:
        with self._lock:
            if self._matcher is None:
                pages = [self.index.pages[key] for key in sorted(self.index.pages, key=lambda k: (k[0] != self.index.report.id, k))]
                self._matcher = quotes.QuoteMatcher(pages, self.citation)
            return self._matcher

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

    def page(self, doc: str | None, number: int) -> PageView:
        info = self.resolve_doc(doc)
        numbers = self.index.page_numbers(info.id)
        page = self.index.pages.get((info.id, number))
        if page is None:
            raise NotFound(
                f"Pagina {number} bestaat niet in {info.title}.",
                hint=f"Kies een pagina van {numbers[0]} tot en met {numbers[-1]}.",
            )
        notes = tuple(f for f in self.index.structures[info.id].footnotes if f.page == number)
        return PageView(info, page, notes, numbers[0], numbers[-1])

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
        return format_citation(info, pages)


def _check_mode(mode: str) -> RetrieverMode:
    if mode not in RETRIEVERS:
        raise InputInvalid(f"Onbekende retriever '{mode}'. Kies hybrid, dense of bm25.")
    return cast(RetrieverMode, mode)


__all__ = ["BuildReport", "Engine", "PageView", "RekenQAError", "build_index", "format_citation"]
