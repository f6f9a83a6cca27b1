"""Shared fixtures: a deterministic fake embedder, a tiny corpus, a temp index dir, the real report indexed with
the fake embedder (once per session), and the real engine."""

from __future__ import annotations

import os

# Nothing is ever downloaded: set before anything imports transformers or huggingface_hub.
os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["TRANSFORMERS_OFFLINE"] = "1"

import hashlib
import shutil
from collections.abc import Iterator, Sequence
from pathlib import Path

import numpy as np
import pytest

from rekenqa.settings import PROJECT_ROOT, Settings

REPORT_TXT = PROJECT_ROOT / "corpus" / "migratie-in-haarlemmermeer-2025.txt"
REPORT_META = PROJECT_ROOT / "corpus" / "migratie-in-haarlemmermeer-2025.txt.meta.json"
MODEL_CACHE = Path(os.environ.get("REKENQA_CACHE_DIR", PROJECT_ROOT / ".cache" / "models"))


class FakeEmbedder:
    """Bag of hashed lowercase words, L2-normalised: deterministic and exact for retrieval assertions."""

    id = "fake-embedder-64"
    dim = 64

    def _embed(self, texts: Sequence[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for i, text in enumerate(texts):
            for word in text.lower().split():
                word = word.strip(".,;:!?()\"'")
                if not word:
                    continue
                bucket = int(hashlib.md5(word.encode(), usedforsecurity=False).hexdigest(), 16) % self.dim
                out[i, bucket] += 1.0
            norm = np.linalg.norm(out[i])
            out[i] = out[i] / norm if norm else out[i]
        return out

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        return self._embed(texts)

    def embed_passages(self, texts: Sequence[str], show_progress: bool = False) -> np.ndarray:
        return self._embed(texts)


@pytest.fixture
def fake_embedder() -> FakeEmbedder:
    return FakeEmbedder()


@pytest.fixture(autouse=True)
def _isolated_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Point the index at a temp folder so tests never touch a real index/."""
    monkeypatch.setenv("REKENQA_INDEX_DIR", str(tmp_path / "index"))
    monkeypatch.setenv("REKENQA_CACHE_DIR", str(MODEL_CACHE))


def report_corpus(corpus: Path) -> Path:
    """Create ``corpus`` holding the real report and its catalog entry."""
    corpus.mkdir(parents=True)
    shutil.copy(REPORT_TXT, corpus / REPORT_TXT.name)
    shutil.copy(REPORT_META, corpus / REPORT_META.name)
    return corpus


def copy_index(settings: Settings, base: Path) -> Settings:
    """Copy an index and its corpus into ``base``: a private copy that a test may change or damage."""
    shutil.copytree(settings.corpus_dir, base / "corpus")
    shutil.copytree(settings.index_dir, base / "index")
    return Settings(corpus_dir=base / "corpus", index_dir=base / "index", cache_dir=base / "cache")


@pytest.fixture
def tiny_corpus(tmp_path: Path) -> Path:
    """A corpus with the real report."""
    return report_corpus(tmp_path / "corpus")


@pytest.fixture(scope="session")
def report_index(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """The real report indexed with the fake embedder, built once per session. Shared by every test that
    asks for it, so only read it: a test that writes takes ``report_copy`` (or ``copy_index`` for a module)."""
    from rekenqa.pipeline import build_index

    base = tmp_path_factory.mktemp("report-index")
    settings = Settings(corpus_dir=report_corpus(base / "corpus"), index_dir=base / "index", cache_dir=base / "cache")
    build_index(settings, embedder=FakeEmbedder())
    return settings


@pytest.fixture
def report_copy(report_index: Settings, tmp_path: Path) -> Settings:
    """This test's own copy of ``report_index`` (corpus and index), safe to change."""
    return copy_index(report_index, tmp_path / "report")


@pytest.fixture(scope="session")
def real_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    base = tmp_path_factory.mktemp("real")
    return Settings(corpus_dir=report_corpus(base / "corpus"), index_dir=base / "index", cache_dir=MODEL_CACHE)


@pytest.fixture(scope="session")
def real_engine(real_settings: Settings) -> Iterator[object]:
    """The real report, the real embedder and the real index, built once per session."""
    from rekenqa.pipeline import Engine

    yield Engine.open(real_settings)
