"""Errors services raise; views show them on forms, the API maps them to JSON errors."""
from __future__ import annotations

from typing import Any


class ServiceError(Exception):
    """Base class. `fields` maps input names to messages (already translated)."""

    status = 400
    #: The API's error code; None = the usual code of `status`.
    code: str | None = None

    def __init__(self, message: str, fields: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.fields = fields or {}


class ValidationFailed(ServiceError):
    """The input has the right shape but breaks a business rule (e.g. a reports-to cycle)."""

    status = 422


class Conflict(ServiceError):
    """The record changed since the caller read it; `current` is what is stored now."""

    status = 409

    def __init__(self, message: str, current: Any = None, fields: dict[str, str] | None = None) -> None:
        super().__init__(message, fields)
        self.current = current


class PermissionDenied(ServiceError):
    """The acting user may not do this (raised by the `kb.policy.check_may_*` gates)."""

    status = 403


class AccountArchived(PermissionDenied):
    """The account is archived and so read-only until one of its editors restores it."""

    status = 409
    code = "archived"


class PossibleDuplicate(ServiceError):
    """A new record's names match existing records after normalisation; the caller may confirm and retry.

    `matches` lists (id, name) of the records it resembles."""

    status = 409
    code = "possible_duplicate"

    def __init__(self, message: str, matches: list[tuple[int, str]], fields: dict[str, str] | None = None) -> None:
        super().__init__(message, fields)
        self.matches = matches
