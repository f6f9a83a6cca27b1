"""The text runs of a PDF page with their font size, weight and position, from pypdf's text visitor."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rekenqa.artefacts.normalize import normalize_input


@dataclass(frozen=True, slots=True)
class Run:
    """A piece of text drawn with one font at one position (PDF points, origin bottom left)."""

    text: str
    x: float
    y: float
    size: float
    bold: bool
    italic: bool


@dataclass(slots=True)
class TextLine:
    """The runs drawn on one baseline, in drawing order."""

    runs: list[Run]

    @property
    def y(self) -> float:
        return self.runs[0].y

    @property
    def x(self) -> float:
        return min(r.x for r in self.runs)

    @property
    def size(self) -> float:
        """The font size of most of the line's letters."""
        weights: dict[float, int] = {}
        for run in self.runs:
            weights[run.size] = weights.get(run.size, 0) + len(run.text.strip())
        return max(weights, key=lambda s: (weights[s], s))

    @property
    def bold(self) -> bool:
        letters = sum(len(r.text.strip()) for r in self.runs)
        return letters > 0 and sum(len(r.text.strip()) for r in self.runs if r.bold) * 2 > letters

    @property
    def text(self) -> str:
        """The line's text; runs drawn at their own position further right are cells: two spaces apart."""
        out = ""
        previous: Run | None = None
        for run in self.runs:
            if previous is not None and run.x > previous.x + 0.5:
                end = previous.x + len(previous.text) * previous.size * 0.45
                gap = "  " if run.x > end + previous.size else " "
                out = out.rstrip(" ") + gap if out.strip() else out
                out += run.text.lstrip(" ")
            else:
                out += run.text
            previous = run
        return " ".join(out.split(" ")).strip() if "  " not in out else out.strip()


def _font_style(font: Any) -> tuple[bool, bool]:
    name = str(font.get("/BaseFont", "")) if font is not None else ""
    low = name.lower()
    return ("bold" in low or "black" in low or "heavy" in low), ("italic" in low or "oblique" in low)


def page_runs(page: Any) -> list[Run]:
    """Every non-empty text run of a pypdf page, with its size in points after the text and page matrices."""
    runs: list[Run] = []

    def visit(text: str, cm: list[float], tm: list[float], font: Any, size: float) -> None:
        if not text or not text.strip("\n"):
            return
        # The run's rendered size and baseline: the text matrix times the current transformation matrix.
        a, b, c, d, e, f = tm
        ca, cb, cc, cd, ce, cf = cm
        scale = (abs(a * cd - b * cc) or 1.0) ** 0.5 * (abs(ca * cd - cb * cc) or 1.0) ** 0.5
        x = e * ca + f * cc + ce
        y = e * cb + f * cd + cf
        bold, italic = _font_style(font)
        for k, piece in enumerate(text.split("\n")):
            if piece:
                runs.append(Run(normalize_line(piece), x, y - k * size * scale, size * scale, bold, italic))

    page.extract_text(visitor_text=visit)
    return runs


def normalize_line(text: str) -> str:
    """Ligature code points spelled out, odd spaces as spaces, zero-width characters gone; a soft hyphen at
    the end of a run is a hyphenation point and becomes "-" (the hyphenation repair decides the join)."""
    if text.endswith("\u00ad"):
        text = text.rstrip("\u00ad") + "-"
    return normalize_input(text.replace("\t", " "))


def group_lines(runs: list[Run]) -> list[TextLine]:
    """Runs on one baseline (within a third of their size) form a line; lines from top to bottom."""
    lines: list[TextLine] = []
    for run in runs:
        for line in lines:
            tolerance = max(line.size, run.size) * 0.35
            if abs(line.y - run.y) <= tolerance or (run.size < line.size * 0.8 and 0 <= run.y - line.y <= line.size * 0.6):
                line.runs.append(run)
                break
        else:
            lines.append(TextLine([run]))
    lines.sort(key=lambda ln: -ln.y)
    return lines
