"""The scoring weights of dictionary-guided text repair, as one frozen value with today's defaults."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class RepairWeights:
    """Scores and thresholds of :class:`rekenqa.repair.Vocabulary` and the glyph and hyphen repairs."""

    known: float = 2.0  # score from which a word counts as Dutch
    weak_min: float = 2.5  # a repair through a weak glyph (a real letter too) must reach this score
    weak_min_capital: float = 3.0  # the same for a token that starts with a capital
    weak_gain: float = 1.0  # a weak-glyph repair must beat the token as it stands by this much
    corpus_score: float = 3.0  # the least score of a clean word of the corpus
    compound_score: float = 2.5  # the least score of a word that splits into known parts
    inflected_score: float = 2.2  # the least score of a known word with a Dutch suffix
    stem_zipf: float = 2.3  # Zipf frequency from which the stem of an inflected word is known
    part_zipf_3: float = 4.5  # Zipf frequency a 3-letter compound part needs
    part_zipf_4: float = 3.5  # Zipf frequency a 4-letter compound part needs
    part_zipf_long: float = 3.0  # Zipf frequency a longer compound part needs
    corpus_part_len: int = 5  # from this length a corpus word is a compound part without frequency
    short_part_score: float = 5.0  # score of a short known word or capital run inside a token ("EU/EFTA")
    keep_penalty: float = 3.0  # keeping an unmistakable glyph (inner capital, 7, &)
    initial_penalty: float = 4.0  # keeping a capital glyph that starts a word in mid-sentence ("Den jaar")
    initial_word_score: float = 3.0  # the repaired initial-glyph word must score this for that penalty
    no_reading: float = 1.5  # below this best score a token has no Dutch reading: only certain glyphs go
    max_combos: int = 512  # glyph choices tried per token before only the first option per glyph is
    url_word_zipf: float = 2.5  # a word joined over a line break inside a URL must reach this Zipf frequency
    hyphen_half_zipf: float = 3.0  # both halves this frequent: a line-end hyphen between them is kept


WEIGHTS = RepairWeights()
