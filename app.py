"""rekenqa in the browser: ask, check and cite the report "Migratie in Haarlemmermeer".

Start with ``streamlit run app.py --server.address localhost``. The app only calls ``rekenqa.pipeline.Engine``.
This file places the widgets; the Markdown they show is built in ``rekenqa.render`` (pure), the shared engine
and the session state (widget callbacks, shareable links) live in ``rekenqa.ui``.

Safety: every piece of document or user text goes through ``md_escape`` (or a dataframe, or ``st.code``)
before it is shown, error messages too (``ui.notices.error``: they name files); ``unsafe_allow_html`` is never
used. User-facing failures are ``RekenQAError``s and are shown as their Dutch message; anything else is
logged and shown as one Dutch sentence, never as a traceback (``ui.notices.guarded``).

Shareable links: ``?tab=vraag|bewering|citaat|rapport`` selects a tab; ``q=...`` asks or checks an example on
the first run (a question, a claim or a quote), ``tekst=...`` checks a speech, ``pagina=17`` opens a page in
the report tab (``doc=...`` picks another document first) and ``zoek=...`` searches the report. Every
parameter is checked before use (``ui.state.read_link``); what does not pass is ignored with a notice.
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Literal

import streamlit as st

ROOT = Path(__file__).resolve().parent
try:
    import rekenqa  # noqa: F401
except ImportError:  # a checkout that was not installed: use src/ directly
    sys.path.insert(0, str(ROOT / "src"))

from rekenqa.answer import REFUSAL, chunk_pages  # noqa: E402
from rekenqa.errors import RekenQAError  # noqa: E402
from rekenqa.export import (  # noqa: E402
    conversation_html,
    conversation_markdown,
    explanation,
    speech_csv,
    speech_markdown,
)
from rekenqa.pipeline import Engine  # noqa: E402
from rekenqa.render import (  # noqa: E402
    CLAIM_BADGES,
    QUOTE_BADGES,
    TAB_RAPPORT,
    TAB_VRAAG,
    TABS,
    Badges,
    answer_markdown,
    badge_markdown,
    citation_button_label,
    citation_help,
    citation_markdown,
    cited_pages,
    diff_markdown,
    document_line,
    footnote_list,
    hit_markdown,
    index_summary,
    md_escape,
    nearest_markdown,
    page_body,
    quote_changes,
    search_hits,
    section_at,
    section_holds,
    source_markdown,
    sources_table,
    speech_summary,
    table_markdown,
    toc_label,
    verdict_rows,
)
from rekenqa.series import Series  # noqa: E402
from rekenqa.types import Answer, QuoteVerdict, Verdict  # noqa: E402
from rekenqa.ui import memo  # noqa: E402
from rekenqa.ui.engine_slot import get_engine  # noqa: E402
from rekenqa.ui.memo import point_label  # noqa: E402
from rekenqa.ui.notices import error, guarded, link_notice  # noqa: E402
from rekenqa.ui.page_helper import page_helper, page_style  # noqa: E402
from rekenqa.ui.state import (  # noqa: E402
    SPEECH_MODE,
    apply_query_params,
    ask_example,
    chat_to_url,
    clear_chat,
    close_viewer,
    drop_long_text,
    goto_report_page,
    goto_section,
    keep_long_text,
    keep_widget_state,
    move_report_page,
    move_viewer,
    open_viewer,
    request,
    run_check,
    tab_to_url,
    to_speech_check,
)

HELP_FILE = ROOT / "src" / "rekenqa" / "help_nl.md"

# The verdicts of the speech table as coloured chips (Streamlit's Markdown badges: dark text, light fill).
VERDICT_CHIP = {"supported": "green", "contradicted": "red", "not_in_report": "gray"}

# ----------------------------------------------------------------------------- widgets


def accessible_name(key: str, name: str) -> None:
    """Give the button of widget ``key`` an accessible name (set in the browser by the page helper)."""
    st.session_state.setdefault("_aria", {})[key] = name


def page_button(
    label: str,
    key: str,
    doc_id: str,
    page: int,
    quotes: Sequence[str] = (),
    help: str = "",
    width: str = "stretch",
) -> None:
    """A button that opens ``page`` in the viewer with ``quotes`` marked; its accessible name is ``help``
    ("Open pagina 38: …") or "Open pagina 38"."""
    name = help or f"Open pagina {label.removeprefix('p. ')}"
    st.button(
        label,
        key=key,
        on_click=open_viewer,
        args=(doc_id, page, tuple(quotes), key),
        help=help or "Open deze pagina met de geciteerde zin gemarkeerd.",
        width=width,  # type: ignore[arg-type]
    )
    accessible_name(key, name)


def cited_row(
    engine: Engine, text: str, label: str, key: str, doc_id: str, page: int, quotes: Sequence[str], help: str = ""
) -> None:
    """A line of Markdown with, to its right, a button that opens its page (below it on a narrow screen)."""
    col_text, col_button = st.columns([0.8, 0.2], vertical_alignment="center")
    col_text.markdown(text)
    with col_button:
        page_button(label, key, doc_id, page, quotes, help=help)
    inline_viewer(engine, (key,))


def download(
    label: str, data: Callable[[], str | bytes], file_name: str, key: str, icon: str, help: str | None = None
) -> None:
    """A download button that does not rerun the app; the MIME type follows the file's extension.

    ``data`` makes the file when the button is clicked, not on every run: a page draws a download for each
    answer of the conversation, and every question reruns it (issue 16)."""
    mime = {".md": "text/markdown", ".html": "text/html", ".csv": "text/csv"}[Path(file_name).suffix]
    st.download_button(
        label, data=data, file_name=file_name, mime=mime, key=key, on_click="ignore", icon=icon, help=help
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
    box: str = "report",
) -> None:
    """The repaired text of one page with quotes or search hits marked, and its footnotes; ``box`` names the
    page box (``rq_pagebox_<box>``: the page helper gives its marks contrast and scrolls to them)."""
    view = engine.page(doc_id, number)
    body = page_body(view.page.text, view.footnotes, quotes, term)
    st.markdown(f"#### Pagina {md_escape(view.page.name)}")
    first, last = engine.page_name(doc_id, view.first), engine.page_name(doc_id, view.last)
    st.caption(f"{md_escape(view.document.title)} · gedrukte pagina's {md_escape(first)}–{md_escape(last)}")
    if body.quote_missing:
        st.caption("De geciteerde zin staat niet (volledig) op deze pagina.")
    with st.container(height=height or "content", border=True, key=f"rq_pagebox_{box}"):
        st.markdown(body.markdown)
    page_tables(engine, view.document.id, view.page.number)
    if view.footnotes:
        st.markdown(footnote_list(view.footnotes))
    citation_box(engine, view.document.id, [view.page.number])


def page_tables(engine: Engine, doc_id: str, number: int) -> None:
    """The report's tables on this page as tables (Tabel 1–4), below the page's text."""
    structure = engine.index.structures.get(doc_id)
    for table in structure.tables if structure else ():
        if not table.page <= number <= max(table.page, table.last_page):
            continue
        st.markdown(f"**{md_escape(table.caption or table.label)}**")
        grid = table_markdown(table)
        if grid:
            st.markdown(grid)
        else:
            st.caption(
                f"De kolommen van {md_escape(table.label or 'deze tabel')} zijn in de tekstversie van het rapport "
                "niet te herleiden; lees de tabel in de tekst hierboven of in de pdf."
            )


def viewer_buttons(number: int, numbers: Sequence[int], place: str) -> None:
    """Previous, next and close above the page viewer (``place``: side or inline, for unique keys)."""
    with st.container(horizontal=True, vertical_alignment="center"):
        st.button(
            "Vorige",
            key=f"viewer_prev_{place}",
            icon=":material/chevron_left:",
            on_click=move_viewer,
            args=(-1, numbers),
            disabled=not numbers or number <= numbers[0],
            help="Vorige pagina",
        )
        st.button(
            "Volgende",
            key=f"viewer_next_{place}",
            icon=":material/chevron_right:",
            icon_position="right",
            on_click=move_viewer,
            args=(1, numbers),
            disabled=not numbers or number >= numbers[-1],
            help="Volgende pagina",
        )
        st.space("stretch")
        st.button(
            "Sluiten",
            key=f"viewer_close_{place}",
            icon=":material/close:",
            on_click=close_viewer,
            help="Paginaweergave sluiten",
        )


def render_viewer(engine: Engine, place: str) -> None:
    """The page viewer: ``side`` (beside the tab, sticky; wide screens) or ``inline`` (below the clicked
    citation; narrow screens). Both are drawn; the page helper's CSS shows the one that fits the screen."""
    viewer = st.session_state.get("viewer")
    if not viewer:
        return
    doc_id, number = viewer["doc"], viewer["page"]
    with st.container(key=f"rq_viewer_{place}", border=place == "inline"):
        try:
            info = engine.resolve_doc(doc_id)
        except RekenQAError as err:
            error(err)
            return
        viewer_buttons(number, engine.index.page_numbers(info.id), place)
        try:
            render_page(
                engine, info.id, number, quotes=viewer.get("quotes", ()), height=480 if place == "side" else 360,
                box=place,
            )
        except RekenQAError as err:
            error(err)


def inline_viewer(engine: Engine, keys: Sequence[str]) -> None:
    """The viewer right below the citation that opened it, when one of ``keys`` did (narrow screens)."""
    viewer = st.session_state.get("viewer")
    if viewer and viewer.get("origin") in keys:
        render_viewer(engine, "inline")


# ----------------------------------------------------------------------------- charts

AXIS_TITLE = {"jaar": "Per jaar", "groep": "Per groep", "plaats": "Per plaats", "tabel": "Uit de tabel"}


def render_series(engine: Engine, series: Series, key: str) -> None:
    """A small chart of the report's own numbers, each point with a button that opens its page."""
    title = AXIS_TITLE[series.axis] + (f": {series.title}" if series.title else "")
    with st.container(key=f"rq_chart_{key}", border=True):
        st.caption(f"{md_escape(title)} — de getallen van het rapport zelf; klik op een getal voor de pagina.")
        st.vega_lite_chart(memo.chart_spec(series), width="stretch")
        with st.container(horizontal=True, gap="small"):
            for j, point in enumerate(series.points):
                page_button(
                    f"{point_label(point.label)}: {point.text} (p. {point.page})",
                    f"{key}_point_{j}",
                    point.doc_id,
                    point.page,
                    (point.sentence,),
                    help=f"Open pagina {point.page}: {point_label(point.label)}, {point.text}",
                    width="content",
                )
        inline_viewer(engine, [f"{key}_point_{j}" for j in range(len(series.points))])


def chart_for(engine: Engine, doc_id: str, page: int, text: str, sentence: str, key: str) -> None:
    """The chart of the series a number belongs to, when the report gives one."""
    series = memo.series_at(engine, doc_id, page, text, sentence)
    if series is not None:
        render_series(engine, series, key)


# ----------------------------------------------------------------------------- tab: vraag


def render_refusal(engine: Engine, i: int, answer: Answer) -> None:
    """The refusal, with the nearest passages of the report to open."""
    st.warning(REFUSAL, icon=":material/info:")
    for note in answer.notes:
        st.caption(md_escape(note))
    nearest = answer.passages[:3]
    if nearest:
        st.markdown("**Dichtstbijzijnde passages in het rapport**")
        for j, passage in enumerate(nearest):
            chunk = passage.chunk
            where = chunk_pages(chunk)
            cited_row(engine, nearest_markdown(chunk), where, f"near_{i}_{j}", chunk.doc_id, chunk.first_page, ())


def render_citations(engine: Engine, i: int, answer: Answer) -> None:
    """The cited sentences of an answer, each with a button that opens its page."""
    for j, citation in enumerate(answer.citations):
        quotes = (citation.quote or "",)
        cited_row(
            engine,
            citation_markdown(citation),
            citation_button_label(citation),
            f"cite_{i}_{j}",
            citation.doc_id,
            citation.first_page,
            quotes,
            help=citation_help(citation),
        )


def render_answer(engine: Engine, i: int, question: str, answer: Answer) -> None:
    if not answer.answered:
        render_refusal(engine, i, answer)
        return
    if answer.lead:
        st.markdown(f"**{md_escape(answer.lead)}**")
    render_citations(engine, i, answer)
    if answer.lead_ref:
        ref = answer.lead_ref
        chart_for(engine, ref.doc_id, ref.page, ref.text, ref.sentence, f"chart_{i}")
    for note in answer.notes:
        st.info(md_escape(note), icon=":material/warning:")
    if answer.sources:
        with st.expander(f"Bronnen in de voetnoten ({len(answer.sources)})"):
            for source in answer.sources:
                st.markdown(source_markdown(source))
    doc_id = answer.citations[0].doc_id if answer.citations else engine.index.report.id
    citation_box(engine, doc_id, cited_pages(answer.citations))
    download(
        "Download als Markdown",
        lambda: answer_markdown(question, answer, engine.citation, dt.datetime.now()),
        f"rekenqa-antwoord-{i + 1}.md",
        f"download_{i}",
        ":material/download:",
    )


def show_turn(engine: Engine, i: int, question: str, answer: Answer) -> None:
    with st.chat_message("user"):
        st.markdown(md_escape(question))
    with st.chat_message("assistant"):
        render_answer(engine, i, question, answer)


def restore_chat(engine: Engine, chat: list[dict[str, Any]]) -> None:
    """Ask the questions kept in the address again after a reload (answers are deterministic)."""
    questions = st.session_state.pop("restore_chat", None)
    if not questions or chat:
        return
    with st.spinner("Het gesprek herstellen …"):
        for question in questions:
            if len(question) > engine.settings.max_input_chars:
                continue
            history = [turn["q"] for turn in chat][-4:]
            try:
                answer = engine.ask(question, history=history, sources=with_sources())
            except RekenQAError:
                continue  # an edited address: skip what cannot be asked
            chat.append({"q": question, "a": answer})


def chat_messages(engine: Engine, chat: list[dict[str, Any]], question: str | None) -> None:
    """The examples (in an empty chat), the conversation so far and the answer to ``question``."""
    restore_chat(engine, chat)
    if not chat and question is None:
        st.caption("Voorbeelden — klik om te vragen:")
        for k, example in enumerate(engine.profile.examples):  # from the report's catalog file
            st.button(example, key=f"example_{k}", on_click=ask_example, args=(example,), type="tertiary")
    for i, turn in enumerate(chat):
        show_turn(engine, i, turn["q"], turn["a"])
    if question is not None and len(question) > engine.settings.max_input_chars:
        keep_long_text("vraag", question)  # the chat field is empty again: keep the text on the page
        question = None
    long_text_box(engine, "vraag")
    # Questions wait in a queue until their answer is in the chat: a question typed while the previous one
    # was still being answered interrupts that run (Streamlit reruns for the new input); the queue keeps it.
    queue: list[str] = st.session_state.setdefault("chat_queue", [])
    if question is not None:
        queue.append(question)
    while queue:
        asked = queue[0]
        history = [turn["q"] for turn in chat][-4:]
        try:
            with st.spinner("Het rapport doorzoeken …"):
                answer = engine.ask(asked, history=history, sources=with_sources())
        except RekenQAError as err:
            queue.pop(0)
            error(err)
            continue
        chat.append({"q": asked, "a": answer})
        queue.pop(0)
        chat_to_url([turn["q"] for turn in chat])
        show_turn(engine, len(chat) - 1, asked, answer)
    if chat:
        conversation_downloads(engine, chat)


def conversation_downloads(engine: Engine, chat: list[dict[str, Any]]) -> None:
    """The whole conversation to take away: Markdown, or HTML to print or save as PDF from the browser."""
    turns = [(turn["q"], turn["a"]) for turn in chat]
    title = engine.index.report.title
    with st.container(horizontal=True):
        download(
            "Gesprek als Markdown",
            lambda: conversation_markdown(turns, engine.citation, dt.datetime.now(), title),
            "rekenqa-gesprek.md",
            "chat_download_md",
            ":material/download:",
        )
        download(
            "Gesprek om af te drukken (HTML)",
            lambda: conversation_html(turns, engine.citation, dt.datetime.now(), title),
            "rekenqa-gesprek.html",
            "chat_download_html",
            ":material/print:",
            help="Open het bestand in de browser en kies Afdrukken (of Opslaan als PDF).",
        )


def chat_header(chat: list[dict[str, Any]]) -> None:
    """What the tab does, and "Nieuw gesprek", which asks before it wipes the conversation."""
    with st.container(horizontal=True, vertical_alignment="center"):
        st.markdown(
            "Stel een vraag in gewone taal. Het antwoord citeert het rapport **letterlijk**, met paginanummers. "
            "Vervolgvragen zoals *En in 2019?* gebruiken de vorige vragen.",
            width="stretch",
        )
        with st.popover("Nieuw gesprek", icon=":material/refresh:", disabled=not chat):
            st.markdown(
                f"Het gesprek van {len(chat)} {'vraag' if len(chat) == 1 else 'vragen'} wissen? Download het eerst "
                "als u het wilt bewaren."
            )
            st.button("Ja, wis het gesprek", key="chat_reset", on_click=clear_chat, type="primary")


def tab_vraag(engine: Engine) -> None:
    chat: list[dict[str, Any]] = st.session_state.setdefault("chat", [])
    header = st.container()  # filled last: it depends on the conversation after this run's question
    messages = st.container()
    # No max_chars: the browser would drop a longer paste without a word (long_text_box says what to do).
    prompt = st.chat_input("Stel een vraag over het rapport …", key="chat_input")
    pending = st.session_state.pop("pending_question", None)
    question = prompt if prompt is not None else pending
    with messages:
        chat_messages(engine, chat, question)
    with header:
        chat_header(chat)


# ----------------------------------------------------------------------------- tab: bewering


def long_text_box(engine: Engine, kind: Literal["vraag", "bewering"], show_text: bool = True) -> None:
    """A question or claim longer than its field allows: kept, with what to do (shorten it, or check it as a
    speech, where long texts belong)."""
    kept = st.session_state.get("long_text")
    if not kept or kept.get("kind") != kind:
        return
    text = str(kept["text"])
    size, limit = (f"{n:,}".replace(",", ".") for n in (len(text), engine.settings.max_input_chars))
    st.warning(
        f"Deze {kind} is {size} tekens lang; een {kind} mag er hoogstens {limit} hebben. Uw tekst is bewaard. "
        "Maak hem korter, of laat hem controleren als toespraak: daar mag een tekst lang zijn en wordt elke "
        "checkwaardige zin apart gecontroleerd.",
        icon=":material/content_paste:",
    )
    if show_text:
        st.text_area("Uw tekst", value=text, height=150)
    with st.container(horizontal=True):
        st.button(
            "Controleer als toespraak",
            key=f"long_{kind}_speech",
            type="primary",
            on_click=to_speech_check,
            args=(text,),
            icon=":material/record_voice_over:",
        )
        st.button("Sluiten", key=f"long_{kind}_close", on_click=drop_long_text, icon=":material/close:")


def verdict_badge(status: str, badges: Badges) -> None:
    """The verdict as a large colored badge (labels are our own text, not user text)."""
    st.markdown(badge_markdown(status, badges))


def render_evidence(engine: Engine, verdict: Verdict, key: str) -> None:
    """What the report says: the evidence sentences with page buttons, and their citation."""
    st.markdown("**Wat het rapport zegt**")
    for j, evidence in enumerate(verdict.evidence):
        text = f"“{md_escape(evidence.sentence)}” ({evidence.label})"
        label = evidence.label
        cited_row(engine, text, label, f"{key}_ev_{j}", evidence.doc_id, evidence.page, (evidence.sentence,))
    first = verdict.evidence[0]
    citation_box(engine, first.doc_id, sorted({e.page for e in verdict.evidence if e.doc_id == first.doc_id}))


def render_verdict(engine: Engine, verdict: Verdict, key: str) -> None:
    verdict_badge(verdict.status, CLAIM_BADGES)
    if rows := verdict_rows(verdict):
        st.markdown(rows)
    for note in verdict.notes:
        st.info(md_escape(note), icon=":material/warning:")
    if verdict.evidence:
        render_evidence(engine, verdict, key)
        first = verdict.evidence[0]
        if verdict.report_value:
            chart_for(engine, first.doc_id, first.page, verdict.report_value, first.sentence, f"{key}_chart")


def claim_section(engine: Engine) -> None:
    """One claim: the form, the check and its verdict."""
    with st.form("claim_form", border=False):
        st.text_input(
            "Bewering",
            key="claim_text",
            placeholder="bijv. Haarlemmermeer had in 2023 ruim 160.000 inwoners.",
        )
        st.form_submit_button(
            "Controleer bewering",
            type="primary",
            on_click=request,
            args=("claim_run",),
            icon=":material/fact_check:",
        )
    text = st.session_state.get("claim_text", "")
    if len(text) > engine.settings.max_input_chars:
        st.session_state.pop("claim_run", None)
        keep_long_text("bewering", text)
        long_text_box(engine, "bewering", show_text=False)  # the field still holds the text
        return
    if not run_check(
        "claim_run", "claim_result", "Bewering controleren …", lambda: (text, engine.check_claim(text, sources=with_sources()))
    ):
        return
    result = st.session_state.get("claim_result")
    if result:
        text, verdict = result
        with st.container(border=True):
            st.markdown(f"**Bewering:** {md_escape(text)}")
            render_verdict(engine, verdict, "claim")


def tab_bewering(engine: Engine) -> None:
    st.markdown(
        "Plak een bewering uit een debat, of een hele bijdrage of motie. Getallen worden vergeleken met het "
        "rapport (afronden mag, een ander jaar of een andere groep niet)."
    )
    st.session_state.setdefault("claim_mode", "Eén bewering")
    mode = st.segmented_control(
        "Wat wilt u controleren?", ["Eén bewering", SPEECH_MODE], key="claim_mode", required=True
    )
    if mode == SPEECH_MODE:
        speech_section(engine)
        return
    claim_section(engine)


def speech_form(engine: Engine) -> bool:
    """The speech's text box and button; runs the check when asked. False when the check failed."""
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
        on_click=request,
        args=("speech_run",),
        icon=":material/fact_check:",
    )

    def check() -> list[tuple[str, Verdict]]:
        results = engine.check_speech(st.session_state.get("speech_text", ""), sources=with_sources())
        st.session_state.pop("speech_filter", None)  # a new text shows all its verdicts
        return results

    return run_check("speech_run", "speech_result", "Beweringen controleren …", check)


SPEECH_COLUMNS = (0.35, 2.9, 1.25, 1.3, 1.9, 1.5)


def speech_header() -> None:
    """The table's column heads (hidden on a narrow screen, where each row is a card with its own labels)."""
    heads = ("Nr.", "Bewering", "Oordeel", "Waarde in het rapport", "Toelichting", "Pagina")
    with st.container(key="rq_speech_head"):
        for column, head in zip(st.columns(SPEECH_COLUMNS, vertical_alignment="bottom"), heads, strict=True):
            column.markdown(f"**{md_escape(head)}**")


def speech_row(engine: Engine, k: int, sentence: str, verdict: Verdict) -> None:
    """One claim of the speech: its cells (text wraps), the verdict as a chip, page buttons, details inline."""
    with st.container(border=True, key=f"rq_sv_row_{k}"):
        cells = st.columns(SPEECH_COLUMNS, vertical_alignment="top")
        cells[0].markdown(f"**{k + 1}.**")
        cells[1].markdown(md_escape(sentence))
        cells[2].markdown(f":{VERDICT_CHIP[verdict.status]}-badge[{CLAIM_BADGES[verdict.status][0]}]")
        with cells[3].container(key=f"rq_sv_value_{k}"):
            st.markdown(md_escape(verdict.report_value) if verdict.report_value else "–")
        with cells[4].container(key=f"rq_sv_reason_{k}"):
            st.markdown(md_escape(explanation(verdict)) or "–")
        with cells[5].container(horizontal=True, gap="small"):
            pages = sorted({(e.doc_id, e.page): e for e in verdict.evidence}.values(), key=lambda e: e.page)
            for j, evidence in enumerate(pages[:3]):
                page_button(
                    evidence.label, f"speech_{k}_page_{j}", evidence.doc_id, evidence.page, (evidence.sentence,),
                    help=f"Open pagina {evidence.page_name or evidence.page} bij bewering {k + 1}",
                    width="content",
                )
        inline_viewer(engine, [f"speech_{k}_page_{j}" for j in range(3)])
        if verdict.evidence or verdict.notes:
            with st.expander("Wat het rapport zegt"):
                for note in verdict.notes:
                    st.info(md_escape(note), icon=":material/warning:")
                if verdict.evidence:
                    render_evidence(engine, verdict, f"speech_{k}")


def speech_filter(results: Sequence[tuple[str, Verdict]]) -> set[str]:
    """The verdicts to show (all by default), as pills with their counts."""
    counts = {status: sum(1 for _, v in results if v.status == status) for status in CLAIM_BADGES}
    options = [status for status, n in counts.items() if n]
    chosen = st.pills(
        "Toon beweringen met oordeel",
        options,
        selection_mode="multi",
        default=options,
        format_func=lambda status: f"{CLAIM_BADGES[status][0]} ({counts[status]})",
        key="speech_filter",
    )
    return set(chosen or ())


def speech_downloads(results: Sequence[tuple[str, Verdict]]) -> None:
    with st.container(horizontal=True):
        download(
            "Download als CSV",
            lambda: speech_csv(results),
            "rekenqa-toespraak.csv",
            "speech_download_csv",
            ":material/table:",
            help="Voor Excel: puntkomma's als scheidingsteken, UTF-8.",
        )
        download(
            "Download als Markdown",
            lambda: speech_markdown(results, dt.datetime.now()),
            "rekenqa-toespraak.md",
            "speech_download_md",
            ":material/download:",
        )


def speech_results(engine: Engine, results: Sequence[tuple[str, Verdict]]) -> None:
    """The verdicts of a speech's claims: filter, table (cards on a narrow screen) and downloads."""
    shown = speech_filter(results)
    rows = [(k, sentence, verdict) for k, (sentence, verdict) in enumerate(results) if verdict.status in shown]
    if not rows:
        st.caption("Geen beweringen met het gekozen oordeel.")
    else:
        speech_header()
        for k, sentence, verdict in rows:
            speech_row(engine, k, sentence, verdict)
    speech_downloads(results)


def speech_section(engine: Engine) -> None:
    if not speech_form(engine):
        return
    results = st.session_state.get("speech_result")
    if results is None:
        return
    if not results:
        st.info(
            "Geen controleerbare beweringen gevonden (zinnen met getallen, vergelijkingen of verwijzingen naar het rapport)."
        )
        return
    st.markdown(speech_summary(results))
    speech_results(engine, results)


# ----------------------------------------------------------------------------- tab: citaat


def render_quote_verdict(engine: Engine, verdict: QuoteVerdict) -> None:
    """The verdict on a quote: badge, reason, changes, word diff, the original and its pages."""
    verdict_badge(verdict.status, QUOTE_BADGES)
    if verdict.reason:
        st.markdown(f"**Toelichting:** {md_escape(verdict.reason)}")
    if changes := quote_changes(verdict):
        st.markdown(changes)
    if verdict.diff and verdict.status in ("harmless", "altered"):
        st.markdown("**Woord voor woord**")
        st.caption(
            "Rood doorgestreept: staat in het rapport maar niet in het citaat. Groen: toegevoegd in het citaat."
        )
        st.markdown(diff_markdown(verdict.diff))
    if verdict.original:
        pages = ", ".join(verdict.page_names or map(str, verdict.pages))
        source = "het rapport" if verdict.doc_id == engine.index.report.id else engine.document_name(verdict.doc_id)
        st.markdown(f"**Origineel in {md_escape(source)}** (p. {md_escape(pages)})")
        st.markdown(f"> {md_escape(verdict.original)}")
    if verdict.pages:
        with st.container(horizontal=True):
            for k, page in enumerate(verdict.pages[:8]):
                page_button(
                    f"p. {engine.page_name(verdict.doc_id, page)}",
                    f"quote_page_{k}",
                    verdict.doc_id,
                    page,
                    (verdict.original,),
                    width="content",
                )
        inline_viewer(engine, [f"quote_page_{k}" for k in range(len(verdict.pages[:8]))])
    if verdict.citation:
        st.caption("Kopieer bronvermelding")
        st.code(verdict.citation, language=None, wrap_lines=True)


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
        on_click=request,
        args=("quote_run",),
        icon=":material/format_quote:",
    )
    quote = st.session_state.get("quote_text", "")
    if not run_check("quote_run", "quote_result", "Citaat zoeken …", lambda: engine.check_quote(quote, sources=with_sources())):
        return
    verdict: QuoteVerdict | None = st.session_state.get("quote_result")
    if verdict is None:
        return
    with st.container(border=True):
        render_quote_verdict(engine, verdict)


# ----------------------------------------------------------------------------- tab: rapport


def choose_document(engine: Engine) -> str:
    """The document to read: the report, or the one chosen when the corpus holds more."""
    documents = list(engine.index.documents)
    doc_id = engine.index.report.id
    if len(documents) > 1:
        doc_id = st.selectbox(
            "Document",
            [d.id for d in documents],
            format_func=lambda d: next((x.title for x in documents if x.id == d), d),
            key="rp_doc",
        )
    return doc_id


def report_page(engine: Engine, doc_id: str, numbers: Sequence[int]) -> None:
    """Previous, the page as printed ("iii", "17") and next above the page being read."""
    nav = st.columns([1, 1.2, 1], vertical_alignment="bottom")
    nav[0].button(
        "Vorige pagina",
        key="rp_prev",
        icon=":material/chevron_left:",
        on_click=move_report_page,
        args=(-1, numbers),
        disabled=st.session_state["rp_page"] <= numbers[0],
        width="stretch",
    )
    nav[1].selectbox("Pagina", numbers, format_func=lambda n: engine.page_name(doc_id, n), key="rp_page")
    nav[2].button(
        "Volgende pagina",
        key="rp_next",
        icon=":material/chevron_right:",
        icon_position="right",
        on_click=move_report_page,
        args=(1, numbers),
        disabled=st.session_state["rp_page"] >= numbers[-1],
        width="stretch",
    )
    try:
        render_page(
            engine, doc_id, int(st.session_state["rp_page"]), term=st.session_state.get("rp_search", "")
        )
    except RekenQAError as err:
        error(err)


def report_search(engine: Engine, doc_id: str) -> None:
    """The search box and the pages with hits, each a button that opens the page."""
    term = st.text_input("Zoeken in de tekst", key="rp_search", placeholder="bijv. statushouders")
    if not term.strip():
        return
    pages = engine.index.pages
    hits = search_hits(((n, pages[(doc_id, n)].text) for n in engine.index.page_numbers(doc_id)), term)
    if not hits:
        st.caption(f"Geen treffers voor “{md_escape(term.strip())}”.")
        return
    total = sum(len(spans) for _, spans in hits)
    st.caption(f"{total} treffers op {len(hits)} pagina's — klik op een pagina om die te openen")
    with st.container(height=230):
        for k, (page, spans) in enumerate(hits):
            col_button, col_text = st.columns([0.2, 0.8], vertical_alignment="center")
            col_button.button(
                f"p. {engine.page_name(doc_id, page)}",
                key=f"hit_{k}",
                on_click=goto_report_page,
                args=(page,),
                width="stretch",
            )
            col_text.markdown(hit_markdown(engine.index.pages[(doc_id, page)].text, spans))


def report_toc(engine: Engine, doc_id: str, last: int) -> None:
    """The table of contents; it follows the page being read, and a section opens its first page."""
    sections = engine.index.structures[doc_id].sections if doc_id in engine.index.structures else ()
    head, toggle = st.columns([0.5, 0.5], vertical_alignment="center")
    head.markdown("**Inhoudsopgave**")
    detail = toggle.toggle("Alle tussenkopjes", key="rp_toc_all") if sections else False
    shown = [sec for sec in sections if detail or sec.level <= 2]
    if not shown:
        st.caption("Geen hoofdstukken gevonden in dit document.")
        return
    # Keep the table of contents on the section of the page being read ("you are here").
    page = int(st.session_state["rp_page"])
    if not section_holds(shown, st.session_state.get("rp_toc"), page, last):
        st.session_state["rp_toc"] = section_at(shown, page)
    with st.container(height=400):
        st.radio(
            "Inhoudsopgave",
            list(range(len(shown))),
            format_func=lambda k: toc_label(shown[k]),
            key="rp_toc",
            on_change=goto_section,
            args=(shown,),
            label_visibility="collapsed",
        )


def tab_rapport(engine: Engine) -> None:
    doc_id = choose_document(engine)
    numbers = engine.index.page_numbers(doc_id)
    if not numbers:
        st.info("Dit document heeft geen pagina's.")
        return
    first, last = numbers[0], numbers[-1]
    if (
        not isinstance(st.session_state.get("rp_page"), int)
        or st.session_state["rp_page"] not in numbers
    ):
        st.session_state["rp_page"] = first
    left, right = st.columns([2, 3], gap="large")
    with right:
        report_page(engine, doc_id, numbers)
    with left:
        report_search(engine, doc_id)
        report_toc(engine, doc_id, last)
    if doc_id == engine.index.report.id:
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
    st.dataframe(
        sources_table(sources),
        hide_index=True,
        width="stretch",
        column_config={
            "URL": st.column_config.LinkColumn("URL", width="medium"),
            "Bron": st.column_config.TextColumn("Bron", width="large"),
        },
    )


# ----------------------------------------------------------------------------- sidebar


def with_sources() -> bool:
    """Whether the user asked to search the cited sources too (the sidebar toggle; off by default)."""
    return bool(st.session_state.get("include_sources", False))


def render_sidebar(engine: Engine) -> None:
    """The sidebar speaks the reader's language: the document, its date, how to use the app; the technical
    details (documents, index, models) are behind "Over rekenqa"."""
    info = memo.engine_info(engine)
    report = engine.index.report
    with st.sidebar:
        st.markdown("### rekenqa")
        st.markdown(
            f"Uw assistent bij het rapport **{md_escape(report.title)}** van de "
            f"{md_escape(report.publisher or 'rekenkamer')} ({md_escape(report.year or 'jaar onbekend')})."
        )
        st.markdown(
            "- **Vraag het rapport** in gewone taal; het antwoord citeert letterlijk. Klik op **[1] p. 17** om "
            "de pagina te zien.\n"
            "- **Check een bewering** of een hele toespraak aan de cijfers van het rapport.\n"
            "- **Check een citaat**: staat het echt zo in het rapport?\n"
            "- **Rapport**: lees, zoek en bekijk de bronnen."
        )
        if engine.rebuilt_because:
            st.info("De index is bij deze start opnieuw opgebouwd: " + md_escape(engine.rebuilt_because))
        if engine.source_docs:
            st.toggle(
                "Ook de geciteerde bronnen doorzoeken",
                key="include_sources",
                help="Uit: antwoorden, checks en citaten komen alleen uit het rapport. Aan: ook uit de bronnen in "
                "corpus/, na het rapport en met de naam van de bron.",
            )
        for line in info.get("skipped", []):
            st.warning("Overgeslagen: " + md_escape(line))
        with st.expander("Hulp: wat kan deze assistent?", icon=":material/help:"):
            help_text = memo.text_file(HELP_FILE)
            if help_text is None:
                st.caption("De helptekst is niet gevonden.")
            else:
                st.markdown(help_text)
        with st.expander("Over rekenqa", icon=":material/info:"):
            st.caption("Alles draait op deze computer; er wordt niets verstuurd.")
            st.markdown("**Geïndexeerde documenten**")
            for doc in info.get("documents", []):
                st.markdown(document_line(doc))
            st.markdown(index_summary(info))


# ----------------------------------------------------------------------------- main


def main() -> None:
    try:
        # No "Deploy" button, main menu or English "Stop" while a script runs (see .streamlit/config.toml).
        st.set_option("client.toolbarMode", "minimal")
    except Exception:  # noqa: BLE001, S110 (an option a Streamlit version does not allow at run time)
        pass
    st.set_page_config(
        page_title="rekenqa — Migratie in Haarlemmermeer", page_icon=":material/menu_book:", layout="wide"
    )
    guarded(draw_page)


def draw_page() -> None:
    page_style()
    try:
        engine = get_engine()
    except RekenQAError as err:
        error(err)
        st.stop()
    link_notice(apply_query_params(engine))
    keep_widget_state()
    st.session_state.setdefault("viewer", None)
    st.session_state["_aria"] = {}  # accessible names of this run's buttons (page_button)
    render_sidebar(engine)
    st.markdown("## Migratie in Haarlemmermeer")
    st.caption(
        "Vraag, check en citeer het rapport van de Rekenkamer Haarlemmermeer (2025) — offline, met paginanummers."
    )
    current = st.session_state.get("tab", TAB_VRAAG)
    tab_to_url()
    viewer = st.session_state.get("viewer") or {}
    show_viewer = bool(viewer) and viewer.get("tab", current) == current and current != TAB_RAPPORT
    columns = st.columns([3, 2] if show_viewer else [1], gap="large")
    with columns[0]:
        tabs = st.tabs(list(TABS), key="tab", on_change="rerun")
        for tab, draw in zip(tabs, (tab_vraag, tab_bewering, tab_citaat, tab_rapport), strict=True):
            with tab:
                if tab.open:
                    draw(engine)
    if show_viewer:
        with columns[1]:
            render_viewer(engine, "side")
    page_helper(
        st.session_state.get("_aria", {}),
        scroll=int(st.session_state.get("viewer_token", 0)) if show_viewer else 0,
        mark=show_viewer and bool(viewer.get("quotes")),
    )


if __name__ == "__main__":
    main()
