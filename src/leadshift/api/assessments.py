from __future__ import annotations

from django.http import Http404, HttpRequest
from ninja import Router

from leadshift.api.auth import actor
from leadshift.api.schemas import (
    ERRORS,
    AssessmentOut,
    CapabilityAnswerIn,
    ShiftAnswerIn,
    StartAssessmentIn,
    SubmitAssessmentIn,
)
from leadshift.assessments import services
from leadshift.assessments.models import Assessment
from leadshift.assessments.readiness import Answers, compare_profiles, comparison_json, profile_json
from leadshift.behaviours.checklist import full_key
from leadshift.core.errors import Invalid
from leadshift.frameworks.services import framework_for
from leadshift.people.access import visible_owned, visible_person

router = Router(tags=["assessments"])


def _assessment(request: HttpRequest, assessment_id: int) -> Assessment:
    return visible_owned(
        actor(request), Assessment, assessment_id, "person", "assessment", related=("framework",)
    )


def assessment_out(a: Assessment) -> dict:
    return {
        "id": a.id,
        "person_id": a.person_id,
        "framework": a.framework.data.label,
        "target_role": a.target_role,
        "status": a.status,
        "started_at": a.started_at,
        "completed_at": a.completed_at,
        "profile": profile_json(a.profile()),
    }


@router.get("/people/{person_id}/assessments", response={200: list[AssessmentOut], **ERRORS})
def list_assessments(request: HttpRequest, person_id: int) -> list[dict]:
    person = visible_person(actor(request), person_id)
    return [assessment_out(a) for a in person.assessments.select_related("framework")]


@router.get("/people/{person_id}/profile", response={200: dict, **ERRORS})
def latest_profile(request: HttpRequest, person_id: int) -> dict:
    """The latest complete profile, and what moved since the one before."""
    person = visible_person(actor(request), person_id)
    latest, previous = services.latest_two_complete(person)
    if latest is None:
        raise Http404("No complete assessment yet")
    out = {"assessment": latest.id, "profile": profile_json(latest.profile()), "changes": None}
    if previous is not None:
        out["changes"] = comparison_json(compare_profiles(previous.profile(), latest.profile()))
    return out


@router.post("/assessments", response={201: AssessmentOut, **ERRORS})
def start(request: HttpRequest, payload: StartAssessmentIn) -> tuple[int, dict]:
    me = actor(request)
    return 201, assessment_out(services.do_start_assessment(me, me, payload.target_role))


@router.post("/assessments/submit", response={201: AssessmentOut, **ERRORS})
def submit(request: HttpRequest, payload: SubmitAssessmentIn) -> tuple[int, dict]:
    """A whole self-assessment in one call; saved completely or not at all."""
    me = actor(request)
    fw = framework_for(me.organisation).data
    choices = {}
    for sid, qs in payload.shifts.items():
        for qid, number in qs.items():
            choices[(sid, qid)] = number - 1
    for c, v in payload.capabilities.items():
        if v.level is None and v.behaviours is None:
            raise Invalid(f"capabilities.{c}: give a level or the behaviours seen", field=c)
    answers = Answers(
        shift_choices=choices,
        capability_levels={
            c: v.level for c, v in payload.capabilities.items() if v.level is not None
        },
        evidence={c: v.evidence for c, v in payload.capabilities.items() if v.evidence},
        behaviours={
            c: frozenset(full_key(c, k) for k in v.behaviours)
            for c, v in payload.capabilities.items()
            if v.behaviours is not None
        },
    )
    for (sid, qid), idx in choices.items():
        if fw.has_shift(sid) and idx < 0:
            raise Invalid(
                f"shifts.{sid}.{qid}: option numbers start at 1", field=f"shifts.{sid}.{qid}"
            )
    return 201, assessment_out(services.do_submit_assessment(me, me, payload.target_role, answers))


@router.get("/assessments/{assessment_id}", response={200: AssessmentOut, **ERRORS})
def detail(request: HttpRequest, assessment_id: int) -> dict:
    return assessment_out(_assessment(request, assessment_id))


@router.put(
    "/assessments/{assessment_id}/shifts/{shift}/{question}",
    response={200: AssessmentOut, **ERRORS},
)
def answer_shift(
    request: HttpRequest, assessment_id: int, shift: str, question: str, payload: ShiftAnswerIn
) -> dict:
    a = _assessment(request, assessment_id)
    services.do_record_shift_answer(a, actor(request), shift, question, payload.choice - 1)
    return assessment_out(a)


@router.put(
    "/assessments/{assessment_id}/capabilities/{capability}",
    response={200: AssessmentOut, **ERRORS},
)
def answer_capability(
    request: HttpRequest, assessment_id: int, capability: str, payload: CapabilityAnswerIn
) -> dict:
    a = _assessment(request, assessment_id)
    if payload.behaviours is not None:
        ticked = [full_key(capability, k) for k in payload.behaviours]
        services.do_record_checklist(a, actor(request), capability, ticked, payload.evidence)
    elif payload.level is not None:
        services.do_record_capability_rating(
            a, actor(request), capability, payload.level, payload.evidence
        )
    else:
        raise Invalid("give a level or the behaviours seen", field="level")
    return assessment_out(a)


@router.post("/assessments/{assessment_id}/complete", response={200: AssessmentOut, **ERRORS})
def complete(request: HttpRequest, assessment_id: int) -> dict:
    a = _assessment(request, assessment_id)
    return assessment_out(services.do_complete_assessment(a, actor(request)))
