"""The evidence tests' fixture chain (settings -> db -> case, store) for the attack tests."""

from tests.evidence.conftest import (  # noqa: F401 - fixtures, found by name
    case,
    db,
    db_url,
    settings,
    store,
)
