"""Footnote areas: where a page's footnotes start and which numbers it defines.

The export puts a page's footnotes in its last block, each starting with its number at the start of a line;
the numbers run on through the document, so the next number expected is what identifies a footnote.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import TypeVar

from rekenqa.artefacts.markers import FROM_SUPERSCRIPT, SUPERSCRIPT_RUN
from rekenqa.artefacts.urls import ANNOTATION_RE

T = TypeVar("T")

FOOTNOTE_DEF = re.compile(r"^(\d{1,3})(?!\d)\s*(?=\S)")  # a footnote's number, maybe glued to its text
_FOOTNOTE_START = re.compile(r"^\s*(\d{1,3})(?!\d)\s+\S")  # the same, followed by a space


def split_footnote_area(lines: Sequence[str], expected: int, marked: bool = False) -> tuple[int, list[int]]:
    """Find the footnote area of a page: (index of its first line, footnote numbers defined there).

    Footnotes start with the next expected number at the start of a line, in the last block of the page
    (after the last whitespace-only line that holds a space, or after the last blank line in repaired
    text). Lines of that block before the first definition continue the previous page's last footnote.
    Returns (len(lines), []) when the page defines no footnote. With ``marked`` (a reader that knew the
    footnotes from their fonts) only a whitespace-only line opens the area: a list at the page end is no
    footnote area.
    """
    n = len(lines)
    end = n
    while end > 0 and (not lines[end - 1].strip() or ANNOTATION_RE.match(lines[end - 1])):
        end -= 1
    seps = [i for i in range(end) if lines[i] != "" and not lines[i].strip()]
    if not seps and marked:
        return n, []
    if not seps:
        seps = [i for i in range(end) if not lines[i].strip()]
    start = seps[-1] + 1 if seps else 0
    defs: list[int] = []
    first_def = None
    number = expected
    for i in range(start, end):
        m = FOOTNOTE_DEF.match(lines[i])
        if m and int(m.group(1)) == number:
            if first_def is None:
                first_def = i
            defs.append(number)
            number += 1
    if first_def is None:
        return n, []
    return start, defs


def split_footnote_text(text: str, expected: int) -> tuple[str, str, int]:
    """Split page text into body and footnote block; returns the next expected footnote number.

    The footnote block is the last block after a blank line whose first line starts with a footnote
    number followed by a space: the next one expected in the document, or one whose superscript marker
    stands on the page. Unlike :func:`split_footnote_area` it needs no whitespace-only separator line,
    so it reads repaired and pasted text alike.
    """
    lines = text.split("\n")
    markers = {int(m.translate(FROM_SUPERSCRIPT)) for m in SUPERSCRIPT_RUN.findall(text)}
    for b in range(len(lines) - 1, 0, -1):
        if lines[b].strip():
            continue
        k = b + 1
        while k < len(lines) and not lines[k].strip():
            k += 1
        if k >= len(lines):
            continue
        first = _FOOTNOTE_START.match(lines[k])
        if not first:
            continue
        number = int(first.group(1))
        if number != expected and number not in markers:
            continue
        last = number
        for line in lines[k + 1 :]:
            m = _FOOTNOTE_START.match(line)
            if m and int(m.group(1)) == last + 1:
                last += 1
        return "\n".join(lines[:b]), "\n".join(lines[k:]), last + 1
    return text, "", expected


def group_by_footnote(
    items: Sequence[T], defs: Sequence[int], text: Callable[[T], str], start: re.Pattern[str] = FOOTNOTE_DEF
) -> list[tuple[int | None, list[T]]]:
    """Group the lines of a footnote area per footnote: (number, lines); lines before the first
    definition (a footnote continued from the previous page) come as (None, lines).

    A line starts footnote ``n`` where ``start`` reads ``n`` at its start and ``n`` is the next of ``defs``.
    """
    groups: list[tuple[int | None, list[T]]] = []
    numbers = iter(defs)
    expected = next(numbers, None)
    for item in items:
        m = start.match(text(item))
        if expected is not None and m and int(m.group(1)) == expected:
            groups.append((expected, [item]))
            expected = next(numbers, None)
        elif groups:
            groups[-1][1].append(item)
        else:
            groups.append((None, [item]))
    return groups
