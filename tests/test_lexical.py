from __future__ import annotations

import pytest

from rekenqa.lexical import BM25, Analyzer, build_lexicon, fold, tokenize

LEXICON = build_lexicon(
    ["asiel opvang arbeid migranten statushouders huisvesting verblijf vergunning asielzoekers werk gezin"]
)


def test_fold_and_tokenize() -> None:
    assert fold("Oekraïense ÉÉN") == "oekraiense een"
    assert tokenize("In 2023: 18.480 migranten (11,4%).") == ["in", "2023", "18480", "migranten", "11,4"]


@pytest.mark.parametrize(
    ("word", "parts"),
    [
        ("asielopvang", ["asiel", "opvang"]),
        ("arbeidsmigranten", ["arbeid", "migranten"]),
        ("verblijfsvergunning", ["verblijf", "vergunning"]),
        ("gezinsmigranten", ["gezin", "migranten"]),
        ("gemeente", []),
        ("werk", []),
    ],
)
def test_compound_splitting(word: str, parts: list[str]) -> None:
    assert Analyzer(lexicon=LEXICON).split_compound(word) == parts


def test_analyzer_stems_and_drops_stopwords() -> None:
    terms = Analyzer(lexicon=LEXICON).analyze("Hoeveel arbeidsmigranten wonen er in de gemeente?")
    assert "de" not in terms and "hoeveel" not in terms
    assert "arbeid" in terms and "migrant" in terms  # compound parts are stemmed too
    assert "meen" in terms  # Snowball Dutch stems "gemeente" to "meen"


def test_bm25_ranks_the_matching_passage_first_and_roundtrips() -> None:
    texts = [
        "De gemeente vangt asielzoekers op in de asielopvang aan de Bosweg.",
        "Arbeidsmigranten werken vaak via uitzendbureaus.",
        "Statushouders krijgen een woning.",
    ]
    analyzer = Analyzer(lexicon=build_lexicon(texts + ["asiel opvang arbeid migranten"]))
    bm25 = BM25.build(texts, analyzer)
    scores = bm25.scores("Waar is de opvang van asielzoekers?")
    assert int(scores.argmax()) == 0
    assert bm25.scores("migranten die werken")[1] > 0  # "arbeidsmigranten" found through its part
    again = BM25.from_json(bm25.to_json())
    assert again.scores("statushouders woning").tolist() == bm25.scores("statushouders woning").tolist()
    assert bm25.scores("xyzzy").sum() == 0
