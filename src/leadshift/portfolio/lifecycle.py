"""Develop, scale, sustain or sunset: a recommendation per product, with its reasons in words.

Plain module, no Django. The rules read like a growth-share matrix with guard rails:

* A product in a **growing market** (market growth at or above ``growing_market``) that
  **leads it** (relative market share at or above ``leading_share``) is one to **scale**.
* In a growing market without the lead, **develop**: invest to win share.
* In a slow market with the lead, **sustain**: protect and harvest it.
* In a slow market without the lead, **sunset** when something else is also wrong (margin
  below ``min_margin``, revenue shrinking faster than ``shrinking_revenue``, or strategic fit
  below ``min_fit``); otherwise **sustain**, with the warning said.
* Whatever the quadrant, a product whose revenue shrinks, whose margin is below the floor
  *and* whose fit is low is recommended for **sunset**.
* Without market growth or relative share, the product's own revenue growth stands in for
  market growth (a fast-growing young product is one to develop or scale), and a product with
  too little data is **develop** when it is new (fewer than ``young_snapshots`` snapshots) and
  otherwise has no recommendation.

Every threshold is a setting the leader can change; each reason names the metric, its value
and the threshold it was compared with.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, fields, replace
from typing import Any

RECOMMENDATIONS = ("develop", "scale", "sustain", "sunset")


@dataclass(frozen=True)
class Thresholds:
    growing_market: float = 0.10
    """Market growth per year at or above which a market counts as growing (0.10 = 10%)."""
    leading_share: float = 1.0
    """Relative market share (ours ÷ the largest competitor's) at or above which we lead."""
    min_margin: float = 0.05
    """Margin below which a product is a drain."""
    shrinking_revenue: float = -0.05
    """Revenue growth per year below which revenue counts as shrinking."""
    min_fit: float = 0.4
    """Strategic fit (0–1) below which a product no longer fits the strategy."""
    fast_growth: float = 0.25
    """Own revenue growth per year that counts as fast, when market data is missing."""
    young_snapshots: int = 3
    """A product with fewer snapshots than this is young."""


THRESHOLD_HELP: dict[str, tuple[str, str]] = {
    "growing_market": ("Growing market", "market growth per year, 0.10 = 10%"),
    "leading_share": ("Leading share", "relative market share, 1.0 = as big as the leader"),
    "min_margin": ("Margin floor", "margin, 0.05 = 5%"),
    "shrinking_revenue": ("Shrinking revenue", "revenue growth per year, -0.05 = −5%"),
    "min_fit": ("Strategic fit floor", "0 to 1"),
    "fast_growth": ("Fast own growth", "revenue growth per year when market data is missing"),
    "young_snapshots": ("Young product", "fewer snapshots than this"),
}


def threshold_names() -> list[str]:
    return [f.name for f in fields(Thresholds)]


def thresholds_from(raw: Mapping[str, Any] | None) -> Thresholds:
    """Thresholds from stored settings; unknown names or non-numbers raise ValueError."""
    if not raw:
        return Thresholds()
    known = {f.name: f for f in fields(Thresholds)}
    values: dict[str, Any] = {}
    for name, value in raw.items():
        if name not in known:
            raise ValueError(f"unknown threshold {name!r} (known: {', '.join(known)})")
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ValueError(f"threshold {name!r} must be a number, got {value!r}")
        if name == "young_snapshots":
            if int(value) != value or value < 0:
                raise ValueError("threshold 'young_snapshots' must be a whole number >= 0")
            value = int(value)
        if name in ("leading_share", "min_fit") and value < 0:
            raise ValueError(f"threshold {name!r} cannot be negative")
        values[name] = value
    return replace(Thresholds(), **values)


@dataclass(frozen=True)
class Snapshot:
    taken_on: dt.date
    metrics: Mapping[str, float]


@dataclass(frozen=True)
class Recommendation:
    recommendation: str | None
    """develop | scale | sustain | sunset, or None when the data cannot support one."""
    reasons: list[str] = field(default_factory=list)
    metrics: dict[str, float] = field(default_factory=dict)
    """The latest value of each metric (revenue growth derived from revenue when missing)."""


def _pct(x: float) -> str:
    return f"{100 * x:.0f}%"


def revenue_growth(snapshots: Sequence[Snapshot]) -> float | None:
    """Annualised revenue growth from the first to the last snapshot with revenue."""
    points = [(s.taken_on, s.metrics["revenue"]) for s in snapshots if "revenue" in s.metrics]
    if len(points) < 2:
        return None
    (d0, r0), (d1, r1) = points[0], points[-1]
    days = (d1 - d0).days
    if days <= 0 or r0 <= 0 or r1 < 0:
        return None
    return (r1 / r0) ** (365.25 / days) - 1.0 if r1 > 0 else -1.0


def latest_metrics(snapshots: Sequence[Snapshot]) -> dict[str, float]:
    """Each metric's latest known value; revenue growth derived when no snapshot gives it."""
    ordered = sorted(snapshots, key=lambda s: s.taken_on)
    out: dict[str, float] = {}
    for s in ordered:
        out.update({k: float(v) for k, v in s.metrics.items() if v is not None})
    if "growth" not in out:
        g = revenue_growth(ordered)
        if g is not None:
            out["growth"] = g
    return out


def recommend(
    snapshots: Sequence[Snapshot], thresholds: Thresholds | None = None
) -> Recommendation:
    """The recommendation for one product from its metric snapshots."""
    th = thresholds or Thresholds()
    m = latest_metrics(snapshots)
    reasons: list[str] = []
    warnings: list[str] = []
    if "margin" in m and m["margin"] < th.min_margin:
        warnings.append(f"margin {_pct(m['margin'])} is below the floor of {_pct(th.min_margin)}")
    if "growth" in m and m["growth"] < th.shrinking_revenue:
        warnings.append(
            f"revenue growth {_pct(m['growth'])} a year is below {_pct(th.shrinking_revenue)}: "
            "revenue is shrinking"
        )
    if "strategic_fit" in m and m["strategic_fit"] < th.min_fit:
        warnings.append(
            f"strategic fit {m['strategic_fit']:.2f} is below the floor of {th.min_fit:.2f}"
        )
    if len(warnings) == 3:
        return Recommendation("sunset", ["All three warning signs at once:", *warnings], m)

    if "market_growth" in m and "relative_share" in m:
        growing = m["market_growth"] >= th.growing_market
        leading = m["relative_share"] >= th.leading_share
        reasons.append(
            f"market growth {_pct(m['market_growth'])} a year is "
            + (
                f"at or above the {_pct(th.growing_market)} that counts as growing"
                if growing
                else f"below the {_pct(th.growing_market)} that counts as growing"
            )
        )
        reasons.append(
            f"relative market share {m['relative_share']:.2f} is "
            + (
                f"at or above {th.leading_share:.2f}: we lead the market"
                if leading
                else f"below {th.leading_share:.2f}: a competitor leads"
            )
        )
        if growing and leading:
            return Recommendation("scale", reasons + warnings, m)
        if growing:
            return Recommendation("develop", reasons + warnings, m)
        if leading:
            return Recommendation("sustain", reasons + warnings, m)
        if warnings:
            return Recommendation("sunset", reasons + warnings, m)
        reasons.append("no warning sign (margin, revenue trend, fit) is below its floor")
        return Recommendation("sustain", reasons, m)

    missing = [k for k in ("market_growth", "relative_share") if k not in m]
    note = f"no {' or '.join(k.replace('_', ' ') for k in missing)} recorded"
    if len(snapshots) < th.young_snapshots:
        return Recommendation(
            "develop",
            [
                f"{note}; only {len(snapshots)} snapshot(s), fewer than the "
                f"{th.young_snapshots} that make a product established: still young",
                *warnings,
            ],
            m,
        )
    if "growth" not in m:
        return Recommendation(None, [f"{note}, and no revenue trend to judge by"], m)
    g = m["growth"]
    if warnings and g < th.growing_market:
        return Recommendation(
            "sunset", [f"{note}; own revenue growth {_pct(g)} a year", *warnings], m
        )
    if g >= th.fast_growth:
        return Recommendation(
            "scale",
            [
                f"{note}; own revenue growth {_pct(g)} a year is at or above {_pct(th.fast_growth)}",
                *warnings,
            ],
            m,
        )
    if g >= th.growing_market:
        return Recommendation(
            "develop",
            [
                f"{note}; own revenue growth {_pct(g)} a year is between "
                f"{_pct(th.growing_market)} and {_pct(th.fast_growth)}",
                *warnings,
            ],
            m,
        )
    return Recommendation(
        "sustain",
        [
            f"{note}; own revenue growth {_pct(g)} a year is below {_pct(th.growing_market)}",
            *warnings,
        ],
        m,
    )


__all__ = [
    "RECOMMENDATIONS",
    "THRESHOLD_HELP",
    "Recommendation",
    "Snapshot",
    "Thresholds",
    "latest_metrics",
    "recommend",
    "revenue_growth",
    "threshold_names",
    "thresholds_from",
]
