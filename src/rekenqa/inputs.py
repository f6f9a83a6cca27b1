"""Validation and cleaning of user text (questions, claims, quotes): pure, Dutch messages."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from typing import Literal

from rekenqa.errors import InputInvalid

InputKind = Literal["question", "claim", "quote", "speech"]
# C0 and C1 control characters separate words (a NUL or ESC pasted between them); invisible characters that
# live inside words (zero-width space, soft hyphen, joiners, bidi marks and overrides, byte-order mark) go.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_INVISIBLE = re.compile(r"[\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")
_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
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
    text = _INVISIBLE.sub("", _CONTROL.sub(" ", text)).replace("\r\n", "\n").replace("\r", "\n")
    if not text.isascii():
        text = ascii_digits(text)
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


def ascii_digits(text: str) -> str:
    """Digits of any script ("٢٠٢٣", full-width "２０２３") as ASCII digits: numbers are compared as numbers."""
    return re.sub(r"\d", lambda m: m.group() if m.group().isascii() else str(unicodedata.decimal(m.group())), text)


def recase(text: str, casing: Mapping[str, str]) -> str:
    """Shouted ("HOEVEEL MIGRANTEN …") or Title Case text ("Hoeveel Migranten …") in ordinary casing.

    Each word takes the form the documents use most (``casing``: lower-case word -> "Haarlemmermeer", "COA",
    "migranten"); a word they do not use is written in lower case; a sentence starts with a capital. Text
    in ordinary casing is returned as it is: its capitals mark names.
    """
    words = [m.group() for m in _WORD.finditer(text) if len(m.group()) > 1]
    if len(words) < 2:
        return text
    shouted = sum(w.isupper() for w in words) / len(words) >= 0.6
    rest = words[1:]
    titled = len(rest) >= 2 and sum(w[0].isupper() for w in rest) / len(rest) >= 0.75
    if not (shouted or titled):
        return text
    out = _WORD.sub(lambda m: casing.get(m.group().lower(), m.group().lower()), text)
    # A capital where a sentence starts: the text's start, and after . ? ! followed by a space.
    return re.sub(r"(^|[.?!]\s+)([^\W\d_])", lambda m: m.group(1) + m.group(2).upper(), out)
