"""Errors raised by the case service; the API and the web map them to responses."""

from __future__ import annotations


class CaseError(Exception):
    """Base class for case-storage errors."""


class InvalidCredentials(CaseError):
    """Wrong case code or passphrase. Deliberately does not say which."""


class CaseNotFound(CaseError):
    """No case with this code (only raised where the caller already proved access)."""


class CaseCorrupted(CaseError):
    """A stored blob or wrapped key failed authentication: tampered or damaged, never returned."""


class ConcurrentUpdate(CaseError):
    """A write kept losing the race against other writers; nothing was saved."""
