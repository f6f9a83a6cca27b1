"""rekenqa in the browser: ask, check and cite the report "Migratie in Haarlemmermeer".

Start with ``streamlit run app.py --server.address localhost``. The app only calls ``rekenqa.pipeline.Engine``.
This file places the widgets; the Markdown they show is built in ``rekenqa.render`` (pure), the shared engine
and the session state (widget callbacks, shareable links) live in ``rekenqa.ui``.

Safety: every piece of document or user text goes through ``md_escape`` (or a dataframe, or ``st.code``)
before it is shown; ``unsafe_allow_html`` is never used. User-facing failures are ``RekenQAError``s and are
shown as their Dutch message with ``st.error``.

Shareable links: ``?tab=vraag|bewering|citaat|rapport`` selects a tab; ``q=...`` asks or checks an example on
the first run (a question, a claim or a quote), ``tekst=...`` checks a speech, ``pagina=17`` opens a page in
the report tab and ``zoek=...`` searches the report (``rekenqa.render.link_state``).
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Sequence
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
    speech_table,
    toc_label,
    verdict_rows,
)
from rekenqa.types import Answer, QuoteVerdict, Verdict  # noqa: E402
from rekenqa.ui.engine_slot import get_engine  # noqa: E402
from rekenqa.ui.state import (  # noqa: E402
    SPEECH_MODE,
    apply_query_params,
    ask_example,
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
    to_speech_check,
)

HELP_FILE = ROOT / "src" / "rekenqa" / "help_nl.md"

# Cell colours of the verdicts in the speech table (light backgrounds, dark text).
VERDICT_CELL = {
    "klopt": "background-color: #d3f9d8; color: #1b5e20",
    "klopt niet": "background-color: #ffe3e3; color: #8b1a1a",
    "staat niet in het rapport": "background-color: #eceff1; color: #37474f",
}

# ----------------------------------------------------------------------------- widgets


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


def cited_row(
    text: str, label: str, key: str, doc_id: str, page: int, quotes: Sequence[str], help: str = ""
) -> None:
    """A line of Markdown with, to its right, a button that opens its page."""
    col_text, col_button = st.columns([0.8, 0.2], vertical_alignment="center")
    col_text.markdown(text)
    with col_button:
        page_button(label, key, doc_id, page, quotes, help=help)


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
    body = page_body(view.page.text, view.footnotes, quotes, term)
    st.markdown(f"#### Pagina {md_escape(view.page.name)}")
    first, last = engine.page_name(doc_id, view.first), engine.page_name(doc_id, view.last)
    st.caption(f"{md_escape(view.document.title)} · gedrukte pagina's {md_escape(first)}–{md_escape(last)}")
    if body.quote_missing:
        st.caption("De geciteerde zin staat niet (volledig) op deze pagina.")
    with st.container(height=height or "content", border=True):
        st.markdown(body.markdown)
    if view.footnotes:
        st.markdown(footnote_list(view.footnotes))
    citation_box(engine, view.document.id, [view.page.number])


def viewer_buttons(number: int, numbers: Sequence[int]) -> None:
    """Previous, next and close above the page viewer."""
    with st.container(horizontal=True, vertical_alignment="center"):
        st.button(
            "Vorige",
            key="viewer_prev",
            icon=":material/chevron_left:",
            on_click=move_viewer,
            args=(-1, numbers),
            disabled=not numbers or number <= numbers[0],
            help="Vorige pagina",
        )
        st.button(
            "Volgende",
            key="viewer_next",
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
            key="viewer_close",
            icon=":material/close:",
            on_click=close_viewer,
            help="Paginaweergave sluiten",
        )


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
    viewer_buttons(number, engine.index.page_numbers(info.id))
    try:
        render_page(engine, info.id, number, quotes=viewer.get("quotes", ()), height=520)
    except RekenQAError as err:
        st.error(str(err))


# ----------------------------------------------------------------------------- tab: vraag


def render_refusal(i: int, answer: Answer) -> None:
    """The refusal, with the nearest passages of the report to open."""
    st.warning(REFUSAL, icon=":material/info:")
    nearest = answer.passages[:3]
    if nearest:
        st.markdown("**Dichtstbijzijnde passages in het rapport**")
        for j, passage in enumerate(nearest):
            chunk = passage.chunk
            where = chunk_pages(chunk)
            cited_row(nearest_markdown(chunk), where, f"near_{i}_{j}", chunk.doc_id, chunk.first_page, ())


def render_citations(i: int, answer: Answer) -> None:
    """The cited sentences of an answer, each with a button that opens its page."""
    for j, citation in enumerate(answer.citations):
        quotes = (citation.quote or "",)
        cited_row(
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
        render_refusal(i, answer)
        return
    if answer.lead:
        st.markdown(f"**{md_escape(answer.lead)}**")
    render_citations(i, answer)
    for note in answer.notes:
        st.info(md_escape(note), icon=":material/warning:")
    if answer.sources:
        with st.expander(f"Bronnen in de voetnoten ({len(answer.sources)})"):
            for source in answer.sources:
                st.markdown(source_markdown(source))
    doc_id = answer.citations[0].doc_id if answer.citations else engine.index.report.id
    citation_box(engine, doc_id, cited_pages(answer.citations))
    st.download_button(
        "Download als Markdown",
        data=answer_markdown(question, answer, engine.citation, dt.datetime.now()),
        file_name=f"rekenqa-antwoord-{i + 1}.md",
        mime="text/markdown",
        key=f"download_{i}",
        on_click="ignore",
        icon=":material/download:",
    )


def show_turn(engine: Engine, i: int, question: str, answer: Answer) -> None:
    with st.chat_message("user"):
        st.markdown(md_escape(question))
    with st.chat_message("assistant"):
        render_answer(engine, i, question, answer)


def chat_messages(engine: Engine, chat: list[dict[str, Any]], question: str | None) -> None:
    """The examples (in an empty chat), the conversation so far and the answer to ``question``."""
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
    if question is not None:
        history = [turn["q"] for turn in chat][-4:]
        try:
            with st.spinner("Het rapport doorzoeken …"):
                answer = engine.ask(question, history=history, sources=with_sources())
        except RekenQAError as err:
            st.error(str(err))
            return
        chat.append({"q": question, "a": answer})
        show_turn(engine, len(chat) - 1, question, answer)


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
    # No max_chars: the browser would drop a longer paste without a word (long_text_box says what to do).
    prompt = st.chat_input("Stel een vraag over het rapport …", key="chat_input")
    pending = st.session_state.pop("pending_question", None)
    question = prompt if prompt is not None else pending
    with messages:
        chat_messages(engine, chat, question)


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
        cited_row(text, label, f"{key}_ev_{j}", evidence.doc_id, evidence.page, (evidence.sentence,))
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
        st.session_state.pop("speech_detail", None)  # a new text opens on its own first issue
        return results

    return run_check("speech_run", "speech_result", "Beweringen controleren …", check)


def speech_results_table(results: Sequence[tuple[str, Verdict]]) -> None:
    """The verdicts of a speech's claims as a table, coloured by verdict."""
    import pandas as pd  # Streamlit depends on pandas; only needed for the coloured table

    frame = pd.DataFrame(speech_table(results))
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


def speech_detail(engine: Engine, results: Sequence[tuple[str, Verdict]]) -> None:
    """One claim of the speech in full, with its evidence and pages."""
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
    speech_results_table(results)
    speech_detail(engine, results)


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
        st.error(str(err))


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
    info = engine.info()
    with st.sidebar:
        st.markdown("### rekenqa")
        st.caption("Offline assistent bij het rekenkamerrapport *Migratie in Haarlemmermeer* (2025).")
        if engine.rebuilt_because:
            st.info("De index is bij deze start opnieuw opgebouwd: " + md_escape(engine.rebuilt_because))
        st.markdown("**Geïndexeerde documenten**")
        for doc in info.get("documents", []):
            st.markdown(document_line(doc))
        st.markdown(index_summary(info))
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
            try:
                st.markdown(HELP_FILE.read_text(encoding="utf-8"))
            except OSError:
                st.caption("De helptekst is niet gevonden.")


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
        for tab, draw in zip(tabs, (tab_vraag, tab_bewering, tab_citaat, tab_rapport), strict=True):
            with tab:
                if tab.open:
                    draw(engine)
    if show_viewer:
        with columns[1]:
            render_viewer(engine)


if __name__ == "__main__":
    main()
