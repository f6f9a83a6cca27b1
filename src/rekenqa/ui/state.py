"""The app's session state: kept widget values, the page viewer, requested checks and shareable links.

The functions here are the widgets' callbacks (``on_click``/``on_change``); ``app.py`` only places widgets.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import streamlit as st

from rekenqa.errors import RekenQAError
from rekenqa.render import TAB_BEWERING, TAB_PARAMS, TAB_VRAAG, link_state
from rekenqa.types import Section

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


def apply_query_params() -> None:
    """Preselect a tab and run an example from the URL, once per session."""
    if st.session_state.get("_query_done"):
        return
    st.session_state["_query_done"] = True
    for key, value in link_state(st.query_params).items():
        st.session_state[key] = value
    questions = [q for q in st.query_params.get_all(CHAT_PARAM) if q.strip()]
    if questions:
        st.session_state["restore_chat"] = questions


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
        st.error(str(err))
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
