"""Which sentences of a speech are worth fact-checking (pure)."""

from __future__ import annotations

import re

from rekenqa.lexicon import CHECKWORTHY_AMOUNT_WORDS, CHECKWORTHY_CUE_WORDS

_CHECKWORTHY = re.compile(
    rf"\d|\b({'|'.join(CHECKWORTHY_AMOUNT_WORDS)})\b|\b({'|'.join(CHECKWORTHY_CUE_WORDS)})\b",
    re.IGNORECASE,
)


def is_checkworthy(sentence: str) -> bool:
    """Sentences with numbers, comparisons, changes, negations or attributions to the report."""
    return len(sentence.split()) >= 4 and bool(_CHECKWORTHY.search(sentence))
