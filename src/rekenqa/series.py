"""Small charts from the report's own facts: a quantity over the years, across groups or across places.

A chart starts from one fact (the number an answer leads with, or the report's value of a checked claim) and
collects the facts that say the same thing for another year, group or place. Three sources, all from the
report's structure rather than from words:

- the **same sentence**: a sentence that lists a quantity for several years ("in 2015 6.920 …, in 2019 11.290
  … en in 2023 18.480") or for several groups is the report's own series; its numbers of the same kind;
- the **same table**: the cells of the seed's row (or, failing that, its column), labelled as the table labels
  them;
- the **same page**: facts whose frame equals the seed's in everything but the one varying dimension, with a
  known measure (what is counted).

A point per year, group or place, from the nearest source (same sentence before same page); when the report
gives two values for one point at the same nearness there is no chart. A series needs at least three points
over time or two across groups or places. No chart is better than a chart of numbers that do not belong together.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from rekenqa.frames import same_measure
from rekenqa.types import Fact

Axis = Literal["jaar", "groep", "plaats", "tabel"]
FrameAxis = Literal["jaar", "groep", "plaats"]  # the dimensions a series of facts outside a table varies in
FRAME_AXES: tuple[FrameAxis, ...] = ("jaar", "groep", "plaats")
_YEAR = re.compile(r"(?:19|20)\d\d")
MIN_POINTS: dict[str, int] = {"jaar": 3, "groep": 2, "plaats": 2, "tabel": 2}
# frames.measure_of's stand-ins when nothing names what a share or an amount is of: they say nothing.
_STAND_INS = ("aandeel", "euro")


@dataclass(frozen=True, slots=True)
class Point:
    label: str  # "2015", "gezinsmigranten", "nederland"
    value: float
    text: str  # as written in the report ("6.920")
    doc_id: str
    page: int
    sentence: str


@dataclass(frozen=True, slots=True)
class Series:
    axis: Axis
    unit: str  # "%", "personen", "" …
    points: tuple[Point, ...]
    title: str = ""  # a table's fixed row or column ("Asielmigratie")


def find_seed(facts: Iterable[Fact], doc_id: str, page: int, text: str, sentence: str = "") -> Fact | None:
    """The fact of the index that an answer or verdict names: its number as written, on its page."""
    folded = " ".join(sentence.split())
    best: Fact | None = None
    for fact in facts:
        if fact.doc_id != doc_id or fact.page != page or fact.text != text:
            continue
        if folded and " ".join(fact.sentence.split()) == folded:
            return fact
        best = best or fact
    return best


def _year(fact: Fact) -> str:
    return fact.period if _YEAR.fullmatch(fact.period or "") else ""


def _group(fact: Fact) -> str:
    return fact.groups[0] if len(fact.groups) == 1 else ""


def _label(fact: Fact, axis: FrameAxis) -> str:
    return {"jaar": _year, "groep": _group, "plaats": lambda f: f.place}[axis](fact)


def _same_kind(a: Fact, b: Fact) -> bool:
    return a.kind == b.kind and (a.unit == b.unit or not a.unit or not b.unit) and a.from_value is None is b.from_value


def _compatible(a: Fact, b: Fact) -> bool:
    """Two numbers of one sentence that may be points of one series: written in digits, not a total beside
    its part, not two different things counted."""
    if not any(ch.isdigit() for ch in a.text) or not any(ch.isdigit() for ch in b.text):
        return False
    if a.scope and b.scope and a.scope != b.scope:
        return False
    return same_measure(a.measure, b.measure)


def _same_frame_but(a: Fact, b: Fact, axis: FrameAxis) -> bool:
    """Equal frames (measure known, unit, kind, scope and the two dimensions that do not vary)."""
    if a.measure in ("", *_STAND_INS) or not same_measure(a.measure, b.measure) or b.measure in ("", *_STAND_INS):
        return False
    if a.unit != b.unit or a.kind != b.kind or a.scope != b.scope:
        return False
    if a.from_value is not None or b.from_value is not None:
        return False
    same = {
        "jaar": a.groups == b.groups and a.place == b.place,
        "groep": a.period == b.period and a.place == b.place,
        "plaats": a.period == b.period and a.groups == b.groups,
    }
    return same[axis]


def _is_total(label: str) -> bool:
    return label.strip().lower().startswith(("totaal", "total"))


def _table_series(seed: Fact, facts: Sequence[Fact]) -> Series | None:
    """A table cell's row across the columns (e.g. one motive in every municipality), else its column."""
    table = [f for f in facts if f.doc_id == seed.doc_id and f.chunk_id == seed.chunk_id and (f.row or f.column)]
    for fixed, varying in (("row", "column"), ("column", "row")):
        if _is_total(getattr(seed, varying)):
            continue  # a total cell has no peers in this direction
        cells: dict[str, Fact] = {}
        for fact in table:
            label = getattr(fact, varying)
            if getattr(fact, fixed) == getattr(seed, fixed) and label and _same_kind(fact, seed):
                if not _is_total(label):  # the total is not a peer of its parts
                    cells.setdefault(label, fact)
        if len(cells) >= MIN_POINTS["tabel"]:
            points = tuple(Point(label, f.value, f.text, f.doc_id, f.page, f.sentence) for label, f in cells.items())
            return Series("tabel", seed.unit, points, title=getattr(seed, fixed))
    return None


def _candidates(seed: Fact, facts: Sequence[Fact], axis: FrameAxis) -> list[tuple[int, Fact]]:
    """(nearness, fact) of the facts that may join the seed's series: 0 same sentence, 1 same page."""
    out = []
    for fact in facts:
        if fact.doc_id != seed.doc_id or fact.row or fact.column or not _label(fact, axis):
            continue
        if fact.sentence == seed.sentence and fact.page == seed.page:
            if _same_kind(fact, seed) and _compatible(fact, seed) and (axis != "jaar" or fact.groups == seed.groups):
                out.append((0, fact))
        elif fact.page == seed.page and _same_frame_but(seed, fact, axis):
            out.append((1, fact))
    return out


def series_for(seed: Fact, facts: Sequence[Fact]) -> Series | None:
    """The seed's quantity over the years, across groups or across places (in that order of preference); a
    table cell's row or column."""
    if not any(ch.isdigit() for ch in seed.text):
        return None
    if seed.row or seed.column:
        return _table_series(seed, facts)
    for axis in FRAME_AXES:
        key = _label(seed, axis)
        if not key:
            continue
        points: dict[str, tuple[int, Fact]] = {key: (-1, seed)}
        ambiguous = False
        for near, fact in sorted(_candidates(seed, facts, axis), key=lambda c: c[0]):
            label = _label(fact, axis)
            if label not in points:
                points[label] = (near, fact)
            elif points[label][0] == near and points[label][1].value != fact.value:
                ambiguous = True  # the report gives two values for one point: which one is not ours to guess
        if ambiguous or len(points) < MIN_POINTS[axis]:
            continue
        ordered = sorted(points.items()) if axis == "jaar" else list(points.items())
        unit = seed.unit or next((f.unit for _, (_, f) in ordered if f.unit), "")
        return Series(
            axis,
            unit,
            tuple(Point(label, f.value, f.text, f.doc_id, f.page, f.sentence) for label, (_, f) in ordered),
        )
    return None
