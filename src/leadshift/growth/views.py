from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from leadshift.assessments.models import Assessment
from leadshift.core.errors import Invalid
from leadshift.core.versioning import expect_version, posted_version
from leadshift.growth import services
from leadshift.growth.models import Action, Goal, Plan
from leadshift.people.access import person_required, visible_owned
from leadshift.reports.charts import progress_chart
from leadshift.undo.views import offer_undo


def _visible_plan(request: HttpRequest, plan_id: int) -> Plan:
    return visible_owned(request.person, Plan, plan_id, "person", "plan", related=("assessment",))


def _visible_action(request: HttpRequest, plan: Plan, action_id: int) -> Action:
    return get_object_or_404(
        Action.objects.select_related("goal", "goal__plan"), pk=action_id, goal__plan=plan
    )


def _date(raw: str, field: str) -> dt.date:
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        raise Invalid("enter a date like 2026-12-31", field=field) from None


@person_required
def plan_detail(
    request: HttpRequest,
    plan_id: int,
    form_errors: dict | None = None,
    form_values: dict | None = None,
    status: int = 200,
) -> HttpResponse:
    plan = _visible_plan(request, plan_id)
    today = timezone.localdate()
    services.do_tick_evidenced_actions(plan, today=today)
    progress = plan.progress(today)
    goals = plan.goals.prefetch_related("actions")
    checkins = list(plan.checkins.all())
    chart = progress_chart(
        starts_on=plan.starts_on,
        ends_on=plan.ends_on,
        total=progress.total,
        steps=progress.steps,
        checkins=[(c.date, c.confidence) for c in checkins],
        today=today,
    )
    fw = plan.assessment.framework.data if plan.assessment else None
    return render(
        request,
        "growth/plan.html",
        {
            "plan": plan,
            "subject": plan.person,
            "goals": goals,
            "progress": progress,
            "checkins": checkins,
            "chart": chart,
            "today": today,
            "errors": form_errors or {},
            "values": form_values or {},
            "capability_names": {c.id: c.name for c in fw.capabilities} if fw else {},
        },
        status=status,
    )


def _plan_action(request: HttpRequest, plan_id: int, run) -> HttpResponse:
    """Run a change to a plan; on bad input show the plan again with the message and values."""
    plan = _visible_plan(request, plan_id)
    try:
        note = run(plan)
    except Invalid as exc:
        return plan_detail(
            request,
            plan_id,
            form_errors={"form": exc.message, "field": exc.field},
            form_values=request.POST.dict(),
            status=400,
        )
    if note:
        messages.success(request, note)
    anchor = request.POST.get("anchor", "")
    return redirect(f"{plan_url(plan)}{'#' + anchor if anchor else ''}")


def plan_url(plan: Plan) -> str:
    from django.urls import reverse

    return reverse("plan_detail", kwargs={"plan_id": plan.id})


@require_POST
@person_required
def generate(request: HttpRequest, assessment_id: int) -> HttpResponse:
    viewer = request.person
    a = visible_owned(
        viewer, Assessment, assessment_id, "person", "assessment", related=("framework",)
    )
    try:
        plan = services.do_generate_plan(a, viewer)
    except Invalid as exc:
        messages.error(request, exc.message)
        return redirect("assessment_profile", assessment_id=a.id)
    messages.success(request, "Your 90-day plan is ready. Edit it so it fits your quarter.")
    return redirect("plan_detail", plan_id=plan.id)


@require_POST
@person_required
def action_done(request: HttpRequest, plan_id: int, action_id: int) -> HttpResponse:
    def run(plan: Plan) -> str:
        action = _visible_action(request, plan, action_id)
        done = request.POST.get("done") == "1"
        services.do_set_action_done(action, request.person, done)
        return f"Marked “{action.title}” {'done' if done else 'not done'}."

    return _plan_action(request, plan_id, run)


@require_POST
@person_required
def action_move(request: HttpRequest, plan_id: int, action_id: int) -> HttpResponse:
    def run(plan: Plan) -> str:
        action = _visible_action(request, plan, action_id)
        services.do_move_action(action, request.person, request.POST.get("direction", ""))
        return ""

    return _plan_action(request, plan_id, run)


@require_POST
@person_required
def action_drop(request: HttpRequest, plan_id: int, action_id: int) -> HttpResponse:
    def run(plan: Plan) -> str:
        action = _visible_action(request, plan, action_id)
        offer_undo(request, services.do_drop_action(action, request.person))
        return f"Dropped “{action.title}”."

    return _plan_action(request, plan_id, run)


@require_POST
@person_required
def action_edit(request: HttpRequest, plan_id: int, action_id: int) -> HttpResponse:
    def run(plan: Plan) -> str:
        action = _visible_action(request, plan, action_id)
        p = request.POST
        expect_version(action, posted_version(request))
        services.do_update_action(
            action,
            request.person,
            title=p.get("title", ""),
            description=p.get("description", ""),
            evidence=p.get("evidence", ""),
            due_on=_date(p.get("due_on", ""), "due_on"),
        )
        return "Action saved."

    return _plan_action(request, plan_id, run)


@require_POST
@person_required
def action_add(request: HttpRequest, plan_id: int, goal_id: int) -> HttpResponse:
    def run(plan: Plan) -> str:
        goal = get_object_or_404(Goal, pk=goal_id, plan=plan)
        p = request.POST
        services.do_add_action(
            goal,
            request.person,
            title=p.get("title", ""),
            due_on=_date(p.get("due_on", ""), "due_on"),
            description=p.get("description", ""),
            evidence=p.get("evidence", ""),
        )
        return "Action added."

    return _plan_action(request, plan_id, run)


@require_POST
@person_required
def checkin(request: HttpRequest, plan_id: int) -> HttpResponse:
    def run(plan: Plan) -> str:
        p = request.POST
        raw_conf = p.get("confidence", "")
        if not raw_conf.isdigit():
            raise Invalid("choose how confident you are, from 1 to 5", field="confidence")
        services.do_record_checkin(
            plan,
            request.person,
            date=_date(p.get("date", ""), "date"),
            note=p.get("note", ""),
            confidence=int(raw_conf),
        )
        return "Check-in recorded."

    return _plan_action(request, plan_id, run)
