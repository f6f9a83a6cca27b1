"""Typos in questions, corrected against the report's own words (pure).

"Hoofdorp" for Hoofddorp, "berieken" for bereiken: a word that is neither in the report nor a known Dutch word
is replaced by the report's word one edit away (a letter added, dropped, changed or two letters swapped), so
retrieval and the question's constraints see what was meant. Words of four letters or fewer, numbers and
words the report or Dutch knows stay as typed.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable

from rekenqa.lexical import fold

MIN_LENGTH = 5  # shorter words have too many neighbours one edit away
RARE = 1  # a word the report uses this often or less may be a typo of a common one …
COMMON = 5  # … used at least this often
_WORD = re.compile(r"[^\W\d_][^\W\d_'’-]*[^\W\d_]|[^\W\d_]")


def _deletes(word: str) -> set[str]:
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


class Vocabulary:
    """The folded words of a corpus with their counts, and an index of their one-letter deletions."""

    def __init__(self, texts: Iterable[str]) -> None:
        self.counts: Counter[str] = Counter()
        for text in texts:
            self.counts.update(m.group(0) for m in _WORD.finditer(fold(text)))
        self._by_delete: dict[str, list[str]] = {}
        for word in self.counts:
            if len(word) >= MIN_LENGTH - 1:
                for key in _deletes(word) | {word}:
                    self._by_delete.setdefault(key, []).append(word)

    def __contains__(self, word: str) -> bool:
        return fold(word) in self.counts

    def nearest(self, word: str) -> str | None:
        """The most frequent report word one edit away from ``word`` (folded), or None."""
        low = fold(word)
        seen = self.counts.get(low, 0)
        if len(low) < MIN_LENGTH or seen > RARE:
            return None
        candidates: set[str] = set()
        for key in _deletes(low) | {low}:
            candidates.update(self._by_delete.get(key, ()))
        # A word the report uses once may be the report's own typo ("Hoofdorp" beside 37 × Hoofddorp).
        least = 1 if not seen else COMMON
        candidates = {c for c in candidates if c != low and self.counts[c] >= least and _one_edit(low, c)}
        if not candidates:
            return None
        return max(sorted(candidates), key=lambda c: self.counts[c])


def _one_edit(a: str, b: str) -> bool:
    """Levenshtein distance 1, or two adjacent letters swapped."""
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        if len(diff) == 1:
            return True
        return len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]]
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    return any(long_[:i] + long_[i + 1 :] == short for i in range(len(long_)))


def correct(text: str, vocabulary: Vocabulary, known: Callable[[str], bool]) -> str:
    """``text`` with each unknown word replaced by its nearest report word; ``known`` says whether a word is
    ordinary Dutch (then it stays, even when the report does not use it)."""

    def fix(match: re.Match[str]) -> str:
        word = match.group(0)
        if len(word) < MIN_LENGTH or known(word.lower()):
            return word
        nearest = vocabulary.nearest(word)
        if nearest is None:
            return word
        return nearest.capitalize() if word[0].isupper() else nearest

    return _WORD.sub(fix, text)
