"""The app's session state: kept widget values, the page viewer, requested checks and shareable links.

The functions here are the widgets' callbacks (``on_click``/``on_change``); ``app.py`` only places widgets.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import streamlit as st

from rekenqa.errors import RekenQAError
from rekenqa.render import TAB_BEWERING, link_state
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


# ----------------------------------------------------------------------------- page viewer


def open_viewer(doc_id: str, page: int, quotes: Sequence[str] = ()) -> None:
    st.session_state["viewer"] = {"doc": doc_id, "page": int(page), "quotes": [q for q in quotes if q]}


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
    st.session_state["viewer"] = None


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
