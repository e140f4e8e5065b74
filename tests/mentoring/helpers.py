"""A released 360, made as a cycle is: raters answer, the subject releases."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from leadshift.frameworks.schema import default_framework

CAPS = [c.id for c in default_framework().capabilities]
STAKEHOLDERS = "stakeholder_management"


def release_360(subject: Any, level: int, *, tag: str) -> Any:
    """A released 360 on `subject`: the manager and three peers rate every capability at
    `level` (their manager's view counts too when they have one)."""
    from leadshift.feedback import services as feedback

    raters = [
        feedback.RaterIn(f"Peer {tag} {k}", f"peer{k}.{tag}@raters.example", "peer")
        for k in range(3)
    ]
    raters.append(feedback.RaterIn(f"Boss {tag}", f"boss.{tag}@raters.example", "manager"))
    cycle = feedback.do_open_cycle(
        subject, subject, closes_on=timezone.localdate() + dt.timedelta(days=10), raters=raters
    )
    for rater in cycle.raters.all():
        feedback.do_save_answers(
            rater, {c: feedback.AnswerIn(level, "") for c in CAPS}, submit=True
        )
    feedback.do_close_and_release(cycle, subject)
    return cycle
