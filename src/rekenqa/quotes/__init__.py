"""Quote verification: does a pasted quote really stand in the report, and on which page?

:class:`QuoteMatcher` is built once over the repaired pages of the documents and answers
:meth:`QuoteMatcher.check` with a :class:`~rekenqa.types.QuoteVerdict`:

- ``exact``: the words and punctuation stand in the report (whitespace, line breaks, line-end
  hyphenation, quote styles, footnote markers and the PDF's broken ligature glyphs are ignored);
- ``harmless``: the same words, but punctuation or capitalisation differ, an omission is marked with
  an ellipsis, or exactly one filler word ("ook", "wel", "dus", ...) was added or left out;
- ``altered``: close to a passage of the report, but numbers, years, negations, groups or other words
  differ; the verdict carries a word diff and Dutch change descriptions;
- ``not_found``: nothing in the report is close enough.

How it works. Every page is cut into whitespace-separated words; each word gets a match key (lowercase,
without surrounding punctuation and footnote markers, thousands separators dropped). The main segment of
a document is its text in page order (body, footnote block, next page), so quotes from footnotes are
found; where a footnote block interrupts the body, a bridge segment joins the last body words of the page
to the first body words of the next page, so a sentence that runs over the page break is found too (with
both pages). An inverted index of word 3-grams gives candidate windows; ``difflib.SequenceMatcher``
aligns the quote with the best few windows only.

Quotation marks around the whole quote and a missing full stop at its end are not differences (``exact``);
quotation marks added inside the quote are (``harmless``).

The pasted quote is repaired against the report's own vocabulary (no dictionary): broken ligature glyphs
("migraDe", "heeM", "debaPen", "Migra&e", "defini/e", "ahankelijk"), footnote numbers glued to a word
("inwoners7.") and line-end hyphenation ("econo-\\nmische") are undone only where the result is a word of
the report.

    words.py     word lists, comparison forms and match keys, the report's words
    paste.py     QuoteReader: a pasted quote into repaired words
    matcher.py   QuoteMatcher: the word index, candidate windows, alignment, verdicts
    describe.py  Dutch descriptions of the differences

Pure package: no I/O.
"""

from __future__ import annotations

from rekenqa.quotes.matcher import QuoteMatcher
from rekenqa.quotes.words import FILLER_WORDS, GROUP_WORDS, NEGATIONS

__all__ = ["QuoteMatcher", "FILLER_WORDS", "NEGATIONS", "GROUP_WORDS"]
