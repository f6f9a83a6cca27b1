"""What the app says when something is wrong: error boxes whose text is data, and the last-resort handler.

Error messages name files, documents and the user's own input, and Streamlit renders every box as Markdown:
``**vet** [x](https://e.nl).txt`` would be shown bold and as a link. So every message goes through
``md_lines`` (escaped, line breaks kept). Nothing the user sees carries a traceback: an unexpected exception
is logged in the server's console and shown as one Dutch sentence (``guarded``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import streamlit as st
from streamlit.logger import get_logger

from rekenqa.render import md_escape, md_lines

# Streamlit's logger writes to the console the app was started from (the package itself only has a
# NullHandler, see STYLE.md): that is where an operator looks for the traceback.
logger = get_logger("rekenqa.app")

SOMETHING_WRONG = (
    "Er ging iets mis bij het tonen van deze pagina. Probeer het opnieuw: klik nog eens, of laad de pagina "
    "opnieuw. Blijft het misgaan, start de app dan opnieuw; de details staan in het venster waarin de app draait."
)
LINK_IGNORED = "Niet alles in deze link kon worden gebruikt; dit is overgeslagen:"


def error(message: object) -> None:
    """An error box whose text is shown literally (a ``RekenQAError`` names files and documents)."""
    st.error(md_lines(str(message)))


def quoted(value: str, limit: int = 40) -> str:
    """A value of the user's, short and escaped, between Dutch quotes: “abc…”."""
    flat = " ".join(value.split())
    short = flat if len(flat) <= limit else flat[: limit - 1] + "…"
    return f"“{md_escape(short)}”"


def link_notice(problems: Sequence[str]) -> None:
    """One small box for the parts of a link that were ignored (``problems`` are Markdown, already escaped)."""
    if problems:
        items = "\n".join(f"- {p}" for p in problems)
        st.info(f"{LINK_IGNORED}\n\n{items}", icon=":material/link_off:")


def guarded(draw: Callable[[], None]) -> None:
    """Run ``draw``; an exception it does not handle is logged and shown as a Dutch box at the top, without
    details. Streamlit's ``st.stop``/``st.rerun`` are not exceptions (``BaseException``) and pass through."""
    top = st.empty()
    try:
        draw()
    except Exception:  # noqa: BLE001 - the last resort: nothing may reach the user as a traceback
        logger.exception("The page failed to draw")
        top.error(SOMETHING_WRONG, icon=":material/error:")
