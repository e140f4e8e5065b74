"""Score-and-sort plans: rank by a score, fill greedily until capacity runs out.

Each baseline works under the same rules as the optimiser, so the comparison is fair:

1. mandatory initiatives, and everything they wait on, are placed first (earliest start that
   fits, in dependency order); if one cannot be placed the plan is infeasible;
2. the rest are taken in descending score, each at its earliest start that fits every team's
   remaining capacity, its window and its predecessors' finish; an initiative whose
   predecessors are not placed yet waits, and is tried again once they are;
3. the horizon mix: while filling, a horizon may not take more than its upper share of the
   total capacity (for an effort basis); afterwards, initiatives of over-represented horizons
   are removed, lowest score first, until every share is within its band, and the remaining
   initiatives are offered once more in score order, each accepted only if the mix still holds.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Mapping

import numpy as np

from leadshift.allocation.plan import Plan, capacity_matrix, make_plan
from leadshift.allocation.problem import Portfolio

SCORES: dict[str, Callable[[Portfolio], Callable]] = {
    "rice": lambda p: p.rice,
    "wsjf": lambda p: p.wsjf,
    "value-per-effort": lambda p: p.value_per_effort,
}


class Filler:
    """Greedy placement state: capacity left, starts chosen, horizon totals."""

    def __init__(self, portfolio: Portfolio, starts: Mapping[int, int] | None = None):
        self.p = portfolio
        self.items = portfolio.initiatives
        self.free = capacity_matrix(portfolio)
        self.starts: dict[int, int] = {}
        self.team_of = [
            [(portfolio.team_index(t), e) for t, e in a.effort.items() if e > 0] for a in self.items
        ]
        self.successors: list[list[int]] = [[] for _ in self.items]
        self.preds = [[portfolio.index(d) for d in a.after] for a in self.items]
        for j, ps in enumerate(self.preds):
            for i in ps:
                self.successors[i].append(j)
        mix = portfolio.horizon_mix
        self.horizons = list(mix.target) if mix else []
        self.h_of = [
            self.horizons.index(a.horizon) if mix and a.horizon in mix.target else -1
            for a in self.items
        ]
        self.basis = np.array(
            [
                (a.total_effort if mix is None or mix.basis == "effort" else p)
                for a, p in zip(self.items, map(portfolio.weighted_value, self.items), strict=True)
            ]
        )
        self.h_total = np.zeros(len(self.horizons))
        for i, s in (starts or {}).items():
            self.put(i, s)

    def ready(self, i: int) -> int | None:
        """Earliest start its predecessors allow, or None while one is not placed."""
        at = self.items[i].earliest
        for d in self.preds[i]:
            if d not in self.starts:
                return None
            at = max(at, self.starts[d] + self.items[d].duration)
        return at

    def fits(self, i: int, s: int) -> bool:
        d = self.items[i].duration
        return all(self.free[k, s : s + d].min() >= e - 1e-9 for k, e in self.team_of[i])

    def first_start(self, i: int) -> int | None:
        at = self.ready(i)
        if at is None:
            return None
        for s in range(at, self.items[i].latest + 1):
            if self.fits(i, s):
                return s
        return None

    def put(self, i: int, s: int) -> None:
        d = self.items[i].duration
        for k, e in self.team_of[i]:
            self.free[k, s : s + d] -= e
        self.starts[i] = s
        if self.h_of[i] >= 0:
            self.h_total[self.h_of[i]] += self.basis[i]

    def take(self, i: int) -> None:
        s = self.starts.pop(i)
        d = self.items[i].duration
        for k, e in self.team_of[i]:
            self.free[k, s : s + d] += e
        if self.h_of[i] >= 0:
            self.h_total[self.h_of[i]] -= self.basis[i]

    def mix_ok_with(self, i: int) -> bool:
        """Whether every horizon share stays in its band once ``i`` is added."""
        mix = self.p.horizon_mix
        if mix is None or self.h_of[i] < 0:
            return True
        totals = self.h_total.copy()
        totals[self.h_of[i]] += self.basis[i]
        return self._within(totals)

    def _within(self, totals: np.ndarray) -> bool:
        mix = self.p.horizon_mix
        assert mix is not None
        whole = totals.sum()
        if whole <= 0:
            return True
        for h, name in enumerate(self.horizons):
            share = totals[h] / whole
            if abs(share - mix.target[name]) > mix.tolerance + 1e-9:
                return False
        return True

    def mix_ok(self) -> bool:
        return self.p.horizon_mix is None or self._within(self.h_total)

    def place_mandatory(self) -> str:
        """Place mandatory items and their prerequisites; '' or the one that did not fit."""
        needed: set[int] = set()
        stack = [i for i, a in enumerate(self.items) if a.mandatory]
        while stack:
            i = stack.pop()
            if i not in needed:
                needed.add(i)
                stack.extend(self.preds[i])
        for i in topological(sorted(needed), self.preds):
            if i in self.starts:
                continue
            s = self.first_start(i)
            if s is None:
                return self.items[i].id
            self.put(i, s)
        return ""

    def fill(self, order: Iterable[int], *, mix_budget: bool, exact_mix: bool) -> None:
        """Offer initiatives in order; the waiting ones get another pass after each pass."""
        mix = self.p.horizon_mix
        budget = None
        if mix is not None and mix_budget and mix.basis == "effort":
            total = float(capacity_matrix(self.p).sum())
            budget = np.array([(mix.target[h] + mix.tolerance) * total for h in self.horizons])
        pending = [i for i in order if i not in self.starts]
        while pending:
            waiting = []
            placed_any = False
            for i in pending:
                if i in self.starts:
                    continue
                if self.ready(i) is None:
                    waiting.append(i)
                    continue
                h = self.h_of[i]
                if budget is not None and h >= 0 and self.h_total[h] + self.basis[i] > budget[h]:
                    continue
                if exact_mix and not self.mix_ok_with(i):
                    continue
                s = self.first_start(i)
                if s is not None:
                    self.put(i, s)
                    placed_any = True
            if not placed_any:
                break
            pending = waiting

    def repair_mix(self, rank: Mapping[int, float]) -> bool:
        """Remove initiatives of over-represented horizons until the mix holds."""
        mix = self.p.horizon_mix
        if mix is None:
            return True
        for _ in range(len(self.items) + 1):
            if self.mix_ok():
                return True
            whole = self.h_total.sum()
            over = {
                h
                for h, name in enumerate(self.horizons)
                if whole > 0 and self.h_total[h] / whole > mix.target[name]
            }
            removable = [
                i
                for i in self.starts
                if self.h_of[i] in over
                and not self.items[i].mandatory
                and not any(j in self.starts for j in self.successors[i])
            ]
            if not removable:
                return False
            self.take(min(removable, key=lambda i: (rank[i], i)))
        return self.mix_ok()


def topological(nodes: list[int], preds: list[list[int]]) -> list[int]:
    """Nodes ordered so that each comes after its predecessors (the graph is acyclic)."""
    order: list[int] = []
    done: set[int] = set()
    for root in nodes:
        stack = [(root, False)]
        while stack:
            n, expanded = stack.pop()
            if n in done:
                continue
            if expanded:
                done.add(n)
                order.append(n)
                continue
            stack.append((n, True))
            stack.extend((d, False) for d in preds[n] if d not in done)
    return order


def greedy_starts(portfolio: Portfolio, score: Callable) -> tuple[dict[int, int], str]:
    """The score-and-sort placement: (starts, '' or why the rules could not all be kept)."""
    rank = {i: float(score(a)) for i, a in enumerate(portfolio.initiatives)}
    order = sorted(rank, key=lambda i: (-rank[i], i))
    filler = Filler(portfolio)
    stuck = filler.place_mandatory()
    if stuck:
        return filler.starts, f"could not place mandatory {stuck!r} after the mandatory items"
    filler.fill(order, mix_budget=True, exact_mix=False)
    if not filler.repair_mix(rank):
        return filler.starts, "could not bring the horizon mix within its band"
    filler.fill(order, mix_budget=False, exact_mix=True)
    return filler.starts, ""


def baseline(portfolio: Portfolio, method: str) -> Plan:
    """Plan by one score-and-sort method: 'rice', 'wsjf' or 'value-per-effort'."""
    if method not in SCORES:
        raise ValueError(f"unknown method {method!r}; choose from {', '.join(SCORES)}")
    t0 = time.perf_counter()
    starts, trouble = greedy_starts(portfolio, SCORES[method](portfolio))
    return make_plan(
        portfolio,
        starts,
        method=method,
        status="infeasible" if trouble else "feasible",
        bound=None,
        message=f"score-and-sort by {method}: {trouble}" if trouble else "",
        elapsed=time.perf_counter() - t0,
    )


def baselines(portfolio: Portfolio) -> dict[str, Plan]:
    return {m: baseline(portfolio, m) for m in SCORES}
