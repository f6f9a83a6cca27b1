from __future__ import annotations

from rekenqa.sentences import split_sentences


def test_split_keeps_offsets_and_abbreviations() -> None:
    text = "Er zijn o.a. statushouders en\ngezinsmigranten. In 2023 waren er 18.480 migranten⁷. Bijv. Haarlem."
    spans = split_sentences(text, offset=10)
    assert [s.text for s in spans] == [
        "Er zijn o.a. statushouders en gezinsmigranten.",
        "In 2023 waren er 18.480 migranten⁷.",
        "Bijv. Haarlem.",
    ]
    for span in spans:
        assert text[span.start - 10 : span.end - 10].split() == span.text.split()


def test_bullets_end_sentences() -> None:
    spans = split_sentences("De knelpunten zijn:\n• huisvesting\n• taal en werk\n")
    assert [s.text for s in spans] == ["De knelpunten zijn:", "• huisvesting", "• taal en werk"]
