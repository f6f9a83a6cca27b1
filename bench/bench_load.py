"""Benchmark: the app under load — N concurrent sessions asking questions over Streamlit's own websocket.

    python bench/bench_load.py [--sessions 8] [--questions 4] [--out bench/results/load_16.json]
    python bench/bench_load.py --url http://127.0.0.1:8501   # an app that is already running

Starts ``streamlit run app.py --server.headless true`` on a free port of 127.0.0.1 (with ``REKENQA_INDEX_DIR``
and ``REKENQA_CORPUS_DIR`` as set, else the project's index/ and corpus/), then opens ``--sessions`` page
sessions at once, each a websocket client that speaks the browser's protocol: it connects to
``/_stcore/stream``, sends a ``BackMsg`` ``rerun_script`` (the first run of the page), learns the chat input's
widget id from the ``ForwardMsg`` deltas, and asks its questions one after another: a ``rerun_script`` whose
widget states carry the chat input's value, as the browser sends on Enter. No browser is involved, so the
clients cost the 2 cores almost nothing.

Per answer two times are taken from the moment the question is sent:

- *shown*: the first element of the new answer arrives (the delta after the new user message);
- *done*: the run's ``script_finished`` arrives (the page is complete, the spinner is gone).

The questions are the app's own examples (read from its first page) followed by questions of
``tests/data/qa_council.jsonl``; session ``s`` starts at question ``s`` of that list, so the sessions do not
all ask the same thing at the same moment. A session's conversation grows as in real use: its k-th question
is asked with k - 1 turns above it. Exceptions shown by the app, and runs that end otherwise than
successfully, are counted.

Target (issue 16, 2-core machine): 8 sessions, every answer arrives, p95 of *done* ≤ 3 s.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from browser import free_port  # noqa: E402
from streamlit.proto.BackMsg_pb2 import BackMsg  # noqa: E402
from streamlit.proto.ClientState_pb2 import ClientState  # noqa: E402
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg  # noqa: E402
from websockets.asyncio.client import connect  # noqa: E402  (installed with Streamlit's server, uvicorn)

TARGET_P95_S = 3.0
QA_FILE = ROOT / "tests" / "data" / "qa_council.jsonl"


def load_avg() -> list[float]:
    try:
        return [round(x, 2) for x in os.getloadavg()]
    except (AttributeError, OSError):  # Windows
        return []


def percentile(values: list[float], p: float) -> float:
    """The ``p``-th percentile (nearest rank) of ``values``; nan when there are none."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(1, min(len(ordered), round(p / 100 * len(ordered) + 0.5)))
    return ordered[rank - 1]


def summary(values: list[float]) -> dict[str, float]:
    return {
        "p50_s": round(statistics.median(values), 3) if values else float("nan"),
        "p95_s": round(percentile(values, 95), 3),
        "max_s": round(max(values), 3) if values else float("nan"),
        "mean_s": round(statistics.fmean(values), 3) if values else float("nan"),
    }


def council_questions(n: int) -> list[str]:
    """The first ``n`` answerable questions of the council set."""
    out: list[str] = []
    for line in QA_FILE.read_text(encoding="utf-8").splitlines():
        if line.strip():
            item = json.loads(line)
            if item.get("answerable", True):
                out.append(item["question"])
        if len(out) >= n:
            break
    return out


# ----------------------------------------------------------------------------- the app


def start_app(log: Path, port: int) -> subprocess.Popen[bytes]:
    env = dict(os.environ)
    env.setdefault("REKENQA_INDEX_DIR", str(ROOT / "index"))
    env.setdefault("REKENQA_CORPUS_DIR", str(ROOT / "corpus"))
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT / "src"), env.get("PYTHONPATH", "")]))
    cmd = [
        sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"),
        "--server.headless", "true", "--server.address", "127.0.0.1", "--server.port", str(port),
        "--browser.gatherUsageStats", "false",
    ]  # fmt: skip
    return subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT)  # noqa: S603


def wait_healthy(base: str, proc: subprocess.Popen[bytes] | None, timeout: float = 120.0) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(base + "/_stcore/health", timeout=2) as response:  # noqa: S310
                if response.status == 200:
                    return
        except OSError:
            pass
        if (proc is not None and proc.poll() is not None) or time.monotonic() > deadline:
            raise RuntimeError("the app did not start")
        time.sleep(0.3)


def cpu_seconds(proc: subprocess.Popen[bytes] | None) -> float:
    """The CPU time (user + system, all threads) the app's process has used so far."""
    if proc is None:
        return 0.0
    import psutil

    times = psutil.Process(proc.pid).cpu_times()
    return float(times.user + times.system)


# ----------------------------------------------------------------------------- one session


@dataclass
class Run:
    """What one script run sent: the time of its first new answer element and of its end, and its status."""

    shown: float | None = None
    done: float | None = None
    status: str = ""
    exceptions: list[str] = field(default_factory=list)
    messages: int = 0
    bytes: int = 0


@dataclass
class Session:
    """A page session: the browser's side of the websocket protocol, as far as the chat needs it."""

    url: str
    name: str
    ws: Any = None
    chat_input_id: str = ""
    examples: list[str] = field(default_factory=list)
    users_seen: int = 0

    async def open(self) -> Run:
        self.ws = await connect(self.url, subprotocols=["streamlit"], max_size=None, open_timeout=60)  # type: ignore[list-item]
        return await self.rerun(None, wanted_users=0)

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()

    def client_state(self, question: str | None) -> ClientState:
        state = ClientState(query_string="", page_script_hash="")
        state.context_info.timezone = "Europe/Amsterdam"
        state.context_info.locale = "nl-NL"
        state.context_info.url = self.url.replace("ws://", "http://").replace("/_stcore/stream", "/")
        if question is not None:
            widget = state.widget_states.widgets.add()
            widget.id = self.chat_input_id
            widget.chat_input_value.data = question
        return state

    async def rerun(self, question: str | None, wanted_users: int, timeout: float = 300.0) -> Run:
        """Send a rerun (with ``question`` in the chat input) and read until the run has finished."""
        msg = BackMsg()
        msg.rerun_script.CopyFrom(self.client_state(question))
        run = Run()
        started = time.perf_counter()
        await self.ws.send(msg.SerializeToString())
        users = 0
        in_answer = False  # inside the assistant message that follows the new question
        deadline = started + timeout
        while True:
            raw = await asyncio.wait_for(self.ws.recv(), timeout=max(deadline - time.perf_counter(), 0.1))
            run.messages += 1
            run.bytes += len(raw)
            fwd = ForwardMsg()
            fwd.ParseFromString(raw)
            kind = fwd.WhichOneof("type")
            if kind == "delta":
                delta = fwd.delta
                if delta.HasField("add_block") and delta.add_block.WhichOneof("type") == "chat_message":
                    name = delta.add_block.chat_message.name
                    users += name == "user"
                    in_answer = bool(wanted_users) and name == "assistant" and users == wanted_users
                elif delta.HasField("new_element"):
                    element = delta.new_element
                    which = element.WhichOneof("type")
                    if which == "chat_input":
                        self.chat_input_id = element.chat_input.id
                    elif which == "button" and "example_" in element.button.id:
                        if element.button.label not in self.examples:
                            self.examples.append(element.button.label)
                    elif which == "exception":
                        run.exceptions.append(f"{element.exception.type}: {element.exception.message}")
                    if in_answer and run.shown is None and which not in ("spinner", "empty"):
                        run.shown = time.perf_counter() - started
            elif kind == "script_finished":
                status = ForwardMsg.ScriptFinishedStatus.Name(fwd.script_finished)
                run.status = status
                run.done = time.perf_counter() - started
                self.users_seen = users
                return run


class Gate:
    """Every session has its first page before any asks: the figures are about answers, not page loads."""

    def __init__(self, n: int) -> None:
        self.left = n
        self.event = asyncio.Event()

    def arrive(self) -> None:
        self.left -= 1
        if self.left <= 0:
            self.event.set()


async def drive(url: str, name: str, questions: list[str], think: float, gate: Gate) -> dict[str, Any]:
    session = Session(url, name)
    result: dict[str, Any] = {"session": name, "answers": [], "errors": []}
    arrived = False
    try:
        first = await session.open()
        result["first_page_s"] = round(first.done or float("nan"), 3)
        result["first_page_bytes"] = first.bytes
        gate.arrive()
        arrived = True
        if not session.chat_input_id:
            raise RuntimeError("no chat input in the first page")
        await gate.event.wait()
        for k, question in enumerate(questions):
            run = await session.rerun(question, wanted_users=k + 1)
            ok = run.status == "FINISHED_SUCCESSFULLY" and not run.exceptions and session.users_seen == k + 1
            result["answers"].append(
                {
                    "question": question,
                    "turn": k + 1,
                    "shown_s": round(run.shown, 3) if run.shown is not None else None,
                    "done_s": round(run.done or float("nan"), 3),
                    "status": run.status,
                    "ok": ok,
                    "messages": run.messages,
                    "bytes": run.bytes,
                }
            )
            if run.exceptions:
                result["errors"].extend(run.exceptions)
            if think:
                await asyncio.sleep(think)
    except Exception as exc:  # noqa: BLE001 (a session that broke is reported, the others go on)
        result["errors"].append(f"{type(exc).__name__}: {exc}")
    finally:
        if not arrived:
            gate.arrive()
        await session.close()
    return result


async def discover_examples(url: str) -> list[str]:
    session = Session(url, "probe")
    try:
        await session.open()
        return list(session.examples)
    finally:
        await session.close()


async def load(url: str, sessions: int, per_session: int, think: float) -> dict[str, Any]:
    examples = await discover_examples(url)
    pool = examples + [q for q in council_questions(sessions + per_session + 8) if q not in examples]
    gate = Gate(sessions)
    plans = [[pool[(s + k) % len(pool)] for k in range(per_session)] for s in range(sessions)]
    tasks = [asyncio.create_task(drive(url, f"s{s}", plans[s], think, gate)) for s in range(sessions)]
    await gate.event.wait()
    started = time.perf_counter()
    results = await asyncio.gather(*tasks)
    return {"examples": examples, "sessions": results, "wall_s": round(time.perf_counter() - started, 2)}


def report(raw: dict[str, Any], sessions: int, per_session: int, think: float) -> dict[str, Any]:
    answers = [a for s in raw["sessions"] for a in s["answers"]]
    ok = [a for a in answers if a["ok"]]
    done = [a["done_s"] for a in ok]
    shown = [a["shown_s"] for a in ok if a["shown_s"] is not None]
    by_turn: dict[int, list[float]] = {}
    for a in ok:
        by_turn.setdefault(a["turn"], []).append(a["done_s"])
    errors = [e for s in raw["sessions"] for e in s["errors"]]
    out = {
        "benchmark": "bench/bench_load.py",
        "sessions": sessions,
        "questions_per_session": per_session,
        "think_s": think,
        "asked": sessions * per_session,
        "answered": len(ok),
        "done": summary(done),
        "shown": summary(shown),
        "done_by_turn_p50_s": {t: round(statistics.median(v), 3) for t, v in sorted(by_turn.items())},
        "first_page_p50_s": round(statistics.median([s.get("first_page_s", float("nan")) for s in raw["sessions"]]), 3),
        "bytes_per_answer_p50": int(statistics.median([a["bytes"] for a in answers])) if answers else 0,
        # The app's own CPU time for the timed part, all threads (script runs, serialising, the websocket),
        # per answer: unlike latency, it hardly depends on what else the machine is doing.
        "server_cpu_s": raw.get("server_cpu_s"),
        "server_cpu_s_per_answer": round(raw["server_cpu_s"] / len(answers), 3) if raw.get("server_cpu_s") and answers else None,
        "client_cpu_s": raw.get("client_cpu_s"),
        "errors": errors[:20],
        "target_p95_s": TARGET_P95_S,
        "meets_target": len(ok) == sessions * per_session and bool(done) and percentile(done, 95) <= TARGET_P95_S,
        "wall_s": raw["wall_s"],
        "cpu_count": os.cpu_count(),
        "load_avg_before": raw.get("load_before"),
        "load_avg_after": load_avg(),
        "python": platform.python_version(),
        "streamlit": __import__("streamlit").__version__,
        "examples": raw["examples"],
        "answers": answers,
    }
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=8)
    parser.add_argument("--questions", type=int, default=4, help="questions per session, asked one after another")
    parser.add_argument("--think", type=float, default=0.0, help="seconds between an answer and the next question")
    parser.add_argument("--url", default="", help="an app that already runs (else one is started)")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "load_16.json")
    parser.add_argument("--warmup", type=int, default=1, help="untimed questions first (the query encoder loads)")
    args = parser.parse_args()

    proc = None
    log = Path(tempfile.gettempdir()) / "rekenqa-bench-load.log"
    if args.url:
        base = args.url.rstrip("/")
    else:
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        proc = start_app(log, port)
    url = base.replace("http://", "ws://") + "/_stcore/stream"
    try:
        wait_healthy(base, proc)
        if args.warmup:
            asyncio.run(load(url, 1, args.warmup, 0.0))
        load_before = load_avg()
        server_before = cpu_seconds(proc)
        client_before = time.process_time()
        raw = asyncio.run(load(url, args.sessions, args.questions, args.think))
        raw["load_before"] = load_before
        raw["server_cpu_s"] = round(cpu_seconds(proc) - server_before, 2) if proc is not None else None
        raw["client_cpu_s"] = round(time.process_time() - client_before, 2)
    finally:
        if proc is not None:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
    out = report(raw, args.sessions, args.questions, args.think)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(out, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    brief = {k: out[k] for k in ("sessions", "asked", "answered", "done", "shown", "done_by_turn_p50_s", "errors",
                                 "meets_target", "wall_s", "server_cpu_s_per_answer", "client_cpu_s", "cpu_count",
                                 "load_avg_before", "load_avg_after")}
    print(json.dumps(brief, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
