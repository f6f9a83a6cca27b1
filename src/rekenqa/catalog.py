"""Sources going into and out of corpus/: check a file, give it a safe name, write its catalog file.

A source is checked by loading it with the loader the build uses, from a staging folder outside corpus/,
before anything in corpus/ changes: a file that cannot be indexed (encrypted, image-only, too long, empty)
is refused with a Dutch message and nothing is copied. Copies never overwrite a file. Taking a source out
moves its files aside first (``Removed``), so a failed index build can put them back.

Index builds are not done here (see ``pipeline.add_source`` / ``pipeline.remove_source``).
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rekenqa import load
from rekenqa.errors import CorpusInvalid, InputInvalid, NotFound

ID_RE = load.ID_RE
RESERVED_IDS = ("rapport", "report")  # ``Engine.resolve_doc`` reads these as the report
MAX_TEXT = 300  # characters of a title or publisher
MIN_YEAR, MAX_YEAR = 1800, 2100


@dataclass(frozen=True, slots=True)
class SourceMeta:
    """What the user says about a source (``rekenqa add --title … --publisher … --year … --id … --url …``)."""

    title: str = ""
    publisher: str = ""
    year: int | None = None
    doc_id: str = ""
    url: str = ""


@dataclass(frozen=True, slots=True)
class CheckedSource:
    """A source that loads as the build will load it, not yet in corpus/."""

    staged: Path  # the checked copy, in a staging folder outside corpus/
    doc_id: str
    name: str  # its file name in corpus/ (free when checked)
    catalog: dict[str, Any]  # what goes into ``<name>.meta.json``
    pages: int
    sha256: str


@dataclass(frozen=True, slots=True)
class Installed:
    """A source copied into corpus/ with its catalog file."""

    path: Path
    catalog_path: Path

    def undo(self) -> None:
        """Remove both files again: corpus/ is as before."""
        self.path.unlink(missing_ok=True)
        self.catalog_path.unlink(missing_ok=True)


@dataclass(frozen=True, slots=True)
class Removed:
    """A source's files moved out of corpus/ into a folder beside it, until ``discard`` or ``restore``."""

    entry: load.CorpusFile
    aside: Path
    moved: tuple[tuple[Path, Path], ...]  # (where it was, where it is now)

    def restore(self) -> None:
        for original, now in self.moved:
            if now.exists() and not original.exists():
                now.rename(original)
        shutil.rmtree(self.aside, ignore_errors=True)

    def discard(self) -> None:
        shutil.rmtree(self.aside, ignore_errors=True)


# ---------------------------------------------------------------- adding


@contextlib.contextmanager
def checked_source(corpus_dir: Path, origin: Path, meta: SourceMeta) -> Iterator[CheckedSource]:
    """Check ``origin`` for corpus/ and yield it staged (the staging folder is removed afterwards).

    Refused with a Dutch message: a missing or unsupported file, content already in corpus/, an id in use,
    bad catalog values, and anything the loader refuses (encrypted or damaged PDF, no text, too many pages).
    """
    origin = Path(origin).expanduser()
    if not origin.is_file():
        raise InputInvalid(f"Bestand niet gevonden: {origin}.")
    suffix = origin.suffix.lower()
    if suffix not in load.SUPPORTED_SUFFIXES:
        raise InputInvalid(
            f"{origin.name} kan niet worden toegevoegd: alleen PDF-, .txt- en .md-bestanden worden ondersteund.",
            hint="Sla het document op als PDF of als tekstbestand.",
        )
    entries = load.discover(corpus_dir)
    digest = load.file_sha256(origin)
    for path, existing in load.corpus_hashes(corpus_dir).items():
        if existing == digest and not path.endswith(load.CATALOG_SUFFIX):
            same = next((e.info.id for e in entries if e.info.path == path), "")
            raise InputInvalid(
                f"{origin.name} staat al in corpus/" + (f" als '{same}'" if same else "") + f" ({path}).",
                hint="Hetzelfde document wordt niet twee keer toegevoegd.",
            )
    doc_id = _doc_id(meta.doc_id, origin)
    used = {e.info.id: e.info.path for e in entries}
    if doc_id in used:
        raise InputInvalid(
            f"De id '{doc_id}' is al in gebruik ({used[doc_id]}).", hint="Kies een andere id met --id."
        )
    name = free_name(corpus_dir, origin)
    with tempfile.TemporaryDirectory(prefix="rekenqa-add-") as tmp:
        stage = Path(tmp)
        # Staged under its own name, so the loader's messages name the file the user gave.
        staged = stage / (origin.name if not origin.name.startswith(".") else name)
        shutil.copyfile(origin, staged)
        catalog = catalog_for(staged, doc_id, meta, origin)
        (stage / (staged.name + load.CATALOG_SUFFIX)).write_text(json.dumps(catalog, ensure_ascii=False, indent=2), encoding="utf-8")
        # Load it exactly as the build will: catalog entry, page rule, loader (which refuses what it cannot read).
        found = load.discover(stage)
        if len(found) != 1:  # pragma: no cover - one supported file was staged
            raise CorpusInvalid(f"{origin.name} kon niet worden voorbereid.")
        pages = load.load_document(found[0])
        if not any(page.text.strip() for page in pages):
            raise InputInvalid(f"{origin.name} bevat geen tekst.", hint="Voeg een document met tekst toe.")
        yield CheckedSource(staged, doc_id, name, catalog, len(pages), digest)


def install(corpus_dir: Path, checked: CheckedSource) -> Installed:
    """Copy a checked source and its catalog file into corpus/, never over an existing file."""
    name = checked.name
    if _taken(corpus_dir, name):  # taken since it was checked
        name = free_name(corpus_dir, Path(name))
    target = corpus_dir / name
    meta_path = corpus_dir / (name + load.CATALOG_SUFFIX)
    created: list[Path] = []
    try:
        with checked.staged.open("rb") as src, target.open("xb") as dst:
            created.append(target)
            shutil.copyfileobj(src, dst)
        with meta_path.open("x", encoding="utf-8") as handle:
            created.append(meta_path)
            handle.write(json.dumps(checked.catalog, ensure_ascii=False, indent=2) + "\n")
    except BaseException as exc:
        for path in created:
            path.unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise CorpusInvalid(
                f"{name} kon niet in {corpus_dir} worden gezet ({exc.strerror or exc}).",
                hint="Controleer of de corpusmap beschrijfbaar is; er is niets gewijzigd.",
            ) from exc
        raise
    return Installed(target, meta_path)


def catalog_for(path: Path, doc_id: str, meta: SourceMeta, origin: Path | None = None) -> dict[str, Any]:
    """The catalog entry of a source: given values checked, the title defaulting to the PDF's /Title or the
    file name (of ``origin`` when given)."""
    title = _text(meta.title, "titel") or pdf_title(path) or _title_from_name(origin or path)
    publisher = _text(meta.publisher, "uitgever")
    if meta.year is not None and not MIN_YEAR <= meta.year <= MAX_YEAR:
        raise InputInvalid(f"Ongeldig jaar {meta.year}.", hint=f"Geef een jaar tussen {MIN_YEAR} en {MAX_YEAR}.")
    url = meta.url.strip()
    if url and not re.fullmatch(r"https?://[^\s]+", url):
        raise InputInvalid(f"Ongeldige URL '{url}'.", hint="Geef een webadres dat begint met http:// of https://.")
    who = publisher or "Onbekende uitgever"
    when = f" ({meta.year})" if meta.year else ""
    return {
        "id": doc_id,
        "title": title,
        "publisher": publisher,
        "year": meta.year,
        "kind": "source",
        "citation": f"{who}{when}, {title}",
        "url": url,
    }


def pdf_title(path: Path) -> str:
    """The /Title of a PDF's document information, when it is a usable title; "" otherwise."""
    if path.suffix.lower() != ".pdf":
        return ""
    try:
        from pypdf import PdfReader

        reader = PdfReader(str(path))
        if reader.is_encrypted:
            return ""
        raw = reader.metadata.title if reader.metadata else None
    except Exception:  # metadata is optional: a damaged info dictionary is no reason to refuse
        return ""
    title = " ".join(str(raw or "").split())
    title = re.sub(r"^Microsoft (?:Word|PowerPoint) - ", "", title)
    if len(title) < 3 or len(title) > MAX_TEXT or re.fullmatch(r"[\w-]+\.(?:docx?|pptx?|pdf|indd)", title, re.I):
        return ""
    return title


def free_name(corpus_dir: Path, origin: Path) -> str:
    """A safe file name for ``origin`` in corpus/ (lowercase letters, digits and dashes) that is not taken."""
    stem = re.sub(r"[^a-z0-9]+", "-", origin.stem.lower()).strip("-")[:80].strip("-") or "bron"
    suffix = origin.suffix.lower()
    name = f"{stem}{suffix}"
    number = 2
    while _taken(corpus_dir, name):
        name = f"{stem}-{number}{suffix}"
        number += 1
    return name


def _taken(corpus_dir: Path, name: str) -> bool:
    # A leftover catalog file without its document would be read as the new file's catalog: avoid its name too.
    return os.path.lexists(corpus_dir / name) or os.path.lexists(corpus_dir / (name + load.CATALOG_SUFFIX))


def _doc_id(given: str, origin: Path) -> str:
    if given:
        doc_id = given.strip()
        if not ID_RE.fullmatch(doc_id):
            raise InputInvalid(
                f"Ongeldige id '{given}'.",
                hint="Gebruik kleine letters, cijfers, '-', '_' of '.', zoals scp-2025 (hoogstens 64 tekens).",
            )
    else:
        doc_id = re.sub(r"[^a-z0-9]+", "-", origin.stem.lower()).strip("-")[:64].strip("-") or "bron"
    if doc_id in RESERVED_IDS:
        raise InputInvalid(f"De id '{doc_id}' is gereserveerd voor het rapport.", hint="Kies een andere id met --id.")
    return doc_id


def _text(value: str, what: str) -> str:
    text = " ".join(value.split())
    if len(text) > MAX_TEXT:
        raise InputInvalid(f"De {what} is te lang ({len(text)} tekens; het maximum is {MAX_TEXT}).")
    return text


def _title_from_name(path: Path) -> str:
    return path.stem.replace("-", " ").replace("_", " ").strip().capitalize() or "Bron"


# ---------------------------------------------------------------- removing


def find_source(corpus_dir: Path, doc_id: str) -> load.CorpusFile:
    """The source in corpus/ with this id (or file name); the report and unknown ids are refused in Dutch."""
    entries = load.discover(corpus_dir)
    wanted = doc_id.strip().lower()
    if wanted in RESERVED_IDS:
        match = next((e for e in entries if e.info.kind == "report"), None)
    else:
        match = next((e for e in entries if wanted in (e.info.id.lower(), e.info.path.lower())), None)
    if match is None:
        known = ", ".join(f"{e.info.id} (rapport)" if e.info.kind == "report" else e.info.id for e in entries)
        raise NotFound(f"Onbekende bron '{doc_id}'.", hint=f"Bekende documenten: {known}.")
    if match.info.kind == "report":
        raise InputInvalid(
            f"'{match.info.id}' is het rapport zelf en kan niet worden verwijderd.",
            hint="Alleen bronnen kunnen worden verwijderd; zie rekenqa info.",
        )
    return match


def take_out(corpus_dir: Path, entry: load.CorpusFile) -> Removed:
    """Move a source and its catalog file out of corpus/ (beside it, same disk); see ``Removed``."""
    aside = corpus_dir.parent / f".{corpus_dir.name}.removed-{os.getpid()}-{time.monotonic_ns()}"
    meta_path = entry.path.with_name(entry.path.name + load.CATALOG_SUFFIX)
    moved: list[tuple[Path, Path]] = []
    try:
        aside.mkdir()
        for number, path in enumerate(p for p in (entry.path, meta_path) if os.path.lexists(p)):
            now = aside / f"{number}-{path.name}"
            path.rename(now)
            moved.append((path, now))
    except OSError as exc:
        Removed(entry, aside, tuple(moved)).restore()
        raise CorpusInvalid(
            f"{entry.info.path} kon niet uit {corpus_dir} worden verwijderd ({exc.strerror or exc}).",
            hint="Controleer of de corpusmap beschrijfbaar is; er is niets gewijzigd.",
        ) from exc
    return Removed(entry, aside, tuple(moved))
