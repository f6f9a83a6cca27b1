"""Tests for rekenqa.repair on the real report and on synthetic text."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rekenqa import repair
from rekenqa.load import discover, load_document
from rekenqa.types import Page

ROOT = Path(__file__).resolve().parents[1]
WORDS_TSV = Path(__file__).parent / "data" / "repair_words.tsv"
LETTER = r"[^\W\d_⁰¹²³⁴⁵⁶⁷⁸⁹]"


@pytest.fixture(scope="module")
def raw_pages() -> list[Page]:
    entry = next(e for e in discover(ROOT / "corpus") if e.info.kind == "report")
    return load_document(entry)


@pytest.fixture(scope="module")
def vocab(raw_pages: list[Page]) -> repair.Vocabulary:
    return repair.build_vocabulary(raw_pages)


@pytest.fixture(scope="module")
def repaired(raw_pages: list[Page], vocab: repair.Vocabulary) -> list[Page]:
    return repair.repair_pages(raw_pages, vocab)


@pytest.fixture(scope="module")
def by_number(repaired: list[Page]) -> dict[int, str]:
    return {p.number: p.text for p in repaired}


def _word_re(word: str) -> re.Pattern[str]:
    """``word`` as a whole token; "|" stands for a line break (blank lines allowed)."""
    parts = [re.escape(part) for part in word.split("|")]
    line_break = r"[ ]*\n(?:[ ]*\n)*[ ]*"
    # not the half of a word hyphenated over two lines
    return re.compile(f"(?<!{LETTER})(?<!-\n)" + line_break.join(parts) + f"(?!{LETTER})(?!-[ ]*\n)")


def _word_rows() -> list[tuple[str, str]]:
    lines = WORDS_TSV.read_text(encoding="utf-8").splitlines()[1:]
    return [tuple(line.split("\t")) for line in lines if line.strip()]  # type: ignore[misc]


# --- the report ---------------------------------------------------------------------------------------


def test_pages_keep_their_identity(raw_pages: list[Page], repaired: list[Page]) -> None:
    assert len(repaired) == len(raw_pages) == 94
    for raw, fixed in zip(raw_pages, repaired, strict=True):
        assert (fixed.doc_id, fixed.number, fixed.label) == (raw.doc_id, raw.number, raw.label)
    assert repaired[0].number == 3 and repaired[-1].number == 96


def test_raw_report_is_full_of_artifacts(raw_pages: list[Page]) -> None:
    found = [tok for p in raw_pages for _, tok in repair.find_artifacts(p.text)]
    assert len(found) > 1000
    assert {"MigraDe", "heeM", "Migra7e", "Migra&e", "hqps"} <= set(found)


def test_no_residual_artifacts_in_the_repaired_report(repaired: list[Page]) -> None:
    residue = [(p.number, tok) for p in repaired for _, tok in repair.find_artifacts(p.text)]
    assert residue == []


def test_word_table_is_large_and_covers_every_glyph_kind() -> None:
    rows = _word_rows()
    assert len(rows) >= 150
    broken = " ".join(b for b, _ in rows)
    for glyph in ["D", "M", "P", "X", "7", "'", "&", "(", "/", "U", "q", "x", "\ufffd", ".ng"]:
        assert glyph in broken, glyph
    fixed = {b: r for b, r in rows}
    # weak glyphs that are real letters too: n = tti, s = fk, a dropped f before h
    assert fixed["onderschanng"] == "onderschatting"
    assert fixed["asomsDg"] == "afkomstig"
    assert fixed["ahankelijk"] == "afhankelijk"
    assert sum("|" in b for b, _ in rows) >= 15  # hyphenation cases
    assert sum(b == r for b, r in rows) >= 10  # must-stay cases


@pytest.mark.parametrize(("broken", "fixed"), _word_rows())
def test_word_is_repaired_in_context(
    broken: str, fixed: str, raw_pages: list[Page], by_number: dict[int, str]
) -> None:
    broken_re, fixed_re = _word_re(broken), _word_re(fixed)
    pages = [p.number for p in raw_pages if broken_re.search(p.text)]
    assert pages, f"{broken!r} does not occur in the report"
    for number in pages:
        text = by_number[number]
        assert fixed_re.search(text), f"page {number}: {fixed!r} missing"
        if broken != fixed:
            assert not broken_re.search(text), f"page {number}: {broken!r} left"
        else:
            raw = next(p.text for p in raw_pages if p.number == number)
            assert len(fixed_re.findall(text)) >= len(broken_re.findall(raw)), f"page {number}"


def test_footnote_markers_become_superscripts(by_number: dict[int, str]) -> None:
    assert "de inwoners⁷." in by_number[17]
    assert "(5,1%)⁸" in by_number[17]
    assert "studiemigranten⁹⁴," in by_number[58]
    assert "omstandigheden¹⁵⁴." in by_number[89]
    assert "4 maart 2027¹⁰⁰ ¹⁰¹." in by_number[61]  # a marker glued to a year, then a second marker
    assert "€ 1.425.495.⁵⁵ Hierbij" in by_number[42]  # a marker glued to a number with separators
    # numbers stay numbers
    assert "18.480 migranten" in by_number[17]
    assert "2.525 personen" in by_number[17]
    assert "Wi2021" in by_number[40]


def test_every_footnote_has_exactly_one_marker(repaired: list[Page]) -> None:
    markers: list[int] = []
    for page in repaired:
        for run in re.findall(f"[{repair.SUPERSCRIPT_DIGITS}]+", page.text):
            number = repair.parse_superscript(run)
            assert number is not None
            markers.append(number)
    assert sorted(markers) == list(range(1, 163))


def test_urls_are_repaired_and_kept_once(raw_pages: list[Page], repaired: list[Page]) -> None:
    raw_annotations = sum(
        1 for p in raw_pages for line in p.text.split("\n") if re.fullmatch(r"https?://\S+", line)
    )
    assert raw_annotations > 50
    for page in repaired:
        assert "hqp" not in page.text
        urls = [m.group(0).rstrip(".,;:)") for m in repair.URL_RE.finditer(page.text)]
        assert len(urls) == len(set(urls)), f"page {page.number} repeats a URL"
    coa = "https://www.coa.nl/nl/locatie/haarlemmermeer-hoofddorp-rijksweg-a4"
    text = {p.number: p.text for p in repaired}
    assert text[28].count(coa) == 1
    assert "23 " + coa in text[28]
    # a URL broken over two lines is joined on the footnote's first line
    assert re.search(
        r"^25 Zie ook: https://haarlemmermeergemeente\.nl/informeer-online/"
        r"aanpassing-regioplan-opvang-asielzoekers-vastgesteld$",
        text[28],
        re.M,
    )
    # a link annotation without a URL in the text joins its footnote
    assert "99 Oekraïense vluchtelingen in Nederland" in text[61]
    assert re.search(
        r"^https://www\.rijksoverheid\.nl/documenten/rapporten/2024/09/27/tk-bijlage-1-wodc-rapport$",
        text[61],
        re.M,
    )


def test_page_number_lines_are_dropped(raw_pages: list[Page], by_number: dict[int, str]) -> None:
    for number in (35, 39, 45):
        raw = next(p.text for p in raw_pages if p.number == number)
        assert raw.split("\n")[0].strip() == str(number)
        assert not by_number[number].startswith(str(number))


def test_footnote_area_layout(by_number: dict[int, str]) -> None:
    """The footnote area is the last block: one blank line before it, none inside."""
    text = by_number[17]
    head, _, notes = text.rpartition("\n\n")
    assert notes.startswith("7 Het gaat bij de definitie van migrant")
    assert "\n8 De aangegeven aantallen" in notes
    assert "\n\n" not in notes and head


def test_hyphenation_joins_on_the_first_line(by_number: dict[int, str]) -> None:
    assert "implicaties voor de samenleving (SCP, 2025)." in by_number[3]
    assert "vanwege de economische,\nsociale" in by_number[3]
    assert "provincie Noord-Holland\n" in by_number[22]
    assert "Een registratie/inschrijving" in by_number[24]


def test_a_clean_document_keeps_its_camel_case(vocab: repair.Vocabulary) -> None:
    text = "Microsoft PowerPoint, McDonald en iPad. De gemeente Haarlem-\nmermeer telt 18.480 migranten."
    page = Page("bron", 1, text)
    assert not repair.has_broken_ligatures([page])
    fixed = repair.repair_pages([page], vocab)[0].text
    assert (
        fixed == "Microsoft PowerPoint, McDonald en iPad. De gemeente Haarlemmermeer\ntelt 18.480 migranten."
    )


def test_the_report_has_broken_ligatures(raw_pages: list[Page], repaired: list[Page]) -> None:
    assert repair.has_broken_ligatures(raw_pages)
    assert not repair.has_broken_ligatures(repaired)


# --- repair_text on its own -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "region", "expected"),
    [
        ("MigraDe heeM debaPen", "body", "Migratie heeft debatten"),
        ("onderschanng en asomsDg", "body", "onderschatting en afkomstig"),
        ("is ahankelijk van", "body", "is afhankelijk van"),
        ("Samenva7ng", "heading", "Samenvatting"),
        ("Migra'e en integra'e", "heading", "Migratie en integratie"),
        ("Migra&e naar mo&ef", "caption", "Migratie naar motief"),
        ("EU na(onaliteiten", "bullet", "EU nationaliteiten"),
        ("de defini/e van migra/e", "footnote", "de definitie van migratie"),
        ("heeU /jdelijk", "footnote", "heeft tijdelijk"),
        ("het neqo inkomen", "footnote", "het netto inkomen"),
        ("is axankelijk", "footnote", "is afhankelijk"),
        ("de lee�aarheid", "body", "de leefbaarheid"),
        ("in de afgelopen Den jaar", "body", "in de afgelopen tien jaar"),
        ("team Asiel (3,8 Me)", "body", "team Asiel (3,8 fte)"),
        ("econo-\nmische, sociale", "body", "economische,\nsociale"),
        ("Noord-Hol-\nland", "body", "Noord-Holland"),
        ("de EU/EFTA-\nlanden", "body", "de EU/EFTA-landen"),
        ("wet-\nen regelgeving", "body", "wet-\nen regelgeving"),
        ("Oekra-\niense ontheemden", "body", "Oekraïense\nontheemden"),
        ("hqps://www.coa.nl/nl/loca/e/hoofddorp", "footnote", "https://www.coa.nl/nl/locatie/hoofddorp"),
    ],
)
def test_repair_text(text: str, region: str, expected: str, vocab: repair.Vocabulary) -> None:
    assert repair.repair_text(text, vocab, region) == expected


@pytest.mark.parametrize(
    "text",
    [
        "EU/EFTA-landen en niet-EU/EFTA-landen",
        "De gemeente. Met de komst van het COA in Den Haag.",
        "en/of hij/zij bij/via",
        "thema’s en diploma's, B&W, (jeugd)zorg en onderwijs(achterstand)",
        "Asiel en Migratie (AenM), JenV en MeerWaarde",
        "2025-Q1, Wi2021 en COVID-19",
        "Zie https://www.cbs.nl/nl-nl/nieuws/2025/16/werk en www.ser.nl/nl/thema",
    ],
)
def test_clean_text_is_left_alone(text: str, vocab: repair.Vocabulary) -> None:
    for region in ("body", "footnote"):
        assert repair.repair_text(text, vocab, region) == text
    assert repair.find_artifacts(text) == []


def test_markers_only_for_footnotes_that_exist(vocab: repair.Vocabulary) -> None:
    text = "van de inwoners7. De groep (5,1%)8 en migranten94, in totaal 18.480 in 2023 en 2.525 in Wi2021."
    assert repair.repair_text(text, vocab) == text  # no footnotes given: no markers
    marked = repair.repair_text(text, vocab, footnotes={7, 8, 94})
    assert marked == (
        "van de inwoners⁷. De groep (5,1%)⁸ en migranten⁹⁴, in totaal 18.480 in 2023 en 2.525 in Wi2021."
    )
    assert repair.repair_text("personen.42 43", vocab, footnotes={42, 43}) == "personen.⁴² ⁴³"


# --- property: clean Dutch text passes unchanged ----------------------------------------------------------

_VOCAB: repair.Vocabulary | None = None


def _plain_vocab() -> repair.Vocabulary:
    global _VOCAB
    if _VOCAB is None:
        _VOCAB = repair.build_vocabulary([])
    return _VOCAB


def _top_words() -> list[str]:
    from wordfreq import top_n_list

    return [w for w in top_n_list("nl", 3000) if w.isalpha() and len(w) >= 2]


_WORDS = _top_words()
_NAMES = ["Haarlemmermeer", "Nederland", "COA", "Den Haag", "EU/EFTA", "Noord-Holland", "Oekraïne", "CBS"]
_NUMBERS = ["18.480", "11,4", "2023", "2.525", "162.300", "0,6", "15%", "1006"]

_word = st.one_of(
    st.sampled_from(_WORDS),
    st.sampled_from(_WORDS).map(lambda w: f"({w})"),
    st.sampled_from(_NAMES),
    st.sampled_from(_NUMBERS),
)
_sentence = st.lists(_word, min_size=3, max_size=14).map(
    lambda ws: (
        ws[0][:1].upper()
        + ws[0][1:]
        + "".join((", " if i % 5 == 4 else " ") + w for i, w in enumerate(ws[1:]))
        + "."
    )
)
_text = st.lists(_sentence, min_size=1, max_size=6).map(
    lambda ss: "".join(s + ("\n" if i % 2 else " ") for i, s in enumerate(ss)).strip()
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_text)
def test_clean_dutch_text_is_unchanged(text: str) -> None:
    vocab = _plain_vocab()
    assert repair.repair_text(text, vocab) == text
    assert repair.find_artifacts(text) == []
