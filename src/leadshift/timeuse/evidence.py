"""The calendar as evidence beside the ratings: per shift, the self-rated position next to the
share of the last three months' hours at the leader end, and where it is heading."""

from __future__ import annotations

from typing import Any

from leadshift.assessments.readiness import ReadinessProfile
from leadshift.timeuse.charts import SHIFT_NAMES
from leadshift.timeuse.rules import SHIFTS
from leadshift.timeuse.services import Summary


def _pct(value: float | None) -> int | None:
    return None if value is None else round(100 * value)


def evidence_rows(summary: Summary, profile: ReadinessProfile | None) -> list[dict[str, Any]]:
    rated = {s.id: s for s in profile.shifts} if profile else {}
    rows = []
    for shift in SHIFTS:
        reading = rated.get(shift)
        trend = summary.trend[shift]
        recent = _pct(summary.recent.leader_share(shift))
        earlier = _pct(summary.earlier.leader_share(shift))
        rows.append(
            {
                "id": shift,
                "name": reading.name if reading else SHIFT_NAMES[shift],
                "rated": None
                if reading is None or reading.position is None
                else round(reading.position),
                "expected": None if reading is None else reading.expected,
                "calendar": recent,
                "earlier": earlier,
                "direction": trend.direction,
                "slope": None
                if trend.slope_per_month is None
                else round(100 * trend.slope_per_month, 1),
            }
        )
    return rows
