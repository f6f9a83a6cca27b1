"""The app's session state: kept widget values, the page viewer, requested checks and shareable links.

The functions here are the widgets' callbacks (``on_click``/``on_change``); ``app.py`` only places widgets.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import streamlit as st

from rekenqa.errors import RekenQAError
from rekenqa.render import TAB_BEWERING, TAB_PARAMS, TAB_VRAAG, link_state
from rekenqa.types import Section
from rekenqa.ui.notices import error, quoted

if TYPE_CHECKING:
    from rekenqa.pipeline import Engine

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
    "include_sources",
)


def keep_widget_state() -> None:
    for key in PERSISTENT_KEYS:
        if key in st.session_state:
            st.session_state[key] = st.session_state[key]


def apply_query_params(engine: Engine) -> list[str]:
    """Preselect a tab and run an example from the URL, once per session; what was ignored, for a notice."""
    if st.session_state.get("_query_done"):
        return []
    st.session_state["_query_done"] = True
    params = {name: st.query_params.get_all(name) for name in st.query_params.keys()}
    link = read_link(params, engine)
    for key, value in link.state.items():
        st.session_state[key] = value
    if link.questions:
        st.session_state["restore_chat"] = link.questions
    return link.problems


# ----------------------------------------------------------------------------- links, checked at the door

# A link is text anyone can write: every parameter is checked here, before any of it reaches the session
# state, so that nothing later meets a value it cannot handle (``int("²")``, a 5,000-digit page, a control
# character, a conversation of 10,000 questions). What does not pass is left out and named in a notice.
LINK_TEXT_LIMITS = {"tab": 20, "q": 20_000, "tekst": 100_000, "zoek": 200, "doc": 200, "pagina": 10}
STREAMLIT_PARAMS = frozenset({"embed", "embed_options"})  # Streamlit's own; not ours to judge
PAGE_NUMBER = re.compile(r"[0-9]{1,4}")  # ASCII digits only: str.isdigit() also accepts "²" and "٣"
PAGE_NAME = re.compile(r"[A-Za-z0-9]{1,10}")  # a page as printed: "iii", "17"
# Control characters other than tab and line breaks, and the bidirectional overrides that can make a shared
# link's text read differently from what it is.
_HIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


@dataclass
class Link:
    """What a link asks for: session state to set, questions to ask again, and what was ignored (Markdown)."""

    state: dict[str, object] = field(default_factory=dict)
    questions: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def _dutch_int(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def _text_problem(name: str, value: str, limit: int) -> str | None:
    if not value.strip():
        return f"{quoted(name)} is leeg."
    if len(value) > limit:
        return f"{quoted(name)} is te lang ({_dutch_int(len(value))} tekens, hoogstens {_dutch_int(limit)})."
    if _HIDDEN.search(value):
        return f"{quoted(name)} bevat onzichtbare stuurtekens."
    return None


def read_link(params: Mapping[str, Sequence[str]], engine: Engine) -> Link:
    """Check every parameter of a link (name -> its values, in order) and say what it asks for.

    A parameter given twice with different values, empty, too long or with control characters is ignored;
    so are an unknown tab, an unknown document and a page that is not in it. Unknown names are ignored
    without a word (links carry tracking parameters); ``v`` (the conversation) keeps the questions that
    pass, the latest that fit in an address the app itself would write.
    """
    link = Link()
    single: dict[str, str] = {}
    for name, values in params.items():
        if name == CHAT_PARAM or name not in LINK_TEXT_LIMITS:
            continue
        distinct = list(dict.fromkeys(values))
        if len(distinct) > 1:
            link.problems.append(f"{quoted(name)} staat meer dan eens in de link.")
            continue
        problem = _text_problem(name, distinct[0] if distinct else "", LINK_TEXT_LIMITS[name])
        if problem:
            link.problems.append(problem)
            continue
        single[name] = distinct[0]

    if "tab" in single:
        tab = single.pop("tab")
        if tab.strip().lower() in TAB_PARAMS:
            single["tab"] = tab.strip().lower()
        else:
            link.problems.append(f"Onbekend tabblad {quoted(tab)}.")
    doc = engine.index.report
    if "doc" in single:
        wanted = single.pop("doc")
        try:
            doc = engine.resolve_doc(wanted)
            link.state["rp_doc"] = doc.id
        except RekenQAError:
            link.problems.append(f"Onbekend document {quoted(wanted)}.")
    if "pagina" in single:
        page = _page(engine, doc.id, single.pop("pagina"), link.problems)
        if page is not None:
            link.state["rp_page"] = page
    link.state.update(link_state(single))
    link.questions = _chat_questions(list(params.get(CHAT_PARAM, ())), engine, link.problems)
    return link


def _page(engine: Engine, doc_id: str, value: str, problems: list[str]) -> int | None:
    """The page number of ``doc_id`` that ``value`` names ("17", or as printed: "iii"), or None (said why)."""
    value = value.strip()
    numbers = engine.index.page_numbers(doc_id)
    if PAGE_NUMBER.fullmatch(value) and int(value) in numbers:
        return int(value)
    page = engine.find_page(doc_id, value) if PAGE_NAME.fullmatch(value) else None
    if page is not None:
        return page.number
    if not PAGE_NAME.fullmatch(value):
        problems.append(f"{quoted(value)} is geen paginanummer.")
    elif numbers:
        first, last = engine.page_name(doc_id, numbers[0]), engine.page_name(doc_id, numbers[-1])
        problems.append(f"Pagina {quoted(value)} bestaat niet; het document loopt van {first} tot en met {last}.")
    return None


def _chat_questions(values: list[str], engine: Engine, problems: list[str]) -> list[str]:
    """The conversation's questions from ``v=``: those that pass, the latest that fit (``kept_questions``)."""
    limit = engine.settings.max_input_chars
    usable = [v for v in values if _text_problem(CHAT_PARAM, v, limit) is None]
    if len(usable) < len(values):
        n = len(values) - len(usable)
        problems.append(
            f"{n} {'vraag' if n == 1 else 'vragen'} van het gesprek in de link "
            f"{'is' if n == 1 else 'zijn'} overgeslagen (leeg, te lang of met stuurtekens)."
        )
    kept = kept_questions(usable)
    if len(kept) < len(usable):
        problems.append(
            f"Het gesprek in de link is te lang: de laatste {len(kept)} van de {len(usable)} vragen zijn opnieuw "
            "gesteld."
        )
    return kept


# ----------------------------------------------------------------------------- page viewer


def open_viewer(doc_id: str, page: int, quotes: Sequence[str] = (), origin: str = "") -> None:
    """Open the page viewer on ``page``: beside the answer on wide screens, below the button ``origin`` on
    narrow ones, and only in the tab it was opened from."""
    st.session_state["viewer"] = {
        "doc": doc_id,
        "page": int(page),
        "quotes": [q for q in quotes if q],
        "origin": origin,
        "tab": st.session_state.get("tab", TAB_VRAAG),
    }
    bring_viewer_into_view()


def bring_viewer_into_view() -> None:
    """A new token for the page helper: scroll the viewer into view and its page box to the mark."""
    st.session_state["viewer_token"] = int(st.session_state.get("viewer_token", 0)) + 1


def close_viewer() -> None:
    st.session_state["viewer"] = None


def step_page(current: int, step: int, numbers: Sequence[int]) -> int:
    """The page ``step`` pages on from ``current`` in reading order (page numbers need not be consecutive:
    front matter printed "i"-"iv" has numbers of its own)."""
    if not numbers:
        return current
    at = numbers.index(current) if current in numbers else 0
    return numbers[min(max(at + step, 0), len(numbers) - 1)]


def move_viewer(step: int, numbers: Sequence[int] = ()) -> None:
    viewer = st.session_state.get("viewer")
    if viewer:
        viewer["page"] = step_page(viewer["page"], step, numbers) if numbers else viewer["page"] + step
        bring_viewer_into_view()


# ----------------------------------------------------------------------------- checks and chat


def request(flag: str) -> None:
    """Button callback: run the check behind ``flag`` in this run (claim_run, speech_run, quote_run)."""
    st.session_state[flag] = True


def run_check(flag: str, result_key: str, spinner: str, check: Callable[[], object]) -> bool:
    """Run ``check`` when ``flag`` was requested and keep its result; False when it failed (error shown)."""
    if not st.session_state.pop(flag, False):
        return True
    try:
        with st.spinner(spinner):
            st.session_state[result_key] = check()
    except RekenQAError as err:
        st.session_state[result_key] = None
        error(err)
        return False
    return True


SPEECH_MODE = "Toespraak of motie"


def keep_long_text(kind: str, text: str) -> None:
    """Keep a question or claim that was too long for its field, so that nothing pasted is lost."""
    st.session_state["long_text"] = {"kind": kind, "text": text}


def drop_long_text() -> None:
    st.session_state.pop("long_text", None)


def to_speech_check(text: str) -> None:
    """Move a long text to the speech check (Check een bewering -> Toespraak of motie), where it fits."""
    st.session_state["tab"] = TAB_BEWERING
    st.session_state["claim_mode"] = SPEECH_MODE
    st.session_state["speech_text"] = text
    st.session_state.pop("long_text", None)


def ask_example(question: str) -> None:
    st.session_state["pending_question"] = question


def clear_chat() -> None:
    st.session_state["chat"] = []
    st.session_state["chat_queue"] = []
    st.session_state["viewer"] = None
    st.session_state.pop("restore_chat", None)
    chat_to_url([])


# ----------------------------------------------------------------------------- a chat that survives a reload

# The questions of the conversation are kept in the page's address (``?v=...&v=...``): a reload, a bookmark
# or a shared link asks them again (answers are deterministic), and nothing is stored on the server.
CHAT_PARAM = "v"
CHAT_KEEP_TURNS = 12
CHAT_KEEP_CHARS = 6000


def kept_questions(questions: Sequence[str]) -> list[str]:
    """The latest questions that fit in the address: at most ``CHAT_KEEP_TURNS``, ``CHAT_KEEP_CHARS`` in all."""
    kept: list[str] = []
    total = 0
    for question in reversed(questions[-CHAT_KEEP_TURNS:]):
        total += len(question)
        if total > CHAT_KEEP_CHARS:
            break
        kept.append(question)
    return kept[::-1]


def chat_to_url(questions: Sequence[str]) -> None:
    """Keep the conversation's questions in the address; a question asked by a link (``q=``) is now one of them."""
    kept = kept_questions(questions)
    if kept:
        st.query_params[CHAT_PARAM] = kept
    elif CHAT_PARAM in st.query_params:
        del st.query_params[CHAT_PARAM]
    if "q" in st.query_params and st.query_params.get("tab", "vraag") == "vraag":
        del st.query_params["q"]


def tab_to_url() -> None:
    """Keep the open tab in the address, so that a reload opens it again."""
    names = {label: name for name, label in TAB_PARAMS.items()}
    name = names.get(st.session_state.get("tab", TAB_VRAAG))
    if name and st.query_params.get("tab") != name:
        st.query_params["tab"] = name


# ----------------------------------------------------------------------------- report tab


def goto_report_page(page: int) -> None:
    st.session_state["rp_page"] = int(page)


def goto_section(sections: Sequence[Section]) -> None:
    k = st.session_state.get("rp_toc")
    if k is not None and 0 <= k < len(sections):
        st.session_state["rp_page"] = int(sections[k].page)


def move_report_page(step: int, numbers: Sequence[int]) -> None:
    current = int(st.session_state.get("rp_page") or numbers[0])
    st.session_state["rp_page"] = step_page(current, step, numbers)
