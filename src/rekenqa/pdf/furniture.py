"""Running headers, footers and page-number lines: page furniture, found by repetition across pages.

A line in the top or bottom band of the page whose text (digits ignored) comes back on at least half of the
pages, and on three or more, is furniture; so is a line in those bands that holds only the page's label or
number ("17", "iii", "Pagina 17 van 96", "- 17 -"). Furniture stays out of passages and facts.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from rekenqa.pdf.runs import TextLine

BAND = 0.08  # the top and bottom twelfth of the page hold headers and footers
MIN_PAGES = 3
_PAGE_NUMBER = re.compile(
    r"^(?:[-–—]\s*)?(?:(?:pagina|page|blz\.?|p\.)\s*)?(\d{1,4}|[ivxlcdm]{1,8})(?:\s*(?:van|/|of)\s*\d{1,4})?(?:\s*[-–—])?$",
    re.IGNORECASE,
)


def _key(text: str) -> str:
    return re.sub(r"\d+", "#", " ".join(text.casefold().split()))


def in_band(line: TextLine, height: float) -> bool:
    return line.y >= height * (1 - BAND) or line.y <= height * BAND


def is_page_number(text: str, label: str) -> bool:
    """A line that only names the page: its label or number, alone or as "pagina 17 (van 96)"."""
    match = _PAGE_NUMBER.match(text.strip())
    if match is None:
        return False
    return not label or match.group(1).casefold() == label.casefold() or match.group(1).isdigit()


def repeated_keys(pages: Sequence[tuple[list[TextLine], float]]) -> set[str]:
    """Texts (digits ignored) of band lines that come back on half the pages or more."""
    counts: Counter[str] = Counter()
    for lines, height in pages:
        counts.update({_key(line.text) for line in lines if in_band(line, height) and line.text})
    need = max(MIN_PAGES, (len(pages) + 1) // 2)
    return {key for key, n in counts.items() if n >= need}


def strip_furniture(lines: list[TextLine], height: float, label: str, repeated: set[str]) -> list[TextLine]:
    """The lines of a page without its running header, footer and page-number lines."""
    return [
        line
        for line in lines
        if not (in_band(line, height) and (_key(line.text) in repeated or is_page_number(line.text, label)))
    ]
