"""The readiness report's 360 section: exactly what the results page shows its viewer.

It calls the results page's own functions (visible cycles, the stored result, the page's
context), so the anonymity rules are kept in one place: `feedback/anonymity.py` at release.
"""

from __future__ import annotations

from typing import Any

from leadshift.feedback import services as feedback
from leadshift.feedback.models import Cycle
from leadshift.feedback.views import results_context
from leadshift.people.models import Person


def latest_released(subject: Person, viewer: Person) -> Cycle | None:
    """The subject's most recently released cycle, if the viewer may see the subject's cycles."""
    return (
        feedback.visible_cycles(viewer)
        .filter(subject=subject, status=Cycle.Status.RELEASED)
        .order_by("-released_at", "-id")
        .first()
    )


def feedback_360_section(subject: Person, viewer: Person) -> dict[str, Any] | None:
    """The released results as the results page shows them (context and JSON), or None."""
    cycle = latest_released(subject, viewer)
    if cycle is None:
        return None
    data = feedback.result_data(cycle)
    return {
        **results_context(data),
        "cycle": cycle,
        "is_self": subject.id == viewer.id,
        "json": {"released_at": cycle.released_at, **data},
    }
