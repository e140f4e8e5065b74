"""A scenario compiled to the arrays the trial loop works on.

Attributes named as in the scenario (``start``, ``v_low``, ``loss_rows``, ``planned_finish``,
``objective_members`` ...) use the scenario's order of initiatives. The trial loop works on
*rows*: the initiatives reordered so that each schedule level is one contiguous slice
(``order[row]`` is the initiative held in a row), which spares it most fancy indexing.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray

from leadshift.risk.sampling import F32, cdf, pert_table
from leadshift.risk.scenario import Scenario, check_scenario, topological_levels

ROUNDING = 1e-4
"""Overruns under this share of a period are ignored, against float rounding."""
LOSS_BINS = 256
LOSS_CODE_BITS = 7
LATE_BIN = LOSS_BINS - 1
_LOG_FLOOR = -60.0
_TWO32 = 2.0**32
NEVER = np.uint32(2**32 - 1)
"""A 32-bit draw is never above this threshold."""


def _csr(
    rows: list[int], cols: list[int], data: list[float], shape: tuple[int, int]
) -> sp.csr_matrix:
    return sp.csr_matrix(
        (
            np.asarray(data, dtype=F32),
            (np.asarray(rows, dtype=np.intp), np.asarray(cols, dtype=np.intp)),
        ),
        shape=shape,
        dtype=F32,
    )


def above_threshold(p_below: NDArray[np.float64]) -> NDArray[np.uint32]:
    """``t`` such that a uniform 32-bit draw ``u`` has ``P(u > t) = 1 - p_below`` (to 2**-32).

    ``p_below = 1`` gives ``NEVER``, so a certain outcome stays certain.
    """
    t = np.floor(np.clip(p_below, 0.0, 1.0) * _TWO32)
    return np.minimum(t, float(NEVER)).astype(np.uint32)


def below_threshold(p: NDArray[np.float64]) -> NDArray[np.uint64]:
    """``t`` such that a uniform 32-bit draw ``u`` has ``P(u < t) = p`` (to 2**-33)."""
    return np.round(np.clip(p, 0.0, 1.0) * _TWO32).astype(np.uint64)


@dataclass
class Level:
    """Rows ``first:last`` of one schedule level after the first, with their predecessors."""

    first: int
    last: int
    preds: NDArray[np.intp]
    """(last - first, max predecessors) rows, padded with the sentinel row n (finish -1)."""


class Compiled:
    """A scenario as arrays, with a given set of risks mitigated."""

    def __init__(self, s: Scenario, mitigated: Iterable[str] = ()):
        check_scenario(s)
        mitigated = set(mitigated)
        risk_by_id = {r.id: r for r in s.risks}
        for rid in sorted(mitigated):
            if rid not in risk_by_id:
                raise ValueError(f"cannot mitigate unknown risk {rid!r}")
            if risk_by_id[rid].mitigation is None:
                raise ValueError(f"risk {rid!r} has no mitigation")
        self.scenario = s
        self.mitigated = frozenset(mitigated)
        n = self.n = len(s.initiatives)
        self.horizon = s.horizon
        index = {x.id: i for i, x in enumerate(s.initiatives)}
        teams = {t.id: k for k, t in enumerate(s.teams)}
        inits = s.initiatives

        groups = topological_levels(inits)
        self.order = np.array([i for g in groups for i in g], dtype=np.intp)
        row_of = np.empty(n, dtype=np.intp)
        row_of[self.order] = np.arange(n)
        self.row_of = row_of

        self.start = np.array([x.start_period for x in inits], dtype=np.int32)
        duration = [x.duration for x in inits]
        self.duration = np.array(duration, dtype=np.int32)
        self.v_low = np.array([x.value.low for x in inits], dtype=np.float64)
        self.v_likely = np.array([x.value.likely for x in inits], dtype=np.float64)
        self.v_high = np.array([x.value.high for x in inits], dtype=np.float64)
        self.v_is_pert = np.array([x.value.distribution == "pert" for x in inits], dtype=bool)
        self.r_duration = self.duration[self.order][:, None]
        self.r_start_before = (self.start[self.order] - 1)[:, None]
        self._compile_values()

        # Risks and drivers.
        driver_index = {d.id: k for k, d in enumerate(s.drivers)}
        self.drivers = len(s.drivers)
        self.driver_at = below_threshold(np.array([d.probability for d in s.drivers]))[:, None]
        self.risk_driver = np.array(
            [driver_index[r.driver] if r.driver else -1 for r in s.risks], dtype=np.intp
        )
        self.tied = np.flatnonzero(self.risk_driver >= 0)
        R = self.risks = len(s.risks)
        factors, probability = [], []
        for r in s.risks:
            factor, p = 1.0, r.probability
            if r.id in self.mitigated and r.mitigation is not None:
                p, factor = r.mitigation.probability_after, r.mitigation.impact_factor
            probability.append(p)
            factors.append(factor)
        self.risk_at = below_threshold(np.array(probability))[:, None]

        self._compile_efforts(s, index, teams, factors)

        # Delays and value losses, by row.
        delay: tuple[list[int], list[int], list[float]] = ([], [], [])
        loss: tuple[list[int], list[int], list[float]] = ([], [], [])
        for k, r in enumerate(s.risks):
            for target in r.initiatives:
                row = int(row_of[index[target]])
                if r.delay_periods:
                    delay[0].append(row)
                    delay[1].append(k)
                    delay[2].append(r.delay_periods * factors[k])
                if r.value_loss_share:
                    share = min(r.value_loss_share * factors[k], 1.0)
                    logged = math.log1p(-share) if share < 1 else _LOG_FLOOR
                    loss[0].append(row)
                    loss[1].append(k)
                    loss[2].append(max(logged, _LOG_FLOOR))
        self.delay_rows, self.delay_mat = _compact(delay, R)
        self.loss_row_idx, self.loss_mat = _compact(loss, R)
        self.loss_rows = self.order[self.loss_row_idx]
        """Initiatives hit by value-loss risks, in the order of the loss histograms."""
        self._compile_loss_codes(loss)

        # Schedule levels after the first, as slices of rows.
        self.levels: list[Level] = []
        first = 0
        for depth, group in enumerate(groups):
            last = first + len(group)
            if depth:
                preds_lists = [[int(row_of[index[d]]) for d in inits[i].after] for i in group]
                deg = max(len(p) for p in preds_lists)
                preds = np.full((len(group), deg), n, dtype=np.intp)
                for k, p_list in enumerate(preds_lists):
                    preds[k, : len(p_list)] = p_list
                self.levels.append(Level(first, last, preds))
            first = last

        # Objectives: named by initiatives, or listing initiatives themselves.
        members: dict[str, set[int]] = {}
        targets: dict[str, float | None] = {}
        for o in s.objectives:
            members.setdefault(o.id, set()).update(index[t] for t in o.initiatives)
            targets[o.id] = o.target
        for i, x in enumerate(inits):
            for oid in x.objectives:
                members.setdefault(oid, set()).add(i)
                targets.setdefault(oid, None)
        self.objective_ids = list(members)
        self.objective_targets = [targets[o] for o in self.objective_ids]
        self.objective_members = [
            np.array(sorted(members[o]), dtype=np.intp) for o in self.objective_ids
        ]
        m = len(self.objective_ids)
        rows_o = [k for k, mem in enumerate(self.objective_members) for _ in mem]
        cols_o = [int(row_of[i]) for mem in self.objective_members for i in mem]
        self.objective_mat = _csr(rows_o, cols_o, [1.0] * len(rows_o), (m, n))
        self.objective_rows = np.array(cols_o, dtype=np.intp)
        ends = np.cumsum([len(mem) for mem in self.objective_members]).tolist()
        self.objective_spans = [
            (k, end - len(mem), end)
            for k, (mem, end) in enumerate(zip(self.objective_members, ends, strict=True))
            if len(mem)
        ]
        """(objective, first, last): its members' rows are objective_rows[first:last]."""
        self.reach_at = np.array(
            [np.inf if t is None else t - 1e-6 * max(1.0, abs(t)) for t in self.objective_targets]
        )

        self.finish_cap = max(4 * self.horizon, self.horizon + 12)
        """Finish periods at or beyond this index are counted together."""
        self.planned_finish = self._planned_finish()
        self.flat = _flatten(self)

    def _compile_values(self) -> None:
        """Triangular values from a 32-bit draw ``u`` by the inverse CDF, without a branch:
        ``(low + high - likely) + sqrt(min(u, m) * a) - sqrt((2**32 - max(u, m)) * b)``,
        where ``m`` is the mode's draw, is ``low + sqrt(u * a)`` below it and
        ``high - sqrt((2**32 - u) * b)`` above. PERT values come from quantile tables."""
        o = self.order
        low, likely, high = self.v_low[o], self.v_likely[o], self.v_high[o]
        width = high - low
        spread = width > 0
        self.r_v_base = (low + high - likely).astype(F32)[:, None]
        self.r_v_a = (width * (likely - low) / _TWO32).astype(F32)[:, None]
        self.r_v_b = (width * (high - likely) / _TWO32).astype(F32)[:, None]
        mode = np.where(spread, (likely - low) / np.where(spread, width, 1.0), 0.5)
        self.r_v_mode = (mode * _TWO32).astype(F32)[:, None]
        self.v_pert_rows = np.flatnonzero(self.v_is_pert[o])
        self.v_table = pert_table(
            low[self.v_pert_rows], likely[self.v_pert_rows], high[self.v_pert_rows]
        )

    def _compile_efforts(
        self,
        s: Scenario,
        index: dict[str, int],
        teams: dict[str, int],
        factors: list[float],
    ) -> None:
        """Thresholds for the overruns no risk scales, one draw per initiative; sampled
        ratios for the efforts that extra-effort risks scale."""
        extra_on: dict[tuple[int, int], list[tuple[int, float]]] = {}
        for k, r in enumerate(s.risks):
            for target in r.initiatives:
                for team, more in r.extra_effort.items():
                    if more:
                        key = (index[target], teams[team])
                        extra_on.setdefault(key, []).append((k, more * factors[k]))
        unscaled: list[tuple[int, float, float, bool, int]] = []
        scaled: list[tuple[int, float, float, bool, int, int]] = []
        for i, x in enumerate(s.initiatives):
            row = int(self.row_of[i])
            for team, rng_ in x.effort.items():
                if rng_.likely <= 0:
                    continue
                lo, hi = rng_.low / rng_.likely, rng_.high / rng_.likely
                pert = rng_.distribution == "pert"
                if (i, teams[team]) in extra_on:
                    scaled.append((row, lo, hi, pert, x.duration, i * len(teams) + teams[team]))
                else:
                    unscaled.append((row, lo, hi, pert, x.duration))
        u_row = np.array([a[0] for a in unscaled], dtype=np.intp)
        u_lo = np.array([a[1] for a in unscaled], dtype=np.float64)
        u_hi = np.array([a[2] for a in unscaled], dtype=np.float64)
        u_pert = np.array([a[3] for a in unscaled], dtype=bool)
        u_dur = np.array([a[4] for a in unscaled], dtype=np.float64)
        jumps = np.maximum(0, np.ceil(u_dur * u_hi - ROUNDING) - u_dur).astype(int)
        width = int(jumps.max(initial=0))
        # below[row, j] = P(no more than j extra periods): the product over the initiative's
        # unscaled efforts, which are independent and matter only through the largest.
        below = np.ones((self.n, max(width, 1)))
        for j in range(width):
            cut = (u_dur + j + ROUNDING) / u_dur
            p = cdf(cut, u_lo, np.ones_like(u_lo), u_hi, u_pert)
            np.multiply.at(below[:, j], u_row, np.where(j < jumps, p, 1.0))
        self.jump_columns = width
        self.jump_at = above_threshold(below)
        """jump_at[row, j]: the draw must be above it for more than j extra periods."""

        self.s_count = len(scaled)
        self.s_rows = np.array([a[0] for a in scaled], dtype=np.intp)
        s_lo = np.array([a[1] for a in scaled], dtype=np.float64)
        s_hi = np.array([a[2] for a in scaled], dtype=np.float64)
        s_pert = np.array([a[3] for a in scaled], dtype=bool)
        self.s_dur = np.array([a[4] for a in scaled], dtype=F32)[:, None]
        self.s_lo = s_lo.astype(F32)[:, None]
        self.s_hi = s_hi.astype(F32)[:, None]
        self.s_pert = np.flatnonzero(s_pert)
        self.s_table = pert_table(s_lo[self.s_pert], np.ones(len(self.s_pert)), s_hi[self.s_pert])
        rows_x: list[int] = []
        cols_x: list[int] = []
        data_x: list[float] = []
        for pos, (_, _, _, _, _, pair) in enumerate(scaled):
            i, team_k = divmod(pair, len(teams))
            for risk_k, more in extra_on[(i, team_k)]:
                rows_x.append(pos)
                cols_x.append(risk_k)
                data_x.append(more)
        self.extra_mat = _csr(rows_x, cols_x, data_x, (len(scaled), len(s.risks)))
        # An initiative with several scaled efforts takes the largest overrun: one slot per
        # rank, so that the rows within a slot are distinct.
        self.slots: list[tuple[NDArray[np.intp], NDArray[np.intp]]] = []
        seen: dict[int, int] = {}
        slot_lists: list[tuple[list[int], list[int]]] = []
        for k, row in enumerate(self.s_rows.tolist()):
            slot = seen.get(row, 0)
            seen[row] = slot + 1
            if slot == len(slot_lists):
                slot_lists.append(([], []))
            slot_lists[slot][0].append(row)
            slot_lists[slot][1].append(k)
        for rows, pairs in slot_lists:
            self.slots.append((np.array(rows, dtype=np.intp), np.array(pairs, dtype=np.intp)))

    def _compile_loss_codes(self, loss: tuple[list[int], list[int], list[float]]) -> None:
        """When no initiative has more than ``LOSS_CODE_BITS`` value-loss risks, a trial's
        loss on a row is named by which of them fired (bit j for its j-th one), and the
        share kept is looked up: exact, and cheaper than binning the share."""
        rows, cols, logged = loss
        local = {int(r): k for k, r in enumerate(self.loss_row_idx)}
        seen: dict[int, int] = {}
        bit = []
        for row in rows:
            j = seen.get(row, 0)
            seen[row] = j + 1
            bit.append(j)
        # Bins are counted as float32 before widening, exact below 2**24.
        self.loss_by_code = (
            max(seen.values(), default=0) <= LOSS_CODE_BITS
            and len(self.loss_row_idx) * LOSS_BINS < 2**24
        )
        if not self.loss_by_code or not rows:
            return
        L = len(self.loss_row_idx)
        self.loss_code_mat = _csr(
            [local[r] for r in rows], cols, [float(2**j) for j in bit], (L, self.risks)
        )
        logs = np.zeros((L, LOSS_CODE_BITS))
        for row, j, lg in zip(rows, bit, logged, strict=True):
            logs[local[row], j] += lg
        codes = np.arange(LOSS_BINS)
        set_bits = (codes[:, None] >> np.arange(LOSS_CODE_BITS)) & 1
        kept = np.exp(logs @ set_bits.T)
        kept[:, LATE_BIN] = 0.0
        self.loss_kept = kept
        """loss_kept[k, code]: the share kept; LATE_BIN holds the late trials (nothing)."""
        self.loss_kept32 = kept.astype(F32).ravel()

    def _planned_finish(self) -> NDArray[np.int64]:
        finish = np.full(self.n, -1, dtype=np.int64)
        index = {x.id: i for i, x in enumerate(self.scenario.initiatives)}
        for i in self.order.tolist():
            x = self.scenario.initiatives[i]
            start = x.start_period
            for dep in x.after:
                start = max(start, int(finish[index[dep]]) + 1)
            finish[i] = start + x.duration - 1
        return finish

    def value_bounds(self) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
        """Every delivered value of initiative i lies in [low[i], high[i]]."""
        return np.minimum(self.v_low, 0.0), np.maximum(self.v_high, 0.0)


def _compact(
    triplets: tuple[list[int], list[int], list[float]], risks: int
) -> tuple[NDArray[np.intp], sp.csr_matrix | None]:
    rows, cols, data = triplets
    if not rows:
        return np.zeros(0, dtype=np.intp), None
    unique = np.unique(np.asarray(rows, dtype=np.intp))
    where = {int(r): k for k, r in enumerate(unique)}
    return unique, _csr([where[r] for r in rows], cols, data, (len(unique), risks))


class Flat(NamedTuple):
    """The compiled scenario as flat arrays and CSR index arrays, all by row, for the
    compiled trial loop (:mod:`leadshift.risk.kernel`), which takes no Python objects.

    Sparse maps keep the order of the scipy matrices the numpy loop multiplies by, so both
    loops add the same numbers in the same order.
    """

    horizon: int
    cap: int
    drivers: int
    risks: int
    jump_columns: int
    driver_at: NDArray[np.uint64]
    risk_at: NDArray[np.uint64]
    risk_driver: NDArray[np.intp]
    duration: NDArray[np.int32]
    start_before: NDArray[np.int32]
    jump_at: NDArray[np.uint32]
    s_rows: NDArray[np.intp]
    s_lo: NDArray[np.float32]
    s_hi: NDArray[np.float32]
    s_dur: NDArray[np.float32]
    s_table_row: NDArray[np.intp]
    """Row of ``s_table`` for a PERT effort, -1 for a triangular one."""
    s_table: NDArray[np.float32]
    extra_ptr: NDArray[np.intp]
    extra_risk: NDArray[np.intp]
    extra_more: NDArray[np.float32]
    delay_rows: NDArray[np.intp]
    delay_ptr: NDArray[np.intp]
    delay_risk: NDArray[np.intp]
    delay_amount: NDArray[np.float32]
    pred_ptr: NDArray[np.intp]
    pred_row: NDArray[np.intp]
    v_base: NDArray[np.float32]
    v_a: NDArray[np.float32]
    v_b: NDArray[np.float32]
    v_mode: NDArray[np.float32]
    v_table_row: NDArray[np.intp]
    v_table: NDArray[np.float32]
    loss_of_row: NDArray[np.intp]
    """Index among the rows hit by value-loss risks, -1 for a row no such risk hits."""
    loss_by_code: bool
    loss_ptr: NDArray[np.intp]
    loss_risk: NDArray[np.intp]
    loss_data: NDArray[np.float32]
    """The fired risk's bit when losses are coded, else the log of the share it keeps."""
    loss_kept: NDArray[np.float32]
    objective_rows: NDArray[np.intp]
    objective_spans: NDArray[np.intp]
    objective_has_members: NDArray[np.bool_]
    reach_at: NDArray[np.float64]
    row_objective_ptr: NDArray[np.intp]
    row_objective: NDArray[np.intp]
    """The objectives a row counts towards (CSR by row): the kernel adds each row's value
    as it is computed, rows in order, so an objective's members add up in row order."""


def _csr_arrays(
    m: sp.csr_matrix | None, rows: int
) -> tuple[NDArray[np.intp], NDArray[np.intp], NDArray[np.float32]]:
    if m is None:
        return np.zeros(rows + 1, dtype=np.intp), np.zeros(0, dtype=np.intp), np.zeros(0, F32)
    m.sort_indices()
    return (
        m.indptr.astype(np.intp),
        m.indices.astype(np.intp),
        np.ascontiguousarray(m.data, dtype=F32),
    )


def _table_rows(n: int, chosen: NDArray[np.intp]) -> NDArray[np.intp]:
    where = np.full(n, -1, dtype=np.intp)
    where[chosen] = np.arange(len(chosen))
    return where


def _flatten(c: Compiled) -> Flat:
    n = c.n
    extra = _csr_arrays(c.extra_mat, c.s_count)
    delay = _csr_arrays(c.delay_mat, len(c.delay_rows))
    by_code = bool(c.loss_by_code) and len(c.loss_row_idx) > 0
    loss = _csr_arrays(c.loss_code_mat if by_code else c.loss_mat, len(c.loss_row_idx))
    pred_lists: list[list[int]] = [[] for _ in range(n)]
    for level in c.levels:
        for k, preds in enumerate(level.preds.tolist()):
            pred_lists[level.first + k] = [p for p in preds if p < n]
    pred_ptr = np.zeros(n + 1, dtype=np.intp)
    pred_ptr[1:] = np.cumsum([len(p) for p in pred_lists])
    spans = np.array(c.objective_spans, dtype=np.intp).reshape(-1, 3)
    # Members in row order, as the numpy loop's objective matrix adds them.
    objective_rows = c.objective_rows.copy()
    for _, first, last in c.objective_spans:
        objective_rows[first:last].sort()
    row_objectives: list[list[int]] = [[] for _ in range(n)]
    for o, first, last in c.objective_spans:
        for row in objective_rows[first:last].tolist():
            row_objectives[row].append(o)
    row_objective_ptr = np.zeros(n + 1, dtype=np.intp)
    row_objective_ptr[1:] = np.cumsum([len(o) for o in row_objectives])
    flat = Flat(
        horizon=c.horizon,
        cap=c.finish_cap,
        drivers=c.drivers,
        risks=c.risks,
        jump_columns=c.jump_columns,
        driver_at=c.driver_at.ravel().astype(np.uint64),
        risk_at=c.risk_at.ravel().astype(np.uint64),
        risk_driver=c.risk_driver.astype(np.intp),
        duration=c.r_duration.ravel().astype(np.int32),
        start_before=c.r_start_before.ravel().astype(np.int32),
        jump_at=np.ascontiguousarray(c.jump_at, dtype=np.uint32),
        s_rows=c.s_rows.astype(np.intp),
        s_lo=c.s_lo.ravel(),
        s_hi=c.s_hi.ravel(),
        s_dur=c.s_dur.ravel(),
        s_table_row=_table_rows(c.s_count, c.s_pert),
        s_table=np.ascontiguousarray(c.s_table, dtype=F32).reshape(-1, c.s_table.shape[1]),
        extra_ptr=extra[0],
        extra_risk=extra[1],
        extra_more=extra[2],
        delay_rows=c.delay_rows.astype(np.intp),
        delay_ptr=delay[0],
        delay_risk=delay[1],
        delay_amount=delay[2],
        pred_ptr=pred_ptr,
        pred_row=np.array([p for ps in pred_lists for p in ps], dtype=np.intp),
        v_base=c.r_v_base.ravel(),
        v_a=c.r_v_a.ravel(),
        v_b=c.r_v_b.ravel(),
        v_mode=c.r_v_mode.ravel(),
        v_table_row=_table_rows(n, c.v_pert_rows),
        v_table=np.ascontiguousarray(c.v_table, dtype=F32).reshape(-1, c.v_table.shape[1]),
        loss_of_row=_table_rows(n, c.loss_row_idx),
        loss_by_code=by_code,
        loss_ptr=loss[0],
        loss_risk=loss[1],
        loss_data=loss[2],
        loss_kept=c.loss_kept32 if by_code else np.zeros(0, dtype=F32),
        objective_rows=objective_rows.astype(np.intp),
        objective_spans=spans,
        objective_has_members=np.array([len(m) > 0 for m in c.objective_members], dtype=bool),
        reach_at=np.asarray(c.reach_at, dtype=np.float64).reshape(-1),
        row_objective_ptr=row_objective_ptr,
        row_objective=np.array([o for os in row_objectives for o in os], dtype=np.intp),
    )
    # Writable C-ordered copies: an array of another layout (or a read-only one) would
    # make Numba compile the loop again for it.
    return Flat._make(np.array(v, order="C") if isinstance(v, np.ndarray) else v for v in flat)
