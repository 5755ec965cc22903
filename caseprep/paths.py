"""Where caseprep's data folders live, in a checkout and in an installed wheel.

The design card fixes templates/, jurisdictions/ and translations/ at the top of the
repository. A wheel carries them under caseprep/_data/ (see pyproject.toml); an editable
install finds them beside the package.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent
_DATA_FOLDERS = ("templates", "jurisdictions", "translations")


def resource_dir(name: str) -> Path:
    """Return the folder `name` (one of templates, jurisdictions, translations)."""
    if name not in _DATA_FOLDERS:
        raise ValueError(f"unknown resource folder: {name}")
    for candidate in (_PACKAGE_DIR / "_data" / name, _PACKAGE_DIR.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"caseprep resource folder {name!r} not found next to {_PACKAGE_DIR}")


def static_dir() -> Path:
    """Static assets (CSS, JS) served by the app itself: no CDN, ever."""
    return _PACKAGE_DIR / "web" / "static"
