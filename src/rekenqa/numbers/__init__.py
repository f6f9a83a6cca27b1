"""Dutch numerals (pure): parse, find, format and compare the numbers in report sentences and debate claims.

The package knows the Dutch ways of writing a number: "18.480" (thousands dot), "11,4" (decimal comma),
"€ 1,4 mln", "11,4 procent", "16,6 per 1000 inwoners", "tweeduizend vijfhonderd", "tweederde", "vier op
de vijf", "ruim verdubbeld", "gestegen van 607 naar 1.015", periods such as "derde kwartaal 2024", and the
hedges that say how exact a number is meant ("ruim", "bijna", "circa"). ``find_numbers`` returns every
quantity in a sentence as a :class:`Quantity`; ``matches`` says whether a claimed quantity is consistent
with a reported one, allowing for the hedge and for rounding at the stated precision.

Label-like numbers ("Tabel 4", "paragraaf 2.3", "artikel 28", heading numbers at a line start) are
recognised and dropped unless ``include_labels=True``, which returns them as kind ``"label"``/``"ordinal"``.
Numbers inside URLs, identifiers, phone numbers and postcodes never produce a quantity, and neither do
footnote markers glued to a word, a percent sign or a closing parenthesis ("inwoners7", "(5,1%)8").

Where what lives (the Dutch words themselves are in ``rekenqa.lexicon``):

    quantity.py   Quantity, the value every part returns
    words.py      number words -> values, and number_to_words
    format.py     digit numerals: parse_number, format_number
    mask.py       footnote markers (split by rekenqa.artefacts.markers), URLs, phones, postcodes, numeric
                  dates: masked before scanning
    atoms.py      digit and word atoms, and the shadow text with a placeholder per atom
    context.py    the hedge before, the unit after and the noun counted by a number
    grammar.py    shared pattern pieces over the shadow text
    periods.py    rules for labels, periods and dates
    amounts.py    rules for changes, factors, fractions, rates, ranges and simple quantities
    scan.py       the scanner that applies the rules in order: find_numbers, years_in
    compare.py    as_comparable, matches
"""

from __future__ import annotations

import logging

from rekenqa.artefacts.markers import split_footnote_marker  # re-export: the markers live in artefacts
from rekenqa.numbers.compare import as_comparable, matches
from rekenqa.numbers.format import format_number, parse_number
from rekenqa.numbers.quantity import Quantity
from rekenqa.numbers.scan import find_numbers, years_in
from rekenqa.numbers.words import number_to_words

logger = logging.getLogger(__name__)

__all__ = [
    "Quantity",
    "as_comparable",
    "find_numbers",
    "format_number",
    "matches",
    "number_to_words",
    "parse_number",
    "split_footnote_marker",
    "years_in",
]
