"""One rules folder as every service sees it: its facts catalog and its rule files.

The app builds one `Rules` from its settings (`Settings.rules_path`) and hands it to the
services, so saving an answer, counting evidence, the wizard, the API, the documents and the
CLI all read the same folder — an NGO's own folder included — and none of them falls back to
the shipped files behind the app's back. A `Rules` holds only the folder: each access asks the
loaders again, whose caches re-read an edited file within a second (see
`catalog.load_catalog`), so an NGO's edit shows without a restart.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from caseprep.rules.catalog import CATALOG_FILE, FactsCatalog, load_catalog
from caseprep.rules.errors import RuleFileError, in_folder
from caseprep.rules.loader import load_jurisdictions
from caseprep.rules.platforms import Directory, load_directory
from caseprep.rules.schema import Jurisdiction


class UnknownJurisdiction(KeyError):
    """No rule file of the rules folder has this code."""

    def __init__(self, code: str, known: list[str]):
        self.code = code
        self.known = known
        super().__init__(code)

    def __str__(self) -> str:
        return f"no rule file for {self.code!r}; known: {', '.join(self.known) or 'none'}"


class Rules:
    """The facts catalog (`<folder>/facts.yaml`) and the rule files of one rules folder.

    Raises RuleFileError (every problem, with its file) when the catalog or a rule file of
    the folder is invalid, at the first access rather than at construction, so `caseprep
    rules validate` can still list the errors of a broken folder.
    """

    def __init__(self, folder: Path | str):
        self.folder = Path(folder).resolve()

    def __repr__(self) -> str:
        return f"<Rules {self.folder}>"

    @property
    def catalog(self) -> FactsCatalog:
        """The folder's own facts catalog (a rules folder holds its facts.yaml)."""
        try:
            return load_catalog(self.folder / CATALOG_FILE)
        except RuleFileError as exc:
            raise RuleFileError(in_folder(exc.errors, self.folder)) from exc

    @property
    def jurisdictions(self) -> dict[str, Jurisdiction]:
        """Every rule file of the folder, by code."""
        return load_jurisdictions(self.folder)

    @property
    def platforms(self) -> Directory:
        """The folder's platform directory (platforms.yaml), checked against its catalog."""
        return load_directory(self.folder, self.catalog)

    def with_parents(self, codes: Iterable[str]) -> list[str]:
        """`codes` with each one's `extends` chain after it (us-ca -> us-ca, us), once each;
        codes without a rule file are left out."""
        found, out = self.jurisdictions, []
        for start in codes:
            code: str | None = start
            while code is not None and code in found and code not in out:
                out.append(code)
                code = found[code].extends
        return out

    def jurisdiction(self, code: str) -> Jurisdiction:
        """The rule file with `code`; UnknownJurisdiction names the known codes."""
        found = self.jurisdictions
        if code not in found:
            raise UnknownJurisdiction(code, sorted(found))
        return found[code]

