"""The glyph tables of a PDF export that lost its ligatures: data, one profile per export kind.

The report's export substitutes another glyph for each ligature, per font group: body ``D`` = ti,
``M`` = ft, ``P`` = tt, ``n`` = tti, ``s`` = fk, a dropped ``f`` before ``h``; headings ``7``/``'``;
captions ``&``; bullets and tables ``(``/``.``; footnotes ``/`` = ti, ``U`` = ft, ``q`` = tt, ``x`` = fh;
``�`` for several. The algorithms that read these tables live in :mod:`rekenqa.artefacts.ligatures`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

# A letter of a word: not a digit, underscore or superscript footnote marker.
LETTER = r"[^\W\d_\u00b2\u00b3\u00b9\u2070-\u2079]"
REPLACEMENT_CHAR = "\ufffd"
# Every ligature "�" may stand for, in the order they are tried.
MULTI = ("ti", "tti", "tt", "ft", "fb", "tf", "fi", "fl", "ff", "ffi", "fk", "fh", "fj")

REGIONS = ("body", "heading", "caption", "bullet", "table", "footnote")


@dataclass(frozen=True, slots=True)
class GlyphSet:
    """The ligature substitutes of one group of fonts."""

    glyphs: Mapping[str, tuple[str, ...]]  # tried even when the token looks fine
    weak: Mapping[str, tuple[str, ...]]  # real letters too: tried only on unknown tokens
    insert_f_before_h: bool  # the dropped "fh" ligature (ahankelijk -> afhankelijk)
    token: re.Pattern[str]


@dataclass(frozen=True, slots=True)
class ExportProfile:
    """The glyph sets of one kind of export: one for the body fonts, one for the footnote font."""

    name: str
    body: GlyphSet
    footnote: GlyphSet

    def glyph_set(self, region: str) -> GlyphSet:
        """The glyph set of a text region (one of :data:`REGIONS`)."""
        if region not in REGIONS:
            raise ValueError(f"unknown region {region!r}; expected one of {', '.join(REGIONS)}")
        return self.footnote if region == "footnote" else self.body


def token_pattern(inner: str, leading: str = "") -> re.Pattern[str]:
    """A word that may hold the glyphs ``inner`` between letters (and ``leading`` before its first)."""
    lead = f"(?:(?<![^\\s(‘“'\"])[{leading}](?=[a-zà-ÿ]))?" if leading else ""
    return re.compile(f"{lead}{LETTER}+(?:[{inner}]+{LETTER}+)*")


LOST_LIGATURES = ExportProfile(
    name="pdf-lost-ligatures",
    body=GlyphSet(
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
            REPLACEMENT_CHAR: MULTI,
        },
        weak={"n": ("tti",), "s": ("fk",)},
        insert_f_before_h=True,
        token=token_pattern("7'&(.\ufffd"),
    ),
    footnote=GlyphSet(
        glyphs={"/": ("ti", "tti"), "U": ("ft",), REPLACEMENT_CHAR: MULTI},
        weak={"q": ("tt",), "x": ("fh",)},
        insert_f_before_h=False,
        token=token_pattern("/\ufffd", leading="/"),
    ),
)
BODY = LOST_LIGATURES.body
FOOTNOTE = LOST_LIGATURES.footnote

UPPER_GLYPHS = frozenset("DMPXU")  # capitals that are a glyph after a lowercase letter
CERTAIN_GLYPHS = frozenset("7&")  # always a ligature between letters
# Short words that count as known inside a token with glyph punctuation ("en/of").
SHORT_WORDS = frozenset(
    "s t n r en of de het in op te na om is zo al nu er ze we je u ik zij hij bij via wo hbo mbo ex co nl "
    "rol tot hem wet ict aan met van dat die wie wat één een".split()
)
ACRONYM = re.compile(r"[A-Z][a-z]{1,2}[A-Z]")  # AenM, JenV: not a glyph

# --- the same glyphs as the quote matcher tries them (every font group at once) -------------------
# Glyphs tried with every ligature in a pasted quote; the footnote font's weak "q" counts as strong there.
QUOTE_STRONG_GLYPHS = frozenset(BODY.glyphs) | frozenset(FOOTNOTE.glyphs) | {"q"}
# Every ligature, in the order the quote matcher tries them (ties go to the first).
QUOTE_GLYPH_OPTIONS = ("ti", "ft", "tt", "tti", "fi", "fl", "ff", "ffi", "fk", "fh", "tf", "fb", "fj")
QUOTE_PRIMARY_OPTIONS = ("ti", "ft", "tt", "tti")
# Glyphs that are real letters too; "h" stands for the dropped "f" of "fh".
QUOTE_WEAK_GLYPHS = {**BODY.weak, **FOOTNOTE.weak, "h": ("fh",)}
QUOTE_INITIAL_GLYPHS = frozenset("/('")  # a glyph at a word start that reads as punctuation
QUOTE_MAX_COMBOS = 700
# The most likely ligature of each glyph, for a cut-off quote word ("migraDe" -> "migratie"); "." and "�"
# are left alone there.
PRIMARY_GLYPH_TABLE = str.maketrans(
    {
        glyph: options[0]
        for gs in (BODY, FOOTNOTE)
        for glyph, options in gs.glyphs.items()
        if glyph not in (".", REPLACEMENT_CHAR)
    }
)
