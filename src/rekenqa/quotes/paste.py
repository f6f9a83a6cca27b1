"""A pasted quote read into words: PDF paste artefacts repaired against the documents' own words.

Broken ligature glyphs ("migraDe", "heeM", "debaPen", "Migra&e", "defini/e", "ahankelijk"), footnote numbers
glued to a word ("inwoners7.") and line-end hyphenation ("econo-\\nmische") are undone only where the result
is a word of the documents; the repairs themselves are :mod:`rekenqa.artefacts`'.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from rekenqa.artefacts.glyphs import QUOTE_INITIAL_GLYPHS
from rekenqa.artefacts.hyphens import join_pasted_hyphens
from rekenqa.artefacts.ligatures import repair_to_known
from rekenqa.artefacts.markers import GLUED_AFTER_THOUSANDS, GLUED_DIGITS, GLUED_PREFIX_OK
from rekenqa.artefacts.normalize import normalize_input
from rekenqa.artefacts.urls import URL_LIKE
from rekenqa.quotes.words import (
    CMP_TABLE,
    ELLIPSIS_CHUNKS,
    OPENING,
    Token,
    match_key,
    split_edges,
    split_raw,
    word_key,
)

_MAX_REPAIR_LEN = 40  # longer pasted words are not repaired
_MAX_CACHE = 50_000  # resolved words remembered before the cache starts afresh


@dataclass(slots=True)
class Quote:
    tokens: list[Token]
    keys: list[str]
    ellipsis_before: set[int] = field(default_factory=set)  # quote positions preceded by "(…)"


class QuoteReader:
    """Reads pasted quotes against the match keys of the documents' words (``vocabulary``, with counts)."""

    def __init__(self, vocabulary: Counter[str]) -> None:
        self.vocabulary = vocabulary
        self._resolve_cache: dict[str, tuple[str, bool, bool]] = {}

    def resolve(self, chunk: str) -> tuple[str, bool, bool]:
        """Repair one pasted word against the report's vocabulary: (fixed chunk, known, repaired)."""
        cached = self._resolve_cache.get(chunk)
        if cached is not None:
            return cached
        result = self._resolve_uncached(chunk)
        if len(self._resolve_cache) > _MAX_CACHE:
            self._resolve_cache.clear()
        self._resolve_cache[chunk] = result
        return result

    def _resolve_uncached(self, chunk: str) -> tuple[str, bool, bool]:
        """Repair a pasted link, a glued footnote number or broken glyphs (see :meth:`resolve`)."""
        vocab = self.vocabulary
        cmp = chunk.translate(CMP_TABLE)
        _, core, _ = split_edges(cmp)
        if not core or match_key(core) in vocab:
            return chunk, bool(core), False
        raw_lead, raw_core, raw_trail = split_raw(chunk)
        if URL_LIKE.search(raw_core):
            # the PDF's links: "hqps://" for "https://", "q" for "tt" in the footnote font
            fixed_url = raw_core.replace("hqp", "http")
            for candidate in (fixed_url, fixed_url.replace("q", "tt")):
                if match_key(split_edges(candidate.translate(CMP_TABLE))[1]) in vocab:
                    return raw_lead + candidate + raw_trail, True, True
            return chunk, False, False
        if len(raw_core) > _MAX_REPAIR_LEN:
            return chunk, False, False
        thousands = GLUED_AFTER_THOUSANDS.fullmatch(raw_core)
        if thousands and match_key(thousands.group(1)) in vocab:
            # "735.00074": a footnote number glued to a number with thousands separators
            return raw_lead + thousands.group(1) + raw_trail, True, True
        # a footnote number glued to the word: "inwoners7", "(5,1%)8", "samenleving.54"
        glued = GLUED_DIGITS.fullmatch(raw_core)
        if glued and not GLUED_PREFIX_OK.search(glued.group(1)):
            glued = None
        if glued:
            prefix = glued.group(1)
            _, p_core, _ = split_edges(prefix.translate(CMP_TABLE))
            if p_core and match_key(p_core) in vocab:
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
            p_lead, p_core, p_trail = split_raw(glued.group(1))
            fixed = repair_to_known(p_core, self._count) if p_core else None
            if fixed is not None:
                return raw_lead + p_lead + fixed + p_trail + raw_trail, True, True
        return chunk, False, False

    def _count(self, candidate: str) -> int:
        """How often a repair candidate stands in the documents as a word (0: not, or only with punctuation before it)."""
        cmp = candidate.translate(CMP_TABLE)
        if split_edges(cmp)[0]:
            return 0
        return self.vocabulary.get(match_key(cmp), 0)

    def _known(self, chunk: str) -> bool:
        """Whether a pasted chunk is, after repair, a word of the documents."""
        return self.resolve(chunk)[1]

    def read(self, quote: str) -> Quote:
        """The words of a pasted quote, repaired, with the omissions it marks."""
        chunks = join_pasted_hyphens(normalize_input(quote).split(), self._known, word_key)
        tokens: list[Token] = []
        ellipsis_before: set[int] = set()
        pending_disp: list[str] = []
        pending_cmp: list[str] = []
        for chunk in chunks:
            if chunk in ELLIPSIS_CHUNKS or chunk.translate(CMP_TABLE) in ELLIPSIS_CHUNKS:
                ellipsis_before.add(len(tokens))
                continue
            fixed, _, repaired = self.resolve(chunk)
            cmp = fixed.translate(CMP_TABLE)
            lead, core, trail = split_edges(cmp)
            if not core:
                if tokens and fixed[:1] not in OPENING:
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
            tokens.append(Token(match_key(core), cmp, fixed, core, repaired=repaired))
            if "..." in trail:
                ellipsis_before.add(len(tokens))
        if pending_disp and tokens:
            tokens[-1].disp += " " + " ".join(pending_disp)
            tokens[-1].cmp += "".join(pending_cmp)
        return Quote(tokens, [t.key for t in tokens], ellipsis_before)
