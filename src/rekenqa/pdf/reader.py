"""Read a PDF into pages: labels, runs, furniture, layout (see the package docstring)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rekenqa.errors import DocumentUnreadable
from rekenqa.pdf import furniture, layout
from rekenqa.pdf.labels import page_name, page_numbers
from rekenqa.pdf.runs import TextLine, group_lines, page_runs
from rekenqa.types import Page

logger = logging.getLogger(__name__)

MAX_PDF_PAGES = 2000


@dataclass(frozen=True, slots=True)
class PdfDocument:
    pages: tuple[Page, ...]

    @property
    def notes(self) -> tuple[str, ...]:
        """In Dutch, one per page that has no text (a scan)."""
        return tuple(page.note for page in self.pages if page.note)


def _open(path: Path) -> Any:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(str(path))
        if reader.is_encrypted:
            try:
                ok = reader.decrypt("")
            except Exception as exc:  # pypdf raises several types for unsupported crypto
                raise DocumentUnreadable(
                    f"De PDF {path.name} is versleuteld en kan niet worden geopend.",
                    hint="Vraag een onbeveiligde versie aan of verwijder het wachtwoord.",
                ) from exc
            if not ok:
                raise DocumentUnreadable(
                    f"De PDF {path.name} is beveiligd met een wachtwoord.",
                    hint="Vraag een onbeveiligde versie aan of verwijder het wachtwoord.",
                )
        count = len(reader.pages)
        labels = list(reader.page_labels) if count else []
    except DocumentUnreadable:
        raise
    except (PdfReadError, OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise DocumentUnreadable(
            f"De PDF {path.name} is beschadigd of onvolledig en kan niet worden gelezen.",
            hint="Vervang het bestand door een goede kopie en draai opnieuw: rekenqa index",
        ) from exc
    if count == 0:
        raise DocumentUnreadable(f"De PDF {path.name} bevat geen pagina's.")
    if count > MAX_PDF_PAGES:
        raise DocumentUnreadable(f"De PDF {path.name} heeft {count} pagina's; het maximum is {MAX_PDF_PAGES}.")
    labels = [labels[i] if i < len(labels) else str(i + 1) for i in range(count)]
    return reader, labels


def _has_images(page: Any) -> bool:
    """Whether a page draws an image (a scanned page without a text layer draws only that)."""
    try:
        objects = page.get("/Resources", {}).get_object().get("/XObject", {}).get_object()
        return any(obj.get_object().get("/Subtype") == "/Image" for obj in objects.values())
    except Exception:  # damaged resources: say nothing rather than guess
        return False


def read_pdf(path: Path, doc_id: str) -> PdfDocument:
    """The printed pages of a PDF with clean text; an image-only PDF is refused with a Dutch message."""
    reader, labels = _open(path)
    numbered = page_numbers(labels)
    pages_lines: list[tuple[list[TextLine], float]] = []
    for index in range(len(numbered)):
        page = reader.pages[index]
        try:
            runs = page_runs(page)
            height = float(page.mediabox.height)
        except Exception as exc:  # a damaged content stream on one page
            raise DocumentUnreadable(
                f"Pagina {page_name(*numbered[index])} van {path.name} is beschadigd en kan niet worden gelezen.",
                hint="Vervang het bestand door een goede kopie.",
            ) from exc
        pages_lines.append((group_lines(runs), height))
    repeated = furniture.repeated_keys(pages_lines)
    cleaned = [
        furniture.strip_furniture(lines, height, page_name(*numbered[i]), repeated)
        for i, (lines, height) in enumerate(pages_lines)
    ]
    body = layout.body_size(cleaned)
    pages: list[Page] = []
    for (number, label), lines in zip(numbered, cleaned, strict=True):
        text = layout.page_text(lines, body)
        note = ""
        if not text.strip() and _has_images(reader.pages[len(pages)]):
            note = (
                f"pagina {page_name(number, label)} van {path.name} bevat geen tekst (een scan?) en is niet "
                "doorzoekbaar"
            )
            logger.warning("%s", note)
        contents = layout.is_contents([line.text for line in lines])
        pages.append(Page(doc_id, number, text, label, blocks_known=True, contents=contents, note=note))
    if not any(page.text.strip() for page in pages):
        raise DocumentUnreadable(
            f"De PDF {path.name} bevat geen tekst (alleen afbeeldingen?).",
            hint="Lever een PDF met tekstlaag aan of een tekstexport; OCR wordt niet ondersteund.",
        )
    return PdfDocument(tuple(pages))
