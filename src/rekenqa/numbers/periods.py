"""Rules for labels ("Tabel 4", "artikel 28", heading numbers) and for periods and dates ("derde kwartaal
2024", "1 september 2025", "maart - juni 2024", "2015-2023")."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from rekenqa.lexicon import HALF_YEAR_ORDINALS, LABEL_WORDS, MONTHS, QUARTER_ORDINALS
from rekenqa.numbers.atoms import LAB, NUM, ORD, PLACEHOLDERS
from rekenqa.numbers.grammar import ANY_ATOM, IGNORE, MONTH_ALT, Y, month
from rekenqa.numbers.mask import BLOCK
from rekenqa.numbers.quantity import Quantity

if TYPE_CHECKING:
    from rekenqa.numbers.scan import Rule, Scanner

_LABEL_WORDS = "|".join(re.escape(w) for w in LABEL_WORDS)
_RANGE_SEP = r"(?:-|–|—|tot(?:\s+en\s+met)?|t/m)"

LINE_LABEL = re.compile(
    rf"(?m)^[ \t]*(?P<a>(?<![{PLACEHOLDERS}])[{NUM}{LAB}]+(?![{PLACEHOLDERS}]))(?=\.[ \t]|[ \t]+\S|\.?[ \t]*$)"
)
KEY_LABEL = re.compile(
    rf"(?<![\w])(?:{_LABEL_WORDS})"
    rf"\s*-?\s*(?P<a>[{NUM}{LAB}]+)(?:\s*(?:,|en|t/m|tot\s+en\s+met|-|–)\s*[{NUM}{LAB}]+(?![{PLACEHOLDERS}]))*",
    IGNORE,
)
LAW_YEAR = re.compile(rf"(?<![\w])(?:[^\W\d_]*wet|wet\s+[^\W\d_]+)\s+(?P<a>{Y})", IGNORE)

QUARTERS = (
    re.compile(rf"(?P<y>{Y})\s*-?\s*Q(?P<q>[1-4])(?![\w])", IGNORE),
    re.compile(rf"(?<![\w])Q(?P<q>[1-4])\s*[-/]?\s*(?:van\s+)?(?P<y>{Y})", IGNORE),
    re.compile(
        rf"(?<![\w])(?P<o>{'|'.join(QUARTER_ORDINALS)}|{ORD}+)\s+kwartaal\s+(?:van\s+)?(?P<y>{Y})",
        IGNORE,
    ),
    re.compile(
        rf"(?<![\w])(?P<h>{'|'.join(HALF_YEAR_ORDINALS)}|{ORD}+)\s+(?:helft|halfjaar|jaarhelft)"
        rf"\s+(?:van\s+)?(?P<y>{Y})",
        IGNORE,
    ),
)
DATE_DMY = re.compile(
    rf"(?P<d>(?<![{PLACEHOLDERS}]){NUM}{{1,2}}(?![{PLACEHOLDERS}]))\s+{month('m')}(?:\s+(?P<y>{Y}))?", IGNORE
)
MONTH_RANGE = re.compile(
    rf"{month('m1')}(?:\s+(?P<y1>{Y}))?\s*{_RANGE_SEP}\s*{month('m2')}\s+(?P<y2>{Y})",
    IGNORE,
)
YEAR_MONTH_RANGE = re.compile(rf"(?P<y1>{Y})\s*{_RANGE_SEP}\s*{month('m2')}\s+(?P<y2>{Y})", IGNORE)
MONTH_YEAR = re.compile(rf"{month('m')}\s+(?P<y>{Y})", IGNORE)
YEAR_RANGE = re.compile(
    rf"(?:(?<![\w])(?P<pre>tussen|van|vanaf|periode)\s+)?(?P<y1>{Y})\s*"
    rf"(?P<sep>-|–|—|/|tot(?:\s+en\s+met)?|t/m|t\.m\.|en)\s*(?P<y2>{Y})",
    IGNORE,
)
NEED_MONTH = re.compile(rf"(?<![^\W\d_])(?:{MONTH_ALT})(?![^\W\d_])", IGNORE)
NEED_QUARTER = re.compile(r"q[1-4]|kwartaal|helf|halfjaar", IGNORE)


# -- labels -------------------------------------------------------------------------------------------------


def line_label(sc: Scanner, m: re.Match[str]) -> Quantity | None:
    """A number at a line start that is a heading or list number, not a quantity."""
    atom = sc.atom(m, "a")
    if atom is None:
        return None
    if atom.kind == "num" and (atom.word or not atom.plain or atom.value >= 1000):
        return None
    after = sc.text[atom.end :].lstrip(" \t")
    if after[:1] not in (".", "", "\n") and not (
        after[:1].isupper() or sc.masked[len(sc.text) - len(after)] == BLOCK
    ):
        return None  # "18 procent ..." at a line start is a number, "2 Een statushouder ..." a label
    return sc.quantity(m.start("a"), m.end("a"), atom.value, "", "label")


def key_label(sc: Scanner, m: re.Match[str]) -> Quantity | None:
    atom = sc.atom(m, "a")
    if atom is None or atom.kind not in ("num", "label"):
        return None
    return sc.quantity(m.start(), m.end(), atom.value, "", "label")


def law_year(sc: Scanner, m: re.Match[str]) -> Quantity | None:
    """The year in a law's name ("Wet inburgering 2021") is a label."""
    atom = sc.atom(m, "a")
    if atom is None or not atom.is_year:
        return None
    return sc.quantity(m.start("a"), m.end("a"), atom.value, "", "label", period=str(int(atom.value)))


# -- periods and dates --------------------------------------------------------------------------------------


def _year(sc: Scanner, m: re.Match[str], group: str) -> int | None:
    atom = sc.atom(m, group)
    return int(atom.value) if atom is not None and atom.is_year else None


def quarter(sc: Scanner, m: re.Match[str]) -> Quantity | None:
    """"2024-Q3", "Q3 2024", "derde kwartaal van 2024", "eerste helft 2025"."""
    y = _year(sc, m, "y")
    if y is None:
        return None
    if "q" in m.re.groupindex and m.group("q"):
        q = int(m.group("q"))
    else:
        key = "o" if "o" in m.re.groupindex else "h"
        word = m.group(key).lower()
        if word in QUARTER_ORDINALS:
            q = QUARTER_ORDINALS[word]
        else:
            atom = sc.atom(m, key)
            q = int(atom.value) if atom is not None else 0
        if key == "h":
            if q not in (1, 2):
                return None
            return sc.quantity(m.start(), m.end(), y, "", "period", period=f"{y}-H{q}")
    if not 1 <= q <= 4:
        return None
    return sc.quantity(m.start(), m.end(), y, "", "period", period=f"{y}-Q{q}")


def date(sc: Scanner, m: re.Match[str]) -> Quantity | None:
    """"1 september 2025", or "1 september" without a year."""
    day_atom = sc.atom(m, "d")
    if day_atom is None or not day_atom.plain or not 1 <= day_atom.value <= 31:
        return None
    mo = MONTHS[m.group("m").lower()]
    d = int(day_atom.value)
    y = _year(sc, m, "y") if m.group("y") else None
    if m.group("y") and y is None:
        return None
    if y is None:
        return sc.quantity(m.start(), m.end(), d, "", "date", period=f"--{mo:02d}-{d:02d}")
    return sc.quantity(m.start(), m.end(), y, "", "date", period=f"{y:04d}-{mo:02d}-{d:02d}")


def month_range(sc: Scanner, m: re.Match[str]) -> Quantity | None:
    """"maart - juni 2024", "december 2023 t/m februari 2024"."""
    y2 = _year(sc, m, "y2")
    y1 = _year(sc, m, "y1") if m.group("y1") else y2
    if y1 is None or y2 is None:
        return None
    m1, m2 = MONTHS[m.group("m1").lower()], MONTHS[m.group("m2").lower()]
    period = f"{y1}-{m1:02d}/{y2}-{m2:02d}"
    return sc.quantity(m.start(), m.end(), y2, "", "period", period=period, from_value=float(y1), relation="range")


def year_month_range(sc: Scanner, m: re.Match[str]) -> Quantity | None:
    """"2023 - juni 2024"."""
    y1, y2 = _year(sc, m, "y1"), _year(sc, m, "y2")
    if y1 is None or y2 is None or y1 > y2:
        return None
    m2 = MONTHS[m.group("m2").lower()]
    period = f"{y1}/{y2}-{m2:02d}"
    return sc.quantity(m.start(), m.end(), y2, "", "period", period=period, from_value=float(y1), relation="range")


def month_year(sc: Scanner, m: re.Match[str]) -> Quantity | None:
    y = _year(sc, m, "y")
    if y is None:
        return None
    mo = MONTHS[m.group("m").lower()]
    return sc.quantity(m.start(), m.end(), y, "", "period", period=f"{y}-{mo:02d}")


def year_range(sc: Scanner, m: re.Match[str]) -> Quantity | None:
    """"2015-2023", "tussen 2015 en 2023", "van 2019 tot 2023"."""
    y1, y2 = _year(sc, m, "y1"), _year(sc, m, "y2")
    if y1 is None or y2 is None or y2 <= y1:
        return None
    pre = (m.group("pre") or "").lower()
    sep = m.group("sep").lower()
    if sep == "en" and pre != "tussen":
        return None
    start = m.start() if pre else m.start("y1")
    return sc.quantity(
        start, m.end(), y2, "", "period", period=f"{y1}/{y2}", from_value=float(y1), relation="range"
    )


LABEL_RULES: tuple[Rule, ...] = (
    (LINE_LABEL, line_label, ANY_ATOM),
    (KEY_LABEL, key_label, ANY_ATOM),
    (LAW_YEAR, law_year, ANY_ATOM),
)
PERIOD_RULES: tuple[Rule, ...] = (
    *((pattern, quarter, NEED_QUARTER) for pattern in QUARTERS),
    (MONTH_RANGE, month_range, NEED_MONTH),
    (YEAR_MONTH_RANGE, year_month_range, NEED_MONTH),
    (DATE_DMY, date, NEED_MONTH),
    (MONTH_YEAR, month_year, NEED_MONTH),
    (YEAR_RANGE, year_range, ANY_ATOM),
)
