"""WeasyPrint URL fetcher that serves only caseprep's own document assets.

Case text is written by the person (and sometimes pasted from the abuser's messages): a URL
or a file path inside it must never make the server fetch anything (SSRF, local file reads,
PDF attachments). Templates escape user text, so it never becomes markup; this fetcher is
the second wall: every URL except `caseprep-asset:NAME` for a file in documents/assets/ is
refused, and the refusal stops the rendering instead of being logged and skipped.
"""

from __future__ import annotations

import mimetypes
from pathlib import Path

from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

ASSET_SCHEME = "caseprep-asset:"
ASSETS_DIR = Path(__file__).resolve().parent / "assets"


class RefusedFetchError(FatalURLFetchingError):
    """A document tried to load something that is not one of caseprep's own assets."""


class AssetOnlyFetcher(URLFetcher):
    """Serve `caseprep-asset:NAME` from documents/assets/; refuse http(s), file:, data:, all else.

    `refused` lists what was asked and refused, so tests (and callers) can see attempts.
    """

    def __init__(self) -> None:
        super().__init__(allowed_protocols=(), fail_on_errors=True)
        self.refused: list[str] = []
        self.served: list[str] = []

    def fetch(self, url, headers=None):
        if url.startswith(ASSET_SCHEME):
            name = url[len(ASSET_SCHEME):].lstrip("/")
            path = (ASSETS_DIR / name).resolve()
            if path.parent == ASSETS_DIR and path.is_file():
                self.served.append(name)
                mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
                return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": mime})
        self.refused.append(url)
        raise RefusedFetchError("document tried to load a resource that is not a caseprep asset")
