"""JSON form of fact values for storage: dates are tagged so they come back as dates."""

from __future__ import annotations

import datetime as dt
from typing import Any

_DATE_TAG = "$date"


def encode_value(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        raise TypeError("facts hold dates, not datetimes")
    if isinstance(value, dt.date):
        return {_DATE_TAG: value.isoformat()}
    if isinstance(value, (list, tuple, set, frozenset)):
        items = [encode_value(v) for v in value]
        return sorted(items) if isinstance(value, (set, frozenset)) else items
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    raise TypeError(f"cannot store a fact value of type {type(value).__name__}")


def decode_value(value: Any) -> Any:
    if isinstance(value, dict) and set(value) == {_DATE_TAG}:
        return dt.date.fromisoformat(value[_DATE_TAG])
    if isinstance(value, list):
        return [decode_value(v) for v in value]
    return value


def encode_facts(facts: dict[str, Any]) -> dict[str, Any]:
    return {key: encode_value(value) for key, value in facts.items()}


def decode_facts(stored: dict[str, Any]) -> dict[str, Any]:
    return {key: decode_value(value) for key, value in stored.items()}


def to_api(value: Any) -> Any:
    """A fact value as plain JSON for the API: dates as ISO 8601 strings."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list):
        return [to_api(v) for v in value]
    return value
