"""Write small real PDFs for tests (text pages with Helvetica), without extra dependencies."""

from __future__ import annotations

from pathlib import Path


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


SCAN = None  # a page of ``pdf_bytes`` that only draws an image, as a scan without a text layer does


def pdf_bytes(pages: list[str | None]) -> bytes:
    """A PDF with one page per string; lines of a string become text lines. Empty string: blank page.
    :data:`SCAN` (None): a page with a 2x2 grey image and no text."""
    objects: list[bytes] = []
    n_pages = len(pages)
    # 1 catalog, 2 pages, 3 font, 4 image, then (page, content) pairs.
    kids = " ".join(f"{5 + 2 * i} 0 R" for i in range(n_pages))
    objects.append(b"<< /Type /Catalog /Pages 2 0 R >>")
    objects.append(f"<< /Type /Pages /Kids [{kids}] /Count {n_pages} >>".encode())
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
    objects.append(
        b"<< /Type /XObject /Subtype /Image /Width 2 /Height 2 /ColorSpace /DeviceGray /BitsPerComponent 8 "
        b"/Length 4 >>\nstream\n\x00\xff\xff\x00\nendstream"
    )
    for i, text in enumerate(pages):
        if text is SCAN:
            stream = b"q 200 0 0 200 100 500 cm /Im1 Do Q"
        else:
            lines = text.split("\n") if text else []
            ops = ["BT", "/F1 11 Tf", "14 TL", "72 770 Td"]
            for line in lines:
                ops.append(f"({_escape(line)}) Tj T*")
            ops.append("ET")
            stream = "\n".join(ops).encode("cp1252", errors="replace") if lines else b""
        image = "/XObject << /Im1 4 0 R >> " if text is SCAN else ""
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> "
            f"{image}>> /Contents {6 + 2 * i} 0 R >>".encode()
        )
        objects.append(b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream")
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for off in offsets:
        out += f"{off:010d} 00000 n \n".encode()
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def write_pdf(path: Path, pages: list[str | None], *, labels_start: int | None = None, password: str | None = None) -> Path:
    """Write a PDF; optionally with decimal page labels starting at ``labels_start`` or encrypted."""
    path.write_bytes(pdf_bytes(pages))
    if labels_start is None and password is None:
        return path
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(str(path)))
    if labels_start is not None:
        writer.set_page_label(0, len(pages) - 1, style="/D", start=labels_start)
    if password is not None:
        writer.encrypt(user_password=password, owner_password=password + "-owner", algorithm="AES-128")
    with path.open("wb") as handle:
        writer.write(handle)
    return path
