"""The app's text as escaped Markdown: escaping, marking quotes and search hits, page text, results (pure).

Everything here is a function of its arguments (no Streamlit), so the Streamlit shell in ``app.py`` only
places widgets. Every piece of document or user text passes ``md_escape`` (or ``md_lines``) here.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from rekenqa.repair import SUPERSCRIPT_DIGITS
from rekenqa.types import (
    Answer,
    Chunk,
    Citation,
    DiffOp,
    Footnote,
    QuoteVerdict,
    Section,
    Source,
    Table,
    Verdict,
    also_pages,
)

Span = tuple[int, int]
Badges = Mapping[str, tuple[str, str, str]]  # status -> (label, colour, icon)

CLAIM_BADGES: Badges = {
    "supported": ("klopt", "green", ":material/check_circle:"),
    "contradicted": ("klopt niet", "red", ":material/cancel:"),
    "not_in_report": ("staat niet in het rapport", "gray", ":material/help:"),
}
QUOTE_BADGES: Badges = {
    "exact": ("letterlijk in het rapport", "green", ":material/check_circle:"),
    "harmless": ("klopt, met kleine onschuldige verschillen", "blue", ":material/check:"),
    "altered": ("gewijzigd ten opzichte van het rapport", "red", ":material/edit_off:"),
    "not_found": ("niet gevonden in het rapport", "gray", ":material/search_off:"),
}

TAB_VRAAG = "Vraag het rapport"
TAB_BEWERING = "Check een bewering"
TAB_CITAAT = "Check een citaat"
TAB_RAPPORT = "Rapport"
TABS = (TAB_VRAAG, TAB_BEWERING, TAB_CITAAT, TAB_RAPPORT)
TAB_PARAMS = {"vraag": TAB_VRAAG, "bewering": TAB_BEWERING, "citaat": TAB_CITAAT, "rapport": TAB_RAPPORT}

# ----------------------------------------------------------------------------- escaping

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~:$&=^])")


def md_escape(text: object) -> str:
    """Escape Markdown, Streamlit directives (:red[...]), LaTeX ($) and HTML in one line of untrusted text.

    Every ASCII punctuation character that means something in Markdown gets a backslash, so the result
    renders literally inside ``st.markdown`` (and inside ``:color[...]`` directives). Line breaks become
    spaces: use ``md_lines`` for text with lines. (A bare http(s)/www address may still be shown as a link
    by GitHub-flavoured Markdown; other schemes such as ``javascript:`` never are.)
    """
    flat = " ".join(str(text).split())
    return _MD_SPECIAL.sub(r"\\\1", flat)


def md_lines(text: str) -> str:
    """Escape multi-line untrusted text, keeping its line and paragraph breaks."""
    return _join_lines(md_escape(line) for line in text.split("\n"))


def _join_lines(lines: Iterable[str]) -> str:
    """Join Markdown lines with hard breaks; a run of blank lines becomes one paragraph break."""
    out: list[str] = []
    blank = False
    for line in lines:
        if not line.strip():
            blank = bool(out)
            continue
        if out:
            out.append("\n\n" if blank else "  \n")
        out.append(line)
        blank = False
    return "".join(out)


def md_link(url: str) -> str:
    """A clickable link for a plain http(s) URL; anything else is shown as escaped text."""
    url = url.strip()
    if re.fullmatch(r"https?://[^\s<>()\[\]`\\\"']+", url):
        return f"[{md_escape(url)}](<{url}>)"
    return md_escape(url)


# ----------------------------------------------------------------------------- highlighting

_WORD = re.compile(rf"[^\W_{SUPERSCRIPT_DIGITS}]+")
_GAP = rf"(?:[\W_{SUPERSCRIPT_DIGITS}])*?"


def find_quote(page_text: str, quote: str) -> Span | None:
    """Where a cited sentence stands in the page text, ignoring whitespace, punctuation and footnote marks.

    A sentence that runs onto the next page is found by its beginning; one that starts on the previous
    page by its end.
    """
    words = _WORD.findall(quote)
    if not words:
        return None

    def search(part: Sequence[str]) -> re.Match[str] | None:
        pattern = _GAP.join(re.escape(w) for w in part)
        return re.search(pattern, page_text, flags=re.IGNORECASE)

    def closing(end: int) -> int:
        """Take the sentence's closing punctuation and footnote marks along."""
        more = re.match(rf"[.,;:!?)”’\"{SUPERSCRIPT_DIGITS}]*", page_text[end:])
        return end + (more.end() if more else 0)

    found = search(words)
    if found:
        return found.start(), closing(found.end())
    if len(words) >= 8:
        head, tail = search(words[:6]), search(words[-6:])
        if head and tail and head.start() < tail.end() and tail.end() - head.start() < 3 * len(quote) + 200:
            return head.start(), closing(tail.end())
        if head:
            return head.start(), len(page_text.rstrip())
        if tail:
            return 0, closing(tail.end())
    return None


def find_term(text: str, term: str) -> list[Span]:
    """Case-insensitive occurrences of a search term (whitespace-tolerant)."""
    words = term.split()
    if not words:
        return []
    pattern = r"\s+".join(re.escape(w) for w in words)
    return [(m.start(), m.end()) for m in re.finditer(pattern, text, flags=re.IGNORECASE)]


def _merge(spans: Sequence[Span]) -> list[Span]:
    """Sort spans and merge the ones that overlap or touch."""
    merged: list[Span] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _escape_part(text: str) -> str:
    """``md_escape`` that keeps one space where the part began or ended with whitespace."""
    core = md_escape(text)
    if not core:
        return " " if text[:1].isspace() else ""
    return (" " if text[:1].isspace() else "") + core + (" " if text[-1:].isspace() else "")


def marked_markdown(text: str, spans: Sequence[Span], style: str = "orange-background") -> str:
    """Escaped Markdown of ``text`` with ``spans`` wrapped in ``:style[...]``, line breaks kept."""
    spans = _merge(spans)
    lines: list[str] = []
    pos = 0
    for raw in text.split("\n"):
        start, end = pos, pos + len(raw)
        pos = end + 1
        parts: list[str] = []
        cursor = start
        for s, e in spans:
            if e <= start or s >= end:
                continue
            s, e = max(s, start), min(e, end)
            if s > cursor:
                parts.append(_escape_part(text[cursor:s]))
            inner = text[s:e]
            if inner.strip():
                # Spaces stay outside the directive so the marked text lines up with its neighbours.
                lead = " " if inner[:1].isspace() else ""
                trail = " " if inner[-1:].isspace() else ""
                parts.append(f"{lead}:{style}[{md_escape(inner)}]{trail}")
            cursor = e
        if cursor < end:
            parts.append(_escape_part(text[cursor:end]))
        lines.append(re.sub(r" {2,}", " ", "".join(parts)).strip())
    return _join_lines(lines)


# ----------------------------------------------------------------------------- page text

_BREAK_AFTER = re.compile(rf"[.:;!?)\]”’\"{SUPERSCRIPT_DIGITS}]\s*$")
_BREAK_BEFORE = re.compile(r"^\s*(?:[•·▪◦\-–—*]|\d+[.)]\s|[a-z][.)]\s)")


def reflow(text: str, min_line: int = 60) -> str:
    """Join the layout lines of a paragraph, keeping headings, list items and sentence ends on their own line.

    Only line breaks are replaced (by spaces), so offsets into ``text`` stay valid.
    """
    lines = text.split("\n")
    out = []
    for k, line in enumerate(lines):
        out.append(line)
        if k == len(lines) - 1:
            break
        following = lines[k + 1]
        join = (
            len(line.strip()) >= min_line
            and following.strip() != ""
            and not _BREAK_AFTER.search(line)
            and not _BREAK_BEFORE.match(following)
        )
        out.append(" " if join else "\n")
    return "".join(out)


def footnote_area(text: str, numbers: Sequence[int], texts: Sequence[str]) -> int | None:
    """Offset where the footnotes printed at the bottom of the page begin, if they can be found.

    (Not ``repair.split_footnote_area``: that one reads the raw export's lines and their block separators;
    this one finds the page's known footnotes, by number and first words, in the repaired text.)
    """
    starts = []
    for number, note in zip(numbers, texts, strict=False):
        words = note.split()[:3]
        if not words:
            continue
        pattern = rf"(?m)^[ \t]*{number}[ \t]+" + r"\s+".join(re.escape(w) for w in words)
        found = re.search(pattern, text)
        if found:
            starts.append(found.start())
    return min(starts) if starts else None


@dataclass(frozen=True, slots=True)
class PageBody:
    """A page's text as escaped Markdown, ready for ``st.markdown``."""

    markdown: str
    quote_missing: bool  # quotes were given but none of them stands on the page


def page_body(
    text: str, footnotes: Sequence[Footnote], quotes: Sequence[str] = (), term: str = ""
) -> PageBody:
    """Mark ``quotes`` (orange) or else the hits of ``term`` (yellow) in a page's text, reflowed.

    The footnotes are listed below the page: the printed footnote area is left out of the text, unless a
    cited sentence or a search hit stands in it.
    """
    text = text.strip("\n")
    spans = [span for q in quotes if (span := find_quote(text, q))]
    hits = find_term(text, term) if term.strip() else []
    cut = footnote_area(text, [n.number for n in footnotes], [n.text for n in footnotes])
    if cut is not None and all(end <= cut for _, end in spans + hits):
        text = text[:cut].rstrip()
    text = reflow(text)
    if spans:
        body = marked_markdown(text, spans, "orange-background")
    elif hits:
        body = marked_markdown(text, hits, "yellow-background")
    else:
        body = md_lines(text) or "_(lege pagina)_"
    return PageBody(body, bool(quotes) and not spans)


def table_markdown(table: Table) -> str | None:
    """A table of the report as a Markdown table, cells escaped; None when its rows do not line up with its
    header (cells lost in the export: which column a cell belongs to cannot be told, so no grid is drawn)."""
    rows = [tuple(" ".join(cell.split()) for cell in row) for row in table.rows if any(c.strip() for c in row)]
    if len(rows) < 2 or len({len(row) for row in rows}) != 1 or len(rows[0]) < 2:
        return None

    def line(row: Sequence[str]) -> str:
        return "| " + " | ".join(md_escape(cell) or " " for cell in row) + " |"

    return "\n".join([line(rows[0]), "|" + "|".join("---" for _ in rows[0]) + "|", *map(line, rows[1:])])


def footnote_list(notes: Sequence[Footnote]) -> str:
    """The footnotes printed on a page, each with its links."""
    lines = []
    for note in notes:
        links = " ".join(md_link(u) for u in note.urls)
        lines.append(f"{note.number}\\. {md_escape(note.text)}" + (f" — {links}" if links else ""))
    return "**Voetnoten op deze pagina**  \n" + "  \n".join(lines)


def snippet(text: str, start: int, end: int, width: int = 90) -> tuple[str, Span]:
    """A one-line excerpt around ``text[start:end]`` and the span of the match inside it."""
    lo = max(0, start - width)
    hi = min(len(text), end + width)
    if lo > 0:
        space = text.find(" ", lo, start)
        lo = space + 1 if space != -1 else lo
    if hi < len(text):
        space = text.rfind(" ", end, hi)
        hi = space if space != -1 else hi
    prefix = "… " if lo > 0 else ""
    suffix = " …" if hi < len(text) else ""
    part = text[lo:hi].replace("\n", " ")
    return prefix + part + suffix, (len(prefix) + start - lo, len(prefix) + end - lo)


def hit_markdown(text: str, spans: Sequence[Span]) -> str:
    """One search result: an excerpt around the page's first hit, marked, with the count of further hits."""
    excerpt, span = snippet(text, *spans[0], width=50)
    extra = f" *(+{len(spans) - 1})*" if len(spans) > 1 else ""
    return marked_markdown(excerpt, [span], "yellow-background") + extra


def search_hits(pages: Iterable[tuple[int, str]], term: str) -> list[tuple[int, list[Span]]]:
    """(page, [(start, end), ...]) for every (number, text) page with a case-insensitive occurrence of
    ``term``, in the given order."""
    hits = []
    for number, text in pages:
        found = find_term(text, term)
        if found:
            hits.append((number, found))
    return hits


# ----------------------------------------------------------------------------- answers


def cited_pages(citations: Sequence[Citation]) -> list[int]:
    """Every page the citations span, in order."""
    return sorted({p for c in citations for p in range(c.first_page, c.last_page + 1)})


def citation_markdown(citation: Citation) -> str:
    """A cited sentence in quotation marks, with its marker and where it stands: "[1] “…” (p. 17)", or
    "[2] voetnoot 32 (p. 33): “…”" for a footnote."""
    marker = f"**[{citation.number}]** " if citation.number else ""
    if citation.footnote:
        return f"{marker}{citation_where(citation)}: “{md_escape(citation.quote or '')}”"
    return f"{marker}“{md_escape(citation.quote or '')}” ({citation_where(citation)})"


def citation_where(citation: Citation) -> str:
    """``Citation.label`` as Markdown: page names and a source's name (from its files) escaped."""
    pages = _pages(citation.page_name or str(citation.first_page), citation.first_page, citation.last_page)
    where = f"voetnoot {citation.footnote} ({pages})" if citation.footnote else pages
    where += also_pages(citation.also)
    return f"{md_escape(citation.document)}, {where}" if citation.document else where


def _pages(first_name: str, first: int, last: int, last_name: str = "") -> str:
    """ "p. 17", "p. 17-18" or "p. iii" with the printed names escaped."""
    if first == last:
        return f"p. {md_escape(first_name)}"
    return f"p. {md_escape(first_name)}-{md_escape(last_name or str(last))}"


def citation_button_label(citation: Citation) -> str:
    """The short label of a citation's page button: "[1] p. 17", "[2] vn. 32, p. 33"."""
    page = _pages(citation.page_name or str(citation.first_page), citation.first_page, citation.last_page)
    where = f"vn. {citation.footnote}, {page}" if citation.footnote else page
    if citation.document:
        where = f"{md_escape(citation.document)}, {where}"
    return f"[{citation.number}] {where}" if citation.number else where


def citation_help(citation: Citation) -> str:
    """The accessible name of a citation's page button: "Open pagina 38: …" with the start of the quote."""
    quote = " ".join((citation.quote or "").split())
    quote = quote if len(quote) <= 80 else quote[:77].rsplit(" ", 1)[0] + " …"
    where = f"{md_escape(citation.document)}, " if citation.document else ""
    return f"Open {where}pagina {md_escape(citation.page_name or str(citation.first_page))}: {md_escape(quote)}"


def nearest_markdown(chunk: Chunk) -> str:
    """A nearby passage of a refused question: its text, shortened to about 300 characters, with its pages."""
    text = " ".join(chunk.text.split())
    short = text if len(text) <= 300 else text[:297].rsplit(" ", 1)[0] + " …"
    first, last = chunk.label_of(chunk.first_page), chunk.label_of(chunk.last_page)
    return f"{md_escape(short)} ({_pages(first, chunk.first_page, chunk.last_page, last)})"


def source_markdown(note: Footnote) -> str:
    """A footnote the answer cites, with its page and links."""
    links = " ".join(md_link(u) for u in note.urls)
    return f"voetnoot {note.number} (p. {note.page}): {md_escape(note.text)}" + (f"  \n{links}" if links else "")


MADE_WITH = "Gemaakt met rekenqa (offline) op {made}. De antwoorden citeren het rapport letterlijk; controleer de pagina's."


def made_with(made: dt.datetime) -> str:
    """The footer of every downloaded file: when it was made, and to check the pages."""
    return MADE_WITH.format(made=made.strftime("%d-%m-%Y %H:%M"))


def answer_markdown(
    question: str, answer: Answer, cite: Callable[[str, Sequence[int]], str], made: dt.datetime
) -> str:
    """The answer as a Markdown file to download (plain text of the report, as cited); ``cite`` is
    ``Engine.citation``."""
    lines = ["# Vraag aan het rapport", "", question, "", "## Antwoord", "", answer.text, ""]
    if answer.answered and answer.citations:
        first = answer.citations[0].doc_id
        lines += ["## Bronvermelding", "", cite(first, cited_pages(answer.citations)), ""]
    lines += ["---", made_with(made), ""]
    return "\n".join(lines)


# ----------------------------------------------------------------------------- verdicts


def badge_markdown(status: str, badges: Badges) -> str:
    """The verdict as a large coloured badge (labels are our own text, not user text)."""
    label, color, icon = badges.get(status, (status, "gray", ":material/help:"))
    return f"#### :{color}-background[:{color}[{icon} {label}]]"


def verdict_rows(verdict: Verdict) -> str:
    """The report's value, the reason and the difference of a claim's verdict ("" when there are none)."""
    rows = []
    if verdict.report_value:
        rows.append(f"**Waarde in het rapport:** {md_escape(verdict.report_value)}")
    if verdict.reason:
        rows.append(f"**Reden:** {md_escape(verdict.reason)}")
    if verdict.difference:
        rows.append(f"**Verschil:** {md_escape(verdict.difference)}")
    return "  \n".join(rows)


def speech_summary(results: Sequence[tuple[str, Verdict]]) -> str:
    """How many claims of a speech were checked, and how many got each verdict."""
    counts = {status: sum(1 for _, v in results if v.status == status) for status in CLAIM_BADGES}
    return f"**{len(results)} beweringen gecontroleerd:** " + ", ".join(
        f"{n} {CLAIM_BADGES[s][0]}" for s, n in counts.items() if n
    )


def quote_changes(verdict: QuoteVerdict) -> str | None:
    """The changes of an altered quote, unless the reason already names them all."""
    if (
        verdict.changes
        and verdict.status == "altered"
        and not all(c in verdict.reason for c in verdict.changes)
    ):
        return "**Wijzigingen**  \n" + "  \n".join(f"• {md_escape(c)}" for c in verdict.changes)
    return None


def diff_markdown(ops: Sequence[DiffOp]) -> str:
    """A word diff as escaped Markdown: removed words struck through in red, added words in green."""
    parts = []
    for op in ops:
        text = md_escape(op.text)
        if not text:
            continue
        if op.op == "removed":
            parts.append(f":red-background[~~{text}~~]")
        elif op.op == "added":
            parts.append(f":green-background[{text}]")
        else:
            parts.append(text)
    return " ".join(parts)


# ----------------------------------------------------------------------------- report and sidebar


class _OnPage(Protocol):
    @property
    def page(self) -> int: ...


def section_at(sections: Sequence[_OnPage], page: int) -> int | None:
    """Index of the last section that starts on or before ``page``."""
    found = None
    for k, section in enumerate(sections):
        if section.page <= page:
            found = k
    return found


def section_holds(sections: Sequence[Section], chosen: object, page: int, last: int) -> bool:
    """Whether ``chosen`` (an index into ``sections``) is the section that ``page`` belongs to."""
    return (
        isinstance(chosen, int)
        and 0 <= chosen < len(sections)
        and sections[chosen].page
        <= page
        <= (sections[chosen + 1].page if chosen + 1 < len(sections) else last)
    )


def toc_label(section: Section) -> str:
    """A line of the table of contents: indented by level, chapters in bold, with the page."""
    indent = "\u2003" * max(0, section.level - 1)
    number = f"{md_escape(section.number.strip())} " if section.number.strip() else ""
    title = md_escape(section.title.strip())
    title = f"**{title}**" if section.level <= 1 else title
    return f"{indent}{number}{title} · p. {section.page}"


def format_date(value: str | None) -> str:
    """An ISO timestamp as local "dd-mm-jjjj hh:mm"; "onbekend" when missing, unchanged when unreadable."""
    if not value:
        return "onbekend"
    try:
        when = dt.datetime.fromisoformat(value)
    except ValueError:
        return value
    if when.tzinfo is not None:
        when = when.astimezone()
    return when.strftime("%d-%m-%Y %H:%M")


def document_line(doc: Mapping[str, Any]) -> str:
    """An indexed document in the sidebar list (``doc`` is one of ``Engine.info()["documents"]``)."""
    kind = "rapport" if doc.get("kind") == "report" else "bron"
    return (
        f"- {md_escape(doc.get('title', ''))} ({kind}) — {doc.get('pages', 0)} pagina's, "
        f"{doc.get('chunks', 0)} passages"
    )


def index_summary(info: Mapping[str, Any]) -> str:
    """When the index was built, with which model, and what it holds (``info`` is ``Engine.info()``)."""
    embedder = info.get("embedder") or {}
    counts = info.get("counts") or {}
    return (
        f"**Index gebouwd:** {format_date(info.get('created'))}  \n"
        f"**Zoekmodel:** {md_escape(embedder.get('id', 'onbekend'))} ({embedder.get('dim', '?')} dimensies)  \n"
        f"**Inhoud:** {counts.get('chunks', 0)} passages, {counts.get('facts', 0)} getallen"
    )


def sources_table(sources: Sequence[Source]) -> dict[str, list[Any]]:
    """The columns of the table of the sources the report cites, one row per footnote."""
    return {
        "Voetnoot": [s.footnote for s in sources],
        "Pagina": [s.page for s in sources],
        "Bron": [s.text for s in sources],
        "URL": [s.urls[0] if s.urls else "" for s in sources],
        "In corpus": [s.in_corpus_doc or "nee" for s in sources],
    }


# ----------------------------------------------------------------------------- shareable links


def link_state(params: Mapping[str, str]) -> dict[str, object]:
    """The session state a shareable link sets (see ``app.py``): a tab, an example to run, a page, a search."""
    state: dict[str, object] = {}
    tab = TAB_PARAMS.get((params.get("tab") or "").lower())
    if tab:
        state["tab"] = tab
    q = (params.get("q") or "").strip()
    if tab == TAB_VRAAG and q:
        state["pending_question"] = q
    elif tab == TAB_BEWERING and (q or params.get("tekst")):
        if params.get("tekst"):
            state["claim_mode"] = "Toespraak of motie"
            state["speech_text"] = params.get("tekst")
            state["speech_run"] = True
        else:
            state["claim_text"] = q
            state["claim_run"] = True
    elif tab == TAB_CITAAT and q:
        state["quote_text"] = q
        state["quote_run"] = True
    if (page := params.get("pagina", "")).isdigit():
        state["rp_page"] = int(page)
    if params.get("zoek"):
        state["rp_search"] = params.get("zoek")
    return state
