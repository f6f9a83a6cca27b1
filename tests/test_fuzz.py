"""Fuzzing with hypothesis: the number parser, text repair, input cleaning, sentence splitting, chunking of the
real report, the quote check against the real repaired report, and the app's Markdown escaping.

Each test is bounded (max_examples, no deadline) to stay within about 20 s on a shared 2-core machine.
"""

from __future__ import annotations

import bisect
import math
import re
import unicodedata
from typing import Any

import pytest
from conftest import REPORT_TXT, FakeEmbedder
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from rekenqa import chunk as chunking
from rekenqa import load, render, repair, structure
from rekenqa.errors import InputInvalid
from rekenqa.inputs import clean
from rekenqa.numbers import find_numbers, format_number, parse_number
from rekenqa.pipeline import Engine
from rekenqa.sentences import normalize_ws, split_sentences
from rekenqa.settings import Settings
from rekenqa.types import DocumentStructure

FIXTURE_OK = [HealthCheck.function_scoped_fixture, HealthCheck.too_slow]

# Text that looks like the report's numbers: Dutch numerals, number words, units, hedges, periods, markers.
NUMBER_TOKENS = [
    "18.480", "11,4", "162.300", "2.525", "0,6", "1.015", "607", "2023", "2019", "2024-Q3", "Q3", "1,4", "-12,5",
    "−3", "+7", "1e6", "2.5", "1.234.567,89", "00123", "3.2.1", "5e", "⁷", "⁸⁹", "procent", "%", "€", "euro",
    "miljoen", "miljard", "mln", "mld.", "duizend", "honderd", "tweeduizend", "drieëntwintig", "anderhalf",
    "twee derde", "een kwart", "de helft", "tweederde", "twinDg", "ruim", "bijna", "circa", "ongeveer",
    "meer dan", "minder dan", "van", "naar", "tot", "tussen", "en", "per", "1000", "inwoners", "fte",
    "personen", "migranten", "verdubbeld", "gestegen", "gedaald", "met", "in", "januari", "1 januari 2024",
    "Tabel 4", "paragraaf 2.3", "(5,1%)8", "inwoners7", "18.48094", "keer", "x", "×", "/", "-", "–", "(", ")",
    ",", ".", ";", ":", "\n", "  ", "\u00a0", "\u202f",
]
number_soup = st.lists(st.sampled_from(NUMBER_TOKENS), max_size=40).map(" ".join)
any_text = st.text(max_size=300)


def _check_spans(text: str, found: list[Any]) -> None:
    previous_end = 0
    for q in found:
        assert 0 <= q.start < q.end <= len(text), (q, len(text))
        assert q.start >= previous_end, ("overlap", q, found)
        previous_end = q.end
        assert q.text.strip()
        assert isinstance(q.value, float)


@settings(max_examples=400, deadline=None)
@given(text=st.one_of(number_soup, any_text), markers=st.sets(st.integers(0, 200), max_size=4),
       labels=st.booleans())
def test_find_numbers_never_raises_and_gives_ordered_disjoint_spans(text: str, markers: set[int], labels: bool) -> None:
    found = find_numbers(text, markers, include_labels=labels)
    _check_spans(text, found)


@settings(max_examples=60, deadline=None)
@given(digits=st.integers(min_value=10**300, max_value=10**700).map(str),
       context=st.sampled_from(["{} migranten", "Er wonen {} mensen.", "€ {}", "{},5 procent", "{} miljoen"]))
@example(digits="9" * 400, context="Er wonen {} migranten.")
def test_find_numbers_survives_absurdly_long_numerals(digits: str, context: str) -> None:
    """A claim may contain a 400-digit 'number' (2.000 characters are allowed): no OverflowError."""
    text = context.format(digits)
    found = find_numbers(text)
    _check_spans(text, found)
    assert all(math.isfinite(q.value) for q in found)
    value = parse_number(digits)
    assert value is None or math.isfinite(value)


@settings(max_examples=300, deadline=None)
@given(k=st.integers(min_value=-(10**12), max_value=10**12), decimals=st.integers(0, 4))
def test_format_parse_round_trip_with_decimals(k: int, decimals: int) -> None:
    """format_number(k / 10**d, d) parses back to the same value ("1.234,56" <-> 1234.56)."""
    value = k / 10**decimals
    text = format_number(value, decimals)
    assert re.fullmatch(r"-?\d{1,3}(?:\.\d{3})*(?:,\d+)?", text), text
    parsed = parse_number(text)
    assert parsed is not None and math.isclose(parsed, value, rel_tol=1e-12, abs_tol=1e-12), (value, text, parsed)


@settings(max_examples=200, deadline=None)
@given(value=st.floats(min_value=-1e12, max_value=1e12, allow_nan=False, allow_infinity=False),
       decimals=st.one_of(st.none(), st.integers(-3, 6)))
def test_format_number_never_raises_on_finite_values(value: float, decimals: int | None) -> None:
    text = format_number(value, decimals)
    parsed = parse_number(text)
    assert parsed is not None
    step = 10.0 ** -(decimals if decimals is not None else 10)
    assert abs(parsed - value) <= max(step, abs(value) * 1e-12) + 1e-9, (value, decimals, text, parsed)


@settings(max_examples=300, deadline=None)
@given(text=st.one_of(any_text, number_soup))
def test_parse_number_never_raises(text: str) -> None:
    value = parse_number(text)
    assert value is None or math.isfinite(value)


# ------------------------------------------------------------------------------------------- text repair

_VOCAB: repair.Vocabulary | None = None


def _vocab() -> repair.Vocabulary:
    global _VOCAB
    if _VOCAB is None:
        _VOCAB = repair.build_vocabulary([])
    return _VOCAB


broken_words = st.lists(
    st.sampled_from(["migraDe", "poliDek", "heeM", "debaPen", "integraDe", "de-\nbat", "Haarlem-\nmermeer",
                     "https://www.cbs.nl/a-\nb", "inwoners7", "(5,1%)8", "ﬁnanciën", "ﬂexibel", "•", "–", "\n\n",
                     "De", "gemeente", "en", "het", "18.480", "7 Bron: CBS.", "\t"]),
    max_size=30,
).map(" ".join)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=st.one_of(st.text(max_size=400), broken_words), region=st.sampled_from(repair.REGIONS),
       footnotes=st.one_of(st.none(), st.sets(st.integers(1, 120), max_size=5)), ligatures=st.booleans())
def test_repair_text_never_raises_on_arbitrary_unicode(text: str, region: str, footnotes: set[int] | None,
                                                       ligatures: bool) -> None:
    out = repair.repair_text(text, _vocab(), region, footnotes=footnotes, ligatures=ligatures)
    assert isinstance(out, str)
    repair.find_artifacts(text)


@settings(max_examples=100, deadline=None)
@given(words=st.lists(st.sampled_from(["De", "gemeente", "voert", "een", "actief", "beleid", "gericht", "op",
                                       "huisvesting", "en", "inburgering", "van", "statushouders", "in", "2023"]),
                      min_size=3, max_size=25))
def test_repair_leaves_clean_text_alone(words: list[str]) -> None:
    text = " ".join(words) + "."
    assert repair.repair_text(text, _vocab()) == text


# ------------------------------------------------------------------------------------------- input cleaning

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b-\u200f\u202a-\u202e\u2060\ufeff]")


@settings(max_examples=400, deadline=None)
@given(text=st.text(max_size=300), kind=st.sampled_from(["question", "claim", "quote", "speech"]),
       limit=st.integers(1, 400))
def test_clean_returns_clean_text_or_a_dutch_refusal(text: str, kind: str, limit: int) -> None:
    try:
        out = clean(text, kind, limit)
    except InputInvalid as err:
        assert str(err).startswith(("Lege ", "Leeg ", "De ", "Het ")), str(err)
        return
    assert out and out == out.strip() and len(out) <= limit
    assert not _CONTROL.search(out)
    assert any(ch.isalnum() for ch in out)
    assert unicodedata.is_normalized("NFC", out)
    assert clean(out, kind, limit) == out  # idempotent


# ------------------------------------------------------------------------------------------- sentences

sentence_soup = st.lists(
    st.sampled_from(["De gemeente", "o.a.", "bijv.", "Dit is zo.", "Wat?", "Ja!", "nr. 3", "art. 2 lid 1",
                     "18.480", "11,4%.", "(zie p. 17).", "“Citaat.”", "• punt", "- streep", "1. een", "\n\n", "\n",
                     "migranten⁷.", "Haarlemmermeer", "a.", "Q.", "  ", "e.d. meer"]),
    max_size=40,
).map(" ".join)


@settings(max_examples=300, deadline=None)
@given(text=st.one_of(sentence_soup, st.text(max_size=300)), offset=st.integers(0, 1000))
def test_split_sentences_covers_the_text_in_order(text: str, offset: int) -> None:
    spans = split_sentences(text, offset)
    previous = offset
    covered = [False] * len(text)
    for span in spans:
        assert previous <= span.start < span.end <= offset + len(text)
        assert span.text == normalize_ws(text[span.start - offset : span.end - offset])
        previous = span.end
        for i in range(span.start - offset, span.end - offset):
            covered[i] = True
    assert all(covered[i] or ch.isspace() for i, ch in enumerate(text))


# ------------------------------------------------------------------------------------------- chunking


_STRUCTURE: list[DocumentStructure] = []


def report_structure() -> DocumentStructure:
    """The real report: loaded, repaired and analysed as the pipeline does (cached; not a fixture, so that
    hypothesis does not print the whole report when it reports a failing example)."""
    if not _STRUCTURE:
        entry = next(e for e in load.discover(REPORT_TXT.parent) if e.info.kind == "report")
        raw = load.load_document(entry)
        fixed = repair.repair_pages(raw, repair.build_vocabulary(raw))
        _STRUCTURE.append(structure.analyze(fixed))
    return _STRUCTURE[0]


def _chunk(doc: DocumentStructure, min_words: int, max_words: int, overlap: int) -> list[Any]:
    return chunking.chunk_document(doc, min_words=min_words, max_words=max_words, overlap=overlap,
                                   section_of=lambda page, offset: structure.section_path(doc, page, offset))


def _assert_chunks_cover_blocks(doc: DocumentStructure, chunks: list[Any], kinds: tuple[str, ...]) -> None:
    """Every non-whitespace character of every block of ``kinds`` lies in some chunk's (page, offset) span,
    and every chunk's pages are consistent."""
    texts = {p.number: p.text for p in doc.pages}
    numbers = sorted(texts)
    for c in chunks:
        assert c.first_page <= c.last_page, c.id
        assert numbers[0] <= c.first_page and c.last_page <= numbers[-1], c.id
        assert 0 <= c.start <= len(texts[c.first_page]) and 0 <= c.end <= len(texts[c.last_page]), c.id
        assert (c.first_page, c.start) < (c.last_page, c.end), c.id
        starts = [p for _, p in c.page_starts]
        assert starts == sorted(starts) and all(c.first_page < p <= c.last_page for p in starts), c.id
        assert c.text.strip()
    # Merge the chunk intervals, then check each block against them with bisect.
    merged: list[list[tuple[int, int]]] = []
    for start, end in sorted(((c.first_page, c.start), (c.last_page, c.end)) for c in chunks):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    starts = [m[0] for m in merged]
    missing = []
    for block in doc.blocks:
        if block.kind not in kinds:
            continue
        for offset in range(block.start, block.end):
            if texts[block.page][offset].isspace():
                continue
            key = (block.page, offset)
            k = bisect.bisect_right(starts, key) - 1
            if k < 0 or not key < merged[k][1]:
                missing.append((block.kind, block.page, offset, block.text[:60]))
                break
    assert missing == [], missing[:5]


def test_every_body_character_is_in_a_chunk() -> None:
    """With the default settings, every block (body, bullet, heading, caption, table, footnote) is covered."""
    doc = report_structure()
    chunks = _chunk(doc, 120, 250, 1)
    _assert_chunks_cover_blocks(doc, chunks, ("body", "bullet", "heading", "caption", "table", "footnote"))


@settings(max_examples=15, deadline=None)
@given(min_words=st.integers(20, 400), extra=st.integers(0, 600), overlap=st.integers(0, 3))
@example(min_words=20, extra=0, overlap=2)
def test_chunking_covers_the_report_for_any_settings(min_words: int, extra: int, overlap: int) -> None:
    """Any valid chunk settings (Settings.validate allows 20 <= min <= max <= 2000 and any overlap): full
    coverage, consistent pages, unique ids, and no passage that only repeats the previous passage's overlap."""
    doc = report_structure()
    chunks = _chunk(doc, min_words, min(min_words + extra, 2000), overlap)
    _assert_chunks_cover_blocks(doc, chunks, ("body", "bullet"))
    text_chunks = [c for c in chunks if c.kind == "text"]
    longest_sentence = max(len(line.split()) for c in text_chunks for line in c.text.split("\n"))
    assert all(len(c.text.split()) <= max(min_words + extra, longest_sentence) + longest_sentence for c in text_chunks)
    repeats = [b.text[:80] for a, b in zip(text_chunks, text_chunks[1:], strict=False)
               if set(b.text.split("\n")) <= set(a.text.split("\n"))]
    assert repeats == [], f"{len(repeats)} passages only repeat the previous one, e.g. {repeats[:2]}"
    duplicates = len(chunks) - len({c.id for c in chunks})
    assert duplicates == 0, f"{duplicates} duplicate chunk ids"


# ------------------------------------------------------------------------------------------- quotes


_QUOTES: dict[str, Any] = {}


@pytest.fixture(scope="module")
def quote_engine(report_index: Settings) -> Engine:
    """The engine over the session's fake-embedder index (read only), plus the report's repaired pages and
    their words in reading order (kept in a module dict so hypothesis does not print them)."""
    engine = Engine.open(report_index, embedder=FakeEmbedder(), auto_build=False)
    doc = engine.index.report.id
    pages = [engine.index.pages[(doc, n)] for n in engine.index.page_numbers(doc)]
    _QUOTES.update(engine=engine, pages=pages, flat=[w for p in pages for w in _words(p.text)])
    return engine


def _words(text: str) -> list[str]:
    """Words as the quote check compares them: case, punctuation and footnote markers do not count."""
    out = (re.sub(r"[\W_\u2070-\u209f\u00b9\u00b2\u00b3]", "", token.lower()) for token in text.split())
    return [w for w in out if w]


def _occurs_once(flat: list[str], target: list[str]) -> bool:
    n, first = len(target), target[0]
    hits = 0
    for i, word in enumerate(flat):
        if word == first and flat[i : i + n] == target:
            hits += 1
            if hits > 1:
                return False
    return hits == 1


@pytest.mark.usefixtures("quote_engine")
@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_quote_cut_from_the_report_is_exact(data: st.DataObject) -> None:
    """A quote of 6 to 40 words cut anywhere from one repaired report page is 'exact', on that page."""
    engine, pages, flat = _QUOTES["engine"], _QUOTES["pages"], _QUOTES["flat"]
    page = data.draw(st.sampled_from(pages), label="page")
    spans = [m.span() for m in re.finditer(r"\S+", page.text)]
    assume(len(spans) >= 6)
    first = data.draw(st.integers(0, len(spans) - 6), label="first")
    last = data.draw(st.integers(first + 5, min(len(spans) - 1, first + 39)), label="last")
    quote = page.text[spans[first][0] : spans[last][1]]
    words = _words(quote)
    assume(len(words) >= 6)  # six real words
    assume(_occurs_once(flat, words))
    verdict = engine.check_quote(quote)
    assert verdict.status == "exact", (page.number, quote, verdict.reason)
    assert verdict.pages == (page.number,), (page.number, quote, verdict.pages)


# ------------------------------------------------------------------------------------------- app escaping


@settings(max_examples=300, deadline=None, suppress_health_check=FIXTURE_OK)
@given(text=st.text(max_size=200))
def test_md_escape_leaves_nothing_to_render(text: str) -> None:
    """After md_escape no Markdown/HTML/directive character is left unescaped, and removing the escapes
    gives the text back (whitespace collapsed)."""
    out = render.md_escape(text)
    assert "\n" not in out
    assert not re.findall(r"(?<!\\)(?:\\\\)*([`*_\[\]()#<>~:$&|!])", out), out
    assert re.sub(r"\\(.)", r"\1", out) == " ".join(text.split())


@settings(max_examples=150, deadline=None, suppress_health_check=FIXTURE_OK)
@given(text=st.text(max_size=200), spans=st.lists(st.tuples(st.integers(-5, 210), st.integers(-5, 210)), max_size=4))
def test_marked_markdown_never_raises_and_stays_escaped(text: str, spans: list[tuple[int, int]]) -> None:
    out = render.marked_markdown(text, spans)
    stripped = re.sub(r":orange-background\[|\]", "", re.sub(r"\\.", "", out))
    assert "<" not in stripped and ">" not in stripped
