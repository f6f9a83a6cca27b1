"""Words as the quote matcher compares them: word lists, comparison forms, match keys, report words."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import lru_cache

from rekenqa.artefacts.glyphs import PRIMARY_GLYPH_TABLE
from rekenqa.artefacts.hyphens import Piece
from rekenqa.artefacts.markers import GLUED_AFTER_PUNCT, GLUED_WORD_DIGITS, SUPERSCRIPT_DIGITS

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
AFFIRMATIVE = "wel"
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
TERM_PAIRS = frozenset(
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

QUOTE_CHARS = "'\"‘’‚‛“”„‟«»‹›′″`´"
DASH_CHARS = "‐‑‒–—−"
ELLIPSIS_CHUNKS = frozenset({"...", "…", "(...)", "(…)", "[...]", "[…]", "(..)", "[..]", "..", "...."})

# Comparison form of a word: footnote markers dropped, one quote character, one dash, "..." for "…".
CMP_TABLE = str.maketrans(
    {
        **{ch: None for ch in SUPERSCRIPT_DIGITS},
        **{ch: "'" for ch in QUOTE_CHARS},
        **{ch: "-" for ch in DASH_CHARS},
        "…": "...",
    }
)
# Punctuation stripped from both ends of a word for its match key (after CMP_TABLE).
EDGE = frozenset("'()[]{}<>.,;:!?*•·▪◦●§|/\\-")
TERMINAL = frozenset(".,;:!?")
# punctuation standing alone that belongs to the next word (bullets, opening quotes and brackets, dashes)
OPENING = frozenset("•▪◦●·*„“‘‚«‹([{-–—‐")

_THOUSANDS = re.compile(r"\d{1,3}(?:\.\d{3})+(?:,\d+)?%?")
_NUMBER = re.compile(r"[-+€]?\d[\d.,]*%?")
_YEAR = re.compile(r"(?:19|20)\d\d")


# --------------------------------------------------------------------------------------------------
# Words
# --------------------------------------------------------------------------------------------------


@dataclass(slots=True)
class Token:
    key: str  # match key
    cmp: str  # comparison form: whitespace-free, markers dropped, quotes/dashes unified
    disp: str  # the text as printed (punctuation-only neighbours attached)
    word: str  # the word without surrounding punctuation, for change descriptions
    page: int = 0
    origin: int = 0  # one id per printed word; copies in bridge segments share it
    repaired: bool = False  # quote word changed by glyph/digit repair


_RAW_EDGE = EDGE | set(QUOTE_CHARS) | set(DASH_CHARS) | set(SUPERSCRIPT_DIGITS) | {"…"}


def _strip(word: str, edge: frozenset[str] | set[str]) -> tuple[str, str, str]:
    """(leading, core, trailing) of ``word``, the edges made of ``edge`` characters."""
    i, j = 0, len(word)
    while i < j and word[i] in edge:
        i += 1
    while j > i and word[j - 1] in edge:
        j -= 1
    return word[:i], word[i:j], word[j:]


def split_edges(word: str) -> tuple[str, str, str]:
    """(leading punctuation, core, trailing punctuation) of a comparison-form word."""
    return _strip(word, EDGE)


def match_key(core: str) -> str:
    """The match key of a word's core: casefolded, thousands separators dropped."""
    key = core.casefold()
    if _THOUSANDS.fullmatch(key):
        key = key.replace(".", "")
    return key


@lru_cache(maxsize=1 << 16)
def word_key(chunk: str) -> str:
    """The match key of a whitespace-separated chunk: comparison form, edges stripped."""
    return match_key(split_edges(chunk.translate(CMP_TABLE))[1])


@lru_cache(maxsize=1 << 16)
def _piece_parts(text: str) -> tuple[str, str, str, str, str, tuple[str, str] | None]:
    """(comparison form, lead, core, trail, key, (word, digits) when the key is a word glued to digits) of a
    report piece: pure, and the same few thousand words recur (the matcher is built at a command's start)."""
    cmp = text.translate(CMP_TABLE)
    glued = GLUED_AFTER_PUNCT.fullmatch(cmp)
    if glued:
        cmp = glued.group(1)  # "gegeven).9": the footnote number stays out of key and comparison
    lead, core, trail = split_edges(cmp)
    key = match_key(core) if core else ""
    word_digits = GLUED_WORD_DIGITS.fullmatch(key) if core else None
    return cmp, lead, core, trail, key, (word_digits.group(1), word_digits.group(2)) if word_digits else None


def is_number(word: str) -> bool:
    return bool(_NUMBER.fullmatch(word))


def is_year(word: str) -> bool:
    return bool(_YEAR.fullmatch(word))


def is_group(word: str) -> bool:
    return word in GROUP_WORDS or (len(word) > 9 and word.endswith(("migranten", "migrant")))


def _is_negation_like(word: str) -> bool:
    return word in NEGATIONS or word == AFFIRMATIVE


def similar(a: str, b: str) -> bool:
    """Whether report key ``a`` and quote key ``b`` look like one word changed into the other."""
    if a == b:
        return True
    if is_number(a) and is_number(b):
        return True
    if is_group(a) and is_group(b):
        return True
    if _is_negation_like(a) and _is_negation_like(b):
        return True
    if frozenset((a, b)) in TERM_PAIRS:
        return True
    return len(a) > 3 and len(b) > 3 and SequenceMatcher(None, a, b).ratio() >= 0.6


def fragment(report_key: str, token: Token, at_start: bool, vocabulary: Counter[str]) -> bool:
    """Whether quote word ``token`` is the cut-off end (``at_start``) or start of report word ``report_key``.

    A word of the documents only counts as a fragment where it ends in a hyphen ("op-" of "opvang"):
    "migrant" for "migranten" is a changed word.
    """
    if is_number(token.key) or is_number(report_key):
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


def report_tokens(pieces: list[Piece], counts: Counter[str]) -> list[Token]:
    """Report words with keys; punctuation-only pieces are attached to a neighbouring word."""
    toks: list[Token] = []
    pending: list[str] = []
    for piece in pieces:
        cmp, lead, core, trail, key, word_digits = _piece_parts(piece.text)
        if not core:
            if toks and piece.text[:1] not in OPENING and toks[-1].page == piece.page:
                toks[-1].disp += " " + piece.text
                toks[-1].cmp += cmp
            else:
                pending.append(piece.text)
            continue
        if word_digits and counts.get(word_digits[0], 0) > counts.get(key, 0):
            # unrepaired text: "inwoners7" is "inwoners" with its footnote number
            key = word_digits[0]
            n_digits = len(word_digits[1])
            core = core[:-n_digits]
            cmp = lead + core + trail
        disp = piece.text
        if pending:
            disp = " ".join([*pending, disp])
            cmp = "".join(p.translate(CMP_TABLE) for p in pending) + cmp
            pending = []
        toks.append(Token(key, cmp, disp, core, piece.page))
    if pending and toks:
        toks[-1].disp += " " + " ".join(pending)
        toks[-1].cmp += "".join(p.translate(CMP_TABLE) for p in pending)
    return toks


def split_raw(chunk: str) -> tuple[str, str, str]:
    """Split a raw pasted chunk at the same places :func:`split_edges` splits its comparison form."""
    cmp = chunk.translate(CMP_TABLE)
    lead, core, trail = split_edges(cmp)
    if cmp == chunk or len(cmp) == len(chunk):
        return chunk[: len(lead)], chunk[len(lead) : len(lead) + len(core)], chunk[len(lead) + len(core) :]
    # the translation changed lengths (superscripts, "…"): split the raw chunk by edge classes instead
    return _strip(chunk, _RAW_EDGE)
