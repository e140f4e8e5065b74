"""Culture pulses over the API: the pages' rules; respondents answer with their link's token."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema
from pydantic import Field

from leadshift.api.auth import actor
from leadshift.api.schemas import ERRORS
from leadshift.people.access import visible_person
from leadshift.pulse import services
from leadshift.pulse.items import ITEMS, SCALE_LABELS
from leadshift.pulse.models import Pulse

router = Router(tags=["pulse"])


class PulseIn(Schema):
    closes_on: dt.date
    cadence: str = Field("quarterly", description="monthly or quarterly")


class AnswerIn(Schema):
    scores: dict[str, int] = Field(description="item id -> 1 (strongly disagree) to 5")
    comment: str = ""


def _pulse(request: HttpRequest, pulse_id: int) -> Pulse:
    services.release_due()
    return services.visible_pulse(actor(request), pulse_id)


@router.get("/pulses", response={200: list[dict], **ERRORS})
def list_pulses(request: HttpRequest) -> list[dict[str, Any]]:
    """Your pulses and those of the leaders below you."""
    services.release_due()
    return [services.pulse_json(p) for p in services.visible_pulses(actor(request))]


@router.post("/pulses", response={201: dict, **ERRORS})
def send(request: HttpRequest, payload: PulseIn) -> tuple[int, dict[str, Any]]:
    """Send a pulse to everyone below you; each gets a personal link by e-mail, never shown."""
    pulse = services.do_send_pulse(
        actor(request),
        closes_on=payload.closes_on,
        cadence=payload.cadence,
        base_url=request.build_absolute_uri("/").rstrip("/"),
    )
    return 201, services.pulse_json(pulse)


@router.get("/pulses/{pulse_id}", response={200: dict, **ERRORS})
def detail(request: HttpRequest, pulse_id: int) -> dict[str, Any]:
    return services.pulse_json(_pulse(request, pulse_id))


@router.get("/pulses/{pulse_id}/results", response={200: dict, **ERRORS})
def results(request: HttpRequest, pulse_id: int) -> dict[str, Any]:
    """The released results; 403 with the same refusal for every withheld pulse."""
    return services.result_data(_pulse(request, pulse_id))


@router.post("/pulses/{pulse_id}/close", response={200: dict, **ERRORS})
def close(request: HttpRequest, pulse_id: int) -> dict[str, Any]:
    pulse = services.do_close(_pulse(request, pulse_id), actor(request))
    return services.pulse_json(pulse)


@router.get("/people/{person_id}/pulse-trend", response={200: list[dict], **ERRORS})
def trend(request: HttpRequest, person_id: int) -> list[dict[str, Any]]:
    """A leader's released pulses, oldest first; a withheld one has no numbers."""
    services.release_due()
    return services.trend(visible_person(actor(request), person_id))


@router.get("/pulse-answers/{token}", auth=None, response={200: dict, **ERRORS})
def form(request: HttpRequest, token: str) -> dict[str, Any]:
    """What a respondent is asked (no account: the token is the key)."""
    respondent = services.respondent_for_token(token)
    pulse = respondent.pulse
    return {
        "leader": pulse.leader.name,
        "closes_at": pulse.closes_at,
        "open": pulse.accepts_answers(),
        "answered": respondent.answered,
        "scale": SCALE_LABELS,
        "items": [{"id": i.id, "name": i.name, "statement": i.statement} for i in ITEMS],
    }


@router.post("/pulse-answers/{token}", auth=None, response={201: dict, **ERRORS})
def answer(request: HttpRequest, token: str, payload: AnswerIn) -> tuple[int, dict[str, Any]]:
    respondent = services.respondent_for_token(token)
    services.do_answer(respondent, services.AnswersIn(dict(payload.scores), payload.comment))
    return 201, {"answered": True}
