from __future__ import annotations

from rekenqa.chunk import chunk_document
from rekenqa.types import Block, DocumentStructure, Page


def _doc() -> DocumentStructure:
    body3 = " ".join(f"Zin {i} over asielzoekers en werk in Haarlemmermeer." for i in range(40))
    p3 = "2 Aard en omvang\n" + body3 + " De groep\n7 Bron: CBS.\n"
    p4 = "groeide⁷ sterk. Daarna volgt meer.\nTabel 2 Aantallen\nQ1 10\nQ2 20\n"
    pages = (Page("r", 3, p3), Page("r", 4, p4))
    h_end = p3.index("\n")
    b_end = p3.index("\n7 Bron")
    blocks = (
        Block("r", 3, "heading", p3[:h_end], 0, h_end, label="2"),
        Block("r", 3, "body", p3[h_end + 1 : b_end], h_end + 1, b_end),
        Block("r", 3, "footnote", p3[b_end + 1 : -1], b_end + 1, len(p3) - 1),
        Block("r", 4, "body", p4[: p4.index("\nTabel")], 0, p4.index("\nTabel")),
        Block("r", 4, "table", p4[p4.index("Tabel") :], p4.index("Tabel"), len(p4), label="Tabel 2"),
    )
    return DocumentStructure("r", pages, blocks, (), (), (), (), ())


def test_chunks_respect_size_pages_and_tables() -> None:
    chunks = chunk_document(_doc(), min_words=40, max_words=120, overlap=1, section_of=lambda p, o: "DEEL 1 > 2 Aard")
    text_chunks = [c for c in chunks if c.kind == "text"]
    assert all(len(c.text.split()) <= 130 for c in text_chunks)
    last = text_chunks[-1]
    # The sentence that runs over the page break is one sentence spanning pages 3-4.
    assert "De groep groeide⁷ sterk." in last.text
    assert (last.first_page, last.last_page) == (3, 4)
    assert last.page_at(last.text.index("Daarna")) == 4
    assert last.page_at(last.text.index("De groep")) == 3
    assert 7 in last.footnotes
    table = [c for c in chunks if c.kind == "table"]
    assert len(table) == 1 and "Q2 20" in table[0].text and table[0].first_page == 4
    notes = [c for c in chunks if c.kind == "footnotes"]
    assert notes and notes[0].footnotes == (7,)
    # Overlap: consecutive text chunks share a sentence.
    assert text_chunks[0].text.split("\n")[-1] == text_chunks[1].text.split("\n")[0]
    assert len({c.id for c in chunks}) == len(chunks)

