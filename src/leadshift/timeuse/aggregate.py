"""Hours per shift pole per week and month, and whether time is moving toward the leader's end.

Only these aggregates need to be kept: they name no meeting, title or attendee, so the imported
events can be deleted once the summary is stored.

"Leader share" of a shift in a period is leader hours / (pm + leader hours) on that shift, or
None when no meeting in the period was placed on it. The trend is the least-squares slope of the
monthly leader share against the month number (share points per month), over the months that
have a share.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from typing import Any

import numpy as np

from leadshift.timeuse.ics import CalendarRead, Meeting
from leadshift.timeuse.rules import (
    POLE_ENDS,
    POLES,
    SHIFTS,
    Classification,
    Context,
    RuleSet,
    classify_all,
)

TREND_STEADY = 0.01  # share points per month below which the direction reads as steady


@dataclass
class PeriodUse:
    meetings: int = 0
    total_hours: float = 0.0
    unclassified_hours: float = 0.0
    by_pole: dict[str, float] = field(default_factory=lambda: dict.fromkeys(POLES, 0.0))

    def add(self, hours: float, poles: dict[str, float]) -> None:
        self.meetings += 1
        self.total_hours += hours
        if not poles:
            self.unclassified_hours += hours
        for pole, share in poles.items():
            self.by_pole[pole] += hours * share

    def leader_share(self, shift: str) -> float | None:
        pm, leader = self.by_pole[f"{shift}:pm"], self.by_pole[f"{shift}:leader"]
        return leader / (pm + leader) if pm + leader > 0 else None


@dataclass(frozen=True)
class Trend:
    slope_per_month: float | None  # change of leader share per month
    months: int  # months with a share
    first: float | None  # fitted share at the first month
    last: float | None  # fitted share at the last month

    @property
    def direction(self) -> str:
        if self.slope_per_month is None:
            return "not enough data"
        if self.slope_per_month > TREND_STEADY:
            return "toward leader"
        if self.slope_per_month < -TREND_STEADY:
            return "toward pm"
        return "steady"


@dataclass
class TimeUse:
    total: PeriodUse
    weeks: dict[str, PeriodUse]
    months: dict[str, PeriodUse]
    trend: dict[str, Trend]
    all_day_events: int = 0
    all_day_days: float = 0.0
    skipped: dict[str, int] = field(default_factory=dict)
    timezone: str = "UTC"
    window: tuple[datetime, datetime] | None = None
    # Series without an end, counted up to this instant (a stated default, not their end).
    endless_until: datetime | None = None
    endless_series: int = 0

    @property
    def total_hours(self) -> float:
        return self.total.total_hours


def week_key(moment: datetime, zone: tzinfo) -> str:
    year, week, _ = moment.astimezone(zone).isocalendar()
    return f"{year}-W{week:02d}"


def month_key(moment: datetime, zone: tzinfo) -> str:
    local = moment.astimezone(zone)
    return f"{local.year}-{local.month:02d}"


def _month_number(key: str) -> int:
    year, month = key.split("-")
    return int(year) * 12 + int(month) - 1


def trend_of(months: dict[str, PeriodUse], shift: str) -> Trend:
    points = [
        (_month_number(k), s) for k, p in months.items() if (s := p.leader_share(shift)) is not None
    ]
    if len(points) < 2:
        only = points[0][1] if points else None
        return Trend(slope_per_month=None, months=len(points), first=only, last=only)
    x = np.array([p[0] for p in points], dtype=float)
    y = np.array([p[1] for p in points], dtype=float)
    slope, intercept = np.polyfit(x - x[0], y, 1)
    return Trend(
        slope_per_month=float(slope),
        months=len(points),
        first=float(intercept),
        last=float(intercept + slope * (x[-1] - x[0])),
    )


def aggregate(
    meetings: Sequence[Meeting],
    classifications: Sequence[Classification],
    zone: tzinfo,
    *,
    all_day: Iterable[Meeting] = (),
    skipped: dict[str, int] | None = None,
    timezone_name: str | None = None,
    window: tuple[datetime, datetime] | None = None,
) -> TimeUse:
    if len(meetings) != len(classifications):
        raise ValueError("one classification per meeting is needed")
    total = PeriodUse()
    weeks: dict[str, PeriodUse] = {}
    months: dict[str, PeriodUse] = {}
    for meeting, found in zip(meetings, classifications, strict=True):
        hours = meeting.duration_hours
        total.add(hours, found.poles)
        weeks.setdefault(week_key(meeting.start, zone), PeriodUse()).add(hours, found.poles)
        months.setdefault(month_key(meeting.start, zone), PeriodUse()).add(hours, found.poles)
    weeks = dict(sorted(weeks.items()))
    months = dict(sorted(months.items()))
    days = [m.duration_hours / 24.0 for m in all_day]
    return TimeUse(
        total=total,
        weeks=weeks,
        months=months,
        trend={shift: trend_of(months, shift) for shift in SHIFTS},
        all_day_events=len(days),
        all_day_days=sum(days),
        skipped=dict(skipped or {}),
        timezone=timezone_name or str(zone),
        window=window,
    )


def time_use(read: CalendarRead, rules: RuleSet, context: Context | None = None) -> TimeUse:
    """Classify and aggregate what ``read_calendar`` returned."""
    context = context or Context.of(owner=read.owner)
    found = classify_all(read.meetings, rules, context)
    use = aggregate(
        read.meetings,
        found,
        read.timezone,
        all_day=read.all_day,
        skipped=read.skipped,
        timezone_name=read.timezone_name,
        window=read.window,
    )
    use.endless_until, use.endless_series = read.endless_until, read.endless_series
    return use


def _r(value: float) -> float:
    return round(value, 4)


def _by_shift(period: PeriodUse) -> dict[str, dict[str, float]]:
    return {s: {end: _r(period.by_pole[f"{s}:{end}"]) for end in POLE_ENDS} for s in SHIFTS}


def _shares(period: PeriodUse) -> dict[str, float | None]:
    return {s: (None if (v := period.leader_share(s)) is None else _r(v)) for s in SHIFTS}


def _period(period: PeriodUse) -> dict[str, Any]:
    return {
        "meetings": period.meetings,
        "total_hours": _r(period.total_hours),
        "unclassified_hours": _r(period.unclassified_hours),
        "by_shift": _by_shift(period),
        "leader_share": _shares(period),
    }


def summary_json(use: TimeUse) -> dict[str, Any]:
    """The aggregates only, ready for JSON: no meeting, title or attendee appears."""
    return {
        "total_hours": _r(use.total.total_hours),
        "meetings": use.total.meetings,
        "unclassified_hours": _r(use.total.unclassified_hours),
        "by_shift": _by_shift(use.total),
        "leader_share": _shares(use.total),
        "weeks": {k: _period(p) for k, p in use.weeks.items()},
        "months": {k: _period(p) for k, p in use.months.items()},
        "trend": {
            s: {
                "slope_per_month": None if t.slope_per_month is None else _r(t.slope_per_month),
                "months": t.months,
                "first": None if t.first is None else _r(t.first),
                "last": None if t.last is None else _r(t.last),
                "direction": t.direction,
            }
            for s, t in use.trend.items()
        },
        "all_day_events": use.all_day_events,
        "all_day_days": _r(use.all_day_days),
        "skipped": use.skipped,
        "timezone": use.timezone,
        "window": None
        if use.window is None
        else {"from": use.window[0].isoformat(), "to": use.window[1].isoformat()},
        "endless_series": use.endless_series,
        "endless_series_until": None
        if use.endless_until is None
        else use.endless_until.isoformat(),
    }
