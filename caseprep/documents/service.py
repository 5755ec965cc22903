"""Generate a case's documents: which ones, in which languages, as PDF and DOCX.

Used by the CLI (from a facts file, no stored case), the API and the web views alike.
Imports nothing from Flask.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from caseprep.documents import html as html_render
from caseprep.documents import render_pool
from caseprep.documents.docx import render_docx
from caseprep.documents.model import (
    DETAIL_KEYS,
    KIND_DETAILS,
    KINDS,
    Document,
    build,
    fact_texts,
    select_routes,
)
from caseprep.documents.pdf import render_pdf
from caseprep.evidence.posted import facts_from_counts, posted_counts
from caseprep.rules import assess
from caseprep.rules.platforms import PLATFORMS_FILE, Directory, load_directory

FORMATS = ("pdf", "docx", "html")
# Request values for formats: one format, or the printable and editable pair for the packet.
FORMAT_CHOICES = {"pdf": ("pdf",), "docx": ("docx",), "html": ("html",),
                  "pdf+docx": ("pdf", "docx")}
MEDIA_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "html": "text/html; charset=utf-8",
    "zip": "application/zip",
}
_ACTIVE = ("met", "unknown", "time_barred")  # a lawyer may still find the time extended


@dataclass(frozen=True)
class DocumentSpec:
    """One document to make: a kind, and for takedown notices a platform and legal basis."""

    kind: str
    platform: str | None = None
    basis_route_id: str | None = None
    variant: str | None = None


@dataclass
class GeneratedFile:
    name: str
    data: bytes
    media_type: str
    kind: str
    lang: str
    for_filing: bool
    placeholders: list[str] = field(default_factory=list)


def split_input(raw: Mapping) -> tuple[dict, dict]:
    """Separate rule facts from document details (names, court, amount claimed...)."""
    facts = {k: v for k, v in raw.items() if k not in DETAIL_KEYS}
    details = {k: v for k, v in raw.items() if k in DETAIL_KEYS}
    return facts, details


def takedown_variant(route: Mapping) -> str:
    """The notice template a route names (`notice_template` in the rule file)."""
    return route.get("notice_template") or "platform_policy"


def addressed_to_platform(route: Mapping) -> bool:
    """Whether a route's notice goes to each platform (one notice per platform) or, as an
    `authority_report`, once to the body the route's `addressee` names."""
    return takedown_variant(route) != "authority_report"


def with_log_counts(facts: Mapping, evidence: Sequence[Mapping], catalog) -> dict:
    """`facts` with the images and videos the poster spread counted from the evidence log,
    when there is one: the same count (caseprep.evidence.posted) and the same facts
    (`facts_from_counts`) as a stored case's, so every document agrees with the log."""
    out = dict(facts)
    if evidence:
        counted = posted_counts(evidence)
        out.update(facts_from_counts({"image": counted.images, "video": counted.videos},
                                     catalog))
    return out


def notice_language(entry, lang: str, filing_lang: str) -> str:
    """The language of a notice to a platform: the version's own when the platform reads it;
    else the authority's language when it does; else the platform's first (a notice in
    Chinese to a platform that reads only English is not read)."""
    if entry is None or not entry.languages or lang in entry.languages:
        return lang
    return filing_lang if filing_lang in entry.languages else entry.languages[0]


def platform_directory(jurisdiction) -> Directory | None:
    """The platform directory of the rules folder `jurisdiction` was loaded from (None when
    that folder has none: notices then name the platform without an entity or channel)."""
    catalog = getattr(jurisdiction, "catalog", None)
    source = getattr(catalog, "source", "")
    if not source:
        return None
    folder = Path(source).parent
    if not (folder / PLATFORMS_FILE).is_file():
        return None
    return load_directory(folder, catalog)


def plan(assessment: Mapping, facts: Mapping, kinds: Sequence[str] | None = None):
    """The documents to make. Without `kinds`: every kind a met or unknown route produces.

    Takedown notices: one per platform in `distribution.platforms` and per platform-notice
    route (legal basis) met or unknown; a plain platform-policy report per platform when no
    such route applies; one report per other takedown route (to the body it names).
    """
    routes = assessment.get("routes", [])
    if kinds is None:
        kinds = [k for k in KINDS
                 if any(k in (r.get("documents") or []) and r.get("status") in _ACTIVE
                        for r in routes)]
        if "evidence_list" not in kinds:
            kinds.append("evidence_list")
    unknown = [k for k in kinds if k not in KINDS]
    if unknown:
        raise ValueError(f"unknown document kind(s): {', '.join(unknown)}")
    specs: list[DocumentSpec] = []
    for kind in KINDS:
        if kind not in kinds:
            continue
        if kind != "takedown_notice":
            specs.append(DocumentSpec(kind))
            continue
        platforms = list(facts.get("distribution.platforms") or []) or [None]
        active = [r for r in select_routes(assessment, kind) if r.get("status") in _ACTIVE]
        # Takedown routes decide the notices; another route that names takedown notices
        # (e.g. a civil deletion right) stands in only when no takedown route applies.
        bases = [r for r in active if r.get("kind") == "takedown"] or active
        to_platform = [r for r in bases if addressed_to_platform(r)]
        for platform in platforms:
            if not to_platform:
                specs.append(DocumentSpec(kind, platform, None, "platform_policy"))
            for route in to_platform:
                specs.append(DocumentSpec(kind, platform, route["id"], takedown_variant(route)))
        # Routes to a reporting body rather than a platform (e.g. a national reporting
        # centre): one report to that body, naming every item.
        for route in bases:
            if route not in to_platform:
                specs.append(DocumentSpec(kind, None, route["id"], "authority_report"))
    return specs


def build_documents(
    jurisdiction,
    facts: Mapping,
    details: Mapping | None = None,
    evidence: Iterable[Mapping] = (),
    kinds: Sequence[str] | None = None,
    lang: str | None = None,
    today: dt.date | None = None,
    platforms: Directory | None = None,
    notices_in_lang: bool = False,
) -> list[Document]:
    """Assess `facts` against `jurisdiction` (a caseprep.rules.Jurisdiction) and build the data.

    `lang` defaults to the jurisdiction's language (the version for filing); `platforms`
    defaults to the directory of the jurisdiction's own rules folder. With `notices_in_lang`
    a notice to a platform that reads another language is written in `lang` too: her
    reading copy, marked not for filing.
    """
    lang = lang or jurisdiction.language
    evidence = list(evidence)
    known = jurisdiction.catalog.coerce(with_log_counts(facts, evidence, jurisdiction.catalog))
    assessment = assess(jurisdiction, known, lang=lang, today=today).to_dict()
    labels, questions, names = fact_texts(jurisdiction.catalog)
    specs = plan(assessment, known, kinds)
    directory = platforms or platform_directory(jurisdiction)
    assessed = {lang: assessment}
    documents = []
    for spec in specs:
        entry = directory.get(spec.platform) \
            if directory is not None and spec.kind == "takedown_notice" else None
        filing = notice_language(entry if spec.platform else None, lang,
                                 jurisdiction.language)
        doc_lang = lang if notices_in_lang else filing
        if doc_lang not in assessed:
            assessed[doc_lang] = assess(jurisdiction, known, lang=doc_lang,
                                        today=today).to_dict()
        doc = build(spec.kind, assessed[doc_lang], known, evidence, doc_lang, details or {},
                    platform=spec.platform, basis_route_id=spec.basis_route_id,
                    variant=spec.variant, fact_labels=labels, fact_questions=questions,
                    fact_names=names, today=today, platform_entry=entry)
        if filing != lang:  # the platform reads another language: that is its filing
            doc.filing_lang = filing
        documents.append(doc)
    _list_placeholders(documents, assessment, known, evidence, lang, details or {}, labels)
    return documents


def _list_placeholders(documents, assessment, facts, evidence, lang, details, labels) -> None:
    """The checklist lists every placeholder of the drafts the case calls for."""
    checklists = [d for d in documents if d.kind == "evidence_checklist"]
    if not checklists:
        return
    kinds = {spec.kind for spec in plan(assessment, facts)} | {d.kind for d in documents}
    seen: dict[str, None] = {}
    for kind in KINDS:
        if kind in kinds and KIND_DETAILS[kind]:
            other = build(kind, assessment, facts, evidence, lang, details, fact_labels=labels)
            seen.update(dict.fromkeys(other.placeholders))
    for checklist in checklists:
        checklist.all_placeholders = list(seen)


def render(doc: Document, fmt: str) -> GeneratedFile:
    """One document in one format."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}")
    markup = html_render.render_html(doc)
    if fmt == "pdf":
        data = render_pdf(markup)
    elif fmt == "docx":
        data = render_docx(doc, markup)
    else:
        data = markup.encode("utf-8")
    return GeneratedFile(
        name=f"{doc.file_stem}.{fmt}", data=data, media_type=MEDIA_TYPES[fmt], kind=doc.kind,
        lang=doc.lang, for_filing=doc.for_filing, placeholders=list(doc.placeholders),
    )


def generate(
    jurisdiction,
    facts: Mapping,
    details: Mapping | None = None,
    evidence: Iterable[Mapping] = (),
    kinds: Sequence[str] | None = None,
    formats: Sequence[str] = ("pdf",),
    ui_lang: str | None = None,
    today: dt.date | None = None,
    workers: int = 1,
    on_file: Callable[[int, int], None] | None = None,
) -> list[GeneratedFile]:
    """Every document of `packet_documents` in every format. With `workers` > 1 the files
    are rendered in that many processes (render_pool); `on_file(done, total)` is called as
    each file is rendered (a progress bar)."""
    docs = packet_documents(jurisdiction, facts, details, evidence, kinds, ui_lang, today)
    jobs = [(doc, fmt) for doc in docs for fmt in formats]
    return render_pool.render_all(render, jobs, workers, cost=_render_cost, on_done=on_file)


def packet_documents(
    jurisdiction,
    facts: Mapping,
    details: Mapping | None = None,
    evidence: Iterable[Mapping] = (),
    kinds: Sequence[str] | None = None,
    ui_lang: str | None = None,
    today: dt.date | None = None,
) -> list[Document]:
    """Every planned document: the filing version, plus a version in the person's language
    (marked not for filing) when `ui_lang` differs from the authority's."""
    evidence = list(evidence)
    langs = [jurisdiction.language]
    if ui_lang and ui_lang != jurisdiction.language:
        langs.append(ui_lang)
    docs: dict[str, Document] = {}
    for lang in langs:
        for doc in build_documents(jurisdiction, facts, details, evidence, kinds, lang, today):
            # A notice to a platform is written once, in the language the platform reads.
            docs.setdefault(doc.file_stem, doc)
    # She signs what she sends: a notice in a language she may not read (to Telegram, in
    # English, from a Chinese case) comes with her copy in her language, not for filing.
    reader = langs[-1]
    if any(d.kind == "takedown_notice" and d.lang != reader for d in docs.values()):
        for doc in build_documents(jurisdiction, facts, details, evidence, ["takedown_notice"],
                                   reader, today, notices_in_lang=True):
            if not doc.for_filing:
                docs.setdefault(doc.file_stem, doc)
    return list(docs.values())


def _render_cost(job: tuple[Document, str]) -> float:
    """Rough relative cost of rendering a job: PDFs of long lists first, DOCX last."""
    doc, fmt = job
    return (10.0 if fmt == "pdf" else 1.0) * (1 + len(doc.evidence) / 20)

