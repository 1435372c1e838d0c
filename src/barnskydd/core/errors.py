"""Domain exceptions; only the edges (CLI, web) turn them into exit codes or HTTP statuses."""

from __future__ import annotations


class DomainError(Exception):
    """Base for every error a user can cause and correct."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class InvalidInput(DomainError):
    """Input that fails validation (bad identity number, impossible date, unknown code)."""


class NotFound(DomainError):
    """The thing asked for does not exist (or the actor may not know it exists)."""


class ForbiddenTransition(DomainError):
    """A move in the case chain that the transition table does not allow."""


class PermissionDenied(DomainError):
    """The actor's role or unit does not allow this."""


class CaseNotFound(NotFound):
    """A case that does not exist, or that the actor may not see: one answer for both.

    The message names no case, no number and no id, so the answer to another unit's case or
    to a hidden protected child's is the same, byte for byte, as to a number never given out.
    """

    MESSAGE = "Ärendet finns inte."

    def __init__(self) -> None:
        super().__init__(self.MESSAGE)
