"""360 feedback over the API: the pages' rules; raters answer with their link's token."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import Http404, HttpRequest
from ninja import Router, Schema
from pydantic import Field

from leadshift.api.auth import actor
from leadshift.api.schemas import Error
from leadshift.core.errors import NotFound
from leadshift.feedback import services
from leadshift.feedback.models import Cycle
from leadshift.feedback.team import team_json, team_overview
from leadshift.people.access import visible_person

router = Router(tags=["feedback"])
ERRORS = {400: Error, 403: Error, 404: Error}


class RaterSchema(Schema):
    name: str
    email: str
    relationship: str = Field(description="manager, peer, report or stakeholder")


class CycleIn(Schema):
    person_id: int
    closes_on: dt.date
    raters: list[RaterSchema]


class RatersIn(Schema):
    raters: list[RaterSchema]


class ResendIn(Schema):
    email: str


class ExtendIn(Schema):
    closes_on: dt.date


class AnswerSchema(Schema):
    level: int | None = Field(None, description="A level of the capability; null: can't say")
    comment: str = ""


class RateIn(Schema):
    answers: dict[str, AnswerSchema] = Field(description="capability id -> answer")
    submit: bool = False


def _cycle(request: HttpRequest, cycle_id: int) -> Cycle:
    try:
        cycle = services.visible_cycle(actor(request), cycle_id)
    except NotFound:
        raise Http404("No such feedback cycle") from None
    return services.release_if_due(cycle)


@router.get("/feedback/cycles", response={200: list[dict], **ERRORS})
def list_cycles(request: HttpRequest) -> list[dict[str, Any]]:
    """Your cycles and those of the people you lead, newest first."""
    services.release_due()
    return [services.cycle_json(c) for c in services.visible_cycles(actor(request))]


@router.post("/feedback/cycles", response={201: dict, **ERRORS})
def create_cycle(request: HttpRequest, payload: CycleIn) -> tuple[int, dict[str, Any]]:
    """Open a cycle. Each rater's link goes to that rater alone (colleagues: their LeadShift
    home; others: e-mail); no response ever carries one."""
    me = actor(request)
    subject = visible_person(me, payload.person_id)
    cycle = services.do_open_cycle(
        subject,
        me,
        closes_on=payload.closes_on,
        raters=[services.RaterIn(r.name, r.email, r.relationship) for r in payload.raters],
        base_url=request.build_absolute_uri("/").rstrip("/"),
    )
    return 201, services.cycle_json(cycle)


@router.get("/feedback/cycles/{cycle_id}", response={200: dict, **ERRORS})
def cycle_detail(request: HttpRequest, cycle_id: int) -> dict[str, Any]:
    return services.cycle_json(_cycle(request, cycle_id))


@router.post("/feedback/cycles/{cycle_id}/remind", response={200: dict, **ERRORS})
def remind(request: HttpRequest, cycle_id: int) -> dict[str, Any]:
    n = services.do_remind(
        _cycle(request, cycle_id), actor(request), base_url=request.build_absolute_uri("/")
    )
    return {"reminded": n}


@router.post("/feedback/cycles/{cycle_id}/raters", response={200: dict, **ERRORS})
def add_raters(request: HttpRequest, cycle_id: int, payload: RatersIn) -> dict[str, Any]:
    """Invite more raters to an open cycle (their links go to them alone)."""
    cycle = _cycle(request, cycle_id)
    services.do_add_raters(
        cycle,
        actor(request),
        [services.RaterIn(r.name, r.email, r.relationship) for r in payload.raters],
        base_url=request.build_absolute_uri("/").rstrip("/"),
    )
    return services.cycle_json(cycle)


@router.post("/feedback/cycles/{cycle_id}/raters/resend", response={200: dict, **ERRORS})
def resend(request: HttpRequest, cycle_id: int, payload: ResendIn) -> dict[str, Any]:
    """A fresh invitation to one rater, by their e-mail; their old link stops. The response
    is the same whether or not they have answered."""
    services.do_resend_invitation(
        _cycle(request, cycle_id),
        actor(request),
        payload.email,
        base_url=request.build_absolute_uri("/").rstrip("/"),
    )
    return {"resent": True}


@router.get("/feedback/asked", response={200: list[dict], **ERRORS})
def asked(request: HttpRequest) -> list[dict[str, Any]]:
    """The feedback forms waiting for you as a rater."""
    return [
        {
            "id": r.pk,
            "cycle": r.cycle_id,
            "subject": r.cycle.subject.name,
            "relationship": r.relationship,
            "closes_at": r.cycle.closes_at,
            "submitted": r.submitted_at is not None,
        }
        for r in services.asked_of(actor(request))
    ]


@router.post("/feedback/asked/{rater_id}/link", response={200: dict, **ERRORS})
def open_form(request: HttpRequest, rater_id: int) -> dict[str, Any]:
    """A fresh link to your own form, for you alone; any earlier one stops."""
    opened = services.do_open_form(actor(request), rater_id)
    path = services.rating_path(opened.token)
    return {
        "cycle": opened.rater.cycle_id,
        "token": opened.token,
        "url": request.build_absolute_uri(path),
    }


@router.post("/feedback/cycles/{cycle_id}/extend", response={200: dict, **ERRORS})
def extend(request: HttpRequest, cycle_id: int, payload: ExtendIn) -> dict[str, Any]:
    cycle = services.do_extend(_cycle(request, cycle_id), actor(request), payload.closes_on)
    return services.cycle_json(cycle)


@router.post("/feedback/cycles/{cycle_id}/close", response={200: dict, **ERRORS})
def close(request: HttpRequest, cycle_id: int) -> dict[str, Any]:
    """Close now and release the results, frozen from this moment."""
    cycle = services.do_close_and_release(_cycle(request, cycle_id), actor(request))
    return services.cycle_json(cycle)


@router.get("/feedback/cycles/{cycle_id}/results", response={200: dict, **ERRORS})
def results(request: HttpRequest, cycle_id: int) -> dict[str, Any]:
    """The released results: aggregates only, exactly as stored at release."""
    return services.result_data(_cycle(request, cycle_id))


@router.get("/feedback/team", response={200: dict, **ERRORS})
def team(request: HttpRequest) -> dict[str, Any]:
    """The heatmap data of everyone below you: estimates, intervals, readiness, common gaps."""
    return team_json(team_overview(actor(request)))


def _rater(cycle_id: int, token: str) -> Any:
    rater = services.rater_for_token(token)
    if rater.cycle_id != cycle_id:
        # A link belongs to one rater and one cycle; the same message as a wrong token.
        raise NotFound(services.BAD_LINK)
    return rater


@router.get("/feedback/cycles/{cycle_id}/rate/{token}", auth=None, response={200: dict, **ERRORS})
def rater_form(request: HttpRequest, cycle_id: int, token: str) -> dict[str, Any]:
    """What a rater is asked (no account: the token is the key). Saved answers stay private."""
    rater = _rater(cycle_id, token)
    fw = rater.cycle.framework.data
    # Whether this rater has sent is told only to the browser holding their key: a copied
    # link must not tell its holder who has answered.
    mine = bool(rater.claim_hash) and services.claim_matches(
        rater, request.headers.get("X-Rater-Key")
    )
    return {
        "subject": rater.cycle.subject.name,
        "relationship": rater.relationship,
        "closes_at": rater.cycle.closes_at,
        "open": rater.cycle.accepts_answers(),
        "submitted": (rater.submitted_at is not None) if mine else None,
        "capabilities": [
            {
                "id": c.id,
                "name": c.name,
                "levels": [
                    {"level": lv.level, "name": lv.name, "summary": lv.summary} for lv in c.levels
                ],
            }
            for c in fw.capabilities
        ],
    }


@router.put("/feedback/cycles/{cycle_id}/rate/{token}", auth=None, response={200: dict, **ERRORS})
def rate(request: HttpRequest, cycle_id: int, token: str, payload: RateIn) -> dict[str, Any]:
    """Save (and with `submit`, send) a rater's answers; allowed until the cycle closes."""
    rater = _rater(cycle_id, token)
    claim = request.headers.get("X-Rater-Key")
    new_claim = services.do_save_answers(
        rater,
        {k: services.AnswerIn(v.level, v.comment) for k, v in payload.answers.items()},
        submit=payload.submit,
        claim=claim,
    )
    rater.refresh_from_db()
    return {
        "saved": True,
        "submitted": rater.submitted_at is not None,
        "rater_key": new_claim,
    }
