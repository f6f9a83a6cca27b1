"""Glyph repair: put the lost ligatures back into words, guided by which reading is a word.

Two readers share the glyph tables of :mod:`rekenqa.artefacts.glyphs`:

- :func:`repair_glyphs` scores the candidates of a token with a Dutch :class:`WordScorer` (wordfreq's list,
  compounds, the corpus's clean words) and penalties for kept glyphs; it repairs the report's pages.
- :func:`repair_to_known` takes the candidate that is the most frequent word of a given word count (the
  report's own words); it repairs pasted quotes, where the report is the only dictionary that matters, and
  through :func:`repair_pasted_words` pasted claims and speeches before their numbers are read.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from itertools import combinations, product
from typing import Literal, Protocol

from rekenqa.artefacts import glyphs as g
from rekenqa.artefacts.glyphs import FOOTNOTE, LETTER, LOST_LIGATURES, GlyphSet
from rekenqa.artefacts.markers import SUPERSCRIPT_DIGITS
from rekenqa.artefacts.urls import TLD, URL_LIKE, URL_TOKEN, inside, url_matches, url_spans
from rekenqa.artefacts.weights import RepairWeights

RepairKey = tuple[str, int, bool, bool]


class WordScorer(Protocol):
    """What glyph repair asks of a vocabulary (:class:`rekenqa.repair.Vocabulary`)."""

    @property
    def weights(self) -> RepairWeights: ...

    @property
    def corpus(self) -> Collection[str]: ...  # the corpus's clean words

    @property
    def url_words(self) -> Collection[str]: ...  # words of the clean link annotations

    @property
    def hyphenated(self) -> Collection[str]: ...  # hyphenated forms that stand in the document ("zee-egel")

    @property
    def repair_cache(self) -> dict[RepairKey, str]: ...  # remembered token repairs

    def score(self, word: str) -> float: ...  # how Dutch a word looks

    def zipf(self, word: str) -> float: ...  # wordfreq's Zipf frequency

    def known(self, word: str) -> bool: ...  # score() reaches weights.known


_PART_SPLIT = re.compile(r"[^\w]|\d|_")
_NONSPACE = re.compile(r"\S*")


def token_score(token: str, vocab: WordScorer) -> float:
    """Score a token that may keep glyph punctuation: the weakest of its parts."""
    if token.isalpha():
        return vocab.score(token)
    parts = [p for p in _PART_SPLIT.split(token) if p]
    if not parts:
        return 0.0
    if len(parts) == 1:
        return vocab.score(parts[0])
    scores = []
    for part in parts:
        if len(part) <= 3:
            short = part.lower() in g.SHORT_WORDS or part.isupper()
            scores.append(vocab.weights.short_part_score if short else 0.0)
        else:
            scores.append(vocab.score(part))
    return min(scores)


def is_upper_word(token: str) -> bool:
    """Whether ``token`` has two or more letters, all capitals (an acronym keeps its glyph-like letters)."""
    letters = [c for c in token if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)


def looks_broken(word: str) -> bool:
    """A word with a glyph that is never a real letter there (inner capital, q without u)."""
    if g.ACRONYM.fullmatch(word):
        return False
    if re.search(r"[a-zà-ÿ][A-Z]", word) and not word.isupper():
        return True
    if re.search(r"q(?!u)", word):
        return True
    return g.REPLACEMENT_CHAR in word


@dataclass(frozen=True, slots=True)
class _Slot:
    index: int
    options: tuple[str, ...]  # replacements; the glyph itself is always an option
    kind: Literal["certain", "ambiguous", "initial"]


def _slots(token: str, gs: GlyphSet, closes_paren: bool) -> list[_Slot]:
    slots: list[_Slot] = []
    for i, ch in enumerate(token):
        options = gs.glyphs.get(ch)
        if options is None:
            continue
        if ch in g.UPPER_GLYPHS:
            nxt_lower = i + 1 < len(token) and token[i + 1].islower()
            if i > 0 and (any(c.islower() for c in token[:i]) or nxt_lower):
                slots.append(_Slot(i, options, "certain"))
            elif i == 0 and nxt_lower:
                slots.append(_Slot(i, options, "initial"))
        elif i == 0:
            slots.append(_Slot(i, options, "certain"))  # a leading "/" (/jdelijk, /en jaar)
        elif ch == "(":
            if not closes_paren and 0 < i < len(token) - 1:
                slots.append(_Slot(i, options, "ambiguous"))
        elif not (token[i - 1 : i].islower() or token[i + 1 : i + 2].islower()):
            continue  # EU/EFTA, B&W: real punctuation between capitals
        elif ch in g.CERTAIN_GLYPHS:
            slots.append(_Slot(i, options, "certain"))
        else:
            slots.append(_Slot(i, options, "ambiguous"))
    return slots


def _apply(token: str, choice: Mapping[int, str]) -> str:
    return "".join(choice.get(i, ch) for i, ch in enumerate(token))


def best_weak(token: str, gs: GlyphSet, vocab: WordScorer, min_score: float | None = None) -> str | None:
    """Best repair through glyphs that are real letters too (n, s, q, x, dropped f); None if none fits."""
    w = vocab.weights
    floor = w.weak_min if min_score is None else min_score
    base = token_score(token, vocab)
    edits: list[tuple[int, str]] = []
    for i, ch in enumerate(token):
        for rep in gs.weak.get(ch, ()):
            edits.append((i, rep))
        if gs.insert_f_before_h and ch == "h" and 0 < i and token[i - 1] in "aeiou":
            edits.append((i, "fh"))
    if not edits or len(edits) > 10:
        return None
    best: tuple[float, str] | None = None
    for size in (1, 2):
        for combo in combinations(edits, size):
            if len({i for i, _ in combo}) < size:
                continue
            cand = _apply(token, dict(combo))
            s = token_score(cand, vocab)
            if s >= floor and s >= base + w.weak_gain and (best is None or s > best[0]):
                best = (s, cand)
        if best is not None:
            break
    return best[1] if best else None


def _initial_penalty(token: str, slots: list[_Slot], vocab: WordScorer, mid: bool) -> float:
    """A capital glyph that starts a real word ("Den", "Me") is only a ligature in mid-sentence."""
    if mid and len(slots) == 1 and slots[0].kind == "initial" and vocab.known(token):
        initial_word = _apply(token, {0: slots[0].options[0]})
        if vocab.score(initial_word) >= vocab.weights.initial_word_score:
            return vocab.weights.initial_penalty
    return 0.0


def _best_choice(token: str, slots: list[_Slot], vocab: WordScorer, initial_penalty: float) -> str:
    """The best-scoring choice of replacements for the glyph slots of ``token``."""
    w = vocab.weights
    option_lists: list[tuple[str | None, ...]] = [(None, *slot.options) for slot in slots]
    total = 1
    for opts in option_lists:
        total *= len(opts)
    if total > w.max_combos:
        option_lists = [(None, slot.options[0]) for slot in slots]
    result = token
    best_key: tuple[float, int, float, int] | None = None
    for picks in product(*option_lists):
        choice: dict[int, str] = {}
        penalty = 0.0
        kept_certain = 0
        substituted = 0
        for slot, pick in zip(slots, picks, strict=True):
            if pick is None:
                if slot.kind == "certain":
                    penalty += w.keep_penalty
                    kept_certain += 1
                elif slot.kind == "initial":
                    penalty += initial_penalty
            else:
                choice[slot.index] = pick
                substituted += 1
        cand = _apply(token, choice)
        s = token_score(cand, vocab) - penalty
        key = (s, -kept_certain, vocab.zipf(cand), -substituted)
        if best_key is None or key > best_key:
            best_key = key
            result = cand
    assert best_key is not None
    if best_key[0] < w.no_reading:
        # No Dutch reading: replace what is certainly a glyph, keep what may be real punctuation.
        result = _apply(token, {s.index: s.options[0] for s in slots if s.kind == "certain"})
    return result


def repair_glyphs(token: str, vocab: WordScorer, gs: GlyphSet, mid: bool, closes_paren: bool) -> str:
    """Repair the ligature glyphs of one token (``mid``: it stands in mid-sentence before a lowercase word)."""
    if is_upper_word(token) or g.ACRONYM.fullmatch(token):
        return token
    slots = _slots(token, gs, closes_paren)
    result = token
    if slots:
        result = _best_choice(token, slots, vocab, _initial_penalty(token, slots, vocab, mid))
    w = vocab.weights
    if token_score(result, vocab) < w.known:
        weak = best_weak(
            result, gs, vocab, min_score=w.weak_min_capital if result[:1].isupper() else w.weak_min
        )
        if weak is not None:
            result = weak
    return result


def repair_glyphs_cached(token: str, vocab: WordScorer, gs: GlyphSet, mid: bool, closes_paren: bool) -> str:
    """:func:`repair_glyphs`, remembered in the vocabulary's cache."""
    cache = vocab.repair_cache
    key = (token, id(gs), mid, closes_paren)
    hit = cache.get(key)
    if hit is None:
        hit = repair_glyphs(token, vocab, gs, mid, closes_paren)
        cache[key] = hit
    return hit


def repair_token(
    token: str,
    vocab: WordScorer,
    region: str = "body",
    *,
    mid_sentence: bool = False,
    next_capital: bool = False,
    closes_paren: bool = False,
) -> str:
    """Repair the ligature glyphs of one token; tokens that are not broken come back unchanged."""
    gs = LOST_LIGATURES.glyph_set(region)
    return repair_glyphs_cached(token, vocab, gs, mid_sentence and not next_capital, closes_paren)


def repair_words(text: str, vocab: WordScorer, region: str) -> str:
    """Repair every token of ``text`` (URLs excluded) with its sentence context."""
    gs = LOST_LIGATURES.glyph_set(region)
    spans = url_spans(text)
    out: list[str] = []
    pos = 0
    for m in gs.token.finditer(text):
        start, end = m.span()
        if spans and inside(spans, start, end):
            continue
        token = m.group(0)
        k = start - 1
        while k >= 0 and text[k].isspace():
            k -= 1
        prev = text[k] if k >= 0 else ""
        mid = bool(prev) and (prev.isalnum() or prev in ",;)%’”" or prev in SUPERSCRIPT_DIGITS)
        k = end
        while k < len(text) and text[k] == " ":
            k += 1
        next_capital = k < len(text) and text[k].isupper()
        tail = _NONSPACE.match(text, end)
        closes_paren = ")" in token or (tail is not None and ")" in tail.group(0))
        fixed = repair_glyphs_cached(token, vocab, gs, mid and not next_capital, closes_paren)
        if fixed != token:
            out.append(text[pos:start])
            out.append(fixed)
            pos = end
    out.append(text[pos:])
    return "".join(out)


# --------------------------------------------------------------------------------------------------
# URLs of the footnote font
# --------------------------------------------------------------------------------------------------


def _decide_url_joins(core: str, joins: Sequence[int], vocab: WordScorer) -> str:
    """Drop each line-break hyphen of a URL where the joined word is a word."""
    out = []
    last = 0
    for pos in joins:
        if pos > 0 and core[pos - 1] == "-":
            left = re.search(f"{LETTER}+$", core[: pos - 1])
            right = URL_TOKEN.match(core, pos)
            if left and right:
                word = repair_glyphs(left.group(0) + right.group(0), vocab, FOOTNOTE, False, False)
                word = word.split("/")[0]
                known = word.lower() in vocab.corpus or word.lower() in vocab.url_words
                if vocab.zipf(word) >= vocab.weights.url_word_zipf or known:
                    out.append(core[last : pos - 1])
                    last = pos
    out.append(core[last:])
    return "".join(out)


def repair_url(
    url: str, joins: Sequence[int], vocab: WordScorer, annotations: Sequence[str], ligatures: bool = True
) -> str:
    """Repair a footnote URL: match it to a clean link annotation, else fix the scheme and clear words."""
    for candidate in annotations:
        if url_matches(url, joins, candidate):
            return candidate
    core = _decide_url_joins(url, joins, vocab)
    core = re.sub(r"^hqp(s?)://", r"http\1://", core)
    if not ligatures:
        return core
    # a "/" before the host name has ended is a ligature (www.arbeidsmigra/eingoedebanen.nl)
    while True:
        host = re.match(r"(https?://)?([^/\s]*)/", core)
        if host is None or TLD.search(host.group(2)) or not re.search(f"{LETTER}$", host.group(2)):
            break
        core = core[: host.end() - 1] + "ti" + core[host.end() :]

    def fix(m: re.Match[str]) -> str:
        return repair_glyphs_cached(m.group(0), vocab, FOOTNOTE, False, False)

    scheme = re.match(r"https?://", core)
    head = scheme.group(0) if scheme else ""
    return head + URL_TOKEN.sub(fix, core[len(head) :])


# --------------------------------------------------------------------------------------------------
# Against a word count (pasted quotes)
# --------------------------------------------------------------------------------------------------


def _strong_positions(word: str, initial: bool) -> list[int]:
    """Positions of ``word`` that may be a strong glyph (``initial``: a glyph may start the word)."""
    n = len(word)
    out = []
    for i, ch in enumerate(word):
        if ch not in g.QUOTE_STRONG_GLYPHS:
            continue
        if ch in g.UPPER_GLYPHS:
            ok = (i > 0 and word[i - 1].islower()) or (i == 0 and n > 1 and word[1].islower())
        else:
            ok = 0 < i < n - 1 or ch == "\ufffd" or (initial and i == 0)
        if ok:
            out.append(i)
    return out


@dataclass(slots=True)
class _Search:
    """The best candidate so far of :func:`repair_to_known` and the candidates it may still try."""

    count: Callable[[str], int]
    budget: int = g.QUOTE_MAX_COMBOS
    best: tuple[int, int, str] | None = None  # (count, -changes, word)

    def consider(self, candidate: str, changes: int) -> None:
        self.budget -= 1
        count = self.count(candidate)
        if count and (self.best is None or (count, -changes) > self.best[:2]):
            self.best = (count, -changes, candidate)

    def per_char(self, word: str, positions: list[int], options: tuple[str, ...], base_changes: int) -> None:
        """One ligature per glyph character (every "D" of the word the same)."""
        chars = sorted({word[i] for i in positions})
        if len(chars) > 2:
            options = g.QUOTE_PRIMARY_OPTIONS
            chars = chars[:3]
        for choice in product(*[(None, *options) for _ in chars]):
            if self.budget <= 0:
                return
            if all(c is None for c in choice) and not base_changes:
                continue
            mapping = dict(zip(chars, choice, strict=True))
            out = [(mapping.get(ch) or ch) if i in positions else ch for i, ch in enumerate(word)]
            self.consider("".join(out), base_changes + sum(c is not None for c in choice))

    def per_position(self, word: str, positions: list[int]) -> None:
        """One ligature per glyph position: a glyph character that is also real ("/" in "en/of")."""
        for choice in product(*[(None, *g.QUOTE_PRIMARY_OPTIONS)] * len(positions)):
            if self.budget <= 0:
                break
            if all(c is None for c in choice):
                continue
            out = list(word)
            for i, c in zip(positions, choice, strict=True):
                if c is not None:
                    out[i] = c
            self.consider("".join(out), sum(c is not None for c in choice))

    def weak(self, word: str, strong: list[int], initial: bool) -> None:
        """Weak glyphs (real letters too), one at a time, combined with the strong glyphs."""
        for i, ch in enumerate(word):
            if self.budget <= 0:
                break
            if i == 0 or ch not in g.QUOTE_WEAK_GLYPHS:
                continue
            for r in g.QUOTE_WEAK_GLYPHS[ch]:
                if ch == "h" and word[i - 1] == "f":
                    continue
                candidate = word[:i] + r + word[i + 1 :]
                if strong:
                    self.per_char(
                        candidate, _strong_positions(candidate, initial), g.QUOTE_PRIMARY_OPTIONS, 1
                    )
                else:
                    self.consider(candidate, 1)


def repair_to_known(core: str, count: Callable[[str], int], initial: bool = False) -> str | None:
    """Replace broken ligature glyphs in ``core`` so that it becomes a known word; None if none fits.

    ``count(candidate)`` says how often a candidate stands in the reference text (0: not a word there).
    Strong glyphs (an inner capital, 7, &, ', /, (, ...) are tried with every ligature, one choice per glyph
    character; then each glyph on its own; then weak glyphs that are real letters too (n = tti, s = fk,
    x/h = fh, q = tt), one at a time and combined with the strong glyphs. The most frequent candidate wins.
    """
    search = _Search(count)
    strong = _strong_positions(core, initial)
    if strong:
        search.per_char(core, strong, g.QUOTE_GLYPH_OPTIONS, 0)
        if search.best is None and 1 < len(strong) <= 4:
            search.per_position(core, strong)
    if search.best is None:
        search.weak(core, strong, initial)
    return search.best[2] if search.best else None


_NONSPACE_CHUNK = re.compile(r"\S+")
_PASTED_WORD = re.compile(r"(\W*)(.*?)(\W*)", re.DOTALL)  # (leading punctuation, core, trailing punctuation)


def repair_pasted_words(text: str, count: Callable[[str], int]) -> str:
    """Repair the glyphs of the unknown words of pasted text against a word count ("helM" -> "helft").

    Only words with a strong glyph are tried (:func:`repair_to_known`, no weak glyphs), and chunks with a
    digit or a URL are left alone: a word typed clean stays as it was, and numbers are never rewritten.
    """

    def fix(m: re.Match[str]) -> str:
        chunk = m.group(0)
        if URL_LIKE.search(chunk) or any(ch.isdigit() for ch in chunk):
            return chunk
        word = _PASTED_WORD.fullmatch(chunk)
        assert word is not None  # the pattern matches every string
        lead, core, trail = word.groups()
        if not core or not _strong_positions(core, False) or count(core):  # count last: it may build a vocabulary
            return chunk
        fixed = repair_to_known(core, count)
        return chunk if fixed is None else lead + fixed + trail

    return _NONSPACE_CHUNK.sub(fix, text)
