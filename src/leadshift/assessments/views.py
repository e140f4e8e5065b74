from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from leadshift.assessments import charts
from leadshift.assessments.models import Assessment
from leadshift.assessments.readiness import compare_profiles
from leadshift.assessments.services import (
    do_complete_assessment,
    do_record_capability_rating,
    do_record_checklist,
    do_record_shift_answer,
    do_start_assessment,
    missing_answers,
)
from leadshift.behaviours.checklist import RULE, checklist_items, level_from_ticks
from leadshift.behaviours.profile import behaviour_profile
from leadshift.coaching.perspectives import has_other_views, perspectives
from leadshift.core.errors import Invalid, NotAllowed
from leadshift.frameworks.services import framework_for
from leadshift.people.access import person_required, visible_owned
from leadshift.pulse.trend import trend_context as pulse_trend_context
from leadshift.timeuse.evidence import evidence_rows
from leadshift.timeuse.services import summary_for


def _visible_assessment(request: HttpRequest, assessment_id: int) -> Assessment:
    return visible_owned(
        request.person, Assessment, assessment_id, "person", "assessment", related=("framework",)
    )


def _own_draft(request: HttpRequest, assessment_id: int) -> Assessment:
    a = _visible_assessment(request, assessment_id)
    if a.person_id != request.person.id:
        raise Http404("No such assessment")
    return a


@person_required
def start(request: HttpRequest) -> HttpResponse:
    person = request.person
    fw = framework_for(person.organisation).data
    error = None
    if request.method == "POST":
        role = request.POST.get("target_role", "")
        try:
            a = do_start_assessment(person, person, role)
        except Invalid as exc:
            error = exc.message
        else:
            return redirect("assessment_step", assessment_id=a.id, step=1)
    drafts = person.assessments.filter(status=Assessment.Status.DRAFT)
    return render(
        request,
        "assessments/start.html",
        {
            "framework": fw,
            "drafts": drafts,
            "error": error,
            "selected_role": request.POST.get("target_role") or person.target_role or "group_pm",
        },
    )


def _steps(a: Assessment) -> list[tuple[str, str]]:
    fw = a.framework.data
    return [("shift", s.id) for s in fw.shifts] + [("capability", c.id) for c in fw.capabilities]


def _save_step(request: HttpRequest, a: Assessment, kind: str, item: str) -> list[str]:
    """Save what the step's form holds; return the questions still unanswered on it."""
    person = request.person
    fw = a.framework.data
    unanswered = []
    if kind == "shift":
        for q in fw.shift(item).questions:
            raw = request.POST.get(f"q_{q.id}")
            if raw is None or raw == "":
                unanswered.append(q.id)
                continue
            if not raw.isdigit():
                raise Invalid(f"{q.text}: choose one of the answers", field=f"q_{q.id}")
            do_record_shift_answer(a, person, item, q.id, int(raw))
    else:
        raw = request.POST.get("level", "")
        evidence = request.POST.get("evidence", "")
        if request.POST.get("checklist"):
            do_record_checklist(a, person, item, request.POST.getlist("behaviour"), evidence)
        elif raw.isdigit():
            do_record_capability_rating(a, person, item, int(raw), evidence)
        elif raw:
            raise Invalid("choose one of the levels", field="level")
        else:
            unanswered.append("level")
    return unanswered


@person_required
def step(request: HttpRequest, assessment_id: int, step: int) -> HttpResponse:
    a = _own_draft(request, assessment_id)
    if a.is_complete:
        return redirect("assessment_profile", assessment_id=a.id)
    steps = _steps(a)
    if not 1 <= step <= len(steps):
        return redirect("assessment_review", assessment_id=a.id)
    kind, item = steps[step - 1]
    fw = a.framework.data
    errors: dict[str, str] = {}
    if request.method == "POST":
        try:
            unanswered = _save_step(request, a, kind, item)
        except Invalid as exc:
            if request.headers.get("X-Autosave"):
                return JsonResponse({"saved": False, "error": exc.message}, status=400)
            errors[exc.field or "form"] = exc.message
            unanswered = []
        if request.headers.get("X-Autosave"):
            return JsonResponse({"saved": True, **_checklist_json(a, kind, item)})
        go = request.POST.get("go", "next")
        if not errors and (go == "back" or not unanswered):
            target = step - 1 if go == "back" else step + 1
            if target < 1:
                return redirect("assessment_step", assessment_id=a.id, step=1)
            return redirect("assessment_step", assessment_id=a.id, step=target)
        for key in unanswered:
            errors[key] = "Choose the answer that fits best; you can change it later."
    answers = a.answers()
    context = {
        "assessment": a,
        "step": step,
        "steps": len(steps),
        "kind": kind,
        "errors": errors,
        "percent": round(100 * (step - 1) / len(steps)),
        "role": fw.role(a.target_role),
    }
    if kind == "shift":
        shift = fw.shift(item)
        posted = request.POST if request.method == "POST" else {}
        context["shift"] = shift
        context["questions"] = [
            {
                "q": q,
                "selected": int(posted[f"q_{q.id}"])
                if str(posted.get(f"q_{q.id}", "")).isdigit()
                else answers.shift_choices.get((shift.id, q.id)),
                "error": errors.get(q.id),
            }
            for q in shift.questions
        ]
    else:
        cap = fw.capability(item)
        posted_level = request.POST.get("level") if request.method == "POST" else None
        context["capability"] = cap
        context["selected"] = (
            int(posted_level)
            if posted_level and posted_level.isdigit()
            else answers.capability_levels.get(cap.id)
        )
        ticked = (
            set(request.POST.getlist("behaviour"))
            if request.method == "POST"
            else set(answers.behaviours.get(cap.id, ()))
        )
        context["checklist"] = checklist_items(cap, ticked)
        context["result"] = level_from_ticks(cap, ticked)
        context["result_name"] = cap.level(context["result"].level).name
        context["picked_without_checklist"] = (
            cap.id in answers.capability_levels and cap.id not in answers.behaviours
        )
        context["evidence"] = (
            request.POST.get("evidence", "")
            if request.method == "POST"
            else answers.evidence.get(cap.id, "")
        )
    return render(request, "assessments/step.html", context)


def _checklist_json(a: Assessment, kind: str, item: str) -> dict[str, object]:
    """The level the saved ticks give, for the page to show as the rater ticks."""
    if kind != "capability":
        return {}
    cap = a.framework.data.capability(item)
    result = level_from_ticks(cap, a.ticked().get(item, frozenset()))
    return {
        "level": result.level,
        "level_name": cap.level(result.level).name,
        "explanation": result.explanation,
    }


@person_required
def review(request: HttpRequest, assessment_id: int) -> HttpResponse:
    a = _own_draft(request, assessment_id)
    if a.is_complete:
        return redirect("assessment_profile", assessment_id=a.id)
    if request.method == "POST":
        try:
            do_complete_assessment(a, request.person)
        except Invalid as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, "Assessment complete. Here is your readiness profile.")
            return redirect("assessment_profile", assessment_id=a.id)
    steps = _steps(a)
    missing = missing_answers(a)
    return render(
        request,
        "assessments/review.html",
        {
            "assessment": a,
            "profile": a.profile(),
            "missing": missing,
            "steps": len(steps),
            "first_missing_step": _first_missing_step(a, steps),
            "shift_count": len(a.framework.data.shifts),
        },
    )


def _first_missing_step(a: Assessment, steps: list[tuple[str, str]]) -> int | None:
    answers = a.answers()
    fw = a.framework.data
    for i, (kind, item) in enumerate(steps, start=1):
        if kind == "shift":
            if any((item, q.id) not in answers.shift_choices for q in fw.shift(item).questions):
                return i
        elif item not in answers.capability_levels:
            return i
    return None


@person_required
def profile(request: HttpRequest, assessment_id: int) -> HttpResponse:
    a = _visible_assessment(request, assessment_id)
    if not a.is_complete:
        if a.person_id == request.person.id:
            return redirect("assessment_review", assessment_id=a.id)
        raise Http404("This assessment is not finished yet")
    p = a.profile()
    calendar = summary_for(a.person)
    earlier = (
        a.person.assessments.filter(
            status=Assessment.Status.COMPLETE, completed_at__lt=a.completed_at
        )
        .order_by("-completed_at")
        .first()
    )
    return render(
        request,
        "assessments/profile.html",
        {
            "assessment": a,
            "profile": p,
            "subject": a.person,
            "spectrum": charts.spectrum_for(p),
            "radar": charts.radar_for(p, max_level=5),
            "earlier": earlier,
            "plans": a.plans.all(),
            "is_self": a.person_id == request.person.id,
            "calendar": evidence_rows(calendar, p) if calendar.has_data else None,
            "calendar_weeks": len(calendar.weeks),
            "views": perspectives(a.person) if has_other_views(a.person) else None,
            "behaviours": behaviour_profile(a, timezone.localdate()),
            "behaviour_rule": RULE,
            "pulse_trend": pulse_trend_context(a.person),
        },
    )


@person_required
def compare(request: HttpRequest, assessment_id: int, other_id: int) -> HttpResponse:
    after = _visible_assessment(request, assessment_id)
    before = _visible_assessment(request, other_id)
    if before.person_id != after.person_id:
        raise Http404("Assessments of different people cannot be compared")
    if not (before.is_complete and after.is_complete):
        raise Http404("Both assessments must be complete")
    if before.completed_at and after.completed_at and before.completed_at > after.completed_at:
        before, after = after, before
    pb, pa = before.profile(), after.profile()
    return render(
        request,
        "assessments/compare.html",
        {
            "before": before,
            "after": after,
            "pb": pb,
            "pa": pa,
            "subject": after.person,
            "comparison": compare_profiles(pb, pa),
            "spectrum": charts.spectrum_for(pa, previous=pb),
            "radar": charts.radar_for(pa, previous=pb),
        },
    )


@require_POST
@person_required
def discard(request: HttpRequest, assessment_id: int) -> HttpResponse:
    a = _own_draft(request, assessment_id)
    if a.is_complete:
        raise NotAllowed("a complete assessment is part of your history and stays")
    a.delete()
    messages.success(request, "Draft assessment discarded.")
    return redirect(reverse("home"))
