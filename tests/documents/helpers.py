"""Read back what documents say: text of a PDF (pdftotext) and a DOCX, and a PDF's fonts."""

from __future__ import annotations

import io
import re
import subprocess
import tempfile
import zipfile
from pathlib import Path

import docx

_WS = re.compile(r"\s+")


def pdf_text(data: bytes) -> str:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "doc.pdf"
        path.write_bytes(data)
        return subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"],
                              capture_output=True, check=True, text=True).stdout


def pdf_fonts(data: bytes) -> str:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "doc.pdf"
        path.write_bytes(data)
        return subprocess.run(["pdffonts", str(path)], capture_output=True, check=True,
                              text=True).stdout


def docx_text(data: bytes) -> str:
    document = docx.Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    for section in document.sections:
        parts.extend(p.text for p in section.header.paragraphs)
    return "\n".join(parts)


def docx_xml(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.read("word/document.xml").decode("utf-8")


def squash(text: str) -> str:
    """Drop all whitespace: line breaks in extracted PDF text fall anywhere."""
    return _WS.sub("", text)


def printed_article(doc, citation) -> str:
    """The article as the document prints it (Chinese style in a Chinese cn document)."""
    from caseprep.documents.korean import korean_articles
    from caseprep.documents.numerals import chinese_articles

    if doc.lang.startswith("zh") and doc.jurisdiction == "cn":
        return chinese_articles(citation["article"])
    if doc.lang == "ko" and not doc.jurisdiction.startswith("us"):
        return korean_articles(citation["article"])
    if citation.get("cite") and (doc.lang == "en" or doc.jurisdiction.startswith("us")):
        return re.sub(r"§(?=\d)", "§ ", citation["article"])  # "Pub. L. No. 119-12, § 3"
    return citation["article"]
