"""Comparing quantities: ``as_comparable`` (one scale per dimension) and ``matches`` (is a claimed quantity
consistent with a reported one, allowing for the hedge and for rounding at the stated precision)."""

from __future__ import annotations

import math
from dataclasses import replace

from rekenqa.numbers.quantity import Quantity
from rekenqa.numbers.words import trailing_zeros

_MONTHS_PER = {
    "jaar": 12.0,
    "maanden": 1.0,
    "weken": 12.0 / 52.0,
    "dagen": 12.0 / 365.0,
    "uur": 12.0 / 8760.0,
}


def _dimension(q: Quantity) -> tuple[str, float]:
    """The comparable dimension of a quantity and the factor that converts its value into it."""
    if q.kind == "change":
        inner = replace(
            q,
            kind="money" if q.unit == "euro" else ("percent" if q.unit in ("%", "procentpunt") else "count"),
        )
        dim, scale = _dimension(inner)
        return f"verandering {dim}", scale
    if q.kind == "fraction" or q.unit == "share":
        return "percent", 100.0
    if q.kind == "percent":
        return ("procentpunt", 1.0) if q.unit == "procentpunt" else ("percent", 1.0)
    if q.kind == "money":
        return "euro", 1.0
    if q.kind == "duration":
        return "maanden", _MONTHS_PER.get(q.unit, 1.0)
    if q.kind == "rate":
        return q.unit, 1.0
    if q.kind == "factor":
        return "factor", 1.0
    if q.kind == "count":
        return ("fte", 1.0) if q.unit == "fte" else ("aantal", 1.0)
    return q.kind, 1.0


def as_comparable(q: Quantity) -> tuple[str, float]:
    """(dimension, value) with percent and share on one scale: "tweederde" -> ("percent", 66.67).

    Durations become months, money euros, counts ``"aantal"``; a change gets ``"verandering ..."``.
    """
    dim, scale = _dimension(q)
    return dim, q.value * scale


def _granularity(q: Quantity, claimed: bool) -> float:
    """The rounding step of a written number: 11,4 -> 0,1; "18.000" said in a claim -> 1.000."""
    if q.decimals != 0:
        return float(10.0 ** (-q.decimals))
    if not claimed or q.value != int(q.value) or q.hedge == "precies":
        return 1.0
    n = abs(int(q.value))
    digits = len(str(n))
    return float(10 ** min(trailing_zeros(n), max(digits - 2, 0)))


def _interval(q: Quantity, claimed: bool) -> tuple[float, float]:
    """The values a quantity is consistent with, in its own unit, given its hedge and precision."""
    v = q.value
    if q.kind == "fraction":
        g, near = 0.05, 0.05
    elif q.kind == "factor" and q.decimals == 0:
        g, near = 0.0, 0.0
    else:
        g = _granularity(q, claimed)
        near = max(g, 0.1 * abs(v))
    if q.relation == "range" and q.from_value is not None:
        return q.from_value - g / 2, v + g / 2
    if q.kind == "factor" and q.decimals == 0:
        return _factor_interval(v, q.bound, q.hedge)
    if q.bound == "lower":
        return (v, math.inf) if q.hedge in ("meer dan", "ten minste") else (v, v + near)
    if q.bound == "upper":
        return (-math.inf, v) if q.hedge in ("minder dan", "maximaal") else (v - near, v)
    if q.bound == "approx":
        return min(v - g / 2, v - 0.1 * abs(v)), max(v + g / 2, v + 0.1 * abs(v))
    return v - g / 2, v + g / 2


def _factor_interval(v: float, bound: str, hedge: str) -> tuple[float, float]:
    """A factor said in words ("verdubbeld", "bijna drie keer zo groot") rounds to the nearest half step.

    A shrinking factor ("gehalveerd", 0,5) is handled as its reciprocal (2), so that "bijna gehalveerd"
    is a factor between 0,5 and 0,67.
    """
    if v <= 0:
        return v, v
    if v < 1:
        swapped = {"lower": "upper", "upper": "lower"}.get(bound, bound)
        lo, hi = _factor_interval(1 / v, swapped, hedge)
        return (1 / hi if hi else 0.0), (1 / lo if lo > 0 else math.inf)
    open_ended = hedge in ("meer dan", "ten minste", "minder dan", "maximaal")
    if bound == "lower":
        return (v, math.inf) if open_ended else (v, v + 0.5)
    if bound == "upper":
        return (1.0, v) if open_ended else (v - 0.5, v)
    if bound == "approx":
        return min(v - 0.5, v * 0.75), max(v + 0.5, v * 1.25)
    return v - 0.5, v + 0.5


def _derived(claimed: Quantity, reported: Quantity) -> Quantity:
    """The reported quantity in the claim's terms when the claim is a change or factor and the report
    gives a start and end value ("van 607 naar 1.015")."""
    if reported.from_value is None or reported.relation == "range":
        return reported
    v, f = reported.value, reported.from_value
    if claimed.kind == "factor" and reported.kind != "factor" and f:
        return replace(
            reported,
            value=v / f,
            kind="factor",
            unit="factor",
            from_value=None,
            relation="",
            decimals=6,
            hedge="",
            bound="exact",
        )
    if claimed.kind == "change" and reported.kind != "change":
        if claimed.unit == "%" and f:
            return replace(
                reported,
                value=(v - f) / f * 100,
                kind="change",
                unit="%",
                from_value=None,
                relation="",
                decimals=6,
                hedge="",
                bound="exact",
            )
        unit = "procentpunt" if reported.kind == "percent" else reported.unit
        return replace(
            reported,
            value=v - f,
            kind="change",
            unit=unit,
            from_value=None,
            relation="",
            decimals=max(reported.decimals, 0),
            hedge="",
            bound="exact",
        )
    return reported


def _period_of(q: Quantity) -> str:
    return q.period or (str(int(q.value)) if q.kind == "year" else "")


def matches(claimed: Quantity, reported: Quantity) -> tuple[bool, str]:
    """Is the claimed quantity consistent with the reported one, given hedge, rounding and unit?

    Returns ``(ok, reason)``; reasons are short Dutch phrases: "exact", "afgerond", "binnen marge",
    "ondergrens", "bovengrens" when consistent; "andere eenheid", "factor 10" (100, 1000), "te hoog",
    "te laag", "ander jaar", "andere periode", "andere beginwaarde" when not.
    """
    if claimed.kind in ("year", "period", "date") or reported.kind in ("year", "period", "date"):
        if claimed.kind not in ("year", "period", "date") or reported.kind not in ("year", "period", "date"):
            return False, "andere eenheid"
        cp, rp = _period_of(claimed), _period_of(reported)
        if cp == rp:
            return True, "exact"
        if claimed.kind == "year" and reported.kind == "year":
            return False, "ander jaar"
        return False, "andere periode"
    reported = _derived(claimed, reported)
    c_dim, c_scale = _dimension(claimed)
    r_dim, r_scale = _dimension(reported)
    if c_dim != r_dim:
        return False, "andere eenheid"
    ok, reason = _compare(claimed, c_scale, reported, r_scale)
    if ok and claimed.from_value is not None and reported.from_value is not None:
        if claimed.relation == "change" and reported.relation == "change":
            before_c = replace(claimed, value=claimed.from_value, from_value=None, relation="")
            before_r = replace(reported, value=reported.from_value, from_value=None, relation="")
            if not _compare(before_c, c_scale, before_r, r_scale)[0]:
                return False, "andere beginwaarde"
    return ok, reason


_OPEN = {"meer dan": "lower", "ten minste": "lower", "minder dan": "upper", "maximaal": "upper"}


def _same_bound(claimed: Quantity, reported: Quantity) -> bool:
    """Are both quantities open limits on the same side ("maximaal", "ten minste")?"""
    side = _OPEN.get(claimed.hedge)
    return side is not None and side == _OPEN.get(reported.hedge)


def _compare(claimed: Quantity, c_scale: float, reported: Quantity, r_scale: float) -> tuple[bool, str]:
    c_lo, c_hi = (x * c_scale for x in _interval(claimed, claimed=True))
    r_lo, r_hi = (x * r_scale for x in _interval(reported, claimed=False))
    c_val, r_val = claimed.value * c_scale, reported.value * r_scale
    eps = 1e-9 * max(1.0, abs(c_val), abs(r_val))
    if claimed.kind == "duration" and claimed.unit != reported.unit and claimed.bound == "exact":
        # Rounding is to the claim's own unit: "een jaar" rounds 11 or 13 months, not "zes maanden".
        c_lo, c_hi = max(c_lo, c_val * 0.8), min(c_hi, c_val * 1.2)
    if _same_bound(claimed, reported):
        # Two limits of one kind ("hoogstens acht", "maximaal zes") are the same rule only with the same value.
        c_lo, c_hi = c_val - eps, c_val + eps
        r_lo, r_hi = r_val - eps, r_val + eps
    # Intervals that only touch ("drie" is 2,5-3,5; "twee" 1,5-2,5) are different numbers.
    if c_lo < r_hi - eps and r_lo < c_hi - eps or abs(c_val - r_val) <= eps:
        if abs(c_val - r_val) <= eps:
            return True, "exact"
        if claimed.bound == "approx":
            return True, "binnen marge"
        if claimed.hedge in ("meer dan", "ten minste", "minder dan", "maximaal"):
            near = max(_granularity(claimed, True), 0.1 * abs(claimed.value)) * c_scale
            if abs(r_val - c_val) > near + eps:
                return True, "ondergrens" if claimed.bound == "lower" else "bovengrens"
        return True, "afgerond"
    if claimed.kind != "factor" and c_val and r_val and math.isfinite(c_lo) and math.isfinite(c_hi):
        for k in (1, 2, 3):
            for direction in (1, -1):
                f = 10.0 ** (k * direction)
                if c_lo / f <= r_hi + eps and r_lo <= c_hi / f + eps:
                    return False, f"factor {10**k}"
    return (False, "te hoog") if c_val > r_val else (False, "te laag")
