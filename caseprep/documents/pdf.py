"""HTML to PDF through WeasyPrint, limited to caseprep's own assets.

Mind where the time goes: layout of a few pages of Chinese takes ~0.06 s, but subsetting a
CJK font with fontTools takes ~1.5 s. WeasyPrint uses HarfBuzz's subsetter when Debian's
`libharfbuzz-subset0` is installed (scripts/setup-system.sh) and logs a warning naming
fontTools when it falls back; tests/documents fail on that warning.
"""

from __future__ import annotations

import threading

from caseprep.documents.fetcher import AssetOnlyFetcher

# One font configuration per thread: building it (the Pango font map) costs ~10-15% of a
# short document, and Pango font maps must not be shared between threads.
_local = threading.local()


def _font_config():
    from weasyprint.text.fonts import FontConfiguration

    config = getattr(_local, "font_config", None)
    if config is None:
        config = _local.font_config = FontConfiguration()
    return config


def render_pdf(html: str, *, fetcher: AssetOnlyFetcher | None = None) -> bytes:
    """Render a document's HTML (from caseprep.documents.html) to PDF bytes.

    Page size, running headers and page numbers come from the document's own CSS. The base
    URL is a non-network scheme, so relative URLs resolve to something the fetcher refuses.
    """
    from weasyprint import HTML

    fetcher = fetcher or AssetOnlyFetcher()
    document = HTML(string=html, base_url="caseprep-asset:/", url_fetcher=fetcher)
    # No attachments, no PDF forms: nothing of the person's text becomes an embedded file.
    return document.write_pdf(attachments=[], pdf_forms=False, uncompressed_pdf=False,
                              font_config=_font_config())
