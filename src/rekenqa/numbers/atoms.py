"""Atoms: the digit numerals and number-word phrases of a text, and the "shadow" text that replaces each
atom's characters by a placeholder of its kind (same length, so offsets stay valid)."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from rekenqa.lexicon import AMBIGUOUS_NUMBER_WORDS, MULTIPLIERS, NOT_NUMBER_AFTER
from rekenqa.numbers.format import MULTIPLIER, Digits, interpret_digits
from rekenqa.numbers.words import combine_words, is_number_word

NUM, ART, LAB, ORD = "#", "¤", "@", "°"  # placeholders in the shadow text
PLACEHOLDERS = NUM + ART + LAB + ORD
_SYMBOL = {"num": NUM, "article": ART, "label": LAB, "ordinal": ORD}

_GLUE_PUNCT = set(".)]%”’\"'»")
_DIGIT_RUN = re.compile(r"\d[\d.,]*\d|\d")
_WORD_TOKEN = re.compile(r"[^\W\d_]+(?:/[^\W\d_]+)*")
_PERCENT_AFTER = re.compile(r"\s*(?:%|procent)(?![^\W\d_])", re.IGNORECASE)
# Letters glued to a number that still leave it a number ("3,8fte", "5x", "2024jaar").
_UNIT_SUFFIXES = ("fte", "mln", "mld", "mrd", "x", "procent", "miljoen", "miljard", "euro", "jaar")


@dataclass(frozen=True, slots=True)
class Atom:
    """One numeral or number-word phrase, with its span in the text."""

    start: int
    end: int
    value: float
    decimals: int
    kind: str  # "num" | "article" | "label" | "ordinal"
    plain: bool = False
    word: bool = False

    @property
    def is_year(self) -> bool:
        return (
            self.kind == "num"
            and self.plain
            and not self.word
            and self.end - self.start == 4
            and 1900 <= self.value <= 2100
        )


def _glued(masked: str, s: int) -> bool:
    """Whether the digits at ``s`` are glued to what comes before (a name, a marker), so no number."""
    prev = masked[s - 1] if s else ""
    if prev and (prev.isalpha() or prev == "_"):
        return True  # "Wi2021", "inwoners7", "B1", "Q3"
    if prev == "-" and s >= 2 and masked[s - 2].isalpha():
        return True  # "COVID-19", "top-10"
    # A footnote marker glued to punctuation: "(5,1%)8", "wet”.27", "p.59".
    return prev in _GLUE_PUNCT and s >= 2 and not masked[s - 2].isspace() and masked[s - 2] not in "(€"


def _letter_suffix(masked: str, end: int) -> str | None:
    """The letters glued after a number at ``end``, or None when digits follow them ("553481e5")."""
    run = re.match(r"[^\W\d_]+", masked[end:])
    suffix = run.group(0) if run else ""
    after = masked[end + len(suffix)] if end + len(suffix) < len(masked) else ""
    return None if after.isdigit() else suffix


def _digit_atom(masked: str, s: int, tok: str) -> Atom | None:
    """The atom of the digit run ``tok`` at ``s``, or None when it is no number."""
    if _glued(masked, s):
        return None
    digits = interpret_digits(tok)
    if digits is None:
        return None
    end = s + digits.used
    kind = digits.kind
    if kind == "label" and tok.count(".") == 1 and _PERCENT_AFTER.match(masked, end):
        # "11.4 procent" (an English decimal point, as speech-to-text writes it) is no section number.
        whole, frac = tok.split(".")
        digits = Digits(len(tok), float(f"{int(whole)}.{frac}"), len(frac), "num", False)
        kind = "num"
    if digits.used == len(tok) and end < len(masked) and masked[end].isalpha():
        suffix = _letter_suffix(masked, end)
        if suffix is None:
            return None  # an identifier such as "553481e5"
        low = suffix.lower()
        if low in ("e", "ste", "de") and digits.plain and kind == "num" and digits.value < 1000:
            return Atom(s, end + len(suffix), digits.value, 0, "ordinal", True)
        if low not in _UNIT_SUFFIXES:
            return None
    value, decimals = digits.value, digits.decimals
    mult = MULTIPLIER.match(masked, end) if kind == "num" and digits.used == len(tok) else None
    if mult:
        factor = MULTIPLIERS[mult.group(1).lower().rstrip(".")]
        value *= factor
        decimals -= round(math.log10(factor))
        end = mult.end()
    sign = masked[s - 1] if s else ""
    signed = bool(sign) and sign in "-−+" and (s < 2 or masked[s - 2] in " \t\n(") and kind == "num"
    if signed:
        # A signed number ("-3%", "+5 procent"); "2015 - 2023" and "10-15" are ranges.
        s -= 1
        value = -value if sign != "+" else value
    return Atom(s, end, value, decimals, kind, digits.plain and not mult and not signed)


def digit_atoms(masked: str) -> list[Atom]:
    """The digit numerals of the masked text."""
    atoms: list[Atom] = []
    for m in _DIGIT_RUN.finditer(masked):
        atom = _digit_atom(masked, m.start(), m.group(0))
        if atom is not None:
            atoms.append(atom)
    return atoms


def _longest_phrase(masked: str, tokens: list[tuple[int, int, str]], i: int) -> tuple[int, float, int] | None:
    """(end token, value, decimals) of the longest number-word phrase starting at token ``i``, or None."""
    best: tuple[int, float, int] | None = None
    j = i
    while j < len(tokens):
        if j > i:
            gap = masked[tokens[j - 1][1] : tokens[j][0]]
            if not re.fullmatch(r"[ \t]+|[ \t]*\n[ \t]*", gap):
                break
        w = tokens[j][2]
        if not (is_number_word(w) or w.lower() in ("komma", "half", "halve")):
            break
        j += 1
        combined = combine_words([t[2] for t in tokens[i:j]])
        if combined is not None:
            best = (j, combined[0], combined[1])
    return best


def word_atoms(masked: str, taken: list[bool]) -> list[Atom]:
    """The number-word phrases of the masked text outside ``taken``; a lone "een" is an article."""
    tokens = [
        (m.start(), m.end(), m.group(0))
        for m in _WORD_TOKEN.finditer(masked)
        if not any(taken[m.start() : m.end()])
    ]
    atoms: list[Atom] = []
    i = 0
    while i < len(tokens):
        s0, e0, w0 = tokens[i]
        if not is_number_word(w0):
            i += 1
            continue
        prev_char = masked[s0 - 1] if s0 else ""
        if prev_char in "-" and s0 >= 2 and masked[s0 - 2].isalpha():
            i += 1
            continue
        best = _longest_phrase(masked, tokens, i)
        if best is None:
            i += 1
            continue
        j, value, decimals = best
        start, end = s0, tokens[j - 1][1]
        words = [t[2].lower() for t in tokens[i:j]]
        if words == ["een"] or (words[0] == "een" and j - i == 1):
            atoms.append(Atom(start, end, 1.0, 0, "article", word=True))
        elif len(words) == 1 and words[0] in AMBIGUOUS_NUMBER_WORDS:
            nxt = tokens[j][2].lower() if j < len(tokens) else ""
            if nxt not in NOT_NUMBER_AFTER:
                atoms.append(Atom(start, end, value, decimals, "num", word=True))
        else:
            atoms.append(Atom(start, end, value, decimals, "num", word=True))
        i = j
    return atoms


def find_atoms(masked: str) -> list[Atom]:
    """Digit atoms first, then number-word atoms where no digit atom is."""
    atoms = digit_atoms(masked)
    occupied = [False] * len(masked)
    for a in atoms:
        for i in range(a.start, a.end):
            occupied[i] = True
    return atoms + word_atoms(masked, occupied)


def shadow_text(masked: str, atoms: list[Atom]) -> str:
    """The masked text with every atom's characters (but line breaks) replaced by its placeholder."""
    chars = list(masked)
    for a in atoms:
        for i in range(a.start, a.end):
            if chars[i] != "\n":
                chars[i] = _SYMBOL[a.kind]
    return "".join(chars)
