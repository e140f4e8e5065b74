"""People and teams. Everyone reads themselves and the people below them; the organisation's
admins also add, edit, move, deactivate and import people and manage teams (403 for others)."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest
from ninja import Router, Schema
from pydantic import Field

from leadshift.api.auth import actor
from leadshift.api.schemas import ERRORS, PersonOut
from leadshift.core.errors import Invalid, NotAllowed
from leadshift.files import InputError
from leadshift.people import roles, services
from leadshift.people.access import visible_person
from leadshift.people.erasure import do_erase_person
from leadshift.people.models import Person, Team

router = Router(tags=["people"])


def person_out(p: Person) -> dict:
    return {
        "id": p.id,
        "name": p.name,
        "email": p.email,
        "title": p.title,
        "team": p.team.name if p.team else None,
        "manager_id": p.manager_id,
        "target_role": p.target_role,
        "roles": list(roles.roles_of(p)),
        "active": p.is_active,
    }


def _admin(request: HttpRequest) -> Person:
    me = actor(request)
    if not roles.is_admin(me):
        raise NotAllowed("only the organisation's admins may manage its people and teams")
    return me


def _in_org(me: Person, model: type[Person] | type[Team], pk: int | None, field: str) -> Any:
    if pk is None:
        return None
    row = model.objects.filter(pk=pk, organisation_id=me.organisation_id).first()
    if row is None:
        raise Invalid(f"no {field.removesuffix('_id')} {pk} in your organisation", field=field)
    return row


@router.get("/me", response={200: PersonOut, **ERRORS})
def me(request: HttpRequest) -> dict:
    return person_out(actor(request))


@router.get("/people", response={200: list[PersonOut], **ERRORS})
def people(request: HttpRequest, all: bool = False) -> list[dict]:
    """You and everyone who reports to you, directly or not; `all=true` (admins): everyone in
    the organisation, deactivated people included."""
    me = actor(request)
    qs = Person.objects.visible_to(me)
    if all:
        qs = Person.objects.filter(organisation_id=_admin(request).organisation_id)
    return [person_out(p) for p in qs.select_related("team")]


# Declared before /people/{person_id}, whose route would otherwise take 'import' for an id.
class PeopleFileIn(Schema):
    text: str
    filename: str = Field(default="people.csv", description="its ending tells CSV from YAML")


@router.post("/people/import", response={200: dict, **ERRORS})
def import_people(request: HttpRequest, payload: PeopleFileIn) -> dict:
    """A CSV or YAML people file; 400 lists every problem with its line; nothing half-written."""
    me = _admin(request)
    try:
        counts = services.do_import_people(me, me.organisation, payload.text, payload.filename)
    except InputError as exc:
        raise Invalid("\n".join(p.describe(exc.filename) for p in exc.problems)) from exc
    return counts


@router.get("/people/{person_id}", response={200: PersonOut, **ERRORS})
def person(request: HttpRequest, person_id: int) -> dict:
    return person_out(visible_person(actor(request), person_id))


class PersonIn(Schema):
    email: str
    name: str
    title: str = ""
    manager_id: int | None = None
    team_id: int | None = None
    target_role: str = ""
    roles: list[str] = Field(default=[], description="admin, leader (everyone is a member)")


class PersonPatch(Schema):
    name: str | None = None
    title: str | None = None
    manager_id: int | None = None
    team_id: int | None = None
    target_role: str | None = None
    roles: list[str] | None = None


def _role_names(names: list[str]) -> set[str]:
    unknown = [n for n in names if n not in roles.ROLES]
    if unknown:
        raise Invalid(f"unknown role {unknown[0]!r} (roles: admin, leader, member)", field="roles")
    return set(names)


@router.post("/people", response={201: PersonOut, **ERRORS})
def create_person(request: HttpRequest, payload: PersonIn) -> tuple[int, dict]:
    """Add a person (no sign-in yet: invite them for that)."""
    me = _admin(request)
    p = services.do_create_person(
        me,
        me.organisation,
        email=payload.email,
        name=payload.name,
        title=payload.title,
        manager=_in_org(me, Person, payload.manager_id, "manager_id"),
        team=_in_org(me, Team, payload.team_id, "team_id"),
        target_role=payload.target_role,
        role_names=_role_names(payload.roles),
    )
    return 201, person_out(p)


@router.patch("/people/{person_id}", response={200: PersonOut, **ERRORS})
def update_person(request: HttpRequest, person_id: int, payload: PersonPatch) -> dict:
    """Change what the body names; a null manager_id or team_id takes the person out of it."""
    me = _admin(request)
    p = _in_org(me, Person, person_id, "person_id")
    given = payload.dict(exclude_unset=True)
    changes: dict[str, Any] = {
        k: v for k, v in given.items() if k in {"name", "title", "target_role"} and v is not None
    }
    if "manager_id" in given:
        changes["manager"] = _in_org(me, Person, given["manager_id"], "manager_id")
    if "team_id" in given:
        changes["team"] = _in_org(me, Team, given["team_id"], "team_id")
    if given.get("roles") is not None:
        changes["role_names"] = _role_names(given["roles"])
    return person_out(services.do_update_person(me, p, **changes))


@router.post("/people/{person_id}/deactivate", response={200: PersonOut, **ERRORS})
def deactivate_person(request: HttpRequest, person_id: int) -> dict:
    """They can no longer sign in and leave the pickers; their history stays."""
    me = _admin(request)
    return person_out(services.do_deactivate_person(me, _in_org(me, Person, person_id, "id")))


class TeamOut(Schema):
    id: int
    name: str
    lead: str | None
    archived: bool
    members: int | None


class TeamIn(Schema):
    name: str
    lead_id: int | None = None


class TeamPatch(Schema):
    name: str | None = None
    lead_id: int | None = None
    archived: bool | None = None


def _team_out(me: Person, team: Team) -> dict:
    team = services.teams_with_counts(me.organisation).get(pk=team.pk)
    return services.team_json(team)


@router.get("/teams", response={200: list[TeamOut], **ERRORS})
def teams(request: HttpRequest) -> list[dict]:
    me = _admin(request)
    return [services.team_json(t) for t in services.teams_with_counts(me.organisation)]


@router.post("/teams", response={201: TeamOut, **ERRORS})
def create_team(request: HttpRequest, payload: TeamIn) -> tuple[int, dict]:
    me = _admin(request)
    lead = _in_org(me, Person, payload.lead_id, "lead_id")
    return 201, _team_out(me, services.do_create_team(me, me.organisation, payload.name, lead))


@router.patch("/teams/{team_id}", response={200: TeamOut, **ERRORS})
def update_team(request: HttpRequest, team_id: int, payload: TeamPatch) -> dict:
    """Rename, set or clear (null) the lead, archive or restore."""
    me = _admin(request)
    team = _in_org(me, Team, team_id, "team_id")
    given = payload.dict(exclude_unset=True)
    changes: dict[str, Any] = {
        k: given[k] for k in ("name", "archived") if given.get(k) is not None
    }
    if "lead_id" in given:
        changes["lead"] = _in_org(me, Person, given["lead_id"], "lead_id")
    return _team_out(me, services.do_update_team(me, team, **changes))


@router.post("/people/{person_id}/erase", response={200: dict, **ERRORS})
def erase(request: HttpRequest, person_id: int) -> dict:
    """Erase a person's personal data (admins of their organisation only); their part in
    others' records stays, as "Erased person". Returns what was removed, by kind."""
    me = actor(request)
    person = Person.objects.filter(pk=person_id, organisation_id=me.organisation_id).first()
    if person is None or not roles.is_admin(me):
        raise Http404("No such person")
    return {"erased": do_erase_person(person, me)}
