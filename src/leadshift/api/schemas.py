from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from ninja import Schema
from pydantic import Field, ValidatorFunctionWrapHandler, model_validator

# A database id. Outside SQLite's 64-bit integers a lookup would end in OverflowError (a 500).
Id = Annotated[int, Field(ge=1, le=2**63 - 1)]


class ObjectIn(Schema):
    """A request body that must be a JSON object. Ninja's schemas read attributes from any
    value, so a body of every-field-optional would otherwise accept `[null, null]` or `7`."""

    @model_validator(mode="wrap")
    @classmethod
    def _an_object(cls, value: Any, handler: ValidatorFunctionWrapHandler) -> Any:
        if not isinstance(value, dict | cls):
            raise ValueError("expected a JSON object")
        return handler(value)


class Error(Schema):
    detail: str
    field: str | None = None


# Every operation may answer with these; the body says what was wrong and, when known, where.
ERRORS: dict[int, type[Error]] = {400: Error, 401: Error, 403: Error, 404: Error}


class PersonOut(Schema):
    id: int
    name: str
    email: str
    title: str
    team: str | None
    manager_id: int | None
    target_role: str
    roles: list[str] = []
    active: bool = True


class StartAssessmentIn(Schema):
    target_role: str


class CapabilityAnswerIn(Schema):
    level: int | None = Field(None, description="The level picked; or give behaviours instead")
    behaviours: list[str] | None = Field(
        None,
        description="The behaviours seen, as keys capability.level.n (or level.n); the level "
        "then follows from the checklist rule",
    )
    evidence: str = ""


class SubmitAssessmentIn(Schema):
    target_role: str
    shifts: dict[str, dict[str, int]] = Field(
        description="shift id -> question id -> option number as shown (1 = first)"
    )
    capabilities: dict[str, CapabilityAnswerIn]


class ShiftAnswerIn(Schema):
    choice: int = Field(description="The option's number as shown, 1 = first")


class AssessmentOut(Schema):
    id: int
    person_id: int
    framework: str
    target_role: str
    status: str
    started_at: dt.datetime
    completed_at: dt.datetime | None
    profile: dict[str, Any]


class VersionedIn(ObjectIn):
    """A write to an editable record: it says which version it read (optimistic locking)."""

    version: int | None = Field(
        None,
        description="The record's version as you read it; if it has changed since, the write "
        "is refused with 409 and the current version. Omit it to write over whatever is there.",
    )


class ActionPatch(VersionedIn):
    title: str | None = None
    description: str | None = None
    evidence: str | None = None
    due_on: dt.date | None = None
    done: bool | None = None


class ActionIn(Schema):
    title: str
    due_on: dt.date
    description: str = ""
    evidence: str = ""


class MoveIn(Schema):
    direction: Literal["up", "down"]


class CheckInIn(Schema):
    date: dt.date
    note: str
    confidence: int = Field(ge=1, le=5)
