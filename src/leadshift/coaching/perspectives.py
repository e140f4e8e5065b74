"""Self beside the manager beside the 360 estimate, per capability, for one person."""

from __future__ import annotations

from leadshift.assessments.models import Assessment
from leadshift.coaching.agenda import Perspective, by_disagreement
from leadshift.coaching.models import ManagerAssessment
from leadshift.feedback.models import Cycle
from leadshift.feedback.services import result_data
from leadshift.frameworks.services import framework_for
from leadshift.people.models import Person


def self_levels(person: Person) -> dict[str, int]:
    latest = (
        person.assessments.filter(status=Assessment.Status.COMPLETE)
        .order_by("-completed_at")
        .first()
    )
    return latest.answers().capability_levels if latest else {}


def manager_levels(person: Person) -> dict[str, int]:
    latest = person.manager_assessments.prefetch_related("ratings").first()
    return latest.levels() if latest else {}


def estimate_levels(person: Person) -> dict[str, float]:
    """The released 360's estimates: only what its results already show."""
    cycle = person.feedback_cycles.filter(status=Cycle.Status.RELEASED).first()
    if cycle is None:
        return {}
    return {
        c["id"]: c["estimate"]
        for c in result_data(cycle)["capabilities"]
        if c.get("estimate") is not None
    }


def perspectives(person: Person) -> list[Perspective]:
    """Every capability of the framework, where the views disagree most first."""
    fw = framework_for(person.organisation).data
    own, mgr, est = self_levels(person), manager_levels(person), estimate_levels(person)
    return by_disagreement(
        [
            Perspective(c.id, c.name, own.get(c.id), mgr.get(c.id), est.get(c.id))
            for c in fw.capabilities
        ]
    )


def has_other_views(person: Person) -> bool:
    return ManagerAssessment.objects.filter(person=person).exists() or bool(estimate_levels(person))
