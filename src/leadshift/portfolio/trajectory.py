"""Where a key result stands against the straight line from its baseline to its target.

Plain Python (no Django): the portfolio's health page and the pivot radar's signal "a key
result off its trajectory" both call ``assess``.

The line runs from ``baseline`` on ``start`` to ``target`` on ``due``; before ``start`` the
expectation is the baseline, after ``due`` the target. The direction follows baseline vs
target (a target below the baseline is a key result to bring down, e.g. churn). Progress is
measured as a share of the way from baseline to target, so "behind by 0.25" means a quarter
of the way behind the line whatever the unit.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

DEFAULT_TOLERANCE = 0.10
"""How far behind the line (a share of the way) a key result may be before it is off track."""


@dataclass(frozen=True)
class Actual:
    on: dt.date
    value: float


@dataclass(frozen=True)
class TrajectoryInput:
    baseline: float
    target: float
    start: dt.date
    due: dt.date
    actuals: Sequence[Actual]
    today: dt.date
    tolerance: float = DEFAULT_TOLERANCE
    unit: str = ""


@dataclass(frozen=True)
class TrajectoryVerdict:
    expected: float
    """The value the straight line expects today."""
    actual: float | None
    """The latest actual on or before today; None when there is none yet."""
    progress: float | None
    """The actual as a share of the way from baseline to target (1 = target reached)."""
    expected_progress: float
    """The share of the way the line expects today (0 before start, 1 from due)."""
    behind_by: float
    """expected_progress − progress (0 when ahead or without an actual)."""
    off_track: bool
    reason: str
    as_of: dt.date | None = None
    """The date of the actual used."""


def direction(baseline: float, target: float) -> str:
    return "increase" if target >= baseline else "decrease"


def expected_share(start: dt.date, due: dt.date, on: dt.date) -> float:
    if on <= start:
        return 0.0
    if on >= due or due <= start:
        return 1.0
    return (on - start).days / (due - start).days


def progress_of(baseline: float, target: float, value: float) -> float:
    return (value - baseline) / (target - baseline)


def _fmt(x: float, unit: str) -> str:
    text = f"{x:,.2f}".rstrip("0").rstrip(".")
    return f"{text} {unit}".strip() if unit and unit != "%" else text + (unit if unit else "")


def assess(data: TrajectoryInput) -> TrajectoryVerdict:
    """The key result today against its straight line; raises ValueError for a target equal
    to its baseline (no way to measure progress) or a due date before the start."""
    if data.target == data.baseline:
        raise ValueError("the target equals the baseline: there is nothing to progress towards")
    if data.due < data.start:
        raise ValueError("the due date is before the start")
    share = expected_share(data.start, data.due, data.today)
    expected = data.baseline + (data.target - data.baseline) * share
    seen = sorted((a for a in data.actuals if a.on <= data.today), key=lambda a: a.on)
    if not seen:
        return TrajectoryVerdict(
            expected=expected,
            actual=None,
            progress=None,
            expected_progress=share,
            behind_by=0.0,
            off_track=False,
            reason="no actual recorded yet",
        )
    last = seen[-1]
    progress = progress_of(data.baseline, data.target, last.value)
    behind = max(0.0, share - progress)
    off = behind > data.tolerance
    u = data.unit
    if off:
        reason = (
            f"{_fmt(last.value, u)} on {last.on} is {behind:.0%} of the way behind the line, "
            f"which expects {_fmt(expected, u)} by {data.today} "
            f"(more than the {data.tolerance:.0%} allowed)"
        )
    elif progress >= 1.0:
        reason = f"target {_fmt(data.target, u)} reached ({_fmt(last.value, u)} on {last.on})"
    elif behind > 0:
        reason = (
            f"{_fmt(last.value, u)} on {last.on} is {behind:.0%} of the way behind the line "
            f"(within the {data.tolerance:.0%} allowed)"
        )
    else:
        reason = (
            f"{_fmt(last.value, u)} on {last.on} is on or ahead of the line ({_fmt(expected, u)})"
        )
    return TrajectoryVerdict(
        expected=expected,
        actual=last.value,
        progress=progress,
        expected_progress=share,
        behind_by=behind,
        off_track=off,
        reason=reason,
        as_of=last.on,
    )
