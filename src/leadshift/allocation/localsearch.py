"""Local search on a plan that keeps every rule: insert, evict-and-insert, then refill.

A sub-MIP needs a second or more to move; many improvements are single exchanges that a plain
loop finds in microseconds: an initiative left out is placed at a start where it fits, or where
it fits once a few lower-value initiatives of the same team-periods are taken out; the space
those leave is then offered to the initiatives still out (which moves an evicted one to another
start when it fits there). A move is kept only when the plan's value rises and every rule
still holds: capacity, windows, predecessors finished first, mandatory work kept, horizon mix.

The state is plain Python lists: the loops touch a handful of cells each, where numpy's
per-call cost would dominate.
"""

from __future__ import annotations

import time

import numpy as np

from leadshift.allocation.model import Model

TOL = 1e-9


class LocalSearch:
    def __init__(self, model: Model, starts: dict[int, int], ratio: np.ndarray | None = None):
        p = model.portfolio
        self.items = p.initiatives
        n = len(self.items)
        self.nper = len(p.periods)
        self.value = [0.0] * n
        for i, cols in enumerate(model.item_cols):
            self.value[i] = float(model.cost[cols[0]]) if len(cols) else 0.0
        self.cells = [
            [(p.team_index(t), e) for t, e in a.effort.items() if e > 0] for a in self.items
        ]
        self.dur = [a.duration for a in self.items]
        self.window = [(a.earliest, a.latest) for a in self.items]
        self.mandatory = [a.mandatory for a in self.items]
        self.preds = [[p.index(d) for d in a.after] for a in self.items]
        self.succs: list[list[int]] = [[] for _ in range(n)]
        for j, ps in enumerate(self.preds):
            for i in ps:
                self.succs[i].append(j)
        self.free = [list(t.capacity) for t in p.teams]
        # Who occupies each team-period, to find what to evict.
        self.users: list[list[set[int]]] = [[set() for _ in range(self.nper)] for _ in p.teams]
        mix = p.horizon_mix
        self.horizons = list(mix.target) if mix else []
        self.band = (
            [(mix.target[h] - mix.tolerance, mix.target[h] + mix.tolerance) for h in self.horizons]
            if mix
            else []
        )
        self.h_of = [
            self.horizons.index(a.horizon) if mix and a.horizon in mix.target else -1
            for a in self.items
        ]
        self.basis = [
            a.total_effort if mix is None or mix.basis == "effort" else self.value[i]
            for i, a in enumerate(self.items)
        ]
        self.h_total = [0.0] * len(self.horizons)
        self.start = [-1] * n
        effort = [sum(e for _, e in c) * self.dur[i] for i, c in enumerate(self.cells)]
        if ratio is None:
            ratio = np.array(
                [v / e if e > 0 else np.inf for v, e in zip(self.value, effort, strict=True)]
            )
        self.ratio = [float(r) for r in ratio]
        self.by_team: list[list[int]] = [[] for _ in p.teams]
        for i in sorted(range(n), key=lambda i: -self.ratio[i]):
            for k, _ in self.cells[i]:
                self.by_team[k].append(i)
        self._version = 0
        self._moves: dict[int, tuple[int, bool]] = {}
        for i, s in starts.items():
            self._put(i, s)
        self.total = sum(self.value[i] for i in starts)

    # --- state changes ----------------------------------------------------------------
    def _put(self, i: int, s: int) -> None:
        self._version += 1
        for k, e in self.cells[i]:
            for t in range(s, s + self.dur[i]):
                self.free[k][t] -= e
                self.users[k][t].add(i)
        self.start[i] = s
        if self.h_of[i] >= 0:
            self.h_total[self.h_of[i]] += self.basis[i]

    def _take(self, i: int) -> None:
        self._version += 1
        s = self.start[i]
        for k, e in self.cells[i]:
            for t in range(s, s + self.dur[i]):
                self.free[k][t] += e
                self.users[k][t].discard(i)
        self.start[i] = -1
        if self.h_of[i] >= 0:
            self.h_total[self.h_of[i]] -= self.basis[i]

    def starts(self) -> dict[int, int]:
        return {i: s for i, s in enumerate(self.start) if s >= 0}

    # --- rules ------------------------------------------------------------------------
    def mix_ok(self) -> bool:
        whole = sum(self.h_total)
        if not self.band or whole <= 0:
            return True
        return all(
            lo - 1e-9 <= v / whole <= hi + 1e-9
            for v, (lo, hi) in zip(self.h_total, self.band, strict=True)
        )

    def _ready(self, i: int) -> int | None:
        at = self.window[i][0]
        for d in self.preds[i]:
            if self.start[d] < 0:
                return None
            at = max(at, self.start[d] + self.dur[d])
        return at

    def _fits(self, i: int, s: int) -> bool:
        free = self.free
        for k, e in self.cells[i]:
            row = free[k]
            for t in range(s, s + self.dur[i]):
                if row[t] < e - TOL:
                    return False
        return True

    def _removable(self, j: int) -> bool:
        return not self.mandatory[j] and all(self.start[c] < 0 for c in self.succs[j])

    # --- moves ------------------------------------------------------------------------
    def _evictions(self, i: int, s: int, limit: float) -> list[int] | None:
        """Lowest-value set of initiatives whose removal lets ``i`` start at ``s``, if under
        ``limit`` in value; greedy by value per person-week freed in the short cells."""
        short: dict[tuple[int, int], float] = {}
        for k, e in self.cells[i]:
            for t in range(s, s + self.dur[i]):
                gap = e - self.free[k][t]
                if gap > TOL:
                    short[(k, t)] = gap
        if not short:
            return []
        cand: set[int] = set()
        for k, t in short:
            cand.update(self.users[k][t])
        scored = []
        for j in cand:
            if not self._removable(j):
                continue
            js = self.start[j]
            freed = 0.0
            for k, e in self.cells[j]:
                for t in range(js, js + self.dur[j]):
                    if (k, t) in short:
                        freed += min(e, short[(k, t)])
            if freed > 0:
                # One that can move to another start costs nothing to take out.
                cost = 0.0 if self._movable(j) else self.value[j]
                scored.append((cost / freed, cost, j))
        scored.sort()
        out: list[int] = []
        lost = 0.0
        for _, cost, j in scored:
            js = self.start[j]
            useful = any(
                (k, t) in short for k, _ in self.cells[j] for t in range(js, js + self.dur[j])
            )
            if not useful:
                continue
            lost += cost
            if lost >= limit:
                return None
            out.append(j)
            for k, e in self.cells[j]:
                for t in range(js, js + self.dur[j]):
                    if (k, t) in short:
                        short[(k, t)] -= e
                        if short[(k, t)] <= TOL:
                            del short[(k, t)]
            if not short:
                return out
        return None

    def _movable(self, j: int) -> bool:
        """Whether ``j`` fits at another start as things are (cached until the plan changes)."""
        hit = self._moves.get(j)
        if hit is not None and hit[0] == self._version:
            return hit[1]
        js = self.start[j]
        lo, hi = self._start_range(j)
        ok = any(s2 != js and self._fits_moved(j, s2) for s2 in range(lo, hi + 1))
        self._moves[j] = (self._version, ok)
        return ok

    def _start_range(self, j: int) -> tuple[int, int]:
        """The starts ``j`` may take given its window and the plan's placed neighbours."""
        lo = self.window[j][0]
        for d in self.preds[j]:
            lo = max(lo, self.start[d] + self.dur[d])
        hi = self.window[j][1]
        for c in self.succs[j]:
            if self.start[c] >= 0:
                hi = min(hi, self.start[c] - self.dur[j])
        return lo, hi

    def _fits_moved(self, j: int, s2: int) -> bool:
        js, dj = self.start[j], self.dur[j]
        for k, e in self.cells[j]:
            row = self.free[k]
            for t in range(s2, s2 + dj):
                room = row[t] + (e if js <= t < js + dj else 0.0)
                if room < e - TOL:
                    return False
        return True

    def _relocate(self, out: list[int], prev: dict[int, int]) -> list[int]:
        """Put evicted initiatives back at another start where they now fit."""
        back = []
        for j in sorted(out, key=lambda j: -self.value[j]):
            lo, hi = self._start_range(j)
            for s2 in range(lo, hi + 1):
                if s2 != prev[j] and self._fits(j, s2):
                    self._put(j, s2)
                    if self.mix_ok():
                        back.append(j)
                        break
                    self._take(j)
        return back

    def _refill(self, teams: set[int], banned: set[int]) -> list[int]:
        """Offer the space in ``teams`` to initiatives left out, best ratio first."""
        added: list[int] = []
        seen: set[int] = set()
        for k in teams:
            if max(self.free[k]) <= TOL:
                continue
            for j in self.by_team[k]:
                if j in seen or self.start[j] >= 0 or j in banned:
                    continue
                seen.add(j)
                at = self._ready(j)
                if at is None:
                    continue
                for s in range(at, self.window[j][1] + 1):
                    if self._fits(j, s):
                        self._put(j, s)
                        if self.mix_ok():
                            added.append(j)
                        else:
                            self._take(j)
                        break
        return added

    def try_insert(self, i: int) -> float:
        """Place ``i`` (left out) at its best start, evicting and refilling; the gain."""
        at = self._ready(i)
        if at is None:
            return 0.0
        best: tuple[float, int, list[int]] | None = None
        for s in range(at, self.window[i][1] + 1):
            out = self._evictions(i, s, self.value[i])
            if out is None:
                continue
            lost = sum(self.value[j] for j in out if not self._movable(j))
            if best is None or lost < best[0]:
                best = (lost, s, out)
                if lost == 0:
                    break
        if best is None:
            return 0.0
        lost, s, out = best
        prev = {j: self.start[j] for j in out}
        for j in out:
            self._take(j)
        self._put(i, s)
        back = self._relocate(out, prev)
        teams = {k for j in out for k, _ in self.cells[j]}
        added = back + (self._refill(teams, {i}) if out else [])
        lost = sum(self.value[j] for j in out)
        gain = self.value[i] - lost + sum(self.value[j] for j in added)
        if gain > 1e-7 and self.mix_ok():
            self.total += gain
            return gain
        for j in added:
            self._take(j)
        self._take(i)
        for j in out:
            self._put(j, prev[j])
        return 0.0

    def sync(self, starts: dict[int, int]) -> None:
        """Take the plan ``starts`` as the state, changing only what differs."""
        for i, s in enumerate(self.start):
            if s >= 0 and starts.get(i) != s:
                self._take(i)
        for i, s in starts.items():
            if self.start[i] != s:
                self._put(i, s)
        self.total = sum(self.value[i] for i in starts)

    def run(self, deadline: float, teams: set[int] | None = None) -> float:
        """Passes over the initiatives left out (those touching ``teams`` when given), best
        ratio first, until a pass gains nothing."""
        if teams is None:
            order = sorted(range(len(self.items)), key=lambda i: -self.ratio[i])
        else:
            near = {i for k in teams for i in self.by_team[k]}
            order = sorted(near, key=lambda i: -self.ratio[i])
        gained = 0.0
        while time.perf_counter() < deadline:
            before = gained
            for n, i in enumerate(order):
                if n % 64 == 0 and time.perf_counter() >= deadline:
                    break
                if self.start[i] >= 0:
                    continue
                gained += self.try_insert(i)
            if gained - before <= 1e-7:
                break
        return gained
