"""A believable year of meetings, generated in memory, that moves toward the leader's end.

Used by the demo (and the tests) so that time use has data without any calendar file.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from leadshift.timeuse.ics import Meeting


@dataclass(frozen=True)
class _Kind:
    title: str
    hours: float
    size: int
    external: bool = False
    with_executive: bool = False


PM_WORK = [
    _Kind("Daily stand-up", 0.25, 7),
    _Kind("Sprint planning", 1.5, 8),
    _Kind("Backlog refinement", 1.0, 5),
    _Kind("Design review", 1.0, 4),
    _Kind("Customer interview", 1.0, 3, external=True),
    _Kind("Engineering sync", 0.5, 4),
    _Kind("Bug triage", 0.5, 4),
    _Kind("1:1", 0.5, 2),
]
LEADER_WORK = [
    _Kind("Quarterly strategy session", 2.0, 6),
    _Kind("Portfolio review", 1.5, 7),
    _Kind("Business review with the CFO", 1.0, 4, with_executive=True),
    _Kind("Mentoring: junior PM", 0.75, 2),
    _Kind("Budget decision review", 1.0, 5),
    _Kind("Executive staff meeting", 1.0, 8, with_executive=True),
    _Kind("Vision and north star workshop", 1.5, 6),
]


def synthetic_year(
    owner: str,
    *,
    today: dt.date,
    weeks: int = 52,
    seed: int = 7,
    colleagues: list[str] | None = None,
    executives: list[str] | None = None,
) -> list[Meeting]:
    """Weekly meetings for `owner` over `weeks` weeks up to `today`; leader work grows from
    about a tenth of the week to about half of it."""
    rng = random.Random(seed)
    domain = owner.split("@", 1)[1]
    peers = colleagues or [f"colleague{k}@{domain}" for k in range(1, 13)]
    execs = executives or [f"exec@{domain}"]
    monday = today - dt.timedelta(days=today.weekday()) - dt.timedelta(weeks=weeks - 1)
    out: list[Meeting] = []
    for w in range(weeks):
        progress = w / max(weeks - 1, 1)
        week_start = monday + dt.timedelta(weeks=w)
        plan: list[_Kind] = []
        for kind in PM_WORK:
            base = 5 if kind.title == "Daily stand-up" else 1
            keep = 1.0 - 0.45 * progress
            plan.extend(kind for _ in range(base) if rng.random() < keep)
        for _ in range(1 + round(5 * progress + rng.uniform(-1, 1))):
            plan.append(rng.choice(LEADER_WORK))
        for n, kind in enumerate(plan):
            day = week_start + dt.timedelta(days=n % 5)
            if day > today:
                continue
            start = dt.datetime.combine(day, dt.time(9 + (n * 2) % 8, 0), tzinfo=dt.UTC)
            end = start + dt.timedelta(hours=kind.hours)
            others = rng.sample(peers, k=min(len(peers), kind.size - 1))
            if kind.external:
                others[0] = "buyer@customer.example"
            if kind.with_executive:
                others[0] = rng.choice(execs)
            out.append(
                Meeting(
                    uid=f"demo-{w}-{n}@leadshift",
                    title=kind.title,
                    start=start,
                    end=end,
                    duration_hours=kind.hours,
                    all_day=False,
                    organiser=owner,
                    attendees=(owner, *others),
                    attendee_count=kind.size,
                    recurring=kind.title == "Daily stand-up",
                    owner_status="accepted",
                )
            )
    return out
