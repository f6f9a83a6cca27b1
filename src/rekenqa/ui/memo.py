"""What every rerun draws and that never changes for an engine, computed once per process.

Streamlit executes ``app.py`` anew on every rerun, so a cache defined there starts empty each time; these live
in an imported module instead. Every question reruns the page and draws the whole conversation again (issue
16: with 8 sessions on 2 cores, each answer's chart alone cost 0.12 s of CPU per rerun), so what a past turn
needs is looked up, not recomputed. Keys are the engine itself (by identity: one per settings) and plain
values; the caches are bounded and thread-safe (``functools.lru_cache``).
"""

from __future__ import annotations

import copy
import functools
from pathlib import Path
from typing import Any

from rekenqa.pipeline import Engine
from rekenqa.series import Series, find_seed, series_for

# Numbers on the chart's axes as written in Dutch: 10.000 and 2,5.
DUTCH_LOCALE = {
    "number": {"decimal": ",", "thousands": ".", "grouping": [3], "currency": ["€ ", ""]},
}


def point_label(label: str) -> str:
    """A group or place as read ("nieuw-vennep" -> "Nieuw-Vennep"); years and table labels as they are."""
    return "-".join(part[:1].upper() + part[1:] for part in label.split("-")) if label.islower() else label


@functools.lru_cache(maxsize=1024)
def series_at(engine: Engine, doc_id: str, page: int, text: str, sentence: str) -> Series | None:
    """The series a number of the report belongs to, if the report gives one (the search walks every fact)."""
    facts = engine.index.facts
    seed = find_seed(facts, doc_id, page, text, sentence)
    return series_for(seed, facts) if seed is not None else None


@functools.lru_cache(maxsize=512)
def _chart_spec(series: Series) -> dict[str, Any]:
    rows = [
        {"punt": point_label(p.label), "waarde": p.value, "in het rapport": p.text, "pagina": f"p. {p.page}"}
        for p in series.points
    ]
    nominal = [{"field": name, "type": "nominal"} for name in ("punt", "in het rapport", "pagina")]
    mark = {"type": "line", "point": {"size": 70}} if series.axis == "jaar" else {"type": "bar", "size": 28}
    return {
        "data": {"values": rows},
        "mark": mark,
        "encoding": {
            "x": {
                "field": "punt", "type": "nominal", "sort": None, "title": None,
                "axis": {"labelAngle": 0, "labelLimit": 140},
            },
            "y": {"field": "waarde", "type": "quantitative", "title": series.unit or "waarde"},
            "tooltip": nominal,
        },
        "height": 170,
        "title": "",
        # SVG, not canvas: its axes and points are text a screen reader (and a test) can read.
        "usermeta": {"embedOptions": {"renderer": "svg"}},
        "config": {"locale": DUTCH_LOCALE},
    }  # fmt: skip


def chart_spec(series: Series) -> dict[str, Any]:
    """The Vega-Lite spec of a series' chart: a line through the years, else bars; Dutch numbers on the axis.

    A spec rather than an Altair chart: Altair validates its schema on every draw (0.12 s of CPU per chart).
    A fresh copy each time: Streamlit moves the data out of the spec it is given.
    """
    return copy.deepcopy(_chart_spec(series))


@functools.lru_cache(maxsize=8)
def engine_info(engine: Engine) -> dict[str, Any]:
    """``engine.info()``, for the sidebar (it counts every document's passages)."""
    return engine.info()


@functools.lru_cache(maxsize=8)
def text_file(path: Path) -> str | None:
    """A text file of the app (the help), read once; None when it cannot be read."""
    try:
        return path.read_text(encoding="utf-8")
    except OSError:
        return None
