"""The decision log of a person: each record and the calibration of their forecasts."""

from __future__ import annotations

import datetime as dt

from leadshift.decisions import services as decisions
from leadshift.decisions.views import calibration_groups
from leadshift.people.models import Person
from leadshift.reports.base import Report, person_json


def decisions_report(viewer: Person, subject: Person, as_of: dt.date) -> Report:
    records = list(
        subject.decisions.select_related("owner").prefetch_related(
            "options", "decided_by", "consulted", "informed", "links", "criteria"
        )
    )
    calibration = decisions.calibration(subject)
    groups = calibration_groups(calibration)
    return Report(
        kind="decisions",
        title=f"Decision log — {subject.name}",
        subject=subject,
        template="reports/decisions.html",
        context={
            "records": records,
            "due": sum(d.review_due(as_of) for d in records),
            "reviewed": sum(bool(d.outcome) for d in records),
            "calibration": calibration,
            "overall": groups[:1],
            "kinds": groups[1:],
        },
        data={
            "kind": "decisions",
            "person": person_json(subject),
            "as_of": as_of.isoformat(),
            "decisions": [decisions.decision_json(d, as_of) for d in records],
            "calibration": calibration,
        },
    )
