"""Dutch number words -> values ("veertienhonderd", "tweeduizend vijfhonderd", "elf komma vier", "tweederde"),
and back (``number_to_words``)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from rekenqa.lexicon import (
    BIG_NUMBER_WORDS,
    COMPOUND_DENOMINATORS,
    FRACTION_DENOMINATORS,
    HALVES,
    SCALE_WORDS,
    SCALES,
    SMALL_NUMBERS,
    TENS,
)

_ONE = ("een", "één", "eén")
_HALF = ("half", "halve")
_FRACTION = re.compile(rf"([^\W\d_]+?)[\s-]*({'|'.join(COMPOUND_DENOMINATORS)})n?")


def trailing_zeros(n: int) -> int:
    """How many zeros ``n`` ends in (0 for 0)."""
    if n == 0:
        return 0
    count = 0
    while n % 10 == 0:
        n //= 10
        count += 1
    return count


def _below_100(word: str) -> int | None:
    if word in SMALL_NUMBERS:
        return SMALL_NUMBERS[word]
    if word in TENS:
        return TENS[word]
    for tens_word, tens in TENS.items():
        if word.endswith(tens_word) and len(word) > len(tens_word):
            head = word[: -len(tens_word)]
            for conj in ("ën", "en"):
                if head.endswith(conj):
                    unit = SMALL_NUMBERS.get(head[: -len(conj)])
                    if unit is not None and 1 <= unit <= 9:
                        return unit + tens
    return None


def _compound(word: str, first_scale: int = 0) -> int | None:
    """Value of one compound number word ("veertienhonderd", "tweeduizendvijfhonderd"), or None."""
    if not word:
        return None
    for i in range(first_scale, len(SCALES)):
        name, mult = SCALES[i]
        idx = word.find(name)
        if idx < 0:
            continue
        left, right = word[:idx], word[idx + len(name) :]
        if left == "":
            left_value: int | None = 1
        elif mult == 100:
            left_value = _below_100(left)  # "veertienhonderd" = 14 x 100
        else:
            left_value = _compound(left, i + 1)
        if left_value is None or left_value == 0 or (mult > 100 and left_value >= 1000):
            return None
        right_value: int | None = 0
        if right != "":
            right_value = _compound(right, i + 1) if mult > 100 else _below_100(right)
        if right_value is None or (right != "" and right_value == 0) or right_value >= mult:
            return None
        return left_value * mult + right_value
    return _below_100(word)


@lru_cache(maxsize=8192)
def word_value(raw: str) -> float | None:
    """Value of a single number word (not a multi-word phrase), or None."""
    word = raw.lower()
    if word in HALVES and word not in _HALF:
        return HALVES[word]
    for tail in ("ënhalf", "enhalf", "ënhalve", "enhalve"):
        if word.endswith(tail):
            head = SMALL_NUMBERS.get(word[: -len(tail)])
            return head + 0.5 if head is not None and head >= 1 else None
    value = _compound(word)
    return float(value) if value is not None else None


@dataclass(slots=True)
class _Sum:
    """The running value of a multi-word number phrase, split by the scale each part is at."""

    total: int = 0  # millions and milliards
    thousands: int = 0  # the part that is a multiple of 1000, below a million
    current: int = 0  # the part below 1000 (or "negentien honderd")
    started: bool = False
    last_big: int = 10**12

    def big(self, mult: int) -> bool:
        """Add "miljoen" / "miljard"; False when the phrase is no number."""
        below = self.thousands + self.current if self.started else 1
        if mult >= self.last_big or below == 0 or below >= 1000:
            return False
        self.total += below * mult
        self.thousands = self.current = 0
        self.started, self.last_big = False, mult
        return True

    def hundred(self) -> bool:
        if self.current == 0:
            self.current = 100  # "tweeduizend honderd"
        elif self.current < 100:
            self.current *= 100  # "twee honderd", "negentien honderd"
        else:
            return False
        self.started = True
        return True

    def thousand(self) -> bool:
        if self.thousands or self.current >= 1000:
            return False
        self.thousands = (self.current if self.current else 1) * 1000
        self.current = 0
        self.started = True
        return True

    def add(self, v: int) -> bool:
        """Add the value of one number word."""
        if v >= 10**6:
            if self.started or self.total:
                return False
            self.total, self.last_big = v, (10**9 if v >= 10**9 else 10**6)
            if v % self.last_big:
                self.last_big = 1000  # "tweemiljoenvijfhonderdduizend": only below-thousand words may follow
            return True
        if self.started or self.total:
            if v == 0:
                return False
            if self.current:
                if self.current % 100 or v >= 10 ** trailing_zeros(self.current) or v >= 1000:
                    return False  # "twee drie", "twintig vijf"
            elif self.thousands:
                if v >= 1000:
                    return False
            elif v >= self.last_big:
                return False
        if v >= 1000:
            self.thousands, self.current = v - v % 1000, v % 1000
        else:
            self.current += v
        self.started = True
        return True


def _combine_komma(words: list[str], low: list[str]) -> tuple[float, int] | None:
    """Value and decimals of "elf komma vier", "twee komma vijfentwintig"."""
    k = low.index("komma")
    whole = combine_words(words[:k])
    digits = [word_value(w) for w in words[k + 1 :]]
    if whole is None or whole[1] != 0 or not digits or any(d is None for d in digits):
        return None
    ints = [int(d) for d in digits if d is not None]
    if len(ints) == 1 and ints[0] < 100 and float(ints[0]) == digits[0]:
        frac = str(ints[0])
    elif all(0 <= d <= 9 for d in ints):
        frac = "".join(str(d) for d in ints)
    else:
        return None
    return float(f"{int(whole[0])}.{frac}"), len(frac)


def combine_words(words: list[str]) -> tuple[float, int] | None:
    """Value and decimals of a multi-word number phrase ("tweeduizend vijfhonderd", "twee miljoen",
    "elf komma vier", "een half"), or None when the words do not form one number."""
    low = [w.lower() for w in words]
    if not low:
        return None
    if "komma" in low:
        return _combine_komma(words, low)
    if low[0] in _ONE and len(low) == 2 and low[1] in _HALF:
        return 0.5, 1
    if len(low) in (2, 3) and low[-2] in _HALF and low[-1] in BIG_NUMBER_WORDS and (len(low) == 2 or low[0] in _ONE):
        # "een half miljoen", "half miljard": half the scale word, precise to a tenth of it
        return 0.5 * BIG_NUMBER_WORDS[low[-1]], -(len(str(int(BIG_NUMBER_WORDS[low[-1]]))) - 2)
    if len(low) == 2 and low[0] in ("anderhalf", "anderhalve") and low[1] in BIG_NUMBER_WORDS:
        return 1.5 * BIG_NUMBER_WORDS[low[1]], -(len(str(int(BIG_NUMBER_WORDS[low[1]]))) - 2)  # "anderhalf miljoen"
    if any(w in _HALF for w in low):
        return None
    acc = _Sum()
    for w in low:
        if w in BIG_NUMBER_WORDS:
            ok = acc.big(BIG_NUMBER_WORDS[w])
        elif w == "honderd":
            ok = acc.hundred()
        elif w == "duizend":
            ok = acc.thousand()
        else:
            value = word_value(w)
            if value is None or value != int(value):
                if value is not None and len(low) == 1:
                    return value, 1  # "anderhalf"
                return None
            ok = acc.add(int(value))
        if not ok:
            return None
    return float(acc.total + acc.thousands + acc.current), 0


@lru_cache(maxsize=8192)
def is_number_word(word: str) -> bool:
    """Whether ``word`` is a number word or a scale word ("vijf", "duizend", "anderhalf")."""
    low = word.lower()
    return (
        low in BIG_NUMBER_WORDS
        or low in SCALE_WORDS
        or low in ("anderhalf", "anderhalve")
        or word_value(word) is not None
    )


def fraction_value(low: str) -> float | None:
    """Value of "tweederde", "twee derde", "twee-derde", "een vijfde", "driekwart" (lowercase), or None."""
    m = _FRACTION.fullmatch(low)
    if not m:
        return None
    numerator = word_value(m.group(1))
    if numerator is None or numerator < 1 or numerator != int(numerator):
        return None
    return numerator / FRACTION_DENOMINATORS[m.group(2)]


def number_to_words(n: int) -> str:
    """Dutch number words for a non-negative integer below 10**12 (used to test the word parser).

    Numbers below a million are one word with a space after "duizend" ("tweeduizend vijfhonderd");
    millions and milliards are separate words ("twee miljoen driehonderdduizend").
    """
    if n < 0 or n >= 10**12:
        raise ValueError("alleen gehele getallen van 0 tot 10^12 worden ondersteund")
    small = {v: k for k, v in SMALL_NUMBERS.items() if k not in ("één", "eén")}
    tens = {v: k for k, v in TENS.items()}

    def below_100(x: int) -> str:
        if x < 20:
            return small[x]
        unit, ten = x % 10, x - x % 10
        if unit == 0:
            return tens[ten]
        word = small[unit]
        return word + ("ën" if word.endswith("e") else "en") + tens[ten]

    def below_1000(x: int) -> str:
        hundreds, rest = divmod(x, 100)
        head = "" if hundreds == 0 else ("honderd" if hundreds == 1 else small[hundreds] + "honderd")
        return head + (below_100(rest) if rest else "")

    def below_million(x: int) -> str:
        thousands, rest = divmod(x, 1000)
        if thousands == 0:
            return below_1000(rest)
        head = "duizend" if thousands == 1 else below_1000(thousands) + "duizend"
        return head + (" " + below_1000(rest) if rest else "")

    if n == 0:
        return "nul"
    parts: list[str] = []
    milliards, rest = divmod(n, 10**9)
    millions, rest = divmod(rest, 10**6)
    if milliards:
        parts.append(("een" if milliards == 1 else below_1000(milliards)) + " miljard")
    if millions:
        parts.append(("een" if millions == 1 else below_1000(millions)) + " miljoen")
    if rest:
        parts.append(below_million(rest))
    return " ".join(parts)
