"""The value type every part of the number grammar returns."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Quantity:
    """One quantity found in a text.

    ``value`` is the main value: for a change or a range it is the final/upper value and ``from_value`` the
    start/lower one. ``decimals`` is the precision as written; it is negative for scaled numerals
    ("1,4 miljoen" has ``decimals=-5``: it is precise to 100.000). ``noun`` is the word after a count
    ("2.525 personen" -> "personen"); ``relation`` is ``"range"`` or ``"change"`` when ``from_value`` is set.
    For kind ``"change"`` (``"met 20 procent gestegen"``) the value is signed: negative for a decrease.
    """

    value: float
    text: str
    start: int
    end: int
    unit: str
    kind: str
    hedge: str
    bound: str
    period: str = ""
    from_value: float | None = None
    decimals: int = 0
    noun: str = ""
    relation: str = ""
