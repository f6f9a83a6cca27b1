"""The text export's broken ligatures, as the number grammar tolerates them: all in this one place.

The report's text export writes the "ti" ligature as "D" or "/" ("twinDg", "ar/kel") and "ft" as "m"
("helm"). Claims and quotes do not go through the same repair as the report yet, so the grammar accepts
both spellings. When the shared text normalisation repairs every text before it is scanned, these
alternatives (and their uses in ``words`` and ``grammar``) can go.
"""

from __future__ import annotations

import re

# "twinDg", "twin/g" -> "twintig".
_BROKEN_TI = re.compile(r"(?<=[a-zë])(?:D|/)(?=[a-zë])")
# "artikel" with a broken "ti" ligature, as an alternative of the label words.
BROKEN_ARTIKEL = r"ar/kel|ar[Dd]kel"
# "helft" with a broken "ft" ligature.
BROKEN_HELFT = r"hel[mM]"
# Pre-checks that accept "helft" and its broken form "helm".
HELFT_OR_BROKEN = r"hel[fm]"


def fix_ligatures(word: str) -> str:
    """Undo the broken "ti" ligature of the text export inside a word ("twinDg", "twin/g" -> "twintig")."""
    return _BROKEN_TI.sub("ti", word)
