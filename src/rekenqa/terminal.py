"""What the CLI writes to the terminal: ``say`` and ``say_json``, the one path every command prints through.

Text from documents, questions and claims may hold C0 or C1 control characters or bidi overrides, which a
terminal would obey (move the cursor, recolour, reorder a line); here they are made visible instead.
"""

from __future__ import annotations

import json
import re
from typing import Any

import typer

# ----------------------------------------------------------------------------------------- control characters

# C0 except \t and \n, DEL, C1 (U+0080-U+009F: CSI U+009B starts an escape sequence by itself), and the
# bidi embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069) that reorder what a line shows.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _visible(match: re.Match[str]) -> str:
    code = ord(match[0])
    if code < 0x20:
        return chr(0x2400 + code)  # the Control Pictures block: ESC -> ␛, NUL -> ␀
    if code == 0x7F:
        return "\u2421"  # ␡
    return f"<U+{code:04X}>"  # C1 and bidi controls have no pictures


def terminal_safe(text: str) -> str:
    """``text`` with every control character a terminal would act on replaced by a visible stand-in."""
    return _UNSAFE.sub(_visible, text.replace("\r\n", "\n"))


def say(text: str = "", *, err: bool = False) -> None:
    """Print ``text`` (to stderr with ``err``) with its control characters made visible."""
    typer.echo(terminal_safe(text), err=err)


def say_json(data: Any) -> None:
    """Print ``data`` as JSON. ``json.dumps`` escapes C0 itself; DEL, C1 and bidi controls are escaped here
    (``\\u009b``), which leaves the JSON's value unchanged: they can only occur inside its strings."""
    text = json.dumps(data, ensure_ascii=False, indent=2)
    typer.echo(_UNSAFE.sub(lambda m: f"\\u{ord(m[0]):04x}", text))
