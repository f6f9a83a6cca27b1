"""The quote matcher: an index of the documents' words and the alignment of a quote with it."""

from __future__ import annotations

import logging
import math
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from difflib import Match, SequenceMatcher

from rekenqa.artefacts.footnotes import split_footnote_text
from rekenqa.artefacts.hyphens import Piece, join_counted_hyphens, split_pieces
from rekenqa.artefacts.normalize import normalize_input
from rekenqa.citations import in_source
from rekenqa.quotes.describe import describe_op, pages_label, surface_differences
from rekenqa.quotes.paste import Quote, QuoteReader
from rekenqa.quotes.words import FILLER_WORDS, Token, fragment, report_tokens, similar, word_key
from rekenqa.types import DiffOp, Page, QuoteStatus, QuoteVerdict

logger = logging.getLogger(__name__)

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

_STATUS_RANK: dict[str, int] = {"exact": 0, "harmless": 1, "altered": 2, "not_found": 3}


@dataclass(slots=True)
class _Match:
    start: int  # stream positions [start, end)
    end: int
    opcodes: list[tuple[str, int, int, int, int]]  # relative to start
    matched: int
    ratio: float

    def edits(self, n_quote: int) -> int:
        return (self.end - self.start - self.matched) + (n_quote - self.matched)


def _near_ellipsis(j: int, q: Quote) -> bool:
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


@dataclass(slots=True)
class _DocPieces:
    """The pieces of one document's body (one run over its pages) and of each page's footnote block."""

    body: list[Piece]
    notes: dict[int, list[Piece]]
    page_order: list[int]


def _read_document(pages: Sequence[Page]) -> _DocPieces:
    """Cut one document's pages into body and footnote pieces."""
    doc = _DocPieces([], {}, [])
    expected = 1
    for page in pages:
        text = normalize_input(page.text)
        body_text, note_text, expected = split_footnote_text(text, expected)
        doc.body.extend(split_pieces(body_text, page.number))
        if note_text:
            doc.notes.setdefault(page.number, []).extend(split_pieces(note_text, page.number))
        if page.number not in doc.page_order:
            doc.page_order.append(page.number)
    return doc


def _harmless(
    q: Quote,
    pairs: list[tuple[Token, Token]],
    fillers: list[tuple[str, str]],
    omissions: int,
    edges: dict[int, str],
) -> tuple[QuoteStatus, str, tuple[str, ...]]:
    """The verdict on a match without substantive changes: exact, or harmless with what differs."""
    n = len(q.keys)
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
    punct, case = surface_differences(pairs)
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


class QuoteMatcher:
    """Checks pasted quotes against the repaired pages of one or more documents (built once); the first
    document is the report, and a match in any other is named as a source's."""

    def __init__(self, pages: Sequence[Page], citation: Callable[[str, tuple[int, ...]], str]):
        started = time.perf_counter()
        self._citation = citation
        self._names = {(p.doc_id, p.number): p.name for p in pages}
        self._doc_ids: list[str] = []
        by_doc: dict[str, list[Page]] = {}
        for page in pages:
            if page.doc_id not in by_doc:
                by_doc[page.doc_id] = []
                self._doc_ids.append(page.doc_id)
            by_doc[page.doc_id].append(page)
        docs = [_read_document(by_doc[doc_id]) for doc_id in self._doc_ids]
        counts: Counter[str] = Counter()
        for pieces in [*(doc.body for doc in docs), *(p for doc in docs for p in doc.notes.values())]:
            for piece in pieces:
                counts[word_key(piece.text)] += 1

        self._keys: list[str] = []
        self._toks: list[Token] = []
        self._doc_of: list[int] = []
        self._seg_of: list[int] = []
        self._segments: list[tuple[int, int]] = []
        self.vocabulary: Counter[str] = Counter()  # match keys of the documents' words, with counts
        origin = 0
        for d, doc in enumerate(docs):
            origin = self._add_document(d, doc, counts, origin)
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
        self._reader = QuoteReader(self.vocabulary)
        logger.debug(
            "quote matcher: %d words in %d segments, %d 3-grams, built in %.0f ms",
            len(self._keys),
            len(self._segments),
            len(self._tri),
            (time.perf_counter() - started) * 1000,
        )

    # ------------------------------------------------------------------ building

    def _add_document(self, d: int, doc: _DocPieces, counts: Counter[str], origin: int) -> int:
        """Add the words of document ``d``; returns the next free word origin.

        The main segment of a document is its text in page order (body, footnotes, next page); where
        footnotes interrupt the body, a bridge segment joins the end of the page's body to the start of the
        next page's body, so a sentence over the page break is found as well.
        """
        body_tokens = report_tokens(join_counted_hyphens(doc.body, counts, word_key), counts)
        by_page: dict[int, list[Token]] = {}
        for tok in body_tokens:
            by_page.setdefault(tok.page, []).append(tok)
        note_tokens = {
            n: report_tokens(join_counted_hyphens(p, counts, word_key), counts) for n, p in doc.notes.items()
        }
        main: list[Token] = []
        for number in doc.page_order:
            main.extend(by_page.get(number, []))
            main.extend(note_tokens.get(number, []))
        for tok in main:
            tok.origin = origin
            origin += 1
        self.vocabulary.update(tok.key for tok in main)
        self._add_segment(main, d)
        numbers = doc.page_order
        for number, following in zip(numbers, numbers[1:], strict=False):
            if note_tokens.get(number) and by_page.get(number) and by_page.get(following):
                bridge = by_page[number][-_BRIDGE_TOKENS:] + by_page[following][:_BRIDGE_TOKENS]
                self._add_segment(bridge, d)
        if d == 0:
            logger.debug("quote matcher: %s has %d words", self._doc_ids[d], len(main))
        return origin

    def _add_segment(self, toks: list[Token], doc_index: int) -> None:
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
        self._toks.append(Token("", "", "", "", 0, -1))
        self._doc_of.append(doc_index)
        self._seg_of.append(-1)
        self._segments.append((start, start + len(toks)))

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

    def _align(self, q: Quote, lo: int, hi: int) -> _Match | None:
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
                similar(before, keys[j]) or (j == 0 and fragment(before, q.tokens[j], True, self.vocabulary))
            ):
                break
            start -= 1
            j -= 1
        j = blocks[-1].b + blocks[-1].size
        while j < n and end < len(self._keys) and self._seg_of[end] == seg:
            after = self._keys[end]
            if not (
                similar(after, keys[j])
                or (j == n - 1 and fragment(after, q.tokens[j], False, self.vocabulary))
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
        q = self._reader.read(quote)
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

    def _judge(self, q: Quote, match: _Match, describe: bool) -> tuple[QuoteStatus, str, tuple[str, ...]]:
        """(status, reason, changes) of one aligned match; without ``describe`` only the status counts."""
        n = len(q.keys)
        toks = self._toks
        pairs: list[tuple[Token, Token]] = []
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
        return _harmless(q, pairs, fillers, omissions, edges)

    def _weighted_coverage(self, q: Quote, match: _Match) -> float:
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

    def _edge_fragments(self, q: Quote, match: _Match) -> dict[int, str]:
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
            if at_start and fragment(orig.key, part, True, self.vocabulary):
                out[k] = f"begint midden in een woord: {part.word} ({orig.word})"
            elif at_end and fragment(orig.key, part, False, self.vocabulary):
                out[k] = f"eindigt midden in een woord: {part.word} ({orig.word})"
        return out

    def _describe(self, q: Quote, match: _Match, edges: dict[int, str]) -> tuple[str, ...]:
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
            changes.extend(describe_op(old, new))
        out: list[str] = []
        for change in changes:
            if change not in out:
                out.append(change)
        return tuple(out)

    def _verdict(
        self,
        quote: str,
        q: Quote,
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
                f"eerste vindplaats {pages_label(first_pages, self._namer(doc_id))}."
            )
        if doc_id != self._doc_ids[0]:  # the report comes first; a match in a source is named as such
            reason = in_source(reason)
        return QuoteVerdict(
            quote=quote,
            status=status,
            original=" ".join(t.disp for t in toks),
            pages=pages,
            doc_id=doc_id,
            page_names=tuple(map(self._namer(doc_id), pages)),
            diff=self._diff(q, match),
            reason=reason,
            citation=self._citation(doc_id, pages),
            score=1.0 if status == "exact" else round(min(match.ratio, 0.99), 3),
            changes=changes,
        )

    def _namer(self, doc_id: str) -> Callable[[int], str]:
        """A page number of ``doc_id`` -> its printed name ("17", "iii")."""
        return lambda number: self._names.get((doc_id, number), str(number))

    def _not_found(self, quote: str, q: Quote, nearest: _Match | None) -> QuoteVerdict:
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
            namer = self._namer(self._doc_ids[self._doc_of[nearest.start]])
            reason += f" Meest gelijkende passage: {pages_label(pages, namer)} ({round(nearest.ratio * 100)}% overeenkomst)."
        elif nearest is not None:
            score = round(nearest.ratio, 3)
        return QuoteVerdict(
            quote=quote, status="not_found", original="", pages=(), doc_id="", reason=reason, score=score
        )

    def _diff(self, q: Quote, match: _Match) -> tuple[DiffOp, ...]:
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
