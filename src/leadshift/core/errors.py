"""Errors the services raise; views, the API and the CLI turn them into messages."""

from __future__ import annotations


class LeadShiftError(Exception):
    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class Invalid(LeadShiftError):
    """The input cannot be used as it is."""


class NotAllowed(LeadShiftError):
    """The acting person may not do this."""


class NotFound(LeadShiftError):
    """Nothing by that name that the acting person may see."""


class Conflict(LeadShiftError):
    """Someone saved the record since the writer read it; their version would be lost."""

    def __init__(self, message: str, *, current: object, yours: int | None):
        super().__init__(message, field="version")
        self.current = current
        self.yours = yours
