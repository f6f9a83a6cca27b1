"""Quote verification: does a pasted quote really stand in the report, and on which page?

:class:`QuoteMatcher` is built once over the repaired pages of the documents and answers
:meth:`QuoteMatcher.check` with a :class:`~rekenqa.types.QuoteVerdict`:

- ``exact``: the words and punctuation stand in the report (whitespace, line breaks, line-end
  hyphenation, quote styles, footnote markers and the PDF's broken ligature glyphs are ignored);
- ``harmless``: the same words, but punctuation or capitalisation differ, an omission is marked with
  an ellipsis, or exactly one filler word ("ook", "wel", "dus", ...) was added or left out;
- ``altered``: close to a passage of the report, but numbers, years, negations, groups or other words
  differ; the verdict carries a word diff and Dutch change descriptions;
- ``not_found``: nothing in the report is close enough.

How it works. Every page is cut into whitespace-separated words; each word gets a match key (lowercase,
without surrounding punctuation and footnote markers, thousands separators dropped). The main segment of
a document is its text in page order (body, footnote block, next page), so quotes from footnotes are
found; where a footnote block interrupts the body, a bridge segment joins the last body words of the page
to the first body words of the next page, so a sentence that runs over the page break is found too (with
both pages). An inverted index of word 3-grams gives candidate windows; ``difflib.SequenceMatcher``
aligns the quote with the best few windows only.

Quotation marks around the whole quote and a missing full stop at its end are not differences (``exact``);
quotation marks added inside the quote are (``harmless``).

The pasted quote is repaired against the report's own vocabulary (no dictionary): broken ligature glyphs
("migraDe", "heeM", "debaPen", "Migra&e", "defini/e", "ahankelijk"), footnote numbers glued to a word
("inwoners7.") and line-end hyphenation ("econo-\\nmische") are undone only where the result is a word of
the report.

Pure module: no I/O.
"""

from __future__ import annotations

import logging
import math
import re
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from difflib import Match, SequenceMatcher

from rekenqa.artefacts.footnotes import split_footnote_text
from rekenqa.artefacts.glyphs import PRIMARY_GLYPH_TABLE, QUOTE_INITIAL_GLYPHS
from rekenqa.artefacts.hyphens import Piece, join_counted_hyphens, join_pasted_hyphens, split_pieces
from rekenqa.artefacts.ligatures import repair_to_known
from rekenqa.artefacts.markers import (
    GLUED_AFTER_PUNCT,
    GLUED_AFTER_THOUSANDS,
    GLUED_DIGITS,
    GLUED_PREFIX_OK,
    GLUED_WORD_DIGITS,
    SUPERSCRIPT_DIGITS,
)
from rekenqa.artefacts.normalize import normalize_input
from rekenqa.artefacts.urls import URL_LIKE
from rekenqa.types import DiffOp, Page, QuoteStatus, QuoteVerdict

logger = logging.getLogger(__name__)

__all__ = ["QuoteMatcher", "FILLER_WORDS", "NEGATIONS", "GROUP_WORDS"]

# --------------------------------------------------------------------------------------------------
# Word lists (lowercase)
# --------------------------------------------------------------------------------------------------

FILLER_WORDS = frozenset(
    """
    ook wel dus echter nog al toch immers namelijk daarbij eigenlijk overigens bovendien verder nu even
    gewoon juist tevens eveneens daarnaast trouwens
    """.split()
)
NEGATIONS = frozenset("niet geen nooit niets niemand nergens".split())
_AFFIRMATIVE = "wel"
GROUP_WORDS = frozenset(
    """
    statushouders statushouder asielzoekers asielzoeker arbeidsmigranten arbeidsmigrant gezinsmigranten
    gezinsmigrant studiemigranten studiemigrant kennismigranten kennismigrant asielmigranten asielmigrant
    migranten migrant oekraïners oekraïner ontheemden ontheemde vluchtelingen vluchteling inburgeraars
    inburgeraar nieuwkomers nieuwkomer expats expat vreemdelingen vreemdeling arbeidsmigratie
    gezinsmigratie studiemigratie asielmigratie kennismigratie immigranten immigrant emigranten emigrant
    uitzendkrachten arbeidskrachten werknemers studenten jongeren ouderen kinderen minderjarigen amv'ers
    """.split()
)
_TERM_PAIRS = frozenset(
    frozenset(pair)
    for pair in (
        ("hoger", "lager"),
        ("meer", "minder"),
        ("gestegen", "gedaald"),
        ("stijging", "daling"),
        ("stijgt", "daalt"),
        ("steeg", "daalde"),
        ("toegenomen", "afgenomen"),
        ("toename", "afname"),
        ("neemt", "daalt"),
        ("groter", "kleiner"),
        ("grootste", "kleinste"),
        ("hoogste", "laagste"),
        ("meeste", "minste"),
        ("meest", "minst"),
        ("boven", "onder"),
        ("veel", "weinig"),
        ("vaker", "minder"),
        ("meerderheid", "minderheid"),
        ("positief", "negatief"),
        ("voldoende", "onvoldoende"),
    )
)

# --------------------------------------------------------------------------------------------------
# Characters
# --------------------------------------------------------------------------------------------------

_QUOTE_CHARS = "'\"‘’‚‛“”„‟«»‹›′″`´"
_DASH_CHARS = "‐‑‒–—−"
_ELLIPSIS_CHUNKS = frozenset({"...", "…", "(...)", "(…)", "[...]", "[…]", "(..)", "[..]", "..", "...."})

# Comparison form of a word: footnote markers dropped, one quote character, one dash, "..." for "…".
_CMP_TABLE = str.maketrans(
    {
        **{ch: None for ch in SUPERSCRIPT_DIGITS},
        **{ch: "'" for ch in _QUOTE_CHARS},
        **{ch: "-" for ch in _DASH_CHARS},
        "…": "...",
    }
)
# Punctuation stripped from both ends of a word for its match key (after _CMP_TABLE).
_EDGE = frozenset("'()[]{}<>.,;:!?*•·▪◦●§|/\\-")
_TERMINAL = frozenset(".,;:!?")
# punctuation standing alone that belongs to the next word (bullets, opening quotes and brackets, dashes)
_OPENING = frozenset("•▪◦●·*„“‘‚«‹([{-–—‐")

_THOUSANDS = re.compile(r"\d{1,3}(?:\.\d{3})+(?:,\d+)?%?")
_NUMBER = re.compile(r"[-+€]?\d[\d.,]*%?")
_YEAR = re.compile(r"(?:19|20)\d\d")
# --------------------------------------------------------------------------------------------------
# Tuning
# --------------------------------------------------------------------------------------------------

_BRIDGE_TOKENS = 250  # body words on each side of a page break in a bridge segment
_MAX_POSTINGS = 300  # 3-grams more frequent than this are not used to find candidates
_MAX_UNI_POSTINGS = 60  # rare single words used when no 3-gram hits
_MAX_CANDIDATES = 4
_SHORT_QUOTE = 4  # quotes with fewer words are only matched literally
_ALTERED_MIN_RATIO = 0.6
_ALTERED_MIN_COVERAGE = 0.6  # IDF-weighted share of the quote found in the passage
_NEAREST_HINT_RATIO = 0.3
_MAX_CHANGES_IN_REASON = 6

_MAX_REPAIR_LEN = 40  # longer pasted words are not repaired

_STATUS_RANK: dict[str, int] = {"exact": 0, "harmless": 1, "altered": 2, "not_found": 3}


# --------------------------------------------------------------------------------------------------
# Word helpers
# --------------------------------------------------------------------------------------------------


def _split_edges(word: str) -> tuple[str, str, str]:
    """(leading punctuation, core, trailing punctuation) of a comparison-form word."""
    i, j = 0, len(word)
    while i < j and word[i] in _EDGE:
        i += 1
    while j > i and word[j - 1] in _EDGE:
        j -= 1
    return word[:i], word[i:j], word[j:]


def _key(core: str) -> str:
    key = core.casefold()
    if _THOUSANDS.fullmatch(key):
        key = key.replace(".", "")
    return key


def _word_key(chunk: str) -> str:
    """The match key of a whitespace-separated chunk: comparison form, edges stripped."""
    return _key(_split_edges(chunk.translate(_CMP_TABLE))[1])


def _is_number(word: str) -> bool:
    return bool(_NUMBER.fullmatch(word))


def _is_year(word: str) -> bool:
    return bool(_YEAR.fullmatch(word))


def _is_group(word: str) -> bool:
    return word in GROUP_WORDS or (len(word) > 9 and word.endswith(("migranten", "migrant")))


def _is_negation_like(word: str) -> bool:
    return word in NEGATIONS or word == _AFFIRMATIVE


def _similar(a: str, b: str) -> bool:
    """Whether report key ``a`` and quote key ``b`` look like one word changed into the other."""
    if a == b:
        return True
    if _is_number(a) and _is_number(b):
        return True
    if _is_group(a) and _is_group(b):
        return True
    if _is_negation_like(a) and _is_negation_like(b):
        return True
    if frozenset((a, b)) in _TERM_PAIRS:
        return True
    return len(a) > 3 and len(b) > 3 and SequenceMatcher(None, a, b).ratio() >= 0.6


def _fragment(report_key: str, token: _Token, at_start: bool, vocabulary: Counter[str]) -> bool:
    """Whether quote word ``token`` is the cut-off end (``at_start``) or start of report word ``report_key``.

    A word of the documents only counts as a fragment where it ends in a hyphen ("op-" of "opvang"):
    "migrant" for "migranten" is a changed word.
    """
    if _is_number(token.key) or _is_number(report_key):
        return False  # "45" for "450" is a changed number
    if token.key in vocabulary and not (not at_start and token.disp.endswith(("-", "¬"))):
        return False
    variants = {token.key, token.word.translate(PRIMARY_GLYPH_TABLE).casefold()}
    for part in variants:
        if len(part) < 2 or len(report_key) <= len(part):
            continue
        if report_key.endswith(part) if at_start else report_key.startswith(part):
            return True
    return False


def _near_ellipsis(j: int, q: _Quote) -> bool:
    """Whether a stretch of report left out before quote word ``j`` sits at a marked omission "(…)".

    The alignment may shift the gap by a word or two when the words around the omission repeat.
    """
    return any(abs(j - e) <= 2 and 0 < e < len(q.keys) for e in q.ellipsis_before)


def _opcodes(
    blocks: list[tuple[int, int, int]], len_a: int, len_b: int
) -> list[tuple[str, int, int, int, int]]:
    """``SequenceMatcher.get_opcodes`` from matching blocks (a, b, size), increasing in a and b."""
    ops: list[tuple[str, int, int, int, int]] = []
    i = j = 0
    for a, b, size in [*blocks, (len_a, len_b, 0)]:
        if i < a and j < b:
            ops.append(("replace", i, a, j, b))
        elif i < a:
            ops.append(("delete", i, a, j, b))
        elif j < b:
            ops.append(("insert", i, a, j, b))
        if size:
            ops.append(("equal", a, a + size, b, b + size))
        i, j = a + size, b + size
    return ops


def _pages_label(pages: Sequence[int]) -> str:
    if not pages:
        return ""
    if len(pages) == 1:
        return f"p. {pages[0]}"
    return f"p. {pages[0]}-{pages[-1]}"


# --------------------------------------------------------------------------------------------------
# Internal values
# --------------------------------------------------------------------------------------------------


@dataclass(slots=True)
class _Token:
    key: str  # match key
    cmp: str  # comparison form: whitespace-free, markers dropped, quotes/dashes unified
    disp: str  # the text as printed (punctuation-only neighbours attached)
    word: str  # the word without surrounding punctuation, for change descriptions
    page: int = 0
    origin: int = 0  # one id per printed word; copies in bridge segments share it
    repaired: bool = False  # quote word changed by glyph/digit repair


@dataclass(slots=True)
class _Quote:
    tokens: list[_Token]
    keys: list[str]
    ellipsis_before: set[int] = field(default_factory=set)  # quote positions preceded by "(…)"


@dataclass(slots=True)
class _Match:
    start: int  # stream positions [start, end)
    end: int
    opcodes: list[tuple[str, int, int, int, int]]  # relative to start
    matched: int
    ratio: float

    def edits(self, n_quote: int) -> int:
        return (self.end - self.start - self.matched) + (n_quote - self.matched)


# --------------------------------------------------------------------------------------------------
# The matcher
# --------------------------------------------------------------------------------------------------


class QuoteMatcher:
    """Checks pasted quotes against the repaired pages of one or more documents (built once)."""

    def __init__(self, pages: Sequence[Page], citation: Callable[[str, tuple[int, ...]], str]):
        started = time.perf_counter()
        self._citation = citation
        self._doc_ids: list[str] = []
        by_doc: dict[str, list[Page]] = {}
        for page in pages:
            if page.doc_id not in by_doc:
                by_doc[page.doc_id] = []
                self._doc_ids.append(page.doc_id)
            by_doc[page.doc_id].append(page)

        # Pass 1: the pieces of each document's body (one run over its pages) and of each footnote block.
        bodies: list[list[Piece]] = []
        notes: list[dict[int, list[Piece]]] = []
        page_order: list[list[int]] = []
        for doc_id in self._doc_ids:
            body: list[Piece] = []
            doc_notes: dict[int, list[Piece]] = {}
            numbers: list[int] = []
            expected = 1
            for page in by_doc[doc_id]:
                text = normalize_input(page.text)
                body_text, note_text, expected = split_footnote_text(text, expected)
                body.extend(split_pieces(body_text, page.number))
                if note_text:
                    doc_notes.setdefault(page.number, []).extend(split_pieces(note_text, page.number))
                if page.number not in numbers:
                    numbers.append(page.number)
            bodies.append(body)
            notes.append(doc_notes)
            page_order.append(numbers)
        counts: Counter[str] = Counter()
        for pieces in [*bodies, *(p for d in notes for p in d.values())]:
            for piece in pieces:
                counts[_word_key(piece.text)] += 1

        # Pass 2: words. The main segment of a document is its text in page order (body, footnotes, next
        # page); where footnotes interrupt the body, a bridge segment joins the end of the page's body to
        # the start of the next page's body, so a sentence over the page break is found as well.
        self._keys: list[str] = []
        self._toks: list[_Token] = []
        self._doc_of: list[int] = []
        self._seg_of: list[int] = []
        self._segments: list[tuple[int, int]] = []
        origin = 0
        self.vocabulary: Counter[str] = Counter()  # match keys of the documents' words, with counts
        for d, doc_id in enumerate(self._doc_ids):
            body_tokens = _tokens(join_counted_hyphens(bodies[d], counts, _word_key), counts)
            by_page: dict[int, list[_Token]] = {}
            for tok in body_tokens:
                by_page.setdefault(tok.page, []).append(tok)
            note_tokens = {n: _tokens(join_counted_hyphens(p, counts, _word_key), counts) for n, p in notes[d].items()}
            main: list[_Token] = []
            for number in page_order[d]:
                main.extend(by_page.get(number, []))
                main.extend(note_tokens.get(number, []))
            for tok in main:
                tok.origin = origin
                origin += 1
            self.vocabulary.update(tok.key for tok in main)
            self._add_segment(main, d)
            numbers = page_order[d]
            for number, following in zip(numbers, numbers[1:], strict=False):
                if note_tokens.get(number) and by_page.get(number) and by_page.get(following):
                    bridge = by_page[number][-_BRIDGE_TOKENS:] + by_page[following][:_BRIDGE_TOKENS]
                    self._add_segment(bridge, d)
            if d == 0:
                logger.debug("quote matcher: %s has %d words", doc_id, len(main))

        self._total_words = sum(self.vocabulary.values())
        self._uni: dict[str, list[int]] = {}
        self._tri: dict[tuple[str, str, str], list[int]] = {}
        keys = self._keys
        for pos, key in enumerate(keys):
            if not key:
                continue
            self._uni.setdefault(key, []).append(pos)
            if pos + 2 < len(keys) and keys[pos + 1] and keys[pos + 2]:
                self._tri.setdefault((key, keys[pos + 1], keys[pos + 2]), []).append(pos)
        self._resolve_cache: dict[str, tuple[str, bool, bool]] = {}
        logger.debug(
            "quote matcher: %d words in %d segments, %d 3-grams, built in %.0f ms",
            len(self._keys),
            len(self._segments),
            len(self._tri),
            (time.perf_counter() - started) * 1000,
        )

    # ------------------------------------------------------------------ building

    def _add_segment(self, toks: list[_Token], doc_index: int) -> None:
        if not toks:
            return
        seg = len(self._segments)
        start = len(self._keys)
        for tok in toks:
            self._keys.append(tok.key)
            self._toks.append(tok)
            self._doc_of.append(doc_index)
            self._seg_of.append(seg)
        # An empty key never matches: it separates segments.
        self._keys.append("")
        self._toks.append(_Token("", "", "", "", 0, -1))
        self._doc_of.append(doc_index)
        self._seg_of.append(-1)
        self._segments.append((start, start + len(toks)))

    # ------------------------------------------------------------------ quote preparation

    def _resolve(self, chunk: str) -> tuple[str, bool, bool]:
        """Repair one pasted word against the report's vocabulary: (fixed chunk, known, repaired)."""
        cached = self._resolve_cache.get(chunk)
        if cached is not None:
            return cached
        result = self._resolve_uncached(chunk)
        if len(self._resolve_cache) > 50_000:
            self._resolve_cache.clear()
        self._resolve_cache[chunk] = result
        return result

    def _resolve_uncached(self, chunk: str) -> tuple[str, bool, bool]:
        vocab = self.vocabulary
        cmp = chunk.translate(_CMP_TABLE)
        _, core, _ = _split_edges(cmp)
        if not core or _key(core) in vocab:
            return chunk, bool(core), False
        raw_lead, raw_core, raw_trail = _split_raw(chunk)
        if URL_LIKE.search(raw_core):
            # the PDF's links: "hqps://" for "https://", "q" for "tt" in the footnote font
            fixed_url = raw_core.replace("hqp", "http")
            for candidate in (fixed_url, fixed_url.replace("q", "tt")):
                if _key(_split_edges(candidate.translate(_CMP_TABLE))[1]) in vocab:
                    return raw_lead + candidate + raw_trail, True, True
            return chunk, False, False
        if len(raw_core) > _MAX_REPAIR_LEN:
            return chunk, False, False
        thousands = GLUED_AFTER_THOUSANDS.fullmatch(raw_core)
        if thousands and _key(thousands.group(1)) in vocab:
            # "735.00074": a footnote number glued to a number with thousands separators
            return raw_lead + thousands.group(1) + raw_trail, True, True
        # a footnote number glued to the word: "inwoners7", "(5,1%)8", "samenleving.54"
        glued = GLUED_DIGITS.fullmatch(raw_core)
        if glued and not GLUED_PREFIX_OK.search(glued.group(1)):
            glued = None
        if glued:
            prefix = glued.group(1)
            _, p_core, _ = _split_edges(prefix.translate(_CMP_TABLE))
            if p_core and _key(p_core) in vocab:
                return raw_lead + prefix + raw_trail, True, True
        fixed = repair_to_known(raw_core, self._count)
        if fixed is not None:
            return raw_lead + fixed + raw_trail, True, True
        if raw_lead and raw_lead[-1] in QUOTE_INITIAL_GLYPHS:
            # "/jdelijke": the glyph of a ligature that starts the word was read as punctuation
            fixed = repair_to_known(raw_lead[-1] + raw_core, self._count, initial=True)
            if fixed is not None:
                return raw_lead[:-1] + fixed + raw_trail, True, True
        if glued:
            p_lead, p_core, p_trail = _split_raw(glued.group(1))
            fixed = repair_to_known(p_core, self._count) if p_core else None
            if fixed is not None:
                return raw_lead + p_lead + fixed + p_trail + raw_trail, True, True
        return chunk, False, False

    def _count(self, candidate: str) -> int:
        """How often a repair candidate stands in the documents as a word (0: not, or only with punctuation before it)."""
        cmp = candidate.translate(_CMP_TABLE)
        if _split_edges(cmp)[0]:
            return 0
        return self.vocabulary.get(_key(cmp), 0)

    def _known(self, chunk: str) -> bool:
        """Whether a pasted chunk is, after repair, a word of the documents."""
        return self._resolve(chunk)[1]

    def _prepare_quote(self, quote: str) -> _Quote:
        chunks = join_pasted_hyphens(normalize_input(quote).split(), self._known, _word_key)
        tokens: list[_Token] = []
        ellipsis_before: set[int] = set()
        pending_disp: list[str] = []
        pending_cmp: list[str] = []
        for chunk in chunks:
            if chunk in _ELLIPSIS_CHUNKS or chunk.translate(_CMP_TABLE) in _ELLIPSIS_CHUNKS:
                ellipsis_before.add(len(tokens))
                continue
            fixed, _, repaired = self._resolve(chunk)
            cmp = fixed.translate(_CMP_TABLE)
            lead, core, trail = _split_edges(cmp)
            if not core:
                if tokens and fixed[:1] not in _OPENING:
                    tokens[-1].disp += " " + fixed
                    tokens[-1].cmp += cmp
                else:
                    pending_disp.append(fixed)
                    pending_cmp.append(cmp)
                continue
            if "..." in lead:
                ellipsis_before.add(len(tokens))
            if pending_disp:
                fixed = " ".join([*pending_disp, fixed])
                cmp = "".join([*pending_cmp, cmp])
                pending_disp, pending_cmp = [], []
            tokens.append(_Token(_key(core), cmp, fixed, core, repaired=repaired))
            if "..." in trail:
                ellipsis_before.add(len(tokens))
        if pending_disp and tokens:
            tokens[-1].disp += " " + " ".join(pending_disp)
            tokens[-1].cmp += "".join(pending_cmp)
        return _Quote(tokens, [t.key for t in tokens], ellipsis_before)

    # ------------------------------------------------------------------ searching

    def _exact_positions(self, keys: list[str]) -> list[int]:
        """Stream positions where ``keys`` stand literally (by key), one per printed occurrence."""
        n = len(keys)
        if n >= 3:
            grams = [(i, self._tri.get((keys[i], keys[i + 1], keys[i + 2]), [])) for i in range(n - 2)]
        else:
            grams = [(i, self._uni.get(keys[i], [])) for i in range(n)]
        offset, postings = min(grams, key=lambda g: len(g[1]))
        found: dict[int, int] = {}
        for pos in postings:
            start = pos - offset
            if start < 0 or self._keys[start : start + n] != keys:
                continue
            origin = self._toks[start].origin
            if origin not in found:
                found[origin] = start
        return [found[o] for o in sorted(found)]

    def _candidates(self, keys: list[str], ellipses: int = 0) -> list[tuple[int, int]]:
        """Stream windows [lo, hi) worth aligning with the quote, best first.

        ``ellipses`` is the number of omissions marked inside the quote: each may hide a stretch of report.
        """
        n = len(keys)
        hits: list[tuple[int, int]] = []  # (stream position, quote position)
        cap = _MAX_POSTINGS
        for i in range(n - 2):
            postings = self._tri.get((keys[i], keys[i + 1], keys[i + 2]))
            if postings and len(postings) <= cap:
                hits.extend((p, i) for p in postings)
        if len(hits) < 2:
            for i, key in enumerate(keys):
                postings = self._uni.get(key)
                if postings and len(postings) <= _MAX_UNI_POSTINGS:
                    hits.extend((p, i) for p in postings)
        if not hits:
            return []
        hits.sort()
        gap = max(15, n // 2) + 80 * ellipses
        clusters: list[list[tuple[int, int]]] = [[hits[0]]]
        for hit in hits[1:]:
            prev = clusters[-1][-1]
            if hit[0] - prev[0] <= gap and self._seg_of[hit[0]] == self._seg_of[prev[0]]:
                clusters[-1].append(hit)
            else:
                clusters.append([hit])
        scored = sorted(clusters, key=lambda c: (-len({i for _, i in c}), c[0][0]))
        windows: list[tuple[int, int]] = []
        seen_origins: set[int] = set()
        top = len({i for _, i in scored[0]})
        for cluster in scored:
            if len(windows) >= _MAX_CANDIDATES or 2 * len({i for _, i in cluster}) < top:
                break
            seg_lo, seg_hi = self._segments[self._seg_of[cluster[0][0]]]
            first_p = cluster[0][0]
            last_p = cluster[-1][0]
            lo = min(p - i for p, i in cluster)
            hi = max(p + (n - i) for p, i in cluster)
            lo = max(seg_lo, lo - 3, first_p - n)
            hi = min(seg_hi, hi + 3, last_p + n + 3 + 80 * ellipses)
            lo = max(seg_lo, min(lo, first_p - 80 * ellipses)) if ellipses else lo
            origin = self._toks[first_p].origin
            if origin in seen_origins:
                continue
            seen_origins.add(origin)
            windows.append((lo, hi))
        return windows

    def _align(self, q: _Quote, lo: int, hi: int) -> _Match | None:
        keys = q.keys
        ellipsis_before = q.ellipsis_before
        n = len(keys)
        matcher = SequenceMatcher(None, self._keys[lo:hi], keys, autojunk=False)
        blocks = [b for b in matcher.get_matching_blocks() if b.size]
        if not blocks:
            return None

        # drop small blocks at the edges that sit far from the rest (chance matches of "de", "van")
        def far(left: Match, right: Match, small: Match) -> bool:
            if any(left.b < j < right.b + right.size for j in ellipsis_before):
                return False  # an omission marked with (…) may be long
            return abs((right.a - left.a - left.size) - (right.b - left.b - left.size)) >= small.size + 2

        while len(blocks) > 1:
            if far(blocks[0], blocks[1], blocks[0]):
                blocks.pop(0)
            elif far(blocks[-2], blocks[-1], blocks[-1]):
                blocks.pop()
            else:
                break
        start = lo + blocks[0].a
        end = lo + blocks[-1].a + blocks[-1].size
        seg = self._seg_of[start]
        # unmatched words at the quote's edges: take the report word they replace when it looks alike
        # (the outermost quote word may also be the cut-off end or start of a report word)
        j = blocks[0].b - 1
        while j >= 0 and start > 0 and self._seg_of[start - 1] == seg:
            before = self._keys[start - 1]
            if not (
                _similar(before, keys[j])
                or (j == 0 and _fragment(before, q.tokens[j], True, self.vocabulary))
            ):
                break
            start -= 1
            j -= 1
        j = blocks[-1].b + blocks[-1].size
        while j < n and end < len(self._keys) and self._seg_of[end] == seg:
            after = self._keys[end]
            if not (
                _similar(after, keys[j])
                or (j == n - 1 and _fragment(after, q.tokens[j], False, self.vocabulary))
            ):
                break
            end += 1
            j += 1
        rebased = [(lo + b.a - start, b.b, b.size) for b in blocks]
        opcodes = _opcodes(rebased, end - start, n)
        matched = sum(size for _, _, size in rebased)
        ratio = 2.0 * matched / (end - start + n) if end > start else 0.0
        return _Match(start, end, opcodes, matched, ratio)

    def _match_at(self, start: int, n: int) -> _Match:
        return _Match(start, start + n, [("equal", 0, n, 0, n)], n, 1.0)

    # ------------------------------------------------------------------ checking

    def check(self, quote: str) -> QuoteVerdict:
        """The verdict on ``quote``: exact, harmless, altered or not_found (see the module docstring)."""
        started = time.perf_counter()
        q = self._prepare_quote(quote)
        if not q.keys:
            return QuoteVerdict(
                quote=quote,
                status="not_found",
                original="",
                pages=(),
                doc_id="",
                reason="Het citaat bevat geen woorden om te zoeken.",
            )
        n = len(q.keys)
        occurrences = self._exact_positions(q.keys)
        matches: list[_Match] = [self._match_at(p, n) for p in occurrences]
        if n >= _SHORT_QUOTE and not occurrences:
            # (a literal occurrence of every word cannot be beaten by an alignment)
            inner = sum(1 for j in q.ellipsis_before if 0 < j < n)
            for lo, hi in self._candidates(q.keys, inner):
                found = self._align(q, lo, hi)
                if found is not None:
                    matches.append(found)
        best: (
            tuple[tuple[bool, int, int, int, int], _Match, tuple[QuoteStatus, str, tuple[str, ...]]] | None
        ) = None
        for match in matches:
            judged = self._judge(q, match, describe=False)
            rank = (
                judged[0] == "not_found",
                -match.matched,
                match.edits(n),
                _STATUS_RANK[judged[0]],
                self._toks[match.start].origin,
            )
            if best is None or rank < best[0]:
                best = (rank, match, judged)
        verdict = None
        if best is not None and best[2][0] != "not_found":
            verdict = self._verdict(quote, q, best[1], self._judge(q, best[1], describe=True), occurrences)
        if verdict is None:
            verdict = self._not_found(quote, q, best[1] if best else None)
        logger.debug("quote check: %s in %.1f ms", verdict.status, (time.perf_counter() - started) * 1000)
        return verdict

    def _judge(self, q: _Quote, match: _Match, describe: bool) -> tuple[QuoteStatus, str, tuple[str, ...]]:
        """(status, reason, changes) of one aligned match; without ``describe`` only the status counts."""
        n = len(q.keys)
        toks = self._toks
        pairs: list[tuple[_Token, _Token]] = []
        fillers: list[tuple[str, str]] = []  # (added|removed, word)
        omissions = 0
        substantive: list[tuple[str, int, int, int, int]] = []
        edges = self._edge_fragments(q, match)
        for k, (tag, i1, i2, j1, j2) in enumerate(match.opcodes):
            if k in edges:
                continue
            if tag == "equal":
                pairs.extend((toks[match.start + i1 + k], q.tokens[j1 + k]) for k in range(i2 - i1))
            elif tag == "delete" and _near_ellipsis(j1, q):
                omissions += 1
            elif tag == "delete" and i2 - i1 == 1 and toks[match.start + i1].key in FILLER_WORDS:
                fillers.append(("removed", toks[match.start + i1].word))
            elif tag == "insert" and j2 - j1 == 1 and q.keys[j1] in FILLER_WORDS:
                fillers.append(("added", q.tokens[j1].word))
            else:
                substantive.append((tag, i1, i2, j1, j2))
        if n < _SHORT_QUOTE and (substantive or fillers or omissions or edges):
            return "not_found", "", ()
        if substantive or len(fillers) > 1:
            ok = (
                match.ratio >= _ALTERED_MIN_RATIO
                and match.matched >= 3
                and self._weighted_coverage(q, match) >= _ALTERED_MIN_COVERAGE
            )
            if not ok:
                return "not_found", "", ()
            if not describe:
                return "altered", "", ()
            changes = self._describe(q, match, edges)
            shown = list(changes[:_MAX_CHANGES_IN_REASON])
            if len(changes) > _MAX_CHANGES_IN_REASON:
                shown.append(f"en {len(changes) - _MAX_CHANGES_IN_REASON} andere wijziging(en)")
            return "altered", "Wijkt af van het rapport — " + "; ".join(shown) + ".", changes
        notes: list[str] = []
        changes_list: list[str] = []
        if fillers:
            how, word = fillers[0]
            what = "toegevoegd" if how == "added" else "weggelaten"
            notes.append(f"Eén vulwoord {what}: {word.lower()}.")
            changes_list.append(f"vulwoord {what}: {word.lower()}")
        if omissions:
            notes.append("Weglating aangegeven met (…).")
            changes_list.append("weglating aangegeven met (…)")
        for description in edges.values():
            notes.append(description[0].upper() + description[1:] + ".")
            changes_list.append(description)
        punct, case = _surface_differences(pairs)
        if not omissions and any(0 < j < n for j in q.ellipsis_before):
            punct = True  # "(…)" in the quote where nothing was left out
        if punct or case:
            what = "leestekens/hoofdletters" if punct and case else "leestekens" if punct else "hoofdletters"
            if notes:
                notes.append(f"Ook {what} wijken af.")
            else:
                notes.append(f"Alleen {what} wijken af.")
            changes_list.append(f"{what} gewijzigd")
        if not notes:
            return "exact", "Letterlijk in het rapport.", ()
        return "harmless", " ".join(notes), tuple(changes_list)

    def _weighted_coverage(self, q: _Quote, match: _Match) -> float:
        """Share of the quote's information found in the passage: its words weighted by rarity (IDF).

        A quote that shares only "De gemeente Haarlemmermeer heeft in" with the report and goes on with
        its own claim covers little; one with a single changed number covers most.
        """
        total = max(1, self._total_words)
        vocab = self.vocabulary

        def weight(key: str) -> float:
            return math.log(1.0 + total / (1.0 + vocab.get(key, 0)))

        found = sum(
            weight(q.keys[j]) for tag, _, _, j1, j2 in match.opcodes if tag == "equal" for j in range(j1, j2)
        )
        whole = sum(weight(k) for k in q.keys)
        return found / whole if whole else 0.0

    def _edge_fragments(self, q: _Quote, match: _Match) -> dict[int, str]:
        """Opcodes (by index) where the quote starts or ends inside a report word, with a description."""
        out: dict[int, str] = {}
        ops = match.opcodes
        span = match.end - match.start
        for k in {0, len(ops) - 1}:
            tag, i1, i2, j1, j2 = ops[k]
            if tag != "replace" or i2 - i1 != 1 or j2 - j1 != 1:
                continue
            at_start = i1 == 0 and j1 == 0
            at_end = i2 == span and j2 == len(q.keys)
            orig, part = self._toks[match.start + i1], q.tokens[j1]
            if at_start and _fragment(orig.key, part, True, self.vocabulary):
                out[k] = f"begint midden in een woord: {part.word} ({orig.word})"
            elif at_end and _fragment(orig.key, part, False, self.vocabulary):
                out[k] = f"eindigt midden in een woord: {part.word} ({orig.word})"
        return out

    def _describe(self, q: _Quote, match: _Match, edges: dict[int, str]) -> tuple[str, ...]:
        """Short Dutch descriptions of what the quote changed."""
        changes: list[str] = []
        for k, (tag, i1, i2, j1, j2) in enumerate(match.opcodes):
            if tag == "equal":
                continue
            if k in edges:
                changes.append(edges[k])
                continue
            if tag == "delete" and _near_ellipsis(j1, q):
                changes.append("weglating aangegeven met (…)")
                continue
            old = [self._toks[match.start + i] for i in range(i1, i2)]
            new = [q.tokens[j] for j in range(j1, j2)]
            changes.extend(_describe_op(old, new))
        out: list[str] = []
        for change in changes:
            if change not in out:
                out.append(change)
        return tuple(out)

    def _verdict(
        self,
        quote: str,
        q: _Quote,
        match: _Match,
        judged: tuple[QuoteStatus, str, tuple[str, ...]],
        occurrences: list[int],
    ) -> QuoteVerdict | None:
        status, reason, changes = judged
        if status == "not_found":
            return None
        toks = self._toks[match.start : match.end]
        pages = tuple(sorted({t.page for t in toks}))
        doc_id = self._doc_ids[self._doc_of[match.start]]
        if status in ("exact", "harmless") and len(occurrences) > 1:
            first = min(occurrences, key=lambda p: self._toks[p].origin)
            first_pages = tuple(sorted({t.page for t in self._toks[first : first + len(q.keys)]}))
            reason = (
                f"{reason.rstrip('.')}; komt {len(occurrences)} keer voor; "
                f"eerste vindplaats {_pages_label(first_pages)}."
            )
        return QuoteVerdict(
            quote=quote,
            status=status,
            original=" ".join(t.disp for t in toks),
            pages=pages,
            doc_id=doc_id,
            diff=self._diff(q, match),
            reason=reason,
            citation=self._citation(doc_id, pages),
            score=1.0 if status == "exact" else round(min(match.ratio, 0.99), 3),
            changes=changes,
        )

    def _not_found(self, quote: str, q: _Quote, nearest: _Match | None) -> QuoteVerdict:
        n = len(q.keys)
        if n < _SHORT_QUOTE:
            reason = (
                "Niet letterlijk in het rapport gevonden. Korte citaten (minder dan vier woorden) worden "
                "alleen letterlijk gezocht."
            )
        else:
            reason = "Niets in het rapport lijkt voldoende op dit citaat."
        score = 0.0
        if nearest is not None and nearest.ratio >= _NEAREST_HINT_RATIO and n >= _SHORT_QUOTE:
            pages = tuple(sorted({t.page for t in self._toks[nearest.start : nearest.end]}))
            score = round(nearest.ratio, 3)
            reason += f" Meest gelijkende passage: {_pages_label(pages)} ({round(nearest.ratio * 100)}% overeenkomst)."
        elif nearest is not None:
            score = round(nearest.ratio, 3)
        return QuoteVerdict(
            quote=quote, status="not_found", original="", pages=(), doc_id="", reason=reason, score=score
        )

    def _diff(self, q: _Quote, match: _Match) -> tuple[DiffOp, ...]:
        ops: list[DiffOp] = []

        def add(op: str, words: Iterable[str]) -> None:
            text = " ".join(words)
            if not text:
                return
            if ops and ops[-1].op == op:
                ops[-1] = DiffOp(op, ops[-1].text + " " + text)  # type: ignore[arg-type]
            else:
                ops.append(DiffOp(op, text))  # type: ignore[arg-type]

        for tag, i1, i2, j1, j2 in match.opcodes:
            old = [self._toks[match.start + i].disp for i in range(i1, i2)]
            new = [q.tokens[j].disp for j in range(j1, j2)]
            if tag == "equal":
                add("equal", old)
            else:
                add("removed", old)
                add("added", new)
        return tuple(ops)


# --------------------------------------------------------------------------------------------------
# Building helpers
# --------------------------------------------------------------------------------------------------


def _tokens(pieces: list[Piece], counts: Counter[str]) -> list[_Token]:
    """Report words with keys; punctuation-only pieces are attached to a neighbouring word."""
    toks: list[_Token] = []
    pending: list[str] = []
    for piece in pieces:
        cmp = piece.text.translate(_CMP_TABLE)
        glued = GLUED_AFTER_PUNCT.fullmatch(cmp)
        if glued:
            cmp = glued.group(1)  # "gegeven).9": the footnote number stays out of key and comparison
        lead, core, trail = _split_edges(cmp)
        if not core:
            if toks and piece.text[:1] not in _OPENING and toks[-1].page == piece.page:
                toks[-1].disp += " " + piece.text
                toks[-1].cmp += cmp
            else:
                pending.append(piece.text)
            continue
        key = _key(core)
        word_digits = GLUED_WORD_DIGITS.fullmatch(key)
        if word_digits and counts.get(word_digits.group(1), 0) > counts.get(key, 0):
            # unrepaired text: "inwoners7" is "inwoners" with its footnote number
            key = word_digits.group(1)
            n_digits = len(word_digits.group(2))
            core = core[:-n_digits]
            cmp = lead + core + trail
        disp = piece.text
        if pending:
            disp = " ".join([*pending, disp])
            cmp = "".join(p.translate(_CMP_TABLE) for p in pending) + cmp
            pending = []
        toks.append(_Token(key, cmp, disp, core, piece.page))
    if pending and toks:
        toks[-1].disp += " " + " ".join(pending)
        toks[-1].cmp += "".join(p.translate(_CMP_TABLE) for p in pending)
    return toks


def _split_raw(chunk: str) -> tuple[str, str, str]:
    """Split a raw pasted chunk at the same places :func:`_split_edges` splits its comparison form."""
    cmp = chunk.translate(_CMP_TABLE)
    lead, core, trail = _split_edges(cmp)
    if cmp == chunk or len(cmp) == len(chunk):
        return chunk[: len(lead)], chunk[len(lead) : len(lead) + len(core)], chunk[len(lead) + len(core) :]
    # the translation changed lengths (superscripts, "…"): split the raw chunk by edge classes instead
    raw_edge = _EDGE | set(_QUOTE_CHARS) | set(_DASH_CHARS) | set(SUPERSCRIPT_DIGITS) | {"…"}
    i, j = 0, len(chunk)
    while i < j and chunk[i] in raw_edge:
        i += 1
    while j > i and chunk[j - 1] in raw_edge:
        j -= 1
    return chunk[:i], chunk[i:j], chunk[j:]


# --------------------------------------------------------------------------------------------------
# Judging helpers
# --------------------------------------------------------------------------------------------------


def _surface_differences(pairs: list[tuple[_Token, _Token]]) -> tuple[bool, bool]:
    """(punctuation differs, capitalisation differs) over aligned report/quote words.

    Punctuation at the quote's edges (quotation marks, brackets, a dash, a missing full stop) does not
    count, except a different sentence ending ("!" for ".").
    """
    if not pairs:
        return False, False
    o_parts: list[str] = []
    q_parts: list[str] = []
    for o, q in pairs:
        q_cmp = q.cmp
        if q.repaired and q_cmp.casefold() == o.cmp.casefold():
            q_cmp = o.cmp  # a repaired glyph carries no capitalisation of its own
        o_parts.append(o.cmp)
        q_parts.append(q_cmp)
    o_str = "".join(o_parts)
    q_str = "".join(q_parts)
    if o_str == q_str:
        return False, False
    _, o_core, o_trail = _split_edges(o_str)
    _, q_core, q_trail = _split_edges(q_str)
    q_end = [c for c in q_trail if c in _TERMINAL]
    punct = bool(q_end) and "..." not in q_trail and q_end[-1] not in o_trail
    if o_core == q_core:
        return punct, False
    o_folded, q_folded = o_core.casefold(), q_core.casefold()
    o_letters = "".join(c for c in o_core if c.isalnum())
    q_letters = "".join(c for c in q_core if c.isalnum())
    case = o_letters != q_letters
    return punct or o_folded != q_folded, case


def _describe_op(old: list[_Token], new: list[_Token]) -> list[str]:
    """Describe one non-equal diff step (report words ``old`` became quote words ``new``)."""
    out: list[str] = []
    old_left = list(old)
    new_left = list(new)

    def take(pred: Callable[[_Token], bool], words: list[_Token]) -> list[_Token]:
        picked = [t for t in words if pred(t)]
        if picked:
            words[:] = [t for t in words if not pred(t)]
        return picked

    # numbers and years, paired in order
    o_nums = take(lambda t: _is_number(t.key), old_left)
    n_nums = take(lambda t: _is_number(t.key), new_left)
    for o, n in zip(o_nums, n_nums, strict=False):
        kind = "jaar" if _is_year(o.key) and _is_year(n.key) else "getal"
        out.append(f"{kind} gewijzigd: {o.word} → {n.word}")
    for o in o_nums[len(n_nums) :]:
        out.append(f"{'jaar' if _is_year(o.key) else 'getal'} weggelaten: {o.word}")
    for n in n_nums[len(o_nums) :]:
        out.append(f"{'jaar' if _is_year(n.key) else 'getal'} toegevoegd: {n.word}")
    # negations
    o_neg = take(lambda t: t.key in NEGATIONS, old_left)
    n_neg = take(lambda t: t.key in NEGATIONS, new_left)
    if o_neg and not n_neg and any(t.key == _AFFIRMATIVE for t in new_left):
        wel = take(lambda t: t.key == _AFFIRMATIVE, new_left)[0]
        out.append(f"ontkenning gewijzigd: {o_neg[0].word.lower()} → {wel.word.lower()}")
        o_neg = o_neg[1:]
    elif n_neg and not o_neg and any(t.key == _AFFIRMATIVE for t in old_left):
        wel = take(lambda t: t.key == _AFFIRMATIVE, old_left)[0]
        out.append(f"ontkenning gewijzigd: {wel.word.lower()} → {n_neg[0].word.lower()}")
        n_neg = n_neg[1:]
    o_keys = [t.key for t in o_neg]
    n_keys = [t.key for t in n_neg]
    for t in o_neg:
        if t.key in n_keys:
            n_keys.remove(t.key)
            continue
        out.append(f"ontkenning weggelaten: {t.word.lower()}")
    for t in n_neg:
        if t.key in o_keys:
            o_keys.remove(t.key)
            continue
        out.append(f"ontkenning toegevoegd: {t.word.lower()}")
    # groups, paired in order
    o_grp = take(lambda t: _is_group(t.key), old_left)
    n_grp = take(lambda t: _is_group(t.key), new_left)
    for o, n in zip(o_grp, n_grp, strict=False):
        out.append(f"groep gewijzigd: {o.word} → {n.word}")
    for o in o_grp[len(n_grp) :]:
        out.append(f"groep weggelaten: {o.word}")
    for n in n_grp[len(o_grp) :]:
        out.append(f"groep toegevoegd: {n.word}")
    # the rest
    if old_left and new_left:
        if len(old_left) == len(new_left):
            for o, n in zip(old_left, new_left, strict=True):
                if o.key != n.key:
                    out.append(f"woord gewijzigd: {o.word} → {n.word}")
        else:
            out.append(
                f"woorden gewijzigd: {' '.join(t.word for t in old_left)} → {' '.join(t.word for t in new_left)}"
            )
    elif old_left:
        if len(old_left) == 1 and old_left[0].key in FILLER_WORDS:
            out.append(f"vulwoord weggelaten: {old_left[0].word.lower()}")
        else:
            label = "woord" if len(old_left) == 1 else "woorden"
            out.append(f"{label} weggelaten: {_shorten(' '.join(t.word for t in old_left))}")
    elif new_left:
        if len(new_left) == 1 and new_left[0].key in FILLER_WORDS:
            out.append(f"vulwoord toegevoegd: {new_left[0].word.lower()}")
        else:
            label = "woord" if len(new_left) == 1 else "woorden"
            out.append(f"{label} toegevoegd: {_shorten(' '.join(t.word for t in new_left))}")
    return out


def _shorten(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
