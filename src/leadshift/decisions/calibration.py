"""How well a leader's forecasts came true: Brier score, its decomposition, reliability chart.

A forecast is the probability the leader gave that a decision would succeed; the outcome is
whether it did (1) or not (0), known once the decision is reviewed.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass


def _check(forecasts: Sequence[float], outcomes: Sequence[int | bool]) -> None:
    if len(forecasts) != len(outcomes):
        raise ValueError(
            f"forecasts and outcomes differ in length ({len(forecasts)} and {len(outcomes)})"
        )
    for k, p in enumerate(forecasts):
        if not 0.0 <= p <= 1.0:
            raise ValueError(f"forecast {k} must be a probability between 0 and 1, got {p!r}")
    for k, o in enumerate(outcomes):
        if o not in (0, 1):
            raise ValueError(f"outcome {k} must be 0 or 1, got {o!r}")


def brier_score(forecasts: Sequence[float], outcomes: Sequence[int | bool]) -> float:
    """Mean squared gap between forecast and outcome: 0 is perfect, 0.25 is always saying 50%."""
    _check(forecasts, outcomes)
    if not forecasts:
        raise ValueError("no forecasts to score")
    return sum((p - int(o)) ** 2 for p, o in zip(forecasts, outcomes, strict=True)) / len(forecasts)


@dataclass(frozen=True)
class BrierDecomposition:
    """Murphy's decomposition: ``brier = reliability - resolution + uncertainty``.

    Forecasts are grouped by their distinct values, so the identity is exact.
    """

    brier: float
    reliability: float
    """How far each forecast value is from how often it came true (lower is better)."""
    resolution: float
    """How much the forecasts separate outcomes from the base rate (higher is better)."""
    uncertainty: float
    """base_rate * (1 - base_rate): what no forecaster can remove."""
    base_rate: float


def brier_decomposition(
    forecasts: Sequence[float], outcomes: Sequence[int | bool]
) -> BrierDecomposition:
    _check(forecasts, outcomes)
    n = len(forecasts)
    if not n:
        raise ValueError("no forecasts to score")
    base = sum(int(o) for o in outcomes) / n
    groups: dict[float, list[int]] = {}
    for p, o in zip(forecasts, outcomes, strict=True):
        groups.setdefault(float(p), []).append(int(o))
    reliability = resolution = 0.0
    for p, outs in groups.items():
        freq = sum(outs) / len(outs)
        reliability += len(outs) * (p - freq) ** 2
        resolution += len(outs) * (freq - base) ** 2
    return BrierDecomposition(
        brier=brier_score(forecasts, outcomes),
        reliability=reliability / n,
        resolution=resolution / n,
        uncertainty=base * (1 - base),
        base_rate=base,
    )


def wilson_interval(successes: int, n: int, z: float = 1.959963984540054) -> tuple[float, float]:
    """95% Wilson score interval for a proportion; (0, 1) when there is nothing to go on."""
    if n == 0:
        return 0.0, 1.0
    phat = successes / n
    denom = 1 + z * z / n
    centre = (phat + z * z / (2 * n)) / denom
    half = z * math.sqrt(phat * (1 - phat) / n + z * z / (4 * n * n)) / denom
    return max(0.0, centre - half), min(1.0, centre + half)


@dataclass(frozen=True)
class ReliabilityBin:
    low: float
    high: float
    count: int
    mean_forecast: float | None
    observed: float | None
    """How often the forecasts in this bin came true."""
    interval: tuple[float, float]
    """95% Wilson interval for ``observed``."""


def reliability_bins(
    forecasts: Sequence[float], outcomes: Sequence[int | bool], bins: int = 10
) -> list[ReliabilityBin]:
    """Forecasts in equal-width bins over [0, 1] (1.0 falls in the last bin), for a
    reliability chart: mean forecast against observed frequency, with its interval."""
    _check(forecasts, outcomes)
    if bins < 1:
        raise ValueError("bins must be at least 1")
    members: list[list[tuple[float, int]]] = [[] for _ in range(bins)]
    for p, o in zip(forecasts, outcomes, strict=True):
        members[min(int(p * bins), bins - 1)].append((p, int(o)))
    out = []
    for k, items in enumerate(members):
        count = len(items)
        hits = sum(o for _, o in items)
        out.append(
            ReliabilityBin(
                low=k / bins,
                high=(k + 1) / bins,
                count=count,
                mean_forecast=sum(p for p, _ in items) / count if count else None,
                observed=hits / count if count else None,
                interval=wilson_interval(hits, count),
            )
        )
    return out


@dataclass(frozen=True)
class ForecastRecord:
    """One reviewed decision: its kind, the forecast probability of success, the outcome."""

    kind: str
    forecast: float
    succeeded: bool


@dataclass(frozen=True)
class KindCalibration:
    kind: str
    count: int
    brier: float
    decomposition: BrierDecomposition
    bins: list[ReliabilityBin]


def calibration_by_kind(
    records: Iterable[ForecastRecord], bins: int = 10, *, overall: str | None = "all"
) -> list[KindCalibration]:
    """Calibration per decision kind (sorted by kind), plus one over every record under
    the name ``overall`` (first) unless it is None. Kinds without records are left out."""
    by_kind: dict[str, list[ForecastRecord]] = {}
    everything: list[ForecastRecord] = []
    for rec in records:
        by_kind.setdefault(rec.kind, []).append(rec)
        everything.append(rec)
    groups = sorted(by_kind.items())
    if overall is not None and everything:
        groups.insert(0, (overall, everything))
    out = []
    for kind, recs in groups:
        f = [r.forecast for r in recs]
        o = [int(r.succeeded) for r in recs]
        dec = brier_decomposition(f, o)
        out.append(KindCalibration(kind, len(recs), dec.brier, dec, reliability_bins(f, o, bins)))
    return out
