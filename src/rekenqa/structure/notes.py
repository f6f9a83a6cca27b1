"""Footnotes of a page and the sources a document cites ("(CBS, 2024)", footnote references)."""

from __future__ import annotations

import re
from collections.abc import Sequence

from rekenqa.artefacts.footnotes import group_by_footnote
from rekenqa.artefacts.urls import URL_RE
from rekenqa.structure.lines import Line
from rekenqa.types import Block, Page, Reference

# A footnote number as structure reads it: followed by a space, or glued to the first word.
_FOOTNOTE_DEF = re.compile(r"^(\d{1,3})(?: |(?=\S))")
_REF_GROUP = re.compile(r"\(([^()]*?(?:19|20)\d\d[a-z]?)\)")
_REF_PART = re.compile(
    r"^(?:[Zz]ie(?: ook| hiervoor ook)?:?\s+)?"
    r"((?:[Vv]an (?:der |den )?|[Dd]e )?[A-Z][\w./&'’\-]*(?: (?:en|&|et al\.|e\.a\.|[A-Z][\w./&\-]*))*)"
    r",?\s+((?:19|20)\d\d[a-z]?)$"
)
_FOOTNOTE_REF = re.compile(
    r"(?:^\d{1,3}\s+|[:;]\s|\.\s)((?:[Vv]an (?:der |den )?)?[A-Z][\w\-]+(?: (?:en|&) [A-Z][\w\-]+| et al\.| e\.a\.)?),"
    r"(?: [A-Z]\.,)? ((?:19|20)\d\d)\b"
)


def footnote_blocks(
    page: Page, lines: list[Line], start: int, defs: list[int]
) -> tuple[list[Block], list[tuple[int, list[str]]], list[str]]:
    """Footnote blocks of a page, the text lines per footnote number, and lines continuing the previous one."""
    blocks: list[Block] = []
    per_number: list[tuple[int, list[str]]] = []
    continuation: list[str] = []
    filled = [line for line in lines[start:] if not line.blank]
    groups = group_by_footnote(filled, defs, lambda line: line.text, _FOOTNOTE_DEF)
    for number, group in groups:
        text = page.text[group[0].start : group[-1].end]
        blocks.append(
            Block(
                page.doc_id,
                page.number,
                "footnote",
                text,
                group[0].start,
                group[-1].end,
                (),
                "" if number is None else str(number),
            )
        )
        texts = [ln.text for ln in group]
        if number is None:
            continuation.extend(texts)
        else:
            per_number.append((number, texts))
    return blocks, per_number, continuation


def footnote_text(number: int, lines: list[str]) -> str:
    text = " ".join(lines)
    return re.sub(rf"^{number}\s*", "", text).strip()


def find_references(doc_id: str, blocks: Sequence[Block]) -> list[Reference]:
    refs: list[Reference] = []
    seen: set[tuple[str, str, int]] = set()
    for block in blocks:
        text = URL_RE.sub(" ", block.text.replace("\n", " "))
        found: list[tuple[str, str]] = []
        for group in _REF_GROUP.finditer(text):
            for part in group.group(1).split(";"):
                m = _REF_PART.match(part.strip())
                if m and not re.search(r"\d", m.group(1)) and len(m.group(1).split()) <= 7:
                    found.append((m.group(1).strip(), m.group(2)))
        if block.kind == "footnote":
            for m in _FOOTNOTE_REF.finditer(text):
                found.append((m.group(1).strip(), m.group(2)))
        for author, year in found:
            if author.split()[0].lower() in {"zie", "bron", "stand", "nota"}:
                continue
            key = (author, year, block.page)
            if key in seen:
                continue
            seen.add(key)
            refs.append(Reference(doc_id, author, year, block.page))
    return refs
