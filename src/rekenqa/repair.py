"""Repair the PDF text export of the report: ligatures, hyphenation, footnote markers and URL lines.

The export lost its ligature glyphs; each font substitutes something else (body ``D`` = ti, ``M`` = ft,
``P`` = tt, ``n`` = tti, ``s`` = fk, a dropped ``f`` before ``h``; headings ``7``/``'``; captions ``&``;
bullets and tables ``(``/``.``; footnotes ``/`` = ti, ``U`` = ft, ``q`` = tt, ``x`` = fh; ``�`` for several).
A glyph is only replaced where the result is a Dutch word: the candidates of a token are scored with a
:class:`Vocabulary` (wordfreq's Dutch list, compounds of known parts, the corpus's own clean words).

Repaired pages follow a few layout rules that ``structure.py`` relies on:

- lines carry no trailing whitespace; page-number-only lines are dropped;
- a hyphenated word is joined on its first line ("econo-\\nmische" -> "economische\\n");
- footnote markers are Unicode superscripts ("inwoners⁷"), so ``\\d`` never reads them as a number;
- the footnote area is the last block of the page, after one blank line, without blank lines inside; each
  footnote starts with its number and a space; the PDF's repeated link lines are folded into their footnote.
"""

from __future__ import annotations

import logging
import math
import re
from collections import Counter
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import combinations, product

from rekenqa.types import Page

logger = logging.getLogger(__name__)

SUPERSCRIPT_DIGITS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
_TO_SUPERSCRIPT = str.maketrans("0123456789", SUPERSCRIPT_DIGITS)
_FROM_SUPERSCRIPT = str.maketrans(SUPERSCRIPT_DIGITS, "0123456789")

REGIONS = ("body", "heading", "caption", "bullet", "table", "footnote")

KNOWN = 2.0  # score from which a word counts as Dutch
_WEAK_MIN = 2.5  # a weak-glyph repair must reach this score
_CORPUS_SCORE = 3.0
_COMPOUND_SCORE = 2.5
_INFLECTED_SCORE = 2.2
_SUFFIXES = (
    ("heden", ""),
    ("heid", ""),
    ("ieve", "ief"),
    ("ven", "f"),
    ("ve", "f"),
    ("zen", "s"),
    ("en", ""),
    ("ers", ""),
    ("er", ""),
    ("es", ""),
    ("s", ""),
    ("e", ""),
)
_KEEP_PENALTY = 3.0  # keeping an unmistakable glyph (inner capital, 7, &)
_INITIAL_PENALTY = 4.0  # keeping a capital glyph that starts a word in mid-sentence ("Den jaar")
_MAX_COMBOS = 512

_LETTER = r"[^\W\d_\u00b2\u00b3\u00b9\u2070-\u2079]"
_MULTI = ("ti", "tti", "tt", "ft", "fb", "tf", "fi", "fl", "ff", "ffi", "fk", "fh", "fj")
REPLACEMENT_CHAR = "\ufffd"


@dataclass(frozen=True, slots=True)
class _GlyphSet:
    """The ligature substitutes of one group of fonts."""

    glyphs: Mapping[str, tuple[str, ...]]  # tried even when the token looks fine
    weak: Mapping[str, tuple[str, ...]]  # real letters too: tried only on unknown tokens
    insert_f_before_h: bool  # the dropped "fh" ligature (ahankelijk -> afhankelijk)
    token: re.Pattern[str]


def _token_pattern(inner: str, leading: str = "") -> re.Pattern[str]:
    lead = f"(?:(?<![^\\s(‘“'\"])[{leading}](?=[a-zà-ÿ]))?" if leading else ""
    return re.compile(f"{lead}{_LETTER}+(?:[{inner}]+{_LETTER}+)*")


_BODY = _GlyphSet(
    glyphs={
        "D": ("ti",),
        "M": ("ft",),
        "P": ("tt",),
        "X": ("tt",),
        "7": ("ti", "tti"),
        "'": ("ti", "tti"),
        "&": ("ti", "tti"),
        "(": ("ti", "tti"),
        ".": ("ti", "tti"),
        REPLACEMENT_CHAR: _MULTI,
    },
    weak={"n": ("tti",), "s": ("fk",)},
    insert_f_before_h=True,
    token=_token_pattern("7'&(.\ufffd"),
)
_FOOTNOTE = _GlyphSet(
    glyphs={"/": ("ti", "tti"), "U": ("ft",), REPLACEMENT_CHAR: _MULTI},
    weak={"q": ("tt",), "x": ("fh",)},
    insert_f_before_h=False,
    token=_token_pattern("/\ufffd", leading="/"),
)
_UPPER_GLYPHS = frozenset("DMPXU")
_CERTAIN_GLYPHS = frozenset("7&")  # always a ligature between letters
_SHORT_WORDS = frozenset(
    "s t n r en of de het in op te na om is zo al nu er ze we je u ik zij hij bij via wo hbo mbo ex co nl "
    "rol tot hem wet ict aan met van dat die wie wat één een".split()
)
_TREMA = {"a": "ä", "e": "ë", "i": "ï", "o": "ö", "u": "ü"}
_VOWEL_CLASHES = frozenset("aa ae ai au ee ei eu ie ii oe oi oo ou ui uu".split())
_SUSPENDED = frozenset({"en", "of", "tot", "en/of"})
_ACRONYM = re.compile(r"[A-Z][a-z]{1,2}[A-Z]")  # AenM, JenV: not a glyph

_URL_TOKEN = re.compile(
    f"(?:(?<=[-_=])/(?=[a-zà-ÿ]))?{_LETTER}+(?:[/\ufffd]+{_LETTER}+)*"
)  # richtlijn-/jdelijke
_TLD = re.compile(r"\.(?:nl|com|org|net|eu|be|de|int|gov|info|io|uk|fr)(?::\d+)?$")
URL_RE = re.compile(r"(?:hqps?|https?)://[^\s]+|www\.[^\s]+")
ANNOTATION_RE = re.compile(r"^https?://\S+$")
_FOOTNOTE_DEF = re.compile(r"^(\d{1,3})(?!\d)\s*(?=\S)")
_URL_TRAIL = ".,;:)]’”'\""


def superscript(n: int) -> str:
    """Render a footnote number as Unicode superscript digits (7 -> "⁷")."""
    if n < 0:
        raise ValueError("footnote numbers are not negative")
    return str(n).translate(_TO_SUPERSCRIPT)


def parse_superscript(s: str) -> int | None:
    """Read superscript digits back ("⁹⁴" -> 94); None when ``s`` is not only superscript digits."""
    if not s or any(ch not in SUPERSCRIPT_DIGITS for ch in s):
        return None
    return int(s.translate(_FROM_SUPERSCRIPT))


# --------------------------------------------------------------------------------------------------
# Vocabulary
# --------------------------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _wordfreq_table() -> Mapping[str, float]:
    """wordfreq's Dutch word frequencies (loaded once, on first use)."""
    from wordfreq import get_frequency_dict

    return get_frequency_dict("nl", wordlist="best")


@dataclass(slots=True)
class Vocabulary:
    """Dutch words: wordfreq's Dutch list, compounds of known parts and the corpus's clean words."""

    frequencies: Mapping[str, float]
    corpus: Counter[str] = field(default_factory=Counter)
    hyphenated: frozenset[str] = frozenset()
    url_words: frozenset[str] = frozenset()
    _scores: dict[str, float] = field(default_factory=dict, repr=False)
    _zipfs: dict[str, float] = field(default_factory=dict, repr=False)
    _parts: dict[str, bool] = field(default_factory=dict, repr=False)
    _compounds: dict[str, bool] = field(default_factory=dict, repr=False)
    _repairs: dict[tuple[str, int, bool, bool], str] = field(default_factory=dict, repr=False)

    def zipf(self, word: str) -> float:
        """wordfreq's Zipf frequency of ``word`` (0 when unknown)."""
        w = word.lower()
        value = self._zipfs.get(w)
        if value is None:
            freq = self.frequencies.get(w, 0.0)
            value = math.log10(freq) + 9.0 if freq > 0 else 0.0
            self._zipfs[w] = value
        return value

    def score(self, word: str) -> float:
        """How Dutch ``word`` looks: Zipf frequency, raised for clean corpus words and known compounds."""
        w = word.lower()
        cached = self._scores.get(w)
        if cached is not None:
            return cached
        value = self.zipf(w)
        if w in self.corpus:
            value = max(value, _CORPUS_SCORE)
        if value < _COMPOUND_SCORE and self.is_compound(w):
            value = _COMPOUND_SCORE
        if value < _INFLECTED_SCORE and self._inflected(w):
            value = _INFLECTED_SCORE
        self._scores[w] = value
        return value

    def _inflected(self, w: str) -> bool:
        """Whether ``w`` is a known word with a Dutch inflection or derivation suffix."""
        for suffix, replacement in _SUFFIXES:
            if len(w) - len(suffix) < 4 or not w.endswith(suffix):
                continue
            stem = w[: len(w) - len(suffix)] + replacement
            if self.zipf(stem) >= 2.3 or stem in self.corpus or self.is_compound(stem):
                return True
        return False

    def known(self, word: str) -> bool:
        """Whether ``word`` is Dutch as far as this vocabulary knows."""
        return self.score(word) >= KNOWN

    def is_compound(self, word: str) -> bool:
        """Whether ``word`` splits into known parts, with the Dutch linking s/e/en between them."""
        w = word.lower()
        if len(w) < 7 or not w.isalpha():
            return False
        cached = self._compounds.get(w)
        if cached is None:
            cached = self._split(w, 0, 0)
            self._compounds[w] = cached
        return cached

    def _part_ok(self, part: str) -> bool:
        ok = self._parts.get(part)
        if ok is None:
            z = self.zipf(part) if len(part) >= 3 else 0.0
            ok = z >= (4.5 if len(part) == 3 else 3.5 if len(part) == 4 else 3.0) or (
                len(part) >= 5 and part in self.corpus
            )
            self._parts[part] = ok
        return ok

    def _split(self, w: str, start: int, parts: int) -> bool:
        n = len(w)
        for end in range(n, start + 2, -1):
            part = w[start:end]
            if not self._part_ok(part):
                continue
            if end == n:
                if parts >= 1:
                    return True
                continue
            if parts >= 3:
                continue
            for link in ("", "s", "e", "en"):
                nxt = end + len(link)
                if w.startswith(link, end) and nxt < n - 2 and self._split(w, nxt, parts + 1):
                    return True
        return False


def build_vocabulary(pages: Sequence[Page]) -> Vocabulary:
    """Build the vocabulary from wordfreq's Dutch data and the clean words of ``pages``."""
    vocab = Vocabulary(frequencies=_wordfreq_table())
    corpus: Counter[str] = Counter()
    hyphenated: set[str] = set()
    capitalised: dict[str, str] = {}
    url_words: set[str] = set()
    chunk_re = re.compile(r"\S+")
    clean_word = re.compile(f"{_LETTER}+(?:-{_LETTER}+)*")
    for page in pages:
        previous_hyphen = False
        for line in page.text.split("\n"):
            if ANNOTATION_RE.match(line):
                url_words.update(w.lower() for w in re.findall(f"{_LETTER}{{3,}}", line))
            chunks = [m.group(0) for m in chunk_re.finditer(line)]
            for i, chunk in enumerate(chunks):
                if i == 0 and previous_hyphen:
                    continue  # second half of a hyphenated word
                if chunk.endswith("-") or "://" in chunk or "www." in chunk:
                    continue
                core = chunk.strip("()[]{}.,;:!?‘’“”'\"•●%")
                if not clean_word.fullmatch(core) or _looks_broken(core):
                    continue
                lowered = core.lower()
                if core[:1] in "DMP" and "-" not in core:
                    capitalised[lowered] = core
                if "-" in lowered:
                    hyphenated.add(lowered)
                for part in lowered.split("-"):
                    if len(part) >= 2:
                        corpus[part] += 1
            previous_hyphen = line.rstrip().endswith("-")
    # A token that only looks clean because its glyph is a real letter (onderschanng, nung) stays out.
    plain = Vocabulary(frequencies=vocab.frequencies)
    for word in list(corpus):
        if plain.zipf(word) >= KNOWN:
            continue
        best = _best_weak(word, _BODY, plain) or _best_weak(word, _FOOTNOTE, plain)
        if best is None and word in capitalised and word[:1] in "dmp":
            glyph = _repair_token(capitalised[word], plain, _BODY, False, False)
            if glyph != capitalised[word] and plain.score(glyph) >= KNOWN:
                best = glyph
        if best is not None:
            del corpus[word]
    vocab.corpus = corpus
    vocab.hyphenated = frozenset(hyphenated)
    vocab.url_words = frozenset(url_words)
    logger.debug("vocabulary: %d corpus words, %d hyphenated forms", len(corpus), len(hyphenated))
    return vocab


def _looks_broken(word: str) -> bool:
    """A word with a glyph that is never a real letter there (inner capital, q without u)."""
    if _ACRONYM.fullmatch(word):
        return False
    if re.search(r"[a-zà-ÿ][A-Z]", word) and not word.isupper():
        return True
    if re.search(r"q(?!u)", word):
        return True
    return REPLACEMENT_CHAR in word


# --------------------------------------------------------------------------------------------------
# Token repair
# --------------------------------------------------------------------------------------------------


def _glyph_set(region: str) -> _GlyphSet:
    if region not in REGIONS:
        raise ValueError(f"unknown region {region!r}; expected one of {', '.join(REGIONS)}")
    return _FOOTNOTE if region == "footnote" else _BODY


_PART_SPLIT = re.compile(r"[^\w]|\d|_")
_NONSPACE = re.compile(r"\S*")


def _token_score(token: str, vocab: Vocabulary) -> float:
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
            scores.append(5.0 if part.lower() in _SHORT_WORDS or part.isupper() else 0.0)
        else:
            scores.append(vocab.score(part))
    return min(scores)


def _is_upper_word(token: str) -> bool:
    letters = [c for c in token if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)


@dataclass(frozen=True, slots=True)
class _Slot:
    index: int
    options: tuple[str, ...]  # replacements; the glyph itself is always an option
    kind: str  # "certain" | "ambiguous" | "initial"


def _slots(token: str, gs: _GlyphSet, closes_paren: bool) -> list[_Slot]:
    slots: list[_Slot] = []
    for i, ch in enumerate(token):
        options = gs.glyphs.get(ch)
        if options is None:
            continue
        if ch in _UPPER_GLYPHS:
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
        elif ch in _CERTAIN_GLYPHS:
            slots.append(_Slot(i, options, "certain"))
        else:
            slots.append(_Slot(i, options, "ambiguous"))
    return slots


def _apply(token: str, choice: dict[int, str]) -> str:
    return "".join(choice.get(i, ch) for i, ch in enumerate(token))


def _best_weak(token: str, gs: _GlyphSet, vocab: Vocabulary, min_score: float = _WEAK_MIN) -> str | None:
    """Best repair through glyphs that are real letters too (n, s, q, x, dropped f); None if none fits."""
    base = _token_score(token, vocab)
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
            s = _token_score(cand, vocab)
            if s >= min_score and s >= base + 1.0 and (best is None or s > best[0]):
                best = (s, cand)
        if best is not None:
            break
    return best[1] if best else None


def repair_token(
    token: str,
    vocab: Vocabulary,
    region: str = "body",
    *,
    mid_sentence: bool = False,
    next_capital: bool = False,
    closes_paren: bool = False,
) -> str:
    """Repair the ligature glyphs of one token; tokens that are not broken come back unchanged."""
    gs = _glyph_set(region)
    return _repair_token_cached(token, vocab, gs, mid_sentence and not next_capital, closes_paren)


def _repair_token_cached(token: str, vocab: Vocabulary, gs: _GlyphSet, mid: bool, closes_paren: bool) -> str:
    cache = vocab._repairs
    key = (token, id(gs), mid, closes_paren)
    hit = cache.get(key)
    if hit is None:
        hit = _repair_token(token, vocab, gs, mid, closes_paren)
        cache[key] = hit
    return hit


def _repair_token(token: str, vocab: Vocabulary, gs: _GlyphSet, mid: bool, closes_paren: bool) -> str:
    if _is_upper_word(token) or _ACRONYM.fullmatch(token):
        return token
    slots = _slots(token, gs, closes_paren)
    result = token
    # a capital glyph that starts a real word ("Den", "Me") is only a ligature in mid-sentence
    initial_penalty = 0.0
    if mid and len(slots) == 1 and slots[0].kind == "initial" and vocab.known(token):
        initial_word = _apply(token, {0: slots[0].options[0]})
        if vocab.score(initial_word) >= 3.0:
            initial_penalty = _INITIAL_PENALTY
    if slots:
        option_lists = [(None, *slot.options) for slot in slots]
        total = 1
        for opts in option_lists:
            total *= len(opts)
        if total > _MAX_COMBOS:
            option_lists = [(None, slot.options[0]) for slot in slots]
        best_key: tuple[float, int, float, int] | None = None
        for picks in product(*option_lists):
            choice: dict[int, str] = {}
            penalty = 0.0
            kept_certain = 0
            substituted = 0
            for slot, pick in zip(slots, picks, strict=True):
                if pick is None:
                    if slot.kind == "certain":
                        penalty += _KEEP_PENALTY
                        kept_certain += 1
                    elif slot.kind == "initial":
                        penalty += initial_penalty
                else:
                    choice[slot.index] = pick
                    substituted += 1
            cand = _apply(token, choice)
            s = _token_score(cand, vocab) - penalty
            key = (s, -kept_certain, vocab.zipf(cand), -substituted)
            if best_key is None or key > best_key:
                best_key = key
                result = cand
        assert best_key is not None
        if best_key[0] < 1.5:
            # No Dutch reading: replace what is certainly a glyph, keep what may be real punctuation.
            fallback = {s.index: s.options[0] for s in slots if s.kind == "certain"}
            result = _apply(token, fallback)
    if _token_score(result, vocab) < KNOWN:
        weak = _best_weak(result, gs, vocab, min_score=3.0 if result[:1].isupper() else _WEAK_MIN)
        if weak is not None:
            result = weak
    return result


# --------------------------------------------------------------------------------------------------
# Text repair
# --------------------------------------------------------------------------------------------------


def _url_spans(text: str) -> list[tuple[int, int]]:
    spans = []
    for m in URL_RE.finditer(text):
        end = m.end()
        while end > m.start() and text[end - 1] in _URL_TRAIL:
            end -= 1
        spans.append((m.start(), end))
    return spans


def _inside(spans: Sequence[tuple[int, int]], start: int, end: int) -> bool:
    return any(a <= start and end <= b for a, b in spans)


def _repair_words(text: str, vocab: Vocabulary, region: str) -> str:
    """Repair every token of ``text`` (URLs excluded) with its sentence context."""
    gs = _glyph_set(region)
    spans = _url_spans(text)
    out: list[str] = []
    pos = 0
    for m in gs.token.finditer(text):
        start, end = m.span()
        if spans and _inside(spans, start, end):
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
        fixed = _repair_token_cached(token, vocab, gs, mid and not next_capital, closes_paren)
        if fixed != token:
            out.append(text[pos:start])
            out.append(fixed)
            pos = end
    out.append(text[pos:])
    return "".join(out)


def _last_token(chunk: str, gs: _GlyphSet) -> re.Match[str] | None:
    last = None
    for m in gs.token.finditer(chunk):
        last = m
    return last if last is not None and last.end() == len(chunk) else None


def _join_decision(left_chunk: str, right_chunk: str, vocab: Vocabulary, gs: _GlyphSet) -> str | None:
    """How a line-end hyphen joins: "drop" (hyphenation), "keep" (real hyphen), "trema" (hyphenation
    that lost its trema: Oekra-iense) or None (leave the break: "wet- en regelgeving")."""
    if not left_chunk or not right_chunk:
        return None
    if left_chunk[-1].isdigit():
        return "keep" if right_chunk[0].isalnum() else None
    first = gs.token.match(right_chunk)
    right = first.group(0) if first else ""
    if not right:
        # a right half that starts with a glyph: ".ng", "/e.nl"
        glyph_start = re.match(f"[{re.escape(''.join(gs.glyphs))}]{_LETTER}+", right_chunk)
        if glyph_start is None:
            return None
        right = glyph_start.group(0)
    if right.lower() in _SUSPENDED and right_chunk.rstrip(",.;:") == right:
        return None
    left_m = _last_token(left_chunk, gs)
    if left_m is None:
        return "keep" if left_chunk[-1] in ")]" and right[0].isalpha() else None
    left = left_m.group(0)
    if _is_upper_word(left) or (len(left) == 1 and left.isupper()):
        return "keep"
    if right[0].isupper():
        if right[0] in gs.glyphs and len(right) > 1 and right[1].islower() and left[-1:].islower():
            joined = _repair_token(left + right, vocab, gs, False, False)
            substituted = joined[len(left)] != right[0]
            if substituted and (vocab.known(joined) or len(right) < 3 or not vocab.known(right)):
                return "drop"
        return "keep"
    joined = _repair_token(left + right, vocab, gs, False, False)
    left_fixed = _repair_token(left, vocab, gs, False, False)
    right_fixed = _repair_token(right, vocab, gs, False, False)
    if f"{left_fixed}-{right_fixed}".lower() in vocab.hyphenated and joined.lower() not in vocab.corpus:
        return "keep"
    clash = (left_fixed[-1:] + right_fixed[:1]).lower()
    if clash in _VOWEL_CLASHES and vocab.zipf(joined) < KNOWN:
        # Dutch drops the trema at a line break (Oekra-iense) and keeps a hyphen between clashing vowels
        # (re-integratie, zee-egel)
        trema = (
            joined[: len(left_fixed)]
            + _TREMA.get(joined[len(left_fixed)], "")
            + joined[len(left_fixed) + 1 :]
        )
        if len(trema) == len(joined) and vocab.known(trema):
            return "trema"
        return "keep"
    if _token_score(joined, vocab) >= KNOWN:
        return "drop"
    if (
        len(left_fixed) >= 3
        and len(right_fixed) >= 3
        and vocab.zipf(left_fixed) >= 3.0
        and vocab.zipf(right_fixed) >= 3.0
    ):
        return "keep"
    return "drop"


def _join_hyphenation(lines: list[str], vocab: Vocabulary, gs: _GlyphSet) -> list[str]:
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
        decision = _join_decision(m.group(1), right_chunk.group(0), vocab, gs)
        if decision is None:
            i += 1
            continue
        head = line if decision == "keep" else line[:-1]
        moved = right_chunk.group(0)
        if decision == "trema":
            moved = _TREMA[moved[0]] + moved[1:]
        lines[i] = head + moved
        rest = nxt[right_chunk.end() :].lstrip(" ")
        if rest.strip():
            lines[j] = rest
            del lines[i + 1 : j]
        else:
            del lines[i + 1 : j + 1]
        # the moved chunk may itself end in a hyphen: look at the same line again
    return lines


def _repair_url(
    url: str, joins: Sequence[int], vocab: Vocabulary, annotations: Sequence[str], ligatures: bool = True
) -> str:
    """Repair a footnote URL: match it to a clean link annotation, else fix the scheme and clear words."""
    core = url
    for candidate in annotations:
        if _url_matches(core, joins, candidate):
            return candidate
    # no annotation: decide each line-break hyphen, then repair words
    out = []
    last = 0
    for pos in joins:
        if pos > 0 and core[pos - 1] == "-":
            left = re.search(f"{_LETTER}+$", core[: pos - 1])
            right = _URL_TOKEN.match(core, pos)
            if left and right:
                word = _repair_token(left.group(0) + right.group(0), vocab, _FOOTNOTE, False, False)
                word = word.split("/")[0]
                if vocab.zipf(word) >= 2.5 or word.lower() in vocab.corpus or word.lower() in vocab.url_words:
                    out.append(core[last : pos - 1])
                    last = pos
    out.append(core[last:])
    core = "".join(out)
    core = re.sub(r"^hqp(s?)://", r"http\1://", core)
    if not ligatures:
        return core
    # a "/" before the host name has ended is a ligature (www.arbeidsmigra/eingoedebanen.nl)
    while True:
        host = re.match(r"(https?://)?([^/\s]*)/", core)
        if host is None or _TLD.search(host.group(2)) or not re.search(f"{_LETTER}$", host.group(2)):
            break
        core = core[: host.end() - 1] + "ti" + core[host.end() :]

    def fix(m: re.Match[str]) -> str:
        return _repair_token_cached(m.group(0), vocab, _FOOTNOTE, False, False)

    scheme = re.match(r"https?://", core)
    head = scheme.group(0) if scheme else ""
    return head + _URL_TOKEN.sub(fix, core[len(head) :])


def _url_matches(url: str, joins: Sequence[int], annotation: str) -> bool:
    parts: list[str] = []
    body = url
    scheme = re.match(r"hqp(s?)://", body)
    if scheme:
        parts.append(re.escape(f"http{scheme.group(1)}://"))
        body = body[scheme.end() :]
        offset = scheme.end()
    else:
        offset = 0
    join_set = {j - offset for j in joins}
    alternatives = {"/": "(?:/|ti)", "U": "(?:U|ft)", "q": "(?:q|tt)", "x": "(?:x|fh)"}
    for i, ch in enumerate(body):
        if ch == "-" and (i + 1) in join_set:
            parts.append("-?")
        elif ch == REPLACEMENT_CHAR:
            parts.append("(?:" + "|".join(_MULTI) + ")")
        else:
            parts.append(alternatives.get(ch, re.escape(ch)))
    if parts and parts[-1] == "\\#":
        parts[-1] = "\\#?"
    try:
        return re.fullmatch("".join(parts), annotation) is not None
    except re.error:  # pragma: no cover - escaped pattern
        return False


def _join_url_lines(raw: list[str]) -> tuple[list[str], list[tuple[int, int, int, list[int]]]]:
    """Join URLs broken over lines onto their first line.

    A URL that runs to the very end of a line (the export puts a space after a line that ends at a word
    boundary) continues with the first chunk of the next line. Returns the lines and, per URL, (line,
    start, end, offsets of the joins within the URL).
    """
    lines = list(raw)
    found: list[tuple[int, int, int, list[int]]] = []
    next_def = re.compile(r"^\d{1,3}(?:\s|[A-Z])")
    i = 0
    while i < len(lines):
        search_from = 0
        while True:
            line = lines[i]
            m = URL_RE.search(line, search_from)
            if not m:
                break
            start, end = m.span()
            joins: list[int] = []
            while end == len(line) and i + 1 < len(lines) and lines[i + 1].strip():
                nxt = lines[i + 1]
                if next_def.match(nxt):
                    break
                chunk = re.match(r"\S+", nxt)
                if chunk is None:
                    break
                joins.append(end - start)
                line = line + chunk.group(0)
                end = len(line)
                rest = nxt[chunk.end() :]
                if rest.strip():
                    lines[i + 1] = rest.lstrip(" ")
                    break
                del lines[i + 1]
                if rest:
                    break  # that line ended with a space: so does the URL
            lines[i] = line
            while end > start and line[end - 1] in _URL_TRAIL:
                end -= 1
            found.append((i, start, end, joins))
            search_from = end
        i += 1
    return lines, found


def repair_text(
    text: str,
    vocab: Vocabulary,
    region: str = "body",
    *,
    footnotes: Collection[int] | None = None,
    annotations: Sequence[str] = (),
    ligatures: bool = True,
) -> str:
    """Repair a piece of text of one region: hyphenation, ligatures, URLs (footnotes) and, when
    ``footnotes`` names the footnote numbers defined here, footnote markers as superscripts."""
    gs = _glyph_set(region)
    lines = text.split("\n")
    if region == "footnote":
        lines, urls = _join_url_lines(lines)
        fixed_urls: dict[tuple[int, int, int], str] = {}
        for line_no, start, end, joins in urls:
            url = lines[line_no][start:end]
            fixed_urls[(line_no, start, end)] = _repair_url(url, joins, vocab, annotations, ligatures)
        for (line_no, start, end), url in sorted(fixed_urls.items(), reverse=True):
            line = lines[line_no]
            lines[line_no] = line[:start] + url + line[end:]
    lines = _join_hyphenation(lines, vocab, gs)
    repaired = "\n".join(lines)
    if ligatures:
        repaired = _repair_words(repaired, vocab, region)
    if footnotes is not None and region != "footnote":
        repaired, _ = _mark_footnotes(repaired, set(footnotes), set())
    return repaired


# --------------------------------------------------------------------------------------------------
# Footnote markers
# --------------------------------------------------------------------------------------------------

_SUP_CLASS = "[" + SUPERSCRIPT_DIGITS + "]"


def _mark_footnotes(text: str, allowed: set[int], used: set[int]) -> tuple[str, list[int]]:
    """Turn the footnote markers of ``text`` into superscripts; only numbers in ``allowed`` and not in
    ``used`` count (``used`` is updated). Returns the text and the marked numbers in order."""
    marks: list[tuple[int, int, int]] = []  # (start, end, number)
    last_mark_end = -1
    for m in re.finditer(r"\d+", text):
        start, end = m.span()
        run = m.group(0)
        prev = text[start - 1] if start > 0 else ""
        prev2 = text[start - 2] if start > 1 else ""
        nxt = text[end] if end < len(text) else ""
        nxt2 = text[end + 1] if end + 1 < len(text) else ""
        if nxt in ".," and nxt2.isdigit():
            continue  # 18.480, 11,4
        if nxt.isalpha() or (nxt != "" and nxt in "-/%‰°"):
            continue  # 24-weken, 2,5%, 6e
        number_start = start
        if prev == "." and prev2.isdigit() and len(run) != 3 and not nxt.isdigit():
            # "€ 1.425.495.55 Hierbij", "735.00074,": a marker after a number with thousands separators
            if len(run) > 3:
                number_start = start + 3
            number = int(text[number_start:end])
            if (
                number in allowed
                and number not in used
                and re.search(r"\d{1,3}(?:\.\d{3})+\.?$", text[:number_start])
            ):
                used.add(number)
                marks.append((number_start, end, number))
                last_mark_end = end
            continue
        if prev in ".,-/:" and prev2.isdigit():
            continue  # the second half of 18.480, 2019-2025, 6.1
        year = re.fullmatch(r"(?:19|20)\d\d(\d{1,3})", run)
        glued = (
            prev.isalpha()
            or prev in ")]%’”'\"?!"
            or (prev in ".,;:" and prev2 != "" and not prev2.isdigit() and not prev2.isspace())
        )
        if glued:
            if len(run) > 3:
                if year is None or prev.isalpha():
                    continue
                number_start = start + 4
        elif prev == "" or prev.isspace():
            if len(run) > 3:
                if year is None:
                    continue
                number_start = start + 4  # "4 maart 2027100": the marker is glued to the year
            else:
                before = text[:start].rstrip(" ")
                b = before[-1] if before else ""
                after = text[end:].lstrip(" ")
                ends_or_new = not after or after[0] == "\n" or after[0].isupper() or after[0] == "("
                if nxt == "(":
                    pass  # "routes 51(in de praktijk"
                elif b in ".;:)]’”" and ends_or_new:
                    pass  # "personen. 41"
                elif len(before) == last_mark_end and (ends_or_new or after[0] in ".,;:)"):
                    pass  # "personen.⁴² 43", "2027¹⁰⁰ 101."
                else:
                    continue
        else:
            continue
        number = int(text[number_start:end])
        if number not in allowed or number in used:
            continue
        used.add(number)
        marks.append((number_start, end, number))
        last_mark_end = end
    if not marks:
        return text, []
    out = []
    pos = 0
    for start, end, _ in marks:
        out.append(text[pos:start])
        out.append(text[start:end].translate(_TO_SUPERSCRIPT))
        pos = end
    out.append(text[pos:])
    return "".join(out), [n for _, _, n in marks]


# --------------------------------------------------------------------------------------------------
# Pages
# --------------------------------------------------------------------------------------------------


@dataclass(slots=True)
class _RawPage:
    page: Page
    body: list[str]
    notes: list[str]  # footnote area (raw lines)
    annotations: list[str]
    defs: list[int]


def split_footnote_area(lines: Sequence[str], expected: int) -> tuple[int, list[int]]:
    """Find the footnote area of a page: (index of its first line, footnote numbers defined there).

    Footnotes start with the next expected number at the start of a line, in the last block of the page
    (after the last whitespace-only line that holds a space, or after the last blank line in repaired
    text). Lines of that block before the first definition continue the previous page's last footnote.
    Returns (len(lines), []) when the page defines no footnote.
    """
    n = len(lines)
    end = n
    while end > 0 and (not lines[end - 1].strip() or ANNOTATION_RE.match(lines[end - 1])):
        end -= 1
    seps = [i for i in range(end) if lines[i] != "" and not lines[i].strip()]
    if not seps:
        seps = [i for i in range(end) if not lines[i].strip()]
    start = seps[-1] + 1 if seps else 0
    defs: list[int] = []
    first_def = None
    number = expected
    for i in range(start, end):
        m = _FOOTNOTE_DEF.match(lines[i])
        if m and int(m.group(1)) == number:
            if first_def is None:
                first_def = i
            defs.append(number)
            number += 1
    if first_def is None:
        return n, []
    return start, defs


def _split_raw(page: Page, expected: int) -> _RawPage:
    lines = page.text.split("\n")
    if lines and re.fullmatch(r"\s*\d{1,3}\s*", lines[0]) and lines[0].strip() == str(page.number):
        lines = lines[1:]
    annotations: list[str] = []
    end = len(lines)
    while end > 0 and (not lines[end - 1].strip() or ANNOTATION_RE.match(lines[end - 1])):
        end -= 1
        if lines[end].strip():
            annotations.insert(0, lines[end].strip())
    content = lines[:end]
    start, defs = split_footnote_area(content, expected)
    if not defs:
        return _RawPage(page, content, [], annotations, [])
    body = content[:start]
    notes = [line for line in content[start:] if line.strip()]
    return _RawPage(page, body, notes, annotations, defs)


def _overlap(url: str, text: str) -> int:
    """How well a link fits a footnote's prose: shared words, the site's name counting triple."""

    def words(s: str) -> set[str]:
        return {w.rstrip("s") for w in re.split(r"[^a-z0-9]+", _fold(s.lower())) if len(w) >= 3}

    host = re.match(r"https?://(?:www\.)?([^/]+)", url)
    site = words(host.group(1).rsplit(".", 1)[0]) if host else set()
    text_words = words(text)
    shared = (words(url) - {"http", "www", "html", "pdf"}) & text_words
    return len(shared) + 2 * len(site & text_words)


def _fold(text: str) -> str:
    import unicodedata

    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def _repair_notes(raw: _RawPage, vocab: Vocabulary, ligatures: bool = True) -> list[str]:
    """Repair the footnote area of a page and fold the link annotations into their footnotes."""
    if not raw.notes:
        return []
    text = repair_text(
        "\n".join(raw.notes), vocab, "footnote", annotations=raw.annotations, ligatures=ligatures
    )
    lines = [line.rstrip() for line in text.split("\n") if line.strip()]
    numbers = iter(raw.defs)
    expected = next(numbers, None)
    for k, line in enumerate(lines):
        m = _FOOTNOTE_DEF.match(line)
        if expected is not None and m and int(m.group(1)) == expected:
            lines[k] = f"{m.group(1)} {line[m.end() :]}"
            expected = next(numbers, None)
    present = set(_url_spans_text(text))
    pending: list[str] = []
    for url in raw.annotations:
        if url in present or url in pending:
            continue
        pending.append(url)
    if not pending:
        return lines
    # group lines per footnote
    groups: list[tuple[int | None, list[str]]] = []
    numbers = iter(raw.defs)
    nxt = next(numbers, None)
    for line in lines:
        m = _FOOTNOTE_DEF.match(line)
        if nxt is not None and m and int(m.group(1)) == nxt:
            groups.append((nxt, [line]))
            nxt = next(numbers, None)
        elif groups:
            groups[-1][1].append(line)
        else:
            groups.append((None, [line]))
    numbered = [g for g in groups if g[0] is not None]
    if not numbered:
        groups[-1][1].extend(pending)
        return [line for _, group in groups for line in group]
    prose = [URL_RE.sub(" ", " ".join(group)) for _, group in numbered]
    # Link annotations come in the order of the links on the page: the ones found in a footnote anchor
    # the others between them.
    anchors: list[int | None] = []
    for url in raw.annotations:
        anchors.append(next((k for k, (_, group) in enumerate(numbered) if url in "\n".join(group)), None))
    placed: dict[str, int] = {}
    last = 0
    for position, url in enumerate(raw.annotations):
        if anchors[position] is not None:
            last = anchors[position]  # type: ignore[assignment]
            continue
        if url in placed:
            continue
        upper = next((a for a in anchors[position + 1 :] if a is not None), len(numbered) - 1)
        upper = max(upper, last)
        best, best_overlap = last, -1
        for k in range(last, upper + 1):
            ov = _overlap(url, prose[k])
            if ov > best_overlap:
                best, best_overlap = k, ov
        placed[url] = best
        last = best
    for url in pending:
        numbered[placed.get(url, len(numbered) - 1)][1].append(url)
    return [line for _, group in groups for line in group]


def _url_spans_text(text: str) -> list[str]:
    return [text[a:b] for a, b in _url_spans(text)]


def repair_pages(pages: Sequence[Page], vocab: Vocabulary) -> list[Page]:
    """Repair the pages of one document (see the module docstring for the layout of the result)."""
    raws: list[_RawPage] = []
    expected = 1
    for page in pages:
        raw = _split_raw(page, expected)
        if raw.defs:
            expected = raw.defs[-1] + 1
        raws.append(raw)
    _join_across_pages(raws, vocab)
    ligatures = has_broken_ligatures(pages)
    if pages and not ligatures:
        logger.info(
            "%s: no broken ligatures found; only hyphenation and footnotes are repaired", pages[0].doc_id
        )
    used: set[int] = set()
    defined_before = 0
    out: list[Page] = []
    for raw in raws:
        body_lines = _join_hyphenation(raw.body, vocab, _BODY)
        body = "\n".join(body_lines)
        if ligatures:
            body = _repair_words(body, vocab, "body")
        allowed = set(raw.defs)
        allowed.add((raw.defs[-1] if raw.defs else defined_before) + 1)
        body, _ = _mark_footnotes(body, allowed, used)
        if raw.defs:
            defined_before = raw.defs[-1]
        body_out = _tidy(body.split("\n"))
        notes = _repair_notes(raw, vocab, ligatures)
        if notes:
            while body_out and not body_out[-1]:
                body_out.pop()
            text = "\n".join([*body_out, "", *notes])
        else:
            text = "\n".join(body_out)
        out.append(Page(raw.page.doc_id, raw.page.number, text, raw.page.label))
    missing = sorted(set(range(1, defined_before + 1)) - used)
    if missing:
        logger.info("footnotes without a marker in the text: %s", missing)
    return out


def has_broken_ligatures(pages: Sequence[Page]) -> bool:
    """Whether a document shows the lost-ligature glyphs at all (10 or more, and 2 or more per 1000 words).

    A clean document (a PDF with good fonts, a markdown source) keeps its camel-case names untouched.
    """
    words = 0
    artifacts = 0
    for page in pages:
        words += len(page.text.split())
        artifacts += len(find_artifacts(page.text))
    return artifacts >= 10 and artifacts * 1000 >= 2 * words


def _tidy(lines: list[str]) -> list[str]:
    """Strip trailing whitespace, drop leading blank lines and runs of blank lines."""
    out: list[str] = []
    for line in lines:
        line = line.rstrip()
        if not line and (not out or not out[-1]):
            continue
        out.append(line)
    if out and out[0].startswith(" "):
        out[0] = out[0].lstrip(" ")
    while out and not out[-1]:
        out.pop()
    return out


def _join_across_pages(raws: list[_RawPage], vocab: Vocabulary) -> None:
    """A word hyphenated over a page break is joined on the first page."""
    for a, b in zip(raws, raws[1:], strict=False):
        if not a.body or not b.body:
            continue
        k = len(a.body) - 1
        while k >= 0 and not a.body[k].strip():
            k -= 1
        if k < 0 or not re.search(f"{_LETTER}-$", a.body[k].rstrip()):
            continue
        first = 0
        while first < len(b.body) and not b.body[first].strip():
            first += 1
        if first >= len(b.body) or not b.body[first].strip()[:1].islower():
            continue
        joined = _join_hyphenation([a.body[k].rstrip(), b.body[first].lstrip()], vocab, _BODY)
        if len(joined) == 2:
            a.body[k], b.body[first] = joined
        elif len(joined) == 1 and joined[0] != a.body[k].rstrip():
            a.body[k] = joined[0]
            b.body[first] = ""


# --------------------------------------------------------------------------------------------------
# Residual artifacts
# --------------------------------------------------------------------------------------------------

_W = "[a-zà-ÿ]"
_WS = f"(?<!{_LETTER})"  # a word start: keeps the scans linear
_ARTIFACT_PATTERNS = [
    re.compile(f"{_WS}{_LETTER}*{_W}[DMPUX]{_LETTER}*"),  # heeM, migraDe, betreU, ArbeidsmarkXoegang
    re.compile(r"\bDj[a-zà-ÿ]*"),  # Djdelijk
    re.compile(r"(?<=[a-zà-ÿ,] )Den(?= [a-zà-ÿ])"),  # afgelopen Den jaar
    re.compile(r"(?<=[\da-zà-ÿ,] )Me\b(?![-'’])"),  # 3,8 Me
    re.compile(f"{_WS}{_LETTER}*(?:{_W}[7&]{_LETTER}|{_LETTER}[7&]{_W}){_LETTER}*"),  # Migra7e, Migra&e
    re.compile(f"(?<!\\S)\\S*{REPLACEMENT_CHAR}\\S*"),  # lee�aarheid
    re.compile(f"{_WS}{_LETTER}+'(?![stnr]\\b){_LETTER}+"),  # Migra'e (not thema's, z'n)
    re.compile(f"{_WS}{_LETTER}+\\((?![^\\s()]*\\))(?!\\d){_LETTER}+"),  # na(onaliteiten
    re.compile(
        f"{_W}{{2,}}/(?:e[sfnr]?|eve[ns]?|ele[n]?|ng[a-z]*|g|gen|jd[a-z]*|jn[a-z]*|onale?[a-z]*|onaal|ek|/e)\\b"
    ),  # migra/e, huisves/ng, na/onaliteit, Jus//e
    re.compile(r"(?<![^\s(‘“'\"])/(?:jd[a-z]*|en|tel|e)\b"),  # /jdelijk, /en jaar
    re.compile(r"\bhqps?\b"),
    re.compile(f"{_W}q(?!u){_W}"),  # neqo, Roqerdam
    re.compile(f"{_WS}{_LETTER}*(?:ahank|axank|ahandel){_LETTER}*"),  # ahankelijk, axankelijk
    re.compile(f"{_WS}{_LETTER}*(?:nng|njd){_LETTER}*"),  # onderschanng, wachnjden
    re.compile(r"\bnung\b"),  # nuttig
    re.compile(f"{_WS}{_LETTER}*asoms{_LETTER}*"),  # asomstig
    re.compile(f"{_W}{{3,}}\\.ng\\b"),  # Huisves.ng
]


def find_artifacts(text: str) -> list[tuple[int, str]]:
    """Residual ligature artifacts in ``text``: (offset, token) for each broken-looking token.

    URLs are skipped except for a broken scheme ("hqps://").
    """
    spans = _url_spans(text)
    found: dict[int, str] = {}
    for pattern in _ARTIFACT_PATTERNS:
        for m in pattern.finditer(text):
            start, end = m.span()
            token = m.group(0)
            if _inside(spans, start, end) and not token.startswith("hqp"):
                continue
            if _ACRONYM.fullmatch(token):
                continue
            found.setdefault(start, token)
    return sorted(found.items())
