"""Dutch descriptions of how a quote differs from the report (pure)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from rekenqa.quotes.words import (
    AFFIRMATIVE,
    FILLER_WORDS,
    NEGATIONS,
    TERMINAL,
    Token,
    is_group,
    is_number,
    is_year,
    split_edges,
)


def pages_label(pages: Sequence[int], name: Callable[[int], str] = str) -> str:
    """ "p. 17", "p. 17-18" or "p. iii", with ``name`` naming a page as printed."""
    if not pages:
        return ""
    if len(pages) == 1:
        return f"p. {name(pages[0])}"
    return f"p. {name(pages[0])}-{name(pages[-1])}"


def surface_differences(pairs: list[tuple[Token, Token]]) -> tuple[bool, bool]:
    """(punctuation differs, capitalisation differs) over aligned report/quote words.

    Punctuation at the quote's edges (quotation marks, brackets, a dash, a missing full stop) does not
    count, except a different sentence ending ("!" for ".").
    """
    if not pairs:
        return False, False
    o_parts: list[str] = []
    q_parts: list[str] = []
    for o, q in pairs:
        q_cmp = q.cmp
        if q.repaired and q_cmp.casefold() == o.cmp.casefold():
            q_cmp = o.cmp  # a repaired glyph carries no capitalisation of its own
        o_parts.append(o.cmp)
        q_parts.append(q_cmp)
    o_str = "".join(o_parts)
    q_str = "".join(q_parts)
    if o_str == q_str:
        return False, False
    _, o_core, o_trail = split_edges(o_str)
    _, q_core, q_trail = split_edges(q_str)
    q_end = [c for c in q_trail if c in TERMINAL]
    punct = bool(q_end) and "..." not in q_trail and q_end[-1] not in o_trail
    if o_core == q_core:
        return punct, False
    o_folded, q_folded = o_core.casefold(), q_core.casefold()
    o_letters = "".join(c for c in o_core if c.isalnum())
    q_letters = "".join(c for c in q_core if c.isalnum())
    case = o_letters != q_letters
    return punct or o_folded != q_folded, case


def _take(pred: Callable[[Token], bool], words: list[Token]) -> list[Token]:
    """Remove and return the words of ``words`` that ``pred`` picks."""
    picked = [t for t in words if pred(t)]
    if picked:
        words[:] = [t for t in words if not pred(t)]
    return picked


def _paired(
    old_left: list[Token], new_left: list[Token], pick: Callable[[Token], bool], kind: Callable[..., str]
) -> list[str]:
    """Changed, left-out and added words that ``pick`` picks, paired in order; ``kind(*tokens)`` names them."""
    out: list[str] = []
    olds = _take(pick, old_left)
    news = _take(pick, new_left)
    for o, n in zip(olds, news, strict=False):
        out.append(f"{kind(o, n)} gewijzigd: {o.word} → {n.word}")
    for o in olds[len(news) :]:
        out.append(f"{kind(o)} weggelaten: {o.word}")
    for n in news[len(olds) :]:
        out.append(f"{kind(n)} toegevoegd: {n.word}")
    return out


def _number_kind(*tokens: Token) -> str:
    return "jaar" if all(is_year(t.key) for t in tokens) else "getal"


def _group_kind(*tokens: Token) -> str:
    return "groep"


def _negations(old_left: list[Token], new_left: list[Token]) -> list[str]:
    """Negations changed (into "wel"), left out or added."""
    out: list[str] = []
    o_neg = _take(lambda t: t.key in NEGATIONS, old_left)
    n_neg = _take(lambda t: t.key in NEGATIONS, new_left)
    if o_neg and not n_neg and any(t.key == AFFIRMATIVE for t in new_left):
        wel = _take(lambda t: t.key == AFFIRMATIVE, new_left)[0]
        out.append(f"ontkenning gewijzigd: {o_neg[0].word.lower()} → {wel.word.lower()}")
        o_neg = o_neg[1:]
    elif n_neg and not o_neg and any(t.key == AFFIRMATIVE for t in old_left):
        wel = _take(lambda t: t.key == AFFIRMATIVE, old_left)[0]
        out.append(f"ontkenning gewijzigd: {wel.word.lower()} → {n_neg[0].word.lower()}")
        n_neg = n_neg[1:]
    o_keys = [t.key for t in o_neg]
    n_keys = [t.key for t in n_neg]
    for t in o_neg:
        if t.key in n_keys:
            n_keys.remove(t.key)
            continue
        out.append(f"ontkenning weggelaten: {t.word.lower()}")
    for t in n_neg:
        if t.key in o_keys:
            o_keys.remove(t.key)
            continue
        out.append(f"ontkenning toegevoegd: {t.word.lower()}")
    return out


def _other_words(old_left: list[Token], new_left: list[Token]) -> list[str]:
    """The words that are no number, negation or group."""
    out: list[str] = []
    if old_left and new_left:
        if len(old_left) == len(new_left):
            for o, n in zip(old_left, new_left, strict=True):
                if o.key != n.key:
                    out.append(f"woord gewijzigd: {o.word} → {n.word}")
        else:
            before = " ".join(t.word for t in old_left)
            after = " ".join(t.word for t in new_left)
            out.append(f"woorden gewijzigd: {before} → {after}")
    elif old_left:
        if len(old_left) == 1 and old_left[0].key in FILLER_WORDS:
            out.append(f"vulwoord weggelaten: {old_left[0].word.lower()}")
        else:
            label = "woord" if len(old_left) == 1 else "woorden"
            out.append(f"{label} weggelaten: {shorten(' '.join(t.word for t in old_left))}")
    elif new_left:
        if len(new_left) == 1 and new_left[0].key in FILLER_WORDS:
            out.append(f"vulwoord toegevoegd: {new_left[0].word.lower()}")
        else:
            label = "woord" if len(new_left) == 1 else "woorden"
            out.append(f"{label} toegevoegd: {shorten(' '.join(t.word for t in new_left))}")
    return out


def describe_op(old: list[Token], new: list[Token]) -> list[str]:
    """Describe one non-equal diff step (report words ``old`` became quote words ``new``)."""
    old_left = list(old)
    new_left = list(new)
    out = _paired(old_left, new_left, lambda t: is_number(t.key), _number_kind)
    out.extend(_negations(old_left, new_left))
    out.extend(_paired(old_left, new_left, lambda t: is_group(t.key), _group_kind))
    out.extend(_other_words(old_left, new_left))
    return out


def shorten(text: str, limit: int = 80) -> str:
    """``text`` cut to ``limit`` characters, with an ellipsis."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
