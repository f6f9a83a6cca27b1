"""What the Engine shows about documents (pure): page views, citation lines and the sources the report cites."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from rekenqa.types import DocumentInfo, Footnote, Page


@dataclass(frozen=True, slots=True)
class PageView:
    """A printed page as a clerk reads it: repaired text and the footnotes printed on it."""

    document: DocumentInfo
    page: Page
    footnotes: tuple[Footnote, ...]
    first: int
    last: int


def format_citation(info: DocumentInfo, pages: Sequence[int], name: Callable[[int], str] = str) -> str:
    """The document's citation with its pages as printed (``name``: a page number -> "17", "iii")."""
    unique = sorted(set(pages))
    if not unique:
        return info.citation
    if len(unique) == 1:
        return f"{info.citation}, p. {name(unique[0])}"
    if unique == list(range(unique[0], unique[-1] + 1)):
        return f"{info.citation}, pp. {name(unique[0])}-{name(unique[-1])}"
    return f"{info.citation}, pp. {', '.join(name(p) for p in unique)}"


IN_SOURCE = "Gevonden in een bron, niet in het rapport."


def in_source(reason: str) -> str:
    """A verdict's reason for a finding in a cited source instead of the report: never "in het rapport"."""
    if reason.startswith(IN_SOURCE):
        return reason
    said = re.sub(r"\b([Hh])et rapport\b", lambda m: "de bron" if m.group(1) == "h" else "De bron", reason)
    return f"{IN_SOURCE} {said}".strip()


def looks_like_source(text: str) -> bool:
    """A footnote that cites something: a year in brackets, a dated title or a web address."""
    return bool(re.search(r"\(\d{4}\)|\b(19|20)\d{2}\b.*[.,]|https?://|www\.", text))


def match_source(note: Footnote, documents: Sequence[DocumentInfo]) -> str | None:
    """The id of the corpus document a footnote cites (by URL or title), or None."""
    low = note.text.lower()
    for doc in documents:
        if doc.url and any(doc.url.rstrip("/") in u for u in note.urls):
            return doc.id
        if len(doc.title) >= 12 and doc.title.lower() in low:
            return doc.id
    return None
