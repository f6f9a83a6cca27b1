"""Take screenshots of every tab of the app into docs/screenshots/ with headless Chromium.

Usage::

    python scripts/screenshots.py [--chromium /usr/bin/chromium] [--out docs/screenshots] [--port 8599]

Starts the app with ``rekenqa app --headless`` (127.0.0.1), waits until it answers, then drives Debian's Chromium
(``apt-get install chromium``) through the DevTools protocol (with the ``websockets`` client, which Streamlit
already brings): each tab is opened through the app's query parameters (``?tab=...&q=...``), the script waits
until the expected text is on the page and Streamlit has finished running, and saves a PNG. Everything stays
on this machine; the index is the one the app would use (``REKENQA_INDEX_DIR`` is passed through).
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
WIDTH, HEIGHT = 1400, 1000


@dataclass
class Shot:
    name: str
    query: dict[str, str]
    wait_for: tuple[str, ...]
    # JavaScript run once the page is ready (e.g. click a citation); then wait for ``after``.
    action: str = ""
    after: tuple[str, ...] = ()
    height: int = HEIGHT
    extra: dict[str, Any] = field(default_factory=dict)


CLICK_FIRST_PAGE_BUTTON = """
(() => {
  const buttons = [...document.querySelectorAll('button')];
  const cite = buttons.find(b => /^\\s*(\\[\\d+\\] )?p\\. \\d+(-\\d+)?\\s*$/.test(b.innerText.replace(/description/g, '')));
  if (cite) { cite.click(); return true; }
  return false;
})()
"""

SCROLL_TO_SOURCES = """
(() => {
  const heading = [...document.querySelectorAll('h4')].find(h => h.innerText.startsWith('Geciteerde bronnen'));
  if (heading) { heading.scrollIntoView({block: 'start'}); return true; }
  return false;
})()
"""

SHOTS = (
    Shot(
        "vraag",
        {"tab": "vraag", "q": "Hoeveel migranten woonden er in 2023 in Haarlemmermeer?"},
        wait_for=("Kopieer bronvermelding", "Download als Markdown"),
        action=CLICK_FIRST_PAGE_BUTTON,
        after=("Voetnoten op deze pagina",),
    ),
    Shot(
        "bewering",
        {"tab": "bewering", "q": "Haarlemmermeer had in 2023 ruim 160.000 inwoners."},
        wait_for=("Waarde in het rapport", "Kopieer bronvermelding"),
    ),
    Shot(
        "toespraak",
        {
            "tab": "bewering",
            "tekst": "Voorzitter, in 2023 woonden er 18.480 migranten in Haarlemmermeer. In 2015 woonden er "
            "nog maar 3.000 migranten in Haarlemmermeer. Het aantal migranten is sinds 2015 meer dan verdubbeld. "
            "Er zijn in Haarlemmermeer drie COA-locaties. Volgens de rekenkamer is de criminaliteit rond azc's "
            "met 40 procent gestegen. Ik vind dat we hier iets aan moeten doen.",
        },
        wait_for=("beweringen gecontroleerd", "Wat het rapport zegt"),
    ),
    Shot(
        "citaat",
        {"tab": "citaat", "q": "Migranten vormen daarmee 21,4 procent van alle inwoners."},
        wait_for=("Woord voor woord", "Kopieer bronvermelding"),
    ),
    Shot(
        "rapport",
        {"tab": "rapport", "pagina": "17", "zoek": "arbeidsmigranten"},
        wait_for=("Inhoudsopgave", "Pagina 17", "treffers"),
    ),
    Shot(
        "bronnen",
        {"tab": "rapport", "pagina": "29"},
        wait_for=("Inhoudsopgave", "Geciteerde bronnen"),
        action=SCROLL_TO_SOURCES,
        after=("Geciteerde bronnen",),
    ),
)


# ----------------------------------------------------------------------------- the app


def start_app(port: int, log: Path) -> subprocess.Popen[bytes]:
    # The launcher: 127.0.0.1, no usage statistics, the minimal toolbar, no error details (src/rekenqa/launch.py).
    cmd = [sys.executable, "-m", "rekenqa", "app", "--headless", "--poort", str(port)]
    env = dict(os.environ, HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1")
    handle = log.open("wb")
    return subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=handle, stderr=subprocess.STDOUT)  # noqa: S603


def wait_http(url: str, timeout: float, what: str) -> str:
    deadline = time.monotonic() + timeout
    last: Exception | None = None
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 (localhost only)
                return response.read().decode()
        except OSError as err:
            last = err
            time.sleep(0.5)
    raise SystemExit(f"{what} antwoordt niet op {url}: {last}")


# ----------------------------------------------------------------------------- DevTools protocol


class DevTools:
    """A minimal Chrome DevTools Protocol client on the ``websockets`` package."""

    def __init__(self, ws: Any) -> None:
        self.ws = ws
        self.next_id = 0

    @classmethod
    async def connect(cls, url: str) -> DevTools:
        from websockets.asyncio.client import connect

        return cls(await connect(url, max_size=256 * 1024 * 1024, ping_interval=None))

    async def call(self, method: str, **params: Any) -> dict[str, Any]:
        self.next_id += 1
        wanted = self.next_id
        await self.ws.send(json.dumps({"id": wanted, "method": method, "params": params}))
        while True:
            data = json.loads(await self.ws.recv())
            if data.get("id") == wanted:
                if "error" in data:
                    raise RuntimeError(f"{method}: {data['error']}")
                return data.get("result", {})

    async def evaluate(self, expression: str) -> Any:
        result = await self.call("Runtime.evaluate", expression=expression, returnByValue=True)
        return result.get("result", {}).get("value")

    async def wait_ready(self, texts: Sequence[str], timeout: float) -> None:
        """Until every text is on the page and Streamlit is not running a script anymore."""
        checks = " && ".join(f"document.body.innerText.includes({json.dumps(t)})" for t in texts) or "true"
        expression = (
            f"(() => !!document.body && {checks} && "
            '!document.querySelector(\'[data-testid="stStatusWidget"] [data-testid="stStatusWidgetRunningIcon"]\') && '
            "!document.querySelector('[data-testid=\"stSpinner\"]') && "
            "!document.querySelector('[data-testid=\"stSkeleton\"]'))()"
        )
        deadline = time.monotonic() + timeout
        stable = 0
        while time.monotonic() < deadline:
            if await self.evaluate(expression):
                stable += 1
                if stable >= 3:  # ready three polls in a row: the page has settled
                    return
            else:
                stable = 0
            await asyncio.sleep(0.5)
        body = await self.evaluate("document.body ? document.body.innerText.slice(0, 2000) : ''")
        raise TimeoutError(f"Niet gevonden op de pagina: {list(texts)}. Tekst op de pagina:\n{body}")


async def take(devtools: DevTools, base: str, shot: Shot, out: Path, timeout: float) -> Path:
    await devtools.call(
        "Emulation.setDeviceMetricsOverride",
        width=WIDTH,
        height=shot.height,
        deviceScaleFactor=1,
        mobile=False,
    )
    url = f"{base}/?{urllib.parse.urlencode(shot.query)}"
    await devtools.call("Page.navigate", url=url)
    await devtools.wait_ready(shot.wait_for, timeout)
    if shot.action:
        if not await devtools.evaluate(shot.action):
            raise RuntimeError(f"{shot.name}: de actie vond niets om op te klikken.")
        await devtools.wait_ready(shot.after, timeout)
    await asyncio.sleep(1.0)  # let fonts, icons and transitions finish
    result = await devtools.call("Page.captureScreenshot", format="png")
    path = out / f"{shot.name}.png"
    path.write_bytes(base64.b64decode(result["data"]))
    return path


async def shoot_all(debug_port: int, base: str, out: Path, timeout: float, only: set[str]) -> list[Path]:
    targets = json.loads(wait_http(f"http://127.0.0.1:{debug_port}/json/list", 60, "Chromium"))
    page = next(t for t in targets if t.get("type") == "page")
    devtools = await DevTools.connect(page["webSocketDebuggerUrl"])
    await devtools.call("Page.enable")
    await devtools.call("Runtime.enable")
    paths = []
    for shot in SHOTS:
        if only and shot.name not in only:
            continue
        path = await take(devtools, base, shot, out, timeout)
        sys.stdout.write(f"{path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}\n")
        paths.append(path)
    return paths


# ----------------------------------------------------------------------------- main


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Screenshots van de app (headless Chromium).")
    parser.add_argument("--chromium", default=shutil.which("chromium") or "/usr/bin/chromium")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--port", type=int, default=8599)
    parser.add_argument("--debug-port", type=int, default=9229)
    parser.add_argument(
        "--timeout", type=float, default=600, help="seconden per scherm (de eerste start bouwt de index)"
    )
    parser.add_argument(
        "--only",
        nargs="*",
        default=[],
        help="alleen deze schermen (" + ", ".join(s.name for s in SHOTS) + ")",
    )
    args = parser.parse_args(argv)
    if not Path(args.chromium).exists():
        sys.stderr.write(
            f"Chromium niet gevonden ({args.chromium}). Installeer: apt-get install -y chromium\n"
        )
        return 1
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="rekenqa-shots-") as tmp:
        app = start_app(args.port, Path(tmp) / "streamlit.log")
        browser = None
        try:
            base = f"http://127.0.0.1:{args.port}"
            wait_http(f"{base}/_stcore/health", 120, "De app")
            browser = subprocess.Popen(  # noqa: S603
                [
                    args.chromium,
                    "--headless",
                    "--no-sandbox",
                    "--disable-gpu",
                    "--disable-background-networking",
                    "--disable-component-update",
                    "--disable-sync",
                    "--disable-extensions",
                    "--disable-default-apps",
                    "--no-first-run",
                    "--no-default-browser-check",
                    "--hide-scrollbars",
                    "--lang=nl-NL",
                    f"--user-data-dir={Path(tmp) / 'profile'}",
                    f"--window-size={WIDTH},{HEIGHT}",
                    "--remote-debugging-address=127.0.0.1",
                    f"--remote-debugging-port={args.debug_port}",
                    "about:blank",
                ],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            asyncio.run(shoot_all(args.debug_port, base, args.out, args.timeout, set(args.only)))
        except (TimeoutError, RuntimeError) as err:
            log = (Path(tmp) / "streamlit.log").read_text(errors="replace")[-3000:]
            sys.stderr.write(f"Mislukt: {err}\n--- streamlit log ---\n{log}\n")
            return 1
        finally:
            for proc in (browser, app):
                if proc is not None and proc.poll() is None:
                    proc.terminate()
                    try:
                        proc.wait(timeout=15)
                    except subprocess.TimeoutExpired:
                        proc.kill()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
