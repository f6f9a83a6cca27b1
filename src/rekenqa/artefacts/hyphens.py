"""Line-end hyphens: join a word the export broke over two lines, keep a real hyphen.

Three callers, three kinds of evidence:

- :func:`join_hyphenation` repairs the report's lines with a Dutch :class:`~rekenqa.artefacts.ligatures.WordScorer`;
- :func:`join_counted_hyphens` joins the words of page text by how often each form stands in the documents;
- :func:`join_pasted_hyphens` joins the words of a pasted quote where the result is a known word.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Literal

from rekenqa.artefacts.glyphs import LETTER, GlyphSet
from rekenqa.artefacts.ligatures import WordScorer, is_upper_word, repair_glyphs, token_score
from rekenqa.artefacts.urls import URL_RE

Decision = Literal["drop", "keep", "trema"]

TREMA = {"a": "ä", "e": "ë", "i": "ï", "o": "ö", "u": "ü"}
VOWEL_CLASHES = frozenset("aa ae ai au ee ei eu ie ii oe oi oo ou ui uu".split())
# A word after a line-end hyphen that makes it a suspended compound ("wet- en regelgeving").
SUSPENDED = frozenset({"en", "of", "tot", "en/of"})
SUSPENDED_PASTED = SUSPENDED | {"t/m"}  # the quote matcher also keeps "t/m"


def _last_token(chunk: str, gs: GlyphSet) -> re.Match[str] | None:
    last = None
    for m in gs.token.finditer(chunk):
        last = m
    return last if last is not None and last.end() == len(chunk) else None


def _right_word(right_chunk: str, gs: GlyphSet) -> str | None:
    """The word that starts the next line; it may start with a glyph (".ng", "/e.nl")."""
    first = gs.token.match(right_chunk)
    right = first.group(0) if first else ""
    if right:
        return right
    glyph_start = re.match(f"[{re.escape(''.join(gs.glyphs))}]{LETTER}+", right_chunk)
    return glyph_start.group(0) if glyph_start else None


def _capital_decision(left: str, right: str, vocab: WordScorer, gs: GlyphSet) -> Decision:
    """A right half that starts with a capital: a real hyphen unless that capital is a glyph."""
    if right[0] in gs.glyphs and len(right) > 1 and right[1].islower() and left[-1:].islower():
        joined = repair_glyphs(left + right, vocab, gs, False, False)
        substituted = joined[len(left)] != right[0]
        if substituted and (vocab.known(joined) or len(right) < 3 or not vocab.known(right)):
            return "drop"
    return "keep"


def _word_decision(left: str, right: str, vocab: WordScorer, gs: GlyphSet) -> Decision:
    """Two lowercase halves: hyphenation, a real hyphen, or hyphenation that lost its trema."""
    known = vocab.weights.known
    joined = repair_glyphs(left + right, vocab, gs, False, False)
    left_fixed = repair_glyphs(left, vocab, gs, False, False)
    right_fixed = repair_glyphs(right, vocab, gs, False, False)
    if f"{left_fixed}-{right_fixed}".lower() in vocab.hyphenated and joined.lower() not in vocab.corpus:
        return "keep"
    clash = (left_fixed[-1:] + right_fixed[:1]).lower()
    if clash in VOWEL_CLASHES and vocab.zipf(joined) < known:
        # Dutch drops the trema at a line break (Oekra-iense) and keeps a hyphen between clashing vowels
        # (re-integratie, zee-egel)
        trema = (
            joined[: len(left_fixed)] + TREMA.get(joined[len(left_fixed)], "") + joined[len(left_fixed) + 1 :]
        )
        if len(trema) == len(joined) and vocab.known(trema):
            return "trema"
        return "keep"
    if token_score(joined, vocab) >= known:
        return "drop"
    half = vocab.weights.hyphen_half_zipf
    if (
        len(left_fixed) >= 3
        and len(right_fixed) >= 3
        and vocab.zipf(left_fixed) >= half
        and vocab.zipf(right_fixed) >= half
    ):
        return "keep"
    return "drop"


def join_decision(left_chunk: str, right_chunk: str, vocab: WordScorer, gs: GlyphSet) -> Decision | None:
    """How a line-end hyphen joins: "drop" (hyphenation), "keep" (real hyphen), "trema" (hyphenation
    that lost its trema: Oekra-iense) or None (leave the break: "wet- en regelgeving").
    """
    if not left_chunk or not right_chunk:
        return None
    if left_chunk[-1].isdigit():
        return "keep" if right_chunk[0].isalnum() else None
    right = _right_word(right_chunk, gs)
    if right is None:
        return None
    if right.lower() in SUSPENDED and right_chunk.rstrip(",.;:") == right:
        return None
    left_m = _last_token(left_chunk, gs)
    if left_m is None:
        return "keep" if left_chunk[-1] in ")]" and right[0].isalpha() else None
    left = left_m.group(0)
    if is_upper_word(left) or (len(left) == 1 and left.isupper()):
        return "keep"
    if right[0].isupper():
        return _capital_decision(left, right, vocab, gs)
    return _word_decision(left, right, vocab, gs)


def join_hyphenation(lines: list[str], vocab: WordScorer, gs: GlyphSet) -> list[str]:
    """Join words broken at line ends; the joined word goes to the first line."""
    lines = list(lines)
    i = 0
    while i < len(lines):
        line = lines[i].rstrip()
        m = re.search(r"(\S*)-$", line)
        if not m or line.endswith(" -") or URL_RE.search(m.group(1)):
            i += 1
            continue
        j = i + 1
        while j < len(lines) and j - i <= 3 and not lines[j].strip():
            j += 1
        if j >= len(lines) or j - i > 3:
            i += 1
            continue
        nxt = lines[j].lstrip()
        right_chunk = re.match(r"\S+", nxt)
        if right_chunk is None:
            i += 1
            continue
        decision = join_decision(m.group(1), right_chunk.group(0), vocab, gs)
        if decision is None:
            i += 1
            continue
        head = line if decision == "keep" else line[:-1]
        moved = right_chunk.group(0)
        if decision == "trema":
            moved = TREMA[moved[0]] + moved[1:]
        lines[i] = head + moved
        rest = nxt[right_chunk.end() :].lstrip(" ")
        if rest.strip():
            lines[j] = rest
            del lines[i + 1 : j]
        else:
            del lines[i + 1 : j + 1]
        # the moved chunk may itself end in a hyphen: look at the same line again
    return lines


def join_across_pages(bodies: list[list[str]], vocab: WordScorer, gs: GlyphSet) -> None:
    """A word hyphenated over a page break is joined on the first page (``bodies``: lines per page)."""
    for a, b in zip(bodies, bodies[1:], strict=False):
        if not a or not b:
            continue
        k = len(a) - 1
        while k >= 0 and not a[k].strip():
            k -= 1
        if k < 0 or not re.search(f"{LETTER}-$", a[k].rstrip()):
            continue
        first = 0
        while first < len(b) and not b[first].strip():
            first += 1
        if first >= len(b) or not b[first].strip()[:1].islower():
            continue
        joined = join_hyphenation([a[k].rstrip(), b[first].lstrip()], vocab, gs)
        if len(joined) == 2:
            a[k], b[first] = joined
        elif len(joined) == 1 and joined[0] != a[k].rstrip():
            a[k] = joined[0]
            b[first] = ""


# --------------------------------------------------------------------------------------------------
# Words of page text and of pasted quotes
# --------------------------------------------------------------------------------------------------


@dataclass(slots=True)
class Piece:
    """A whitespace-separated chunk of page text before hyphen joining."""

    text: str
    page: int
    line_end: bool
    para_end: bool = False


def split_pieces(text: str, page: int) -> list[Piece]:
    """The whitespace-separated chunks of ``text``, marking line and paragraph ends."""
    out: list[Piece] = []
    for line in text.split("\n"):
        chunks = line.split()
        if not chunks:
            if out:
                out[-1].para_end = True
            continue
        for i, chunk in enumerate(chunks):
            out.append(Piece(chunk, page, i == len(chunks) - 1))
    return out


def join_counted_hyphens(
    pieces: list[Piece], counts: Mapping[str, int], key: Callable[[str], str]
) -> list[Piece]:
    """Join words hyphenated at a line end ("econo-" + "mische") in unrepaired page text.

    ``key`` turns a chunk into the form ``counts`` counts. A hyphen inside a line ("EU/EFTA- landen",
    left by a repair) is joined only where the joined word stands elsewhere in the documents.
    """
    out: list[Piece] = []
    i = 0
    while i < len(pieces):
        piece = pieces[i]
        text = piece.text
        if (
            not piece.para_end
            and i + 1 < len(pieces)
            and len(text) > 2
            and text.endswith("-")
            and text[-2].isalpha()
        ):
            nxt = pieces[i + 1]
            head = nxt.text[:1]
            if head.isalpha() and head.islower() and key(nxt.text) not in SUSPENDED_PASTED:
                plain = text[:-1] + nxt.text
                hyphened = text + nxt.text
                k_plain = key(plain)
                k_hyph = key(hyphened)
                known = counts.get(k_plain, 0) + counts.get(k_hyph, 0) > 0
                if piece.line_end or known:
                    keep = text[-2].isupper() or counts.get(k_hyph, 0) > counts.get(k_plain, 0)
                    out.append(Piece(hyphened if keep else plain, piece.page, nxt.line_end, nxt.para_end))
                    i += 2
                    continue
        out.append(piece)
        i += 1
    return out


def join_pasted_hyphens(
    chunks: list[str], known: Callable[[str], bool], key: Callable[[str], str]
) -> list[str]:
    """Join the words of a pasted text that a line-end hyphen split, where ``known`` knows the result."""
    out: list[str] = []
    i = 0
    while i < len(chunks):
        chunk = chunks[i]
        if (
            i + 1 < len(chunks)
            and len(chunk) > 2
            and chunk.endswith(("-", "‐", "¬"))
            and not chunk[-2].isspace()
            and chunk[-2] not in "-–"
        ):
            nxt = chunks[i + 1]
            if key(nxt) in SUSPENDED_PASTED:
                out.append(chunk)  # "asiel- en arbeidsmigratie"
                i += 1
                continue
            joined = next((c for c in (chunk[:-1] + nxt, chunk[:-1] + "-" + nxt) if known(c)), None)
            if joined is not None:
                out.append(joined)
                i += 2
                continue
        out.append(chunk)
        i += 1
    return out
