"""How many images and videos the poster spread, from the evidence log: one count for the
results, the checklist and every document (issue 11, item 3).

Only publications count — copies the poster spread (items added by hand, Telegram imports,
matches of her reference photos). Her own originals (`role: reference`) and context items
(`role: context`: a private chat, a member count) never do. A screenshot or web page counts the
images it shows (`images_shown`, asked per item); an image item counts one unless it says
otherwise; a video item counts one video.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

# `possible`: a picture the matcher found only possibly hers (another shot of the same
# moment): kept, shown blurred, never counted.
ROLES = ("publication", "reference", "context", "possible")
_SHOWS_IMAGES = ("screenshot", "web_page", "chat_message", "document", "other")


@dataclass(frozen=True)
class PostedCounts:
    images: int
    videos: int
    publications: int  # evidence items that are publications
    references: int  # her own originals, kept apart


def _value(item, name: str):
    """An attribute (Evidence.kind, EvidenceItem.role) or, failing that, a mapping's key."""
    if not isinstance(item, dict):
        value = getattr(item, name, None)
        if value is not None:
            return value
    getter = getattr(item, "get", None)
    return getter(name) if callable(getter) else None


def role_of(item) -> str:
    role = _value(item, "role")
    return role if role in ROLES else "publication"


def images_in(item) -> int:
    """Images one publication shows: `images_shown` when given, else 1 for an image item
    and 0 for a screenshot whose count was not given (it is asked, never guessed)."""
    shown = _value(item, "images_shown")
    if shown not in (None, ""):
        return max(int(shown), 0)
    kind = _value(item, "kind")
    return 1 if kind == "image" else 0


def posted_counts(items: Iterable) -> PostedCounts:
    """Images and videos posted by the poster, counted from evidence items (the log's
    Evidence objects, manifest rows as mappings, or documents' EvidenceItem)."""
    images = videos = publications = references = 0
    for item in items:
        role = role_of(item)
        if role == "reference":
            references += 1
            continue
        if role != "publication":
            continue
        publications += 1
        kind = _value(item, "kind")
        if kind == "video":
            videos += 1
        elif kind == "image" or kind in _SHOWS_IMAGES:
            images += images_in(item)
    return PostedCounts(images, videos, publications, references)


def facts_from_counts(counted: Mapping[str, object], catalog) -> dict:
    """The catalog's facts counted from the evidence log: each fact whose `derived_from` is
    `evidence.count:<what>` takes `counted[<what>]` (e.g. "image" -> evidence.images_count).

    The one mapping from the log's counts to facts: a stored case's (evidence.service) and
    the documents' of an evidence file alike."""
    facts = {}
    for fact_id, fact in catalog.facts.items():
        source = fact.derived_from or ""
        if source.startswith("evidence.count:"):
            value = counted.get(source.split(":", 1)[1])
            if isinstance(value, int):
                facts[fact_id] = value
    return facts
