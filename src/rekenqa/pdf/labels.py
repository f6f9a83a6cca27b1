"""Page labels as printed, and the page numbers they get.

A page whose label is a plain number keeps it as its page number, so citations and test sets speak of the
printed number. Every other page (roman front matter, "A-1", or a number printed twice) gets a negative
number that keeps the reading order and never collides with a printed one; its label names it.
"""

from __future__ import annotations

from collections.abc import Sequence


def page_numbers(labels: Sequence[str]) -> list[tuple[int, str]]:
    """(page number, label) for every page; the label is "" when it is the number itself."""
    count = len(labels)
    used: set[int] = set()
    out: list[tuple[int, str]] = []
    for index, raw in enumerate(labels):
        label = raw.strip() or str(index + 1)
        if label.isdigit() and int(label) > 0 and int(label) not in used:
            number = int(label)
            used.add(number)
            out.append((number, ""))
        else:
            out.append((index - count, label))
    return out


def page_name(number: int, label: str = "") -> str:
    """How a page is named to a reader: its printed label, else its number."""
    return label or str(number)
