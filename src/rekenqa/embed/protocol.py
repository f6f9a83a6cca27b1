"""The ``Embedder`` protocol that the rest of rekenqa codes against, and e5's input prefixes."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol, runtime_checkable

import numpy as np

QUERY_PREFIX = "query: "
PASSAGE_PREFIX = "passage: "


@runtime_checkable
class Embedder(Protocol):
    """What the rest of rekenqa codes against."""

    id: str  # stable identifier stored in the index manifest; differs per engine / model folder

    @property
    def dim(self) -> int:
        """Length of the vectors (read-only: a lazy embedder may learn it by loading)."""
        ...

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        """float32 (n, dim), L2-normalised; adds the query prefix."""
        ...

    def embed_passages(self, texts: Sequence[str], show_progress: bool = False) -> np.ndarray:
        """float32 (n, dim), L2-normalised; adds the passage prefix."""
        ...


def as_list(texts: Sequence[str]) -> list[str]:
    """Copy ``texts`` into a list of strings; refuse a single string (a common slip)."""
    if isinstance(texts, str):
        raise TypeError("texts must be a sequence of strings, not a single string")
    return [str(t) for t in texts]
