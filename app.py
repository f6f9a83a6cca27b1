"""rekenqa in the browser: ask, check and cite the report "Migratie in Haarlemmermeer".

Start with ``streamlit run app.py --server.address localhost``. The app only calls ``rekenqa.pipeline.Engine``.

Safety: every piece of document or user text goes through ``md_escape`` (or a dataframe, or ``st.code``)
before it is shown; ``unsafe_allow_html`` is never used. User-facing failures are ``RekenQAError``s and are
shown as their Dutch message with ``st.error``.

Shareable links: ``?tab=vraag|bewering|citaat|rapport`` selects a tab; ``q=...`` asks or checks an example on
the first run (a question, a claim or a quote), ``tekst=...`` checks a speech, ``pagina=17`` opens a page in
the report tab and ``zoek=...`` searches the report.
"""

from __future__ import annotations

import datetime as dt
import re
import sys
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import streamlit as st

ROOT = Path(__file__).resolve().parent
try:
    import rekenqa  # noqa: F401
except ImportError:  # a checkout that was not installed: use src/ directly
    sys.path.insert(0, str(ROOT / "src"))

from rekenqa.errors import RekenQAError  # noqa: E402
from rekenqa.pipeline import Engine  # noqa: E402
from rekenqa.settings import Settings  # noqa: E402
from rekenqa.types import Answer, DiffOp, QuoteVerdict, Verdict  # noqa: E402

HELP_FILE = ROOT / "src" / "rekenqa" / "help_nl.md"
REFUSAL = "Het rapport geeft hierover geen informatie."

TAB_VRAAG = "Vraag het rapport"
TAB_BEWERING = "Check een bewering"
TAB_CITAAT = "Check een citaat"
TAB_RAPPORT = "Rapport"
TABS = (TAB_VRAAG, TAB_BEWERING, TAB_CITAAT, TAB_RAPPORT)
TAB_PARAMS = {"vraag": TAB_VRAAG, "bewering": TAB_BEWERING, "citaat": TAB_CITAAT, "rapport": TAB_RAPPORT}

CLAIM_BADGES = {
    "supported": ("klopt", "green", ":material/check_circle:"),
    "contradicted": ("klopt niet", "red", ":material/cancel:"),
    "not_in_report": ("staat niet in het rapport", "gray", ":material/help:"),
}
# Cell colours of the verdicts in the speech table (light backgrounds, dark text).
VERDICT_CELL = {
    "klopt": "background-color: #d3f9d8; color: #1b5e20",
    "klopt niet": "background-color: #ffe3e3; color: #8b1a1a",
    "staat niet in het rapport": "background-color: #eceff1; color: #37474f",
}
QUOTE_BADGES = {
    "exact": ("letterlijk in het rapport", "green", ":material/check_circle:"),
    "harmless": ("klopt, met kleine onschuldige verschillen", "blue", ":material/check:"),
    "altered": ("gewijzigd ten opzichte van het rapport", "red", ":material/edit_off:"),
    "not_found": ("niet gevonden in het rapport", "gray", ":material/search_off:"),
}

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


def _join_lines(lines: Any) -> str:
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

_SUPERSCRIPTS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
_WORD = re.compile(rf"[^\W_{_SUPERSCRIPTS}]+")
_GAP = rf"(?:[\W_{_SUPERSCRIPTS}])*?"


def find_quote(page_text: str, quote: str) -> tuple[int, int] | None:
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
        more = re.match(rf"[.,;:!?)”’\"{_SUPERSCRIPTS}]*", page_text[end:])
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


def find_term(text: str, term: str) -> list[tuple[int, int]]:
    """Case-insensitive occurrences of a search term (whitespace-tolerant)."""
    words = term.split()
    if not words:
        return []
    pattern = r"\s+".join(re.escape(w) for w in words)
    return [(m.start(), m.end()) for m in re.finditer(pattern, text, flags=re.IGNORECASE)]


def _merge(spans: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
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


def marked_markdown(text: str, spans: Sequence[tuple[int, int]], style: str = "orange-background") -> str:
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


_BREAK_AFTER = re.compile(r"[.:;!?)\]”’\"⁰¹²³⁴⁵⁶⁷⁸⁹]\s*$")
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
    """Offset where the footnotes printed at the bottom of the page begin, if they can be found."""
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


def snippet(text: str, start: int, end: int, width: int = 90) -> tuple[str, tuple[int, int]]:
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


# ----------------------------------------------------------------------------- engine


class _EngineSlot:
    """One engine per settings, shared by every session; the lock makes the first start build only once."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.engine: Engine | None = None


@st.cache_resource(show_spinner=False)
def _engine_slot(settings_key: str) -> _EngineSlot:
    return _EngineSlot()


def get_engine() -> Engine:
    """The shared Engine; the first start builds the index with a progress bar (raises RekenQAError)."""
    settings = Settings.from_env()
    slot = _engine_slot(repr(settings))
    if slot.engine is not None:
        return slot.engine
    box = st.empty()
    with slot.lock:
        if slot.engine is None:
            with box.container():
                st.info("De assistent wordt gestart: het rapport en het zoekmodel worden geladen …")
                bar = st.progress(0.0, text="Starten …")

            def progress(fraction: float, message: str) -> None:
                bar.progress(
                    min(max(fraction, 0.0), 1.0), text=f"Index bouwen (alleen bij de eerste start): {message}"
                )

            try:
                slot.engine = Engine.open(settings, progress=progress)
            finally:
                box.empty()
    return slot.engine


# ----------------------------------------------------------------------------- state helpers

# Widget values that must survive a visit to another tab: Streamlit forgets the state of widgets that were not
# drawn in a run, and the tabs run lazily (only the open tab is drawn).
PERSISTENT_KEYS = (
    "claim_mode",
    "claim_text",
    "speech_text",
    "quote_text",
    "rp_doc",
    "rp_page",
    "rp_search",
    "rp_toc_all",
)


def keep_widget_state() -> None:
    for key in PERSISTENT_KEYS:
        if key in st.session_state:
            st.session_state[key] = st.session_state[key]


def open_viewer(doc_id: str, page: int, quotes: Sequence[str] = ()) -> None:
    st.session_state["viewer"] = {"doc": doc_id, "page": int(page), "quotes": [q for q in quotes if q]}


def close_viewer() -> None:
    st.session_state["viewer"] = None


def move_viewer(step: int) -> None:
    viewer = st.session_state.get("viewer")
    if viewer:
        viewer["page"] += step


def goto_report_page(page: int) -> None:
    st.session_state["rp_page"] = int(page)


def page_button(
    label: str,
    key: str,
    doc_id: str,
    page: int,
    quotes: Sequence[str] = (),
    help: str = "",
    width: str = "stretch",
) -> None:
    st.button(
        label,
        key=key,
        on_click=open_viewer,
        args=(doc_id, page, tuple(quotes)),
        help=help or "Open deze pagina naast het antwoord, met de geciteerde zin gemarkeerd.",
        width=width,  # type: ignore[arg-type]
    )


def citation_box(
    engine: Engine, doc_id: str, pages: Sequence[int], label: str = "Kopieer bronvermelding"
) -> None:
    st.caption(label)
    st.code(engine.citation(doc_id, pages), language=None, wrap_lines=True)


# ----------------------------------------------------------------------------- page view


def render_page(
    engine: Engine,
    doc_id: str,
    number: int,
    *,
    quotes: Sequence[str] = (),
    term: str = "",
    height: int | None = None,
) -> None:
    """The repaired text of one page with quotes (orange) or search hits (yellow) marked, and its footnotes."""
    view = engine.page(doc_id, number)
    text = view.page.text.strip("\n")
    spans = [span for q in quotes if (span := find_quote(text, q))]
    hits = find_term(text, term) if term.strip() else []
    # The footnotes are listed below the page: leave the printed footnote area out of the text,
    # unless a cited sentence or a search hit stands in it.
    cut = footnote_area(text, [n.number for n in view.footnotes], [n.text for n in view.footnotes])
    if cut is not None and all(end <= cut for _, end in spans + hits):
        text = text[:cut].rstrip()
    text = reflow(text)
    st.markdown(f"#### Pagina {view.page.number}")
    st.caption(f"{md_escape(view.document.title)} · gedrukte pagina's {view.first}–{view.last}")
    if quotes and not spans:
        st.caption("De geciteerde zin staat niet (volledig) op deze pagina.")
    body = marked_markdown(text, spans, "orange-background") if spans else None
    if hits and not spans:
        body = marked_markdown(text, hits, "yellow-background")
    with st.container(height=height or "content", border=True):
        st.markdown(body if body is not None else md_lines(text) or "_(lege pagina)_")
    if view.footnotes:
        lines = []
        for note in view.footnotes:
            links = " ".join(md_link(u) for u in note.urls)
            lines.append(f"{note.number}\\. {md_escape(note.text)}" + (f" — {links}" if links else ""))
        st.markdown("**Voetnoten op deze pagina**  \n" + "  \n".join(lines))
    citation_box(engine, view.document.id, [view.page.number])


def render_viewer(engine: Engine) -> None:
    viewer = st.session_state.get("viewer")
    if not viewer:
        return
    doc_id, number = viewer["doc"], viewer["page"]
    try:
        info = engine.resolve_doc(doc_id)
    except RekenQAError as err:
        st.error(str(err))
        return
    numbers = engine.index.page_numbers(info.id)
    with st.container(horizontal=True, vertical_alignment="center"):
        st.button(
            "Vorige",
            key="viewer_prev",
            icon=":material/chevron_left:",
            on_click=move_viewer,
            args=(-1,),
            disabled=not numbers or number <= numbers[0],
            help="Vorige pagina",
        )
        st.button(
            "Volgende",
            key="viewer_next",
            icon=":material/chevron_right:",
            icon_position="right",
            on_click=move_viewer,
            args=(1,),
            disabled=not numbers or number >= numbers[-1],
            help="Volgende pagina",
        )
        st.space("stretch")
        st.button(
            "Sluiten",
            key="viewer_close",
            icon=":material/close:",
            on_click=close_viewer,
            help="Paginaweergave sluiten",
        )
    try:
        render_page(engine, info.id, number, quotes=viewer.get("quotes", ()), height=520)
    except RekenQAError as err:
        st.error(str(err))


# ----------------------------------------------------------------------------- tab: vraag


def answer_markdown(engine: Engine, question: str, answer: Answer) -> str:
    """The answer as a Markdown file to download (plain text of the report, as cited)."""
    lines = ["# Vraag aan het rapport", "", question, "", "## Antwoord", "", answer.text, ""]
    if answer.answered and answer.citations:
        first = answer.citations[0].doc_id
        pages = sorted({p for c in answer.citations for p in range(c.first_page, c.last_page + 1)})
        lines += ["## Bronvermelding", "", engine.citation(first, pages), ""]
    lines += [
        "---",
        f"Gemaakt met rekenqa (offline) op {dt.datetime.now().strftime('%d-%m-%Y %H:%M')}. "
        "De antwoorden citeren het rapport letterlijk; controleer de pagina's.",
        "",
    ]
    return "\n".join(lines)


def render_answer(engine: Engine, i: int, question: str, answer: Answer) -> None:
    if not answer.answered:
        st.warning(REFUSAL, icon=":material/info:")
        nearest = answer.passages[:3]
        if nearest:
            st.markdown("**Dichtstbijzijnde passages in het rapport**")
            for j, passage in enumerate(nearest):
                chunk = passage.chunk
                text = " ".join(chunk.text.split())
                short = text if len(text) <= 300 else text[:297].rsplit(" ", 1)[0] + " …"
                where = (
                    f"p. {chunk.first_page}"
                    if chunk.first_page == chunk.last_page
                    else f"p. {chunk.first_page}-{chunk.last_page}"
                )
                col_text, col_button = st.columns([0.8, 0.2], vertical_alignment="center")
                col_text.markdown(f"{md_escape(short)} ({where})")
                with col_button:
                    page_button(where, f"near_{i}_{j}", chunk.doc_id, chunk.first_page, ())
        return
    if answer.lead:
        st.markdown(f"**{md_escape(answer.lead)}**")
    for j, citation in enumerate(answer.citations):
        label = (
            f"p. {citation.first_page}"
            if citation.first_page == citation.last_page
            else f"p. {citation.first_page}-{citation.last_page}"
        )
        col_text, col_button = st.columns([0.8, 0.2], vertical_alignment="center")
        col_text.markdown(f"“{md_escape(citation.quote or '')}” ({label})")
        with col_button:
            page_button(label, f"cite_{i}_{j}", citation.doc_id, citation.first_page, (citation.quote or "",))
    for note in answer.notes:
        st.info(md_escape(note), icon=":material/warning:")
    if answer.sources:
        with st.expander(f"Bronnen in de voetnoten ({len(answer.sources)})"):
            for note in answer.sources:
                links = " ".join(md_link(u) for u in note.urls)
                st.markdown(
                    f"{note.number}\\. {md_escape(note.text)} (p. {note.page})"
                    + (f"  \n{links}" if links else "")
                )
    pages = sorted({p for c in answer.citations for p in range(c.first_page, c.last_page + 1)})
    doc_id = answer.citations[0].doc_id if answer.citations else engine.index.report.id
    citation_box(engine, doc_id, pages)
    st.download_button(
        "Download als Markdown",
        data=answer_markdown(engine, question, answer),
        file_name=f"rekenqa-antwoord-{i + 1}.md",
        mime="text/markdown",
        key=f"download_{i}",
        on_click="ignore",
        icon=":material/download:",
    )


def ask_example(question: str) -> None:
    st.session_state["pending_question"] = question


def clear_chat() -> None:
    st.session_state["chat"] = []
    st.session_state["viewer"] = None


def tab_vraag(engine: Engine) -> None:
    chat: list[dict[str, Any]] = st.session_state.setdefault("chat", [])
    with st.container(horizontal=True, vertical_alignment="center"):
        st.markdown(
            "Stel een vraag in gewone taal. Het antwoord citeert het rapport **letterlijk**, met paginanummers. "
            "Vervolgvragen zoals *En in 2019?* gebruiken de vorige vragen.",
            width="stretch",
        )
        st.button("Nieuw gesprek", key="chat_reset", on_click=clear_chat, icon=":material/refresh:")
    messages = st.container()
    prompt = st.chat_input(
        "Stel een vraag over het rapport …", key="chat_input", max_chars=engine.settings.max_input_chars
    )
    pending = st.session_state.pop("pending_question", None)
    question = prompt if prompt is not None else pending
    with messages:
        if not chat and question is None:
            st.caption("Voorbeelden — klik om te vragen:")
            for k, example in enumerate(engine.profile.examples):  # from the report's catalog file
                st.button(example, key=f"example_{k}", on_click=ask_example, args=(example,), type="tertiary")
        for i, turn in enumerate(chat):
            with st.chat_message("user"):
                st.markdown(md_escape(turn["q"]))
            with st.chat_message("assistant"):
                render_answer(engine, i, turn["q"], turn["a"])
        if question is not None:
            history = [turn["q"] for turn in chat][-4:]
            try:
                with st.spinner("Het rapport doorzoeken …"):
                    answer = engine.ask(question, history=history)
            except RekenQAError as err:
                st.error(str(err))
                return
            chat.append({"q": question, "a": answer})
            with st.chat_message("user"):
                st.markdown(md_escape(question))
            with st.chat_message("assistant"):
                render_answer(engine, len(chat) - 1, question, answer)


# ----------------------------------------------------------------------------- tab: bewering


def verdict_badge(status: str, badges: dict[str, tuple[str, str, str]]) -> None:
    """The verdict as a large colored badge (labels are our own text, not user text)."""
    label, color, icon = badges.get(status, (status, "gray", ":material/help:"))
    st.markdown(f"#### :{color}-background[:{color}[{icon} {label}]]")


def render_verdict(engine: Engine, verdict: Verdict, key: str) -> None:
    verdict_badge(verdict.status, CLAIM_BADGES)
    rows = []
    if verdict.report_value:
        rows.append(f"**Waarde in het rapport:** {md_escape(verdict.report_value)}")
    if verdict.reason:
        rows.append(f"**Reden:** {md_escape(verdict.reason)}")
    if verdict.difference:
        rows.append(f"**Verschil:** {md_escape(verdict.difference)}")
    if rows:
        st.markdown("  \n".join(rows))
    for note in verdict.notes:
        st.info(md_escape(note), icon=":material/warning:")
    if verdict.evidence:
        st.markdown("**Wat het rapport zegt**")
        for j, evidence in enumerate(verdict.evidence):
            col_text, col_button = st.columns([0.8, 0.2], vertical_alignment="center")
            col_text.markdown(f"“{md_escape(evidence.sentence)}” (p. {evidence.page})")
            with col_button:
                page_button(
                    f"p. {evidence.page}",
                    f"{key}_ev_{j}",
                    evidence.doc_id,
                    evidence.page,
                    (evidence.sentence,),
                )
        first = verdict.evidence[0]
        citation_box(
            engine, first.doc_id, sorted({e.page for e in verdict.evidence if e.doc_id == first.doc_id})
        )


def run_claim() -> None:
    st.session_state["claim_run"] = True


def run_speech() -> None:
    st.session_state["speech_run"] = True


def tab_bewering(engine: Engine) -> None:
    st.markdown(
        "Plak een bewering uit een debat, of een hele bijdrage of motie. Getallen worden vergeleken met het "
        "rapport (afronden mag, een ander jaar of een andere groep niet)."
    )
    st.session_state.setdefault("claim_mode", "Eén bewering")
    mode = st.segmented_control(
        "Wat wilt u controleren?", ["Eén bewering", "Toespraak of motie"], key="claim_mode", required=True
    )
    if mode == "Toespraak of motie":
        speech_section(engine)
        return
    with st.form("claim_form", border=False):
        st.text_input(
            "Bewering",
            key="claim_text",
            placeholder="bijv. Haarlemmermeer had in 2023 ruim 160.000 inwoners.",
            max_chars=engine.settings.max_input_chars,
        )
        st.form_submit_button(
            "Controleer bewering", type="primary", on_click=run_claim, icon=":material/fact_check:"
        )
    if st.session_state.pop("claim_run", False):
        text = st.session_state.get("claim_text", "")
        try:
            with st.spinner("Bewering controleren …"):
                st.session_state["claim_result"] = (text, engine.check_claim(text))
        except RekenQAError as err:
            st.session_state["claim_result"] = None
            st.error(str(err))
            return
    result = st.session_state.get("claim_result")
    if result:
        text, verdict = result
        with st.container(border=True):
            st.markdown(f"**Bewering:** {md_escape(text)}")
            render_verdict(engine, verdict, "claim")


def speech_section(engine: Engine) -> None:
    st.text_area(
        "Tekst van de toespraak of motie",
        key="speech_text",
        height=160,
        placeholder="Plak hier de tekst. Zinnen met getallen, vergelijkingen of verwijzingen naar het rapport "
        "worden gecontroleerd.",
    )
    st.button(
        "Controleer tekst",
        key="speech_button",
        type="primary",
        on_click=run_speech,
        icon=":material/fact_check:",
    )
    if st.session_state.pop("speech_run", False):
        try:
            with st.spinner("Beweringen controleren …"):
                st.session_state["speech_result"] = engine.check_speech(
                    st.session_state.get("speech_text", "")
                )
            st.session_state.pop("speech_detail", None)
        except RekenQAError as err:
            st.session_state["speech_result"] = None
            st.error(str(err))
            return
    results = st.session_state.get("speech_result")
    if results is None:
        return
    if not results:
        st.info(
            "Geen controleerbare beweringen gevonden (zinnen met getallen, vergelijkingen of verwijzingen naar het rapport)."
        )
        return
    counts = {status: sum(1 for _, v in results if v.status == status) for status in CLAIM_BADGES}
    st.markdown(
        f"**{len(results)} beweringen gecontroleerd:** "
        + ", ".join(f"{n} {CLAIM_BADGES[s][0]}" for s, n in counts.items() if n)
    )
    table = {
        "Nr.": list(range(1, len(results) + 1)),
        "Bewering": [sentence for sentence, _ in results],
        "Oordeel": [CLAIM_BADGES[v.status][0] for _, v in results],
        "Waarde in het rapport": [v.report_value for _, v in results],
        "Reden": [v.reason for _, v in results],
        "Verschil": [v.difference for _, v in results],
        "Pagina": [", ".join(str(p) for p in sorted({e.page for e in v.evidence})) for _, v in results],
    }
    import pandas as pd  # Streamlit depends on pandas; only needed for the coloured table

    frame = pd.DataFrame(table)
    styled = frame.style.map(lambda value: VERDICT_CELL.get(value, ""), subset=["Oordeel"])
    st.dataframe(
        styled,
        hide_index=True,
        width="stretch",
        column_config={
            "Nr.": st.column_config.NumberColumn("Nr.", width=40),
            "Bewering": st.column_config.TextColumn("Bewering", width="large"),
            "Oordeel": st.column_config.TextColumn("Oordeel", width="medium"),
        },
    )
    # Show the first claim that does not hold; otherwise the first one.
    first_issue = next((k for k, (_, v) in enumerate(results) if v.status != "supported"), 0)
    choice = st.selectbox(
        "Details en pagina van bewering",
        list(range(len(results))),
        index=first_issue,
        format_func=lambda k: f"{k + 1}. {results[k][0][:90]}",
        key="speech_detail",
    )
    if choice is not None and 0 <= choice < len(results):
        sentence, verdict = results[choice]
        with st.container(border=True):
            st.markdown(f"**Bewering:** {md_escape(sentence)}")
            render_verdict(engine, verdict, f"speech_{choice}")


# ----------------------------------------------------------------------------- tab: citaat


def run_quote() -> None:
    st.session_state["quote_run"] = True


def tab_citaat(engine: Engine) -> None:
    st.markdown(
        "Staat een citaat echt zo in het rapport? Plak het citaat; u ziet of het letterlijk klopt, welke woorden "
        "zijn weggelaten of toegevoegd, en op welke pagina het origineel staat."
    )
    st.text_area(
        "Citaat",
        key="quote_text",
        height=100,
        placeholder="bijv. Migranten vormen daarmee 11,4 procent van de inwoners.",
    )
    st.button(
        "Controleer citaat",
        key="quote_button",
        type="primary",
        on_click=run_quote,
        icon=":material/format_quote:",
    )
    if st.session_state.pop("quote_run", False):
        try:
            with st.spinner("Citaat zoeken …"):
                st.session_state["quote_result"] = engine.check_quote(st.session_state.get("quote_text", ""))
        except RekenQAError as err:
            st.session_state["quote_result"] = None
            st.error(str(err))
            return
    verdict: QuoteVerdict | None = st.session_state.get("quote_result")
    if verdict is None:
        return
    with st.container(border=True):
        verdict_badge(verdict.status, QUOTE_BADGES)
        if verdict.reason:
            st.markdown(f"**Toelichting:** {md_escape(verdict.reason)}")
        if (
            verdict.changes
            and verdict.status == "altered"
            and not all(c in verdict.reason for c in verdict.changes)
        ):
            st.markdown("**Wijzigingen**  \n" + "  \n".join(f"• {md_escape(c)}" for c in verdict.changes))
        if verdict.diff and verdict.status in ("harmless", "altered"):
            st.markdown("**Woord voor woord**")
            st.caption(
                "Rood doorgestreept: staat in het rapport maar niet in het citaat. Groen: toegevoegd in het citaat."
            )
            st.markdown(diff_markdown(verdict.diff))
        if verdict.original:
            pages = ", ".join(str(p) for p in verdict.pages)
            st.markdown(f"**Origineel in het rapport** (p. {pages})")
            st.markdown(f"> {md_escape(verdict.original)}")
        if verdict.pages:
            with st.container(horizontal=True):
                for k, page in enumerate(verdict.pages[:8]):
                    page_button(
                        f"p. {page}",
                        f"quote_page_{k}",
                        verdict.doc_id,
                        page,
                        (verdict.original,),
                        width="content",
                    )
        if verdict.citation:
            st.caption("Kopieer bronvermelding")
            st.code(verdict.citation, language=None, wrap_lines=True)


# ----------------------------------------------------------------------------- tab: rapport


def search_pages(engine: Engine, doc_id: str, term: str) -> list[tuple[int, list[tuple[int, int]]]]:
    """(page, [(start, end), ...]) for every page with a case-insensitive occurrence of ``term``, in page order."""
    hits = []
    for number in engine.index.page_numbers(doc_id):
        found = find_term(engine.index.pages[(doc_id, number)].text, term)
        if found:
            hits.append((number, found))
    return hits


def section_at(sections: Sequence[Any], page: int) -> int | None:
    """Index of the last section that starts on or before ``page``."""
    found = None
    for k, section in enumerate(sections):
        if section.page <= page:
            found = k
    return found


def goto_section(sections: Sequence[Any]) -> None:
    k = st.session_state.get("rp_toc")
    if k is not None and 0 <= k < len(sections):
        st.session_state["rp_page"] = int(sections[k].page)


def move_report_page(step: int, first: int, last: int) -> None:
    current = int(st.session_state.get("rp_page") or first)
    st.session_state["rp_page"] = min(max(current + step, first), last)


def tab_rapport(engine: Engine) -> None:
    documents = list(engine.index.documents)
    report = engine.index.report
    doc_id = report.id
    if len(documents) > 1:
        doc_id = st.selectbox(
            "Document",
            [d.id for d in documents],
            format_func=lambda d: next((x.title for x in documents if x.id == d), d),
            key="rp_doc",
        )
    numbers = engine.index.page_numbers(doc_id)
    if not numbers:
        st.info("Dit document heeft geen pagina's.")
        return
    first, last = numbers[0], numbers[-1]
    if (
        not isinstance(st.session_state.get("rp_page"), int)
        or not first <= st.session_state["rp_page"] <= last
    ):
        st.session_state["rp_page"] = first
    left, right = st.columns([2, 3], gap="large")
    with right:
        nav = st.columns([1, 1.2, 1], vertical_alignment="bottom")
        nav[0].button(
            "Vorige pagina",
            key="rp_prev",
            icon=":material/chevron_left:",
            on_click=move_report_page,
            args=(-1, first, last),
            disabled=st.session_state["rp_page"] <= first,
            width="stretch",
        )
        nav[1].number_input("Pagina", min_value=first, max_value=last, step=1, key="rp_page")
        nav[2].button(
            "Volgende pagina",
            key="rp_next",
            icon=":material/chevron_right:",
            icon_position="right",
            on_click=move_report_page,
            args=(1, first, last),
            disabled=st.session_state["rp_page"] >= last,
            width="stretch",
        )
        try:
            render_page(
                engine, doc_id, int(st.session_state["rp_page"]), term=st.session_state.get("rp_search", "")
            )
        except RekenQAError as err:
            st.error(str(err))
    with left:
        term = st.text_input("Zoeken in de tekst", key="rp_search", placeholder="bijv. statushouders")
        if term.strip():
            hits = search_pages(engine, doc_id, term)
            if not hits:
                st.caption(f"Geen treffers voor “{md_escape(term.strip())}”.")
            else:
                total = sum(len(spans) for _, spans in hits)
                st.caption(f"{total} treffers op {len(hits)} pagina's — klik op een pagina om die te openen")
                with st.container(height=230):
                    for k, (page, spans) in enumerate(hits):
                        text = engine.index.pages[(doc_id, page)].text
                        excerpt, span = snippet(text, *spans[0], width=50)
                        col_button, col_text = st.columns([0.2, 0.8], vertical_alignment="center")
                        col_button.button(
                            f"p. {page}",
                            key=f"hit_{k}",
                            on_click=goto_report_page,
                            args=(page,),
                            width="stretch",
                        )
                        extra = f" *(+{len(spans) - 1})*" if len(spans) > 1 else ""
                        col_text.markdown(marked_markdown(excerpt, [span], "yellow-background") + extra)
        sections = engine.index.structures[doc_id].sections if doc_id in engine.index.structures else ()
        head, toggle = st.columns([0.5, 0.5], vertical_alignment="center")
        head.markdown("**Inhoudsopgave**")
        detail = toggle.toggle("Alle tussenkopjes", key="rp_toc_all") if sections else False
        shown = [sec for sec in sections if detail or sec.level <= 2]
        if not shown:
            st.caption("Geen hoofdstukken gevonden in dit document.")
        else:
            # Keep the table of contents on the section of the page being read ("you are here").
            page = int(st.session_state["rp_page"])
            chosen = st.session_state.get("rp_toc")
            in_range = (
                isinstance(chosen, int)
                and 0 <= chosen < len(shown)
                and shown[chosen].page
                <= page
                <= (shown[chosen + 1].page if chosen + 1 < len(shown) else last)
            )
            if not in_range:
                st.session_state["rp_toc"] = section_at(shown, page)

            def label(k: int) -> str:
                section = shown[k]
                indent = "\u2003" * max(0, section.level - 1)
                number = f"{md_escape(section.number.strip())} " if section.number.strip() else ""
                title = md_escape(section.title.strip())
                title = f"**{title}**" if section.level <= 1 else title
                return f"{indent}{number}{title} · p. {section.page}"

            with st.container(height=400):
                st.radio(
                    "Inhoudsopgave",
                    list(range(len(shown))),
                    format_func=label,
                    key="rp_toc",
                    on_change=goto_section,
                    args=(shown,),
                    label_visibility="collapsed",
                )
    if doc_id == report.id:
        render_sources(engine)


def render_sources(engine: Engine) -> None:
    sources = engine.sources()
    st.markdown(f"#### Geciteerde bronnen ({len(sources)})")
    if not sources:
        st.caption("Het rapport noemt geen bronnen in zijn voetnoten.")
        return
    st.caption(
        "De bronnen die het rapport in zijn voetnoten noemt. *In corpus*: het document zelf is ook geïndexeerd."
    )
    table = {
        "Voetnoot": [s.footnote for s in sources],
        "Pagina": [s.page for s in sources],
        "Bron": [s.text for s in sources],
        "URL": [s.urls[0] if s.urls else "" for s in sources],
        "In corpus": [s.in_corpus_doc or "nee" for s in sources],
    }
    st.dataframe(
        table,
        hide_index=True,
        width="stretch",
        column_config={
            "URL": st.column_config.LinkColumn("URL", width="medium"),
            "Bron": st.column_config.TextColumn("Bron", width="large"),
        },
    )


# ----------------------------------------------------------------------------- sidebar


def format_date(value: str | None) -> str:
    if not value:
        return "onbekend"
    try:
        when = dt.datetime.fromisoformat(value)
    except ValueError:
        return value
    if when.tzinfo is not None:
        when = when.astimezone()
    return when.strftime("%d-%m-%Y %H:%M")


def render_sidebar(engine: Engine) -> None:
    info = engine.info()
    with st.sidebar:
        st.markdown("### rekenqa")
        st.caption("Offline assistent bij het rekenkamerrapport *Migratie in Haarlemmermeer* (2025).")
        if engine.rebuilt_because:
            st.info("De index is bij deze start opnieuw opgebouwd: " + md_escape(engine.rebuilt_because))
        st.markdown("**Geïndexeerde documenten**")
        for doc in info.get("documents", []):
            kind = "rapport" if doc.get("kind") == "report" else "bron"
            st.markdown(
                f"- {md_escape(doc.get('title', ''))} ({kind}) — {doc.get('pages', 0)} pagina's, "
                f"{doc.get('chunks', 0)} passages"
            )
        embedder = info.get("embedder") or {}
        counts = info.get("counts") or {}
        st.markdown(
            f"**Index gebouwd:** {format_date(info.get('created'))}  \n"
            f"**Zoekmodel:** {md_escape(embedder.get('id', 'onbekend'))} ({embedder.get('dim', '?')} dimensies)  \n"
            f"**Inhoud:** {counts.get('chunks', 0)} passages, {counts.get('facts', 0)} getallen"
        )
        for line in info.get("skipped", []):
            st.warning("Overgeslagen: " + md_escape(line))
        with st.expander("Hulp: wat kan deze assistent?", icon=":material/help:"):
            try:
                st.markdown(HELP_FILE.read_text(encoding="utf-8"))
            except OSError:
                st.caption("De helptekst is niet gevonden.")


# ----------------------------------------------------------------------------- query parameters


def apply_query_params() -> None:
    """Preselect a tab and run an example from the URL, once per session."""
    if st.session_state.get("_query_done"):
        return
    st.session_state["_query_done"] = True
    params = st.query_params
    tab = TAB_PARAMS.get((params.get("tab") or "").lower())
    if tab:
        st.session_state["tab"] = tab
    q = (params.get("q") or "").strip()
    if tab == TAB_VRAAG and q:
        st.session_state["pending_question"] = q
    elif tab == TAB_BEWERING and (q or params.get("tekst")):
        if params.get("tekst"):
            st.session_state["claim_mode"] = "Toespraak of motie"
            st.session_state["speech_text"] = params.get("tekst")
            st.session_state["speech_run"] = True
        else:
            st.session_state["claim_text"] = q
            st.session_state["claim_run"] = True
    elif tab == TAB_CITAAT and q:
        st.session_state["quote_text"] = q
        st.session_state["quote_run"] = True
    if (page := params.get("pagina", "")).isdigit():
        st.session_state["rp_page"] = int(page)
    if params.get("zoek"):
        st.session_state["rp_search"] = params.get("zoek")


# ----------------------------------------------------------------------------- main


def main() -> None:
    try:
        st.set_option("client.toolbarMode", "viewer")  # no "Deploy" button: this app runs offline
    except Exception:  # noqa: BLE001, S110 (an option a Streamlit version does not allow at run time)
        pass
    st.set_page_config(
        page_title="rekenqa — Migratie in Haarlemmermeer", page_icon=":material/menu_book:", layout="wide"
    )
    try:
        engine = get_engine()
    except RekenQAError as err:
        st.error(str(err))
        st.stop()
    apply_query_params()
    keep_widget_state()
    st.session_state.setdefault("viewer", None)
    render_sidebar(engine)
    st.markdown("## Migratie in Haarlemmermeer")
    st.caption(
        "Vraag, check en citeer het rapport van de Rekenkamer Haarlemmermeer (2025) — offline, met paginanummers."
    )
    current = st.session_state.get("tab", TAB_VRAAG)
    show_viewer = bool(st.session_state.get("viewer")) and current != TAB_RAPPORT
    columns = st.columns([3, 2] if show_viewer else [1], gap="large")
    with columns[0]:
        tabs = st.tabs(list(TABS), key="tab", on_change="rerun")
        with tabs[0]:
            if tabs[0].open:
                tab_vraag(engine)
        with tabs[1]:
            if tabs[1].open:
                tab_bewering(engine)
        with tabs[2]:
            if tabs[2].open:
                tab_citaat(engine)
        with tabs[3]:
            if tabs[3].open:
                tab_rapport(engine)
    if show_viewer:
        with columns[1]:
            render_viewer(engine)


if __name__ == "__main__":
    main()
