"""An embedder that loads on first use: opening the index costs no model, and light commands import no torch.

``LazyEmbedder`` knows its id without loading (``embed.embedder_id``), and its dimension when the caller
knows it (the index's manifest names the dimension of the same embedder); the model loads, once and
thread-safely, when something is embedded, when ``dim`` is unknown and asked for, or in a background thread
started by ``warm``.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence

import numpy as np

from rekenqa.embed.protocol import Embedder
from rekenqa.errors import ModelUnavailable

logger = logging.getLogger(__name__)


class LazyEmbedder:
    """Stands in for the embedder ``load`` builds; ``id`` must be the id that embedder will have."""

    def __init__(self, load: Callable[[], Embedder], embedder_id: str, dim: int | None = None) -> None:
        self._load_fn = load
        self.id = embedder_id
        self._dim = dim
        self._lock = threading.Lock()
        self._done = threading.Event()
        self._started = False
        self._loaded: Embedder | None = None
        self._error: BaseException | None = None

    @property
    def dim(self) -> int:
        if self._dim is None:
            self._dim = self.real().dim
        return self._dim

    @property
    def loaded(self) -> bool:
        """Whether the model is loaded (and usable) now."""
        return self._loaded is not None

    @property
    def loading(self) -> bool:
        """Whether the model is being loaded now (by ``warm`` or a first call)."""
        return self._started and not self._done.is_set()

    def warm(self) -> None:
        """Start loading in a background thread (once); a later call that embeds waits for it."""
        with self._lock:
            start, self._started = not self._started, True
        if start:
            # Not a daemon: a process that ends early waits for the load instead of dying inside an import.
            threading.Thread(target=self._load, name=f"rekenqa-embedder-{self.id}", daemon=False).start()

    def _load(self) -> None:
        try:
            embedder = self._load_fn()
            if embedder.id != self.id:  # a bug: the id was computed another way than the loader's
                raise ModelUnavailable(f"Het geladen model ({embedder.id}) is niet het verwachte ({self.id}).")
            if self._dim is not None and embedder.dim != self._dim:  # a manifest that lied: the model knows
                logger.warning("%s has %d dimensions, not %d as expected", self.id, embedder.dim, self._dim)
            self._dim = embedder.dim
            self._loaded = embedder
        except BaseException as exc:  # re-raised in every thread that needs the embedder
            self._error = exc
        finally:
            self._done.set()

    def real(self) -> Embedder:
        """The loaded embedder (loads it in this thread when nobody has started yet)."""
        with self._lock:
            start, self._started = not self._started, True
        if start:
            self._load()
        self._done.wait()
        if self._error is not None:
            raise self._error
        assert self._loaded is not None
        return self._loaded

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        return self.real().embed_queries(texts)

    def embed_passages(self, texts: Sequence[str], show_progress: bool = False) -> np.ndarray:
        return self.real().embed_passages(texts, show_progress=show_progress)


def warm(embedder: Embedder) -> None:
    """Start loading ``embedder`` in the background when it is lazy; nothing for a loaded one."""
    if isinstance(embedder, LazyEmbedder):
        embedder.warm()


def is_loaded(embedder: Embedder) -> bool:
    return not isinstance(embedder, LazyEmbedder) or embedder.loaded
