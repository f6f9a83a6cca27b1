"""The one Engine every Streamlit session shares, opened on the first start with a progress bar.

With an index present, opening takes a fraction of a second (no model is loaded): the page renders at once
and the query encoder warms in the background. Without one, the build shows its progress as it goes.
"""

from __future__ import annotations

import threading

import streamlit as st
from streamlit.delta_generator import DeltaGenerator
from threadpoolctl import threadpool_limits

from rekenqa.pipeline import Engine
from rekenqa.render import md_escape
from rekenqa.settings import Settings


class _EngineSlot:
    """One engine per settings, shared by every session; the lock makes the first start build only once."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.engine: Engine | None = None


@st.cache_resource(show_spinner=False)
def _engine_slot(settings_key: str) -> _EngineSlot:
    return _EngineSlot()


def one_blas_thread_per_session() -> None:
    """numpy's BLAS on one thread in this process: every session's question runs in its own script thread.

    OpenBLAS's threads spin-wait after each product, and calls from several threads at once wait on each
    other: with 8 sessions asking at once on 2 cores, embedding one question took 0.3 s of CPU instead of
    13 ms (8 threads x 10 questions: 32 s with two BLAS threads, 4.4 s with one; bench/bench_load.py, issue
    16). One question gains nothing from threads (19 ms instead of 13 on an idle machine).
    """
    threadpool_limits(limits=1, user_api="blas")


def get_engine() -> Engine:
    """The shared Engine; the first start builds the index with a progress bar (raises RekenQAError)."""
    settings = Settings.from_env()
    slot = _engine_slot(repr(settings))
    if slot.engine is not None:
        return slot.engine
    box = st.empty()
    with slot.lock:
        if slot.engine is None:
            one_blas_thread_per_session()
            bars: list[DeltaGenerator] = []

            def progress(fraction: float, message: str) -> None:
                # Only a build reports progress: a present index opens too fast for a progress bar to help.
                if not bars:
                    with box.container():
                        st.info("Eerste start: de index van het rapport wordt gebouwd (dit gebeurt één keer) …")
                        bars.append(st.progress(0.0))
                # The message may name a file of the corpus; progress text is Markdown.
                bars[0].progress(min(max(fraction, 0.0), 1.0), text=f"Index bouwen: {md_escape(message)}")

            try:
                engine = Engine.open(settings, progress=progress)
            finally:
                box.empty()
            engine.warm()  # the query encoder loads in the background while the page renders
            slot.engine = engine
    return slot.engine
