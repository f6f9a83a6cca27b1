"""Where a sentence stands in the report: its part (pure).

A report is read by its structure: the summary condenses, the "aandachtspunten" advise, the conclusions
judge, the chapters' body gives the facts with their precise figures, an appendix defines, footnotes add
sources and asides, tables and captions hold figures. A question's intent (``question.intent_of``) decides
which parts lead an answer and which only support it (``settings.PartWeights``).

The part of a line follows from its passage's kind and section, refined by the headings inside the running
text: "Aandachtspunten voor beleid" inside the summary, "3. Aandachtspunten gemeentelijk beleid" inside a
conclusions chapter. Headings are read in document order, so a part continues onto the next passage.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Literal

from rekenqa.lexical import fold
from rekenqa.types import Chunk

Part = Literal[
    "voorwoord", "samenvatting", "inleiding", "body", "aandachtspunten", "conclusies", "definities",
    "voetnoot", "tabel", "bijschrift",
]

# Section or heading words that name a part, in order of precedence.
_PART_WORDS: tuple[tuple[str, Part], ...] = (
    ("aandachtspunt", "aandachtspunten"),
    ("aanbeveling", "aandachtspunten"),
    ("conclusie", "conclusies"),
    ("definitie", "definities"),
    ("begrippen", "definities"),
    ("samenvatting", "samenvatting"),
    ("voorwoord", "voorwoord"),
    ("inleiding", "inleiding"),
    ("aanleiding", "inleiding"),
    ("vraagstelling", "inleiding"),
    ("onderzoeksvra", "inleiding"),
    ("onderzoeksaanpak", "inleiding"),
)
_NUMBERED = re.compile(r"^\s*(\d+(\.\d+)*\.?|[A-Z]\.)\s+\S")
_HEADING = re.compile(r"^(\d+(\.\d+)*\.?\s+)?[A-ZÀ-Þ][^.:;!?•]*$")


def is_heading_line(line: str) -> bool:
    """A short title line without sentence punctuation ("Aandachtspunten voor beleid", "3. Aandachtspunten …")."""
    text = line.strip()
    return 0 < len(text.split()) <= 10 and bool(_HEADING.match(text)) and not text.endswith((",", "-"))


def _named_part(title: str) -> Part | None:
    """The part a title names by its first word ("Aandachtspunten voor beleid", "2.4 Conclusie")."""
    words = re.sub(r"^\s*(bijlage\s+)?(\d+(\.\d+)*\.?|[A-Z]\.)\s+", "", fold(title)).split()
    first = words[0] if words else ""
    return next((part for word, part in _PART_WORDS if first.startswith(word)), None)


def section_part(section: str) -> Part:
    """The part a section path names ("DEEL 1 > 3 Asiel > 3.4 Aandachtspunten …" -> aandachtspunten)."""
    for title in reversed(section.split(" > ")):
        part = _named_part(title)
        if part is not None:
            return "definities" if part == "definities" or title.lower().startswith("bijlage") else part
        if title.lower().startswith("bijlage"):
            return "definities"
    return "body"


def line_parts(chunks: Sequence[Chunk]) -> dict[str, tuple[Part, ...]]:
    """For every passage (by id), the part of each of its lines; ``chunks`` in document order."""
    out: dict[str, tuple[Part, ...]] = {}
    state: dict[str, tuple[str, Part | None, bool, bool]] = {}  # doc -> (section, heading part, numbered, body seen)
    for chunk in chunks:
        lines = chunk.text.split("\n")
        if chunk.kind == "footnotes":
            note: Part = "voetnoot"
            out[chunk.id] = (note,) * len(lines)
            continue
        if chunk.kind in ("table", "caption"):
            kind: Part = "tabel" if chunk.kind == "table" else "bijschrift"
            out[chunk.id] = (kind,) * len(lines)
            continue
        base = section_part(chunk.section)
        section, sub, numbered, body_seen = state.get(chunk.doc_id, ("", None, False, False))
        if section != chunk.section:
            sub, numbered, body_seen = None, False, False
        parts: list[Part] = []
        for line in lines:
            if is_heading_line(line):
                named = _named_part(line)
                is_numbered = bool(_NUMBERED.match(line))
                if named is not None and named not in ("samenvatting", "voorwoord"):
                    sub, numbered, body_seen = named, is_numbered, False
                elif sub is not None and (is_numbered or (not numbered and body_seen)):
                    # A heading of the same kind ends the named part: a next numbered item, or a new topic
                    # after running text when the part began with an unnumbered heading.
                    sub, numbered, body_seen = None, False, False
            else:
                body_seen = True
            parts.append(sub or base)
        state[chunk.doc_id] = (chunk.section, sub, numbered, body_seen)
        out[chunk.id] = tuple(parts)
    return out
