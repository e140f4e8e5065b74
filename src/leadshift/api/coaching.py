from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from ninja import Router, Schema
from pydantic import Field

from leadshift.api.auth import actor
from leadshift.api.schemas import ERRORS, Id
from leadshift.coaching import services
from leadshift.coaching.models import Meeting
from leadshift.core.errors import NotFound
from leadshift.people.access import visible_person

router = Router(tags=["1:1s"])


class SeriesIn(Schema):
    person: int = Field(description="The id of a person you lead")
    cadence: str = Field("fortnightly", description="weekly, fortnightly or monthly")
    first_on: dt.date | None = None


class TextIn(Schema):
    text: str


class NoteIn(Schema):
    text: str
    private: bool = Field(False, description="Private notes are seen by their author only")


class ActionIn(Schema):
    title: str
    due_on: dt.date
    goal: int | None = Field(None, description="A goal of the current plan (default: the first)")


class RatingIn(Schema):
    level: int
    evidence: str = ""


class ManagerAssessmentIn(Schema):
    capabilities: dict[str, RatingIn] = Field(description="capability id -> level and evidence")


class HeldIn(Schema):
    next_on: dt.date | None = Field(None, description="Default: by the series' cadence")


def _upcoming(request: HttpRequest, series_id: int) -> Meeting:
    series = services.visible_series(actor(request), series_id)
    meeting = series.upcoming()
    if meeting is None:
        raise NotFound("this series has no upcoming 1:1")
    return meeting


@router.get("/oneonones", response={200: list[dict], **ERRORS})
def list_series(request: HttpRequest) -> list[dict]:
    """Your 1:1 series, as leader or as the person coached, each with its next agenda."""
    me = actor(request)
    return [services.series_json(s, me) for s in services.series_of(me)]


@router.post("/oneonones", response={201: dict, **ERRORS})
def start(request: HttpRequest, payload: SeriesIn) -> tuple[int, dict]:
    me = actor(request)
    series = services.do_start_series(
        me, visible_person(me, payload.person), cadence=payload.cadence, first_on=payload.first_on
    )
    return 201, services.series_json(series, me)


@router.get("/oneonones/{series_id}", response={200: dict, **ERRORS})
def detail(request: HttpRequest, series_id: int) -> dict:
    me = actor(request)
    return services.series_json(services.visible_series(me, series_id), me)


@router.post("/oneonones/{series_id}/items", response={201: dict, **ERRORS})
def add_item(request: HttpRequest, series_id: int, payload: TextIn) -> tuple[int, dict]:
    me = actor(request)
    item = services.do_add_item(_upcoming(request, series_id), me, payload.text)
    return 201, {"id": item.id, "text": item.text}


@router.post("/oneonones/{series_id}/notes", response={201: dict, **ERRORS})
def add_note(request: HttpRequest, series_id: int, payload: NoteIn) -> tuple[int, dict]:
    me = actor(request)
    note = services.do_add_note(
        _upcoming(request, series_id), me, payload.text, private=payload.private
    )
    return 201, {"id": note.id, "text": note.text, "private": payload.private}


@router.post("/oneonones/{series_id}/actions", response={201: dict, **ERRORS})
def agree_action(request: HttpRequest, series_id: int, payload: ActionIn) -> tuple[int, dict]:
    me = actor(request)
    action = services.do_agree_action(
        _upcoming(request, series_id),
        me,
        title=payload.title,
        due_on=payload.due_on,
        goal_id=payload.goal,
    )
    return 201, {"id": action.id, "title": action.title, "due_on": action.due_on.isoformat()}


@router.post("/oneonones/{series_id}/held", response={200: dict, **ERRORS})
def held(request: HttpRequest, series_id: int, payload: HeldIn) -> dict:
    me = actor(request)
    nxt = services.do_finish_meeting(_upcoming(request, series_id), me, next_on=payload.next_on)
    return {"next_on": nxt.on.isoformat()}


def _assessment_json(person_id: int) -> dict:
    from leadshift.coaching.models import ManagerAssessment
    from leadshift.coaching.perspectives import perspectives
    from leadshift.people.models import Person

    person = Person.objects.get(pk=person_id)
    latest = ManagerAssessment.objects.filter(person=person).select_related("manager").first()
    return {
        "person": {"id": person.id, "name": person.name},
        "latest": None
        if latest is None
        else {
            "id": latest.id,
            "manager": {"id": latest.manager_id, "name": latest.manager.name},
            "created_at": latest.created_at.isoformat(),
            "ratings": [
                {"capability": r.capability, "level": r.level, "evidence": r.evidence}
                for r in latest.ratings.all()
            ],
        },
        # Self beside the manager beside the 360 estimate, where they disagree most first.
        "views": [
            {
                "capability": v.capability,
                "name": v.name,
                "self": v.self_level,
                "manager": v.manager,
                "estimate": v.estimate,
                "spread": v.spread,
            }
            for v in perspectives(person)
        ],
    }


@router.get("/people/{person_id}/manager-assessment", response={200: dict, **ERRORS})
def manager_assessment(request: HttpRequest, person_id: Id) -> dict:
    """The latest manager's assessment and the three views; for the person and those above."""
    me = actor(request)
    person = visible_person(me, person_id)
    return _assessment_json(person.id)


@router.post("/people/{person_id}/manager-assessment", response={201: dict, **ERRORS})
def record_manager_assessment(
    request: HttpRequest, person_id: Id, payload: ManagerAssessmentIn
) -> tuple[int, dict]:
    """Rate someone below you against the framework: a level per capability, with evidence."""
    me = actor(request)
    person = visible_person(me, person_id)
    services.do_record_manager_assessment(
        me,
        person,
        {cid: (r.level, r.evidence) for cid, r in payload.capabilities.items()},
    )
    return 201, _assessment_json(person.id)
