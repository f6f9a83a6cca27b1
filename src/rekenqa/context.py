"""A sentence with the neighbours it leans on (pure).

The running text of the report is read as one sequence of lines in document order (passages overlap by a
sentence; the repeat is read once). A sentence that leans on the one before it ("Dit …", "Daarnaast …") brings
that one along; a list intro ending in ":" brings its items, across passages and pages, so "Welke
aandachtspunten …?" gets the whole list. Footnotes, tables and captions are not running text.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from rekenqa.parts import is_heading_line
from rekenqa.types import Chunk

# Words that open a sentence which only makes sense after the one before it: a pointing pronoun or a
# connective that adds to, contrasts with or follows from what came before.
_LEANS = re.compile(
    r"^(dit|deze|dat|die|daarnaast|daarbij|daarvan|daarom|daardoor|daarmee|hierbij|hiervan|hierdoor|hiermee"
    r"|hiervoor|bovendien|tevens|echter|wel|ook|verder|vervolgens|zij|ze|hij|het gaat)\b",
    re.IGNORECASE,
)
_BULLET = re.compile(r"^\s*(?:[•●▪◦\-–]|\d+[.)]|[a-z][.)])\s+")
MAX_LIST_LINES = 24
TAIL_LINES = 1


@dataclass(frozen=True, slots=True)
class Line:
    """A line of running text in document order."""

    chunk: Chunk
    line: int
    text: str
    page: int


class Reading:
    """The report's running text as one ordered sequence of lines."""

    def __init__(self, chunks: Sequence[Chunk]) -> None:
        self.lines: list[Line] = []
        self._at: dict[tuple[str, int], int] = {}
        for chunk in chunks:
            if chunk.kind != "text":
                continue
            offset = 0
            for i, text in enumerate(chunk.text.split("\n")):
                start = offset
                offset += len(text) + 1
                previous = self.lines[-1] if self.lines else None
                if previous is not None and previous.chunk.doc_id == chunk.doc_id and previous.text == text:
                    self._at[(chunk.id, i)] = len(self.lines) - 1  # the overlap sentence, read once
                    continue
                self._at[(chunk.id, i)] = len(self.lines)
                self.lines.append(Line(chunk, i, text, chunk.page_at(start)))

    def position(self, chunk_id: str, line: int) -> int | None:
        return self._at.get((chunk_id, line))

    def leans_back(self, chunk_id: str, line: int) -> Line | None:
        """The sentence before, when this one leans on it ("Dit …", "Daarnaast …"); not across a heading."""
        at = self.position(chunk_id, line)
        if at is None or at == 0:
            return None
        here, before = self.lines[at], self.lines[at - 1]
        text = _BULLET.sub("", here.text)
        if not _LEANS.match(text) or before.chunk.doc_id != here.chunk.doc_id or is_heading_line(before.text):
            return None
        if _BULLET.match(here.text) and not before.text.rstrip().endswith(":"):
            return None  # a list item leans on its intro, which the list brings along
        return before

    def list_after(self, chunk_id: str, line: int) -> list[Line]:
        """The items of the bulleted list this line introduces (it ends in ":"), with their own sentences.

        The list ends at a heading or a new section; after its last bullet at most ``TAIL_LINES`` lines follow
        (the last item's further sentences), since the running text after a list cannot be told from them.
        """
        at = self.position(chunk_id, line)
        if at is None or not self.lines[at].text.rstrip().endswith(":"):
            return []
        intro = self.lines[at]
        items: list[Line] = []
        for nxt in self.lines[at + 1 : at + 1 + MAX_LIST_LINES]:
            bullet = bool(_BULLET.match(nxt.text))
            if nxt.chunk.doc_id != intro.chunk.doc_id or nxt.chunk.section != intro.chunk.section:
                break
            if not bullet and (is_heading_line(nxt.text) or not items):
                break  # a heading ends the list; a colon sentence without bullets after it is no list
            items.append(nxt)
        last_bullet = max((i for i, item in enumerate(items) if _BULLET.match(item.text)), default=-1)
        return items[: last_bullet + 1 + TAIL_LINES] if last_bullet >= 0 else []
