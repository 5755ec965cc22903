"""Render document data to HTML with the Jinja templates under templates/documents/.

A separate environment from Flask's (the services import nothing from Flask): autoescape
always on, StrictUndefined so a template typo fails instead of printing nothing, and the
print CSS inlined so that rendering a PDF needs no fetch at all.
"""

from __future__ import annotations

import functools

from jinja2 import Environment, FileSystemLoader, StrictUndefined, TemplateNotFound
from markupsafe import Markup

from caseprep import paths
from caseprep.documents.fonts import choose_fonts
from caseprep.documents.model import Document

_PAGE_SIZES = {"A4": "A4", "letter": "letter", "Letter": "letter"}
# A CJK document prints in one face of its CJK font: every further weight is another 20-30 MB
# font file that WeasyPrint loads, subsets and compresses for each PDF (about a fifth of a
# Chinese document's rendering time, issue 11). Headings stand out by size and rules, as in
# a 宋体 filing; placeholders and banners by colour.
_ONE_WEIGHT = ("h1, h2, h3, th, strong, b, .party dt, .field .name, .placeholder, .banner "
               "{ font-weight: normal; }\n")


def _loader() -> FileSystemLoader:
    return FileSystemLoader(str(paths.resource_dir("templates") / "documents"))


@functools.lru_cache(maxsize=1)
def environment() -> Environment:
    loader = _loader()
    env = Environment(
        loader=loader,
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,
    )
    return env


def template_name(doc: Document) -> str:
    """`<kind>/<variant>.html`, else the jurisdiction's own `<kind>/<code>.html` (the form
    its readers expect, e.g. the cn 控告书), else `<kind>/default.html`."""
    env = environment()
    # A state or region file (us-ca) uses its country's form (us) unless it has its own.
    country = doc.jurisdiction.split("-", 1)[0]
    for name in (f"{doc.kind}/{doc.variant}.html", f"{doc.kind}/{doc.jurisdiction}.html",
                 f"{doc.kind}/{country}.html", f"{doc.kind}/default.html"):
        try:
            env.get_template(name)
        except TemplateNotFound:
            continue
        return name
    raise TemplateNotFound(f"{doc.kind}/{doc.variant}.html")


def stylesheet(name: str) -> str:
    """A CSS file of templates/documents/ (the project's own files only)."""
    return _loader().get_source(environment(), name)[0]


def print_css(doc: Document) -> Markup:
    """The shared print CSS plus this document's page size and font stack."""
    base = stylesheet("_print.css") + stylesheet("_columns.css")
    fonts = choose_fonts(doc.lang)
    page = _PAGE_SIZES.get(doc.paper, "A4")
    footer = str(doc.t("page_footer"))
    extra = (
        f"@page {{ size: {page}; @bottom-center {{ content: {footer}; }} }}\n"
        f"html {{ font-family: {fonts.css_stack()}; }}\n"
    )
    if fonts.cjk_family:
        extra += _ONE_WEIGHT
    return Markup(base + "\n" + extra)  # noqa: S704 - project files and computed values only


def render_html(doc: Document) -> str:
    """The full HTML document (inline CSS, no external resource)."""
    template = environment().get_template(template_name(doc))
    return template.render(doc=doc, css=print_css(doc))
