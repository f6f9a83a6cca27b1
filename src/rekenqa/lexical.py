"""Dutch analyzer and BM25 (pure given the chunks).

The analyzer lowercases, folds accents, drops stopwords, stems with the Snowball Dutch stemmer and splits
compounds ("asielopvang" -> "asiel" + "opvang", "arbeidsmigranten" -> "arbeid" + "migranten") into parts
that occur as words of their own in the corpus. The part lexicon is stored with the index so queries are
analysed exactly like the passages.
"""

from __future__ import annotations

import logging
import math
import re
import threading
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Protocol

import numpy as np

logger = logging.getLogger(__name__)

# Snowball's Dutch stopword list, plus a few words that carry no meaning in questions.
STOPWORDS = frozenset(
    """
    de en van ik te dat die in een hij het niet zijn is was op aan met als voor had er maar om hem dan zou
    of wat mijn men dit zo door over ze zich bij ook tot je mij uit der daar haar naar heb hoe heeft hebben
    deze u want nog zal me zij nu ge geen omdat iets worden toch al waren veel meer doen toen moet ben zonder
    kan hun dus alles onder ja eens hier wie werd altijd doch wordt wezen kunnen ons zelf tegen na reeds wil
    kon niets uw iemand geweest andere welke welk waar wanneer waarom hoeveel wordt werden zijn graag
    volgens staat stond rapport rekenkamer
    """.split()
)
# Question words are kept out of BM25 but the retriever reads them separately.
_TOKEN = re.compile(r"[0-9]+(?:[.,][0-9]+)*|[^\W\d_]+", re.UNICODE)
_LINKERS = ("s", "e", "en", "")


@lru_cache(maxsize=8192)
def fold(text: str) -> str:
    """Lowercase and strip accents ("Oekraïense" -> "oekraiense"). Cached: passages are folded per query."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def tokenize(text: str) -> list[str]:
    """Folded word and number tokens, Dutch thousands separators removed from numbers ("18.480" -> "18480")."""
    tokens = []
    for match in _TOKEN.finditer(fold(text)):
        token = match.group(0)
        if token[0].isdigit():
            # 18.480 -> 18480 (thousands); 11,4 stays as "11,4".
            token = re.sub(r"\.(?=\d{3}\b)", "", token)
        tokens.append(token)
    return tokens


class _Stemmer(Protocol):
    def stemWord(self, word: str) -> str: ...


@lru_cache(maxsize=1)
def _stemmer() -> _Stemmer:
    import snowballstemmer

    return snowballstemmer.stemmer("dutch")


_STEM_LOCK = threading.Lock()


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    if word[0].isdigit():
        return word
    # One snowball stemmer serves every thread, and it keeps its state in the instance: two words at once
    # raise IndexError or come back with each other's stems (and the cache would keep them).
    with _STEM_LOCK:
        return str(_stemmer().stemWord(word))


@dataclass(slots=True)
class Analyzer:
    """Tokenize, drop stopwords, stem, and add the stems of compound parts."""

    lexicon: frozenset[str] = field(default_factory=frozenset)
    min_part: int = 4

    def split_compound(self, word: str) -> list[str]:
        """Split a compound into two known parts, or return [] when it is not one."""
        if len(word) < 2 * self.min_part or word[0].isdigit():
            return []
        best: list[str] = []
        for cut in range(self.min_part, len(word) - self.min_part + 1):
            head, tail = word[:cut], word[cut:]
            if tail not in self.lexicon:
                continue
            for link in _LINKERS:
                if link and not head.endswith(link):
                    continue
                core = head[: len(head) - len(link)] if link else head
                if len(core) >= self.min_part and core in self.lexicon:
                    # Prefer the longest head: "arbeidsmigranten" -> arbeid + migranten.
                    if not best or len(core) > len(best[0]):
                        best = [core, tail]
                    break
        return best

    def analyze(self, text: str) -> list[str]:
        terms: list[str] = []
        for token in tokenize(text):
            if token in STOPWORDS or (len(token) < 2 and not token.isdigit()):
                continue
            terms.append(stem(token))
            for part in self.split_compound(token):
                if part not in STOPWORDS:
                    terms.append(stem(part))
        return terms


def build_lexicon(texts: Iterable[str], min_count: int = 1, min_len: int = 4) -> frozenset[str]:
    """Words of the corpus that can serve as compound parts."""
    counts: Counter[str] = Counter()
    for text in texts:
        counts.update(t for t in tokenize(text) if not t[0].isdigit())
    return frozenset(w for w, c in counts.items() if c >= min_count and len(w) >= min_len and w not in STOPWORDS)


@dataclass(slots=True)
class BM25:
    """Okapi BM25 over analysed passages, stored as plain JSON-able data."""

    analyzer: Analyzer
    k1: float = 1.2
    b: float = 0.75
    doc_len: list[int] = field(default_factory=list)
    postings: dict[str, list[tuple[int, int]]] = field(default_factory=dict)
    _arrays: dict[str, tuple[np.ndarray, np.ndarray]] = field(default_factory=dict, repr=False)
    _norm: np.ndarray | None = field(default=None, repr=False)

    @classmethod
    def build(cls, texts: Sequence[str], analyzer: Analyzer) -> BM25:
        index = cls(analyzer=analyzer)
        for doc, text in enumerate(texts):
            terms = analyzer.analyze(text)
            index.doc_len.append(len(terms))
            for term, tf in Counter(terms).items():
                index.postings.setdefault(term, []).append((doc, tf))
        return index

    @property
    def n_docs(self) -> int:
        return len(self.doc_len)

    def _posting(self, term: str) -> tuple[np.ndarray, np.ndarray] | None:
        cached = self._arrays.get(term)
        if cached is None:
            plist = self.postings.get(term)
            if not plist:
                return None
            pairs = np.asarray(plist, dtype=np.int64)
            cached = (pairs[:, 0], pairs[:, 1].astype(np.float32))
            self._arrays[term] = cached  # benign race: every thread computes the same arrays
        return cached

    def scores(self, query: str) -> np.ndarray:
        """BM25 score of every passage for ``query`` (zeros where no term matches)."""
        n = self.n_docs
        out = np.zeros(n, dtype=np.float32)
        if n == 0:
            return out
        if self._norm is None:
            lengths = np.asarray(self.doc_len, dtype=np.float32)
            avg = float(lengths.mean()) or 1.0
            self._norm = self.k1 * (1 - self.b + self.b * lengths / avg)
        for term, qtf in Counter(self.analyzer.analyze(query)).items():
            posting = self._posting(term)
            if posting is None:
                continue
            docs, tfs = posting
            idf = math.log(1 + (n - len(docs) + 0.5) / (len(docs) + 0.5))
            out[docs] += qtf * idf * tfs * (self.k1 + 1) / (tfs + self._norm[docs])
        return out

    def to_json(self) -> dict[str, Any]:
        return {
            "k1": self.k1,
            "b": self.b,
            "min_part": self.analyzer.min_part,
            "lexicon": sorted(self.analyzer.lexicon),
            "doc_len": self.doc_len,
            "postings": {t: [[d, f] for d, f in p] for t, p in self.postings.items()},
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> BM25:
        analyzer = Analyzer(lexicon=frozenset(data["lexicon"]), min_part=int(data["min_part"]))
        return cls(
            analyzer=analyzer,
            k1=float(data["k1"]),
            b=float(data["b"]),
            doc_len=[int(x) for x in data["doc_len"]],
            postings={t: [(int(d), int(f)) for d, f in p] for t, p in data["postings"].items()},
        )
