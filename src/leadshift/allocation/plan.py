"""The plan an allocation method returns, the reasons for what it left out, and its JSON form."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from leadshift.allocation.problem import Portfolio

STATUSES = ("optimal", "feasible", "infeasible")


@dataclass(frozen=True)
class Placement:
    id: str
    start: str
    start_index: int
    end: str
    """The last period it runs in."""
    value: float
    """Objective-weighted value."""
    effort: dict[str, dict[str, float]]
    """Team -> period -> person-weeks."""


@dataclass(frozen=True)
class LeftOut:
    id: str
    rule: str
    """capacity | dependency | window | status | horizon-mix | value | not-placed"""
    reason: str
    team: str | None = None
    period: str | None = None


@dataclass(frozen=True)
class Usage:
    used: float
    capacity: float

    @property
    def share(self) -> float:
        return self.used / self.capacity if self.capacity > 0 else 0.0


@dataclass(frozen=True)
class Sample:
    elapsed: float
    incumbent: float | None
    bound: float | None


@dataclass
class Plan:
    method: str
    """optimal | rice | wsjf | value-per-effort"""
    status: str
    """optimal (proven within the requested gap) | feasible | infeasible"""
    objective: float
    bound: float | None
    selected: list[Placement]
    utilisation: dict[str, dict[str, Usage]]
    left_out: list[LeftOut]
    marginal_value: dict[str, dict[str, float]] | None = None
    marginal_method: str = ""
    log: list[Sample] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)
    message: str = ""
    elapsed: float = 0.0

    @property
    def gap(self) -> float | None:
        if self.bound is None or self.status == "infeasible":
            return None
        return relative_gap(self.objective, self.bound)

    @property
    def starts(self) -> dict[str, str]:
        return {p.id: p.start for p in self.selected}


def relative_gap(objective: float, bound: float) -> float:
    return max(0.0, bound - objective) / max(abs(bound), 1e-9)


def usage_matrix(portfolio: Portfolio, starts: Mapping[int, int]) -> np.ndarray:
    """Person-weeks used, team * period."""
    used = np.zeros((len(portfolio.teams), len(portfolio.periods)))
    for i, s in starts.items():
        item = portfolio.initiatives[i]
        for team, e in item.effort.items():
            used[portfolio.team_index(team), s : s + item.duration] += e
    return used


def capacity_matrix(portfolio: Portfolio) -> np.ndarray:
    return np.array([t.capacity for t in portfolio.teams], dtype=float).reshape(
        len(portfolio.teams), len(portfolio.periods)
    )


def mix_shares(portfolio: Portfolio, chosen: list[int]) -> dict[str, float]:
    mix = portfolio.horizon_mix
    if mix is None:
        return {}
    totals = dict.fromkeys(mix.target, 0.0)
    for i in chosen:
        item = portfolio.initiatives[i]
        if item.horizon in totals:
            b = item.total_effort if mix.basis == "effort" else portfolio.weighted_value(item)
            totals[item.horizon] += b
    whole = sum(totals.values())
    return {h: (v / whole if whole > 0 else 0.0) for h, v in totals.items()}


def mix_violation(portfolio: Portfolio, chosen: list[int]) -> str:
    """'' when the mix holds, else which horizon is out of its band, in words."""
    mix = portfolio.horizon_mix
    if mix is None:
        return ""
    shares = mix_shares(portfolio, chosen)
    if not any(portfolio.initiatives[i].horizon in mix.target for i in chosen):
        return ""
    for h, share in shares.items():
        lo, hi = mix.target[h] - mix.tolerance, mix.target[h] + mix.tolerance
        if share < lo - 1e-6:
            return f"horizon {h!r} would be {share:.0%} of {mix.basis}, below {lo:.0%}"
        if share > hi + 1e-6:
            return f"horizon {h!r} would be {share:.0%} of {mix.basis}, above {hi:.0%}"
    return ""


def make_plan(
    portfolio: Portfolio,
    starts: Mapping[int, int],
    *,
    method: str,
    status: str,
    bound: float | None,
    **extra: Any,
) -> Plan:
    periods = portfolio.periods
    selected = []
    for i in sorted(starts, key=lambda n: (starts[n], n)):
        item = portfolio.initiatives[i]
        s = starts[i]
        effort = {
            team: {periods[t]: e for t in range(s, s + item.duration)}
            for team, e in item.effort.items()
        }
        selected.append(
            Placement(
                id=item.id,
                start=periods[s],
                start_index=s,
                end=periods[s + item.duration - 1],
                value=portfolio.weighted_value(item),
                effort=effort,
            )
        )
    used = usage_matrix(portfolio, starts)
    utilisation = {
        team.id: {
            periods[t]: Usage(float(used[k, t]), team.capacity[t]) for t in range(len(periods))
        }
        for k, team in enumerate(portfolio.teams)
    }
    objective = float(sum(p.value for p in selected))
    return Plan(
        method=method,
        status=status,
        objective=objective,
        bound=bound,
        selected=selected,
        utilisation=utilisation,
        left_out=[
            *left_out_reasons(portfolio, starts, used),
            *(LeftOut(item.id, "window", reason) for item, reason in portfolio.unfit),
            *(LeftOut(item.id, "status", reason) for item, reason in portfolio.closed),
        ],
        **extra,
    )


def left_out_reasons(
    portfolio: Portfolio, starts: Mapping[int, int], used: np.ndarray
) -> list[LeftOut]:
    """Say for each initiative not in the plan which capacity or rule keeps it out.

    The reason is judged against the plan as it stands: which rule stops this one initiative
    from being added on its own, the first of dependency, window, capacity, horizon mix.
    """
    periods = portfolio.periods
    free = capacity_matrix(portfolio) - used
    chosen = list(starts)
    out = []
    for i, item in enumerate(portfolio.initiatives):
        if i in starts:
            continue
        missing = [d for d in item.after if portfolio.index(d) not in starts]
        if missing:
            out.append(
                LeftOut(
                    item.id, "dependency", f"needs {', '.join(map(repr, missing))}, not in the plan"
                )
            )
            continue
        ready = max(
            [starts[portfolio.index(d)] + portfolio.initiative(d).duration for d in item.after],
            default=0,
        )
        allowed = [s for s in item.starts if s >= ready]
        if not allowed:
            out.append(
                LeftOut(
                    item.id,
                    "window",
                    f"its predecessors finish by {periods[ready - 1]}, "
                    f"after its latest start {periods[item.latest]}",
                )
            )
            continue
        best: list[tuple[int, int, float, float]] | None = None
        for s in allowed:
            short = [
                (k, t, e, float(free[k, t]))
                for team, e in item.effort.items()
                for k in [portfolio.team_index(team)]
                for t in range(s, s + item.duration)
                if e > free[k, t] + 1e-9
            ]
            if best is None or sum(e - f for _, _, e, f in short) < sum(
                e - f for _, _, e, f in best
            ):
                best = short
        assert best is not None
        if best:
            k, t, _, _ = best[0]
            team = portfolio.teams[k].id
            text = "; ".join(
                f"team {portfolio.teams[kk].id!r} has {max(ff, 0):.3g} of the {ee:.3g} person-weeks "
                f"it needs free in {periods[tt]}"
                for kk, tt, ee, ff in best[:3]
            )
            out.append(LeftOut(item.id, "capacity", text, team=team, period=periods[t]))
            continue
        mix_text = mix_violation(portfolio, [*chosen, i])
        if mix_text:
            out.append(LeftOut(item.id, "horizon-mix", f"adding it: {mix_text}"))
        elif portfolio.weighted_value(item) <= 0:
            out.append(LeftOut(item.id, "value", "it would fit, but adds no value"))
        else:
            out.append(
                LeftOut(item.id, "not-placed", "it would fit; the method stopped before placing it")
            )
    return out


def _num(x: float | None) -> float | None:
    if x is None or not np.isfinite(x):
        return None
    return round(float(x), 6)


def result_json(plan: Plan) -> dict[str, Any]:
    """A JSON-ready dict: status, objective, bound, gap, selected [{id, start, ...}], etc."""
    return {
        "method": plan.method,
        "status": plan.status,
        "objective": _num(plan.objective),
        "bound": _num(plan.bound),
        "gap": _num(plan.gap),
        "elapsed": _num(plan.elapsed),
        "message": plan.message,
        "selected": [
            {"id": p.id, "start": p.start, "end": p.end, "value": _num(p.value), "effort": p.effort}
            for p in plan.selected
        ],
        "utilisation": {
            team: {
                period: {"used": _num(u.used), "capacity": _num(u.capacity)}
                for period, u in cells.items()
            }
            for team, cells in plan.utilisation.items()
        },
        "left_out": [
            {"id": x.id, "rule": x.rule, "reason": x.reason, "team": x.team, "period": x.period}
            for x in plan.left_out
        ],
        "marginal_value": (
            None
            if plan.marginal_value is None
            else {
                team: {period: _num(v) for period, v in cells.items()}
                for team, cells in plan.marginal_value.items()
            }
        ),
        "marginal_method": plan.marginal_method,
        "conflicts": list(plan.conflicts),
        "log": [
            {"elapsed": _num(s.elapsed), "incumbent": _num(s.incumbent), "bound": _num(s.bound)}
            for s in plan.log
        ],
    }
