from __future__ import annotations

import datetime as dt
from dataclasses import replace

from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from leadshift.assessments.models import Assessment
from leadshift.assessments.readiness import ReadinessProfile, readiness_profile
from leadshift.core.dates import day
from leadshift.core.errors import Invalid, NotAllowed
from leadshift.growth.models import Action, CheckIn, Goal, Plan
from leadshift.growth.planning import blended_levels, generate_plan
from leadshift.people.models import Person
from leadshift.undo.models import Deletion
from leadshift.undo.services import do_delete_with_undo


def _check_coach(plan_person_id: int, actor: Person) -> None:
    """The person and the managers above them may work on a plan; nobody else."""
    person = Person.objects.select_related("manager").get(pk=plan_person_id)
    if not actor.can_view(person):
        raise NotAllowed("you may not change this person's plan")


def _today() -> dt.date:
    return timezone.localdate()


def _planning_profile(assessment: Assessment) -> ReadinessProfile:
    """The profile a plan is made from: the self-assessment, with each capability's level
    blended with the manager's assessment and the released 360 estimate when they exist."""
    from leadshift.coaching.perspectives import estimate_levels, manager_levels

    person = assessment.person
    others = [v for v in (manager_levels(person), estimate_levels(person)) if v]
    if not others:
        return assessment.profile()
    fw = assessment.framework.data
    answers = assessment.answers()
    levels = blended_levels(
        answers.capability_levels,
        others,
        {c.id: (c.min_level, c.max_level) for c in fw.capabilities},
    )
    return readiness_profile(fw, replace(answers, capability_levels=levels), assessment.target_role)


def _others_gaps(assessment: Assessment) -> dict[str, float]:
    """How far below the role's level the manager and the 360 see each capability, the larger
    of the two."""
    from leadshift.coaching.perspectives import estimate_levels, manager_levels

    role = assessment.framework.data.role(assessment.target_role)
    gaps: dict[str, float] = {}
    for view in (manager_levels(assessment.person), estimate_levels(assessment.person)):
        for cid, level in view.items():
            if cid in role.expected:
                gaps[cid] = max(gaps.get(cid, 0.0), role.expected[cid] - float(level))
    return gaps


@transaction.atomic
def do_generate_plan(
    assessment: Assessment, actor: Person, *, starts_on: dt.date | None = None, days: int = 90
) -> Plan:
    # coaching's services build on this module's, so this import waits until it is needed.
    from leadshift.coaching.services import plan_focus

    _check_coach(assessment.person_id, actor)
    if not assessment.is_complete:
        raise Invalid("finish the assessment before generating a plan from it")
    if not 14 <= days <= 365:
        raise Invalid("a plan runs between 14 and 365 days", field="days")
    draft = generate_plan(
        assessment.framework.data,
        _planning_profile(assessment),
        starts_on=starts_on or _today(),
        days=days,
        focus=plan_focus(assessment.person),
        ticked=assessment.ticked(),
        others_gaps=_others_gaps(assessment),
    )
    plan = Plan.objects.create(
        person_id=assessment.person_id,
        assessment=assessment,
        title=draft.title,
        starts_on=draft.starts_on,
        ends_on=draft.ends_on,
    )
    position = 0
    for gi, g in enumerate(draft.goals):
        goal = Goal.objects.create(
            plan=plan,
            capability=g.capability,
            title=g.title,
            from_level=g.from_level,
            to_level=g.to_level,
            target_behaviour=g.target_behaviour,
            position=gi,
        )
        for a in g.actions:
            position += 1
            Action.objects.create(
                goal=goal,
                title=a.title,
                description=a.description,
                track=a.track,
                source_action=a.source_action,
                evidence=a.evidence,
                due_on=a.due_on,
                position=position,
            )
    return plan


def _check_due(plan: Plan, due_on: dt.date) -> None:
    if not plan.starts_on - dt.timedelta(days=30) <= due_on <= plan.ends_on + dt.timedelta(days=90):
        raise Invalid(
            f"the due date must fall near the plan ({day(plan.starts_on)} – {day(plan.ends_on)})",
            field="due_on",
        )


@transaction.atomic
def do_update_action(
    action: Action, actor: Person, *, title: str, description: str, evidence: str, due_on: dt.date
) -> Action:
    plan = action.goal.plan
    _check_coach(plan.person_id, actor)
    if not title.strip():
        raise Invalid("an action needs a title", field="title")
    _check_due(plan, due_on)
    action.title, action.description, action.evidence, action.due_on = (
        title.strip(),
        description.strip(),
        evidence.strip(),
        due_on,
    )
    action.save()
    return action


@transaction.atomic
def do_add_action(
    goal: Goal,
    actor: Person,
    *,
    title: str,
    due_on: dt.date,
    description: str = "",
    evidence: str = "",
) -> Action:
    _check_coach(goal.plan.person_id, actor)
    if not title.strip():
        raise Invalid("an action needs a title", field="title")
    _check_due(goal.plan, due_on)
    last = Action.objects.filter(goal__plan=goal.plan).aggregate(m=Max("position"))["m"] or 0
    return Action.objects.create(
        goal=goal,
        title=title.strip(),
        description=description.strip(),
        evidence=evidence.strip(),
        due_on=due_on,
        position=last + 1,
    )


@transaction.atomic
def do_drop_action(action: Action, actor: Person) -> Deletion | None:
    _check_coach(action.goal.plan.person_id, actor)
    return do_delete_with_undo(
        action,
        actor,
        f"the action “{action.title}”",
        reverse("plan_detail", args=[action.goal.plan_id]),
    )


@transaction.atomic
def do_move_action(action: Action, actor: Person, direction: str) -> None:
    """Swap an action with its neighbour in its goal ("up" or "down")."""
    _check_coach(action.goal.plan.person_id, actor)
    if direction not in {"up", "down"}:
        raise Invalid("direction must be up or down", field="direction")
    siblings = list(action.goal.actions.order_by("position", "id"))
    i = siblings.index(action)
    j = i - 1 if direction == "up" else i + 1
    if not 0 <= j < len(siblings):
        return
    # Renumber the goal so equal positions cannot make a swap a no-op.
    siblings[i], siblings[j] = siblings[j], siblings[i]
    base = min(a.position for a in siblings)
    for k, a in enumerate(siblings):
        a.position = base + k
        a.save(update_fields=["position"])


def done_when_of(plan: Plan) -> dict[str, str]:
    """Framework action id -> the evidence query that shows it done, in the plan's framework."""
    fw = plan.assessment.framework.data if plan.assessment else None
    if fw is None:
        return {}
    return {a.id: a.done_when for t in fw.tracks for a in t.actions if a.done_when}


@transaction.atomic
def do_tick_evidenced_actions(plan: Plan, *, today: dt.date | None = None) -> list[Action]:
    """Tick the open actions whose evidence has appeared in the plan's period: done on the day
    of the first record (or today, for records without a date), the records kept as links."""
    from leadshift.behaviours.evidence import Period, find

    today = today or _today()
    queries = done_when_of(plan)
    period = Period(since=plan.starts_on, until=min(today, plan.ends_on))
    ticked = []
    for action in Action.objects.filter(goal__plan=plan, done_on__isnull=True):
        finding = find(queries.get(action.source_action), plan.person, period)
        if finding is None or not finding.records:
            continue
        dates = [r.on for r in finding.records if r.on is not None]
        action.done_on = min(dates) if dates else today
        action.done_by_evidence = [{"label": r.label, "url": r.url} for r in finding.records[:5]]
        action.save(update_fields=["done_on", "done_by_evidence"])
        ticked.append(action)
    return ticked


@transaction.atomic
def do_set_action_done(
    action: Action, actor: Person, done: bool, *, on: dt.date | None = None
) -> Action:
    _check_coach(action.goal.plan.person_id, actor)
    action.done_on = (on or _today()) if done else None
    action.done_by_evidence = []
    action.save(update_fields=["done_on", "done_by_evidence"])
    return action


@transaction.atomic
def do_record_checkin(
    plan: Plan, actor: Person, *, date: dt.date, note: str, confidence: int
) -> CheckIn:
    _check_coach(plan.person_id, actor)
    if not note.strip():
        raise Invalid("say in a line how it is going", field="note")
    if not 1 <= confidence <= 5:
        raise Invalid("confidence is from 1 (low) to 5 (high)", field="confidence")
    if date > _today() + dt.timedelta(days=1):
        raise Invalid("a check-in cannot be dated in the future", field="date")
    actions = plan.all_actions()
    return CheckIn.objects.create(
        plan=plan,
        date=date,
        note=note.strip(),
        confidence=confidence,
        done_count=sum(1 for a in actions if a.done_on and a.done_on <= date),
        total_count=len(actions),
    )
