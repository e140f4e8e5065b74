"""Time-use pictures: hours per shift per week (stacked bars) and the monthly leader share."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from leadshift.reports.charts import BarSeries, LineSeries, line_chart, stacked_bar_chart, tint
from leadshift.timeuse.aggregate import PeriodUse
from leadshift.timeuse.rules import SHIFTS

SHIFT_NAMES = {
    "scope": "Scope",
    "focus": "Focus",
    "decisions": "Decisions",
    "team": "Team",
    "stakeholders": "Stakeholders",
}
SHIFT_COLORS = {
    "scope": "#2f6fde",
    "focus": "#8e44ad",
    "decisions": "#e4572e",
    "team": "#17a589",
    "stakeholders": "#c48a00",
}


def weekly_chart(
    weeks: Sequence[tuple[str, Mapping[str, float]]], *, title: str = "Hours per shift per week"
) -> str:
    """One bar per week; per shift a light segment (PM end) under a dark one (leader end)."""
    labels = [w.split("-W")[1] if "-W" in w else w for w, _ in weeks]
    labels = [f"W{lab}" for lab in labels]
    series = []
    for shift in SHIFTS:
        color = SHIFT_COLORS[shift]
        for end, shade in (("pm", tint(color, 0.6)), ("leader", color)):
            series.append(
                BarSeries(
                    name=f"{SHIFT_NAMES[shift]} ({'PM' if end == 'pm' else 'leader'} end)",
                    values=[float(h.get(f"{shift}:{end}", 0.0)) for _, h in weeks],
                    color=shade,
                )
            )
    legend = [(SHIFT_NAMES[s], SHIFT_COLORS[s]) for s in SHIFTS]
    first = weeks[0][0] if weeks else ""
    last = weeks[-1][0] if weeks else ""
    return stacked_bar_chart(
        labels,
        series,
        title=f"{title}, {first} to {last}" if weeks else title,
        legend=legend,
        note="Light: the PM end of the shift; dark: the leader end. A meeting can count on several shifts.",
    )


def trend_chart(months: Mapping[str, PeriodUse], *, title: str = "Leader share per month") -> str:
    keys = list(months)
    series = [
        LineSeries(
            name=SHIFT_NAMES[s],
            values=[months[k].leader_share(s) for k in keys],
            color=SHIFT_COLORS[s],
        )
        for s in SHIFTS
    ]
    labels = [_month_label(k) for k in keys]
    return line_chart(
        labels,
        series,
        title=title,
        percent=True,
        y_label="share of each shift's hours at the leader end",
    )


_MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def _month_label(key: str) -> str:
    year, month = key.split("-")
    return f"{_MONTHS[int(month) - 1]} {year[2:]}"
