"""Claim variants without numbers for a CheckList-style behavioural suite of the fact checker.

The report's sentences without a number (its judgements, tasks and descriptions) with one plain-text edit:

TRUE variants (the checker should support them):
- "letterlijk": the sentence itself;
- "hoofdzin": only the sentence's first clause (cut at its first comma or semicolon), as a speaker quotes it;
- "inleiding": the sentence after "Uit het rapport blijkt: ".

FALSE variants (the checker must not support them):
- "ontkenning": a negation removed ("niet", "geen") or added after the first finite verb;
- "tegendeel": one word replaced by its opposite (voldoende -> onvoldoende, veel -> weinig, goed -> slecht);
- "andere groep (woorden)": the one group of migrants the sentence names replaced by another;
- "ontkenning kort" / "tegendeel kort": the same edits on the first clause alone;
- "tegendeel (tweede lijst)": one word replaced by its opposite from a second, independently written list.

Like tests/claim_variants.py, the module reads the sentences with its own small regexes and word lists,
independent of the engine's lexicon, so that the suite tests behaviour rather than implementation.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Iterable, Sequence

import claim_variants
from claim_variants import Variant

TRUE_KINDS = ("letterlijk", "hoofdzin", "inleiding")
FALSE_KINDS = (
    "ontkenning", "tegendeel", "andere groep (woorden)", "ontkenning kort", "tegendeel kort", "tegendeel (tweede lijst)",
)
KINDS = TRUE_KINDS + FALSE_KINDS
INTRO = "Uit het rapport blijkt: "
MIN_WORDS, MAX_WORDS = 8, 30
MIN_CLAUSE_WORDS = 7

_PAIRS = (
    ("voldoende", "onvoldoende"), ("duidelijk", "onduidelijk"), ("duidelijke", "onduidelijke"),
    ("bekend", "onbekend"), ("volledig", "onvolledig"), ("volledige", "onvolledige"), ("veel", "weinig"),
    ("goed", "slecht"), ("goede", "slechte"), ("sterk", "zwak"), ("sterke", "zwakke"), ("groot", "klein"),
    ("grote", "kleine"), ("hoog", "laag"), ("hoge", "lage"), ("meer", "minder"), ("beperkt", "uitgebreid"),
    ("beperkte", "uitgebreide"), ("vaak", "zelden"), ("altijd", "nooit"), ("mogelijk", "onmogelijk"),
    ("verplicht", "vrijwillig"), ("structureel", "incidenteel"), ("structurele", "incidentele"),
    ("samenhangend", "versnipperd"), ("samenhangende", "versnipperde"), ("geschikt", "ongeschikt"),
    ("nodig", "onnodig"), ("positief", "negatief"), ("positieve", "negatieve"), ("makkelijk", "moeilijk"),
    ("eenvoudig", "ingewikkeld"), ("snel", "langzaam"), ("actief", "passief"), ("actieve", "passieve"),
    ("grootste", "kleinste"), ("hoger", "lager"), ("groter", "kleiner"), ("toegenomen", "afgenomen"),
    ("gestegen", "gedaald"), ("stijging", "daling"),
)  # fmt: skip
OPPOSITES = {**dict(_PAIRS), **{b: a for a, b in _PAIRS}}
# A second list, written by a helper who had seen neither this module nor the checker's code (2026-12-04),
# after the checker got its own list of opposites (rekenqa.antonyms), which holds the pairs above: the kind
# "tegendeel (tweede lijst)" measures how far the checker's opposites reach beyond the words it was written
# with. Pairs that are also in _PAIRS are left out.
SECOND_PAIRS = (
    ("hogere", "lagere"), ("hoogste", "laagste"), ("snelle", "trage"), ("sneller", "langzamer"),
    ("tijdig", "vertraagd"), ("tijdige", "late"), ("gunstig", "nadelig"), ("gunstige", "nadelige"),
    ("beter", "slechter"), ("eenvoudig", "complex"), ("eenvoudige", "complexe"), ("helder", "vaag"),
    ("heldere", "vage"), ("eenduidig", "tegenstrijdig"), ("transparant", "ondoorzichtig"),
    ("volledig", "gedeeltelijk"), ("volledige", "gedeeltelijke"), ("succesvol", "mislukt"),
    ("succesvolle", "mislukte"), ("proactief", "reactief"), ("tijdelijk", "permanent"),
    ("tijdelijke", "permanente"), ("korte", "lange"), ("expliciet", "impliciet"), ("vrijwillige", "verplichte"),
    ("gezamenlijk", "afzonderlijk"), ("gezamenlijke", "afzonderlijke"), ("intern", "extern"),
    ("interne", "externe"), ("maximaal", "minimaal"), ("meeste", "minste"), ("jaarlijkse", "eenmalige"),
    ("systematisch", "sporadisch"), ("vooraf", "achteraf"), ("toename", "afname"), ("stijgt", "daalt"),
    ("groei", "krimp"), ("verbeterd", "verslechterd"), ("verbetering", "verslechtering"),
    ("versterkt", "verzwakt"), ("versneld", "vertraagd"), ("tekort", "overschot"), ("schaarste", "overvloed"),
    ("voordelen", "nadelen"), ("behaald", "gemist"), ("tevreden", "ontevreden"), ("zekerheid", "onzekerheid"),
    ("juiste", "onjuiste"), ("toereikend", "ontoereikend"),
)  # fmt: skip
SECOND_OPPOSITES = {**dict(SECOND_PAIRS), **{b: a for a, b in SECOND_PAIRS}}
GROUPS = ("statushouders", "arbeidsmigranten", "gezinsmigranten", "asielzoekers", "studiemigranten", "kennismigranten")
# "Wet goed verhuurderschap": a name, whose words are no statement.
NAMES = re.compile(r"\bWet\s+goed\s+verhuurderschap\b", re.IGNORECASE)
FINITE = re.compile(
    r"\b(is|zijn|wordt|worden|heeft|hebben|kan|kunnen|moet|moeten|mag|mogen|zal|zullen|was|waren|biedt|bieden)\b"
)
WORD = re.compile(r"[^\W\d_]+")
BULLET = re.compile(r"^\s*(?:[•●▪◦\-–]|\d+[.)]|[a-z][.)])\s")


def select_sentences(lines: Iterable[str]) -> list[str]:
    """Distinct sentences of running text without digits: 8 to 30 words, ending in a full stop, no bullets."""
    chosen: dict[str, None] = {}
    for line in lines:
        text = line.strip()
        if re.search(r"\d", text) or BULLET.match(text) or not text.endswith("."):
            continue
        if MIN_WORDS <= len(text.split()) <= MAX_WORDS:
            chosen[text] = None
    return list(chosen)


def first_clause(sentence: str) -> str | None:
    """The sentence up to its first comma or semicolon, as a sentence, when it keeps enough words."""
    match = re.search(r"[,;]\s", sentence)
    if match is None:
        return None
    head = sentence[: match.start()].strip()
    return head + "." if len(head.split()) >= MIN_CLAUSE_WORDS else None


def negate(sentence: str) -> str | None:
    """The sentence without its first "niet" or "geen", or with "niet" after its first finite verb."""
    if re.search(r"\bniet\b", sentence):
        return re.sub(r"\s*\bniet\b", "", sentence, count=1)
    if re.search(r"\bgeen\b", sentence):
        return re.sub(r"\bgeen\s+", "", sentence, count=1)
    match = FINITE.search(sentence)
    return sentence[: match.end()] + " niet" + sentence[match.end() :] if match else None


def opposite(sentence: str, rng: random.Random, opposites: dict[str, str] = OPPOSITES) -> str | None:
    """One word of the sentence (outside names) replaced by its opposite, keeping its capital."""
    names = [m.span() for m in NAMES.finditer(sentence)]
    words = [
        m for m in WORD.finditer(sentence)
        if m.group(0).lower() in opposites and not any(a <= m.start() < b for a, b in names)
    ]  # fmt: skip
    if not words:
        return None
    m = rng.choice(words)
    new = opposites[m.group(0).lower()]
    if m.group(0)[0].isupper():
        new = new.capitalize()
    return sentence[: m.start()] + new + sentence[m.end() :]


def other_group(sentence: str, rng: random.Random) -> str | None:
    """The one group the sentence names (plural or singular) replaced by another group."""
    found = [g for g in GROUPS if re.search(rf"\b{g[:-1]}(?:s|en)?\b", sentence, re.IGNORECASE)]
    if len(found) != 1:
        return None
    group = found[0]
    new = rng.choice([g for g in GROUPS if g != group])
    out = re.sub(rf"\b{group}\b", new, sentence, flags=re.IGNORECASE)
    return re.sub(rf"\b{group[:-1]}\b", new[:-1], out, flags=re.IGNORECASE)


def generate(sentences: Sequence[str], seed: int = 0) -> list[Variant]:
    """Every kind's variant of every sentence (one per kind; none where the edit does not apply)."""
    makers: dict[str, Callable[[str, random.Random], str | None]] = {
        "letterlijk": lambda s, rng: s,
        "hoofdzin": lambda s, rng: first_clause(s),
        "inleiding": lambda s, rng: INTRO + s[0].lower() + s[1:],
        "ontkenning": lambda s, rng: negate(s),
        "tegendeel": opposite,
        "andere groep (woorden)": other_group,
        "ontkenning kort": lambda s, rng: (lambda c: negate(c) if c else None)(first_clause(s)),
        "tegendeel kort": lambda s, rng: (lambda c: opposite(c, rng) if c else None)(first_clause(s)),
        "tegendeel (tweede lijst)": lambda s, rng: opposite(s, rng, SECOND_OPPOSITES),
    }
    out = []
    for sentence in dict.fromkeys(sentences):
        for kind, make in makers.items():
            claim = make(sentence, random.Random(f"{seed}:{kind}:{sentence}"))
            if claim and (kind == "letterlijk" or claim != sentence):
                out.append(Variant(kind, kind in TRUE_KINDS, sentence, claim))
    return out


def sample(variants: Sequence[Variant], per_kind: int | None, seed: int = 0) -> list[Variant]:
    """At most ``per_kind`` variants of every word kind (all when None), seeded, in kind order."""
    return claim_variants.sample(variants, per_kind, seed, kinds=KINDS)
