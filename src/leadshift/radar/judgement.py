"""The pivot radar's judgement: what a signal is, when each kind fires, what a dismissal hides.

Plain module, no Django: the providers (radar/providers.py) read the records and ask these
functions whether a signal fires and why, in words that name the figures and the threshold.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from leadshift.decisions.calibration import ForecastRecord
from leadshift.portfolio.lifecycle import Recommendation

DEFAULT_OBJECTIVE_THRESHOLD = 0.5
"""P(objective reaches its target) under which the radar speaks, unless the leader sets one."""
MIN_REVIEWS = 3
"""Reviewed decisions of one kind before their success rate says anything."""
FAILING_MARGIN = 0.2
"""How far under the forecast success rate the observed rate must fall to fire (0.2 = 20 points)."""

KINDS = {
    "risk_trigger": "Risk trigger fired",
    "objective_odds": "Objective unlikely to reach its target",
    "key_result": "Key result off its trajectory",
    "lifecycle": "Lifecycle recommendation changed",
    "decision_kind": "Decisions failing more than forecast",
    "stakeholder_blocker": "Stakeholder turned blocker",
}


@dataclass(frozen=True)
class Link:
    label: str
    url: str


@dataclass(frozen=True)
class Signal:
    """One reason the strategy may need to change."""

    kind: str
    """One of KINDS (a provider the integrator adds may bring its own)."""
    key: str
    """What it is about, stable while the thing exists: "risk_trigger:12"."""
    title: str
    why: str
    evidence: tuple[Link, ...]
    subject: str
    """What it concerns, in words: "Risk: Key engineer leaves"."""
    fingerprint: str = ""
    """Changes when the evidence is new: a dismissal holds only while it stays the same."""
    initiatives: tuple[str, ...] = ()
    """Keys of the initiatives it affects: the scenario that leaves them out."""
    decision_kind: str = "product_bet"
    """The kind of decision record it would lead to."""
    decision_links: tuple[tuple[str, str], ...] = ()
    """What that decision record would link to: (product | initiative | risk, its name)."""

    @property
    def kind_label(self) -> str:
        return KINDS.get(self.kind, self.kind.replace("_", " ").capitalize())


def pct(p: float) -> str:
    return f"{100 * p:.0f}%"


def check_threshold(value: float) -> float:
    """A threshold is a probability strictly between 0 and 1; ValueError names what is wrong."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"the threshold is a number between 0 and 1, not {value!r}")
    if not 0.0 < float(value) < 1.0:
        raise ValueError(
            f"the threshold is a probability between 0 and 1 (e.g. 0.5), not {value:g}"
        )
    return float(value)


# --- Objectives --------------------------------------------------------------------------


def objective_odds_why(p_reach: float | None, target: float | None, threshold: float) -> str | None:
    """Why an objective's odds fire, or None when they do not (no target, or at/above)."""
    if p_reach is None or target is None or p_reach >= threshold:
        return None
    return (
        f"{pct(p_reach)} likely to reach its target of {target:,.0f} in the last simulation, "
        f"under your threshold of {pct(threshold)}"
    )


# --- Lifecycle ---------------------------------------------------------------------------


def lifecycle_change_why(before: Recommendation, now: Recommendation) -> str | None:
    """Why a product's recommendation changed with its latest snapshot, or None if it did not
    (or either side has no recommendation to compare)."""
    if before.recommendation is None or now.recommendation is None:
        return None
    if before.recommendation == now.recommendation:
        return None
    reasons = "; ".join(now.reasons[:2])
    return (
        f"the recommendation moved from {before.recommendation} to {now.recommendation} "
        f"with the latest metric snapshot" + (f": {reasons}" if reasons else "")
    )


# --- Decisions ---------------------------------------------------------------------------


@dataclass(frozen=True)
class KindGap:
    kind: str
    count: int
    forecast: float
    """Mean forecast probability of success."""
    observed: float
    """Share that succeeded."""

    @property
    def gap(self) -> float:
        return self.forecast - self.observed


def failing_kinds(
    records: Iterable[ForecastRecord],
    *,
    min_reviews: int = MIN_REVIEWS,
    margin: float = FAILING_MARGIN,
) -> list[KindGap]:
    """Kinds of decision whose reviews succeed at least `margin` less often than their
    forecasts said, once `min_reviews` of them are reviewed; worst first."""
    by_kind: dict[str, list[ForecastRecord]] = {}
    for r in records:
        by_kind.setdefault(r.kind, []).append(r)
    out = []
    for kind, recs in by_kind.items():
        if len(recs) < min_reviews:
            continue
        forecast = sum(r.forecast for r in recs) / len(recs)
        observed = sum(1 for r in recs if r.succeeded) / len(recs)
        if forecast - observed >= margin - 1e-9:
            out.append(KindGap(kind, len(recs), forecast, observed))
    return sorted(out, key=lambda g: (-g.gap, g.kind))


def failing_kind_why(gap: KindGap, label: str, margin: float = FAILING_MARGIN) -> str:
    return (
        f"{gap.count} reviewed {label.lower()} decisions: you forecast {pct(gap.forecast)} "
        f"success on average, {pct(gap.observed)} succeeded ({100 * gap.gap:.0f} points less; "
        f"the radar speaks from {100 * margin:.0f} points)"
    )


# --- Dismissals --------------------------------------------------------------------------


@dataclass(frozen=True)
class Dismissal:
    key: str
    fingerprint: str
    reason: str
    by: str
    on: str
    """ISO date."""


@dataclass(frozen=True)
class Sorted:
    active: list[Signal]
    dismissed: list[tuple[Signal, Dismissal]]
    returned: dict[str, Dismissal] = field(default_factory=dict)
    """Active signals (by key) that were dismissed before and came back with new evidence."""


def sort_signals(signals: Sequence[Signal], dismissals: Iterable[Dismissal]) -> Sorted:
    """Split signals into active and dismissed. A dismissal holds while the signal's evidence
    (its fingerprint) is the one it dismissed; new evidence brings the signal back. Of several
    dismissals of one key, the last given counts."""
    latest: dict[str, Dismissal] = {}
    matching: dict[tuple[str, str], Dismissal] = {}
    for d in dismissals:
        latest[d.key] = d
        matching[(d.key, d.fingerprint)] = d
    active, dismissed, returned = [], [], {}
    for s in signals:
        hit = matching.get((s.key, s.fingerprint))
        if hit is not None:
            dismissed.append((s, hit))
            continue
        active.append(s)
        if s.key in latest:
            returned[s.key] = latest[s.key]
    return Sorted(active, dismissed, returned)


def summary_counts(signals: Sequence[Signal]) -> Mapping[str, int]:
    """How many signals of each kind, in KINDS order (others after)."""
    counts: dict[str, int] = {}
    for s in signals:
        counts[s.kind] = counts.get(s.kind, 0) + 1
    order = list(KINDS)
    return dict(
        sorted(counts.items(), key=lambda kv: (order.index(kv[0]) if kv[0] in order else 99, kv[0]))
    )
