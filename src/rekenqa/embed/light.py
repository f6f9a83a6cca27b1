"""A mean-pooled sentence-transformers folder run with transformers alone.

Importing sentence-transformers costs about 4 s on a 2-core laptop (it pulls in scipy and pandas), more
than the model takes to load. A folder that is Transformer -> mean Pooling (-> Normalize), as the converted
e5 model is, needs none of it: the transformer and tokenizer load with transformers, and pooling is the same
masked mean sentence-transformers computes (same operations in the same order, so the same vectors).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    import torch

_TRANSFORMER = "sentence_transformers.models.Transformer"
_POOLING = "sentence_transformers.models.Pooling"
_NORMALIZE = "sentence_transformers.models.Normalize"
_OTHER_MODES = (
    "pooling_mode_cls_token",
    "pooling_mode_max_tokens",
    "pooling_mode_mean_sqrt_len_tokens",
    "pooling_mode_weightedmean_tokens",
    "pooling_mode_lasttoken",
)


def _read(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def mean_pooled_config(folder: Path) -> dict[str, Any] | None:
    """``{"max_seq_length": n, "prompts": {...}}`` when ``folder`` is Transformer -> mean Pooling
    (-> Normalize) with the transformer at its root; None for any other folder."""
    modules = _read(folder / "modules.json")
    if not isinstance(modules, list) or len(modules) < 2 or not all(isinstance(m, dict) for m in modules):
        return None
    types = [str(m.get("type", "")) for m in modules]
    if types[0] != _TRANSFORMER or modules[0].get("path") != "" or types[1] != _POOLING:
        return None
    if any(t != _NORMALIZE for t in types[2:]):
        return None
    pooling = _read(folder / str(modules[1].get("path", "")) / "config.json")
    if not isinstance(pooling, dict) or pooling.get("pooling_mode_mean_tokens") is not True:
        return None
    if any(pooling.get(mode) for mode in _OTHER_MODES):
        return None
    bert = _read(folder / "sentence_bert_config.json")
    st = _read(folder / "config_sentence_transformers.json")
    return {
        "max_seq_length": int(bert.get("max_seq_length") or 512) if isinstance(bert, dict) else 512,
        "prompts": dict(st.get("prompts") or {}) if isinstance(st, dict) else {},
    }


class MeanPooledModel:
    """The transformer and tokenizer of a mean-pooled folder, and its pooled (not normalised) vectors."""

    def __init__(self, folder: Path, max_seq_length: int) -> None:
        from transformers import AutoModel, AutoTokenizer

        self.tokenizer = AutoTokenizer.from_pretrained(str(folder), local_files_only=True)
        self.auto_model = AutoModel.from_pretrained(str(folder), local_files_only=True)
        self.auto_model.eval()
        self.max_seq_length = max_seq_length
        self.dim = int(self.auto_model.config.hidden_size)

    def pooled(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
        """Masked mean of the token embeddings, as sentence-transformers' Pooling computes it."""
        import torch

        tokens = self.auto_model(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state
        mask = attention_mask.unsqueeze(-1).expand(tokens.size()).to(tokens.dtype)
        return torch.sum(tokens * mask, 1) / torch.clamp(mask.sum(1), min=1e-9)
