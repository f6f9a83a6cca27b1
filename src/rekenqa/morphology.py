"""Dutch word forms (pure): is a question word an inflected verb? (simplemma's Dutch lemmas)

A topic word that no passage mentions ("criminaliteit", "wethouder") says the report does not cover the
question; a verb it does not repeat ("geholpen" where the report says "bemiddeld") says little, since the
report tells the same event in its own verbs. The verb forms are recognised by their lemma and shape: a past
participle (ge-…, or after a separable prefix: afgewezen), a finite form (verdwijnt, werkten) or an infinitive
after "te" (terug te dringen).
"""

from __future__ import annotations

import re
from functools import lru_cache


@lru_cache(maxsize=20_000)
def lemma(word: str) -> str:
    import simplemma

    # The frugal backend looks words up in the packed dictionary instead of unpacking all of it first: the
    # same lemmas (every word of the report checked), and 0.2-0.3 s less at the start of a command.
    return str(simplemma.lemmatize(word, lang="nl", low_memory=True)).replace("_", "")


def is_verb_form(word: str, previous: str = "") -> bool:
    """``word`` (lowercase) is an inflected verb; ``previous`` is the word before it in the sentence."""
    base = lemma(word)
    if not base.endswith("en") or len(word) < 4:
        return False
    if base == word:
        return previous == "te"  # an infinitive after "te"; otherwise a plural noun may look the same
    if re.match(r"^(\w{0,6}?)ge\w+[dtn]$", word) and not word.startswith(base[:-2] + "e"):
        return True  # a past participle: geholpen, geregeld, afgewezen, teruggekeerd
    return bool(re.search(r"(t|te|ten|de|den)$", word))  # verdwijnt, betaalt, werkten
