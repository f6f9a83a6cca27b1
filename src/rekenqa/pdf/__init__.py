"""Read a PDF into printed pages as clean as the report's text export.

- :mod:`~rekenqa.pdf.runs`: the text runs of every page with font size, weight and position (pypdf's visitor);
- :mod:`~rekenqa.pdf.labels`: page labels as printed ("iii", "17") and the page numbers they get;
- :mod:`~rekenqa.pdf.furniture`: running headers, footers and page-number lines, found by repetition;
- :mod:`~rekenqa.pdf.layout`: headings, paragraphs, footnotes and markers from the fonts, as page text in the
  layout the structure analysis reads (body, a blank line, then the footnotes "N text").
"""

from rekenqa.pdf.reader import read_pdf

__all__ = ["read_pdf"]
