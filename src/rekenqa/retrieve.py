"""Question -> passages and sentences: dense + BM25 fused by rank, then sentence-level rescoring.

Stage 1 ranks passages by reciprocal rank fusion of the dense (e5 "query: ") and BM25 rankings.
Stage 2 scores the sentences (lines) of the best passages with the embedder (sentence vectors stored in the
index), lexical overlap with the question, and answer-type features (a number of the right kind for a
"hoeveel" question, the asked year or quarter, the asked group), weighed by ``settings.RetrievalWeights``.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np

from rekenqa.acronyms import defined, linked, term_links
from rekenqa.lexical import BM25, Analyzer
from rekenqa.lexicon import MONTH_NAMES, NUMBER_CUE_WORDS
from rekenqa.parts import line_parts
from rekenqa.question import QuestionInfo
from rekenqa.settings import RetrievalWeights
from rekenqa.types import Chunk, DenseIndex, Passage, Profile

logger = logging.getLogger(__name__)

Fusion = Callable[..., dict[int, float]]
_NUM = re.compile(
    rf"\d+(?:[.,]\d+)*|\b({'|'.join(NUMBER_CUE_WORDS)})\b",
    re.IGNORECASE,
)
_PERCENT = re.compile(r"\d+(?:,\d+)?\s*(?:%|procent)")
_MONEY = re.compile(r"€\s*\d|\d\s*(?:euro|miljoen|mln)")
_DATE = re.compile(
    rf"\b(?:19|20)\d\d\b|\b(?:{'|'.join(MONTH_NAMES)})\b|\bsinds\b|\bper\b|\bkwartaal\b"
)


def rrf(k: int = 60) -> Fusion:
    """Reciprocal rank fusion: score = sum over rankings of 1 / (k + rank)."""

    def fuse(*rankings: dict[int, int]) -> dict[int, float]:
        scores: dict[int, float] = {}
        for ranks in rankings:
            for doc, rank in ranks.items():
                scores[doc] = scores.get(doc, 0.0) + 1.0 / (k + rank)
        return scores

    return fuse


@dataclass(frozen=True, slots=True)
class Sentence:
    """A sentence (a line of a passage) scored for a question."""

    text: str
    chunk: Chunk
    line: int
    page: int
    score: float
    dense: float
    overlap: float
    part: str = "body"  # parts.Part: where the sentence stands in the report



@dataclass(slots=True)
class Retriever:
    """Passages and sentence vectors of an index, searchable by question."""

    chunks: Sequence[Chunk]
    dense_index: DenseIndex
    bm25: BM25
    sentence_vectors: np.ndarray | None = None
    sentence_offsets: np.ndarray | None = None  # first sentence row of every chunk
    fusion: Fusion | None = None
    candidates: int = 40
    profile: Profile = field(default_factory=Profile)  # the report's local names mark local sentences
    weights: RetrievalWeights = field(default_factory=RetrievalWeights)
    _term_cache: dict[tuple[str, int], frozenset[str]] = field(default_factory=dict, repr=False)
    _acronyms: list[tuple[str, frozenset[str], str]] = field(default_factory=list, repr=False)
    _parts: dict[str, tuple[str, ...]] = field(default_factory=dict, repr=False)
    _passages: np.ndarray | None = field(default=None, repr=False)
    _scopes: dict[frozenset[str], np.ndarray] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self._parts = dict(line_parts(self.chunks))
        self._acronyms = term_links(defined(c.text for c in self.chunks), self.analyzer.analyze)
        # Stored as float16 to halve the file; numpy has no fast float16 matrix product, so compute in float32.
        if self.sentence_vectors is not None and self.sentence_vectors.dtype != np.float32:
            self.sentence_vectors = self.sentence_vectors.astype(np.float32)

    @property
    def analyzer(self) -> Analyzer:
        return self.bm25.analyzer

    def search(
        self,
        query_vector: np.ndarray | None,
        question: str,
        k: int = 10,
        mode: str = "hybrid",
        prefer: Callable[[Chunk], bool] | None = None,
        docs: frozenset[str] | None = None,
    ) -> list[Passage]:
        """Rank passages: ``mode`` is hybrid, dense or bm25.

        ``prefer`` marks the passages where the report states this kind of answer (its conclusions for a
        judgement): with a query vector, their own nearest-first ranking joins the fusion. ``docs`` limits the
        ranking to the passages of those documents (None: every document).
        """
        n = len(self.chunks)
        if n == 0:
            return []
        outside = self._outside(docs)
        depth = min(n, max(self.candidates, k))
        dense_ranks: dict[int, int] = {}
        dense_scores: dict[int, float] = {}
        if mode in ("hybrid", "dense") and query_vector is not None:
            # Out of scope passages are skipped: search deep enough that ``depth`` of them remain.
            reach = n if outside is not None else depth
            scores, ids = self.dense_index.search(query_vector.reshape(1, -1).astype(np.float32), reach)
            rank = 0
            for doc, score in zip(ids[0], scores[0], strict=False):
                if doc < 0 or (outside is not None and outside[doc]) or rank >= depth:
                    continue
                rank += 1
                dense_ranks[int(doc)] = rank
                dense_scores[int(doc)] = float(score)
        sent_ranks: dict[int, int] = {}
        if mode in ("hybrid", "dense") and query_vector is not None and self.sentence_vectors is not None:
            best_line = self._sentence_max(query_vector)
            if outside is not None:
                best_line = np.where(outside, -np.inf, best_line)
            order = np.argsort(-best_line, kind="stable")[: min(depth, n - int(outside.sum()) if outside is not None else n)]
            sent_ranks = {int(doc): rank for rank, doc in enumerate(order, start=1)}
        pref_ranks: dict[int, int] = {}
        if prefer is not None and sent_ranks:
            preferred = [doc for doc in sorted(sent_ranks, key=sent_ranks.__getitem__) if prefer(self.chunks[doc])]
            pref_ranks = {doc: rank for rank, doc in enumerate(preferred, start=1)}
        lex_ranks: dict[int, int] = {}
        if mode in ("hybrid", "bm25"):
            lex = self.bm25.scores(question)
            if outside is not None:
                lex = np.where(outside, 0.0, lex)
            order = np.argsort(-lex, kind="stable")[:depth]
            lex_ranks = {int(doc): rank for rank, doc in enumerate(order, start=1) if lex[doc] > 0}
        if mode == "dense":
            fused = (self.fusion or rrf())(dense_ranks, sent_ranks, pref_ranks) if sent_ranks else dict(dense_scores)
        elif mode == "bm25":
            fused = {d: 1.0 / r for d, r in lex_ranks.items()}
        else:
            fused = (self.fusion or rrf())(dense_ranks, sent_ranks, lex_ranks, pref_ranks)
        best = sorted(fused.items(), key=lambda item: (-item[1], item[0]))[:k]
        return [
            Passage(self.chunks[d], float(s), dense_ranks.get(d), lex_ranks.get(d)) for d, s in best
        ]

    def _outside(self, docs: frozenset[str] | None) -> np.ndarray | None:
        """A mask of the passages outside ``docs``, or None when every passage is inside."""
        if docs is None:
            return None
        mask = self._scopes.get(docs)
        if mask is None:
            mask = np.array([c.doc_id not in docs for c in self.chunks], dtype=bool)
            self._scopes[docs] = mask  # benign race: every thread computes the same
        return mask if mask.any() else None

    def nearest_where(
        self, query_vector: np.ndarray, keep: Callable[[Chunk], bool], n: int, score: float = 0.0
    ) -> list[Passage]:
        """The ``n`` passages that ``keep`` accepts whose best sentence is nearest to the query."""
        if self.sentence_vectors is None or self.sentence_offsets is None or n <= 0:
            return []
        best = self._sentence_max(query_vector)
        allowed = [i for i, chunk in enumerate(self.chunks) if keep(chunk)]
        allowed.sort(key=lambda i: -float(best[i]))
        return [Passage(self.chunks[i], score) for i in allowed[:n]]

    def _passage_similarity(self, query_vector: np.ndarray | None, pos: int) -> float:
        """Similarity of a passage (the normalised mean of its sentence vectors) to the question."""
        matrix = self._passage_matrix()
        return float(matrix[pos] @ query_vector) if matrix is not None and query_vector is not None else 0.0

    def _passage_matrix(self) -> np.ndarray | None:
        """Every passage's normalised mean sentence vector, computed once (the index is read-only)."""
        if self._passages is None and self.sentence_vectors is not None and self.sentence_offsets is not None:
            sums = np.add.reduceat(self.sentence_vectors, self.sentence_offsets, axis=0)
            norms = np.linalg.norm(sums, axis=1, keepdims=True)
            self._passages = sums / np.where(norms > 0, norms, 1.0)  # benign race: every thread computes the same
        return self._passages

    def parts_of(self, chunk: Chunk) -> tuple[str, ...]:
        """The part of the report (``parts.Part``) of each line of a passage."""
        found = self._parts.get(chunk.id)
        if found is None or len(found) != chunk.text.count("\n") + 1:
            found = line_parts([chunk])[chunk.id]
        return found

    def has_part(self, chunk: Chunk, part: str) -> bool:
        return part in self.parts_of(chunk)

    def _terms(self, chunk_id: str, line: int, text: str) -> frozenset[str]:
        """Analysed terms of a passage line, computed once (the index is read-only)."""
        key = (chunk_id, line)
        terms = self._term_cache.get(key)
        if terms is None:
            # "de RTB" holds the words of "Richtlijn Tijdelijke Bescherming", and the other way round.
            terms = linked(frozenset(self.analyzer.analyze(text)), text, self._acronyms)
            self._term_cache[key] = terms  # benign race: every thread computes the same value
        return terms

    def _sentence_max(self, query_vector: np.ndarray) -> np.ndarray:
        """For every passage, the similarity of its best sentence to the query."""
        assert self.sentence_vectors is not None and self.sentence_offsets is not None
        sims = self.sentence_vectors @ query_vector.astype(np.float32)
        return np.maximum.reduceat(sims, self.sentence_offsets)

    def sentences(
        self,
        query_vector: np.ndarray | None,
        info: QuestionInfo,
        passages: Sequence[Passage],
        positions: dict[str, int],
    ) -> list[Sentence]:
        """Score every sentence of ``passages`` for the question; best first."""
        q_terms = set(self.analyzer.analyze(info.text))
        local = _asks_local(info)
        w = self.weights
        out: list[Sentence] = []
        top = passages[0].score if passages else 1.0
        # A passage's similarity to the question, relative to the closest candidate passage (so <= 0: the
        # refusal threshold keeps its scale).
        sims = [self._passage_similarity(query_vector, positions[p.chunk.id]) for p in passages] if w.context else []
        best_sim = max(sims, default=0.0)
        for rank, passage in enumerate(passages):
            chunk = passage.chunk
            pos = positions[chunk.id]
            lines = chunk.text.split("\n")
            parts = self.parts_of(chunk)
            passage_sim = sims[rank] - best_sim if w.context else 0.0
            offset = 0
            for i, line in enumerate(lines):
                start = offset
                offset += len(line) + 1
                if chunk.kind == "text" and (len(line.split()) < 3 or is_heading(line) or is_question(line)):
                    continue
                dense = 0.0
                if query_vector is not None and self.sentence_vectors is not None and self.sentence_offsets is not None:
                    row = int(self.sentence_offsets[pos]) + i
                    dense = float(self.sentence_vectors[row] @ query_vector)
                context = line if chunk.kind != "table" else f"{lines[0]} {line}"
                terms = self._terms(chunk.id, i, context)
                overlap = len(q_terms & terms) / len(q_terms) if q_terms else 0.0
                score = (
                    w.dense * dense
                    + w.overlap * overlap
                    + w.passage * (passage.score / top if top else 0.0)
                    - w.rank * rank
                    + _type_bonus(info, context, w)
                    + _cell_bonus(info, chunk, line, w)
                    + (w.judgement if info.judgement and is_conclusion(chunk) else 0.0)
                    # A national figure when the question names no place: users mean their municipality.
                    - (w.national if local and _national_only(context, self.profile.local_names) else 0.0)
                    # Footnotes hold sources and asides; the running text answers unless a term is asked.
                    - (w.footnote if chunk.kind == "footnotes" and info.answer_type != "definition" else 0.0)
                    + w.part_bonus(info.intent, parts[i])
                    + w.context * passage_sim
                )
                out.append(Sentence(line, chunk, i, chunk.page_at(start), score, dense, overlap, parts[i]))
        out.sort(key=lambda s: -s.score)
        return out


_NATIONAL = re.compile(r"\b(in nederland|landelijk\w*|nationa\w*)\b")
_NATIONAL_QUESTION = re.compile(r"\b(nederland|landelijk\w*|nationa\w*|rijk|kabinet|minister)\b")


def _asks_local(info: QuestionInfo) -> bool:
    """The question names no place and no national level: the user means the municipality."""
    return not info.places and not _NATIONAL_QUESTION.search(info.text.lower())


def _national_only(text: str, local_names: tuple[str, ...]) -> bool:
    """The sentence is about the Netherlands as a whole, not about the municipality (or one of its places)."""
    low = text.lower()
    return bool(_NATIONAL.search(low)) and not _local(local_names).search(low)


@lru_cache(maxsize=16)
def _local(local_names: tuple[str, ...]) -> re.Pattern[str]:
    """Words of a sentence about the municipality: "gemeente" and the profile's local names."""
    return re.compile(rf"\b({'|'.join(['gemeente', *(re.escape(n) for n in local_names)])})\b")


_HEADING = re.compile(r"^(\d+(\.\d+)*\.?\s+)?[A-ZÀ-Þ][^\d.:;!?•]*$")
_CAPTION = re.compile(r"^(Grafiek|Figuur|Tabel|Kaart|Afbeelding|Box)\s+\d+\b[^.!?]*$")


def is_heading(line: str) -> bool:
    """A title or caption line ("5 Conclusies asiel en werk", "Grafiek 1 Migratiemotief (%, 2023)").

    It names a topic or a figure; it does not answer anything.
    """
    text = line.strip()
    if _CAPTION.match(text):
        return True
    words = text.split()
    return len(words) <= 10 and bool(_HEADING.match(text)) and not text.endswith((",", "-"))


def is_question(line: str) -> bool:
    """A question the report asks itself (a research question): it frames, it does not answer."""
    return line.rstrip().rstrip("”’\"')").endswith("?")


def is_conclusion(chunk: Chunk) -> bool:
    """A passage of a conclusions section ("7 Conclusies ...", "2.4 Conclusie"): the Rekenkamer's judgement."""
    return "conclusie" in chunk.section.lower()


def is_definition(chunk: Chunk) -> bool:
    """A passage that defines terms: an appendix of definitions, or the footnotes (where terms are explained)."""
    section = chunk.section.lower()
    return chunk.kind == "footnotes" or "definitie" in section or "begrip" in section


def _cell_bonus(info: QuestionInfo, chunk: Chunk, line: str, w: RetrievalWeights) -> float:
    """A table cell whose column is exactly the asked quarter answers a number question directly."""
    if chunk.kind != "table" or info.answer_type not in ("number", "percent") or not info.quarters:
        return 0.0
    low = line.lower()
    return w.cell if any(q.lower() in low for q in info.quarters if "-" in q and q[0] != "-") else 0.0


# A sentence that defines something: "Een statushouder is iemand met ...", "Onder X wordt verstaan ...".
_DEFINES = re.compile(
    r"\b(is|zijn) (iemand|personen|mensen|degenen?|een persoon|alle)\b|\bverstaan\b|\bwordt bedoeld\b"
    r"|\bgedefinieerd\b|\bdefinitie\b|\bbeschouwd als\b|\bgeldt als\b|\bgeteld als\b"
)


def _type_bonus(info: QuestionInfo, text: str, w: RetrievalWeights) -> float:
    """What the sentence offers of the asked kind of answer: a number, the asked year, quarter or group."""
    low = text.lower()
    bonus = 0.0
    if info.answer_type in ("number", "percent", "money"):
        has_number = bool(_NUM.search(re.sub(r"\b(19|20)\d\d\b", "", text)))
        bonus += w.number if has_number else -w.number
        if info.answer_type == "percent" and _PERCENT.search(low):
            bonus += w.percent
        if info.answer_type == "money" and _MONEY.search(low):
            bonus += w.money
    if info.answer_type == "definition" and _DEFINES.search(low):
        bonus += w.definition
    if info.answer_type == "date" and _DATE.search(low):
        bonus += w.date
    for asked in info.years:
        if str(asked) in text:
            bonus += w.year
    for quarter in info.quarters:
        year, _, q = quarter.partition("-")
        if (q or year) in text or (year and q and f"{year}-{q}" in text):
            bonus += w.quarter
    for group in info.groups:
        if any(stem in low for stem in info.stems(group)):
            bonus += w.group
    return bonus
