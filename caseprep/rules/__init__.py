"""Rules core: facts catalog, rule-file schema, loader, conditions, engine. No Flask imports.

The contract (docs/architecture.md): load_catalog / FactsCatalog.coerce / FactValueError,
load_jurisdictions, assess -> Assessment.to_dict(), rank_questions; `Rules`, one rules folder
as every service sees it.
"""

from caseprep.rules.catalog import FactDef, FactsCatalog, FactValueError, load_catalog
from caseprep.rules.engine import (
    Assessment,
    RouteAssessment,
    assess,
    rank_questions,
)
from caseprep.rules.errors import RuleError, RuleFileError
from caseprep.rules.loader import load_jurisdictions, validate_paths
from caseprep.rules.ruleset import Rules, UnknownJurisdiction
from caseprep.rules.schema import Jurisdiction

__all__ = [
    "Assessment",
    "FactDef",
    "FactValueError",
    "FactsCatalog",
    "Jurisdiction",
    "RouteAssessment",
    "RuleError",
    "RuleFileError",
    "Rules",
    "UnknownJurisdiction",
    "assess",
    "load_catalog",
    "load_jurisdictions",
    "rank_questions",
    "validate_paths",
]
