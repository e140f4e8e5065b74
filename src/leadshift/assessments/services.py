from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from leadshift.assessments.models import Assessment, CapabilityRating, ShiftAnswer
from leadshift.assessments.readiness import Answers, ReadinessProfile, readiness_profile
from leadshift.assessments.standing import do_store_standings
from leadshift.behaviours.checklist import level_from_ticks, unknown_ticks
from leadshift.behaviours.models import Tick
from leadshift.core.errors import Invalid, NotAllowed
from leadshift.frameworks.models import FrameworkVersion
from leadshift.frameworks.services import framework_for
from leadshift.people.models import Person


def _check_author(assessment: Assessment, actor: Person) -> None:
    if actor.id != assessment.person_id:
        raise NotAllowed("only the person assessed may answer their self-assessment")
    if assessment.is_complete:
        raise Invalid("this assessment is complete; start a new one to record new answers")


@transaction.atomic
def do_start_assessment(
    person: Person, actor: Person, target_role: str, *, started_at: dt.datetime | None = None
) -> Assessment:
    if actor.id != person.id:
        raise NotAllowed("a self-assessment can only be started by the person themselves")
    fv = framework_for(person.organisation)
    if not fv.data.has_role(target_role):
        raise Invalid(f"unknown target role {target_role!r}", field="target_role")
    if person.target_role != target_role:
        person.target_role = target_role
        person.save(update_fields=["target_role"])
    return Assessment.objects.create(
        person=person,
        framework=fv,
        target_role=target_role,
        started_at=started_at or timezone.now(),
    )


def do_record_shift_answer(
    assessment: Assessment, actor: Person, shift: str, question: str, choice: int
) -> ShiftAnswer:
    _check_author(assessment, actor)
    fw = assessment.framework.data
    if not fw.has_shift(shift):
        raise Invalid(f"unknown shift {shift!r}", field="shift")
    try:
        q = fw.shift(shift).question(question)
    except KeyError:
        raise Invalid(
            f"unknown question {question!r} for shift {shift!r}", field="question"
        ) from None
    if not 0 <= choice < len(q.options):
        raise Invalid(f"choice {choice} does not exist for {question!r}", field="choice")
    answer, _ = ShiftAnswer.objects.update_or_create(
        assessment=assessment, shift=shift, question=question, defaults={"choice": choice}
    )
    return answer


def do_record_capability_rating(
    assessment: Assessment, actor: Person, capability: str, level: int, evidence: str = ""
) -> CapabilityRating:
    _check_author(assessment, actor)
    fw = assessment.framework.data
    if not fw.has_capability(capability):
        raise Invalid(f"unknown capability {capability!r}", field="capability")
    cap = fw.capability(capability)
    if not cap.min_level <= level <= cap.max_level:
        raise Invalid(
            f"level {level} is outside {cap.name}'s levels ({cap.min_level}–{cap.max_level})",
            field="level",
        )
    rating, _ = CapabilityRating.objects.update_or_create(
        assessment=assessment,
        capability=capability,
        defaults={"level": level, "evidence": evidence.strip()[:2000]},
    )
    return rating


@transaction.atomic
def do_record_checklist(
    assessment: Assessment,
    actor: Person,
    capability: str,
    ticked: Iterable[str],
    evidence: str = "",
) -> CapabilityRating:
    """Replace a capability's ticked behaviours; its level follows from the checklist rule.
    A tick that names no behaviour of this capability in the assessment's framework version
    is refused, and nothing is written."""
    _check_author(assessment, actor)
    fw = assessment.framework.data
    if not fw.has_capability(capability):
        raise Invalid(f"unknown capability {capability!r}", field="capability")
    keys = list(dict.fromkeys(ticked))
    unknown = unknown_ticks(fw, capability, keys)
    if unknown:
        raise Invalid(
            f"{fw.capability(capability).name}: {', '.join(repr(k) for k in unknown)} "
            f"{'is' if len(unknown) == 1 else 'are'} not a behaviour of this capability in "
            f"{fw.label}",
            field="behaviours",
        )
    result = level_from_ticks(fw.capability(capability), keys)
    rating = do_record_capability_rating(assessment, actor, capability, result.level, evidence)
    Tick.objects.filter(assessment=assessment, capability=capability).delete()
    Tick.objects.bulk_create(
        Tick(assessment=assessment, capability=capability, key=k) for k in keys
    )
    return rating


def missing_answers(assessment: Assessment) -> list[str]:
    fw = assessment.framework.data
    answers = assessment.answers()
    missing = [
        f"{s.name}: {q.text}"
        for s in fw.shifts
        for q in s.questions
        if (s.id, q.id) not in answers.shift_choices
    ]
    missing += [c.name for c in fw.capabilities if c.id not in answers.capability_levels]
    return missing


@transaction.atomic
def do_complete_assessment(
    assessment: Assessment, actor: Person, *, completed_at: dt.datetime | None = None
) -> Assessment:
    _check_author(assessment, actor)
    missing = missing_answers(assessment)
    if missing:
        raise Invalid(
            f"{len(missing)} answer{'s' if len(missing) > 1 else ''} still missing: "
            + "; ".join(missing[:5])
            + (" …" if len(missing) > 5 else "")
        )
    assessment.status = Assessment.Status.COMPLETE
    assessment.completed_at = completed_at or timezone.now()
    profile = assessment.profile()
    assessment.readiness, assessment.verdict = profile.readiness, profile.verdict.value
    assessment.save(update_fields=["status", "completed_at", "readiness", "verdict"])
    do_store_standings(assessment.person.organisation, [assessment.person_id])
    return assessment


@transaction.atomic
def do_submit_assessment(
    person: Person,
    actor: Person,
    target_role: str,
    answers: Answers,
    *,
    taken_at: dt.datetime | None = None,
) -> Assessment:
    """A whole assessment at once (files, API): all of it is saved, or none."""
    assessment = do_start_assessment(person, actor, target_role, started_at=taken_at)
    for (shift, question), choice in answers.shift_choices.items():
        do_record_shift_answer(assessment, actor, shift, question, choice)
    for capability, level in answers.capability_levels.items():
        if capability not in answers.behaviours:
            do_record_capability_rating(
                assessment, actor, capability, level, answers.evidence.get(capability, "")
            )
    for capability, ticked in answers.behaviours.items():
        do_record_checklist(
            assessment, actor, capability, sorted(ticked), answers.evidence.get(capability, "")
        )
    return do_complete_assessment(assessment, actor, completed_at=taken_at)


def visible_assessments(viewer: Person, person: Person):
    if not viewer.can_view(person):
        raise NotAllowed("you may not see this person's assessments")
    return person.assessments.select_related("framework").order_by("-started_at")


def latest_complete_by_person(person_ids: Iterable[int]) -> dict[int, Assessment]:
    """Each person's latest complete assessment with its answers, in three queries however
    many people there are."""
    latest: dict[int, int] = {}
    for aid, pid in (
        Assessment.objects.filter(person_id__in=list(person_ids), status=Assessment.Status.COMPLETE)
        .order_by("person_id", "-completed_at", "-id")
        .values_list("id", "person_id")
    ):
        latest.setdefault(pid, aid)
    found = (
        Assessment.objects.filter(id__in=latest.values())
        .select_related("framework")
        .prefetch_related("shift_answers", "capability_ratings", "ticks")
    )
    return {a.person_id: a for a in found}


def latest_profiles_by_person(person_ids: Iterable[int]) -> dict[int, ReadinessProfile]:
    """Each person's readiness from their latest complete assessment, as its `profile()`
    gives it, with the answers read as plain values: a list of thousands of people builds no
    model per answer (five queries however many people)."""
    latest: dict[int, tuple[int, int, str]] = {}
    for aid, pid, framework_id, role in (
        Assessment.objects.filter(person_id__in=list(person_ids), status=Assessment.Status.COMPLETE)
        .order_by("person_id", "-completed_at", "-id")
        .values_list("id", "person_id", "framework_id", "target_role")
    ):
        latest.setdefault(pid, (aid, framework_id, role))
    ids = [aid for aid, _, _ in latest.values()]
    shifts = ShiftAnswer.choices_by_assessment(ids)
    levels: dict[int, dict[str, int]] = {}
    evidence: dict[int, dict[str, str]] = {}
    for aid, capability, level, said in CapabilityRating.objects.filter(
        assessment_id__in=ids
    ).values_list("assessment_id", "capability", "level", "evidence"):
        levels.setdefault(aid, {})[capability] = level
        if said:
            evidence.setdefault(aid, {})[capability] = said
    ticked: dict[int, dict[str, set[str]]] = {}
    for aid, capability, key in Tick.objects.filter(assessment_id__in=ids).values_list(
        "assessment_id", "capability", "key"
    ):
        ticked.setdefault(aid, {}).setdefault(capability, set()).add(key)
    frameworks = FrameworkVersion.objects.in_bulk({f for _, f, _ in latest.values()})
    out = {}
    for pid, (aid, framework_id, role) in latest.items():
        answers = Answers(
            shift_choices=shifts.get(aid, {}),
            capability_levels=levels.get(aid, {}),
            evidence=evidence.get(aid, {}),
            behaviours={c: frozenset(k) for c, k in ticked.get(aid, {}).items()},
        )
        out[pid] = readiness_profile(frameworks[framework_id].data, answers, role)
    return out


def latest_two_complete(person: Person) -> tuple[Assessment | None, Assessment | None]:
    done = list(
        person.assessments.filter(status=Assessment.Status.COMPLETE)
        .select_related("framework")
        .order_by("-completed_at")[:2]
    )
    latest = done[0] if done else None
    previous = done[1] if len(done) > 1 else None
    return latest, previous
