"""Cases: encrypted per-case storage and the case service (no Flask imports).

See docs/architecture.md ("Cases") for the contract; `service` is the entry point.
"""

from caseprep.cases.errors import (
    CaseCorrupted,
    CaseError,
    CaseNotFound,
    ConcurrentUpdate,
    InvalidCredentials,
)
from caseprep.cases.opened import OpenCase, WeakPassphrase

__all__ = [
    "CaseCorrupted",
    "CaseError",
    "CaseNotFound",
    "ConcurrentUpdate",
    "InvalidCredentials",
    "OpenCase",
    "WeakPassphrase",
]
