"""When the rules cannot all hold, find a smallest set of them that conflicts, and say it.

The rules come in groups: each mandatory flag, each team's capacity in each period, each
initiative's start window, each dependency, and the horizon mix. A deletion filter finds an
irreducible conflicting set: drop a group, re-solve for any plan at all (value ignored); if
the rest still conflicts the group was not needed, else it is part of the conflict. Groups are
dropped in blocks first (halving a block when it cannot go whole), so the many groups that
play no part cost a handful of solves rather than one each.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import highspy
import numpy as np

from leadshift.allocation.model import Relaxed, build_model
from leadshift.allocation.problem import Portfolio

Group = tuple


@dataclass
class _Tester:
    portfolio: Portfolio
    deadline: float
    solves: int = 0

    def infeasible(self, dropped: set[Group]) -> bool:
        """Whether the rules outside ``dropped`` conflict (unknown counts as no conflict)."""
        self.solves += 1
        relaxed = Relaxed(
            capacities=frozenset(g[1:] for g in dropped if g[0] == "capacity"),
            mandatory=frozenset(g[1] for g in dropped if g[0] == "mandatory"),
            windows=frozenset(g[1] for g in dropped if g[0] == "window"),
            edges=frozenset(g[1:] for g in dropped if g[0] == "edge"),
            mix=("mix",) in dropped,
        )
        model = build_model(self.portfolio, relaxed)
        model.cost = np.zeros(model.num_col)
        h = model.highs(integer=True)
        h.setOptionValue("time_limit", max(0.2, self.deadline - time.perf_counter()))
        h.run()
        return bool(h.getModelStatus() == highspy.HighsModelStatus.kInfeasible)


def rule_groups(portfolio: Portfolio) -> list[Group]:
    """Every group, the ones least likely to matter first so that whole blocks can go."""
    p = portfolio
    n = len(p.periods)
    forced: set[int] = set()
    stack = [i for i, a in enumerate(p.initiatives) if a.mandatory]
    while stack:
        i = stack.pop()
        if i not in forced:
            forced.add(i)
            stack.extend(p.index(d) for d in p.initiatives[i].after)
    touched = {
        (p.team_index(t), s)
        for i in forced
        for t, e in p.initiatives[i].effort.items()
        if e > 0
        for s in range(n)
    }
    likely: list[Group] = []
    unlikely: list[Group] = []
    for k in range(len(p.teams)):
        for t in range(n):
            (likely if (k, t) in touched else unlikely).append(("capacity", k, t))
    for i, a in enumerate(p.initiatives):
        restricted = a.earliest > 0 or a.latest < n - a.duration
        if restricted:
            (likely if i in forced else unlikely).append(("window", i))
        for d in a.after:
            (likely if i in forced else unlikely).append(("edge", i, p.index(d)))
        if a.mandatory:
            likely.append(("mandatory", i))
    if p.horizon_mix is not None:
        likely.append(("mix",))
    return unlikely + likely


def conflicting_groups(portfolio: Portfolio, *, time_limit: float = 30.0) -> list[Group]:
    tester = _Tester(portfolio, time.perf_counter() + time_limit)
    if not tester.infeasible(set()):
        return []
    groups = rule_groups(portfolio)
    dropped: set[Group] = set()
    needed: list[Group] = []
    block = max(1, len(groups) // 2)
    i = 0
    while i < len(groups):
        if time.perf_counter() > tester.deadline:
            needed.extend(groups[i:])
            break
        chunk = groups[i : i + block]
        if tester.infeasible(dropped | set(chunk)):
            dropped |= set(chunk)
            i += len(chunk)
            block = min(len(groups), block * 2)
        elif len(chunk) == 1:
            needed.append(chunk[0])
            i += 1
        else:
            block = max(1, block // 2)
    return needed


def explain(portfolio: Portfolio, *, time_limit: float = 30.0) -> list[str]:
    """Sentences naming the rules that conflict; [] when they can all hold."""
    groups = conflicting_groups(portfolio, time_limit=time_limit)
    return describe(portfolio, groups) if groups else []


def _names(ids: list[str]) -> str:
    quoted = [repr(x) for x in ids]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " and " + quoted[-1]


def _span(periods: tuple[str, ...], ts: list[int]) -> str:
    ts = sorted(ts)
    if len(ts) == 1:
        return periods[ts[0]]
    if ts == list(range(ts[0], ts[-1] + 1)):
        return f"{periods[ts[0]]}-{periods[ts[-1]]}"
    return ", ".join(periods[t] for t in ts)


def describe(portfolio: Portfolio, groups: list[Group]) -> list[str]:
    p = portfolio
    items = p.initiatives
    n = len(p.periods)
    mandatory = [g[1] for g in groups if g[0] == "mandatory"]
    windows = {g[1] for g in groups if g[0] == "window"}
    edges = [g[1:] for g in groups if g[0] == "edge"]
    in_conflict = set(mandatory) | windows | {i for e in edges for i in e}
    mentioned: set[int] = set()
    out: list[str] = []
    by_team: dict[int, list[int]] = {}
    for g in groups:
        if g[0] == "capacity":
            by_team.setdefault(g[1], []).append(g[2])
    for k, ts in by_team.items():
        team = p.teams[k]
        users = [i for i in sorted(in_conflict) if items[i].effort.get(team.id, 0) > 0]
        tset = set(ts)
        demand = 0.0
        for i in users:
            a = items[i]
            starts = a.starts if i in windows else range(0, n - a.duration + 1)
            # What the item must spend inside these periods wherever it starts.
            demand += a.effort[team.id] * min(
                sum(1 for t in range(s, s + a.duration) if t in tset) for s in starts
            )
        have = sum(team.capacity[t] for t in ts)
        who = [items[i].id for i in users]
        mentioned.update(users)
        lead = f"mandatory {_names(who)}" if len(who) else "the required initiatives"
        verb = "needs" if len(who) == 1 else "together need"
        out.append(
            f"{lead} {verb} {demand:g} person-weeks of team {team.id!r} in "
            f"{_span(p.periods, ts)} but it has {have:g}"
            if demand > have + 1e-9
            else f"team {team.id!r} has {have:g} person-weeks in {_span(p.periods, ts)}, "
            f"which {_names(who) if who else 'the plan'} cannot share"
        )
    for i in sorted(windows):
        a = items[i]
        out.append(
            f"{a.id!r} may only start between {p.periods[a.earliest]} and {p.periods[a.latest]}"
            if a.earliest != a.latest
            else f"{a.id!r} may only start in {p.periods[a.earliest]}"
        )
        mentioned.add(i)
    for j, i in edges:
        out.append(
            f"{items[j].id!r} must wait for {items[i].id!r} to finish "
            f"({items[i].duration} period(s))"
        )
        mentioned.update((i, j))
    rest = [items[i].id for i in mandatory if i not in mentioned or not by_team]
    if rest:
        out.append(f"{_names(rest)} {'is' if len(rest) == 1 else 'are'} mandatory")
    if ("mix",) in groups and p.horizon_mix is not None:
        mix = p.horizon_mix
        target = "/".join(f"{h} {share:.0%}" for h, share in mix.target.items())
        forced: dict[str, float] = {}
        for i in mandatory:
            a = items[i]
            if a.horizon in mix.target:
                amount = a.total_effort if mix.basis == "effort" else p.weighted_value(a)
                forced[a.horizon] = forced.get(a.horizon, 0.0) + amount
        unit = "person-weeks" if mix.basis == "effort" else "of value"
        detail = ", ".join(f"{v:g} {unit} on {h!r}" for h, v in forced.items())
        out.append(
            f"the horizon mix ({target} of {mix.basis}, ± {mix.tolerance:.0%}) must hold"
            + (f", and the mandatory work puts {detail}" if detail else "")
        )
    return out
