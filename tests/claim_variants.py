"""Claim variants for a CheckList-style behavioural suite of the fact checker.

Every variant is a report sentence with exactly one plain-text edit (one number, one word, or one prefix;
a swap exchanges two numbers). Meaning-preserving edits are TRUE variants (the checker should support
them); meaning-changing edits are FALSE variants (the checker must not support them).

The module is deliberately independent of the engine's own number and fact extraction: it uses its own
small regexes for numbers, years and words, so that the suite tests behaviour rather than implementation.
"""

from __future__ import annotations

import dataclasses
import random
import re
import unicodedata
import warnings
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal

TRUE_KINDS = ("ruim/bijna/circa", "in woorden", "zonder punt", "voorvoegsel")
FALSE_KINDS = ("verwisseld", "ander jaar", "andere groep", "richting omgekeerd", "factor 10", "te hoog")
KINDS = TRUE_KINDS + FALSE_KINDS
MAX_PER_SENTENCE = 2  # at most this many variants per (sentence, kind)
MAX_RELATIVE_HEDGE = Decimal("0.05")  # a hedged number stays within 5 % of the report's value

PREFIXES = ("Volgens de rekenkamer ", "Wij lezen in het rapport dat ", "Uit het rapport blijkt dat ")

WORDS = {
    2: "twee", 3: "drie", 4: "vier", 5: "vijf", 6: "zes", 7: "zeven", 8: "acht", 9: "negen", 10: "tien",
    11: "elf", 12: "twaalf", 13: "dertien", 14: "veertien", 15: "vijftien", 16: "zestien", 17: "zeventien",
    18: "achttien", 19: "negentien", 20: "twintig",
}  # fmt: skip

OPPOSITES = {
    "gestegen": "gedaald", "toegenomen": "afgenomen", "stijging": "daling", "toename": "afname",
    "meer": "minder", "hoger": "lager", "groter": "kleiner", "grootste": "kleinste",
}  # fmt: skip
DIRECTIONS = {**OPPOSITES, **{b: a for a, b in OPPOSITES.items()}, "verdubbeld": "gehalveerd"}

MONTHS = "januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december"
# A digit token: thousands with dots ("18.480"), or plain digits, with an optional decimal comma part.
NUMBER_RE = re.compile(r"(?<![0-9.,])(\d{1,3}(?:\.\d{3})+|\d+)(?:,(\d+))?(?![0-9]|[.,]\d)")
WORD_RE = re.compile(r"[^\W\d_]+")
PERCENT_AFTER = re.compile(r"\s?(?:%|procent\b)")
PERCENT_SIGN = re.compile(r"\s?%")
MONEY_BEFORE = re.compile(r"€\s?$")
DATE_AFTER = re.compile(rf"\s+(?:{MONTHS})\b", re.IGNORECASE)
LABEL_BEFORE = re.compile(
    r"\b(?:grafiek|tabel|figuur|deel|hoofdstuk|paragraaf|bijlage|niveau|fase|artikel|per)\s+$", re.IGNORECASE
)
RANGE_BETWEEN = re.compile(r"^\s*(?:-|–|tot|tot en met|en)\s*$")
CITATION_BEFORE = re.compile(r",\s*$")
# Any qualifier: a number it precedes is already hedged (no second hedge).
QUALIFIER_BEFORE = re.compile(
    r"\b(?:ruim|bijna|circa|ca\.|ongeveer|zo['’]n|meer dan|minder dan|maximaal|minimaal|tenminste|"
    r"ten minste|hooguit|ten hoogste|nagenoeg|tot|binnen|onder de|boven de|slechts)\s+(?:€\s?)?$",
    re.IGNORECASE,
)
# An upper bound: raising the number it precedes can keep the claim true ("minder dan 4" -> "minder dan 6").
UPPER_BOUND_BEFORE = re.compile(
    r"\b(?:minder dan|maximaal|hooguit|ten hoogste|tot|tot en met|binnen|onder de)\s+(?:€\s?)?$",
    re.IGNORECASE,
)
PERSON_SUFFIX = re.compile(r"(?:ant|anten|ants|er|ers|ling|lingen|ent|enten|de|den|aar|aars)$")
DISPLAY = {"oekrainers": "Oekraïners", "oekrainer": "Oekraïner"}  # group names are written without diacritics


@dataclass(frozen=True, slots=True)
class Variant:
    kind: str
    truth: bool
    sentence: str
    claim: str


@dataclass(frozen=True, slots=True)
class Number:
    """A digit token in a sentence, with what the neighbouring text says about it."""

    start: int
    end: int
    text: str
    value: Decimal
    decimals: int
    dotted: bool
    form: str  # "year", "date", "label", "percent", "money", "count" (integer) or "decimal"
    glued: bool  # touches a letter, hyphen or slash ("24-wekeneis", "B1", "2019-2025")
    ranged: bool = False  # one end of a range ("tussen de 10 en 13", "6 - 8 weken")

    @property
    def editable(self) -> bool:
        return self.form not in ("year", "date", "label") and not self.glued and not self.ranged


# ------------------------------------------------------------------ reading sentences


def fold(text: str) -> str:
    """Lowercase without diacritics ("Oekraïne" -> "oekraine")."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _form(sentence: str, start: int, end: int, value: Decimal, text: str) -> str:
    before, after = sentence[:start], sentence[end:]
    if re.fullmatch(r"\d{4}", text) and 1900 <= value <= 2099:
        return "year"
    if "," not in text and "." not in text and 1 <= value <= 31 and DATE_AFTER.match(after):
        return "date"
    if LABEL_BEFORE.search(before):
        return "label"
    if PERCENT_AFTER.match(after):
        return "percent"
    if MONEY_BEFORE.search(before) or re.match(r"\s(?:euro|miljoen euro)\b", after):
        return "money"
    return "count" if "," not in text else "decimal"


def _glued(sentence: str, start: int, end: int) -> bool:
    prev = sentence[start - 1] if start else " "
    nxt = sentence[end] if end < len(sentence) else " "
    return prev.isalpha() or prev in "-/_–" or (nxt.isalpha() and nxt.isascii()) or nxt in "-/_–"


def numbers(sentence: str) -> list[Number]:
    """Every digit token in ``sentence``, in order."""
    found = []
    for m in NUMBER_RE.finditer(sentence):
        text = m.group(0)
        value = Decimal(text.replace(".", "").replace(",", "."))
        found.append(
            Number(
                start=m.start(),
                end=m.end(),
                text=text,
                value=value,
                decimals=len(m.group(2) or ""),
                dotted="." in m.group(1),
                form=_form(sentence, m.start(), m.end(), value, text),
                glued=_glued(sentence, m.start(), m.end()),
            )
        )
    return _mark_ranges(sentence, found)


def _mark_ranges(sentence: str, found: list[Number]) -> list[Number]:
    ranged = set()
    for i, (a, b) in enumerate(zip(found, found[1:], strict=False)):
        if RANGE_BETWEEN.match(sentence[a.end : b.start]):
            ranged |= {i, i + 1}
    return [dataclasses.replace(n, ranged=True) if i in ranged else n for i, n in enumerate(found)]


def years_in(sentence: str) -> list[int]:
    """The years (1900..2099) written in ``sentence``, glued ones included ("2019-2025" gives two)."""
    return [int(n.value) for n in numbers(sentence) if n.form == "year"]


def replace(sentence: str, start: int, end: int, new: str) -> str:
    return sentence[:start] + new + sentence[end:]


# ------------------------------------------------------------------ writing numbers


def format_number(value: Decimal, decimals: int, dotted: bool) -> str:
    """Dutch notation: thousands dot (when ``dotted``), decimal comma."""
    quantum = Decimal(1).scaleb(-decimals)
    whole, _, frac = f"{value.quantize(quantum, ROUND_HALF_UP):f}".partition(".")
    if dotted:
        whole = f"{int(whole):,}".replace(",", ".")
    return whole + ("," + frac if decimals else "")


def _dotted_like(n: Number, new: Decimal) -> bool:
    """Keep the original's style; an original below 1000 follows the report's usual thousands dot."""
    if n.dotted:
        return True
    return n.value < 1000 and new >= 1000


def _significant(value: Decimal, digits: int) -> Decimal:
    exponent = value.adjusted() - digits + 1
    return value.scaleb(-exponent).quantize(Decimal(1), ROUND_HALF_UP).scaleb(exponent)


def hedges(n: Number) -> list[tuple[str, Decimal]]:
    """Correct hedged roundings of ``n``: ruim X (X <= value), bijna X (X >= value), circa/ongeveer X."""
    value = n.value
    if n.decimals:
        floor, ceil = value.to_integral(ROUND_FLOOR), value.to_integral(ROUND_CEILING)
        nearest = value.to_integral(ROUND_HALF_UP)
        options = [("ruim", floor), ("bijna", ceil), ("circa", nearest)]
    elif value >= 1000:
        options = [(word, _significant(value, 2)) for word in ("ongeveer", "zo'n")]
    else:
        options = []
    # Every hedge stays close to the value and points the right way.
    return [(word, x) for word, x in options if x >= 1 and _close(x, value) and _direction_ok(word, x, value)]


def _close(x: Decimal, value: Decimal) -> bool:
    return abs(x - value) / value <= MAX_RELATIVE_HEDGE


def _direction_ok(word: str, x: Decimal, value: Decimal) -> bool:
    """ruim X: X below the value by less than a half; bijna X: X above it by at most a half."""
    return {"ruim": x < value < x + Decimal("0.5"), "bijna": x - Decimal("0.5") <= value < x}.get(word, True)


# ------------------------------------------------------------------ true variants


def _hedged(sentence: str, rng: random.Random) -> list[str]:
    claims = []
    for n in numbers(sentence):
        before = sentence[: n.start]
        if not n.editable or QUALIFIER_BEFORE.search(before) or not (options := hedges(n)):
            continue
        word, target = rng.choice(options)
        money = MONEY_BEFORE.search(before)
        start = money.start() if money else n.start
        prefix = sentence[start : n.start]
        new = format_number(target, 0, n.dotted)
        claims.append(replace(sentence, start, n.end, f"{word} {prefix}{new}"))
    return claims


def _in_words(sentence: str, rng: random.Random) -> list[str]:
    claims = []
    for n in numbers(sentence):
        after = sentence[n.end :]
        if n.editable and n.form in ("count", "percent") and int(n.value) in WORDS and not n.decimals:
            if not PERCENT_SIGN.match(after):
                claims.append(replace(sentence, n.start, n.end, WORDS[int(n.value)]))
        if n.form == "percent" and not n.glued and (sign := PERCENT_SIGN.match(after)):
            claims.append(replace(sentence, n.end, n.end + sign.end(), " procent"))
    return claims


def _without_dot(sentence: str, rng: random.Random) -> list[str]:
    return [
        replace(sentence, n.start, n.end, n.text.replace(".", ""))
        for n in numbers(sentence)
        if n.dotted and n.form != "label" and not n.glued
    ]


def _proper_words(sentences: Iterable[str]) -> set[str]:
    """Words capitalised in the middle of a sentence and never written in lowercase: names, not starters."""
    capitalised, lowercase = set(), set()
    for sentence in sentences:
        for m in WORD_RE.finditer(sentence):
            word = m.group(0)
            if word[0].islower():
                lowercase.add(word)
            elif m.start() > 0:
                capitalised.add(word)
    return {w for w in capitalised if w.lower() not in lowercase}


def _prefixed(sentence: str, rng: random.Random, proper: set[str]) -> list[str]:
    first = WORD_RE.match(sentence)
    if not first:
        return []
    word = first.group(0)
    keep = word in proper or (len(word) > 1 and word[1].isupper())
    body = sentence if keep else sentence[0].lower() + sentence[1:]
    return [prefix + body for prefix in PREFIXES]


# ------------------------------------------------------------------ false variants


def _swapped(sentence: str, rng: random.Random) -> list[str]:
    usable = [n for n in numbers(sentence) if n.editable and n.form in ("percent", "count", "money")]
    claims = []
    for i, a in enumerate(usable):
        for b in usable[i + 1 :]:
            if a.form == b.form and a.value != b.value:
                swapped = replace(sentence, b.start, b.end, a.text)
                claims.append(replace(swapped, a.start, a.end, b.text))
    return claims


def _other_year(sentence: str, rng: random.Random, years: Sequence[int]) -> list[str]:
    found = numbers(sentence)
    in_sentence = [n for n in found if n.form == "year"]
    if len(in_sentence) != 1 or not _has_quantity(found):
        return []
    year = in_sentence[0]
    value = int(year.value)
    if not 2000 <= value <= 2030 or CITATION_BEFORE.search(sentence[: year.start]):
        return []
    options = sorted({y for y in years if abs(y - value) >= 2 and y != value})
    return [replace(sentence, year.start, year.end, str(y)) for y in options]


def _has_quantity(found: Iterable[Number]) -> bool:
    """A number that is not a year, date, label or glued token: something a claim can be checked on."""
    return any(n.form not in ("year", "date", "label") and not n.glued for n in found)


def _group_words(
    sentence: str, groups: Sequence[tuple[str, Sequence[str]]]
) -> list[tuple[str, re.Match[str]]]:
    """(group name, word match) for every word that starts with one of a group's stems."""
    hits = []
    for m in WORD_RE.finditer(sentence):
        word = fold(m.group(0))
        for name, stems in groups:
            if any(word.startswith(fold(stem)) for stem in stems):
                hits.append((name, m))
                break
    return hits


def _singular(name: str) -> str:
    return name[:-2] if name.endswith("en") else name[:-1] if name.endswith("s") else name


def _group_word(name: str, plural: bool, capital: bool) -> str:
    word = name if plural else _singular(name)
    word = DISPLAY.get(word, word)
    return word[0].upper() + word[1:] if capital else word


def _other_group(sentence: str, rng: random.Random, groups: Sequence[tuple[str, Sequence[str]]]) -> list[str]:
    hits = _group_words(sentence, groups)
    if len(hits) != 1 or not _has_quantity(numbers(sentence)):
        return []
    name, m = hits[0]
    word = m.group(0)
    if (m.start() and sentence[m.start() - 1] in "-/") or not PERSON_SUFFIX.search(fold(word)):
        return []
    plural = fold(word).endswith(("s", "en"))
    others = [g for g, _ in groups if g != name]
    return [replace(sentence, m.start(), m.end(), _group_word(g, plural, word[0].isupper())) for g in others]


def _flipped(sentence: str, rng: random.Random) -> list[str]:
    claims = []
    for m in WORD_RE.finditer(sentence):
        word = m.group(0)
        opposite = DIRECTIONS.get(word.lower())
        if not opposite or _idiom(sentence, m):
            continue
        new = opposite[0].upper() + opposite[1:] if word[0].isupper() else opposite
        claims.append(replace(sentence, m.start(), m.end(), new))
    return claims


def _idiom(sentence: str, m: re.Match[str]) -> bool:
    """Uses where the word is no direction: "onder meer", "één of meer", "niet meer", "interviews afgenomen"."""
    word = m.group(0).lower()
    before, after = sentence[: m.start()].lower(), sentence[m.end() :].lower()
    if word == "meer":
        return bool(re.search(r"\b(?:of|niet|geen|onder)\s+$", before) or re.match(r"\s+of\b", after))
    return word == "afgenomen" and "interview" in before


def _raisable(sentence: str) -> list[Number]:
    return [n for n in numbers(sentence) if n.editable and not UPPER_BOUND_BEFORE.search(sentence[: n.start])]


def _times_ten(sentence: str, rng: random.Random) -> list[str]:
    claims = []
    for n in _raisable(sentence):
        new = n.value * 10
        text = format_number(new, max(0, n.decimals - 1), _dotted_like(n, new))
        claims.append(replace(sentence, n.start, n.end, text))
    return claims


def raised(n: Number) -> Decimal:
    """The value 30 % higher, rounded like the original (a small integer goes up by at least 2)."""
    quantum = Decimal(1).scaleb(-n.decimals)
    new = (n.value * Decimal("1.3")).quantize(quantum, ROUND_HALF_UP)
    if not n.decimals:
        new = max(new, n.value + 2)
    return max(new, n.value + quantum)


def _too_high(sentence: str, rng: random.Random) -> list[str]:
    claims = []
    for n in _raisable(sentence):
        new = raised(n)
        claims.append(replace(sentence, n.start, n.end, format_number(new, n.decimals, _dotted_like(n, new))))
    return claims


# ------------------------------------------------------------------ generation


def generate(
    sentences: list[str], groups: list[tuple[str, list[str]]], years: list[int], seed: int = 0
) -> list[Variant]:
    """All variants of ``sentences``: at most ``MAX_PER_SENTENCE`` per (sentence, kind), chosen by ``seed``."""
    proper = _proper_words(sentences)
    makers: dict[str, Callable[[str, random.Random], list[str]]] = {
        "ruim/bijna/circa": _hedged,
        "in woorden": _in_words,
        "zonder punt": _without_dot,
        "voorvoegsel": lambda s, rng: _prefixed(s, rng, proper),
        "verwisseld": _swapped,
        "ander jaar": lambda s, rng: _other_year(s, rng, years),
        "andere groep": lambda s, rng: _other_group(s, rng, groups),
        "richting omgekeerd": _flipped,
        "factor 10": _times_ten,
        "te hoog": _too_high,
    }
    variants = []
    for sentence in dict.fromkeys(sentences):
        for kind, make in makers.items():
            rng = random.Random(f"{seed}:{kind}:{sentence}")
            claims = [c for c in dict.fromkeys(make(sentence, rng)) if c != sentence]
            chosen = rng.sample(claims, min(MAX_PER_SENTENCE, len(claims)))
            variants += [Variant(kind, kind in TRUE_KINDS, sentence, claim) for claim in chosen]
    return variants


def sample(
    variants: Sequence[Variant], per_kind: int | None, seed: int = 0, kinds: Sequence[str] = KINDS
) -> list[Variant]:
    """At most ``per_kind`` variants of every kind (all when None), seeded, in the order of ``kinds``."""
    chosen = []
    for kind in kinds:
        pool = [v for v in variants if v.kind == kind]
        if per_kind is not None and len(pool) > per_kind:
            pool = random.Random(f"{seed}:{kind}").sample(pool, per_kind)
        chosen += pool
    return chosen


# ------------------------------------------------------------------ report sentences


def select_sentences(facts: Iterable[object]) -> list[str]:
    """Distinct report sentences holding a number: prose only (no table cells, footnotes or links)."""
    chosen: dict[str, None] = {}
    for fact in facts:
        text = str(getattr(fact, "sentence", "")).strip()
        if getattr(fact, "row", "") or not 40 <= len(text) <= 260:
            continue
        if re.match(r"\d+ ", text) or "http" in text:
            continue
        chosen[text] = None
    return list(chosen)


def report_years(sentences: Iterable[str]) -> list[int]:
    """Years between 2000 and 2030 written in ``sentences``, sorted."""
    return sorted({y for s in sentences for y in years_in(s) if 2000 <= y <= 2030})


# Intended behaviour: true variants supported at least this often ...
TARGET_TRUE_SUPPORTED = 0.85
# ... and false variants called supported at most this often.
TARGET_FALSE_SUPPORTED = 0.05


def correct(variant: Variant, status: str) -> bool:
    """A true variant supported, a false one not."""
    return (status == "supported") == variant.truth


def assert_floor(kind: str, checked: Sequence[tuple[Variant, str]], floor: float, true_kind: bool) -> None:
    """The share of correct verdicts of one kind is at least its regression floor; below the target it warns."""
    assert len(checked) >= 10, f"too few {kind!r} variants: {len(checked)}"
    rate = sum(correct(v, status) for v, status in checked) / len(checked)
    target = TARGET_TRUE_SUPPORTED if true_kind else 1 - TARGET_FALSE_SUPPORTED
    if rate < target:
        warnings.warn(f"{kind}: {rate:.2f} correct, target {target:.2f}", stacklevel=2)
    wrong = [(v.claim, status) for v, status in checked if not correct(v, status)][:5]
    assert rate >= floor, f"{kind}: {rate:.2f} correct < floor {floor:.2f}; e.g. {wrong}"
