"""Find the structure of one repaired document: blocks, sections, footnotes, tables, captions, references.

Works on the pages that :func:`rekenqa.repair.repair_pages` returns. Every non-blank line of a page belongs to
exactly one :class:`~rekenqa.types.Block`, blocks come in reading order and their offsets are exact
(``page.text[block.start:block.end] == block.text``).

Section numbers: parts are "DEEL 1"/"DEEL 2" (level 0), chapters "3" (level 1), paragraphs "3.2"
(level 2), unnumbered sub-headings level 3; "Voorwoord", "Samenvatting" and "Bijlage 1" are level 1
outside the parts. DEEL 2 restarts its chapters at 1, so a section carries its part; the general chapter
1 before "DEEL 1" is counted in DEEL 1.

Modules: ``lines`` (line model and classifiers), ``page`` (one page's body into blocks), ``state`` (what
carries across pages), ``tables`` (table rows), ``notes`` (footnotes and cited sources), ``document``
(:func:`analyze`), ``sections`` (:func:`section_path`).
"""

from rekenqa.structure.document import analyze
from rekenqa.structure.sections import section_path

__all__ = ["analyze", "section_path"]
