"""Repair the PDF text export of the report: ligatures, hyphenation, footnote markers and URL lines.

What the export does to text, and how each artefact is undone, lives in :mod:`rekenqa.artefacts` (glyph
tables, glyph repair, markers, hyphens, footnote areas, URLs). This module builds the :class:`Vocabulary` that
guides those repairs and applies them to a document's pages. A glyph is only replaced where the result is a
Dutch word: the candidates of a token are scored with the vocabulary (wordfreq's Dutch list, compounds of
known parts, the corpus's own clean words); the weights are :class:`~rekenqa.artefacts.weights.RepairWeights`.

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
from dataclasses import dataclass, field, replace
from functools import lru_cache

from rekenqa.artefacts.footnotes import FOOTNOTE_DEF, group_by_footnote, split_footnote_area
from rekenqa.artefacts.glyphs import BODY, FOOTNOTE, LETTER, LOST_LIGATURES, REGIONS, REPLACEMENT_CHAR
from rekenqa.artefacts.hyphens import join_across_pages, join_hyphenation
from rekenqa.artefacts.ligatures import (
    RepairKey,
    best_weak,
    looks_broken,
    repair_glyphs,
    repair_token,
    repair_url,
    repair_words,
)
from rekenqa.artefacts.markers import SUPERSCRIPT_DIGITS, mark_footnotes, parse_superscript, superscript
from rekenqa.artefacts.residue import find_artifacts
from rekenqa.artefacts.urls import ANNOTATION_RE, URL_RE, join_url_lines, link_overlap, url_texts
from rekenqa.artefacts.weights import WEIGHTS, RepairWeights
from rekenqa.types import Page

logger = logging.getLogger(__name__)

__all__ = [
    "ANNOTATION_RE",
    "KNOWN",
    "REGIONS",
    "REPLACEMENT_CHAR",
    "SUPERSCRIPT_DIGITS",
    "URL_RE",
    "RepairWeights",
    "Vocabulary",
    "build_vocabulary",
    "find_artifacts",
    "has_broken_ligatures",
    "parse_superscript",
    "repair_pages",
    "repair_text",
    "repair_token",
    "split_footnote_area",
    "superscript",
]

KNOWN = WEIGHTS.known  # score from which a word counts as Dutch (kept for callers of the old constant)
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
    weights: RepairWeights = WEIGHTS
    repair_cache: dict[RepairKey, str] = field(default_factory=dict, repr=False)

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
            value = max(value, self.weights.corpus_score)
        weights = self.weights
        if value < weights.compound_score and self.is_compound(w):
            value = weights.compound_score
        if value < weights.inflected_score and self._inflected(w):
            value = weights.inflected_score
        self._scores[w] = value
        return value

    def _inflected(self, w: str) -> bool:
        """Whether ``w`` is a known word with a Dutch inflection or derivation suffix."""
        for suffix, replacement in _SUFFIXES:
            if len(w) - len(suffix) < 4 or not w.endswith(suffix):
                continue
            stem = w[: len(w) - len(suffix)] + replacement
            if self.zipf(stem) >= self.weights.stem_zipf or stem in self.corpus or self.is_compound(stem):
                return True
        return False

    def known(self, word: str) -> bool:
        """Whether ``word`` is Dutch as far as this vocabulary knows."""
        return self.score(word) >= self.weights.known

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
        """Whether ``part`` may be a part of a compound (frequent enough for its length)."""
        ok = self._parts.get(part)
        if ok is None:
            w = self.weights
            z = self.zipf(part) if len(part) >= 3 else 0.0
            need = w.part_zipf_3 if len(part) == 3 else w.part_zipf_4 if len(part) == 4 else w.part_zipf_long
            ok = z >= need or (len(part) >= w.corpus_part_len and part in self.corpus)
            self._parts[part] = ok
        return ok

    def _split(self, w: str, start: int, parts: int) -> bool:
        """Whether ``w[start:]`` splits into known parts (``parts`` found before it)."""
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
    clean_word = re.compile(f"{LETTER}+(?:-{LETTER}+)*")
    for page in pages:
        previous_hyphen = False
        for line in page.text.split("\n"):
            if ANNOTATION_RE.match(line):
                url_words.update(w.lower() for w in re.findall(f"{LETTER}{{3,}}", line))
            chunks = [m.group(0) for m in chunk_re.finditer(line)]
            for i, chunk in enumerate(chunks):
                if i == 0 and previous_hyphen:
                    continue  # second half of a hyphenated word
                if chunk.endswith("-") or "://" in chunk or "www." in chunk:
                    continue
                core = chunk.strip("()[]{}.,;:!?‘’“”'\"•●%")
                if not clean_word.fullmatch(core) or looks_broken(core):
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
        if plain.zipf(word) >= plain.weights.known:
            continue
        best = best_weak(word, BODY, plain) or best_weak(word, FOOTNOTE, plain)
        if best is None and word in capitalised and word[:1] in "dmp":
            glyph = repair_glyphs(capitalised[word], plain, BODY, False, False)
            if glyph != capitalised[word] and plain.known(glyph):
                best = glyph
        if best is not None:
            del corpus[word]
    vocab.corpus = corpus
    vocab.hyphenated = frozenset(hyphenated)
    vocab.url_words = frozenset(url_words)
    logger.debug("vocabulary: %d corpus words, %d hyphenated forms", len(corpus), len(hyphenated))
    return vocab


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
    start, defs = split_footnote_area(content, expected, marked=page.blocks_known)
    if not defs:
        return _RawPage(page, content, [], annotations, [])
    body = content[:start]
    notes = [line for line in content[start:] if line.strip()]
    return _RawPage(page, body, notes, annotations, defs)


def _number_lines(lines: list[str], defs: Sequence[int]) -> None:
    """Write each footnote's number with one space after it ("7Zie" -> "7 Zie")."""
    numbers = iter(defs)
    expected = next(numbers, None)
    for k, line in enumerate(lines):
        m = FOOTNOTE_DEF.match(line)
        if expected is not None and m and int(m.group(1)) == expected:
            lines[k] = f"{m.group(1)} {line[m.end() :]}"
            expected = next(numbers, None)


def _place_links(annotations: Sequence[str], numbered: list[tuple[int | None, list[str]]]) -> dict[str, int]:
    """Which footnote (index into ``numbered``) each link annotation found in none of them belongs to.

    Link annotations come in the order of the links on the page: the ones found in a footnote anchor the
    others between them; between two anchors the footnote whose prose shares most words wins.
    """
    prose = [URL_RE.sub(" ", " ".join(group)) for _, group in numbered]
    anchors: list[int | None] = []
    for url in annotations:
        anchors.append(next((k for k, (_, group) in enumerate(numbered) if url in "\n".join(group)), None))
    placed: dict[str, int] = {}
    last = 0
    for position, url in enumerate(annotations):
        anchor = anchors[position]
        if anchor is not None:
            last = anchor
            continue
        if url in placed:
            continue
        upper = next((a for a in anchors[position + 1 :] if a is not None), len(numbered) - 1)
        upper = max(upper, last)
        best, best_overlap = last, -1
        for k in range(last, upper + 1):
            ov = link_overlap(url, prose[k])
            if ov > best_overlap:
                best, best_overlap = k, ov
        placed[url] = best
        last = best
    return placed


def _repair_notes(raw: _RawPage, vocab: Vocabulary, ligatures: bool = True) -> list[str]:
    """Repair the footnote area of a page and fold the link annotations into their footnotes."""
    if not raw.notes:
        return []
    text = repair_text(
        "\n".join(raw.notes), vocab, "footnote", annotations=raw.annotations, ligatures=ligatures
    )
    lines = [line.rstrip() for line in text.split("\n") if line.strip()]
    _number_lines(lines, raw.defs)
    present = set(url_texts(text))
    pending: list[str] = []
    for url in raw.annotations:
        if url in present or url in pending:
            continue
        pending.append(url)
    if not pending:
        return lines
    groups = group_by_footnote(lines, raw.defs, lambda line: line)
    numbered = [g for g in groups if g[0] is not None]
    if not numbered:
        groups[-1][1].extend(pending)
        return [line for _, group in groups for line in group]
    placed = _place_links(raw.annotations, numbered)
    for url in pending:
        numbered[placed.get(url, len(numbered) - 1)][1].append(url)
    return [line for _, group in groups for line in group]


def repair_pages(pages: Sequence[Page], vocab: Vocabulary) -> list[Page]:
    """Repair the pages of one document (see the module docstring for the layout of the result)."""
    raws: list[_RawPage] = []
    expected = 1
    for page in pages:
        raw = _split_raw(page, expected)
        if raw.defs:
            expected = raw.defs[-1] + 1
        raws.append(raw)
    join_across_pages([raw.body for raw in raws], vocab, BODY)
    ligatures = has_broken_ligatures(pages)
    if pages and not ligatures:
        logger.info(
            "%s: no broken ligatures found; only hyphenation and footnotes are repaired", pages[0].doc_id
        )
    used: set[int] = set()
    defined_before = 0
    out: list[Page] = []
    for raw in raws:
        body_lines = join_hyphenation(raw.body, vocab, BODY)
        body = "\n".join(body_lines)
        if ligatures:
            body = repair_words(body, vocab, "body")
        allowed = set(raw.defs)
        allowed.add((raw.defs[-1] if raw.defs else defined_before) + 1)
        if not raw.page.blocks_known:  # a PDF reader set its markers from their font size already
            body, _ = mark_footnotes(body, allowed, used)
        if raw.defs:
            defined_before = raw.defs[-1]
        body_out = _tidy(body.split("\n"))
        notes = _repair_notes(raw, vocab, ligatures)
        if notes:
            while body_out and not body_out[-1]:
                body_out.pop()
            # A reader that knew the footnotes keeps their separator: one space (see split_footnote_area).
            text = "\n".join([*body_out, " " if raw.page.blocks_known else "", *notes])
        else:
            text = "\n".join(body_out)
        out.append(replace(raw.page, text=text))
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


# --------------------------------------------------------------------------------------------------
# Text
# --------------------------------------------------------------------------------------------------


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
    gs = LOST_LIGATURES.glyph_set(region)
    lines = text.split("\n")
    if region == "footnote":
        lines, urls = join_url_lines(lines)
        fixed_urls: dict[tuple[int, int, int], str] = {}
        for line_no, start, end, joins in urls:
            url = lines[line_no][start:end]
            fixed_urls[(line_no, start, end)] = repair_url(url, joins, vocab, annotations, ligatures)
        for (line_no, start, end), url in sorted(fixed_urls.items(), reverse=True):
            line = lines[line_no]
            lines[line_no] = line[:start] + url + line[end:]
    lines = join_hyphenation(lines, vocab, gs)
    repaired = "\n".join(lines)
    if ligatures:
        repaired = repair_words(repaired, vocab, region)
    if footnotes is not None and region != "footnote":
        repaired, _ = mark_footnotes(repaired, set(footnotes), set())
    return repaired
