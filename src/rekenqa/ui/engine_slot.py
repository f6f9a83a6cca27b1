"""The one Engine every Streamlit session shares, opened on the first start with a progress bar."""

from __future__ import annotations

import threading

import streamlit as st

from rekenqa.pipeline import Engine
from rekenqa.settings import Settings


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
