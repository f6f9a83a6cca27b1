"""URLs in the export: link patterns, their spans in text, links broken over footnote lines, and the
clean link annotations the PDF repeats at the bottom of a page."""

from __future__ import annotations

import bisect
import re
import sys
from collections.abc import Sequence

from rekenqa.artefacts.glyphs import LETTER, MULTI, REPLACEMENT_CHAR
from rekenqa.lexical import fold

# "hqps://" is the footnote font's "https://" (q = tt).
URL_RE = re.compile(r"(?:hqps?|https?)://[^\s]+|www\.[^\s]+")
ANNOTATION_RE = re.compile(r"^https?://\S+$")  # a clean link annotation: a line that is only a URL
URL_TRAIL = ".,;:)]’”'\""  # punctuation after a URL that is not part of it
URL_LIKE = re.compile(r"://|www\.|@|\.(?:nl|com|org|eu)\b")  # a pasted word that is (part of) a link
TLD = re.compile(r"\.(?:nl|com|org|net|eu|be|de|int|gov|info|io|uk|fr)(?::\d+)?$")
# A word inside a URL; a "/" glyph may start it after a separator (richtlijn-/jdelijke).
URL_TOKEN = re.compile(f"(?:(?<=[-_=])/(?=[a-zà-ÿ]))?{LETTER}+(?:[/\ufffd]+{LETTER}+)*")
_NEXT_DEF = re.compile(r"^\d{1,3}(?:\s|[A-Z])")
# What a footnote-font glyph in a URL may stand for, when matching it with an annotation.
_ANNOTATION_ALTERNATIVES = {"/": "(?:/|ti)", "U": "(?:U|ft)", "q": "(?:q|tt)", "x": "(?:x|fh)"}


def url_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of every URL in ``text``, trailing punctuation excluded."""
    spans = []
    for m in URL_RE.finditer(text):
        end = m.end()
        while end > m.start() and text[end - 1] in URL_TRAIL:
            end -= 1
        spans.append((m.start(), end))
    return spans


def url_texts(text: str) -> list[str]:
    """The URLs of ``text``, trailing punctuation excluded."""
    return [text[a:b] for a, b in url_spans(text)]


def unique_urls(text: str) -> tuple[str, ...]:
    """The distinct URLs of ``text`` in order, trailing punctuation excluded."""
    out: list[str] = []
    for m in URL_RE.finditer(text):
        url = m.group(0).rstrip(URL_TRAIL)
        if url not in out:
            out.append(url)
    return tuple(out)


def inside(spans: Sequence[tuple[int, int]], start: int, end: int) -> bool:
    """Whether ``[start, end)`` lies within one of ``spans`` (sorted and disjoint, as ``url_spans`` gives them).

    A binary search: a one-page text source of a few megabytes has thousands of URLs and words.
    """
    at = bisect.bisect_right(spans, (start, sys.maxsize)) - 1
    return at >= 0 and spans[at][0] <= start and end <= spans[at][1]


def link_overlap(url: str, text: str) -> int:
    """How well a link fits a footnote's prose: shared words, the site's name counting triple."""

    def words(s: str) -> set[str]:
        return {w.rstrip("s") for w in re.split(r"[^a-z0-9]+", fold(s)) if len(w) >= 3}

    host = re.match(r"https?://(?:www\.)?([^/]+)", url)
    site = words(host.group(1).rsplit(".", 1)[0]) if host else set()
    text_words = words(text)
    shared = (words(url) - {"http", "www", "html", "pdf"}) & text_words
    return len(shared) + 2 * len(site & text_words)


def url_matches(url: str, joins: Sequence[int], annotation: str) -> bool:
    """Whether a broken footnote URL is ``annotation``: its glyphs read as ligatures, its line-break
    hyphens (at the offsets ``joins``) optional."""
    parts: list[str] = []
    body = url
    scheme = re.match(r"hqp(s?)://", body)
    if scheme:
        parts.append(re.escape(f"http{scheme.group(1)}://"))
        body = body[scheme.end() :]
        offset = scheme.end()
    else:
        offset = 0
    join_set = {j - offset for j in joins}
    for i, ch in enumerate(body):
        if ch == "-" and (i + 1) in join_set:
            parts.append("-?")
        elif ch == REPLACEMENT_CHAR:
            parts.append("(?:" + "|".join(MULTI) + ")")
        else:
            parts.append(_ANNOTATION_ALTERNATIVES.get(ch, re.escape(ch)))
    if parts and parts[-1] == "\\#":
        parts[-1] = "\\#?"
    try:
        return re.fullmatch("".join(parts), annotation) is not None
    except re.error:  # pragma: no cover - escaped pattern
        return False


def _continue_url(lines: list[str], i: int, start: int, end: int) -> tuple[int, list[int]]:
    """Glue the next lines' first chunks onto the URL that runs to the end of ``lines[i]``."""
    line = lines[i]
    joins: list[int] = []
    while end == len(line) and i + 1 < len(lines) and lines[i + 1].strip():
        nxt = lines[i + 1]
        if _NEXT_DEF.match(nxt):
            break
        chunk = re.match(r"\S+", nxt)
        if chunk is None:
            break
        joins.append(end - start)
        line = line + chunk.group(0)
        end = len(line)
        rest = nxt[chunk.end() :]
        if rest.strip():
            lines[i + 1] = rest.lstrip(" ")
            break
        del lines[i + 1]
        if rest:
            break  # that line ended with a space: so does the URL
    lines[i] = line
    return end, joins


def join_url_lines(raw: list[str]) -> tuple[list[str], list[tuple[int, int, int, list[int]]]]:
    """Join URLs broken over lines onto their first line.

    A URL that runs to the very end of a line (the export puts a space after a line that ends at a word
    boundary) continues with the first chunk of the next line. Returns the lines and, per URL, (line,
    start, end, offsets of the joins within the URL).
    """
    lines = list(raw)
    found: list[tuple[int, int, int, list[int]]] = []
    i = 0
    while i < len(lines):
        search_from = 0
        while True:
            m = URL_RE.search(lines[i], search_from)
            if not m:
                break
            start = m.start()
            end, joins = _continue_url(lines, i, start, m.end())
            line = lines[i]
            while end > start and line[end - 1] in URL_TRAIL:
                end -= 1
            found.append((i, start, end, joins))
            search_from = end
        i += 1
    return lines, found
