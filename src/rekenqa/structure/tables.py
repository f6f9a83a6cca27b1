"""Rows and header cells of a table from the lines the page parser collected."""

from __future__ import annotations

from rekenqa.structure.lines import is_value


def table_rows(lines: list[str]) -> tuple[tuple[str, ...], ...]:
    """Rows of cells from the lines of a table (blank strings separate cell groups).

    Label-only groups before the first values are header cells (the last of them labels the first row when
    that row has no label of its own); a row is a label followed by its values; values without a label
    continue the previous row.
    """
    groups: list[str] = []
    current: list[str] = []
    for text in [*lines, ""]:
        tokens = text.split()
        own_row = len(tokens) > 1 and not is_value(tokens[0]) and any(is_value(t) for t in tokens)
        if own_row and current:
            groups.append(" ".join(current))  # "Totaal 1006 925 ..." / "man 468 447 ...": a row per line
            current = []
        if text:
            if current and text.startswith("-") and current[-1][-1:].isdigit():
                current[-1] += text  # "2025" + "-Q1"
            else:
                current.append(text)
            if own_row:
                groups.append(" ".join(current))
                current = []
        elif current:
            groups.append(" ".join(current))
            current = []
    header: list[str] = []
    rows: list[list[str]] = []
    for group in groups:
        tokens = group.split()
        first_value = next((k for k, t in enumerate(tokens) if is_value(t)), None)
        if first_value is None:
            if rows:
                rows.append([group])
            else:
                header.append(group)
            continue
        label = " ".join(tokens[:first_value])
        values = tokens[first_value:]
        if label:
            rows.append([label, *values])
        elif rows:
            rows[-1].extend(values)
        elif header:
            rows.append([header.pop(), *values])
        else:
            rows.append(["", *values])
    width = max((len(r) - 1 for r in rows), default=0)
    if header:
        cells = _split_header(header, width)
        return tuple([tuple(cells), *(tuple(r) for r in rows)])
    return tuple(tuple(r) for r in rows)


def _split_header(header: list[str], width: int) -> list[str]:
    """Header cells: split multi-word fragments from the end until they match the value columns."""
    cells = list(header)
    k = len(cells) - 1
    while len(cells) < width + 1 and k >= 0:
        words = cells[k].split()
        if len(words) > 1 and len(cells) - 1 + len(words) <= width + 1:
            cells[k : k + 1] = words
        k -= 1
    if len(cells) == width:
        cells.insert(0, "")
    return cells
