"""What the PDF export does to text, in one place: every stage that meets report or pasted text asks here.

    glyphs.py     the glyph tables as data: one ExportProfile per export kind (body and footnote fonts)
    ligatures.py  glyph repair of tokens, words and footnote URLs (Dutch scoring, or a word count)
    residue.py    find the ligature artefacts a text still holds
    markers.py    superscript footnote markers; digits glued to words in the raw export
    hyphens.py    line-end hyphen joining (report lines, page text, pasted quotes)
    footnotes.py  footnote areas of a page
    urls.py       URL patterns and spans, URLs broken over lines, link annotations
    normalize.py  odd spaces, soft hyphens, zero-width characters, ligature code points
    weights.py    RepairWeights: the scores and thresholds of dictionary-guided repair

Pure: no I/O. :mod:`rekenqa.repair` orchestrates these over a document's pages.
"""
