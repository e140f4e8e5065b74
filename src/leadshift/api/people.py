from __future__ import annotations

from django.http import Http404, HttpRequest
from ninja import Router

from leadshift.api.auth import actor
from leadshift.api.schemas import ERRORS, PersonOut
from leadshift.people.access import visible_person
from leadshift.people.erasure import do_erase_person
from leadshift.people.models import Person

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
    }


@router.get("/me", response={200: PersonOut, **ERRORS})
def me(request: HttpRequest) -> dict:
    return person_out(actor(request))


@router.get("/people", response={200: list[PersonOut], **ERRORS})
def people(request: HttpRequest) -> list[dict]:
    """You and everyone who reports to you, directly or not."""
    return [person_out(p) for p in Person.objects.visible_to(actor(request)).select_related("team")]


@router.get("/people/{person_id}", response={200: PersonOut, **ERRORS})
def person(request: HttpRequest, person_id: int) -> dict:
    return person_out(visible_person(actor(request), person_id))


@router.post("/people/{person_id}/erase", response={200: dict, **ERRORS})
def erase(request: HttpRequest, person_id: int) -> dict:
    """Erase a person's personal data (admins of their organisation only); their part in
    others' records stays, as "Erased person". Returns what was removed, by kind."""
    me = actor(request)
    person = Person.objects.filter(pk=person_id, organisation_id=me.organisation_id).first()
    if person is None or not me.is_admin:
        raise Http404("No such person")
    return {"erased": do_erase_person(person, me)}
