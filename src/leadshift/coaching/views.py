from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from leadshift.behaviours.checklist import RULE
from leadshift.coaching import services
from leadshift.coaching.evidence import agenda_for
from leadshift.coaching.models import Meeting, Series
from leadshift.coaching.perspectives import manager_levels, perspectives
from leadshift.core.dates import day
from leadshift.core.errors import Invalid, NotAllowed, NotFound
from leadshift.frameworks.services import framework_for
from leadshift.people.access import person_required, visible_person
from leadshift.people.models import Person


def _series(viewer: Person, series_id: int) -> Series:
    try:
        return services.visible_series(viewer, series_id)
    except NotFound as exc:
        raise Http404(exc.message) from exc


def _date(raw: str, field: str) -> dt.date:
    try:
        return dt.date.fromisoformat(raw.strip())
    except ValueError:
        raise Invalid("give a date as YYYY-MM-DD", field=field) from None


@person_required
def index(request: HttpRequest) -> HttpResponse:
    me = request.person
    mine = list(services.series_of(me))
    taken = {s.person_id for s in mine if s.leader_id == me.id}
    candidates = [p for p in Person.objects.visible_to(me).exclude(pk=me.pk) if p.id not in taken]
    return render(
        request,
        "coaching/index.html",
        {
            "leading": [s for s in mine if s.leader_id == me.id],
            "coached": [s for s in mine if s.person_id == me.id],
            "candidates": candidates,
            "cadences": Series.Cadence.choices,
        },
    )


@person_required
@require_POST
def start(request: HttpRequest) -> HttpResponse:
    raw = request.POST.get("person", "")
    person = visible_person(request.person, int(raw)) if raw.isdigit() else None
    if person is None:
        raise Http404("No such person")
    try:
        first_on = (
            _date(request.POST["first_on"], "first_on") if request.POST.get("first_on") else None
        )
        series = services.do_start_series(
            request.person, person, cadence=request.POST.get("cadence", ""), first_on=first_on
        )
    except NotAllowed as exc:
        raise Http404(exc.message) from exc
    except Invalid as exc:
        messages.error(request, exc.message)
        return redirect("coaching_index")
    return redirect("coaching_series", series.id)


@person_required
def series_page(request: HttpRequest, series_id: int) -> HttpResponse:
    series = _series(request.person, series_id)
    upcoming = series.upcoming()
    data = services.series_json(series, request.person)
    # A mentor sees the series and its shared notes, not the mentee's plan or profile.
    sees_records = request.person.can_view(series.person)
    plan = series.person.plans.first() if sees_records else None
    return render(
        request,
        "coaching/series.html",
        {
            "series": series,
            "upcoming": upcoming,
            "agenda": agenda_for(upcoming) if upcoming else [],
            "data": data,
            "goals": list(plan.goals.all()) if plan else [],
            "plan": plan,
            "sees_records": sees_records,
        },
    )


def _meeting_post(
    request: HttpRequest, series_id: int, meeting_id: int, run: Callable[[Meeting], str]
) -> HttpResponse:
    series = _series(request.person, series_id)
    meeting = series.meetings.filter(pk=meeting_id).first()
    if meeting is None:
        raise Http404("No such 1:1")
    try:
        messages.success(request, run(meeting))
    except (Invalid, NotAllowed) as exc:
        messages.error(request, exc.message)
    return redirect("coaching_series", series.id)


@person_required
@require_POST
def add_item(request: HttpRequest, series_id: int, meeting_id: int) -> HttpResponse:
    def run(m: Meeting) -> str:
        services.do_add_item(m, request.person, request.POST.get("text", ""))
        return "Added to the agenda."

    return _meeting_post(request, series_id, meeting_id, run)


@person_required
@require_POST
def add_note(request: HttpRequest, series_id: int, meeting_id: int) -> HttpResponse:
    private = request.POST.get("private") == "on"

    def run(m: Meeting) -> str:
        services.do_add_note(m, request.person, request.POST.get("text", ""), private=private)
        return "Private note saved: only you will see it." if private else "Note shared."

    return _meeting_post(request, series_id, meeting_id, run)


@person_required
@require_POST
def agree_action(request: HttpRequest, series_id: int, meeting_id: int) -> HttpResponse:
    def run(m: Meeting) -> str:
        raw_goal = request.POST.get("goal", "")
        action = services.do_agree_action(
            m,
            request.person,
            title=request.POST.get("title", ""),
            due_on=_date(request.POST.get("due_on", ""), "due_on"),
            goal_id=int(raw_goal) if raw_goal.isdigit() else None,
        )
        return f"Added to the development plan: {action.title}."

    return _meeting_post(request, series_id, meeting_id, run)


@person_required
@require_POST
def finish(request: HttpRequest, series_id: int, meeting_id: int) -> HttpResponse:
    def run(m: Meeting) -> str:
        raw = request.POST.get("next_on", "")
        nxt = services.do_finish_meeting(
            m, request.person, next_on=_date(raw, "next_on") if raw.strip() else None
        )
        return f"1:1 held. The next one is on {day(nxt.on)}."

    return _meeting_post(request, series_id, meeting_id, run)


@person_required
def manager_assessment(request: HttpRequest, person_id: int) -> HttpResponse:
    """The manager rates someone below them; the person and their managers see the views side
    by side, where they disagree most first."""
    person = visible_person(request.person, person_id)
    may_rate = person.id != request.person.id
    fw = framework_for(person.organisation).data
    if request.method == "POST":
        if not may_rate:
            raise Http404("No such person")
        ratings = {
            c.id: (int(raw), request.POST.get(f"evidence_{c.id}", ""))
            for c in fw.capabilities
            if (raw := request.POST.get(f"level_{c.id}", "")).isdigit()
        }
        ticks = {
            c.id: request.POST.getlist(f"behaviour_{c.id}")
            for c in fw.capabilities
            if request.POST.getlist(f"behaviour_{c.id}")
        }
        for cid in ticks:
            # The level comes from the ticks; the evidence typed beside them stays.
            ratings.setdefault(cid, (0, request.POST.get(f"evidence_{cid}", "")))
        try:
            services.do_record_manager_assessment(request.person, person, ratings, ticks)
        except Invalid as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, f"Your assessment of {person.name} is saved.")
            return redirect("coaching_manager_assessment", person.id)
    current = manager_levels(person)
    return render(
        request,
        "coaching/manager_assessment.html",
        {
            "subject": person,
            "may_rate": may_rate,
            "capabilities": [
                (c, current.get(c.id), [(lv.level, lv.name) for lv in c.levels])
                for c in fw.capabilities
            ],
            "rule": RULE,
            "views": perspectives(person),
        },
    )


@person_required
def growth_conversation(request: HttpRequest, person_id: int) -> HttpResponse:
    """One to two years out: aspirations, the target role, the capabilities it needs, the
    experiences that would build them. Its answers set the target role and lead the next plan."""
    person = visible_person(request.person, person_id)
    fw = framework_for(person.organisation).data
    if request.method == "POST":
        p = request.POST
        try:
            services.do_record_growth_conversation(
                request.person,
                person,
                aspirations=p.get("aspirations", ""),
                target_role=p.get("target_role", ""),
                capabilities=p.getlist("capabilities"),
                experiences=p.get("experiences", ""),
                horizon_years=int(p.get("horizon_years") or 2),
                set_target=p.get("set_target") == "on",
            )
        except Invalid as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request, "Saved. The next plan starts from the capabilities you chose."
            )
            return redirect("coaching_growth_conversation", person.id)
    return render(
        request,
        "coaching/growth_conversation.html",
        {
            "subject": person,
            "roles": [(r.id, r.name) for r in fw.roles],
            "capabilities": [(c.id, c.name) for c in fw.capabilities],
            "names": {c.id: c.name for c in fw.capabilities},
            "conversations": [
                (g, [c.name for c in fw.capabilities if c.id in g.capabilities])
                for g in person.growth_conversations.select_related("author")
            ],
        },
    )
