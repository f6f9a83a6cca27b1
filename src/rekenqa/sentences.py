"""Dutch sentence splitting with exact offsets (pure). Shared by chunking, answers and quote checks."""

from __future__ import annotations

import re
from dataclasses import dataclass

# Abbreviations after which a period does not end a sentence.
ABBREVIATIONS = frozenset(
    """
    bijv bv o.a oa i.c i.e e.d etc nr art ca m.n d.w.z dwz zgn zog resp incl excl max min mln mld mr dr drs
    ing prof jl jr blz p pag vs e.a enz evt t.a.v tav t.o.v tov m.b.t mbt i.p.v ipv a.s z.s.m o.b.v obv
    """.split()
)
_BOUNDARY = re.compile(r"[.!?](?:[\"'’”)\]]|[\u2070-\u209f\u00b9\u00b2\u00b3]+)*(?=\s)")
_BULLET = re.compile(r"^\s*(?:[•●▪◦\-–]|\d+[.)]|[a-z][.)])\s+", re.MULTILINE)
_WS = re.compile(r"\s+")
_LAST_WORD = re.compile(r"(\S+)$")
_NEXT_LOWER = re.compile(r"\s+[a-z]")
_NEXT_CHAR = re.compile(r"\s+(\S)")


@dataclass(frozen=True, slots=True)
class Span:
    """A sentence: offsets into the text it was cut from, and its text with whitespace collapsed."""

    start: int
    end: int
    text: str


def normalize_ws(text: str) -> str:
    return _WS.sub(" ", text).strip()


def split_sentences(text: str, offset: int = 0) -> list[Span]:
    """Split ``text`` into sentences; bullet items and blank-line paragraphs end a sentence too."""
    cuts = {0, len(text)}
    for match in _BOUNDARY.finditer(text):
        end = match.end()
        # Look back and ahead with pos/endpos instead of slicing: slices made this quadratic.
        word = _LAST_WORD.search(text, max(0, match.start() - 200), match.start())
        prev = (word.group(1) if word else "").lower().lstrip("(")
        if prev in ABBREVIATIONS or (len(prev) == 1 and prev.isalpha()):
            continue
        if re.fullmatch(r"\d+", prev) and _NEXT_LOWER.match(text, end):
            continue  # "op 1. januari" is rare, but "artikel 3. lid" style breaks should not split
        nxt = _NEXT_CHAR.match(text, end)
        if nxt and nxt.group(1).islower():
            continue  # "o.a. de gemeente": a lowercase continuation is not a new sentence
        cuts.add(end)
    for match in _BULLET.finditer(text):
        cuts.add(match.start())
    for match in re.finditer(r"\n\s*\n", text):
        cuts.add(match.start())
    spans = []
    ordered = sorted(cuts)
    for a, b in zip(ordered, ordered[1:], strict=False):
        piece = text[a:b]
        stripped = piece.strip()
        if not stripped:
            continue
        lead = len(piece) - len(piece.lstrip())
        trail = len(piece) - len(piece.rstrip())
        spans.append(Span(offset + a + lead, offset + b - trail, normalize_ws(stripped)))
    return spans


def word_count(text: str) -> int:
    return len(text.split())
