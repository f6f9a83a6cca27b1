"""User-facing errors. Each carries a Dutch message that tells the user what to do next."""

from __future__ import annotations


class RekenQAError(Exception):
    """Base class: ``str(err)`` is a Dutch message fit to show as is."""

    def __init__(self, message: str, *, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message} {self.hint}".strip()


class DocumentUnreadable(RekenQAError):
    """A corpus file cannot be read (encrypted, corrupt, empty, image-only, bad encoding)."""


class CorpusInvalid(RekenQAError):
    """The corpus folder or its catalog is unusable."""


class IndexMissing(RekenQAError):
    """No index has been built yet."""


class IndexCorrupt(RekenQAError):
    """The index exists but cannot be read."""


class IndexOutdated(RekenQAError):
    """The index does not match the corpus or the embedder anymore."""


class IndexNewer(RekenQAError):
    """The index was built by a newer rekenqa: it is neither read nor silently rebuilt over."""


class IndexWriteFailed(RekenQAError):
    """The index could not be written (read-only or full disk); the old index is intact."""


class ModelUnavailable(RekenQAError):
    """The embedding model cannot be loaded."""


class SettingsInvalid(RekenQAError):
    """A setting or REKENQA_* environment variable has an invalid value."""


class InputInvalid(RekenQAError):
    """A question, claim, quote or page request that cannot be processed."""


class NotFound(RekenQAError):
    """An unknown document or a page outside the document."""


class AppUnavailable(RekenQAError):
    """The Streamlit app cannot start: app.py is missing, or the port is taken."""
