"""The readiness profile's pictures, drawn with the shared SVG charts."""

from __future__ import annotations

from leadshift.assessments.readiness import ReadinessProfile
from leadshift.reports.charts import RadarAxis, SpectrumRow, radar_chart, spectrum_chart


def spectrum_for(profile: ReadinessProfile, previous: ReadinessProfile | None = None) -> str:
    before = {s.id: s.position for s in previous.shifts} if previous else {}
    return spectrum_chart(
        [
            SpectrumRow(
                name=s.name,
                pm_pole=s.pm_pole,
                leader_pole=s.leader_pole,
                position=s.position,
                expected=s.expected,
                previous=before.get(s.id),
            )
            for s in profile.shifts
        ]
    )


def radar_for(
    profile: ReadinessProfile,
    previous: ReadinessProfile | None = None,
    max_level: int | None = None,
) -> str:
    before = {c.id: c.level for c in previous.capabilities} if previous else {}
    top = max_level or max(c.max_level for c in profile.capabilities)
    return radar_chart(
        [
            RadarAxis(name=c.name, value=c.level, expected=c.expected, previous=before.get(c.id))
            for c in profile.capabilities
        ],
        max_value=top,
        title=f"Capabilities against {profile.role_name}",
    )
