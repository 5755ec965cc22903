"""Every DOCX is a copy of one template document per process (documents.docx._template):
a document must not change the template nor carry another document's content."""

from __future__ import annotations

import io
import zipfile

import docx as python_docx

from caseprep.documents import docx, html, model
from tests.documents import sample_data as sd
from tests.documents.helpers import docx_text


def _parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def _render(kind: str) -> tuple[str, bytes]:
    doc = model.build(kind, sd.cn_assessment(), sd.FACTS, sd.EVIDENCE, None, sd.DETAILS)
    markup = html.render_html(doc)
    return docx._title_of(markup), docx.render_docx(doc, markup)


def test_documents_from_the_shared_template_stay_apart():
    report_title, report = _render("police_report")
    checklist_title, checklist = _render("evidence_checklist")
    assert report_title and checklist_title and report_title != checklist_title
    assert report_title in docx_text(report) and report_title not in docx_text(checklist)
    assert _parts(_render("police_report")[1]) == _parts(report)  # nothing left behind
    template = python_docx.Document(io.BytesIO(docx._template("zh_Hans", "A4")))
    assert not template.paragraphs and not template.tables
    assert template.sections[0].header.is_linked_to_previous  # no header of its own
