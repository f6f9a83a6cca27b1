"""Concurrency: eight simultaneous sessions against one shared Engine (threads, and headless Streamlit
sessions in threads) give exactly the serial answers, load the index once, and index builds and readers do
not trip over each other."""

from __future__ import annotations

import os
import re
import shutil
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from conftest import REPORT_TXT, FakeEmbedder

from rekenqa import build, pipeline, quotes
from rekenqa import index as index_mod
from rekenqa.errors import InputInvalid, NotFound
from rekenqa.index import to_json
from rekenqa.pipeline import Engine, build_index
from rekenqa.settings import PROJECT_ROOT, Settings

SESSIONS = 8
ROUNDS = 2
APP = PROJECT_ROOT / "app.py"

QUESTIONS = [
    "Hoeveel migranten woonden er in 2023 in Haarlemmermeer?",
    "Hoeveel statushouders moest de gemeente in 2024 huisvesten?",
    "Wat adviseert de rekenkamer over asielzoekers en werk?",
    "Hoeveel arbeidsmigranten wonen er in Haarlemmermeer?",
    "Wat is het aandeel gezinsmigranten?",
    "Welke rol speelt het COA bij de opvang?",
    "Wat kost de opvang van Oekraïners?",
    "Hoe wordt de raad geïnformeerd over migratie?",
]
CLAIMS = [
    "In 2023 woonden er 18.480 migranten in Haarlemmermeer.",
    "Migranten vormen 25 procent van de inwoners van Haarlemmermeer.",
    "Het percentage gezinsmigranten is met 43,2 procent het hoogste.",
    "Haarlemmermeer had in 2023 ruim 160.000 inwoners.",
]
QUOTES = [
    "Migranten vormen daarmee 11,4 procent van de inwoners.",
    "Migranten vormen daarmee 12 procent van de inwoners.",
    "Het percentage gezinsmigranten is met 43,2 procent het hoogste",
    "Dit zinnetje staat helemaal niet in het rapport.",
]


# ------------------------------------------------------------------------------------------- fixtures


@pytest.fixture
def counted(monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    """Count index loads (both names: pipeline imported load_index) and QuoteMatcher constructions."""
    counts = {"load_index": 0, "QuoteMatcher": 0}
    real_load, real_matcher = index_mod.load_index, quotes.QuoteMatcher
    lock = threading.Lock()

    def load_index(index_dir: Path) -> Any:
        with lock:
            counts["load_index"] += 1
        return real_load(index_dir)

    class CountingMatcher(real_matcher):  # type: ignore[misc, valid-type]
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            with lock:
                counts["QuoteMatcher"] += 1
            super().__init__(*args, **kwargs)

    monkeypatch.setattr(index_mod, "load_index", load_index)
    monkeypatch.setattr(pipeline, "load_index", load_index)
    monkeypatch.setattr(build, "load_index", load_index)  # the build uses it too
    monkeypatch.setattr(quotes, "QuoteMatcher", CountingMatcher)
    return counts


def session_script(i: int) -> list[tuple[str, Callable[[Engine], Any]]]:
    """What session ``i`` does: ask, follow up, check a claim, a quote and a speech, read a page, fail once."""
    question, claim, quote = QUESTIONS[i % len(QUESTIONS)], CLAIMS[i % len(CLAIMS)], QUOTES[i % len(QUOTES)]

    def bad_input(engine: Engine) -> str:
        try:
            engine.ask("   ")
        except InputInvalid as err:
            return str(err)
        return "no error"

    def bad_page(engine: Engine) -> str:
        try:
            engine.page("rapport", 500 + i)
        except NotFound as err:
            return str(err)
        return "no error"

    return [
        ("ask", lambda e: e.ask(question)),
        ("follow-up", lambda e: e.ask("En in 2019?", history=[question])),
        ("claim", lambda e: e.check_claim(claim)),
        ("quote", lambda e: e.check_quote(quote)),
        ("speech", lambda e: e.check_speech(f"Voorzitter. {claim} Dat is veel. Volgens het rapport is er geen beleid.")),
        ("page", lambda e: e.page("rapport", 10 + i).page.text),
        ("retrieve", lambda e: [p.chunk.id for p in e.retrieve(question, k=5)]),
        ("sources", lambda e: len(e.sources())),
        ("bad-input", bad_input),
        ("bad-page", bad_page),
    ]


def run_session(engine: Engine, i: int) -> list[tuple[str, Any]]:
    return [(name, to_json(step(engine))) for name, step in session_script(i)]


# =========================================================================================== engine, threads


def test_eight_sessions_share_one_engine(report_copy: Settings, counted: dict[str, int]) -> None:
    """8 threads start together (barrier) and each runs its session twice against one Engine: no errors,
    every result equals the serial one, the index is loaded once and the quote matcher built once."""
    serial_engine = Engine.open(report_copy, embedder=FakeEmbedder(), auto_build=False)
    expected = [run_session(serial_engine, i) for i in range(SESSIONS)]
    counted["load_index"] = counted["QuoteMatcher"] = 0

    engine = Engine.open(report_copy, embedder=FakeEmbedder(), auto_build=False)
    barrier = threading.Barrier(SESSIONS)

    def worker(i: int) -> list[list[tuple[str, Any]]]:
        barrier.wait(timeout=30)
        return [run_session(engine, i) for _ in range(ROUNDS)]

    with ThreadPoolExecutor(max_workers=SESSIONS) as pool:
        results = list(pool.map(worker, range(SESSIONS), timeout=300))

    for i, rounds in enumerate(results):
        for got in rounds:
            for (name, value), (_, want) in zip(got, expected[i], strict=True):
                assert value == want, f"session {i}, step {name}: differs from the serial result"
    assert counted["load_index"] == 1
    assert counted["QuoteMatcher"] == 1


def test_concurrent_engine_open_builds_once(report_copy: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    """8 sessions start at once on a missing index (auto_build), e.g. the app and CLI commands started
    together: all succeed with the same answers, and the index is built (written) once, not once per session:
    with the real embedder every extra build costs minutes."""
    settings = report_copy
    shutil.rmtree(settings.index_dir)
    small_report(settings.corpus_dir)
    writes = {"n": 0}
    real_write = build.write_index

    def counting_write(*args: Any, **kwargs: Any) -> Any:
        writes["n"] += 1
        return real_write(*args, **kwargs)

    monkeypatch.setattr(build, "write_index", counting_write)
    barrier = threading.Barrier(SESSIONS)

    def worker(_: int) -> Any:
        barrier.wait(timeout=30)
        engine = Engine.open(settings, embedder=FakeEmbedder())
        return to_json(engine.ask(QUESTIONS[0]))

    with ThreadPoolExecutor(max_workers=SESSIONS) as pool:
        results = list(pool.map(worker, range(SESSIONS), timeout=300))
    assert len({repr(r) for r in results}) == 1
    index_mod.load_index(settings.index_dir)
    assert not list(settings.index_dir.parent.glob(".index.tmp-*"))
    assert writes["n"] == 1, f"{writes['n']} builds for {SESSIONS} simultaneous sessions"


def small_report(corpus: Path, pages: int = 10) -> None:
    lines = REPORT_TXT.read_text(encoding="utf-8").split("\n")
    starts = [i for i, line in enumerate(lines) if re.match(r"^ [^ ]", line)]
    (corpus / REPORT_TXT.name).unlink()
    (corpus / REPORT_TXT.name).write_text("\n".join(lines[: starts[pages]]), encoding="utf-8")


def test_parallel_builds_are_serialised(report_copy: Settings) -> None:
    settings = report_copy
    small_report(settings.corpus_dir)
    with ThreadPoolExecutor(max_workers=3) as pool:
        reports = list(pool.map(lambda _: build_index(settings, embedder=FakeEmbedder()), range(3), timeout=300))
    assert len({(r.documents, r.pages, r.chunks, r.facts) for r in reports}) == 1
    index = index_mod.load_index(settings.index_dir)
    assert len(index.chunks) == reports[0].chunks
    assert not list(settings.index_dir.parent.glob(".index.tmp-*"))
    assert not list(settings.index_dir.parent.glob(".index.old-*"))


def test_a_reader_during_the_swap_does_not_break_the_build(report_copy: Settings,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """A reader (e.g. `rekenqa ask` in a second terminal) opens the index exactly while a build swaps the new
    index in. The reader must get a usable index and the build must still succeed. The reader runs
    load_index -> recover(), which moves the old index back while the writer is between its two renames.
    The writer pauses in that window until the reader is done, at most one second."""
    settings = report_copy
    small_report(settings.corpus_dir)
    in_window, reader_done = threading.Event(), threading.Event()
    real_swap = index_mod._swap

    def slow_swap(tmp: Path, index_dir: Path) -> None:
        real_rename = Path.rename
        first = {"done": False}

        def rename(self: Path, target: Any) -> Any:
            result = real_rename(self, target)
            if not first["done"]:
                first["done"] = True
                in_window.set()
                reader_done.wait(timeout=1.0)  # a real swap takes microseconds; do not wait for the reader forever
            return result

        with monkeypatch.context() as mp:
            mp.setattr(Path, "rename", rename)
            real_swap(tmp, index_dir)

    monkeypatch.setattr(index_mod, "_swap", slow_swap)
    errors: list[BaseException] = []

    def writer() -> None:
        try:
            build_index(settings, embedder=FakeEmbedder())
        except BaseException as err:  # noqa: BLE001 - reported below
            errors.append(err)

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        assert in_window.wait(timeout=60)
        try:
            reader_index = index_mod.load_index(settings.index_dir)
        finally:
            reader_done.set()
    finally:
        thread.join(timeout=60)
    assert reader_index.chunks
    assert errors == [], errors
    fresh = index_mod.load_index(settings.index_dir)
    assert fresh.manifest["counts"]["pages"] == 10


# =========================================================================================== app

# streamlit.testing's AppTest is not thread-safe: every run swaps process-global state (Runtime._instance is
# replaced by a mock and reset afterwards, PagesManager.uses_pages_directory is reset), so AppTest runs in
# parallel threads interfere with each other (observed: KeyError '$$STREAMLIT_INTERNAL_KEY_SCRIPT_RUN_WITHOUT_ERRORS'
# in about one run out of three). The app's own concurrency point is rekenqa.ui.engine_slot.get_engine() (an
# st.cache_resource slot plus a lock); it is called from 8 threads directly (Streamlit's bare mode), and 8 AppTest
# sessions then run one after another on the engine they share.


@pytest.fixture
def app_env(report_copy: Settings, monkeypatch: pytest.MonkeyPatch) -> Settings:
    monkeypatch.setenv("REKENQA_INDEX_DIR", str(report_copy.index_dir))
    monkeypatch.setenv("REKENQA_CORPUS_DIR", str(report_copy.corpus_dir))
    monkeypatch.setattr(pipeline, "load_embedder", lambda settings: FakeEmbedder())
    monkeypatch.setattr(build, "load_embedder", lambda settings: FakeEmbedder())  # the build uses it too
    return report_copy


def test_app_get_engine_from_eight_threads_loads_once(app_env: Settings, counted: dict[str, int],
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """8 sessions start at the same moment: the app's get_engine() gives all of them the same Engine and the
    index is loaded once (the load is slowed down to widen the race window)."""
    import time

    from rekenqa.ui.engine_slot import get_engine

    slow_real = pipeline.load_index  # the same function in both modules

    def slow_load(index_dir: Path) -> Any:
        time.sleep(0.3)
        return slow_real(index_dir)

    monkeypatch.setattr(pipeline, "load_index", slow_load)
    monkeypatch.setattr(build, "load_index", slow_load)  # the build uses it too
    barrier = threading.Barrier(SESSIONS)

    def worker(_: int) -> Engine:
        barrier.wait(timeout=30)
        return get_engine()

    with ThreadPoolExecutor(max_workers=SESSIONS) as pool:
        engines = list(pool.map(worker, range(SESSIONS), timeout=120))
    assert len({id(e) for e in engines}) == 1
    assert counted["load_index"] == 1
    with ThreadPoolExecutor(max_workers=SESSIONS) as pool:
        answers = list(pool.map(lambda i: to_json(engines[i].ask(QUESTIONS[i])), range(SESSIONS), timeout=120))
    serial = [to_json(engines[0].ask(q)) for q in QUESTIONS[:SESSIONS]]
    assert answers == serial


def _app_output(at: Any) -> list[str]:
    """What a user sees in the main area: markdown, warnings and errors (sidebar excluded)."""
    parts = [m.value for m in at.main.markdown]
    parts += [f"warning: {w.value}" for w in at.main.warning]
    parts += [f"error: {e.value}" for e in at.main.error]
    return parts


APP_QUERIES = [
    {"tab": "vraag", "q": QUESTIONS[0]},
    {"tab": "bewering", "q": CLAIMS[0]},
    {"tab": "citaat", "q": QUOTES[0]},
    {"tab": "vraag", "q": "Wat is de hoofdstad van Frankrijk?"},
]


def _run_app(query: dict[str, str]) -> list[str]:
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(APP), default_timeout=120)
    for key, value in query.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, at.exception
    return _app_output(at)


@pytest.mark.skipif(not APP.is_file(), reason="app.py is not part of this checkout")
def test_eight_streamlit_sessions_share_the_engine(app_env: Settings, counted: dict[str, int]) -> None:
    """8 headless Streamlit sessions (AppTest) ask, check and quote: no exceptions, the same output for the
    same request, the engine's answers, and one index load for all sessions."""
    outputs = [_run_app(APP_QUERIES[i % len(APP_QUERIES)]) for i in range(SESSIONS)]
    assert counted["load_index"] == 1
    for i, output in enumerate(outputs):
        assert output == outputs[i % len(APP_QUERIES)], f"session {i} differs from session {i % len(APP_QUERIES)}"
    assert len({repr(out) for out in outputs[: len(APP_QUERIES)]}) == len(APP_QUERIES)
    assert "warning: Het rapport geeft hierover geen informatie." in outputs[3]
    assert any("18\\.480" in part for part in outputs[1])  # Markdown-escaped by the app


def test_stems_from_many_threads_are_the_stems_of_one() -> None:
    """The snowball stemmer is one instance with state: without the lock, threads stemming at once raised
    IndexError or got each other's stems, and the cache kept them for the life of the process."""
    import snowballstemmer

    from rekenqa import lexical

    words = sorted(set(re.findall(r"[a-zë]{4,}", REPORT_TXT.read_text(encoding="utf-8").lower())))
    reference = snowballstemmer.stemmer("dutch")
    expected = {w: reference.stemWord(w) for w in words}
    lexical.stem.cache_clear()
    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(lexical.stem, words * 3))
    assert results == [expected[w] for w in words * 3]


_SEEDED_RUN = r"""
import json, sys
sys.path.insert(0, sys.argv[1])
from conftest import FakeEmbedder
from rekenqa.pipeline import Engine
from pathlib import Path
from rekenqa.settings import Settings

settings = Settings(corpus_dir=Path(sys.argv[2]), index_dir=Path(sys.argv[3]), cache_dir=Path(sys.argv[4]))
engine = Engine.open(settings, embedder=FakeEmbedder(), auto_build=False)
facts = sorted({f.sentence for f in engine.index.facts if f.kind in ("count", "percent") and len(f.sentence) < 300})
for sentence in facts[::4][:60]:
    for claim in (sentence, "Volgens het rapport " + sentence[0].lower() + sentence[1:]):
        v = engine.check_claim(claim)
        print(json.dumps([v.status, v.reason, v.report_value, [e.page for e in v.evidence]], ensure_ascii=False))
for question in ("Hoeveel migranten wonen er in Haarlemmermeer?", "Wat adviseert de rekenkamer over inburgering?"):
    a = engine.ask(question)
    print(json.dumps([a.text[:400], [c.page for c in a.citations]], ensure_ascii=False))
"""


_SEEDED_OVERLAP = r"""
from rekenqa import factcheck
from rekenqa.lexical import stem
from rekenqa.numbers import find_numbers
from rekenqa.settings import FactcheckWeights
from rekenqa.types import Fact, Profile

words = ["alfa", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "india", "juliett"]
weights = [0.1, 0.2, 0.3, 0.7, 1.1, 0.13, 0.17, 0.19, 0.23, 0.29]
idf = {stem(w): x for w, x in zip(words, weights)} | {"": 1.0}
text = "Er zijn 40 " + " ".join(words) + "."
claim, quantities = factcheck.analyze_claim(text)
fact = Fact("r", 40.0, "40", "", "", tuple(words[::2]) + ("kilo",), "Er zijn 40 dingen.", 1)
found = find_numbers(text)
scored = factcheck._score_facts(claim, quantities[0], found, [fact], {}, idf, Profile(), FactcheckWeights())
print(repr(scored[0].subject))
"""


def test_subject_overlap_does_not_depend_on_the_hash_seed(tmp_path: Path) -> None:
    """The idf-weighted overlap of a claim and a fact is a float sum over sets of words: summed in the set's
    (hash-seeded) order it differed in the last digits between processes."""
    import subprocess
    import sys

    script = tmp_path / "overlap.py"
    script.write_text(_SEEDED_OVERLAP, encoding="utf-8")
    src = str(Path(__file__).resolve().parents[1] / "src")
    outputs = set()
    for seed in range(8):
        env = dict(os.environ, PYTHONHASHSEED=str(seed), PYTHONPATH=src)
        done = subprocess.run(  # noqa: S603
            [sys.executable, str(script)], env=env, capture_output=True, text=True, timeout=120, check=False
        )
        assert done.returncode == 0, done.stderr[-2000:]
        outputs.add(done.stdout)
    assert len(outputs) == 1, outputs


def test_verdicts_do_not_depend_on_the_hash_seed(report_index, tmp_path: Path) -> None:
    """Python orders sets by a per-process hash seed; a float sum over a set in that order once put the same
    claim on either side of a threshold, so two runs gave two verdicts. Every process must agree."""
    import subprocess
    import sys

    tests = Path(__file__).resolve().parent
    script = tmp_path / "run.py"
    script.write_text(_SEEDED_RUN, encoding="utf-8")
    args = [str(tests), str(report_index.corpus_dir), str(report_index.index_dir), str(report_index.cache_dir)]
    outputs = []
    for seed in ("1", "2", "3"):
        env = dict(os.environ, PYTHONHASHSEED=seed, PYTHONPATH=str(tests.parent / "src"))
        done = subprocess.run(  # noqa: S603
            [sys.executable, str(script), *args], env=env, capture_output=True, text=True, timeout=300, check=False
        )
        assert done.returncode == 0, done.stderr[-2000:]
        outputs.append(done.stdout)
    assert outputs[0].count("\n") >= 60
    assert outputs[0] == outputs[1] == outputs[2]
