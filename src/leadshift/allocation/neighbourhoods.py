"""Large-neighbourhood search: re-solve part of the plan optimally, keep the rest fixed.

Every initiative is fixed to the incumbent except a neighbourhood, and HiGHS solves that
sub-problem, started from the incumbent. Each sub-problem has every row of the whole, so an
accepted solution keeps every rule. Neighbourhoods, in turn:

* **team clusters where value is lost**: a team drawn with odds proportional to how much less
  value the incumbent gets from it than the LP relaxation does, then the teams it shares the
  most initiatives with, until the neighbourhood is large enough; every initiative touching
  one of those teams is free. Capacity is what is re-packed, and it is re-packed per team;
* **RINS**: initiatives where the LP and the incumbent disagree, with the others of their
  team-periods so that there is room to move;
* **random team clusters**, so that no team is left alone for long.

The size adapts: it grows while sub-problems solve to optimality quickly and shrinks when they
time out without improving.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

import highspy
import numpy as np

from leadshift.allocation.model import Model

ROUND_SECONDS = 1.0
AGREEMENT_MIN_SHARE = 0.25
"""The whole-portfolio RINS stops once its bound shows it cannot close this share of the gap."""


@dataclass
class Search:
    model: Model
    x_lp: np.ndarray
    left: Callable[[], float]
    note: Callable[[float], None]
    polish: Callable[[np.ndarray, set[int] | None], np.ndarray]
    """Local search on an improved plan, near the given teams (None: everywhere)."""
    threads: int = 2
    seed: int = 0

    def __post_init__(self) -> None:
        p = self.model.portfolio
        self.rng = np.random.default_rng(self.seed)
        self.items_of_team: list[list[int]] = [[] for _ in p.teams]
        self.teams_of_item: list[list[int]] = []
        self.share: list[list[float]] = []
        for i, a in enumerate(p.initiatives):
            pairs = [(p.team_index(t), e) for t, e in a.effort.items() if e > 0]
            total = sum(e for _, e in pairs) or 1.0
            self.teams_of_item.append([k for k, _ in pairs])
            self.share.append([e / total for _, e in pairs])
            for k, _ in pairs:
                self.items_of_team[k].append(i)
        n_teams = len(p.teams)
        self.links = np.zeros((n_teams, n_teams))
        for ks in self.teams_of_item:
            for k1 in ks:
                for k2 in ks:
                    if k1 != k2:
                        self.links[k1, k2] += 1.0
        self.value = np.zeros(len(p.initiatives))
        self.take_lp = np.zeros(len(p.initiatives))
        np.add.at(self.take_lp, self.model.col_item, self.x_lp)
        for i, cols in enumerate(self.model.item_cols):
            if len(cols):
                self.value[i] = float(self.model.cost[cols[0]])
        self.lp_team = self._team_value(self.take_lp)
        self.h = self.model.highs(integer=True, threads=self.threads)
        self.h.setOptionValue("mip_rel_gap", 1e-4)
        self.all_cols = np.arange(self.model.num_col, dtype=np.int32)

    def _team_value(self, take: np.ndarray) -> np.ndarray:
        out = np.zeros(len(self.items_of_team))
        for i, ks in enumerate(self.teams_of_item):
            if take[i] > 1e-9:
                for k, f in zip(ks, self.share[i], strict=True):
                    out[k] += take[i] * self.value[i] * f
        return out

    def solve(
        self, lower: np.ndarray, upper: np.ndarray, limit: float, start: np.ndarray | None
    ) -> tuple[np.ndarray | None, highspy.HighsModelStatus]:
        m = self.model
        self.h.changeColsBounds(m.num_col, self.all_cols, lower, upper)
        if start is not None:
            sol = highspy.HighsSolution()
            sol.col_value = list(start)
            sol.value_valid = True
            self.h.setSolution(sol)
        self.h.setOptionValue("time_limit", max(0.2, min(limit, self.left())))
        self.h.run()
        status = self.h.getModelStatus()
        if self.h.getInfo().primal_solution_status >= 2:
            x = np.round(np.asarray(self.h.getSolution().col_value))
            if m.violation(x) <= 1e-6:
                return x, status
        return None, status

    def run(
        self, x_inc: np.ndarray, done: Callable[[float], bool], seconds: float = np.inf
    ) -> tuple[np.ndarray, float | None]:
        """The best plan found, and a bound when a sub-problem was the whole problem."""
        m = self.model
        stop = time.perf_counter() + seconds
        best = m.objective_of(x_inc)
        # RENS: keep what the LP settled, search only over what it left fractional.
        lower = np.floor(self.x_lp + 1e-6)
        upper = np.ceil(self.x_lp - 1e-6)
        x, _ = self.solve(lower, upper, max(1.0, min(seconds, self.left()) / 10), None)
        if x is not None and m.objective_of(x) > best + 1e-7:
            x_inc = self.polish(x, None)
            best = m.objective_of(x_inc)
            self.note(best)
        n_items = len(m.item_cols)
        size = min(250, max(8, n_items // 2))
        smallest = min(60, size)
        round_no = 0
        while self.left() > 0.3 and time.perf_counter() < stop and not done(best):
            free = self.neighbourhood(round_no, size, x_inc)
            round_no += 1
            lower = x_inc.copy()
            upper = x_inc.copy()
            for i in free:
                cols = m.item_cols[i]
                lower[cols] = 0.0
                upper[cols] = 1.0
            t_start = time.perf_counter()
            x, status = self.solve(lower, upper, ROUND_SECONDS, x_inc)
            improved = x is not None and m.objective_of(x) > best + 1e-7
            if improved:
                assert x is not None
                x_inc = self.polish(x, {k for i in free for k in self.teams_of_item[i]})
                best = m.objective_of(x_inc)
            if len(free) == n_items and status == highspy.HighsModelStatus.kOptimal:
                self.note(best)
                return x_inc, max(best, float(self.h.getInfo().mip_dual_bound))
            quick = time.perf_counter() - t_start < ROUND_SECONDS / 2
            if status == highspy.HighsModelStatus.kOptimal and quick:
                size = min(n_items, int(size * 1.2) + 1)
            elif not improved:
                size = max(smallest, int(size * 0.85))
            self.note(best)
        return x_inc, None

    def agreement(self, x_inc: np.ndarray, seconds: float) -> np.ndarray:
        """RINS over the whole portfolio at once: every start where the LP and the incumbent
        agree (both 1 or both 0) fixed, the rest (about an eighth of the columns at 5,000 x
        100 x 4) left to HiGHS, started from the incumbent.

        The neighbourhoods above free at most 250 initiatives for a second each, and their
        gains flatten out after about 15 s; this one sub-problem spans every team, so
        capacity moves across the whole portfolio."""
        m = self.model
        lower = np.where((x_inc > 0.5) & (self.x_lp > 1 - 1e-6), 1.0, 0.0)
        upper = np.where((x_inc < 0.5) & (self.x_lp < 1e-6), 0.0, 1.0)

        lp_value = m.objective_of(self.x_lp)
        # Worth the time only if the sub-problem can close a good part of the gap: at 2,000 x
        # 50 x 4 its bound showed at most 0.27 % to gain of a 1.84 % gap, and 45 s found
        # nothing the neighbourhoods would not have; at 5,000 x 100 x 4, 1.3 % of 2.2 %.
        enough = m.objective_of(x_inc) + AGREEMENT_MIN_SHARE * (lp_value - m.objective_of(x_inc))

        def watch(event: highspy.highs.HighsCallbackEvent) -> None:
            self.note(float(event.data_out.objective_function_value))

        def hopeless(event: highspy.highs.HighsCallbackEvent) -> None:
            if float(event.data_out.mip_dual_bound) < enough:
                event.interrupt()

        self.h.cbMipImprovingSolution.subscribe(watch)
        self.h.cbMipInterrupt.subscribe(hopeless)
        try:
            x, _ = self.solve(lower, upper, seconds, x_inc)
        finally:
            self.h.cbMipImprovingSolution.unsubscribe(watch)
            self.h.cbMipInterrupt.unsubscribe(hopeless)
        if x is None or m.objective_of(x) <= m.objective_of(x_inc) + 1e-7:
            return x_inc
        better = self.polish(x, None)
        self.note(m.objective_of(better))
        return better

    def neighbourhood(self, round_no: int, size: int, x_inc: np.ndarray) -> set[int]:
        kind = round_no % 3
        if kind == 1:
            return self._rins(size, x_inc)
        n_teams = len(self.items_of_team)
        if kind == 0:
            take = np.zeros(len(self.value))
            np.add.at(take, self.model.col_item, x_inc)
            loss = np.maximum(self.lp_team - self._team_value(take), 0.0) + 1e-6
            seed = int(self.rng.choice(n_teams, p=loss / loss.sum()))
        else:
            seed = int(self.rng.integers(n_teams))
        return self._cluster(seed, size)

    def _cluster(self, seed: int, size: int) -> set[int]:
        free: set[int] = set(self.items_of_team[seed])
        chosen = {seed}
        while len(free) < size and len(chosen) < len(self.items_of_team):
            weights = self.links[list(chosen)].sum(axis=0) + 1e-3
            weights[list(chosen)] = 0.0
            k = int(self.rng.choice(len(weights), p=weights / weights.sum()))
            chosen.add(k)
            free.update(self.items_of_team[k])
        return free

    def _rins(self, size: int, x_inc: np.ndarray) -> set[int]:
        m = self.model
        per_item = np.zeros(len(m.item_cols))
        np.add.at(per_item, m.col_item, np.abs(self.x_lp - x_inc))
        seeds = np.flatnonzero(per_item > 1e-6)
        self.rng.shuffle(seeds)
        free: set[int] = set()
        for i in seeds:
            if len(free) >= size:
                break
            free.add(int(i))
            # Team-mates, so that capacity can move between them.
            for k in self.teams_of_item[int(i)][:1]:
                mates = self.items_of_team[k]
                pick = self.rng.choice(len(mates), size=min(4, len(mates)), replace=False)
                free.update(int(mates[j]) for j in pick)
        return free
