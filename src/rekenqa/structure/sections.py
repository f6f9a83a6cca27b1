"""The section path above a position in an analysed document."""

from __future__ import annotations

from rekenqa.types import DocumentStructure, Section


def _section_label(section: Section) -> str:
    if section.level == 0:
        return section.number
    if section.number:
        return f"{section.number} {section.title}"
    return section.title


def section_path(structure: DocumentStructure, page: int, offset: int, max_level: int = 2) -> str:
    """The headings above a position, e.g. "DEEL 1 > 3 Asielmigratie in Haarlemmermeer > 3.2 Opvang ...".

    ``max_level`` 3 adds the unnumbered sub-heading; positions before the first heading give "".
    """
    headings = [b for b in structure.blocks if b.kind == "heading"]
    stack: dict[int, Section] = {}
    for block, section in zip(headings, structure.sections, strict=False):
        if (block.page, block.start) > (page, offset):
            break
        for level in [lv for lv in stack if lv >= section.level]:
            del stack[level]
        if section.level == 1 and not section.part:
            stack.pop(0, None)
        stack[section.level] = section
    parts = [_section_label(stack[level]) for level in sorted(stack) if level <= max_level]
    if 0 not in stack:
        for level in sorted(stack):
            if level == 1 and stack[level].part and level <= max_level:
                parts.insert(0, stack[level].part)
                break
    return " > ".join(parts)
