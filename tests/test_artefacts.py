"""Tests for rekenqa.artefacts on literal strings: what the PDF export does to text, and how it is undone."""

from __future__ import annotations

import re
from collections import Counter

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rekenqa import repair
from rekenqa.artefacts import footnotes, hyphens, ligatures, markers, normalize, urls
from rekenqa.artefacts.glyphs import BODY, FOOTNOTE, LOST_LIGATURES, REGIONS
from rekenqa.artefacts.residue import find_artifacts
from rekenqa.artefacts.weights import WEIGHTS, RepairWeights

# --- glyph profile ------------------------------------------------------------------------------------------


def test_profile_has_one_glyph_set_per_font_group() -> None:
    assert LOST_LIGATURES.glyph_set("footnote") is FOOTNOTE
    for region in REGIONS[:-1]:
        assert LOST_LIGATURES.glyph_set(region) is BODY
    assert BODY.glyphs["D"] == ("ti",) and FOOTNOTE.glyphs["/"] == ("ti", "tti")
    assert BODY.insert_f_before_h and not FOOTNOTE.insert_f_before_h
    with pytest.raises(ValueError, match="unknown region"):
        LOST_LIGATURES.glyph_set("margin")


def test_weights_keep_the_values_repair_was_tuned_with() -> None:
    assert WEIGHTS == RepairWeights()
    assert (WEIGHTS.known, WEIGHTS.weak_min, WEIGHTS.corpus_score) == (2.0, 2.5, 3.0)
    assert (WEIGHTS.part_zipf_3, WEIGHTS.part_zipf_4, WEIGHTS.part_zipf_long) == (4.5, 3.5, 3.0)
    assert (WEIGHTS.keep_penalty, WEIGHTS.initial_penalty, WEIGHTS.max_combos) == (3.0, 4.0, 512)
    assert repair.KNOWN == WEIGHTS.known


# --- artifact detection -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "broken",
    [
        "migraDe",
        "heeM",
        "debaPen",
        "ArbeidsmarkXoegang",
        "onderschanng",
        "nung",
        "wachnjden",
        "asomstig",
        "ahankelijk",
        "axankelijk",
        "Migra7e",
        "Migra'e",
        "Migra&e",
        "migra/e",
        "Jus//e",
        "/jdelijk",
        "heeU",
        "hqps://www.coa.nl",
        "neqo",
        "na(onaliteiten",
        "lee\ufffdaarheid",
        "Huisves.ng",
        "Djdelijk",
        "de afgelopen Den jaar",
        "team (3,8 Me)",
    ],
)
def test_find_artifacts_flags_every_kind(broken: str) -> None:
    assert find_artifacts(f"Een zin met {broken} erin.")


def test_find_artifacts_reports_offsets() -> None:
    text = "Het is migraDe en heeM."
    assert find_artifacts(text) == [(7, "migraDe"), (18, "heeM")]
    assert repair.find_artifacts is find_artifacts


def test_find_artifacts_skips_urls_and_acronyms() -> None:
    assert find_artifacts("Zie www.coa.nl/MigraDe en AenM.") == []


# --- superscripts and glued markers ------------------------------------------------------------------------


def test_superscript_round_trip() -> None:
    assert markers.superscript(7) == "⁷"
    assert markers.superscript(154) == "¹⁵⁴"
    assert markers.parse_superscript("⁹⁴") == 94
    assert markers.parse_superscript("94") is None
    assert markers.parse_superscript("") is None
    assert not re.search(r"\d", markers.superscript(1234567890))
    with pytest.raises(ValueError):
        markers.superscript(-1)


@given(st.integers(min_value=0, max_value=10**6))
def test_superscript_property(n: int) -> None:
    assert markers.parse_superscript(markers.superscript(n)) == n


def test_marker_numbers_refs_and_stripping() -> None:
    text = "inwoners⁷ en (5,1%)⁸ en weer⁷ en migranten⁹⁴"
    assert markers.footnote_refs(text) == (7, 8, 94)
    assert markers.marker_numbers(text) == (7, 8, 7, 94)
    assert markers.strip_markers(text) == "inwoners en (5,1%) en weer en migranten"


@pytest.mark.parametrize(
    ("text", "allowed", "expected", "numbers"),
    [
        ("van de inwoners7. De groep (5,1%)8 en 18.480 in 2023", {7, 8}, "van de inwoners⁷. De groep (5,1%)⁸ en 18.480 in 2023", [7, 8]),
        ("op 4 maart 2027100 en 735.00074, klaar", {100, 74}, "op 4 maart 2027¹⁰⁰ en 735.000⁷⁴, klaar", [100, 74]),
        ("personen. 41 Dan", {41}, "personen. ⁴¹ Dan", [41]),
        ("in 2019-2025 en 6.1 en 24-weken", {25, 1, 24}, "in 2019-2025 en 6.1 en 24-weken", []),
        ("inwoners7 en weer7", {7}, "inwoners⁷ en weer7", [7]),
    ],
)
def test_mark_footnotes(text: str, allowed: set[int], expected: str, numbers: list[int]) -> None:
    used: set[int] = set()
    assert markers.mark_footnotes(text, allowed, used) == (expected, numbers)
    assert used == set(numbers)


def test_glued_marker_patterns() -> None:
    assert markers.GLUED_AFTER_PUNCT.fullmatch("gegeven).9").group(1) == "gegeven)."  # type: ignore[union-attr]
    assert markers.GLUED_AFTER_THOUSANDS.fullmatch("735.00074").group(1) == "735.000"  # type: ignore[union-attr]
    assert markers.GLUED_WORD_DIGITS.fullmatch("inwoners7").group(1) == "inwoners"  # type: ignore[union-attr]
    assert markers.GLUED_PREFIX_OK.search("2.525") is None


# --- hyphens ----------------------------------------------------------------------------------------------


def test_split_pieces_marks_line_and_paragraph_ends() -> None:
    pieces = hyphens.split_pieces("De econo-\nmische groei\n\nEU", 3)
    assert [(p.text, p.line_end, p.para_end) for p in pieces] == [
        ("De", False, False),
        ("econo-", True, False),
        ("mische", False, False),
        ("groei", True, True),
        ("EU", True, False),
    ]
    assert {p.page for p in pieces} == {3}


def test_join_counted_hyphens() -> None:
    pieces = hyphens.split_pieces("De econo-\nmische groei en asiel-\nen arbeid\n\nEU/EFTA- landen", 1)
    joined = hyphens.join_counted_hyphens(pieces, Counter({"eu/efta-landen": 1}), str.lower)
    assert [p.text for p in joined] == ["De", "economische", "groei", "en", "asiel-", "en", "arbeid", "EU/EFTA-landen"]


def test_join_pasted_hyphens_only_into_known_words() -> None:
    chunks = ["econo-", "mische", "asiel-", "en", "werk-", "nemers", "t/m", "zee-", "egel"]
    known = {"economische", "zee-egel"}
    out = hyphens.join_pasted_hyphens(chunks, known.__contains__, str.lower)
    assert out == ["economische", "asiel-", "en", "werk-", "nemers", "t/m", "zee-egel"]


# --- footnote areas ---------------------------------------------------------------------------------------


def test_split_footnote_area() -> None:
    lines = ["Tekst van de pagina.", "vervolg", " ", "7 Zie CBS.", "8Zie ook.", "https://www.cbs.nl/x"]
    assert footnotes.split_footnote_area(lines, 7) == (3, [7, 8])
    assert footnotes.split_footnote_area(lines, 9) == (len(lines), [])


def test_split_footnote_text() -> None:
    body, notes, expected = footnotes.split_footnote_text("Tekst⁸ hier.\n\n8 Zie CBS.\n9 Ook.\nverder", 7)
    assert (body, notes, expected) == ("Tekst⁸ hier.", "8 Zie CBS.\n9 Ook.\nverder", 10)
    assert footnotes.split_footnote_text("Tekst.\n\n8 Zie CBS.", 7) == ("Tekst.\n\n8 Zie CBS.", "", 7)


def test_group_by_footnote() -> None:
    groups = footnotes.group_by_footnote(["vervolg", "7 Zie", "meer", "9 Niet", "8 Ook"], [7, 8], lambda s: s)
    assert groups == [(None, ["vervolg"]), (7, ["7 Zie", "meer", "9 Niet"]), (8, ["8 Ook"])]


# --- URLs -------------------------------------------------------------------------------------------------


def test_url_spans_leave_trailing_punctuation_out() -> None:
    text = "Zie https://www.cbs.nl/x). En www.ser.nl."
    assert urls.url_spans(text) == [(4, 24), (30, 40)]
    assert urls.url_texts(text) == ["https://www.cbs.nl/x", "www.ser.nl"]
    assert urls.inside(urls.url_spans(text), 10, 20) and not urls.inside(urls.url_spans(text), 0, 5)
    assert urls.unique_urls("a https://a.nl/x, b https://a.nl/x. c www.b.nl") == ("https://a.nl/x", "www.b.nl")


def test_join_url_lines() -> None:
    lines, found = urls.join_url_lines(["7 Zie https://www.coa.nl/nl/loca", "/e/hoofddorp en meer"])
    assert lines == ["7 Zie https://www.coa.nl/nl/loca/e/hoofddorp", "en meer"]
    assert found == [(0, 6, 44, [26])]


def test_url_matches_its_annotation() -> None:
    assert urls.url_matches("hqps://www.coa.nl/nl/loca/e", [], "https://www.coa.nl/nl/locatie")
    assert urls.url_matches("https://a.nl/werk-geleg", [18], "https://a.nl/werkgeleg")
    assert not urls.url_matches("https://a.nl/werk-geleg", [], "https://a.nl/werkgeleg")
    assert not urls.url_matches("https://a.nl/b", [], "https://a.nl/c")


def test_link_overlap_counts_the_site_triple() -> None:
    assert urls.link_overlap("https://www.coa.nl/opvang", "Het COA regelt de opvang") == 4
    assert urls.link_overlap("https://www.coa.nl/opvang", "Iets anders") == 0


# --- normalisation ----------------------------------------------------------------------------------------


def test_normalize_input() -> None:
    assert normalize.normalize_input("11,4 %\u00a0en\u00adde \ufb01nanciën\u200b") == "11,4% ende financiën"
    assert normalize.normalize_input("Oekrai\u0308ne") == "Oekraïne"


# --- glyph repair against a word count --------------------------------------------------------------------


def test_repair_to_known() -> None:
    counts = Counter({"migratie": 5, "tijdelijk": 2, "netto": 1, "afhankelijk": 1})
    assert ligatures.repair_to_known("migraDe", counts.get) == "migratie"
    assert ligatures.repair_to_known("neqo", counts.get) == "netto"
    assert ligatures.repair_to_known("ahankelijk", counts.get) == "afhankelijk"
    assert ligatures.repair_to_known("/jdelijk", counts.get, initial=True) == "tijdelijk"
    assert ligatures.repair_to_known("/jdelijk", counts.get) is None
    assert ligatures.repair_to_known("huis", counts.get) is None


def test_repair_pasted_words_only_touches_unknown_words_with_strong_glyphs() -> None:
    counts = Counter({"migratie": 5, "helft": 2, "artikel": 1, "netto": 1})
    count = counts.__getitem__
    assert ligatures.repair_pasted_words("De helM, ar/kel (migraDe).", count) == "De helft, artikel (migratie)."
    # weak glyphs (real letters), digits, links and words without a glyph stay as typed
    for text in ("nettn", "helm", "helM7", "www.helM.nl", "en/of"):
        assert ligatures.repair_pasted_words(text, count) == text


def test_word_shape_helpers() -> None:
    assert ligatures.is_upper_word("EU") and not ligatures.is_upper_word("Eu")
    assert ligatures.looks_broken("migraDe") and ligatures.looks_broken("neqo")
    assert not ligatures.looks_broken("AenM") and not ligatures.looks_broken("quota")


def test_quote_glyph_tables_come_from_the_profile() -> None:
    from rekenqa.artefacts import glyphs

    assert glyphs.QUOTE_STRONG_GLYPHS == frozenset("DMPUX7&'/(.q\ufffd")
    assert glyphs.QUOTE_WEAK_GLYPHS == {"n": ("tti",), "s": ("fk",), "x": ("fh",), "q": ("tt",), "h": ("fh",)}
    assert "migraDe heeM heeU migra7e defini/e".translate(glyphs.PRIMARY_GLYPH_TABLE) == (
        "migratie heeft heeft migratie definitie"
    )
    assert "Huisves.ng lee\ufffdaarheid".translate(glyphs.PRIMARY_GLYPH_TABLE) == "Huisves.ng lee\ufffdaarheid"
