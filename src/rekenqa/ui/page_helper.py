"""What Streamlit's own elements cannot say: Dutch page language and strings, accessible names, the page viewer
in view, the marked sentence visible and with contrast. One small ``st.components.v2`` component with global CSS
and a script; it renders nothing itself.

Trusted code only: the CSS and script are constants of this file. The data passed at mount time (button keys
and their accessible names, a scroll token) is only ever set through ``setAttribute`` and compared, never
parsed as HTML.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import streamlit as st

# Streamlit's English interface strings the app shows, and their Dutch (text and the attributes title,
# aria-label and placeholder; matched whole, after trimming).
DUTCH: dict[str, str] = {
    "Skip to main content": "Naar de inhoud",
    "Press Enter to submit form": "Druk op Enter om te versturen",
    "Press Enter to apply": "Druk op Enter om toe te passen",
    "Press ⌘+Enter to apply": "Druk op ⌘+Enter om toe te passen",
    "Press Ctrl+Enter to apply": "Druk op Ctrl+Enter om toe te passen",
    "Copy to clipboard": "Kopieer naar het klembord",
    "Copied": "Gekopieerd",
    "Stop": "Stoppen",
    "Running...": "Bezig …",
    "Close": "Sluiten",
    "Search": "Zoeken",
    "Clear": "Wissen",
    "Clear all": "Alles wissen",
    "Download as CSV": "Download als CSV",
    "Fullscreen": "Volledig scherm",
    "Close fullscreen": "Volledig scherm sluiten",
    "Show password text": "Toon tekst",
    "Open sidebar": "Zijbalk openen",
    "Close sidebar": "Zijbalk sluiten",
    "Collapse sidebar": "Zijbalk inklappen",
    "Expand sidebar": "Zijbalk uitklappen",
    "Main menu": "Menu",
    "Send": "Versturen",
    "Send message": "Bericht versturen",
    "Please wait...": "Even geduld …",
    "No results": "Geen resultaten",
    "Choose an option": "Kies een optie",
    "Select all": "Alles kiezen",
    # The table of cited sources (st.dataframe): its toolbar and column menu.
    "Show/hide columns": "Kolommen tonen/verbergen",
    "Sort ascending": "Oplopend sorteren",
    "Sort descending": "Aflopend sorteren",
    "Pin column": "Kolom vastzetten",
    "Unpin column": "Kolom losmaken",
    "Hide column": "Kolom verbergen",
    "Autosize": "Automatische breedte",
}

# The mark of a quoted sentence or a search hit: near-black on a strong yellow (contrast 14:1, WCAG AA needs
# 4.5:1) with a dark outline, so it is found at a glance on white and in the dark theme alike.
MARK_BACKGROUND = "#ffd43b"
MARK_TEXT = "#1a1a1a"
MARK_OUTLINE = "#6b4400"
SELECTED_LIGHT = "#9c1c2b"
SELECTED_DARK = "#ff9aa4"

CSS = f"""
.st-key-rq_helper {{ display: none !important; }}
[class*="st-key-rq_pagebox"] .stMarkdownColoredBackground {{
  background-color: {MARK_BACKGROUND} !important;
  color: {MARK_TEXT} !important;
  outline: 2px solid {MARK_OUTLINE};
  outline-offset: 1px;
  border-radius: 2px;
  scroll-margin: 6rem;
}}
[class*="st-key-rq_viewer_"] {{ scroll-margin-top: 4.5rem; }}
/* Streamlit fades captions to 60 % (3.9:1 on white; AA needs 4.5:1); 80 % gives 6.5:1, in both themes. */
[data-testid="stCaptionContainer"] {{ opacity: 0.8 !important; }}
[data-testid="stMarkdownContainer"] blockquote {{ opacity: 0.85 !important; }}
/* The chosen option of a segmented control: the theme's red on its pale tint is 4.47:1; a darker red 6.9:1. */
@media (prefers-color-scheme: light) {{
  button[data-variant="segmented_control"][aria-checked="true"],
  button[data-variant="segmented_control"][aria-checked="true"] p {{ color: {SELECTED_LIGHT} !important; }}
}}
@media (prefers-color-scheme: dark) {{
  button[data-variant="segmented_control"][aria-checked="true"],
  button[data-variant="segmented_control"][aria-checked="true"] p {{ color: {SELECTED_DARK} !important; }}
}}
/* The speech table: the heads line up with the cells of the bordered rows below them. */
.st-key-rq_speech_head {{ padding: 0 calc(1rem + 1px); }}
/* The speech table: a verdict chip wraps in its cell rather than being cut off. */
[class*="st-key-rq_sv_row_"] [data-testid="stMarkdownContainer"] span {{ white-space: normal !important; }}
/* Wide screens: the viewer stays beside the answer, in view whatever the scroll position. */
@media (min-width: 640px) {{
  [data-testid="stColumn"]:has(.st-key-rq_viewer_side) {{
    position: sticky;
    top: 4rem;
    align-self: flex-start;
    max-height: calc(100vh - 5rem);
    overflow-y: auto;
  }}
  [class*="st-key-rq_viewer_inline"] {{ display: none !important; }}
}}
/* Narrow screens: the viewer opens directly below the clicked citation, not under the whole chat. */
@media (max-width: 639.98px) {{
  [data-testid="stColumn"]:has(.st-key-rq_viewer_side) {{ display: none !important; }}
  .stTabs [role="tablist"] {{ flex-wrap: wrap; row-gap: 0.25rem; }}
  .st-key-rq_speech_head {{ display: none !important; }}
  [class*="st-key-rq_sv_value"] p::before {{ content: "Waarde in het rapport: "; font-weight: 600; }}
  [class*="st-key-rq_sv_reason"] p::before {{ content: "Toelichting: "; font-weight: 600; }}
}}
"""

JS = """
export default function (component) {
  const { data } = component;
  const w = window;
  const dutch = data.dutch || {};
  w.__rqAria = data.aria || {};
  document.documentElement.lang = "nl";

  const translate = (root) => {
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const text = node.nodeValue.trim();
      if (text && Object.prototype.hasOwnProperty.call(dutch, text)) node.nodeValue = dutch[text];
    }
    const attrs = ["title", "aria-label", "placeholder"];
    const elements = root.querySelectorAll ? root.querySelectorAll("[title],[aria-label],[placeholder]") : [];
    for (const el of elements) {
      for (const a of attrs) {
        const v = el.getAttribute(a);
        if (v && Object.prototype.hasOwnProperty.call(dutch, v.trim())) el.setAttribute(a, dutch[v.trim()]);
      }
    }
  };
  const label = () => {
    for (const [key, name] of Object.entries(w.__rqAria)) {
      for (const b of document.querySelectorAll(".st-key-" + CSS.escape(key) + " button")) {
        if (b.getAttribute("aria-label") !== name) b.setAttribute("aria-label", name);
      }
    }
  };
  const tidy = () => {
    if (document.documentElement.lang !== "nl") document.documentElement.lang = "nl";
    translate(document.body);
    label();
  };
  if (!w.__rqObserver) {
    let queued = false;
    w.__rqObserver = new MutationObserver(() => {
      if (queued) return;
      queued = true;
      requestAnimationFrame(() => { queued = false; tidy(); });
    });
    w.__rqObserver.observe(document.body, {
      subtree: true, childList: true, characterData: true, attributes: true,
      attributeFilter: ["title", "aria-label", "placeholder"],
    });
  }
  tidy();

  // The page viewer just opened or moved: bring it into view and scroll its page box to the marked sentence.
  if (data.scroll && w.__rqScrolled !== data.scroll) {
    w.__rqScrolled = data.scroll;
    const started = Date.now();
    const step = () => {
      const viewer = [...document.querySelectorAll('[class*="st-key-rq_viewer_"]')]
        .find((el) => el.offsetParent !== null && el.getClientRects().length);
      const mark = viewer && viewer.querySelector('[class*="st-key-rq_pagebox"] .stMarkdownColoredBackground');
      const ready = viewer && (mark || !data.mark);
      if (!ready) {
        if (Date.now() - started < 4000) setTimeout(step, 100);
        return;
      }
      const r = viewer.getBoundingClientRect();
      if (r.top < 0 || r.top > window.innerHeight - 120) viewer.scrollIntoView({ block: "start" });
      if (mark) {
        let box = mark.parentElement;
        while (box && box !== viewer && !(box.scrollHeight > box.clientHeight + 1 &&
               /(auto|scroll)/.test(getComputedStyle(box).overflowY))) box = box.parentElement;
        if (box && box !== viewer) {
          const m = mark.getBoundingClientRect(), b = box.getBoundingClientRect();
          box.scrollTop += m.top - b.top - box.clientHeight / 4;
        }
      }
      const heading = viewer.querySelector("h4");
      if (heading) { heading.setAttribute("tabindex", "-1"); heading.focus({ preventScroll: true }); }
    };
    setTimeout(step, 50);
  }
}
"""

_helper: Any = None


def _component() -> Any:
    global _helper
    if _helper is None:
        _helper = st.components.v2.component("rekenqa_page_helper", css=CSS, js=JS, isolate_styles=False)
    return _helper


def page_style() -> None:
    """The helper's layout rules at the top of a run, before anything slow is computed: the tabs wrap on a
    phone and the viewer sits right while the first answer is still being looked up (the helper itself mounts
    at the end of the run, when the accessible names of its buttons are known). Style-only HTML takes no
    space in the page."""
    st.html(f"<style>{CSS}</style>")


def page_helper(aria: Mapping[str, str], scroll: int = 0, mark: bool = False) -> None:
    """Mount the helper: ``aria`` maps widget keys to their buttons' accessible names; a new ``scroll`` token
    brings the page viewer into view (and its marked sentence, when ``mark``)."""
    _component()(key="rq_helper", data={"aria": dict(aria), "scroll": scroll, "mark": mark, "dutch": DUTCH})
