"""Plain value types passed between the pipeline stages.

Every type is a frozen, slotted dataclass holding tuples, so values can be shared between threads and
Streamlit sessions without copying. Pages are printed page numbers counted from 1. File names and FAISS row
numbers never appear here: they belong to ``index.py``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal, Protocol

if TYPE_CHECKING:
    import numpy as np

DocKind = Literal["report", "source"]
ChunkKind = Literal["text", "table", "caption", "footnotes"]
ClaimStatus = Literal["supported", "contradicted", "not_in_report"]
QuoteStatus = Literal["exact", "harmless", "altered", "not_found"]
RetrieverMode = Literal["hybrid", "dense", "bm25"]


class DenseIndex(Protocol):
    """A nearest-neighbour index over passage vectors, such as a FAISS inner-product index."""

    def search(self, vectors: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        """The ``k`` best (scores, row ids) for each query vector; id -1 where there are fewer rows."""
        ...


@dataclass(frozen=True, slots=True)
class DocumentInfo:
    """Catalog entry of one document in corpus/."""

    id: str
    title: str
    path: str  # relative to the corpus folder
    publisher: str = ""
    year: int | None = None
    kind: DocKind = "source"
    citation: str = ""  # e.g. "Rekenkamer Haarlemmermeer (2025), Migratie in Haarlemmermeer"
    url: str = ""  # where the document was published, used to match footnotes that cite it


@dataclass(frozen=True, slots=True)
class Page:
    """One page of a document as loaded (raw) or repaired.

    ``number`` is the printed page number used in citations; ``label`` is the printed label when it is not
    that number (a roman numeral from a PDF's page labels, which gets a negative number: see
    :mod:`rekenqa.pdf.labels`).
    """

    doc_id: str
    number: int
    text: str
    label: str = ""
    # The reader knew every block from the fonts (a PDF): a blank line ends each heading, paragraph, caption
    # and table, so a line that runs on into the next is never a heading.
    blocks_known: bool = False
    contents: bool = False  # a table of contents: shown in the page viewer, never a passage or a fact
    note: str = ""  # in Dutch, when the page could not be read: "pagina 12 van x.pdf bevat geen tekst …"

    @property
    def name(self) -> str:
        """How the page is named to a reader: "17", "iii"."""
        return self.label or str(self.number)


@dataclass(frozen=True, slots=True)
class Footnote:
    """A footnote: its number, the page it is printed on, its repaired text and the URLs it cites."""

    doc_id: str
    number: int
    page: int
    text: str
    urls: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Section:
    """A heading: its number ("3.2", "Bijlage 1", "DEEL 2" or ""), title and page."""

    doc_id: str
    number: str
    title: str
    page: int
    level: int = 1
    part: str = ""  # "DEEL 1" / "DEEL 2" / "" for front matter


@dataclass(frozen=True, slots=True)
class Block:
    """A run of repaired text on one page with the same role.

    ``start``/``end`` are offsets into the repaired text of ``page``.
    """

    doc_id: str
    page: int
    kind: Literal["heading", "body", "bullet", "table", "caption", "footnote"]
    text: str
    start: int
    end: int
    footnote_refs: tuple[int, ...] = ()
    label: str = ""  # "Tabel 4", "Grafiek 1", heading number


@dataclass(frozen=True, slots=True)
class Table:
    """A table kept whole: caption, page, and its rows of cells in reading order."""

    doc_id: str
    label: str  # "Tabel 4"
    caption: str
    page: int
    rows: tuple[tuple[str, ...], ...]
    last_page: int = 0


@dataclass(frozen=True, slots=True)
class Reference:
    """An author-year reference in running text such as "(SCP, 2025)"."""

    doc_id: str
    author: str
    year: str
    page: int


@dataclass(frozen=True, slots=True)
class Source:
    """A source the report cites in a footnote, and whether it is present in corpus/."""

    footnote: int
    page: int
    text: str
    urls: tuple[str, ...]
    in_corpus_doc: str | None = None


@dataclass(frozen=True, slots=True)
class DocumentStructure:
    """Everything ``structure.py`` finds in one document."""

    doc_id: str
    pages: tuple[Page, ...]  # repaired pages, footnote area included
    blocks: tuple[Block, ...]
    sections: tuple[Section, ...]
    footnotes: tuple[Footnote, ...]
    tables: tuple[Table, ...]
    captions: tuple[Block, ...]
    references: tuple[Reference, ...]


@dataclass(frozen=True, slots=True)
class Chunk:
    """A retrievable passage.

    ``start`` is an offset into the repaired text of ``first_page`` and ``end`` into that of ``last_page``.
    """

    id: str
    doc_id: str
    text: str
    first_page: int
    last_page: int
    section: str = ""
    footnotes: tuple[int, ...] = ()
    kind: ChunkKind = "text"
    start: int = 0
    end: int = 0
    # (offset in ``text``, printed page) for every page after the first that the passage runs onto.
    page_starts: tuple[tuple[int, int], ...] = ()
    # (page, printed label) of the pages it spans whose label is not their number ("iii").
    labels: tuple[tuple[int, str], ...] = ()

    @property
    def pages(self) -> tuple[int, ...]:
        if not self.page_starts:
            return tuple(range(self.first_page, self.last_page + 1))
        return tuple(sorted({self.first_page, *(n for _, n in self.page_starts), self.last_page}))

    def label_of(self, page: int) -> str:
        """The printed name of one of its pages: "17", "iii"."""
        return next((label for number, label in self.labels if number == page), str(page))

    def page_at(self, offset: int) -> int:
        """The printed page of the character at ``offset`` in ``text``."""
        page = self.first_page
        for start, number in self.page_starts:
            if offset >= start:
                page = number
        return page

    def pages_of(self, start: int, end: int) -> tuple[int, ...]:
        """The printed pages that ``text[start:end]`` lies on."""
        first, last = self.page_at(start), self.page_at(max(start, end - 1))
        return tuple(p for p in range(first, last + 1) if p == first or p == last or any(
            n == p for _, n in self.page_starts))


@dataclass(frozen=True, slots=True)
class Fact:
    """A number in the corpus with what it is about."""

    doc_id: str
    value: float
    text: str  # the number as written, e.g. "18.480" or "11,4 procent"
    unit: str  # "", "%", "euro", "fte", "per 1000 inwoners", "personen", ...
    period: str  # "2023", "2024-Q3", "" when unknown
    subject: tuple[str, ...]  # lowercase content words around the number
    sentence: str
    page: int
    chunk_id: str = ""
    row: str = ""  # table row label, for table cells
    column: str = ""  # table column label, for table cells
    kind: str = "count"  # numbers.Quantity.kind: count, percent, money, fraction, factor, rate, ...
    hedge: str = ""  # "ruim", "bijna", ... as written in the report
    bound: str = "exact"
    decimals: int = 0
    from_value: float | None = None  # for "van 607 naar 1.015"
    # Its frame (frames.Frame): whom, where and what the number is about.
    groups: tuple[str, ...] = ()  # the profile's groups it belongs to
    place: str = ""  # folded place ("haarlemmermeer"), "nederland", "regio"; "" when the sentence names none
    measure: str = ""  # stem of what it counts ("migrant", "woning", "aandeel")
    scope: str = ""  # "total", "part" or ""


@dataclass(frozen=True, slots=True)
class Passage:
    """A chunk as retrieved for a question."""

    chunk: Chunk
    score: float
    dense_rank: int | None = None
    bm25_rank: int | None = None


@dataclass(frozen=True, slots=True)
class Citation:
    """A cited sentence or passage; code maps chunk ids to pages."""

    chunk_id: str
    doc_id: str
    first_page: int
    last_page: int
    quote: str | None = None
    footnotes: tuple[int, ...] = ()  # footnote markers in the quote
    number: int = 0  # its marker in the answer: [1], [2], … (0 when not numbered)
    footnote: int = 0  # the quote is this footnote's text (cited as "voetnoot 32 (p. 33)")
    context: bool = False  # a neighbour the answering sentence leans on, or an item of the list it opens
    part: str = ""  # parts.Part of the quoted sentence
    page_name: str = ""  # the printed name of ``first_page`` when it is not the number ("iii")
    document: str = ""  # the document it stands in, named for a reader, when that is not the report
    also: tuple[int, ...] = ()  # other pages where the report states this very sentence (an appendix repeating it)

    @property
    def page(self) -> str:
        """Its page as printed: "p. 17", "p. 17-18", "p. iii"."""
        first = self.page_name or str(self.first_page)
        return f"p. {first}" if self.first_page == self.last_page else f"p. {first}-{self.last_page}"

    @property
    def label(self) -> str:
        """Where it stands: "p. 17", "p. 17-18", "voetnoot 32 (p. 33)", "p. 95; ook p. 36"; in a source:
        "SCP (2025), Titel, p. 12"."""
        where = f"voetnoot {self.footnote} ({self.page})" if self.footnote else self.page
        where += also_pages(self.also)
        return f"{self.document}, {where}" if self.document else where

    @property
    def cited_pages(self) -> tuple[int, ...]:
        """Every page this citation names: its own and those that state the same sentence."""
        return (*range(self.first_page, self.last_page + 1), *self.also)


def also_pages(pages: Sequence[int]) -> str:
    """The other pages of a repeated sentence, as a citation's suffix: "; ook p. 36" ("" for none)."""
    return f"; ook p. {', '.join(str(p) for p in pages)}" if pages else ""


@dataclass(frozen=True, slots=True)
class LeadRef:
    """Where the number of an answer's lead stands: the fact of the index it names (``series`` charts it)."""

    doc_id: str
    page: int
    text: str  # the number as written in the sentence ("18.480")
    sentence: str


@dataclass(frozen=True, slots=True)
class Answer:
    """An answer built from the report's own sentences, or ``answered=False``."""

    question: str
    text: str
    citations: tuple[Citation, ...]
    passages: tuple[Passage, ...]
    answered: bool
    lead: str = ""
    notes: tuple[str, ...] = ()  # e.g. "De cijfers hebben verschillende peildata."
    sources: tuple[Footnote, ...] = ()
    lead_ref: LeadRef | None = None


@dataclass(frozen=True, slots=True)
class Claim:
    """A claim as analysed for checking."""

    text: str
    numbers: tuple[float, ...] = ()
    years: tuple[int, ...] = ()
    subject: tuple[str, ...] = ()
    direction: Literal["up", "down", ""] = ""


@dataclass(frozen=True, slots=True)
class Evidence:
    """A sentence of the report that backs a verdict."""

    sentence: str
    doc_id: str
    page: int
    chunk_id: str = ""
    page_name: str = ""  # the printed name of ``page`` when it is not the number ("iii")
    document: str = ""  # the document it stands in, named for a reader, when that is not the report

    @property
    def label(self) -> str:
        """Where it stands: "p. 17"; in a source: "SCP (2025), Titel, p. 12"."""
        where = f"p. {self.page_name or self.page}"
        return f"{self.document}, {where}" if self.document else where


@dataclass(frozen=True, slots=True)
class Verdict:
    """The verdict on a claim."""

    claim: Claim
    status: ClaimStatus
    evidence: tuple[Evidence, ...]
    report_value: str
    reason: str
    difference: str = ""
    notes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class DiffOp:
    """One step of a word diff: equal, removed (in the original, not the quote) or added (in the quote)."""

    op: Literal["equal", "removed", "added"]
    text: str


@dataclass(frozen=True, slots=True)
class QuoteVerdict:
    """The verdict on a quote attributed to the report."""

    quote: str
    status: QuoteStatus
    original: str
    pages: tuple[int, ...]
    doc_id: str
    diff: tuple[DiffOp, ...] = ()
    page_names: tuple[str, ...] = ()  # ``pages`` as printed ("17", "iii")
    reason: str = ""
    citation: str = ""
    score: float = 0.0
    changes: tuple[str, ...] = field(default=())


@dataclass(frozen=True, slots=True)
class Profile:
    """What one report knows about its own subject: the ``profile`` of its catalog file in corpus/.

    Words are lowercase with accents folded ("oekrain"), except ``group_words`` (as written in the report).
    """

    places: tuple[str, ...] = ()  # place names a question or claim can be about
    local_names: tuple[str, ...] = ()  # the municipality and its villages: a sentence naming one is local
    regions: tuple[str, ...] = ()  # places that are regions or provinces: a regional figure may be theirs
    implicit_places: tuple[str, ...] = ()  # places a claim may name without narrowing it: the report's setting
    auditee: tuple[str, ...] = ()  # the audited body: "Voldoet Haarlemmermeer ...?" asks for a judgement
    own_names: tuple[str, ...] = ()  # name prefixes of the report's own subject, not constraints on an answer
    groups: tuple[tuple[str, tuple[str, ...]], ...] = ()  # group name and the stems that mention it, in order
    # (group, other group, weak stems): when both are found, drop the other group if only its weak stems matched
    # ("Oekraïense vluchtelingen" are Ukrainians, not asylum seekers).
    group_overlaps: tuple[tuple[str, str, tuple[str, ...]], ...] = ()
    group_words: tuple[str, ...] = ()  # words that name a group of people (a quote may not swap them)
    examples: tuple[str, ...] = ()  # example questions; the first also warms the engine up

    def stems(self, group: str) -> tuple[str, ...]:
        """The stems that mention ``group`` (empty for a group the profile does not know)."""
        return next((stems for name, stems in self.groups if name == group), ())
