from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from leadshift.core.errors import Invalid
from leadshift.people.access import person_required, visible_person
from leadshift.timeuse import services
from leadshift.timeuse.charts import trend_chart, weekly_chart
from leadshift.timeuse.evidence import evidence_rows
from leadshift.timeuse.models import CalendarImport
from leadshift.undo.views import offer_undo

WEEKS_SHOWN = 52


@person_required
def mine(request: HttpRequest) -> HttpResponse:
    return redirect("timeuse_person", person_id=request.person.id)


def _optional_date(raw: str, field: str) -> dt.date | None:
    if not raw:
        return None
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        raise Invalid("enter a date like 2026-01-31", field=field) from None


def charts_for(summary: services.Summary) -> dict[str, str]:
    weeks = summary.weeks[-WEEKS_SHOWN:]
    return {
        "weekly": weekly_chart([(w.week, w.hours) for w in weeks]),
        "trend": trend_chart(summary.months),
    }


@person_required
def person_timeuse(
    request: HttpRequest, person_id: int, errors: dict | None = None, status: int = 200
) -> HttpResponse:
    person = visible_person(request.person, person_id)
    summary = services.summary_for(person)
    return render(
        request,
        "timeuse/timeuse.html",
        {
            "subject": person,
            "is_self": person.id == request.person.id,
            "summary": summary,
            "rows": evidence_rows(summary, None) if summary.has_data else [],
            "charts": charts_for(summary) if summary.has_data else {},
            "imports": person.calendar_imports.all(),
            "own_rules": services.has_own_rules(person),
            "errors": errors or {},
            "values": request.POST.dict() if request.method == "POST" else {},
        },
        status=status,
    )


@require_POST
@person_required
def upload(request: HttpRequest, person_id: int) -> HttpResponse:
    person = visible_person(request.person, person_id)
    files = [(f.name, f.read()) for f in request.FILES.getlist("calendar")]
    try:
        record = services.do_import_calendars(
            person,
            request.person,
            files,
            start=_optional_date(request.POST.get("start", ""), "start"),
            end=_optional_date(request.POST.get("end", ""), "end"),
        )
    except Invalid as exc:
        return person_timeuse(request, person_id, errors={"calendar": exc.message}, status=400)
    messages.success(
        request,
        f"Imported {record.meetings} meetings ({record.hours:.0f} h) from {record.first_week} "
        f"to {record.last_week}. Only weekly totals are kept.",
    )
    return redirect("timeuse_person", person_id=person.id)


@require_POST
@person_required
def delete_import(request: HttpRequest, person_id: int, import_id: int) -> HttpResponse:
    person = visible_person(request.person, person_id)
    record = get_object_or_404(CalendarImport, pk=import_id, person=person)
    offer_undo(request, services.do_delete_import(record, request.person))
    messages.success(request, f"Deleted the import of {record.files} and the weeks it brought.")
    return redirect("timeuse_person", person_id=person.id)


@require_POST
@person_required
def delete_all(request: HttpRequest, person_id: int) -> HttpResponse:
    person = visible_person(request.person, person_id)
    services.do_delete_all(person, request.person)
    messages.success(request, "Deleted all your calendar data.")
    return redirect("timeuse_person", person_id=person.id)


@person_required
def rules(request: HttpRequest, person_id: int) -> HttpResponse:
    person = visible_person(request.person, person_id)
    error = None
    text = services.rules_text_for(person)
    status = 200
    if request.method == "POST":
        if request.POST.get("reset"):
            services.do_reset_rules(person, request.person)
            messages.success(request, "Back to the default rules.")
            return redirect("timeuse_rules", person_id=person.id)
        text = request.POST.get("rules", "")
        try:
            services.do_set_rules(person, request.person, text)
        except Invalid as exc:
            error, status = exc.message, 400
        else:
            messages.success(request, "Rules saved. They apply to your next import.")
            return redirect("timeuse_rules", person_id=person.id)
    described = []
    if error is None:
        described = services.check_rules(text).describe()
    return render(
        request,
        "timeuse/rules.html",
        {
            "subject": person,
            "is_self": person.id == request.person.id,
            "text": text,
            "error": error,
            "rules": described,
            "own_rules": services.has_own_rules(person),
        },
        status=status,
    )
