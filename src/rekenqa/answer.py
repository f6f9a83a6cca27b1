"""Scored sentences -> a Dutch extractive answer with page citations, or ``answered=False`` (pure)."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from rekenqa import lead as leads
from rekenqa.artefacts.markers import marker_numbers, strip_markers
from rekenqa.lexical import fold
from rekenqa.numbers import Quantity, find_numbers, format_number, years_in
from rekenqa.question import QuestionInfo
from rekenqa.retrieve import Sentence
from rekenqa.sentences import split_sentences
from rekenqa.types import Answer, Chunk, Citation, Footnote, LeadRef, Passage, Profile

logger = logging.getLogger(__name__)

REFUSAL = "Het rapport geeft hierover geen informatie."

FootnoteLookup = Callable[[str, int], Footnote | None]
# A chosen sentence -> the sentences it leans on (before) and the list items it introduces (after).
Expand = Callable[[Sentence, QuestionInfo], tuple[list[Sentence], list[Sentence]]]
Order = Callable[[Sentence], tuple[int, ...]]  # a sentence's position in the report
DocumentName = Callable[[str], str]  # a document id -> how a citation names it ("" for the report)
Repeats = Callable[[Sentence], set[int]]  # the pages of a document that state this sentence (word for word)


def chunk_page(chunk: Chunk, page: int) -> str:
    """One printed page of a passage: "p. 17", "p. iii"."""
    return f"p. {chunk.label_of(page)}"


def chunk_pages(chunk: Chunk) -> str:
    """The printed pages of a passage: "p. 17", "p. 17-18", "p. iii"."""
    first = chunk.label_of(chunk.first_page)
    return f"p. {first}" if chunk.first_page == chunk.last_page else f"p. {first}-{chunk.label_of(chunk.last_page)}"


@dataclass(frozen=True, slots=True)
class Evidence:
    """How well the retrieved sentences answer a question: what the refusal decision looks at."""

    top_score: float  # best sentence score overall
    fitting: tuple[Sentence, ...]  # strong candidates that meet the question's constraints, best first
    gap: bool  # the best fitting sentence's passage misses an uncommon question word
    chosen: tuple[Sentence, ...] = ()  # the sentences an answer would cite
    amount: bool = True  # for number and money questions: the chosen sentences hold such an amount
    named: bool = True  # for "Welke wethouder …?": the chosen sentences name a person in that role
    pick: leads.Pick | None = None  # the number of the chosen sentences whose frame fits the question

    def answers(self, threshold: float, gap_threshold: float) -> bool:
        if not self.fitting or self.top_score < threshold or not self.amount or not self.named:
            return False
        return not (self.gap and self.fitting[0].score < gap_threshold)


# How many of the best fitting sentences (their passages) must together cover the question's uncommon words.
GAP_PASSAGES = 3


def weigh(
    info: QuestionInfo,
    sentences: Sequence[Sentence],
    window: float = 0.15,
    margin: float = 0.08,
    max_sentences: int = 3,
    profile: Profile | None = None,
) -> Evidence:
    if not sentences:
        return Evidence(0.0, (), False)
    floor = sentences[0].score - window
    fitting = tuple(s for s in sentences if s.score >= floor and satisfies(info, s))
    # A question word that none of the strongest fitting passages mentions: they are about something else.
    gap = bool(fitting) and bool(uncovered(info, *fitting[:GAP_PASSAGES]))
    chosen = choose(body_first(info, fitting, margin), margin, max_sentences)
    # "Wat kost …?" met by numbers of places, "Hoeveel …?" by only a year, or by numbers none of which has
    # the question's frame (its group, place, year, what it counts): the report has sentences about the
    # subject but not the amount asked for.
    pick = leads.pick(info, chosen, profile or Profile())  # the lead, picked once
    amount = _has_amount(info, chosen) and (pick is not None or not leads.asks_amount(info))
    return Evidence(sentences[0].score, fitting, gap, chosen, amount, _names_person(info, chosen), pick)


def choose(fitting: Sequence[Sentence], margin: float, max_sentences: int) -> tuple[Sentence, ...]:
    """The sentences to cite: the best, and those within ``margin`` of it (no repeats), at most ``max_sentences``."""
    chosen: list[Sentence] = []
    seen: set[str] = set()
    for sentence in fitting:
        key = _key(sentence.text)
        if key in seen:
            continue
        if chosen and (sentence.score < chosen[0].score - margin or len(chosen) >= max_sentences):
            break
        seen.add(key)
        chosen.append(sentence)
    return tuple(chosen)


# Why a question about a subject the report does discuss still gets no answer (a refusal's note).
NO_FITTING_AMOUNT = (
    "Het rapport gaat wel over dit onderwerp, maar noemt geen getal dat bij de vraag past "
    "(de gevraagde groep, plaats, periode of wat er geteld wordt)."
)
NO_PERSON_NAMED = "Het rapport noemt geen namen van personen in deze functie."


def refusal_note(evidence: Evidence, threshold: float, gap_threshold: float) -> str:
    """What a refusal adds when the report discusses the subject but lacks what the question's form asks."""
    close = bool(evidence.fitting) and evidence.top_score >= threshold
    if not close or (evidence.gap and evidence.fitting[0].score < gap_threshold):
        return ""
    if not evidence.named:
        return NO_PERSON_NAMED
    return NO_FITTING_AMOUNT if not evidence.amount else ""


def refuse(question: str, passages: Sequence[Passage], nearest: int = 3, note: str = "") -> Answer:
    """The explicit 'not in the report' answer (with ``note``: why) with the nearest passages and their pages."""
    lines = [REFUSAL, note] if note else [REFUSAL]
    shown = list(passages[:nearest])
    if shown:
        lines.append("")
        lines.append("Dichtstbijzijnde passages:")
        for passage in shown:
            chunk = passage.chunk
            snippet = " ".join(chunk.text.split())
            snippet = snippet if len(snippet) <= 220 else snippet[:217].rsplit(" ", 1)[0] + " …"
            lines.append(f"- {snippet} ({chunk_pages(chunk)})")
    return Answer(
        question=question,
        text="\n".join(lines),
        citations=(),
        passages=tuple(passages),
        answered=False,
        notes=(note,) if note else (),
    )


def compose(
    question: str,
    info: QuestionInfo,
    passages: Sequence[Passage],
    sentences: Sequence[Sentence],
    threshold: float,
    footnote: FootnoteLookup | None = None,
    max_sentences: int = 3,
    margin: float = 0.08,
    window: float = 0.15,
    gap_threshold: float = 0.0,
    profile: Profile | None = None,
    expand: Expand | None = None,
    order: Order | None = None,
    document: DocumentName | None = None,
    repeats: Repeats | None = None,
) -> Answer:
    """Build the answer: a lead for number/date questions, then the cited sentences verbatim, numbered, in
    the report's order (``order``), each with what it leans on (``expand``), then footnote sources.

    Only sentences that satisfy the question's hard constraints (asked year, quarter, place, names; the
    asked group somewhere in their passage) can answer it: when none of the strong candidates does, the
    report does not answer this question, however similar its wording. A footnote answers only when no
    sentence of the running text does, or when a term or a source is asked.
    """
    evidence = weigh(info, sentences, window, margin, max_sentences, profile)
    if not evidence.answers(threshold, gap_threshold):
        return refuse(question, passages, note=refusal_note(evidence, threshold, gap_threshold))
    chosen = evidence.chosen
    lead, ref = _lead(evidence.pick, document)
    citations = cite(info, chosen, expand, order, document, restated=sentences, repeats=repeats)
    notes = _notes(info, chosen)
    sources = _sources(citations, footnote)
    return replace(_assemble(question, lead, citations, notes, sources, passages), lead_ref=ref)


# A question about a source or a footnote itself: footnotes may lead its answer.
_ASKS_SOURCE = re.compile(r"\b(bron\w*|voetnoot\w*|verwijz\w*|website|link|publicatie\w*)\b")


def body_first(info: QuestionInfo, sentences: Sequence[Sentence], margin: float) -> list[Sentence]:
    """The scored sentences without footnotes when the running text answers about as well as a footnote."""
    if info.answer_type == "definition" or info.intent == "definitie" or _ASKS_SOURCE.search(fold(info.text)):
        return list(sentences)
    if not sentences:
        return []
    best = sentences[0].score
    body = [s for s in sentences if s.chunk.kind != "footnotes"]
    if body and body[0].score >= best - margin:
        return body
    return list(sentences)


_FOOTNOTE_NUMBER = re.compile(r"^(\d{1,4})\s+(?=\S)")
LONG_FOOTNOTE = 320  # characters; a longer footnote is quoted by its sentence that answers


def cite(
    info: QuestionInfo,
    chosen: Sequence[Sentence],
    expand: Expand | None = None,
    order: Order | None = None,
    document: DocumentName | None = None,
    restated: Sequence[Sentence] = (),
    repeats: Repeats | None = None,
) -> tuple[Citation, ...]:
    """The citations of the chosen sentences and their neighbours, numbered [1], [2], … in report order.
    A sentence the document states word for word on other pages (``repeats``, else as found among the scored
    sentences ``restated``) names those pages too ("p. 95; ook p. 36": the appendix repeats a definition)."""
    picked: list[tuple[Sentence, bool]] = []
    seen: set[str] = set()
    found: dict[tuple[str, str], set[int]] = {}
    for other in restated if repeats is None else ():
        if other.chunk.kind != "footnotes":
            found.setdefault((other.chunk.doc_id, repeat_key(other.text)), set()).add(other.page)

    def pages_of(sentence: Sentence) -> set[int]:
        if repeats is not None:
            return repeats(sentence)
        return found.get((sentence.chunk.doc_id, repeat_key(sentence.text)), set())

    def add(sentence: Sentence, context: bool) -> None:
        key = _key(sentence.text)
        if key not in seen:
            seen.add(key)
            picked.append((sentence, context))

    for sentence in chosen:
        before, after = expand(sentence, info) if expand is not None else ([], [])
        for other in before:
            add(other, True)
        add(sentence, False)
        for other in after:
            add(other, True)
    if order is not None:
        # Running text in the report's order, footnotes after it.
        picked.sort(key=lambda item: (item[0].chunk.kind == "footnotes", order(item[0])))
    out = []
    for number, (sentence, context) in enumerate(picked, start=1):
        quote, note = sentence.text, 0
        if sentence.chunk.kind == "footnotes":
            match = _FOOTNOTE_NUMBER.match(quote)
            if match:
                note, quote = int(match.group(1)), quote[match.end() :]
                quote = _answering_part(quote, info)
        name = sentence.chunk.label_of(sentence.page)
        also = () if note else tuple(sorted(pages_of(sentence) - {sentence.page}))
        out.append(
            Citation(
                chunk_id=sentence.chunk.id,
                doc_id=sentence.chunk.doc_id,
                first_page=sentence.page,
                last_page=sentence.page,
                quote=quote,
                footnotes=marker_numbers(quote),
                number=number,
                footnote=note,
                context=context,
                part=sentence.part,
                page_name="" if name == str(sentence.page) else name,
                document=document(sentence.chunk.doc_id) if document is not None else "",
                also=also,
            )
        )
    return tuple(out)


def _key(text: str) -> str:
    """A sentence as compared for repeats among the chosen: without markers, lowercase, single spaces."""
    return " ".join(strip_markers(text).lower().split())


_BULLET = re.compile(r"^[\s•●▪◦·*\-–—]+|[\s.;:,]+$")


def repeat_key(text: str) -> str:
    """A sentence as compared with its repeats elsewhere in the report: also without a list bullet or the
    punctuation that ends it ("• Gezinsmigratie: … gezinshereniging" is "Gezinsmigratie: … gezinshereniging.")."""
    return _BULLET.sub("", _key(text))


def _answering_part(text: str, info: QuestionInfo) -> str:
    """A long footnote's sentence that shares most words with the question (verbatim); a short one whole."""
    if len(text) <= LONG_FOOTNOTE:
        return text
    spans = split_sentences(text)
    if len(spans) < 2:
        return text
    asked = set(re.findall(r"\w{4,}", fold(info.text)))

    def shared(span_text: str) -> int:
        words = set(re.findall(r"\w{4,}", fold(span_text)))
        return sum(1 for w in asked if w in words or any(x.startswith(w[:5]) for x in words))

    best = max(spans, key=lambda span: (shared(span.text), -span.start))
    return text[best.start : best.end].strip()


def _sources(citations: Sequence[Citation], footnote: FootnoteLookup | None) -> tuple[Footnote, ...]:
    """The footnotes that the cited sentences point to (not those quoted themselves)."""
    if footnote is None:
        return ()
    sources: list[Footnote] = []
    quoted = {(c.doc_id, c.footnote) for c in citations if c.footnote}
    for c in citations:
        for number in c.footnotes:
            note = footnote(c.doc_id, number)
            if note is not None and note not in sources and (note.doc_id, note.number) not in quoted:
                sources.append(note)
    return tuple(sources)


def citation_line(citation: Citation) -> str:
    """One numbered cited sentence: [1] “…” (p. 17)."""
    marker = f"[{citation.number}] " if citation.number else ""
    if citation.footnote:
        return f"{marker}{citation.label}: “{citation.quote}”"
    return f"{marker}“{citation.quote}” ({citation.label})"


def source_line(note: Footnote) -> str:
    return f"voetnoot {note.number} (p. {note.page}): {note.text}"


def _assemble(
    question: str,
    lead: str,
    citations: Sequence[Citation],
    notes: Sequence[str],
    sources: Sequence[Footnote],
    passages: Sequence[Passage],
) -> Answer:
    """The answer as one piece, top-down: lead, numbered citations, notes, sources."""
    parts = [lead] if lead else []
    parts.extend(citation_line(c) for c in citations)
    parts.extend(notes)
    if sources:
        parts.append("Bronnen:\n" + "\n".join(f"- {source_line(n)}" for n in sources))
    return Answer(
        question=question,
        text="\n\n".join(parts),
        citations=tuple(citations),
        passages=tuple(passages),
        answered=True,
        lead=lead,
        notes=tuple(notes),
        sources=tuple(sources),
    )


_ORDINALS = {1: "eerste", 2: "tweede", 3: "derde", 4: "vierde"}


def satisfies(info: QuestionInfo, sentence: Sentence) -> bool:
    """Does the sentence (with the line before it) meet the question's year, quarter, place and name?"""
    lines = sentence.chunk.text.split("\n")
    prev = lines[sentence.line - 1] if sentence.line > 0 else ""
    if sentence.chunk.kind == "table":
        prev = lines[0]
    near = fold(f"{prev} {sentence.text}")
    passage = fold(f"{sentence.chunk.section} {sentence.chunk.text}")
    for asked_year in info.years:
        if str(asked_year) not in near:
            return False
    for quarter in info.quarters:
        q_year, _, q = quarter.partition("-")
        number = int(q[1:]) if q else int(q_year[1:])
        if not q_year or not q:
            q_year = ""
        options = [f"{q_year}-q{number}" if q_year else f"-q{number}", f"{_ORDINALS[number]} kwartaal"]
        if not any(o in near for o in options):
            return False
    for place in info.places:
        if place not in info.implicit_places and not re.search(rf"\b{re.escape(place)}\b", near):
            return False
    for name in info.names:
        if name not in passage:
            return False
    for group in info.groups:
        if not any(stem in passage for stem in info.stems(group)):
            return False
    return True


def uncovered(info: QuestionInfo, *sentences: Sentence) -> list[str]:
    """Uncommon question words that none of the sentences' passages mentions (prefix match for inflection)."""
    passage = " ".join(fold(f"{s.chunk.section} {s.chunk.text}") for s in sentences)
    prefixes = {w[:5] for w in re.findall(r"[^\W\d_]{5,}", passage)}
    return [w for w in info.salient if w not in passage and w[:5] not in prefixes]


# The kinds of quantity that can answer a question type at all (looser than lead.KINDS_FOR_TYPE).
_AMOUNT_KINDS = {
    "number": ("count", "rate", "money", "percent", "fraction", "factor", "duration", "period"),
    "money": ("money",),
}


def _has_amount(info: QuestionInfo, chosen: Sequence[Sentence]) -> bool:
    """Do the chosen sentences hold a quantity of the kind a number or money question asks for?"""
    kinds = _AMOUNT_KINDS.get(info.answer_type)
    if not kinds:
        return True
    for sentence in chosen:
        text = strip_markers(sentence.text)
        if sentence.chunk.kind == "footnotes":
            text = _FOOTNOTE_NUMBER.sub("", text)  # a footnote line starts with its own number
        if any(q.kind in kinds for q in find_numbers(text)):
            return True
    return False


# "Welke wethouder …?", "Wie is de burgemeester?", "Hoe heet de directeur …?": the name of a person in a role.
_ROLE = (
    r"(?:wethouders?|burgemeester|gedeputeerden?|ministers?|staatssecretaris(?:sen)?|ambtena(?:ar|ren)"
    r"|directeur(?:en|s)?|voorzitter|raadsleden|raadslid|woordvoerders?|contactpersoon|projectleiders?|locatiemanager)"
)
_ASKS_PERSON = re.compile(
    rf"^\s*(?:en\s+)?(?:welke?\s+{_ROLE}|wie\s+(?:is|was|zijn|waren)\s+(?:de|het|onze)\s+{_ROLE}"
    rf"|hoe\s+heet\s+(?:de|het|onze)\s+{_ROLE}|wat\s+is\s+de\s+naam\s+van\s+(?:de|het|onze)\s+{_ROLE})\b"
)
# A person named in a sentence: a role or title followed by a name ("wethouder Jansen", "mevrouw De Vries").
_PERSON = re.compile(
    r"\b(?i:wethouder|burgemeester|gedeputeerde|minister|staatssecretaris|directeur|voorzitter|woordvoerder"
    r"|mevrouw|meneer|mw\.|dhr\.|de heer)\s+"
    # initials and particles ("J. van der Berg", "Van der Berg"); "wethouder van Wonen" names a portfolio
    r"(?:(?:[A-Z]\.\s*)+(?:(?:van|de|der|den|ter|ten)\s+)*|(?:Van|De|Ter|Ten)\s+(?:(?:der|den|de)\s+)?)?[A-Z][a-z]+"
)


def _names_person(info: QuestionInfo, chosen: Sequence[Sentence]) -> bool:
    """A question for the name of a person in a role needs a sentence that names one."""
    if not _ASKS_PERSON.search(fold(info.text)):
        return True
    return any(_PERSON.search(strip_markers(s.text)) for s in chosen)


def _lead(best: leads.Pick | None, document: DocumentName | None = None) -> tuple[str, LeadRef | None]:
    """One sentence that states the answer: the number whose frame matches the question (``lead.pick``), and
    where that number stands."""
    if best is None:
        return "", None
    quantity, sentence = best.quantity, best.sentence
    phrase = quantity.text.strip()
    if quantity.noun and quantity.noun.lower() not in phrase.lower():
        phrase = f"{phrase} {quantity.noun}"
    period = best.frame.period
    when = f" ({period})" if period and period not in phrase else ""
    source = (document(sentence.chunk.doc_id) if document is not None else "") or "het rapport"
    ref = LeadRef(sentence.chunk.doc_id, sentence.page, quantity.text, strip_markers(sentence.text))
    return f"Volgens {source}: {phrase}{when} ({chunk_page(sentence.chunk, sentence.page)}).", ref


def _notes(info: QuestionInfo, chosen: Sequence[Sentence]) -> list[str]:
    """Warn when the cited figures have different dates or the report gives two values for one thing."""
    notes: list[str] = []
    if info.answer_type not in ("number", "percent", "money") or len(chosen) < 2:
        return notes
    periods: dict[str, int] = {}
    values: dict[tuple[str, str, str], list[tuple[Quantity, int]]] = {}
    for sentence in chosen:
        text = strip_markers(sentence.text)
        years = sorted(set(years_in(text)))
        if len(years) == 1:
            periods.setdefault(str(years[0]), sentence.page)
        for q in find_numbers(text):
            if q.kind not in ("count", "percent", "money"):
                continue
            noun = re.match(r"\s*([^\W\d]\w+)", text[q.end :])
            key = (q.unit, q.period or (str(years[0]) if len(years) == 1 else ""), noun.group(1).lower() if noun else "")
            if key[1] and key[2]:
                values.setdefault(key, []).append((q, sentence.page))
    if len(periods) > 1:
        listing = ", ".join(f"{p} (p. {page})" for p, page in sorted(periods.items()))
        notes.append(f"Let op: de cijfers hebben verschillende peildata: {listing}.")
    for (_unit, period, subject), found in values.items():
        distinct = {q.value for q, _ in found}
        if len(distinct) > 1:
            listing = " en ".join(f"{format_number(q.value, q.decimals)} (p. {page})" for q, page in found)
            notes.append(f"Let op: het rapport noemt voor {subject} in {period} verschillende waarden: {listing}.")
    return notes


def merge(question: str, parts: Sequence[Answer]) -> Answer:
    """One answer for a question asked in parts ("Hoeveel X en hoeveel Y?"): all answered parts together."""
    answered = [a for a in parts if a.answered]
    if not answered:
        return Answer(question, parts[0].text, (), parts[0].passages, False, notes=parts[0].notes)
    citations: list[Citation] = []
    for part in answered:
        citations.extend(c for c in part.citations if c.quote not in {x.quote for x in citations})
    citations = [replace(c, number=i) for i, c in enumerate(citations, start=1)]
    leads = [a.lead for a in answered if a.lead]
    notes = [n for a in answered for n in a.notes]
    sources: list[Footnote] = []
    for a in answered:
        sources.extend(n for n in a.sources if n not in sources)
    missing = [a.question for a in parts if not a.answered]
    if missing:
        notes.append("Over dit deel van de vraag geeft het rapport geen informatie: " + "; ".join(missing))
    passages = tuple(p for a in parts for p in a.passages)
    merged = _assemble(question, "\n\n".join(leads), citations, notes, sources, passages)
    ref = next((a.lead_ref for a in answered if a.lead_ref), None)
    return replace(merged, lead=" ".join(leads), lead_ref=ref)


NOT_IN_REPORT_BUT_SOURCE = "Het rapport zelf geeft hierover geen informatie; een geciteerde bron wel."


def combine(report: Answer, sources: Answer) -> Answer:
    """The report's answer first, then what the cited sources say, named (either may be a refusal)."""
    if not sources.answered:
        return report
    if not report.answered:
        notes = [NOT_IN_REPORT_BUT_SOURCE, *sources.notes]
        alone = _assemble(
            sources.question, sources.lead, sources.citations, notes, sources.sources, (*report.passages, *sources.passages)
        )
        return replace(alone, lead_ref=sources.lead_ref)
    quoted = {c.quote for c in report.citations}
    extra = [c for c in sources.citations if c.quote not in quoted]
    citations = [*report.citations, *(replace(c, number=len(report.citations) + i) for i, c in enumerate(extra, 1))]
    merged = _assemble(
        report.question,
        report.lead,
        citations,
        [*report.notes, *sources.notes],
        [*report.sources, *(n for n in sources.sources if n not in report.sources)],
        (*report.passages, *sources.passages),
    )
    return replace(merged, lead_ref=report.lead_ref)
