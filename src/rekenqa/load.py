"""Read documents from corpus/: the only module that opens them.

- The report's text export has no form feeds: a page starts on a line that begins with exactly one space
  followed by a non-space character. The first such page carries printed number ``first_page`` (3 for the
  report, whose cover and contents are not in the export).
- PDFs are read by :mod:`rekenqa.pdf`: page labels as printed, clean text, headers and footers dropped,
  headings and footnotes from the fonts.
- Plain text with form feeds splits on them; other text and markdown sources are one page.

Each document may have a catalog file beside it, ``<file name>.meta.json``, with id, title, publisher,
year, kind (report | source), citation, for text exports the page rule and first printed page, and a
``profile``: what the report knows about its own subject (places, groups, example questions; see
``types.Profile``), so a second report needs a catalog file, not code.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
from dataclasses import dataclass, field
from pathlib import Path

from rekenqa.errors import CorpusInvalid, DocumentUnreadable
from rekenqa.types import DocumentInfo, Page, Profile

logger = logging.getLogger(__name__)

SUPPORTED_SUFFIXES = (".txt", ".md", ".markdown", ".pdf")
CATALOG_SUFFIX = ".meta.json"
PAGE_START = re.compile(r"^ [^ ]")
ID_RE = re.compile(r"[a-z0-9](?:[a-z0-9._-]{0,62}[a-z0-9])?")  # a document id: safe in URLs and file names


@dataclass(frozen=True, slots=True)
class CorpusFile:
    """A document file with its catalog entry and loading rules."""

    path: Path
    info: DocumentInfo
    page_rule: str  # "leading-space" | "formfeed" | "single" | "pdf"
    first_page: int
    profile: Profile = field(default_factory=Profile)
    has_catalog: bool = False  # a ``.meta.json`` file describes it


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def discover(corpus_dir: Path) -> list[CorpusFile]:
    """List the documents in ``corpus_dir`` with their catalog entries, sorted by path.

    Files that resolve outside the corpus (symlinks) are skipped with a warning; two files with the same
    content are indexed once.
    """
    if not corpus_dir.is_dir():
        raise CorpusInvalid(
            f"De corpusmap {corpus_dir} bestaat niet.",
            hint="Zet het rapport in corpus/ of wijs een andere map aan met REKENQA_CORPUS_DIR.",
        )
    root = corpus_dir.resolve()
    by_hash: dict[str, list[CorpusFile]] = {}
    for path in sorted(corpus_dir.rglob("*")):
        if not path.is_file() or path.suffix.lower() not in SUPPORTED_SUFFIXES:
            continue
        if path.name.startswith("."):
            continue
        resolved = path.resolve()
        if not resolved.is_relative_to(root):
            logger.warning("skipping %s: it points outside the corpus folder", path)
            continue
        by_hash.setdefault(file_sha256(path), []).append(_catalog_entry(path, corpus_dir))
    found: list[CorpusFile] = []
    for copies in by_hash.values():
        # Of two files with the same content, the one its catalog file describes is the document: a copy of
        # the report under another name ("00 kopie.txt") must not win by sorting first.
        keep = min(copies, key=lambda f: (f.info.kind != "report", not f.has_catalog, str(f.path)))
        for other in copies:
            if other is not keep:
                logger.warning("skipping %s: same content as %s", other.path, keep.path)
        found.append(keep)
    seen_ids: dict[str, Path] = {}
    for entry in sorted(found, key=lambda f: str(f.path)):
        if entry.info.id in seen_ids:
            raise CorpusInvalid(
                f"Twee documenten hebben dezelfde id '{entry.info.id}' ({seen_ids[entry.info.id].name} en "
                f"{entry.path.name}).",
                hint="Geef één van beide een andere id in het .meta.json-bestand.",
            )
        seen_ids[entry.info.id] = entry.path
    reports = sorted(str(f.path.relative_to(corpus_dir).as_posix()) for f in found if f.info.kind == "report")
    if len(reports) > 1:
        raise CorpusInvalid(
            f"Meer dan één document heet het rapport (kind 'report'): {', '.join(reports)}.",
            hint="Zet bij de bronnen \"kind\": \"source\" in hun .meta.json-bestand en draai daarna: rekenqa index",
        )
    # The report first: it is the default document of every answer.
    found.sort(key=lambda f: (f.info.kind != "report", str(f.path)))
    return found


def corpus_hashes(corpus_dir: Path) -> dict[str, str]:
    """sha256 of every file the index depends on (documents and catalog files), by relative path."""
    hashes: dict[str, str] = {}
    root = corpus_dir.resolve()
    for path in sorted(corpus_dir.rglob("*")):
        if not path.is_file() or path.name.startswith("."):
            continue
        if path.suffix.lower() not in SUPPORTED_SUFFIXES and not path.name.endswith(CATALOG_SUFFIX):
            continue
        if not path.resolve().is_relative_to(root):
            continue
        hashes[path.relative_to(corpus_dir).as_posix()] = file_sha256(path)
    return hashes


MAX_CATALOG_BYTES = 1 << 20  # a catalog file is a few kilobytes; more is a mistake (or a decompression trick)
MAX_TEXT_BYTES = 5 << 20  # some 2,000 pages, as MAX_PDF_PAGES; a larger text source takes hours to embed
# Catalog fields and what each must be; anything else in a catalog file is refused, not ignored (a typo such as
# "frist_page" would otherwise silently shift every citation).
CATALOG_FIELDS: dict[str, tuple[type | tuple[type, ...], str]] = {
    "id": (str, "een tekst"),
    "title": (str, "een tekst"),
    "publisher": (str, "een tekst"),
    "author": (str, "een tekst"),
    "citation": (str, "een tekst"),
    "url": (str, "een tekst"),
    "kind": (str, "'report' of 'source'"),
    "page_rule": (str, "een tekst"),
    "year": (int, "een jaartal (geheel getal)"),
    "first_page": (int, "een geheel getal vanaf 1"),
    "profile": (dict, "een JSON-object"),
}


def _read_catalog(path: Path, corpus_dir: Path) -> tuple[Path, dict[str, object]]:
    """The catalog file of a document and its content ({} when there is none), each field of the right type."""
    meta_path = path.with_name(path.name + CATALOG_SUFFIX)
    meta: dict[str, object] = {}
    if meta_path.is_file() and not meta_path.resolve().is_relative_to(corpus_dir.resolve()):
        logger.warning("ignoring %s: it points outside the corpus folder", meta_path)
    elif meta_path.is_file():
        fix = "Herstel of verwijder het bestand en draai daarna: rekenqa index"
        try:
            if meta_path.stat().st_size > MAX_CATALOG_BYTES:
                raise CorpusInvalid(
                    f"Het catalogusbestand {meta_path.name} is te groot (meer dan {MAX_CATALOG_BYTES // 1024} kB).",
                    hint=fix,
                )
            # utf-8-sig: Windows editors (Notepad) write a byte-order mark.
            loaded = json.loads(meta_path.read_text(encoding="utf-8-sig"))
        except (OSError, ValueError, RecursionError) as exc:  # ValueError: bad UTF-8 or JSON, a 5,000-digit number
            raise CorpusInvalid(f"Het catalogusbestand {meta_path.name} is geen geldige JSON.", hint=fix) from exc
        if not isinstance(loaded, dict):
            raise CorpusInvalid(f"Het catalogusbestand {meta_path.name} moet een JSON-object zijn.", hint=fix)
        meta = loaded
        unknown = sorted(set(meta) - set(CATALOG_FIELDS))
        if unknown:
            raise CorpusInvalid(
                f"{meta_path.name}: onbekende velden: {', '.join(unknown)}.",
                hint="Bekende velden: " + ", ".join(CATALOG_FIELDS) + ".",
            )
        for key, value in meta.items():
            kind, expected = CATALOG_FIELDS[key]
            if value is None and key not in ("kind", "page_rule", "first_page", "profile"):
                continue  # an empty optional field: the default applies
            if isinstance(value, bool) or not isinstance(value, kind):
                raise CorpusInvalid(
                    f"{meta_path.name}: {key} moet {expected} zijn, niet {_json_kind(value)}.", hint=fix
                )
        first_page = meta.get("first_page", 1)
        if isinstance(first_page, int) and not 1 <= first_page <= 100_000:
            raise CorpusInvalid(f"{meta_path.name}: first_page moet een geheel getal vanaf 1 zijn, niet {first_page}.")
        doc_id = meta.get("id")
        if isinstance(doc_id, str) and doc_id and not ID_RE.fullmatch(doc_id):
            raise CorpusInvalid(
                f"{meta_path.name}: id {json.dumps(doc_id[:70], ensure_ascii=False)} mag alleen kleine letters, "
                "cijfers, punten, streepjes en liggende streepjes bevatten (hoogstens 64 tekens).",
                hint=fix,
            )
        year = meta.get("year")
        if isinstance(year, int) and not 1000 <= year <= 2999:
            raise CorpusInvalid(f"{meta_path.name}: year moet een jaartal zijn, niet {year}.")
    return meta_path, meta


def _json_kind(value: object) -> str:
    """How a JSON value looks to a person editing the catalog file (Dutch)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        shown = value if len(value) <= 40 else value[:40] + "…"
        return f"de tekst {json.dumps(shown, ensure_ascii=False)}"
    if isinstance(value, int | float):
        return f"het getal {value}"
    if isinstance(value, list):
        return "een lijst"
    return "een object"


def _catalog_entry(path: Path, corpus_dir: Path) -> CorpusFile:
    meta_path, meta = _read_catalog(path, corpus_dir)
    doc_id = str(meta.get("id") or _slug(path.stem))
    kind = str(meta.get("kind") or "source")
    if kind not in ("report", "source"):
        raise CorpusInvalid(f"{meta_path.name}: kind moet 'report' of 'source' zijn, niet '{kind}'.")
    title = str(meta.get("title") or path.stem.replace("-", " ").replace("_", " ").strip().capitalize())
    year_raw = meta.get("year")
    year = year_raw if isinstance(year_raw, int) else None
    publisher = str(meta.get("publisher") or "")
    citation = str(meta.get("citation") or _default_citation(publisher, year, title))
    suffix = path.suffix.lower()
    default_rule = "pdf" if suffix == ".pdf" else "formfeed" if suffix == ".txt" else "single"
    page_rule = str(meta.get("page_rule") or default_rule)
    if page_rule not in ("leading-space", "formfeed", "single", "pdf"):
        raise CorpusInvalid(f"{meta_path.name}: onbekende page_rule '{page_rule}'.")
    first_page_raw = meta.get("first_page", 1)
    first_page = first_page_raw if isinstance(first_page_raw, int) else 1  # typed by _read_catalog
    info = DocumentInfo(
        id=doc_id,
        title=title,
        path=path.relative_to(corpus_dir).as_posix(),
        publisher=publisher,
        year=year,
        kind=kind,  # type: ignore[arg-type]
        citation=citation,
        url=str(meta.get("url") or ""),
    )
    profile = _profile(meta.get("profile", {}), meta_path.name)
    return CorpusFile(
        path=path, info=info, page_rule=page_rule, first_page=first_page, profile=profile, has_catalog=bool(meta)
    )


def read_profile(corpus_dir: Path, doc_path: str) -> Profile:
    """The profile in the catalog file of the document at ``doc_path`` (relative to ``corpus_dir``).

    A document without a catalog file or without a profile gets an empty one: no places, groups or examples.
    """
    meta_path, meta = _read_catalog(corpus_dir / doc_path, corpus_dir)
    return _profile(meta.get("profile", {}), meta_path.name)


_PROFILE_LISTS = ("places", "local_names", "regions", "implicit_places", "auditee", "own_names", "group_words", "examples")


def _profile(raw: object, name: str) -> Profile:
    """Validate the ``profile`` object of a catalog file; unknown keys are refused, not ignored."""
    if not isinstance(raw, dict):
        raise CorpusInvalid(f"{name}: profile moet een JSON-object zijn.")
    unknown = set(raw) - {*_PROFILE_LISTS, "groups", "group_overlaps"}
    if unknown:
        raise CorpusInvalid(f"{name}: onbekende profielvelden: {', '.join(sorted(unknown))}.")
    lists = {key: _strings(raw.get(key, []), f"{name}: profile.{key}") for key in _PROFILE_LISTS}
    groups_raw = raw.get("groups", {})
    if not isinstance(groups_raw, dict):
        raise CorpusInvalid(f"{name}: profile.groups moet een JSON-object zijn (groep: [stammen]).")
    groups = tuple((str(g), _strings(stems, f"{name}: profile.groups.{g}")) for g, stems in groups_raw.items())
    overlaps_raw = raw.get("group_overlaps", [])
    if not isinstance(overlaps_raw, list) or not all(
        isinstance(o, dict) and set(o) == {"group", "drops", "weak"} for o in overlaps_raw
    ):
        raise CorpusInvalid(f"{name}: profile.group_overlaps moet een lijst van {{group, drops, weak}} zijn.")
    overlaps = tuple(
        (str(o["group"]), str(o["drops"]), _strings(o["weak"], f"{name}: profile.group_overlaps"))
        for o in overlaps_raw
    )
    return Profile(groups=groups, group_overlaps=overlaps, **lists)


def _strings(value: object, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise CorpusInvalid(f"{where} moet een lijst van teksten zijn.")
    return tuple(value)


def _default_citation(publisher: str, year: int | None, title: str) -> str:
    who = publisher or "Onbekende uitgever"
    when = f" ({year})" if year else ""
    return f"{who}{when}, {title}"


def _slug(stem: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", stem.lower()).strip("-")
    return slug or "document"


def load_document(entry: CorpusFile) -> list[Page]:
    """Read one document into pages with printed page numbers."""
    if entry.page_rule == "pdf" or entry.path.suffix.lower() == ".pdf":
        return load_pdf(entry.path, entry.info.id)
    text = read_text_file(entry.path)
    if not text.strip():
        raise DocumentUnreadable(
            f"Het bestand {entry.path.name} is leeg.", hint="Vervang het door een document met tekst."
        )
    if entry.page_rule == "leading-space":
        return split_text_export(text, entry.info.id, entry.first_page)
    if entry.page_rule == "formfeed" and "\f" in text:
        parts = text.split("\f")
        if parts and not parts[-1].strip():
            parts = parts[:-1]
        return [Page(entry.info.id, entry.first_page + i, part) for i, part in enumerate(parts)]
    return [Page(entry.info.id, entry.first_page, text)]


def read_text_file(path: Path) -> str:
    """Decode a text file: UTF-8, else line by line with a Windows-1252 fallback (mixed encodings)."""
    try:
        size = path.stat().st_size
        if size > MAX_TEXT_BYTES:
            raise DocumentUnreadable(
                f"Het bestand {path.name} is te groot ({size / (1 << 20):.0f} MB; het maximum voor een tekstbestand "
                f"is {MAX_TEXT_BYTES >> 20} MB).",
                hint="Splits het in kleinere bestanden of zet alleen het deel dat u nodig hebt in corpus/.",
            )
        raw = path.read_bytes()
    except OSError as exc:
        raise DocumentUnreadable(f"Het bestand {path.name} kan niet worden gelezen ({exc.strerror}).") from exc
    if b"\x00" in raw[:4096] and not raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise DocumentUnreadable(
            f"Het bestand {path.name} lijkt geen tekstbestand te zijn.",
            hint="Sla het op als UTF-8-tekst of als PDF.",
        )
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError as exc:  # an odd number of bytes, or a lone surrogate
            raise DocumentUnreadable(
                f"Het bestand {path.name} is beschadigd: het is UTF-16-tekst maar niet volledig of niet geldig.",
                hint="Sla het opnieuw op als UTF-8-tekst.",
            ) from exc
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        logger.warning("%s is not valid UTF-8; decoding line by line with a cp1252 fallback", path.name)
    lines = []
    for line in raw.splitlines(keepends=True):
        try:
            lines.append(line.decode("utf-8"))
        except UnicodeDecodeError:
            lines.append(line.decode("cp1252", errors="replace"))
    return "".join(lines)


def split_text_export(text: str, doc_id: str, first_page: int) -> list[Page]:
    """Split a PDF text export into pages by its page-start lines (see module docstring)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    pages: list[list[str]] = []
    for line in text.split("\n"):
        if PAGE_START.match(line) or not pages:
            pages.append([])
        pages[-1].append(line)
    return [Page(doc_id, first_page + i, "\n".join(lines)) for i, lines in enumerate(pages)]


def load_pdf(path: Path, doc_id: str) -> list[Page]:
    """Read a PDF into printed pages with clean text (see :mod:`rekenqa.pdf`)."""
    from rekenqa.pdf import read_pdf

    return list(read_pdf(path, doc_id).pages)
