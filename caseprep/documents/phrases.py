"""The fixed wording of documents, per language, from templates/documents/phrases.yaml.

Documents are written in the language the authority needs, whatever the state of the UI
catalogs: a Chinese complaint must not fall back to English because a .po entry is missing.
So document wording lives, like the rule texts, in data with one entry per language
(`{en: ..., zh_Hans: ...}`); a test checks every entry has every language. A language whose
words change with a count gives `{one: ..., other: ...}`, chosen by the value `n`. Jurisdiction-
specific wording overrides the shared one with a `cn.` / `us.` prefix on the key.
"""

from __future__ import annotations

import functools
from pathlib import Path

import yaml
from markupsafe import Markup

from caseprep import paths
from caseprep.documents.korean import resolve_particles

LANGUAGES = ("en", "zh_Hans", "ko")


class MissingPhraseError(KeyError):
    """A template asked for wording that phrases.yaml does not have in that language."""


@functools.lru_cache(maxsize=4)
def load_phrases(path: Path | None = None) -> dict[str, dict[str, str]]:
    path = path or paths.resource_dir("templates") / "documents" / "phrases.yaml"
    with open(path, encoding="utf-8") as fh:
        data = yaml.safe_load(fh)
    return {str(key): value for key, value in data.items()}


def phrase(key: str, lang: str, jurisdiction: str | None = None, **values) -> Markup:
    """The wording for `key` in `lang`, with `values` escaped into its `{name}` slots."""
    table = load_phrases()
    entry = None
    if jurisdiction:  # us-ca: its own wording, else its country's (us), else the shared one
        entry = table.get(f"{jurisdiction}.{key}") \
            or table.get(f"{jurisdiction.split('-', 1)[0]}.{key}")
    entry = entry or table.get(key)
    if entry is None or lang not in entry:
        raise MissingPhraseError(f"{key} [{lang}]")
    wording = entry[lang]
    if isinstance(wording, dict):  # plural forms, chosen by `n` ({one: ..., other: ...})
        wording = wording["one" if values.get("n") == 1 else "other"]
    # The wording itself is the project's own (trusted); only the values are escaped.
    text = Markup(wording)  # noqa: S704
    text = text.format(**values) if values else text
    # Korean particles follow the word put in front of them (고소인은, 원고는): resolved now.
    return Markup(resolve_particles(text)) if lang == "ko" else text  # noqa: S704
