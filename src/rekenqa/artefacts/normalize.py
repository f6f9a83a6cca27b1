"""Input normalisation shared by page text and pasted text: odd spaces, soft hyphens, zero-width
characters and ligature code points."""

from __future__ import annotations

import re
import unicodedata

# Odd spaces become a space; soft hyphens and zero-width characters go; ligature code points are spelled out.
INPUT_TABLE = str.maketrans(
    {
        "\u00a0": " ",
        "\u2007": " ",
        "\u2009": " ",
        "\u202f": " ",
        "\u200a": " ",
        "\u00ad": None,
        "\u200b": None,
        "\u200c": None,
        "\u200d": None,
        "\u2060": None,
        "\ufeff": None,
        "ﬀ": "ff",
        "ﬁ": "fi",
        "ﬂ": "fl",
        "ﬃ": "ffi",
        "ﬄ": "ffl",
        "ﬅ": "st",
        "ﬆ": "st",
    }
)
_PERCENT_SPACE = re.compile(r"(\d)[ \t]+%")


def normalize_input(text: str) -> str:
    """NFC, :data:`INPUT_TABLE`, and "11,4 %" written as "11,4%"."""
    text = unicodedata.normalize("NFC", text).translate(INPUT_TABLE)
    return _PERCENT_SPACE.sub(r"\1%", text)
