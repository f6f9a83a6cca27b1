"""What the page parser carries from page to page: sections so far and the table being read."""

from __future__ import annotations

from dataclasses import dataclass, field

from rekenqa.structure.tables import table_rows
from rekenqa.types import Block, Section, Table


@dataclass(slots=True)
class TableState:
    label: str
    caption: str
    page: int
    lines: list[str] = field(default_factory=list)
    last_page: int = 0


@dataclass(slots=True)
class DocState:
    doc_id: str
    sections: list[Section] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    captions: list[Block] = field(default_factory=list)
    table: TableState | None = None
    part: str = ""
    seen_part: bool = False
    front: bool = False
    last_kind: str = ""
    previous_ended: bool = True

    def add_section(
        self, number: str, title: str, page: int, level: int, front: bool = False, appendix: bool = False
    ) -> None:
        if level == 0:
            self.part = number
            self.seen_part = True
        if front:
            self.front = True
        elif level <= 1:
            self.front = False
        part = "" if self.front or appendix else self.part
        if not part and not self.front and not appendix and not self.seen_part and level > 0:
            part = "DEEL 1"  # the general introduction counts in DEEL 1 (DEEL 2 restarts at 1)
        if appendix:
            self.part = ""
        self.sections.append(Section(self.doc_id, number, title, page, level, part))

    def finish_table(self) -> None:
        state = self.table
        if state is None:
            return
        self.table = None
        self.tables.append(
            Table(
                doc_id=self.doc_id,
                label=state.label,
                caption=state.caption,
                page=state.page,
                rows=table_rows(state.lines),
                last_page=state.last_page or state.page,
            )
        )
