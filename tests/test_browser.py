"""The app in a real browser: Debian's headless Chromium driven by Playwright, at 1440 px and 390 px.

What only a browser shows: where the page viewer opens and whether the marked sentence is in sight, the
contrast of the mark, what a long paste does, whether the chat survives a reload, how the speech table reads,
and whether the page is Dutch and accessible (axe-core, from the axe-playwright-python wheel).

Screenshots go to ``$REKENQA_SCREENSHOTS`` (``docs/screenshots/browser`` when refreshing the docs) or to the
test's temporary folder. Without Chromium the suite is skipped, except in CI (``CI=true``), where the setup
installs it and a missing browser fails the run.
"""

from __future__ import annotations

import os
import re
import urllib.parse
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from browser import (
    CHROMIUM_FLAGS,
    NARROW,
    WIDE,
    app_server,
    ask,
    chromium_path,
    in_viewport,
    settled_texts,
    visible_in_scroll_box,
    wait_idle,
)

sync_api = pytest.importorskip("playwright.sync_api")

pytestmark = [pytest.mark.model, pytest.mark.browser]

QUESTIONS = (
    "Hoeveel migranten woonden er in 2023 in Haarlemmermeer?",
    "Hoeveel statushouders moest de gemeente in 2023 huisvesten?",
    "Wat adviseert de rekenkamer over de opvang van asielzoekers?",
)
SPEECH = (
    "Voorzitter, in 2023 woonden er 18.480 migranten in Haarlemmermeer. In 2019 woonden er 18.480 migranten "
    "in Haarlemmermeer. Het aantal migranten is sinds 2015 gedaald. Gezinsmigranten zijn met ruim 43 procent de "
    "grootste groep. Volgens de rekenkamer is de criminaliteit rond azc's met 40 procent gestegen."
)
# Streamlit's English interface strings that must not reach the user (the page helper translates them).
ENGLISH = re.compile(
    r"\b(Press Enter|Copy to clipboard|Skip to main content|Running|Stop|Download as|Fullscreen|Search|Close|"
    r"Clear|Deploy|Main menu|Send message|Choose an option|No results|Please wait|Show/hide columns|Sort)\b"
)
CONTRAST = """el => {
  const parse = c => c.match(/[\\d.]+/g).slice(0, 3).map(Number);
  const lum = rgb => { const [r, g, b] = rgb.map(v => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; });
                        return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
  const s = getComputedStyle(el);
  const [a, b] = [lum(parse(s.color)), lum(parse(s.backgroundColor))].sort((x, y) => y - x);
  return { ratio: (a + 0.05) / (b + 0.05), outline: s.outlineStyle, outlineWidth: parseFloat(s.outlineWidth) };
}"""


def shots_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = os.environ.get("REKENQA_SCREENSHOTS")
    path = Path(target) if target else tmp_path_factory.mktemp("screenshots")
    path.mkdir(parents=True, exist_ok=True)
    return path


@pytest.fixture(scope="module")
def browser_app(real_engine, real_settings, tmp_path_factory) -> Iterator[dict[str, Any]]:
    """The app on the session's real index, and a Chromium to look at it."""
    chromium = chromium_path()
    if chromium is None:
        if os.environ.get("CI"):
            pytest.fail("Chromium ontbreekt: installeer het met `bash scripts/setup.sh --tests`.")
        pytest.skip("Chromium ontbreekt (apt-get install chromium, of bash scripts/setup.sh --tests)")
    env = {
        "REKENQA_INDEX_DIR": str(real_settings.index_dir),
        "REKENQA_CORPUS_DIR": str(real_settings.corpus_dir),
        "REKENQA_CACHE_DIR": str(real_settings.cache_dir),
    }
    log = tmp_path_factory.mktemp("app") / "streamlit.log"
    with app_server(log, env=env) as base, sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_FLAGS)
        try:
            yield {"base": base, "browser": browser, "shots": shots_dir(tmp_path_factory)}
        finally:
            browser.close()


def open_page(app: dict[str, Any], size: dict[str, int], path: str = "/", wait_for: str = "") -> Any:
    page = app["browser"].new_page(viewport=size, locale="nl-NL")
    page.goto(app["base"] + path)
    page.locator('[data-testid="stChatInputTextArea"], [data-testid="stTabs"]').first.wait_for(timeout=120_000)
    if wait_for:
        page.get_by_text(wait_for).first.wait_for(timeout=120_000)
    wait_idle(page, 120)
    return page


def shot(app: dict[str, Any], page: Any, name: str, full: bool = False) -> None:
    page.screenshot(path=str(app["shots"] / f"{name}.png"), full_page=full)


def visible_citations(page: Any) -> Any:
    return page.locator("button:visible", has_text=re.compile(r"^\[\d+\] (vn\. \d+, )?p\. "))


def viewer_ready(page: Any) -> None:
    page.locator('[class*="st-key-rq_pagebox"] .stMarkdownColoredBackground:visible').first.wait_for(timeout=30_000)
    page.wait_for_timeout(600)  # the helper scrolls after the page has been drawn


# ----------------------------------------------------------------------------- citations


def test_wide_citation_opens_in_view_with_a_visible_mark(browser_app) -> None:
    page = open_page(browser_app, WIDE)
    for question in QUESTIONS:
        ask(page, question)
    cites = visible_citations(page)
    last = cites.nth(cites.count() - 1)
    last.scroll_into_view_if_needed()
    page.mouse.wheel(0, 2000)  # the reader is at the bottom of a long chat
    last.click()
    viewer_ready(page)
    shot(browser_app, page, "breed-citaat-open")
    heading = page.locator(".st-key-rq_viewer_side h4").first
    assert in_viewport(page, heading), "the viewer's heading is out of sight"
    mark = page.locator(".st-key-rq_viewer_side .stMarkdownColoredBackground").first
    assert visible_in_scroll_box(mark) and in_viewport(page, mark), "the marked sentence is out of sight"
    look = mark.evaluate(CONTRAST)
    assert look["ratio"] >= 4.5 and look["outline"] != "none" and look["outlineWidth"] >= 1, look
    # The citation button is named for a screen reader: the page and the start of the quote.
    assert re.fullmatch(r"Open pagina \d+: .+", last.get_attribute("aria-label") or "")
    # Another page from far down the chat: the viewer stays in view (sticky beside the answer).
    first = cites.nth(0)
    first.scroll_into_view_if_needed()
    first.click()
    viewer_ready(page)
    assert in_viewport(page, page.locator(".st-key-rq_viewer_side h4").first)
    page.close()


def test_phone_citation_opens_below_it_and_the_tabs_fit(browser_app) -> None:
    page = open_page(browser_app, NARROW, "/?tab=vraag&q=" + urllib.parse.quote(QUESTIONS[0]), wait_for="[1]")
    shot(browser_app, page, "mobiel-tabs")
    for tab in page.get_by_role("tab").all():
        box = tab.bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= NARROW["width"] + 1, tab.inner_text()
    button = visible_citations(page).first
    button.click()
    viewer_ready(page)
    shot(browser_app, page, "mobiel-citaat-open")
    viewer = page.locator('[class*="st-key-rq_viewer_inline"]:visible').first
    assert in_viewport(page, viewer.locator("h4").first), "the viewer opened out of sight"
    assert viewer.bounding_box()["y"] > visible_citations(page).first.bounding_box()["y"], "not below its citation"
    assert page.locator(".st-key-rq_viewer_side:visible").count() == 0
    mark = viewer.locator(".stMarkdownColoredBackground").first
    assert visible_in_scroll_box(mark) and in_viewport(page, mark)
    # The chat's viewer does not follow the reader to another tab.
    page.get_by_role("tab", name="Check een bewering").click()
    wait_idle(page)
    assert page.locator('[class*="st-key-rq_viewer_"]:visible').count() == 0
    page.close()


def test_a_chart_of_the_reports_numbers_links_each_point_to_its_page(browser_app) -> None:
    question = "Hoeveel migranten woonden er in 2015 in Haarlemmermeer?"
    page = open_page(browser_app, WIDE, "/?tab=vraag&q=" + urllib.parse.quote(question), wait_for="[1]")
    chart = page.locator('[class*="st-key-rq_chart_"]').first
    chart.wait_for(timeout=30_000)
    chart.scroll_into_view_if_needed()
    page.locator('[class*="st-key-rq_chart_"] canvas, [class*="st-key-rq_chart_"] svg').first.wait_for(timeout=30_000)
    shot(browser_app, page, "grafiek")
    axis = page.locator('[class*="st-key-rq_chart_"] svg text').evaluate_all("els => els.map(e => e.textContent)")
    assert "2019" in axis and any(re.fullmatch(r"\d{1,3}(\.\d{3})+", t) for t in axis), axis  # Dutch: 10.000
    assert not any(re.fullmatch(r"\d{1,3}(,\d{3})+", t) for t in axis), f"English thousands: {axis}"
    page.get_by_role("button", name=re.compile(r"^Open pagina 18: 2019, 11\.290$")).click()
    viewer_ready(page)
    mark = page.locator(".st-key-rq_viewer_side .stMarkdownColoredBackground").first
    assert "11.290" in mark.inner_text()
    page.close()


# ----------------------------------------------------------------------------- input and conversations


def test_long_paste_is_kept_and_moves_to_the_speech_check(browser_app) -> None:
    page = open_page(browser_app, WIDE)
    long_text = " ".join(["In 2023 woonden er 18.480 migranten in Haarlemmermeer."] * 45)
    box = page.locator('[data-testid="stChatInputTextArea"]:visible').first
    box.fill(long_text)
    box.press("Enter")
    page.get_by_text("Uw tekst is bewaard").wait_for(timeout=30_000)
    wait_idle(page)
    shot(browser_app, page, "lange-tekst")
    page.get_by_role("button", name="Controleer als toespraak").click()
    wait_idle(page)
    speech = page.get_by_label("Tekst van de toespraak of motie")
    speech.wait_for(timeout=30_000)
    assert speech.input_value() == long_text
    page.close()


def test_questions_typed_in_quick_succession_are_all_answered(browser_app) -> None:
    page = open_page(browser_app, WIDE)
    box = page.locator('[data-testid="stChatInputTextArea"]:visible').first
    for question in QUESTIONS[:2]:  # the second while the first is still being answered
        box.fill(question)
        box.press("Enter")
        page.wait_for_timeout(150)
    page.wait_for_function("() => document.querySelectorAll('[data-testid=\"stChatMessage\"]').length >= 4", timeout=90_000)
    wait_idle(page)
    users = page.locator('[data-testid="stChatMessage"]').all_inner_texts()[0::2]
    assert [u.split("\n")[-1] for u in users] == list(QUESTIONS[:2])
    page.close()


def test_reload_keeps_the_conversation_and_new_asks_first(browser_app) -> None:
    page = open_page(browser_app, WIDE)
    ask(page, QUESTIONS[0])
    ask(page, "En in 2019?")
    texts = '[data-testid="stChatMessage"] [data-testid="stMarkdownContainer"]'
    answers = settled_texts(page, texts)
    page.reload()
    page.locator('[data-testid="stChatMessage"]').nth(3).wait_for(timeout=120_000)
    wait_idle(page)
    assert settled_texts(page, texts) == answers
    shot(browser_app, page, "na-herladen")
    # "Nieuw gesprek" asks first; only the confirmation wipes the chat (and the address).
    page.get_by_role("button", name=re.compile("Nieuw gesprek")).click()
    confirm = page.get_by_role("button", name="Ja, wis het gesprek")
    confirm.wait_for(timeout=10_000)
    assert page.locator('[data-testid="stChatMessage"]').count() == 4
    shot(browser_app, page, "nieuw-gesprek-vraagt-eerst")
    confirm.click()
    wait_idle(page)
    page.wait_for_function("() => !document.querySelector('[data-testid=\"stChatMessage\"]')", timeout=10_000)
    assert "v=" not in page.url
    page.close()


def test_a_refusal_with_its_reason_reads_in_the_narrow_window(browser_app) -> None:
    page = open_page(browser_app, NARROW)
    ask(page, "Welke wethouder is verantwoordelijk voor de opvang van asielzoekers?")
    page.get_by_text("noemt geen namen van personen in deze functie").first.wait_for(timeout=30_000)
    shot(browser_app, page, "weigering-met-reden")
    assert page.get_by_text("Het rapport geeft hierover geen informatie.").count() >= 1
    assert page.get_by_text("Dichtstbijzijnde passages in het rapport").count() == 1
    page.close()


# ----------------------------------------------------------------------------- the speech check


@pytest.mark.parametrize("size", [WIDE, NARROW], ids=["1440", "390"])
def test_speech_check_reads_as_a_table(browser_app, size) -> None:
    page = open_page(
        browser_app, size, "/?tab=bewering&tekst=" + urllib.parse.quote(SPEECH), wait_for="beweringen gecontroleerd"
    )
    rows = page.locator('[class*="st-key-rq_sv_row_"]')
    rows.first.wait_for(timeout=60_000)
    wait_idle(page)
    rows.first.scroll_into_view_if_needed()
    shot(browser_app, page, f"toespraak-{size['width']}")
    count = rows.count()
    assert count >= 4
    # Nothing is cut off: every cell's text fits its cell, and every row fits the window.
    clipped = page.evaluate(
        """() => [...document.querySelectorAll('[class*="st-key-rq_sv_row_"] [data-testid="stMarkdownContainer"]')]
             .filter(el => el.scrollWidth > el.clientWidth + 1).map(el => el.innerText)"""
    )
    assert clipped == []
    for k in range(count):
        box = rows.nth(k).bounding_box()
        assert box and box["x"] + box["width"] <= size["width"] + 1
    assert page.get_by_text("klopt niet").count() >= 1
    assert page.locator("text=geen verschil").count() == 0, "'geen verschil' beside a verdict"
    # Filter on verdict: only the claims that do not hold.
    page.get_by_role("button", name=re.compile(r"^klopt \(\d+\)$")).click()
    # The rerun may not have begun when the click returns (a loaded machine): wait for the table to change.
    page.wait_for_function(
        "(n) => document.querySelectorAll('[class*=\"st-key-rq_sv_row_\"]').length < n", arg=count, timeout=60_000
    )
    wait_idle(page)
    assert 0 < rows.count() < count
    assert page.get_by_role("button", name="Download als CSV").count() == 1
    page.close()


# ----------------------------------------------------------------------------- Dutch and accessible

TAB_URLS = {
    "vraag": ("/?tab=vraag&q=" + urllib.parse.quote(QUESTIONS[0]), "[1]"),
    "bewering": ("/?tab=bewering&q=" + urllib.parse.quote("Haarlemmermeer had in 2023 ruim 160.000 inwoners."), "Waarde in het rapport"),
    "citaat": ("/?tab=citaat&q=" + urllib.parse.quote("Migranten vormen daarmee 21,4 procent van alle inwoners."), "Woord voor woord"),
    "rapport": ("/?tab=rapport&pagina=21&zoek=asielmigranten", "Inhoudsopgave"),
}


def english_strings(page: Any) -> list[str]:
    """Interface strings (labels, buttons, tabs, hints, tooltips) in English."""
    texts = page.evaluate(
        """() => [...document.querySelectorAll('*')].flatMap(el => {
             const out = ['aria-label', 'title', 'placeholder'].map(a => el.getAttribute(a)).filter(Boolean);
             if (el.matches('button, label, [role=tab], a, [data-testid=InputInstructions], [data-testid=stTooltipContent]')
                 && el.checkVisibility && el.checkVisibility()) out.push(el.innerText);
             return out; })"""
    )
    return sorted({t for t in texts if ENGLISH.search(t)})


@pytest.mark.parametrize("tab", list(TAB_URLS))
def test_every_tab_is_dutch_and_passes_axe(browser_app, tab) -> None:
    from axe_playwright_python.sync_playwright import Axe

    path, wait_for = TAB_URLS[tab]
    page = open_page(browser_app, WIDE, path, wait_for=wait_for)
    page.wait_for_timeout(1500)
    shot(browser_app, page, f"tab-{tab}")
    assert page.evaluate("document.documentElement.lang") == "nl"
    if tab == "rapport":  # the table of sources shows its toolbar on hover
        table = page.locator('[data-testid="stDataFrame"]').first
        table.scroll_into_view_if_needed()
        table.hover()
        page.locator('[data-testid="stElementToolbar"] button').first.wait_for(timeout=10_000)
        page.wait_for_timeout(300)
    assert english_strings(page) == []
    if tab == "rapport":
        assert page.locator("table:visible").count() >= 1, "Tabel 2 is not drawn as a table"
    options = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21aa"]}, "resultTypes": ["violations"]}
    found = Axe().run(page, options=options).response["violations"]
    assert [(v["id"], [n["html"][:120] for n in v["nodes"][:3]]) for v in found] == []
    page.close()
