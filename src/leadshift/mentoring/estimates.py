"""The 360 estimates the matcher reads: each person's latest released cycle, as its results
already show them."""

from __future__ import annotations

from leadshift.coaching.perspectives import estimate_levels, manager_levels, self_levels
from leadshift.feedback.models import Cycle, Result
from leadshift.mentoring.matching import Candidate, Estimate
from leadshift.people.models import Organisation, Person


def candidates(organisation: Organisation, capability: str) -> list[Candidate]:
    latest: dict[int, Result] = {}
    results = (
        Result.objects.filter(
            cycle__status=Cycle.Status.RELEASED,
            cycle__subject__organisation=organisation,
            cycle__subject__is_active=True,
        )
        .select_related("cycle", "cycle__subject")
        .order_by("-cycle__opened_at", "-cycle_id")
    )
    for result in results:
        latest.setdefault(result.cycle.subject_id, result)
    found = []
    for result in latest.values():
        cell = next(
            (c for c in result.data.get("capabilities", []) if c.get("id") == capability), None
        )
        if cell is None or cell.get("estimate") is None:
            continue
        found.append(
            Candidate(
                person_id=result.cycle.subject_id,
                name=result.cycle.subject.name,
                estimate=Estimate(float(cell["estimate"]), cell.get("low"), cell.get("high")),
                cycle_label=f"{result.cycle.opened_at:%B %Y}",
            )
        )
    return found


def own_level(person: Person, capability: str) -> tuple[float | None, str]:
    """The mentee's level: the 360 estimate, else the manager's rating, else their own."""
    for source, levels in (
        ("360", estimate_levels(person)),
        ("manager's rating", manager_levels(person)),
        ("self-assessment", self_levels(person)),
    ):
        if capability in levels:
            return float(levels[capability]), source
    return None, "360"
