"""Validation and cleaning of user text (questions, claims, quotes): pure, Dutch messages."""

from __future__ import annotations

import re
import unicodedata
from typing import Literal

from rekenqa.errors import InputInvalid

InputKind = Literal["question", "claim", "quote", "speech"]
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b-\u200f\u202a-\u202e\u2060\ufeff]")
_SURROGATES = re.compile("[\ud800-\udfff]")
_WHAT = {"question": "vraag", "claim": "bewering", "quote": "citaat", "speech": "tekst"}
# Dutch adjective inflection and article: "lege vraag", "de vraag" (de-words) but "leeg citaat", "het citaat".
_EMPTY = {"quote": "Leeg"}
_THE = {"quote": "Het"}


def clean(text: str | None, kind: InputKind = "question", max_chars: int = 2000) -> str:
    """Strip control characters and excess whitespace; refuse empty, wordless or overlong input."""
    what = _WHAT.get(kind, "invoer")
    if text is None:
        raise InputInvalid(f"{_EMPTY.get(kind, 'Lege')} {what}: typ eerst een {what}.")
    if not isinstance(text, str):
        raise InputInvalid(f"{_THE.get(kind, 'De')} {what} moet tekst zijn.")
    # Lone surrogates (a non-UTF-8 command line decoded with surrogateescape) cannot be encoded or tokenized.
    text = unicodedata.normalize("NFC", _SURROGATES.sub("\ufffd", text))
    text = _CONTROL.sub(" ", text).replace("\r\n", "\n").replace("\r", "\n")
    if kind != "speech" and kind != "quote":
        text = " ".join(text.split())
    else:
        text = "\n".join(" ".join(line.split()) for line in text.split("\n")).strip()
    if not text:
        raise InputInvalid(f"{_EMPTY.get(kind, 'Lege')} {what}: typ eerst een {what}.")
    if len(text) > max_chars:
        raise InputInvalid(
            f"{_THE.get(kind, 'De')} {what} is te lang ({len(text):,} tekens; het maximum is {max_chars:,})."
            .replace(",", "."),
            hint="Maak de tekst korter of splits hem op.",
        )
    if not any(ch.isalnum() for ch in text):
        raise InputInvalid(
            f"{_THE.get(kind, 'De')} {what} bevat geen woorden of getallen. Typ een {what} in gewone taal."
        )
    return text
