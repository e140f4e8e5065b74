"""Portfolio health (plain: no Django): planned against delivered value, and each objective's
key-result progress over time.

* **Planned value** is the plan of record's: the value of the initiatives it selected.
* **Delivered value** is that of the initiatives marked done: the plan's value for those it
  selected, their own value for the rest (done outside the plan still delivered).
* **An objective's progress** on a date is the mean of its key results' progress then, each
  the share of the way from baseline to target of its latest actual, held within 0–100 % so
  one result far past its target does not hide another still at its baseline. A key result
  without an actual yet counts as at its baseline.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from leadshift.portfolio.trajectory import (
    DEFAULT_TOLERANCE,
    Actual,
    TrajectoryInput,
    TrajectoryVerdict,
    assess,
    progress_of,
)


@dataclass(frozen=True)
class KeyResultIn:
    key: str
    name: str
    unit: str
    baseline: float
    target: float
    start: dt.date
    due: dt.date
    actuals: tuple[Actual, ...]


@dataclass(frozen=True)
class ObjectiveIn:
    key: str
    name: str
    key_results: tuple[KeyResultIn, ...]


@dataclass(frozen=True)
class InitiativeIn:
    key: str
    name: str
    value: float
    status: str
    finished: dt.date | None
    planned_value: float | None
    """Its value in the plan of record; None when the plan does not select it."""


@dataclass(frozen=True)
class HealthInput:
    objectives: tuple[ObjectiveIn, ...]
    initiatives: tuple[InitiativeIn, ...]
    today: dt.date
    tolerance: float = DEFAULT_TOLERANCE
    has_plan: bool = True


@dataclass(frozen=True)
class KeyResultHealth:
    key: str
    name: str
    unit: str
    baseline: float
    target: float
    due: dt.date
    verdict: TrajectoryVerdict


@dataclass(frozen=True)
class ObjectiveHealth:
    key: str
    name: str
    progress: float | None
    """Today's mean progress of its key results (None without key results)."""
    key_results: tuple[KeyResultHealth, ...]
    series: tuple[tuple[dt.date, float], ...]
    """(date of an actual, the objective's progress that day), in date order."""

    @property
    def off_track(self) -> tuple[KeyResultHealth, ...]:
        return tuple(k for k in self.key_results if k.verdict.off_track)


@dataclass(frozen=True)
class ValueHealth:
    planned: float
    delivered: float
    delivered_in_plan: float
    in_progress: float
    """Planned value of the plan's initiatives in progress."""
    dropped_from_plan: float
    by_status: dict[str, int]
    """How many initiatives have each status."""


@dataclass(frozen=True)
class Health:
    today: dt.date
    has_plan: bool
    value: ValueHealth
    objectives: tuple[ObjectiveHealth, ...]


def _clamp(x: float) -> float:
    return min(1.0, max(0.0, x))


def _objective(o: ObjectiveIn, today: dt.date, tolerance: float) -> ObjectiveHealth:
    krs = tuple(
        KeyResultHealth(
            k.key,
            k.name,
            k.unit,
            k.baseline,
            k.target,
            k.due,
            assess(
                TrajectoryInput(
                    k.baseline, k.target, k.start, k.due, k.actuals, today, tolerance, k.unit
                )
            ),
        )
        for k in o.key_results
    )
    if not krs:
        return ObjectiveHealth(o.key, o.name, None, (), ())
    days = sorted({a.on for k in o.key_results for a in k.actuals if a.on <= today})
    series = []
    for day in days:
        shares = []
        for k in o.key_results:
            seen = [a for a in k.actuals if a.on <= day]
            last = max(seen, key=lambda a: a.on) if seen else None
            shares.append(_clamp(progress_of(k.baseline, k.target, last.value)) if last else 0.0)
        series.append((day, sum(shares) / len(shares)))
    now = sum(_clamp(k.verdict.progress or 0.0) for k in krs) / len(krs)
    return ObjectiveHealth(o.key, o.name, now, krs, tuple(series))


def _value(items: Sequence[InitiativeIn]) -> ValueHealth:
    planned = sum(i.planned_value for i in items if i.planned_value is not None)
    done = [i for i in items if i.status == "done"]
    delivered = sum(i.planned_value if i.planned_value is not None else i.value for i in done)
    in_plan = sum(i.planned_value for i in done if i.planned_value is not None)
    running = sum(
        i.planned_value for i in items if i.status == "in_progress" and i.planned_value is not None
    )
    dropped = sum(
        i.planned_value for i in items if i.status == "dropped" and i.planned_value is not None
    )
    counts: dict[str, int] = {}
    for i in items:
        counts[i.status] = counts.get(i.status, 0) + 1
    return ValueHealth(planned, delivered, in_plan, running, dropped, counts)


def portfolio_health(data: HealthInput) -> Health:
    return Health(
        today=data.today,
        has_plan=data.has_plan,
        value=_value(data.initiatives),
        objectives=tuple(_objective(o, data.today, data.tolerance) for o in data.objectives),
    )
