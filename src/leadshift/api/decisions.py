from __future__ import annotations

import datetime as dt
from typing import Literal

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Router, Schema
from pydantic import Field

from leadshift.api.assessments import ERRORS
from leadshift.api.auth import actor
from leadshift.api.schemas import Id, VersionedIn
from leadshift.core.versioning import expect_version
from leadshift.decisions import record as rec
from leadshift.decisions import services
from leadshift.decisions.services import DecisionIn, OptionIn, decision_json
from leadshift.decisions.views import visible_decision
from leadshift.people.access import visible_person

router = Router(tags=["decisions"])


class CriterionIn(Schema):
    name: str
    weight: float = 1.0


class DecisionOptionIn(Schema):
    name: str
    description: str = ""
    scores: list[float | None] = Field(
        default_factory=list, description="One 0–10 score per criterion, in order"
    )


class DecisionBody(VersionedIn):
    question: str
    kind: str = "product_bet"
    context: str = ""
    criteria: list[CriterionIn] = Field(default_factory=list)
    options: list[DecisionOptionIn] = Field(default_factory=list)
    chosen: int | None = Field(None, description="Index of the chosen option (0 = first)")
    rationale: str = ""
    reversible: bool = True
    decided_on: dt.date | None = None
    decided_by: list[Id] = Field(default_factory=list, description="Person ids")
    consulted: list[Id] = Field(default_factory=list)
    informed: list[Id] = Field(default_factory=list)
    risks_accepted: str = ""
    premortem: str = ""
    forecast: float | None = Field(None, description="Probability of success, 0 to 1")
    forecast_by: dt.date | None = None
    review_on: dt.date | None = Field(None, description="Required when a forecast is given")
    links: list[tuple[str, str]] = Field(
        default_factory=list, description="(product|initiative|risk|scenario, name) pairs"
    )
    template: str = ""


class OutcomeIn(Schema):
    outcome: Literal["succeeded", "partly", "failed"]
    lesson: str = ""
    reviewed_on: dt.date | None = None


def _input(body: DecisionBody) -> DecisionIn:
    data = services.input_from_starter(body.template) if body.template else DecisionIn("")
    data.question = body.question
    data.kind = body.kind
    data.context = body.context
    if body.criteria or not body.template:
        data.criteria = [(c.name, c.weight) for c in body.criteria]
    if body.options or not body.template:
        data.options = [OptionIn(o.name, o.description, list(o.scores)) for o in body.options]
    data.chosen = body.chosen
    data.rationale = body.rationale
    data.reversible = body.reversible
    data.decided_on = body.decided_on
    data.decided_by, data.consulted, data.informed = body.decided_by, body.consulted, body.informed
    data.risks_accepted = body.risks_accepted
    data.premortem = body.premortem or data.premortem
    data.forecast, data.forecast_by, data.review_on = (
        body.forecast,
        body.forecast_by,
        body.review_on,
    )
    data.links = list(body.links)
    return data


@router.get("/decision-templates", response={200: list[dict]})
def templates(request: HttpRequest) -> list[dict]:
    """The frameworks a decision can start from."""
    return [
        {
            "slug": s.slug,
            "name": s.name,
            "summary": s.summary,
            "criteria": [{"name": c.name, "weight": c.weight} for c in s.criteria],
            "options": list(s.options),
            "premortem": list(s.premortem),
        }
        for s in rec.STARTERS
    ]


@router.get("/decisions", response={200: list[dict], **ERRORS})
def list_decisions(request: HttpRequest, person: Id | None = None, due: bool = False) -> list[dict]:
    """A person's decisions (yours by default); `due=true` for those whose review has come."""
    me = actor(request)
    subject = visible_person(me, person) if person else me
    today = timezone.localdate()
    out = [decision_json(d, today) for d in subject.decisions.select_related("owner")]
    return [d for d in out if d["review_due"]] if due else out


@router.post("/decisions", response={201: dict, **ERRORS})
def create(request: HttpRequest, payload: DecisionBody) -> tuple[int, dict]:
    d = services.do_create_decision(actor(request), _input(payload))
    return 201, decision_json(d)


@router.get("/decisions/calibration", response={200: dict, **ERRORS})
def calibration(request: HttpRequest, person: Id | None = None) -> dict:
    """Brier score and reliability bins over the reviewed forecasts, overall and by kind."""
    me = actor(request)
    subject = visible_person(me, person) if person else me
    return services.calibration(subject)


@router.get("/decisions/{decision_id}", response={200: dict, **ERRORS})
def detail(request: HttpRequest, decision_id: int) -> dict:
    return decision_json(visible_decision(actor(request), decision_id))


@router.put("/decisions/{decision_id}", response={200: dict, **ERRORS})
def replace(request: HttpRequest, decision_id: int, payload: DecisionBody) -> dict:
    me = actor(request)
    d = visible_decision(me, decision_id)
    expect_version(d, payload.version)
    return decision_json(services.do_update_decision(d, me, _input(payload)))


@router.post("/decisions/{decision_id}/outcome", response={200: dict, **ERRORS})
def outcome(request: HttpRequest, decision_id: int, payload: OutcomeIn) -> dict:
    me = actor(request)
    d = visible_decision(me, decision_id)
    services.do_record_outcome(
        d, me, outcome=payload.outcome, lesson=payload.lesson, on=payload.reviewed_on
    )
    return decision_json(d)


@router.delete("/decisions/{decision_id}", response={204: None, **ERRORS})
def delete(request: HttpRequest, decision_id: int) -> tuple[int, None]:
    me = actor(request)
    services.do_delete_decision(visible_decision(me, decision_id), me)
    return 204, None


@router.get("/decisions/{decision_id}/markdown", response={200: str, **ERRORS})
def markdown(request: HttpRequest, decision_id: int) -> HttpResponse:
    d = visible_decision(actor(request), decision_id)
    return HttpResponse(rec.markdown(d.record()), content_type="text/markdown; charset=utf-8")
