"""Find the ligature artefacts a text still holds (to measure a repair, or to see that a document needs one)."""

from __future__ import annotations

import re

from rekenqa.artefacts.glyphs import ACRONYM, LETTER, REPLACEMENT_CHAR
from rekenqa.artefacts.urls import inside, url_spans

_W = "[a-zà-ÿ]"
_WS = f"(?<!{LETTER})"  # a word start: keeps the scans linear
_ARTIFACT_PATTERNS = [
    re.compile(f"{_WS}{LETTER}*{_W}[DMPUX]{LETTER}*"),  # heeM, migraDe, betreU, ArbeidsmarkXoegang
    re.compile(r"\bDj[a-zà-ÿ]*"),  # Djdelijk
    re.compile(r"(?<=[a-zà-ÿ,] )Den(?= [a-zà-ÿ])"),  # afgelopen Den jaar
    re.compile(r"(?<=[\da-zà-ÿ,] )Me\b(?![-'’])"),  # 3,8 Me
    re.compile(f"{_WS}{LETTER}*(?:{_W}[7&]{LETTER}|{LETTER}[7&]{_W}){LETTER}*"),  # Migra7e, Migra&e
    re.compile(f"(?<!\\S)\\S*{REPLACEMENT_CHAR}\\S*"),  # lee�aarheid
    re.compile(f"{_WS}{LETTER}+'(?![stnr]\\b){LETTER}+"),  # Migra'e (not thema's, z'n)
    re.compile(f"{_WS}{LETTER}+\\((?![^\\s()]*\\))(?!\\d){LETTER}+"),  # na(onaliteiten
    re.compile(
        f"{_W}{{2,}}/(?:e[sfnr]?|eve[ns]?|ele[n]?|ng[a-z]*|g|gen|jd[a-z]*|jn[a-z]*|onale?[a-z]*|onaal|ek|/e)\\b"
    ),  # migra/e, huisves/ng, na/onaliteit, Jus//e
    re.compile(r"(?<![^\s(‘“'\"])/(?:jd[a-z]*|en|tel|e)\b"),  # /jdelijk, /en jaar
    re.compile(r"\bhqps?\b"),
    re.compile(f"{_W}q(?!u){_W}"),  # neqo, Roqerdam
    re.compile(f"{_WS}{LETTER}*(?:ahank|axank|ahandel){LETTER}*"),  # ahankelijk, axankelijk
    re.compile(f"{_WS}{LETTER}*(?:nng|njd){LETTER}*"),  # onderschanng, wachnjden
    re.compile(r"\bnung\b"),  # nuttig
    re.compile(f"{_WS}{LETTER}*asoms{LETTER}*"),  # asomstig
    re.compile(f"{_W}{{3,}}\\.ng\\b"),  # Huisves.ng
]


def find_artifacts(text: str) -> list[tuple[int, str]]:
    """Residual ligature artifacts in ``text``: (offset, token) for each broken-looking token.

    URLs are skipped except for a broken scheme ("hqps://").
    """
    spans = url_spans(text)
    found: dict[int, str] = {}
    for pattern in _ARTIFACT_PATTERNS:
        for m in pattern.finditer(text):
            start, end = m.span()
            token = m.group(0)
            if inside(spans, start, end) and not token.startswith("hqp"):
                continue
            if ACRONYM.fullmatch(token):
                continue
            found.setdefault(start, token)
    return sorted(found.items())
