"""Footnote markers: Unicode superscripts in repaired text, digits glued to words in the raw export.

Repaired text writes a footnote marker as superscript digits ("inwoners⁷"), so ``\\d`` never reads it as a
number. The raw export, and quotes pasted from the PDF, glue the marker's plain digits to the word
("inwoners7", "gegeven).9", "735.00074"): the patterns here find them.
"""

from __future__ import annotations

import re
from collections.abc import Collection

SUPERSCRIPT_DIGITS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
TO_SUPERSCRIPT = str.maketrans("0123456789", SUPERSCRIPT_DIGITS)
FROM_SUPERSCRIPT = str.maketrans(SUPERSCRIPT_DIGITS, "0123456789")
SUPERSCRIPT_RUN = re.compile(f"[{SUPERSCRIPT_DIGITS}]+")

# A footnote number glued after closing punctuation in unrepaired report text: "gegeven).9"
GLUED_AFTER_PUNCT = re.compile(r"(.*[^\W\d_][).,;:!?'\"]+)(\d{1,3})")
# A footnote number glued to a word in a pasted quote: "inwoners7", "(5,1%)8", "Pakistan13"
GLUED_DIGITS = re.compile(r"(.*\D)(\d{1,3})")
GLUED_PREFIX_OK = re.compile(r"[^\W\d_]|[%)]")  # "2.525" is a number, "inwoners7" is not
# A number with thousands separators: "18.480", "1.425.495"
GROUPED = re.compile(r"\d{1,3}(?:\.\d{3})+")
# A footnote number glued to a number with thousands separators: "735.00074"
GLUED_AFTER_THOUSANDS = re.compile(rf"({GROUPED.pattern})(\d{{1,3}})")
GLUED_WORD_DIGITS = re.compile(r"([^\W\d_]{2,})(\d{1,3})")
_MARKER_BEFORE = set(")]%”’\"'»")  # closing characters a marker is glued after: "(5,1%)8", "gegeven”9"


def superscript(n: int) -> str:
    """Render a footnote number as Unicode superscript digits (7 -> "⁷")."""
    if n < 0:
        raise ValueError("footnote numbers are not negative")
    return str(n).translate(TO_SUPERSCRIPT)


def parse_superscript(s: str) -> int | None:
    """Read superscript digits back ("⁹⁴" -> 94); None when ``s`` is not only superscript digits."""
    if not s or any(ch not in SUPERSCRIPT_DIGITS for ch in s):
        return None
    return int(s.translate(FROM_SUPERSCRIPT))


def strip_markers(text: str) -> str:
    """``text`` without its superscript footnote markers."""
    return SUPERSCRIPT_RUN.sub("", text)


def marker_numbers(text: str) -> tuple[int, ...]:
    """The footnote numbers of the superscript markers in ``text``, in order, repeats included."""
    return tuple(int(m.translate(FROM_SUPERSCRIPT)) for m in SUPERSCRIPT_RUN.findall(text))


def footnote_refs(text: str) -> tuple[int, ...]:
    """Footnote numbers referenced by superscript markers in ``text``, in order, without repeats."""
    refs: list[int] = []
    for number in marker_numbers(text):
        if number not in refs:
            refs.append(number)
    return tuple(refs)


def split_footnote_marker(token: str, known_markers: Collection[int]) -> tuple[str, int | None]:
    """Split a footnote marker glued to the end of ``token`` when that marker is in ``known_markers``.

    ``("inwoners7", {7})`` -> ``("inwoners", 7)``; ``("(5,1%)8", {8})`` -> ``("(5,1%)", 8)``;
    ``("18.48094", {94})`` -> ``("18.480", 94)``; ``("1.425.495.55", {55})`` -> ``("1.425.495.", 55)``.
    A token that is a well-formed number by itself ("2023", "11,45") is never split, and neither is a
    marker after a hyphen ("COVID-19").
    """
    m = re.search(r"\d+$", token)
    if not m or not known_markers or m.start() == 0:
        return token, None
    run = m.group(0)
    for k in range(1, min(3, len(run)) + 1):
        marker_text = run[-k:]
        if marker_text.startswith("0"):
            continue
        marker = int(marker_text)
        if marker not in known_markers:
            continue
        rest = token[:-k]
        last = rest[-1]
        if last.isdigit():
            # Only when the marker makes a grouped number ill-formed: "18.48094" -> "18.480" + 94.
            if GROUPED.fullmatch(rest) and not GROUPED.fullmatch(token) and "," not in token:
                return rest, marker
            continue
        if last == ".":
            before = rest[:-1]
            if before and (
                before[-1].isalpha() or before[-1] in _MARKER_BEFORE or GROUPED.fullmatch(before)
            ):
                return rest, marker
            continue
        if last.isalpha() or last in _MARKER_BEFORE or last in ";:,":
            if last == "," and rest[:-1][-1:].isdigit():
                continue  # "11,48": a decimal, not "11," + marker
            return rest, marker
    return token, None


# --------------------------------------------------------------------------------------------------
# Marking the glued digits of the raw export as superscripts
# --------------------------------------------------------------------------------------------------


def _after_thousands(text: str, start: int, run: str) -> int | None:
    """Where a marker glued after a number with thousands separators starts ("€ 1.425.495.55", "735.00074,")."""
    number_start = start + 3 if len(run) > 3 else start
    # A window before the run, not the whole text before it: a one-page source of megabytes stays linear.
    if re.search(r"\d{1,3}(?:\.\d{3})+\.?$", text[max(0, number_start - 64) : number_start]):
        return number_start
    return None


def _marker_start(text: str, start: int, end: int, last_mark_end: int) -> int | None:
    """Where the footnote marker of the digit run ``text[start:end]`` starts; None if it is no marker."""
    run = text[start:end]
    prev = text[start - 1] if start > 0 else ""
    prev2 = text[start - 2] if start > 1 else ""
    nxt = text[end] if end < len(text) else ""
    if prev in ".,-/:" and prev2.isdigit():
        return None  # the second half of 18.480, 2019-2025, 6.1
    year = re.fullmatch(r"(?:19|20)\d\d(\d{1,3})", run)
    glued = (
        prev.isalpha()
        or prev in ")]%’”'\"?!"
        or (prev in ".,;:" and prev2 != "" and not prev2.isdigit() and not prev2.isspace())
    )
    if glued:
        if len(run) > 3:
            if year is None or prev.isalpha():
                return None
            return start + 4
        return start
    if not (prev == "" or prev.isspace()):
        return None
    if len(run) > 3:
        return None if year is None else start + 4  # "4 maart 2027100": the marker is glued to the year
    # Offsets, not slices of the text before and after: a one-page source of megabytes stays linear.
    before_end = start
    while before_end > 0 and text[before_end - 1] == " ":
        before_end -= 1
    b = text[before_end - 1] if before_end else ""
    after_start = end
    while after_start < len(text) and text[after_start] == " ":
        after_start += 1
    a = text[after_start] if after_start < len(text) else ""
    ends_or_new = not a or a == "\n" or a.isupper() or a == "("
    if nxt == "(":
        return start  # "routes 51(in de praktijk"
    if b in ".;:)]’”" and ends_or_new:
        return start  # "personen. 41"
    if before_end == last_mark_end and (ends_or_new or a in ".,;:)"):
        return start  # "personen.⁴² 43", "2027¹⁰⁰ 101."
    return None


def _find_marks(text: str, allowed: set[int], used: set[int]) -> list[tuple[int, int, int]]:
    """(start, end, number) of each footnote marker in ``text``; ``used`` is updated."""
    marks: list[tuple[int, int, int]] = []
    last_mark_end = -1
    for m in re.finditer(r"\d+", text):
        start, end = m.span()
        run = m.group(0)
        prev = text[start - 1] if start > 0 else ""
        prev2 = text[start - 2] if start > 1 else ""
        nxt = text[end] if end < len(text) else ""
        nxt2 = text[end + 1] if end + 1 < len(text) else ""
        if nxt in ".," and nxt2.isdigit():
            continue  # 18.480, 11,4
        if nxt.isalpha() or (nxt != "" and nxt in "-/%‰°"):
            continue  # 24-weken, 2,5%, 6e
        if prev == "." and prev2.isdigit() and len(run) != 3 and not nxt.isdigit():
            number_start = _after_thousands(text, start, run)
        else:
            number_start = _marker_start(text, start, end, last_mark_end)
        if number_start is None:
            continue
        number = int(text[number_start:end])
        if number not in allowed or number in used:
            continue
        used.add(number)
        marks.append((number_start, end, number))
        last_mark_end = end
    return marks


def mark_footnotes(text: str, allowed: set[int], used: set[int]) -> tuple[str, list[int]]:
    """Turn the footnote markers of ``text`` into superscripts; only numbers in ``allowed`` and not in
    ``used`` count (``used`` is updated). Returns the text and the marked numbers in order."""
    marks = _find_marks(text, allowed, used)
    if not marks:
        return text, []
    out = []
    pos = 0
    for start, end, _ in marks:
        out.append(text[pos:start])
        out.append(text[start:end].translate(TO_SUPERSCRIPT))
        pos = end
    out.append(text[pos:])
    return "".join(out), [n for _, _, n in marks]
