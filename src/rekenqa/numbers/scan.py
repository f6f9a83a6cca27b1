"""``find_numbers`` and ``years_in``: the scanner that applies the rules over the shadow text in order.

Digit numerals and number-word phrases are first found as atoms (``atoms``), after masking what must never
yield a number (``mask``). Composite patterns (dates, periods, ranges, changes, fractions, rates, ...) are
regular expressions over the shadow text, tried in priority order (``periods``, ``amounts``); the first
rule that claims a span wins.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection
from dataclasses import replace

from rekenqa.lexicon import COUNT_NOUNS_AFTER_YEAR
from rekenqa.numbers import amounts, periods
from rekenqa.numbers.atoms import Atom, find_atoms, shadow_text
from rekenqa.numbers.context import YEAR_WORD_BEFORE, is_person_noun, next_word, norm_hedge, norm_unit
from rekenqa.numbers.grammar import ANY_ATOM
from rekenqa.numbers.mask import BLOCK, block_spans
from rekenqa.numbers.quantity import Quantity

# One rule: a pattern over the shadow text, the handler that turns a match into a quantity (or refuses it),
# and a cheap pre-check that must be found in the shadow text before the pattern runs.
Handler = Callable[["Scanner", re.Match[str]], Quantity | None]
Rule = tuple[re.Pattern[str], Handler, re.Pattern[str] | None]

_CONNECTOR = re.compile(r"\s*(?:(?:,|en|of|tot|à|-|–|naar|respectievelijk|resp\.)\s*)+", re.IGNORECASE)


class Scanner:
    """Holds the text, its shadow and the quantities found so far for one ``find_numbers`` call."""

    def __init__(self, text: str, markers: Collection[int]) -> None:
        self.text = text
        masked, self.found = block_spans(text, markers)
        self.masked = masked
        self.taken = [ch == BLOCK for ch in masked]
        for q in self.found:
            self._take(q.start, q.end)
        atoms = find_atoms(masked)
        self.atoms = {a.start: a for a in atoms}
        self.shadow = shadow_text(masked, atoms)

    # -- bookkeeping ----------------------------------------------------------------------------------------

    def _take(self, start: int, end: int) -> None:
        for i in range(start, end):
            self.taken[i] = True

    def free(self, start: int, end: int) -> bool:
        return not any(self.taken[start:end])

    def original(self, m: re.Match[str], group: str) -> str | None:
        """The original text of a group (the match itself is on the shadow text)."""
        if m.group(group) is None:
            return None
        return self.text[m.start(group) : m.end(group)]

    def atom(self, m: re.Match[str], group: str) -> Atom | None:
        if m.group(group) is None:
            return None
        return self.atoms.get(m.start(group))

    def quantity(self, start: int, end: int, value: float, unit: str, kind: str, **kw: object) -> Quantity:
        # Never end a span on whitespace.
        while end > start and self.text[end - 1].isspace():
            end -= 1
        hedge, bound = norm_hedge(kw.pop("hedge_text", None))  # type: ignore[arg-type]
        return Quantity(
            value=float(value),
            text=self.text[start:end],
            start=start,
            end=end,
            unit=unit,
            kind=kind,
            hedge=hedge,
            bound=bound,
            **kw,  # type: ignore[arg-type]
        )

    def run(self, pattern: re.Pattern[str], handler: Handler, needs: re.Pattern[str] | None = ANY_ATOM) -> None:
        """Apply one rule: every match of ``pattern`` on free text that ``handler`` accepts becomes a quantity.

        ``needs`` is a cheap pre-check; the (slower) pattern only runs when it is found in the shadow text.
        """
        if needs is not None and not needs.search(self.shadow):
            return
        pos = 0
        while True:
            m = pattern.search(self.shadow, pos)
            if m is None:
                return
            if m.end() == m.start():
                pos = m.end() + 1
                continue
            q = handler(self, m) if self.free(m.start(), m.end()) else None
            if q is None:
                pos = m.start() + 1
                continue
            self.found.append(q)
            self._take(m.start(), m.end())
            pos = m.end()

    # -- simple quantities ----------------------------------------------------------------------------------

    def simple(
        self, m: re.Match[str], n: str, start: int | None = None, end: int | None = None
    ) -> Quantity | None:
        """The simple quantity of groups ``h{n}``, ``c{n}``, ``a{n}``, ``u{n}`` of a match (see ``grammar.sq``)."""
        atom = self.atom(m, f"a{n}")
        if atom is None:
            return None
        unit_text = m.group(f"u{n}")
        # The article is a number only before a unit of time: "pas een jaar na de aanvraag", "een maand".
        if atom.kind != "num" and not (atom.kind == "article" and unit_text and norm_unit(unit_text)[1] == "duration"):
            return None
        start = m.start() if start is None else start
        end = m.end() if end is None else end
        hedge_text = self.original(m, f"h{n}") if f"h{n}" in m.re.groupindex else None
        cur = m.group(f"c{n}")
        noun = next_word(self.text, end)
        _, bound = norm_hedge(hedge_text)
        if cur or (unit_text and norm_unit(unit_text)[1] == "money"):
            unit, kind = "euro", "money"
        elif unit_text:
            unit, kind = norm_unit(unit_text)
        elif (
            self._year_like(atom, start)
            and not (is_person_noun(noun) or noun in COUNT_NOUNS_AFTER_YEAR)
            and bound in ("exact", "approx")
        ):
            return self.quantity(
                start, end, atom.value, "", "year", hedge_text=hedge_text, period=f"{int(atom.value)}"
            )
        else:
            unit, kind = ("personen" if is_person_noun(noun) else ""), "count"
        return self.quantity(
            start,
            end,
            atom.value,
            unit,
            kind,
            hedge_text=hedge_text,
            decimals=atom.decimals,
            noun="" if unit_text or cur else noun,
        )

    def _year_like(self, atom: Atom, start: int) -> bool:
        """A four-digit year, or a year in words after "in", "sinds", ... ("in tweeduizend drieëntwintig")."""
        if atom.is_year:
            return True
        return (
            atom.word
            and atom.kind == "num"
            and 1900 <= atom.value <= 2100
            and bool(YEAR_WORD_BEFORE.search(self.text[max(0, start - 12) : start]))
        )

    # -- after the rules ------------------------------------------------------------------------------------

    def leftovers(self) -> None:
        """Labels and ordinals no rule claimed become quantities of their own kind."""
        for atom in self.atoms.values():
            if atom.kind in ("label", "ordinal") and self.free(atom.start, atom.end):
                self.found.append(self.quantity(atom.start, atom.end, atom.value, "", atom.kind))
                self._take(atom.start, atom.end)

    def propagate_units(self) -> None:
        """Give bare numbers in a list the unit of the last one: "0,6 en 0,9 naar 1,6 en 2,5 procent"."""
        self.found.sort(key=lambda q: q.start)
        inherited = [False] * len(self.found)
        for i in range(len(self.found) - 2, -1, -1):
            q, nxt = self.found[i], self.found[i + 1]
            if q.kind != "count" or q.unit or q.noun or q.from_value is not None:
                continue
            if nxt.kind not in ("percent", "duration", "rate") and nxt.unit != "fte":
                continue
            gap = self.text[q.end : nxt.start]
            if not gap.strip() or not _CONNECTOR.fullmatch(gap):
                continue
            if gap.strip() == "," and not inherited[i + 1]:
                continue  # "bijna 19.000, nog geen 5 procent": a comma alone does not make a list
            self.found[i] = replace(q, unit=nxt.unit, kind=nxt.kind)
            inherited[i] = True


def _simple(sc: Scanner, m: re.Match[str]) -> Quantity | None:
    return sc.simple(m, "1")


# The rules in priority order: labels, periods and dates first, then changes, factors, fractions, rates,
# ranges, and last any number by itself.
RULES: tuple[Rule, ...] = (
    *periods.LABEL_RULES,
    *periods.PERIOD_RULES,
    *amounts.CHANGE_RULES,
    *amounts.FACTOR_RULES,
    *amounts.FRACTION_RULES,
    *amounts.RATE_RULES,
    *amounts.RANGE_RULES,
    (amounts.ONE_DURATION, _simple, ANY_ATOM),
    (amounts.SIMPLE, _simple, ANY_ATOM),
)


def find_numbers(
    text: str, footnote_markers: Collection[int] = (), *, include_labels: bool = False
) -> list[Quantity]:
    """All quantities in ``text``, in order of position, non-overlapping.

    ``footnote_markers`` are the footnote numbers printed on the page; a marker glued to a word, number,
    percent sign or closing parenthesis ("inwoners7", "18.48094", "(5,1%)8") is removed before parsing.
    Labels ("Tabel 4", "paragraaf 2.3", heading numbers) and ordinals ("5e verdieping") are only returned
    when ``include_labels`` is true, as kind ``"label"`` and ``"ordinal"``.
    """
    if not text:
        return []
    scanner = Scanner(text, frozenset(footnote_markers))
    for pattern, handler, needs in RULES:
        scanner.run(pattern, handler, needs)
    scanner.leftovers()
    scanner.propagate_units()
    found = sorted(scanner.found, key=lambda q: q.start)
    if not include_labels:
        found = [q for q in found if q.kind not in ("label", "ordinal")]
    return found


def years_in(text: str) -> list[int]:
    """The years a text refers to (bare years, periods, dates, quarters), in order, without repeats.

    Years that are part of a name ("Wet inburgering 2021", "Wi2021") are not counted.
    """
    years: list[int] = []
    for q in find_numbers(text):
        found: list[int] = []
        if q.kind == "year":
            found = [int(q.value)]
        elif q.kind in ("period", "date"):
            found = [int(y) for y in re.findall(r"(?<!\d)(\d{4})(?!\d)", q.period)]
        for y in found:
            if y not in years:
                years.append(y)
    return years
