"""Benchmark: how fast rekenqa starts — each CLI command cold, and the app in headless Chromium.

    python bench/bench_start.py [--out bench/results/start.json] [--runs 5] [--no-app]

Needs the index built (``rekenqa index``). Everything runs on the project's corpus/ and index/ (nothing is
written to them) or on ``REKENQA_CORPUS_DIR`` / ``REKENQA_INDEX_DIR``.

1. ``python -c "import torch"``, bare, as the yardstick: absolute times vary with the machine's load, so
   every figure is also given as a ratio to it (median over ``--runs`` fresh processes);
2. ``rekenqa info``, ``page``, ``quote``, ``check`` and ``ask``, each in a fresh process (wall time, process
   start included), after one untimed run of each so that the file cache and the bytecode caches are warm;
3. the app: ``streamlit run app.py`` is started with Chromium already running; the clock starts when the
   server process is spawned. *First page*: the app's tabs are on the screen (the page is usable: quote
   check and report browser need no model). *First answer*: the answer to a question given in the URL
   (``?tab=vraag&q=…``, opened as the very first page) is on the screen, citation included;
4. warm ``ask`` latency (p50/p95 over the dev-set questions, asked twice) with each query encoder in its own
   process, alternating: the numpy path (the default) and the torch model that built the index.

Targets (2-core machine): info, page, quote ≤ 1 s (≤ 0.5× import torch); ask, check ≤ 2.5 s (≤ 1× import
torch); app first page ≤ 3 s and first answer ≤ 5 s; warm ask p95 not worse than before.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

from screenshots import DevTools, wait_http  # noqa: E402

QUESTION = "Hoeveel migranten woonden er in 2023 in Haarlemmermeer?"
COMMANDS: dict[str, list[str]] = {
    "info": ["info"],
    "page": ["page", "rapport", "17"],
    "quote": ["quote", "Migranten vormen daarmee 11,4 procent van de inwoners."],
    "check": ["check", "In 2023 woonden er 18.480 migranten in Haarlemmermeer."],
    "ask": ["ask", QUESTION],
}
TARGETS_S = {"info": 1.0, "page": 1.0, "quote": 1.0, "check": 2.5, "ask": 2.5, "app_first_page": 3.0, "app_first_answer": 5.0}
TARGET_RATIOS = {"info": 0.5, "page": 0.5, "quote": 0.5, "check": 1.0, "ask": 1.0}
FIRST_PAGE_JS = (
    "(() => !!document.querySelector('[data-testid=\"stTabs\"]') && "
    "document.body.innerText.includes('Migratie in Haarlemmermeer'))()"
)
ANSWER_JS = "(() => document.body.innerText.includes('Kopieer bronvermelding'))()"


def load_avg() -> float:
    try:
        return round(os.getloadavg()[0], 2)
    except (AttributeError, OSError):  # Windows
        return float("nan")


def cli() -> list[str]:
    """The installed ``rekenqa`` script next to this Python (or ``python -m`` when there is none)."""
    folder = Path(sys.executable).parent
    for name in ("rekenqa", "rekenqa.exe"):
        if (folder / name).is_file():
            return [str(folder / name)]
    return [sys.executable, "-c", "from rekenqa.cli import app; app()"]


def timed(cmd: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    wall = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed ({done.returncode}):\n{done.stdout}\n{done.stderr[-2000:]}")
    return wall


def summary(times: list[float]) -> dict[str, Any]:
    return {"median_s": round(statistics.median(times), 3), "min_s": round(min(times), 3), "runs_s": [round(t, 3) for t in times]}


def bench_cli(runs: int, env: dict[str, str]) -> dict[str, Any]:
    torch_cmd = [sys.executable, "-c", "import torch"]
    timed(torch_cmd, env)  # file cache
    for args in COMMANDS.values():
        timed([*cli(), *args], env)
    out: dict[str, Any] = {"load_avg_1m_before": load_avg()}
    torch_times = [timed(torch_cmd, env) for _ in range(runs)]
    out["import_torch"] = summary(torch_times)
    yardstick = statistics.median(torch_times)
    for name, args in COMMANDS.items():
        times = [timed([*cli(), *args], env) for _ in range(runs)]
        row = summary(times)
        row["ratio_to_import_torch"] = round(row["median_s"] / yardstick, 2)
        row["target_s"] = TARGETS_S[name]
        row["target_ratio"] = TARGET_RATIOS[name]
        row["met"] = row["median_s"] <= TARGETS_S[name] or row["ratio_to_import_torch"] <= TARGET_RATIOS[name]
        out[name] = row
        print(f"{name:>6}: {row['median_s']:.2f} s ({row['ratio_to_import_torch']}× import torch)", file=sys.stderr)
    out["load_avg_1m_after"] = load_avg()
    return out


# ----------------------------------------------------------------------------- the app


def chromium(debug_port: int, profile: Path) -> subprocess.Popen[bytes]:
    exe = shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(exe).exists():
        raise SystemExit("Chromium niet gevonden. Installeer: apt-get install -y chromium (of gebruik --no-app)")
    return subprocess.Popen(  # noqa: S603
        [exe, "--headless", "--no-sandbox", "--disable-gpu", "--disable-extensions", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--lang=nl-NL",
         f"--user-data-dir={profile}", "--window-size=1400,1000", "--remote-debugging-address=127.0.0.1",
         f"--remote-debugging-port={debug_port}", "about:blank"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


async def connect(debug_port: int) -> DevTools:
    """The DevTools protocol on Chromium's page, with page and runtime events on."""
    targets = json.loads(wait_http(f"http://127.0.0.1:{debug_port}/json/list", 60, "Chromium"))
    page = next(t for t in targets if t.get("type") == "page")
    devtools = await DevTools.connect(page["webSocketDebuggerUrl"])
    await devtools.call("Page.enable")
    await devtools.call("Runtime.enable")
    return devtools


def start_server(port: int, env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    """``streamlit run app.py`` on 127.0.0.1 with the project's .streamlit/config.toml (cwd: the project)."""
    return subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"), "--server.headless", "true",
         "--server.address", "127.0.0.1", "--server.port", str(port), "--browser.gatherUsageStats", "false"],
        cwd=ROOT, env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT,
    )


async def stop(server: subprocess.Popen[bytes], devtools: DevTools) -> None:
    server.terminate()
    server.wait(30)
    await devtools.ws.close()


async def app_run(port: int, debug_port: int, env: dict[str, str], log: Path, timeout: float) -> dict[str, Any]:
    devtools = await connect(debug_port)
    load = load_avg()
    base = f"http://127.0.0.1:{port}"
    started = time.perf_counter()
    server = start_server(port, env, log)
    try:
        while True:  # the server's health endpoint, polled fast (wait_http sleeps 0.5 s between tries)
            try:
                with urllib.request.urlopen(f"{base}/_stcore/health", timeout=1):  # noqa: S310 (localhost)
                    break
            except OSError:
                if time.perf_counter() - started > timeout:
                    raise SystemExit(f"De app antwoordt niet; log:\n{log.read_text(errors='replace')[-2000:]}") from None
                await asyncio.sleep(0.05)
        health = time.perf_counter() - started
        await devtools.call("Page.navigate", url=f"{base}/?{urllib.parse.urlencode({'tab': 'vraag', 'q': QUESTION})}")
        first_page = first_answer = None
        while first_answer is None and time.perf_counter() - started < timeout:
            now = time.perf_counter() - started
            if first_page is None and await devtools.evaluate(FIRST_PAGE_JS):
                first_page = now
            if await devtools.evaluate(ANSWER_JS):
                first_answer = now
                first_page = first_page or now
            await asyncio.sleep(0.05)
        if first_answer is None:
            raise SystemExit(f"Geen antwoord binnen {timeout} s; log:\n{log.read_text(errors='replace')[-2000:]}")
        english = await devtools.evaluate(ENGLISH_JS)
    finally:
        await stop(server, devtools)
    return {
        "load_avg_1m_before": load,
        "server_healthy_s": round(health, 2),
        "first_page_s": round(first_page, 2),
        "first_answer_s": round(first_answer, 2),
        "english_words_in_header_at_answer": english,
    }


ENGLISH_JS = (
    "(() => ['Running', 'Stop', 'Please wait', 'Deploy'].filter(w => "
    "document.querySelector('header') && document.querySelector('header').innerText.includes(w)))()"
)
PROGRESS_JS = (
    "(() => [...document.querySelectorAll('[data-testid=\"stProgress\"]')].map(p => p.innerText).join(' | '))()"
)


async def first_start(port: int, debug_port: int, env: dict[str, str], tmp: Path, timeout: float) -> dict[str, Any]:
    """The app with no index: the time until its tabs show, and every progress message seen on the way."""
    devtools = await connect(debug_port)
    load = load_avg()
    own = dict(env, REKENQA_INDEX_DIR=str(tmp / "empty-index"))
    log = tmp / "first-start.log"
    server = start_server(port, own, log)
    started = time.perf_counter()
    seen: list[tuple[float, str]] = []
    english: set[str] = set()
    try:
        wait_http(f"http://127.0.0.1:{port}/_stcore/health", 60, "De app")
        await devtools.call("Page.navigate", url=f"http://127.0.0.1:{port}/")
        while time.perf_counter() - started < timeout:
            if await devtools.evaluate(FIRST_PAGE_JS):
                break
            text = await devtools.evaluate(PROGRESS_JS) or ""
            if text and (not seen or seen[-1][1] != text):
                seen.append((round(time.perf_counter() - started, 1), text))
            english.update(await devtools.evaluate(ENGLISH_JS) or [])
            await asyncio.sleep(0.5)
        else:
            raise SystemExit(f"Geen tabbladen binnen {timeout} s; log:\n{log.read_text(errors='replace')[-2000:]}")
        tabs = time.perf_counter() - started
    finally:
        await stop(server, devtools)
    return {
        "load_avg_1m_before": load,
        "build_to_first_page_s": round(tabs, 1),
        "progress_seen": seen,
        "english_words_in_header": sorted(english),
    }


def bench_app(runs: int, env: dict[str, str], timeout: float, first: bool) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="rekenqa-bench-start-") as tmp:
        browser = chromium(9231, Path(tmp) / "profile")
        try:
            results = []
            for run in range(runs + 1):  # the first run warms the file cache and is not counted
                result = asyncio.run(app_run(8611 + run, 9231, env, Path(tmp) / f"app{run}.log", timeout))
                print(f"app run {run}: {result}", file=sys.stderr)
                if run:
                    results.append(result)
            built = asyncio.run(first_start(8641, 9231, env, Path(tmp), timeout)) if first else None
            if built:
                print(f"first start without an index: {built['build_to_first_page_s']} s", file=sys.stderr)
        finally:
            browser.terminate()
            browser.wait(30)
    pages = [r["first_page_s"] for r in results]
    answers = [r["first_answer_s"] for r in results]
    return {
        "runs": results,
        "first_page": {**summary(pages), "target_s": TARGETS_S["app_first_page"]},
        "first_answer": {**summary(answers), "target_s": TARGETS_S["app_first_answer"]},
        "first_start_without_index": built,
    }


# ----------------------------------------------------------------------------- warm ask


WARM_SCRIPT = """
import json, statistics, sys, time
from pathlib import Path
from rekenqa import evaluate
from rekenqa.pipeline import Engine
from rekenqa.settings import Settings
items = evaluate.read_jsonl(Path(sys.argv[1]), ["id", "question", "answerable"])
questions = [str(item["question"]) for item in items][: int(sys.argv[3])]
engine = Engine.open(Settings.from_env(query_engine=sys.argv[2]), auto_build=False)
for q in questions[:5]:
    engine.ask(q)  # warm-up: models, caches
times = []
for _ in range(2):
    for q in questions:
        started = time.perf_counter()
        engine.ask(q)
        times.append((time.perf_counter() - started) * 1000)
times.sort()
print(json.dumps({"encoder": engine.queries.id, "n": len(times), "p50_ms": round(statistics.median(times), 1),
                  "p95_ms": round(times[round(0.95 * (len(times) - 1))], 1)}))
"""


def bench_warm(limit: int, rounds: int, env: dict[str, str]) -> dict[str, Any]:
    """Warm ask latency per query encoder: each in its own process (a torch model loaded beside the numpy
    path would change its threads), the encoders alternating, ``rounds`` times; medians over the rounds."""
    data = str(ROOT / "tests" / "data" / "qa_dev.jsonl")
    runs: dict[str, list[dict[str, Any]]] = {"auto": [], "index": []}
    for _ in range(rounds):
        for choice in runs:
            load = load_avg()
            done = subprocess.run(  # noqa: S603
                [sys.executable, "-c", WARM_SCRIPT, data, choice, str(limit)],
                env=env, capture_output=True, text=True, check=True,
            )
            row = json.loads(done.stdout.strip().splitlines()[-1]) | {"load_avg_1m_before": load}
            runs[choice].append(row)
            print(f"warm ask, {choice}: {row}", file=sys.stderr)
    out: dict[str, Any] = {"questions": limit, "asks_per_run": 2 * limit}
    for choice, rows in runs.items():
        out[rows[0]["encoder"]] = {
            "query_engine": choice,
            "p50_ms": statistics.median(r["p50_ms"] for r in rows),
            "p95_ms": statistics.median(r["p95_ms"] for r in rows),
            "runs": rows,
        }
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "start.json")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--app-runs", type=int, default=3)
    parser.add_argument("--warm-questions", type=int, default=80)
    parser.add_argument("--warm-rounds", type=int, default=3)
    parser.add_argument("--timeout", type=float, default=300)
    parser.add_argument("--no-cli", action="store_true", help="skip the commands in fresh processes")
    parser.add_argument("--no-app", action="store_true", help="skip the browser part")
    parser.add_argument("--no-warm", action="store_true", help="skip the warm ask latency")
    parser.add_argument("--no-first-start", action="store_true", help="skip the app's first start without an index")
    args = parser.parse_args()
    env = dict(os.environ, HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1")
    # Bytecode caches are part of a warm start (pip writes them for installed packages; Python for the
    # project's own modules on first import), so a PYTHONDONTWRITEBYTECODE in the environment is dropped.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    report: dict[str, Any] = {
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform()},
    }
    if not args.no_cli:
        report["cli"] = bench_cli(args.runs, env)
    if not args.no_app:
        report["app"] = bench_app(args.app_runs, env, args.timeout, not args.no_first_start)
    if not args.no_warm:
        report["warm_ask"] = bench_warm(args.warm_questions, args.warm_rounds, env)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(report, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
