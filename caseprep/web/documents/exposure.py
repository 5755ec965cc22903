"""Which of her documents may reach the poster while printing her contact details or ID.

Issue 11 item 8: a platform may forward a notice to the person who posted, a court serves a
complaint on the person sued, a defence lawyer may read the police file. Only the evidence
checklist is for her alone. We look at the rendered HTML, not at which details a kind
declares, so the warning follows whatever the documents actually print (including her
"contact via lawyer/e-mail only" choice, once the documents honour it).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from markupsafe import escape

from caseprep.documents import html

# Read by nobody but her (and whoever she shows it to).
FOR_HER_ONLY = frozenset({"evidence_checklist"})
# Details that let the poster find or reach her.
PERSONAL_KEYS = ("victim.contact", "victim.id_number", "victim.address")
# The detail key passed to the documents service for her choice (agreed with issue 11's
# documents work: the documents leave out phone, address and ID when it is true).
VIA_LAWYER_ONLY = "contact.via_lawyer_only"
OPTIONS_RECORD = "document_options"


@dataclass(frozen=True)
class Exposure:
    """One document that may reach the poster and the personal details it prints."""

    jurisdiction: str
    kind: str
    platform_label: str | None
    keys: tuple[str, ...]


def personal_details(details: Mapping) -> dict[str, str]:
    """Her personal details that are filled in (placeholders and blanks are not)."""
    return {key: str(details[key]).strip() for key in PERSONAL_KEYS
            if str(details.get(key) or "").strip()}


def exposures(documents: Iterable, details: Mapping) -> list[Exposure]:
    """The documents that may reach the poster and print one of her personal details."""
    filled = personal_details(details)
    if not filled:
        return []
    found = []
    for doc in documents:
        if doc.kind in FOR_HER_ONLY:
            continue
        markup = html.render_html(doc)
        keys = tuple(key for key, value in filled.items() if str(escape(value)) in markup)
        if keys:
            found.append(Exposure(doc.jurisdiction, doc.kind, doc.platform_label, keys))
    return found
