"""Analyse one repaired document page by page into its :class:`~rekenqa.types.DocumentStructure`."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import replace

from rekenqa.artefacts.footnotes import split_footnote_area
from rekenqa.artefacts.urls import unique_urls
from rekenqa.structure.lines import ends_sentence, split_lines
from rekenqa.structure.notes import find_references, footnote_blocks, footnote_text
from rekenqa.structure.page import PageParser
from rekenqa.structure.state import DocState
from rekenqa.types import Block, DocumentStructure, Footnote, Page

logger = logging.getLogger(__name__)


def analyze(pages: Sequence[Page]) -> DocumentStructure:
    """Analyse the repaired pages of one document."""
    if not pages:
        raise ValueError("analyze() needs at least one page")
    doc_id = pages[0].doc_id
    state = DocState(doc_id)
    blocks: list[Block] = []
    footnote_parts: dict[int, tuple[int, list[str]]] = {}
    last_number: int | None = None
    expected = 1
    for page in pages:
        lines = split_lines(page.text)
        raw = page.text.split("\n") if page.blocks_known else [ln.text for ln in lines]
        start, defs = split_footnote_area(raw, expected, marked=page.blocks_known)
        if defs:
            expected = defs[-1] + 1
        parser = PageParser(page, lines[:start], state)
        body_blocks = parser.parse()
        fn_blocks, per_number, continuation = (
            footnote_blocks(page, lines, start, defs) if defs else ([], [], [])
        )
        if continuation and last_number is not None:
            footnote_parts[last_number][1].extend(continuation)
            fn_blocks = [replace(b, label=b.label or str(last_number)) for b in fn_blocks]
        for number, texts in per_number:
            footnote_parts[number] = (page.number, texts)
            last_number = number
        blocks.extend(body_blocks)
        blocks.extend(fn_blocks)
        body_lines = [ln.text for ln in lines[:start] if not ln.blank]
        state.previous_ended = not body_lines or ends_sentence(body_lines[-1])
        state.last_kind = body_blocks[-1].kind if body_blocks else ""
    state.finish_table()
    footnotes = tuple(
        Footnote(doc_id, number, page_no, footnote_text(number, texts), unique_urls(" ".join(texts)))
        for number, (page_no, texts) in sorted(footnote_parts.items())
    )
    references = find_references(doc_id, blocks)
    logger.debug(
        "%s: %d blocks, %d sections, %d footnotes, %d tables, %d captions, %d references",
        doc_id,
        len(blocks),
        len(state.sections),
        len(footnotes),
        len(state.tables),
        len(state.captions),
        len(references),
    )
    return DocumentStructure(
        doc_id=doc_id,
        pages=tuple(pages),
        blocks=tuple(blocks),
        sections=tuple(state.sections),
        footnotes=footnotes,
        tables=tuple(state.tables),
        captions=tuple(state.captions),
        references=tuple(references),
    )
