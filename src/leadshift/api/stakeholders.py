from __future__ import annotations

import datetime as dt
from typing import Literal

from django.http import HttpRequest
from ninja import Router, Schema
from pydantic import Field

from leadshift.api.assessments import ERRORS
from leadshift.api.auth import actor
from leadshift.api.schemas import Id, VersionedIn
from leadshift.core.versioning import expect_version
from leadshift.people.access import visible_owned, visible_person
from leadshift.stakeholders import services
from leadshift.stakeholders.brief import assemble_brief, default_title
from leadshift.stakeholders.models import Brief, Stakeholder

router = Router(tags=["stakeholders"])

StanceIn = Literal["champion", "supporter", "neutral", "sceptic", "blocker"]


class StakeholderIn(VersionedIn):
    name: str = ""
    role: str = ""
    internal: bool = True
    person_id: Id | None = Field(None, description="A person of your organisation (inside only)")
    company: str = ""
    influence: int = Field(3, ge=1, le=5)
    interest: int = Field(3, ge=1, le=5)
    stance: StanceIn = "neutral"
    cares_about: str = ""
    concerns: str = Field(
        "", description="Other concerns LeadShift does not hold, as comma-separated tags"
    )
    product_ids: list[Id] = Field(
        default_factory=list, description="Products of your organisation that concern them"
    )
    initiative_ids: list[Id] = Field(
        default_factory=list, description="Initiatives of your organisation that concern them"
    )
    decision_ids: list[Id] = Field(
        default_factory=list,
        description="Decision records (yours or of people below you) that concern them",
    )
    cadence_days: int | None = Field(None, ge=1, le=365)


class InteractionIn(Schema):
    date: dt.date
    kind: Literal["one_on_one", "meeting", "presentation", "call", "email", "social"] = "meeting"
    note: str = ""
    tone: int = Field(description="How it went, −2 (badly) to +2 (very well)", ge=-2, le=2)


class SectionIn(Schema):
    key: str = ""
    heading: str
    body: str = ""


class BriefIn(VersionedIn):
    title: str
    sections: list[SectionIn]


def _stakeholder(request: HttpRequest, stakeholder_id: int) -> Stakeholder:
    return visible_owned(actor(request), Stakeholder, stakeholder_id, "owner", "stakeholder")


def _brief(request: HttpRequest, brief_id: int) -> Brief:
    return visible_owned(actor(request), Brief, brief_id, "person", "brief")


@router.get("/people/{person_id}/stakeholders", response={200: list[dict], **ERRORS})
def list_stakeholders(request: HttpRequest, person_id: int) -> list[dict]:
    """The map: each stakeholder with health, cadence, what is overdue and the health trend."""
    owner = visible_person(actor(request), person_id)
    return [services.stakeholder_json(r.stakeholder) for r in services.rows_for(owner)]


@router.post("/people/{person_id}/stakeholders", response={201: dict, **ERRORS})
def add_stakeholder(
    request: HttpRequest, person_id: int, payload: StakeholderIn
) -> tuple[int, dict]:
    owner = visible_person(actor(request), person_id)
    s = services.do_add_stakeholder(owner, actor(request), payload.dict())
    return 201, services.stakeholder_json(s)


@router.get("/people/{person_id}/stakeholders/suggestions", response={200: list[dict], **ERRORS})
def suggestions(request: HttpRequest, person_id: int) -> list[dict]:
    """Whom to see next and why, most pressing first."""
    owner = visible_person(actor(request), person_id)
    return [services.suggestion_json(s) for s in services.suggestions_for(owner)]


@router.get("/stakeholders/{stakeholder_id}", response={200: dict, **ERRORS})
def get_stakeholder(request: HttpRequest, stakeholder_id: int) -> dict:
    return services.stakeholder_json(_stakeholder(request, stakeholder_id))


@router.put("/stakeholders/{stakeholder_id}", response={200: dict, **ERRORS})
def update_stakeholder(request: HttpRequest, stakeholder_id: int, payload: StakeholderIn) -> dict:
    s = _stakeholder(request, stakeholder_id)
    expect_version(s, payload.version)
    return services.stakeholder_json(
        services.do_update_stakeholder(s, actor(request), payload.dict(exclude={"version"}))
    )


@router.delete("/stakeholders/{stakeholder_id}", response={204: None, **ERRORS})
def delete_stakeholder(request: HttpRequest, stakeholder_id: int) -> tuple[int, None]:
    services.do_delete_stakeholder(_stakeholder(request, stakeholder_id), actor(request))
    return 204, None


@router.post("/stakeholders/{stakeholder_id}/interactions", response={201: dict, **ERRORS})
def log_interaction(
    request: HttpRequest, stakeholder_id: int, payload: InteractionIn
) -> tuple[int, dict]:
    s = _stakeholder(request, stakeholder_id)
    services.do_log_interaction(
        s,
        actor(request),
        date=payload.date,
        kind=payload.kind,
        note=payload.note,
        tone=payload.tone,
    )
    return 201, services.stakeholder_json(s)


@router.get("/people/{person_id}/brief", response={200: dict, **ERRORS})
def draft_brief(request: HttpRequest, person_id: int) -> dict:
    """The executive brief assembled today from what LeadShift holds."""
    viewer = actor(request)
    person = visible_person(viewer, person_id)
    today = services.today()
    return {
        "title": default_title(person, today),
        "sections": assemble_brief(person, today, viewer),
    }


@router.get("/people/{person_id}/briefs", response={200: list[dict], **ERRORS})
def list_briefs(request: HttpRequest, person_id: int) -> list[dict]:
    person = visible_person(actor(request), person_id)
    return [services.brief_json(b) for b in person.briefs.all()]


@router.post("/people/{person_id}/briefs", response={201: dict, **ERRORS})
def save_brief(request: HttpRequest, person_id: int, payload: BriefIn) -> tuple[int, dict]:
    """Save an edited brief (e.g. the draft, changed) as a document with sections."""
    person = visible_person(actor(request), person_id)
    b = services.do_save_brief(
        person, actor(request), title=payload.title, sections=[s.dict() for s in payload.sections]
    )
    return 201, services.brief_json(b)


@router.get("/briefs/{brief_id}", response={200: dict, **ERRORS})
def get_brief(request: HttpRequest, brief_id: int) -> dict:
    return services.brief_json(_brief(request, brief_id))


@router.put("/briefs/{brief_id}", response={200: dict, **ERRORS})
def update_brief(request: HttpRequest, brief_id: int, payload: BriefIn) -> dict:
    brief = _brief(request, brief_id)
    expect_version(brief, payload.version)
    b = services.do_update_brief(
        brief,
        actor(request),
        title=payload.title,
        sections=[s.dict() for s in payload.sections],
    )
    return services.brief_json(b)


@router.delete("/briefs/{brief_id}", response={204: None, **ERRORS})
def delete_brief(request: HttpRequest, brief_id: int) -> tuple[int, None]:
    services.do_delete_brief(_brief(request, brief_id), actor(request))
    return 204, None
