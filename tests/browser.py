"""Drive the real app in Debian's headless Chromium with Playwright (pip), for tests/test_browser.py.

No browser is downloaded: Playwright launches ``/usr/bin/chromium`` (``apt-get install chromium``; the setup
for tests installs it where it can, see ``scripts/setup.sh --tests``). The app runs as ``streamlit run app.py``
on 127.0.0.1 with the project's index.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
WIDE = {"width": 1440, "height": 900}
NARROW = {"width": 390, "height": 844}

# Streamlit shows this icon while a script run is in progress.
RUNNING = '[data-testid="stStatusWidget"] [data-testid="stStatusWidgetRunningIcon"]'


def chromium_path() -> str | None:
    for candidate in (os.environ.get("REKENQA_CHROMIUM", ""), "/usr/bin/chromium", shutil.which("chromium") or ""):
        if candidate and Path(candidate).exists():
            return candidate
    return None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def app_server(log: Path, env: dict[str, str] | None = None, timeout: float = 120.0) -> Iterator[str]:
    """``streamlit run app.py`` on a free port of 127.0.0.1; yields its base URL."""
    port = free_port()
    cmd = [
        sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"),
        "--server.headless", "true", "--server.address", "127.0.0.1", "--server.port", str(port),
        "--browser.gatherUsageStats", "false",
    ]  # fmt: skip
    handle = log.open("wb")
    proc = subprocess.Popen(  # noqa: S603
        cmd, cwd=ROOT, env=dict(os.environ, **(env or {})), stdout=handle, stderr=subprocess.STDOUT
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                with urllib.request.urlopen(base + "/_stcore/health", timeout=2) as response:  # noqa: S310
                    if response.status == 200:
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"de app start niet; zie {log}")
            time.sleep(0.3)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        handle.close()


def wait_idle(page: Any, timeout: float = 60.0) -> None:
    """Wait until Streamlit has finished its script run (and a little longer, for the last repaint)."""
    page.wait_for_function(
        f"() => document.querySelector('[data-testid=\"stApp\"]') && !document.querySelector('{RUNNING}')",
        timeout=timeout * 1000,
    )
    page.wait_for_timeout(400)


def in_viewport(page: Any, locator: Any) -> bool:
    """Whether the element is (at least partly) visible in the browser window, not just in the DOM."""
    box = locator.bounding_box()
    if box is None:
        return False
    size = page.viewport_size
    return box["y"] < size["height"] and box["y"] + box["height"] > 0 and box["x"] < size["width"]


def visible_in_scroll_box(locator: Any) -> bool:
    """Whether the element lies inside the visible part of every scrolling ancestor (a page box)."""
    return bool(
        locator.evaluate(
            """el => {
              const r = el.getBoundingClientRect();
              for (let p = el.parentElement; p; p = p.parentElement) {
                const s = getComputedStyle(p);
                if (/(auto|scroll)/.test(s.overflowY) && p.scrollHeight > p.clientHeight) {
                  const b = p.getBoundingClientRect();
                  if (r.bottom <= b.top || r.top >= b.bottom) return false;
                }
              }
              return r.width > 0 && r.height > 0;
            }"""
        )
    )


def ask(page: Any, question: str, timeout: float = 90.0) -> None:
    """Type a question in the chat and wait for its answer (one more user and one more assistant message)."""
    messages = page.locator('[data-testid="stChatMessage"]')
    before = messages.count()
    box = page.locator('[data-testid="stChatInputTextArea"]:visible').first
    box.fill(question)
    box.press("Enter")
    page.wait_for_function(
        f"() => document.querySelectorAll('[data-testid=\"stChatMessage\"]').length >= {before + 2}",
        timeout=timeout * 1000,
    )
    wait_idle(page, timeout)


def settled_texts(page: Any, selector: str, timeout: float = 30.0, quiet_ms: int = 700) -> list[str]:
    """The texts of ``selector`` once they have stopped changing for ``quiet_ms`` (the run has drawn all)."""
    deadline = time.monotonic() + timeout
    last = page.locator(selector).all_inner_texts()
    while time.monotonic() < deadline:
        page.wait_for_timeout(quiet_ms)
        now = page.locator(selector).all_inner_texts()
        if now == last:
            return now
        last = now
    return last
