"""Stakeholder pictures: the influence × interest grid and relationship health over time."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from leadshift.reports.charts import GridPoint, LineSeries, grid_chart, line_chart
from leadshift.stakeholders.models import STANCE_COLORS, Stakeholder, Stance

LINE_COLORS = ["#2f6fde", "#e4572e", "#17a589", "#8e44ad", "#c48a00", "#7b8794"]


def map_chart(stakeholders: Sequence[Stakeholder]) -> str:
    return grid_chart(
        [
            GridPoint(
                label=s.name,
                x=s.interest,
                y=s.influence,
                color=STANCE_COLORS[s.stance],
                note=f"{s.role}, {s.get_stance_display().lower()}",
            )
            for s in stakeholders
        ],
        legend=[(label, STANCE_COLORS[value]) for value, label in Stance.choices],
    )


def health_chart(
    series: Sequence[tuple[str, list[tuple[dt.date, float | None]]]],
    *,
    title: str = "Relationship health over the last year",
) -> str:
    days = [d for d, _ in series[0][1]] if series else []
    return line_chart(
        [f"{d.day} {d:%b}" for d in days],
        [
            LineSeries(name=name, values=[v for _, v in points], color=LINE_COLORS[i % 6])
            for i, (name, points) in enumerate(series)
        ],
        title=title,
        y_min=0,
        y_max=100,
        y_label="health (0–100)",
        bands=[(0, 35, "#fdecea"), (60, 100, "#eaf6ef")],
    )
