"""Documents: drafts (police report, civil complaint, takedown notices, evidence checklist and
list) as HTML, PDF and DOCX, and the case packet. No Flask imports.

The contract (docs/architecture.md): `build(kind, jurisdiction, facts, evidence_items, lang,
overrides) -> Document`; `render_html(doc)`, `render_pdf(html)`, `render_docx(doc, html)`,
`build_packet(files, evidence, lang=..., jurisdiction_name=...)`. `jurisdiction` may be a
`caseprep.rules.Jurisdiction` or one jurisdiction's assessment dict. The service module
(`caseprep.documents.service`) plans which documents a case needs and renders them all.
WeasyPrint is imported only when a PDF is made.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from caseprep.documents.model import DETAIL_KEYS, KINDS, Document


def build(kind: str, jurisdiction, facts: Mapping, evidence_items: Iterable[Mapping] = (),
          lang: str | None = None, overrides: Mapping | None = None, **options) -> Document:
    """One document's data; assesses `facts` first when given a Jurisdiction."""
    from caseprep.documents import model

    if isinstance(jurisdiction, Mapping):
        return model.build(kind, jurisdiction, facts, evidence_items, lang, overrides, **options)
    from caseprep.documents.model import fact_texts
    from caseprep.rules import assess

    lang = lang or jurisdiction.language
    known = jurisdiction.catalog.coerce(dict(facts))
    assessment = assess(jurisdiction, known, lang=lang, today=options.get("today")).to_dict()
    labels, questions, names = fact_texts(jurisdiction.catalog)
    options.setdefault("fact_labels", labels)
    options.setdefault("fact_questions", questions)
    options.setdefault("fact_names", names)
    return model.build(kind, assessment, known, evidence_items, lang, overrides, **options)


def render_html(doc: Document) -> str:
    from caseprep.documents.html import render_html as _render

    return _render(doc)


def render_pdf(html: str) -> bytes:
    from caseprep.documents.pdf import render_pdf as _render

    return _render(html)


def render_docx(doc: Document, html: str | None = None) -> bytes:
    from caseprep.documents.docx import render_docx as _render

    return _render(doc, html if html is not None else render_html(doc))


def build_packet(files, evidence, *, lang: str, jurisdiction_name: str) -> bytes:
    from caseprep.documents.packet import build_packet as _build

    return _build(files, evidence, lang=lang, jurisdiction_name=jurisdiction_name)


__all__ = ["DETAIL_KEYS", "KINDS", "Document", "build", "build_packet", "render_docx",
           "render_html", "render_pdf"]
