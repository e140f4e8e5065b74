from __future__ import annotations

from django.http import Http404, HttpRequest
from ninja import File, Router, Schema
from ninja.files import UploadedFile

from leadshift.api.assessments import ERRORS
from leadshift.api.auth import actor
from leadshift.people.access import visible_person
from leadshift.timeuse import services
from leadshift.timeuse.models import CalendarImport

router = Router(tags=["time use"])


class RulesIn(Schema):
    text: str


@router.get("/people/{person_id}/timeuse", response={200: dict, **ERRORS})
def summary(request: HttpRequest, person_id: int) -> dict:
    """Weekly hours per shift pole, monthly leader shares, the trend, and the imports."""
    return services.summary_data(visible_person(actor(request), person_id))


@router.post("/people/{person_id}/timeuse/imports", response={201: dict, **ERRORS})
def import_calendars(
    request: HttpRequest,
    person_id: int,
    calendar: list[UploadedFile] = File(...),  # noqa: B008
) -> tuple[int, dict]:
    """Upload one or more .ics files (multipart field `calendar`); only weekly totals are kept."""
    person = visible_person(actor(request), person_id)
    record = services.do_import_calendars(
        person, actor(request), [(f.name or "calendar.ics", f.read()) for f in calendar]
    )
    return 201, {
        "id": record.id,
        "meetings": record.meetings,
        "hours": record.hours,
        "first_week": record.first_week,
        "last_week": record.last_week,
    }


@router.delete("/people/{person_id}/timeuse/imports/{import_id}", response={204: None, **ERRORS})
def delete_import(request: HttpRequest, person_id: int, import_id: int) -> tuple[int, None]:
    person = visible_person(actor(request), person_id)
    record = CalendarImport.objects.filter(pk=import_id, person=person).first()
    if record is None:
        raise Http404("No such import")
    services.do_delete_import(record, actor(request))
    return 204, None


@router.delete("/people/{person_id}/timeuse", response={204: None, **ERRORS})
def delete_all(request: HttpRequest, person_id: int) -> tuple[int, None]:
    services.do_delete_all(visible_person(actor(request), person_id), actor(request))
    return 204, None


@router.get("/people/{person_id}/timeuse/rules", response={200: dict, **ERRORS})
def get_rules(request: HttpRequest, person_id: int) -> dict:
    person = visible_person(actor(request), person_id)
    text = services.rules_text_for(person)
    return {
        "own": services.has_own_rules(person),
        "text": text,
        "rules": services.check_rules(text).describe(),
    }


@router.put("/people/{person_id}/timeuse/rules", response={200: dict, **ERRORS})
def put_rules(request: HttpRequest, person_id: int, payload: RulesIn) -> dict:
    """Replace the rules (YAML); errors name the line."""
    person = visible_person(actor(request), person_id)
    services.do_set_rules(person, actor(request), payload.text)
    return get_rules(request, person_id)
