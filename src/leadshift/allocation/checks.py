"""An independent check of a plan against every rule, written from the portfolio alone.

It shares no code with the formulation or the greedy fill, so a plan that passes it is
right by a second reading of the rules, not by the same reading twice.
"""

from __future__ import annotations

from collections.abc import Mapping

from leadshift.allocation.problem import Portfolio

TOLERANCE = 1e-6


def plan_violations(portfolio: Portfolio, starts: Mapping[str, str]) -> list[str]:
    """Every rule the plan breaks, in words; [] for a plan that keeps them all.

    ``starts`` maps initiative id -> start period name.
    """
    out: list[str] = []
    periods = list(portfolio.periods)
    items = {a.id: a for a in portfolio.initiatives}
    begin: dict[str, int] = {}
    for iid, period in starts.items():
        if iid not in items:
            out.append(f"{iid!r} is not an initiative of the portfolio")
        elif period not in periods:
            out.append(f"{iid!r} starts in unknown period {period!r}")
        else:
            begin[iid] = periods.index(period)
    for iid, s in begin.items():
        a = items[iid]
        if s < a.earliest:
            out.append(f"{iid!r} starts in {periods[s]}, before its earliest {periods[a.earliest]}")
        if s > a.latest:
            out.append(f"{iid!r} starts in {periods[s]}, after its latest start")
        if s + a.duration > len(periods):
            out.append(f"{iid!r} runs past the last period")
        for dep in a.after:
            if dep not in begin:
                out.append(f"{iid!r} is planned but {dep!r}, which it waits for, is not")
            elif begin[dep] + items[dep].duration > s:
                out.append(f"{iid!r} starts in {periods[s]} before {dep!r} has finished")
    for a in portfolio.initiatives:
        if a.mandatory and a.id not in begin:
            out.append(f"mandatory {a.id!r} is not in the plan")
    for team in portfolio.teams:
        for t, period in enumerate(periods):
            used = sum(
                a.effort.get(team.id, 0.0)
                for iid, s in begin.items()
                for a in [items[iid]]
                if s <= t < s + a.duration
            )
            if used > team.capacity[t] + TOLERANCE * max(1.0, team.capacity[t]):
                out.append(
                    f"team {team.id!r} is given {used:g} person-weeks in {period}, "
                    f"more than its {team.capacity[t]:g}"
                )
    mix = portfolio.horizon_mix
    if mix is not None:
        amount: dict[str, float] = dict.fromkeys(mix.target, 0.0)
        for iid in begin:
            a = items[iid]
            if a.horizon in amount:
                w = a.total_effort if mix.basis == "effort" else portfolio.weighted_value(a)
                amount[a.horizon] += w
        whole = sum(amount.values())
        if whole > 0:
            for h, v in amount.items():
                if abs(v / whole - mix.target[h]) > mix.tolerance + TOLERANCE:
                    out.append(
                        f"horizon {h!r} is {v / whole:.1%} of the plan's {mix.basis}, outside "
                        f"{mix.target[h]:.0%} ± {mix.tolerance:.0%}"
                    )
    return out
