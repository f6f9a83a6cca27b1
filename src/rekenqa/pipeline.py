"""Wire the stages: the only module that knows their order.

The CLI, the Streamlit app and the evaluation scripts all go through ``Engine``: one code path to test.
"""

from __future__ import annotations

import functools
import logging
import re
import threading
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Any, cast

import numpy as np

from rekenqa import answer as answering
from rekenqa import embed, factcheck, load, quotes, spelling
from rekenqa import question as questions
from rekenqa.artefacts.ligatures import repair_pasted_words
from rekenqa.artefacts.normalize import normalize_input
from rekenqa.build import (  # noqa: F401 (re-exported: the CLI, app and tests build through the pipeline)
    BuildReport,
    IndexState,
    IndexStatus,
    PreparedCorpus,
    PreparedDocument,
    Progress,
    SourceChange,
    add_source,
    build_index,
    build_locked,
    chunk_params,
    index_status,
    load_embedder,
    passage_vectors,
    prepare_corpus,
    remove_source,
    sentence_texts,
)
from rekenqa.citations import PageView, format_citation, in_source, looks_like_source, match_source
from rekenqa.claimwords import negation_changed, swapped_term
from rekenqa.context import Line, Reading
from rekenqa.errors import (
    InputInvalid,
    NotFound,
    RekenQAError,
)
from rekenqa.index import (
    Index,
    load_index,
    recover,
)
from rekenqa.inputs import InputKind, clean, recase
from rekenqa.quotes.words import CMP_TABLE, match_key
from rekenqa.retrieve import Retriever, Sentence, is_conclusion, is_definition, rrf
from rekenqa.sentences import split_sentences
from rekenqa.settings import RETRIEVERS, Settings
from rekenqa.speech import is_checkworthy
from rekenqa.types import (
    Answer,
    Chunk,
    DocumentInfo,
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

QUOTED_CLAIM_WORDS = 8  # a claim this long may quote a sentence of the report
LIST_INTENTS = ("lijst", "advies", "conclusie", "beleid")  # questions whose answer may be a whole list
MAX_SPEECH_CLAIMS = 100  # about 3 s of checking; a longer text is refused, not checked for minutes


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


class Engine:
    """The loaded index, with every operation users can run. Safe to share between threads.

    Opening it loads no model: ``embedder`` (the index's own, for builds) and ``queries`` (the encoder of
    questions and claims, ``embed.query_encoder``: by default the index's model run in numpy, without torch)
    load when they first embed, or in the background after ``warm``. Quotes, pages, sources and BM25-only
    answers never load one.
    """

    def __init__(self, settings: Settings, index: Index, embedder: embed.Embedder) -> None:
        self.settings = settings
        self.index = index
        self.embedder = embedder
        self.queries = embed.query_encoder(
            settings.query_engine, str(index.manifest["embedder"]["id"]), embedder, settings.cache_dir
        )
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

    def warm(self) -> None:
        """Start loading the query encoder in the background: the first question then waits less or not at all."""
        embed.warm(self.queries)

    @property
    def ready(self) -> bool:
        """Whether questions and claims can be answered without waiting for a model to load."""
        return embed.is_loaded(self.queries)

    # ------------------------------------------------------------ questions

    # Built on first use: opening the index for a page or a quote should not stem every fact.
    @functools.cached_property
    def fact_idf(self) -> dict[str, float]:
        return factcheck.subject_idf(self.index.facts)

    @functools.cached_property
    def fact_nouns(self) -> frozenset[str]:
        return factcheck.noun_words(self.index.facts)

    @functools.cached_property
    def restating_facts(self) -> frozenset[tuple[str, str]]:
        """(passage id, sentence) of the facts that stand in a part that restates the chapters: the summary,
        the conclusions and the aandachtspunten."""
        out = set()
        for fact in self.index.facts:
            if fact.chunk_id not in self.index.chunk_pos:
                continue
            chunk = self.index.chunk(fact.chunk_id)
            at = chunk.text.find(fact.sentence[:40])
            parts = self.retriever.parts_of(chunk)
            part = parts[min(chunk.text.count("\n", 0, at), len(parts) - 1)] if at >= 0 else parts[0]
            if part in factcheck.RESTATING_PARTS:
                out.add((fact.chunk_id, fact.sentence))
        return frozenset(out)

    @functools.cached_property
    def casing(self) -> dict[str, str]:
        """Each word of the documents (lower case) in the form they write it most: "COA", "Haarlemmermeer"."""
        forms: dict[str, Counter[str]] = {}
        for page in self.index.pages.values():
            for word in re.findall(r"[^\W\d_]{2,}", page.text):
                forms.setdefault(word.lower(), Counter())[word] += 1
        return {low: max(c.items(), key=lambda kv: (kv[1], kv[0] == low))[0] for low, c in forms.items()}

    def user_text(self, text: str | None, kind: InputKind, max_chars: int | None = None) -> str:
        """A question, claim or speech as typed, made comparable in one place: control and invisible characters,
        digits of other scripts, and shouted or Title Case text (in the documents' casing). Quotes keep their
        casing: the quote check reports changed capitals."""
        return recase(clean(text, kind, max_chars or self.settings.max_input_chars), self.casing)

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
        text = self.user_text(question, "question")
        mode = _check_mode(mode or self.settings.retriever)
        vector = self.queries.embed_queries([text])[0] if mode != "bm25" else None
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
        text = self.user_text(question, "question")
        earlier = [self.user_text(h, "question", 10_000) for h in history if isinstance(h, str) and h.strip()]
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
        vector = self.queries.embed_queries([standalone])[0] if mode != "bm25" else None
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
            repeats=self._repeats,
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
        # A list intro ("… is:") brings its items for every question: on its own it answers nothing.
        lists = info.intent in LIST_INTENTS or sentence.text.rstrip().endswith(":")
        items = self.reading.list_after(sentence.chunk.id, sentence.line) if lists else []
        return ([as_sentence(before)] if before else []), [as_sentence(item) for item in items]

    def _repeats(self, sentence: Sentence) -> set[int]:
        """The pages of the sentence's document that state it word for word (its own among them)."""
        return set(self._repeat_pages.get((sentence.chunk.doc_id, answering.repeat_key(sentence.text)), ()))

    @functools.cached_property
    def _repeat_pages(self) -> dict[tuple[str, str], tuple[int, ...]]:
        """(document, sentence key) -> the pages of every running-text or table line with that key."""
        pages: dict[tuple[str, str], set[int]] = {}
        for chunk in self.index.chunks:
            if chunk.kind == "footnotes":
                continue
            offset = 0
            for text in chunk.text.split("\n"):
                if len(text.split()) >= 4:
                    pages.setdefault((chunk.doc_id, answering.repeat_key(text)), set()).add(chunk.page_at(offset))
                offset += len(text) + 1
        return {key: tuple(sorted(found)) for key, found in pages.items() if len(found) > 1}

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
        text = self.repair_pasted(self.user_text(claim, "claim"))
        vector = self.queries.embed_queries([text])[0]
        verdict = self._check(text, vector, self.scope(False))
        if sources and self.source_docs and verdict.status == "not_in_report":
            other = self._check(text, vector, self.source_docs)
            if other.status != "not_in_report":
                verdict = replace(other, reason=in_source(other.reason))
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
            idf=self.fact_idf,
            weights=self.settings.factcheck,
            nouns=self.fact_nouns,
            restating=self.restating_facts,
        )
        if verdict.status == "supported" and len(text.split()) >= QUOTED_CLAIM_WORDS:
            verdict = self._quoted_with_swap(verdict, docs is None) or verdict
        return verdict

    def _quoted_with_swap(self, verdict: Verdict, sources: bool) -> Verdict | None:
        """A claim that quotes a report sentence with one word turned into its opposite or into another group
        ("… minder duurzame plekken …" for "meer"), or with a negation added or dropped ("Er is specifiek
        beleid" for "Er is geen specifiek beleid"), is contradicted by that sentence."""
        quoted = self.quote_matcher(sources).check(verdict.claim.text)
        if quoted.status != "altered" or not quoted.pages:
            return None
        evidence = (Evidence(quoted.original, quoted.doc_id, quoted.pages[0], ""),)
        swap = swapped_term(quoted.diff)
        if swap is not None:
            said, claimed = swap
            reason = f"andere term: het rapport zegt ‘{said}’, niet ‘{claimed}’"
            return Verdict(verdict.claim, "contradicted", evidence, report_value=said, reason=reason)
        if negation_changed(quoted.diff):
            reason = "ontkenning: het rapport zegt het tegendeel"
            return Verdict(verdict.claim, "contradicted", evidence, report_value="", reason=reason)
        return None

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
            "query_encoder": self.queries.id,
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
