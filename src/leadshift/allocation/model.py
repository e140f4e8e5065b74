"""The mixed-integer formulation shared by the optimiser and the conflict finder.

One binary ``x[i,s]`` per initiative ``i`` and allowed start period ``s``. The formulation is
the time-indexed one, chosen because its LP relaxation is tight:

* capacity of team ``k`` in period ``t``: Σ effort[i,k]·x[i,s] over starts ``s`` with
  ``s <= t < s + duration[i]`` is at most capacity[k,t];
* choice: Σ_s x[i,s] <= 1, and = 1 when the initiative is mandatory;
* precedence "j after i", for every period ``t``: Σ_{s<=t} x[j,s] <= Σ_{s<=t-d_i} x[i,s]
  (if j has started by t, i started early enough to have finished). This disaggregated form
  is the convex hull of the pair's timing, where the big-M form S_j >= S_i + d_i is weak;
* horizon mix, for every horizon h: (target_h - tol)·B <= B_h <= (target_h + tol)·B, with B the
  plan's effort (or value) on initiatives inside the mix and B_h that part of it in h.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Collection
from dataclasses import dataclass, field

import highspy
import numpy as np
from scipy import sparse

from leadshift.allocation.problem import Portfolio

EPS = 1e-9
_banner_shown = False
_scheduler_threads: int | None = None


def new_highs(threads: int) -> highspy.Highs:
    """A silent HiGHS instance that runs on `threads` threads.

    HiGHS prints its banner to the process's standard output the first time one is made,
    which would corrupt ``--json`` output; that first construction runs with fd 1 pointed at
    /dev/null. HiGHS's thread pool is one per process, sized by the first run: a later run
    asking for another size stops at once without solving (a sweep on one thread after a
    plan on two came back unproven), so the pool is started again at the new size.
    """
    global _scheduler_threads
    if _scheduler_threads not in (None, threads):
        highspy.Highs.resetGlobalScheduler(True)
    _scheduler_threads = threads
    h = _silent_highs()
    h.setOptionValue("threads", threads)
    return h


def _silent_highs() -> highspy.Highs:
    global _banner_shown
    if _banner_shown:
        return highspy.Highs()
    sys.stdout.flush()
    saved = os.dup(1)
    null = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(null, 1)
        h = highspy.Highs()
    finally:
        os.dup2(saved, 1)
        os.close(saved)
        os.close(null)
    _banner_shown = True
    return h


@dataclass(frozen=True)
class Relaxed:
    """Rule groups left out, for finding which rules conflict."""

    capacities: frozenset[tuple[int, int]] = frozenset()
    mandatory: frozenset[int] = frozenset()
    windows: frozenset[int] = frozenset()
    edges: frozenset[tuple[int, int]] = frozenset()
    mix: bool = False


@dataclass
class Model:
    portfolio: Portfolio
    col_item: np.ndarray
    col_start: np.ndarray
    cost: np.ndarray
    col_upper: np.ndarray
    matrix: sparse.csr_matrix
    row_lower: np.ndarray
    row_upper: np.ndarray
    row_kind: list[str]
    row_key: list[tuple[int, ...]]
    cap_row: dict[tuple[int, int], int] = field(default_factory=dict)
    item_cols: list[np.ndarray] = field(default_factory=list)

    @property
    def num_col(self) -> int:
        return len(self.col_item)

    def column(self, item: int, start: int) -> int:
        cols = self.item_cols[item]
        return int(cols[np.searchsorted(self.col_start[cols], start)])

    def solution_from_starts(self, starts: dict[int, int]) -> np.ndarray:
        x = np.zeros(self.num_col)
        for i, s in starts.items():
            x[self.column(i, s)] = 1.0
        return x

    def starts_from_solution(self, x: np.ndarray) -> dict[int, int]:
        chosen = np.flatnonzero(x > 0.5)
        return {int(self.col_item[c]): int(self.col_start[c]) for c in chosen}

    def objective_of(self, x: np.ndarray) -> float:
        return float(self.cost @ x)

    def violation(self, x: np.ndarray) -> float:
        act = self.matrix @ x
        return float(
            max(
                0.0,
                np.max(self.row_lower - act, initial=0.0),
                np.max(act - self.row_upper, initial=0.0),
            )
        )

    def highs(self, *, integer: bool = True, threads: int = 2) -> highspy.Highs:
        return highs_of(
            self.cost,
            self.col_upper,
            self.row_lower,
            self.row_upper,
            self.matrix.tocsc(),
            integer=integer,
            threads=threads,
        )


def highs_of(
    cost: np.ndarray,
    col_upper: np.ndarray,
    row_lower: np.ndarray,
    row_upper: np.ndarray,
    csc: sparse.csc_matrix,
    *,
    integer: bool,
    threads: int,
) -> highspy.Highs:
    """A silent HiGHS instance holding the maximisation of ``cost·x`` in these rows."""
    h = new_highs(threads)
    h.setOptionValue("output_flag", False)
    lp = highspy.HighsLp()
    lp.num_col_ = len(cost)
    lp.num_row_ = len(row_lower)
    lp.col_cost_ = cost
    lp.col_lower_ = np.zeros(len(cost))
    lp.col_upper_ = col_upper
    lp.row_lower_ = row_lower
    lp.row_upper_ = row_upper
    lp.sense_ = highspy.ObjSense.kMaximize
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = csc.indptr.astype(np.int32)
    lp.a_matrix_.index_ = csc.indices.astype(np.int32)
    lp.a_matrix_.value_ = csc.data.astype(np.float64)
    if integer:
        lp.integrality_ = [highspy.HighsVarType.kInteger] * len(cost)
    h.passModel(lp)
    return h


def build_model(portfolio: Portfolio, relaxed: Relaxed | None = None) -> Model:
    relaxed = relaxed or Relaxed()
    items = portfolio.initiatives
    nper = len(portfolio.periods)
    col_item: list[int] = []
    col_start: list[int] = []
    for i, item in enumerate(items):
        starts = range(0, nper - item.duration + 1) if i in relaxed.windows else item.starts
        col_item.extend([i] * len(starts))
        col_start.extend(starts)
    ci = np.asarray(col_item, dtype=np.int64)
    cs = np.asarray(col_start, dtype=np.int64)
    ncol = len(ci)
    item_cols = [np.empty(0, dtype=np.int64)] * len(items)
    order = np.argsort(ci, kind="stable")
    bounds = np.searchsorted(ci[order], np.arange(len(items) + 1))
    item_cols = [order[bounds[i] : bounds[i + 1]] for i in range(len(items))]
    weighted = np.array([portfolio.weighted_value(a) for a in items])
    cost = weighted[ci] if ncol else np.zeros(0)

    rows: list[np.ndarray] = []
    cols: list[np.ndarray] = []
    vals: list[np.ndarray] = []
    lower: list[float] = []
    upper: list[float] = []
    kind: list[str] = []
    key: list[tuple[int, ...]] = []

    def add_row(c: Collection[int], v: Collection[float], lo: float, hi: float, k: str, kk):
        r = len(lower)
        rows.append(np.full(len(c), r, dtype=np.int64))
        cols.append(np.asarray(c, dtype=np.int64))
        vals.append(np.asarray(v, dtype=np.float64))
        lower.append(lo)
        upper.append(hi)
        kind.append(k)
        key.append(kk)
        return r

    # Capacity rows, built column-wise for speed: each column touches duration * teams cells.
    nteam = len(portfolio.teams)
    cell_cols: list[list[int]] = [[] for _ in range(nteam * nper)]
    cell_vals: list[list[float]] = [[] for _ in range(nteam * nper)]
    team_idx = [[(portfolio.team_index(t), e) for t, e in a.effort.items() if e > 0] for a in items]
    for c in range(ncol):
        i, s = int(ci[c]), int(cs[c])
        for k, e in team_idx[i]:
            for t in range(s, s + items[i].duration):
                cell_cols[k * nper + t].append(c)
                cell_vals[k * nper + t].append(e)
    cap_row: dict[tuple[int, int], int] = {}
    for k, team in enumerate(portfolio.teams):
        for t in range(nper):
            if (k, t) in relaxed.capacities:
                continue
            cell = k * nper + t
            cap_row[(k, t)] = add_row(
                cell_cols[cell], cell_vals[cell], -np.inf, team.capacity[t], "capacity", (k, t)
            )
    for i, item in enumerate(items):
        cset = item_cols[i]
        must = item.mandatory and i not in relaxed.mandatory
        add_row(cset, np.ones(len(cset)), 1.0 if must else -np.inf, 1.0, "choice", (i,))
    for j, item in enumerate(items):
        for dep in item.after:
            i = portfolio.index(dep)
            if (j, i) in relaxed.edges:
                continue
            d_i = items[i].duration
            jc, ic = item_cols[j], item_cols[i]
            for t in sorted({int(s) for s in cs[jc]}):
                mine = jc[cs[jc] <= t]
                theirs = ic[cs[ic] <= t - d_i]
                add_row(
                    np.concatenate([mine, theirs]),
                    np.concatenate([np.ones(len(mine)), -np.ones(len(theirs))]),
                    -np.inf,
                    0.0,
                    "precedence",
                    (j, i, t),
                )
    mix = portfolio.horizon_mix
    if mix is not None and not relaxed.mix:
        basis = np.array(
            [a.total_effort if mix.basis == "effort" else weighted[n] for n, a in enumerate(items)]
        )
        inside = np.array([a.horizon in mix.target for a in items], dtype=bool)
        horizon_of = [a.horizon for a in items]
        col_in = np.flatnonzero(inside[ci]) if ncol else np.zeros(0, dtype=np.int64)
        for h_index, (h, share) in enumerate(mix.target.items()):
            in_h = np.array([horizon_of[int(ci[c])] == h for c in col_in], dtype=float)
            b = basis[ci[col_in]]
            if share - mix.tolerance > EPS:
                add_row(
                    col_in, b * (in_h - (share - mix.tolerance)), 0.0, np.inf, "mix-low", (h_index,)
                )
            if share + mix.tolerance < 1 - EPS:
                add_row(
                    col_in,
                    b * (in_h - (share + mix.tolerance)),
                    -np.inf,
                    0.0,
                    "mix-high",
                    (h_index,),
                )
    nrow = len(lower)
    matrix = sparse.csr_matrix(
        (
            np.concatenate(vals) if vals else np.zeros(0),
            (
                np.concatenate(rows) if rows else np.zeros(0, dtype=np.int64),
                np.concatenate(cols) if cols else np.zeros(0, dtype=np.int64),
            ),
        ),
        shape=(nrow, ncol),
    )
    matrix.sum_duplicates()
    return Model(
        portfolio=portfolio,
        col_item=ci,
        col_start=cs,
        cost=np.asarray(cost, dtype=np.float64),
        col_upper=np.ones(ncol),
        matrix=matrix,
        row_lower=np.asarray(lower, dtype=np.float64),
        row_upper=np.asarray(upper, dtype=np.float64),
        row_kind=kind,
        row_key=key,
        cap_row=cap_row,
        item_cols=item_cols,
    )
