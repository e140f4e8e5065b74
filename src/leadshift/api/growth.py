from __future__ import annotations

from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Router

from leadshift.api.assessments import _assessment
from leadshift.api.auth import actor
from leadshift.api.schemas import ERRORS, ActionIn, ActionPatch, CheckInIn, MoveIn
from leadshift.core.versioning import expect_version
from leadshift.growth import services
from leadshift.growth.models import Action, Goal, Plan, plan_json
from leadshift.people.access import visible_owned, visible_person

router = Router(tags=["plans"])


def _plan(request: HttpRequest, plan_id: int) -> Plan:
    return visible_owned(actor(request), Plan, plan_id, "person", "plan")


def _action(plan: Plan, action_id: int) -> Action:
    action = (
        Action.objects.select_related("goal__plan").filter(pk=action_id, goal__plan=plan).first()
    )
    if action is None:
        raise Http404("No such action in this plan")
    return action


def _out(plan: Plan) -> dict:
    return plan_json(plan, timezone.localdate())


@router.get("/people/{person_id}/plans", response={200: list[dict], **ERRORS})
def list_plans(request: HttpRequest, person_id: int) -> list[dict]:
    person = visible_person(actor(request), person_id)
    return [_out(p) for p in person.plans.all()]


@router.post("/assessments/{assessment_id}/plan", response={201: dict, **ERRORS})
def generate(request: HttpRequest, assessment_id: int) -> tuple[int, dict]:
    """A 90-day plan generated from the assessment's gaps."""
    a = _assessment(request, assessment_id)
    return 201, _out(services.do_generate_plan(a, actor(request)))


@router.get("/plans/{plan_id}", response={200: dict, **ERRORS})
def detail(request: HttpRequest, plan_id: int) -> dict:
    return _out(_plan(request, plan_id))


@router.patch("/plans/{plan_id}/actions/{action_id}", response={200: dict, **ERRORS})
def update_action(request: HttpRequest, plan_id: int, action_id: int, payload: ActionPatch) -> dict:
    plan = _plan(request, plan_id)
    action = _action(plan, action_id)
    me = actor(request)
    expect_version(action, payload.version)
    if any(
        v is not None
        for v in (payload.title, payload.description, payload.evidence, payload.due_on)
    ):
        services.do_update_action(
            action,
            me,
            title=payload.title if payload.title is not None else action.title,
            description=payload.description
            if payload.description is not None
            else action.description,
            evidence=payload.evidence if payload.evidence is not None else action.evidence,
            due_on=payload.due_on or action.due_on,
        )
    if payload.done is not None:
        services.do_set_action_done(action, me, payload.done)
    return _out(plan)


@router.post("/plans/{plan_id}/goals/{goal_id}/actions", response={201: dict, **ERRORS})
def add_action(
    request: HttpRequest, plan_id: int, goal_id: int, payload: ActionIn
) -> tuple[int, dict]:
    plan = _plan(request, plan_id)
    goal = Goal.objects.filter(pk=goal_id, plan=plan).first()
    if goal is None:
        raise Http404("No such goal in this plan")
    services.do_add_action(
        goal,
        actor(request),
        title=payload.title,
        due_on=payload.due_on,
        description=payload.description,
        evidence=payload.evidence,
    )
    return 201, _out(plan)


@router.delete("/plans/{plan_id}/actions/{action_id}", response={200: dict, **ERRORS})
def drop_action(request: HttpRequest, plan_id: int, action_id: int) -> dict:
    plan = _plan(request, plan_id)
    services.do_drop_action(_action(plan, action_id), actor(request))
    return _out(plan)


@router.post("/plans/{plan_id}/actions/{action_id}/move", response={200: dict, **ERRORS})
def move_action(request: HttpRequest, plan_id: int, action_id: int, payload: MoveIn) -> dict:
    plan = _plan(request, plan_id)
    services.do_move_action(_action(plan, action_id), actor(request), payload.direction)
    return _out(plan)


@router.post("/plans/{plan_id}/checkins", response={201: dict, **ERRORS})
def checkin(request: HttpRequest, plan_id: int, payload: CheckInIn) -> tuple[int, dict]:
    plan = _plan(request, plan_id)
    services.do_record_checkin(
        plan, actor(request), date=payload.date, note=payload.note, confidence=payload.confidence
    )
    return 201, _out(plan)
