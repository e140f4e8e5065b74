"""The pivot radar: a leader's signals, dismissing one with its reason, the leader's threshold."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Schema
from pydantic import Field

from leadshift.api.auth import actor
from leadshift.api.schemas import ERRORS, Id
from leadshift.people.access import visible_person
from leadshift.people.models import Person
from leadshift.radar import services

router = Router(tags=["radar"])


class DismissBody(Schema):
    key: str = Field(description="The signal's key, as the radar lists it")
    reason: str = Field(description="Why it needs no change now; kept with who and when")


class ThresholdBody(Schema):
    objective_threshold: float = Field(
        description="P(objective reaches its target), 0 to 1, under which the radar speaks"
    )


def _whose(request: HttpRequest, person: int | None) -> Person:
    me = actor(request)
    return me if person is None else visible_person(me, person)


@router.get("/radar", response={200: dict, **ERRORS})
def get_radar(request: HttpRequest, person: Id | None = None) -> dict:
    """The leader's signals (yours, or `person`'s when they report to you), and the dismissed."""
    return services.radar_json(services.radar_for(_whose(request, person), actor(request)))


@router.post("/radar/dismissals", response={201: dict, **ERRORS})
def dismiss(
    request: HttpRequest, payload: DismissBody, person: Id | None = None
) -> tuple[int, dict]:
    leader = _whose(request, person)
    services.do_dismiss(leader, actor(request), payload.key, payload.reason)
    return 201, services.radar_json(services.radar_for(leader, actor(request)))


@router.put("/radar/settings", response={200: dict, **ERRORS})
def set_threshold(request: HttpRequest, payload: ThresholdBody) -> dict:
    me = actor(request)
    row = services.do_set_threshold(me, me, payload.objective_threshold)
    return {"objective_threshold": row.objective_threshold}
