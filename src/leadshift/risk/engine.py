"""The vectorised trial loop: a scenario compiled to arrays, and one chunk of trials at a time.

The model, per trial:

* **Risks.** A driver fires with its probability. A risk without a driver fires with its
  probability; a risk tied to a driver fires only where the driver fired, and then with its
  own (conditional) probability, so risks sharing a driver fire together more often than
  independent ones would. A mitigated risk uses its mitigation's probability and has every
  impact multiplied by the mitigation's impact factor; the same uniform draw decides whether
  it fires with or without mitigation, so a comparison is not blurred by noise.
* **Effort.** Each initiative's effort per team is sampled once per trial. The plan reserves
  the *likely* effort per period for it, so the team's share of capacity works at that rate;
  a larger sample (times ``1 + extra_effort`` of the fired risks for that team) stretches the
  work: ``stretch = max(1, max over teams of sampled / likely)``. Work never finishes early:
  the reserved share stays booked for the planned duration. A team whose likely effort is 0
  does not stretch anything.
* **Schedule.** ``duration_actual = ceil(duration * stretch) + ceil(sum of fired delays)``
  (overruns under 1e-4 of a period are ignored, against float rounding). An initiative starts
  at its planned start or the period after its last predecessor finishes, whichever is later,
  and finishes at ``start + duration_actual - 1``.
* **Value.** The sampled value times ``(1 - value_loss)`` for each fired risk, delivered only
  if the initiative finishes within the horizon (by the last period); otherwise 0.

Speed: the stretch only matters through the whole periods it adds, so for an effort not hit
by an extra-effort risk the uniform draw is compared with exact CDF thresholds ("more than j
extra periods") instead of being turned into an effort; only efforts that extra-effort risks
can scale are sampled as numbers.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray

from leadshift.risk.sampling import F32, cdf, from_table, pert_table, triangular
from leadshift.risk.scenario import Scenario, check_scenario, topological_levels

BLOCK = 512
"""Trials per random-number block. Each block has its own streams, seeded from the seed and
the block's index, so results depend on the seed and the number of trials only, never on the
chunk size; the first N trials of a longer run are the same as a run of N trials."""

STREAMS = ("drivers", "risks", "values", "efforts")
ROUNDING = 1e-4
LOSS_BINS = 256
_LOG_FLOOR = -60.0


def block_generators(seed: int, block: int) -> dict[str, np.random.Generator]:
    return {
        name: np.random.Generator(
            np.random.PCG64(np.random.SeedSequence(seed, spawn_key=(block, k)))
        )
        for k, name in enumerate(STREAMS)
    }


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


@dataclass
class Level:
    rows: NDArray[np.intp]
    preds: NDArray[np.intp] | None
    """(len(rows), max predecessors), padded with the sentinel row n (finish -1)."""


@dataclass
class Slot:
    """The k-th stretching effort of each initiative that has at least k+1 of them."""

    rows: NDArray[np.intp]
    pairs: NDArray[np.intp]


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

        self.start = np.array([x.start_period for x in inits], dtype=np.int32)
        duration = [x.duration for x in inits]
        self.duration = np.array(duration, dtype=np.int32)
        self.v_low = np.array([x.value.low for x in inits], dtype=np.float64)
        self.v_likely = np.array([x.value.likely for x in inits], dtype=np.float64)
        self.v_high = np.array([x.value.high for x in inits], dtype=np.float64)
        self.v_is_pert = np.array([x.value.distribution == "pert" for x in inits], dtype=bool)
        self._v32 = [a.astype(F32)[:, None] for a in (self.v_low, self.v_likely, self.v_high)]
        self.v_pert = np.flatnonzero(self.v_is_pert)
        self.v_table = pert_table(
            self.v_low[self.v_pert], self.v_likely[self.v_pert], self.v_high[self.v_pert]
        )

        # Risks and drivers.
        driver_index = {d.id: k for k, d in enumerate(s.drivers)}
        self.driver_p = np.array([d.probability for d in s.drivers], dtype=F32).reshape(-1, 1)
        self.risk_driver = np.array(
            [driver_index[r.driver] if r.driver else -1 for r in s.risks], dtype=np.intp
        )
        R = len(s.risks)
        self.risk_p = np.zeros((R, 1), dtype=F32)
        factors = []
        for k, r in enumerate(s.risks):
            factor, p = 1.0, r.probability
            if r.id in self.mitigated and r.mitigation is not None:
                p, factor = r.mitigation.probability_after, r.mitigation.impact_factor
            self.risk_p[k, 0] = p
            factors.append(factor)

        # Efforts, as ratios to the planned (likely) effort.
        extra_on: dict[tuple[int, int], list[tuple[int, float]]] = {}
        for k, r in enumerate(s.risks):
            for target in r.initiatives:
                for team, more in r.extra_effort.items():
                    if more:
                        key = (index[target], teams[team])
                        extra_on.setdefault(key, []).append((k, more * factors[k]))
        active: list[tuple[int, float, float, bool, int, bool]] = []
        for i, x in enumerate(inits):
            for team, rng_ in x.effort.items():
                if rng_.likely <= 0:
                    continue
                lo, hi = rng_.low / rng_.likely, rng_.high / rng_.likely
                d = duration[i]
                jumps = max(0, math.ceil(d * hi - ROUNDING) - d)
                scaled = (i, teams[team]) in extra_on
                if jumps or scaled:
                    active.append((i, lo, hi, rng_.distribution == "pert", teams[team], scaled))
        self.e_count = len(active)
        self.e_init = np.array([a[0] for a in active], dtype=np.intp)
        e_lo = np.array([a[1] for a in active], dtype=np.float64)
        e_hi = np.array([a[2] for a in active], dtype=np.float64)
        e_pert = np.array([a[3] for a in active], dtype=bool)
        e_dur = self.duration[self.e_init].astype(np.float64)
        jumps_e = np.maximum(0, np.ceil(e_dur * e_hi - ROUNDING) - e_dur).astype(int)
        width = int(jumps_e.max(initial=0))
        # thresholds[e, j]: the draw must exceed it for more than j extra periods.
        self.thresholds = np.full((self.e_count, max(width, 1)), 2.0, dtype=F32)
        for j in range(width):
            cut = (e_dur + j + ROUNDING) / e_dur
            below = cdf(cut, e_lo, np.ones_like(e_lo), e_hi, e_pert)
            self.thresholds[:, j] = np.where(j < jumps_e, below, 2.0)
        self.jump_columns = width
        scaled_idx = [k for k, a in enumerate(active) if a[5]]
        self.s_pairs = np.array(scaled_idx, dtype=np.intp)
        self.s_dur = e_dur[self.s_pairs].astype(F32)[:, None]
        self.s_lo = e_lo[self.s_pairs].astype(F32)[:, None]
        self.s_hi = e_hi[self.s_pairs].astype(F32)[:, None]
        s_pert = e_pert[self.s_pairs]
        self.s_pert = np.flatnonzero(s_pert)
        pert_rows = self.s_pairs[self.s_pert]
        self.s_table = pert_table(e_lo[pert_rows], np.ones(len(pert_rows)), e_hi[pert_rows])
        rows_x: list[int] = []
        cols_x: list[int] = []
        data_x: list[float] = []
        for pos, k in enumerate(scaled_idx):
            i, _, _, _, team_k, _ = active[k]
            for risk_k, more in extra_on[(i, team_k)]:
                rows_x.append(pos)
                cols_x.append(risk_k)
                data_x.append(more)
        self.extra_mat = _csr(rows_x, cols_x, data_x, (len(scaled_idx), R)) if rows_x else None
        self.slots: list[Slot] = []
        seen: dict[int, int] = {}
        slot_lists: list[tuple[list[int], list[int]]] = []
        for k, i in enumerate(self.e_init.tolist()):
            slot = seen.get(i, 0)
            seen[i] = slot + 1
            if slot == len(slot_lists):
                slot_lists.append(([], []))
            slot_lists[slot][0].append(i)
            slot_lists[slot][1].append(k)
        for rows, pairs in slot_lists:
            self.slots.append(Slot(np.array(rows, dtype=np.intp), np.array(pairs, dtype=np.intp)))

        # Delays and value losses.
        delay: tuple[list[int], list[int], list[float]] = ([], [], [])
        loss: tuple[list[int], list[int], list[float]] = ([], [], [])
        for k, r in enumerate(s.risks):
            for target in r.initiatives:
                i = index[target]
                if r.delay_periods:
                    delay[0].append(i)
                    delay[1].append(k)
                    delay[2].append(r.delay_periods * factors[k])
                if r.value_loss_share:
                    share = min(r.value_loss_share * factors[k], 1.0)
                    logged = math.log1p(-share) if share < 1 else _LOG_FLOOR
                    loss[0].append(i)
                    loss[1].append(k)
                    loss[2].append(max(logged, _LOG_FLOOR))
        self.delay_rows, self.delay_mat = _compact(delay, R)
        self.loss_rows, self.loss_mat = _compact(loss, R)

        # Schedule levels.
        self.levels: list[Level] = []
        for group in topological_levels(inits):
            rows_l = np.array(group, dtype=np.intp)
            preds_lists = [[index[d] for d in inits[i].after] for i in group]
            deg = max((len(p) for p in preds_lists), default=0)
            preds = None
            if deg:
                preds = np.full((len(group), deg), n, dtype=np.intp)
                for k, p_list in enumerate(preds_lists):
                    preds[k, : len(p_list)] = p_list
            self.levels.append(Level(rows_l, preds))

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
        cols_o = [int(i) for mem in self.objective_members for i in mem]
        self.objective_mat = _csr(rows_o, cols_o, [1.0] * len(rows_o), (m, n))
        self.reach_at = np.array(
            [np.inf if t is None else t - 1e-6 * max(1.0, abs(t)) for t in self.objective_targets]
        )

        self.finish_cap = max(4 * self.horizon, self.horizon + 12)
        """Finish periods at or beyond this index are counted together."""
        self.planned_finish = self._planned_finish()

    def _planned_finish(self) -> NDArray[np.int64]:
        finish = np.full(self.n + 1, -1, dtype=np.int64)
        for level in self.levels:
            start = self.start[level.rows].astype(np.int64)
            if level.preds is not None:
                start = np.maximum(start, finish[level.preds].max(axis=1) + 1)
            finish[level.rows] = start + self.duration[level.rows] - 1
        return finish[: self.n]

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


@dataclass
class ChunkSummary:
    """What one chunk of trials adds to the streaming results (small, fixed-size arrays)."""

    trials: int
    finish_counts: NDArray[np.int64]
    total: NDArray[np.float64]
    """Delivered portfolio value of each trial in the chunk."""
    objective_values: NDArray[np.float64]
    objective_finish_counts: NDArray[np.int64]
    objective_reach: NDArray[np.int64]
    loss_counts: NDArray[np.int64]
    """For initiatives hit by value-loss risks: on-time trials by kept share (LOSS_BINS bins)."""
    loss_sums: NDArray[np.float64]
    """Sum of the kept share in each of those bins (so each bin's mean is exact)."""
    risk_count: NDArray[np.int64]
    risk_sum: NDArray[np.float64]
    driver_count: NDArray[np.int64]
    driver_sum: NDArray[np.float64]


def _uniforms(
    c: Compiled, seed: int, first_trial: int, count: int
) -> dict[str, NDArray[np.float32]]:
    sizes = {
        "drivers": len(c.driver_p),
        "risks": len(c.risk_p),
        "values": c.n,
        "efforts": c.e_count,
    }
    out = {name: np.empty((k, count), dtype=F32) for name, k in sizes.items()}
    trial = first_trial
    end = first_trial + count
    while trial < end:
        b = trial // BLOCK
        lo = trial - b * BLOCK
        hi = min(BLOCK, end - b * BLOCK)
        gens = block_generators(seed, b)
        dest = trial - first_trial
        for name, k in sizes.items():
            if not k:
                continue
            if count == BLOCK and lo == 0:
                gens[name].random((k, BLOCK), dtype=F32, out=out[name])
            else:
                # The whole block is drawn even when only part is used, so a trial's numbers
                # do not depend on where a chunk boundary falls.
                out[name][:, dest : dest + hi - lo] = gens[name].random((k, BLOCK), dtype=F32)[
                    :, lo:hi
                ]
        trial = b * BLOCK + hi
    return out


def _finish_counts(finish: NDArray[np.integer], cap: int) -> NDArray[np.int64]:
    k = finish.shape[0]
    pos = np.minimum(finish, cap).astype(np.intp)
    np.maximum(pos, 0, out=pos)
    pos += (np.arange(k, dtype=np.intp) * (cap + 1))[:, None]
    return np.bincount(pos.ravel(), minlength=k * (cap + 1)).reshape(k, cap + 1)


def run_chunk(c: Compiled, seed: int, first_trial: int, count: int) -> ChunkSummary:
    u = _uniforms(c, seed, first_trial, count)

    driver_fired = u["drivers"] < c.driver_p
    risk_fired = u["risks"] < c.risk_p
    tied = np.flatnonzero(c.risk_driver >= 0)
    if len(tied):
        risk_fired[tied] &= driver_fired[c.risk_driver[tied]]
    fired = risk_fired.astype(F32)

    # Extra whole periods from effort overruns, per stretching effort, then per initiative.
    length = np.empty((c.n, count), dtype=np.int32)
    length[:] = c.duration[:, None]
    if c.e_count:
        ue = u["efforts"]
        jumps = np.zeros((c.e_count, count), dtype=np.int32)
        for j in range(c.jump_columns):
            jumps += ue >= c.thresholds[:, j : j + 1]
        if len(c.s_pairs):
            us = ue[c.s_pairs]
            ratio = triangular(us, c.s_lo, np.ones_like(c.s_lo), c.s_hi)
            if len(c.s_pert):
                ratio[c.s_pert] = from_table(us[c.s_pert], c.s_table)
            if c.extra_mat is not None:
                ratio *= 1 + c.extra_mat @ fired
            ratio *= c.s_dur
            ratio -= ROUNDING
            np.ceil(ratio, out=ratio)
            ratio -= c.s_dur
            jumps[c.s_pairs] = np.maximum(ratio, 0).astype(np.int32)
        for k, slot in enumerate(c.slots):
            if k == 0:
                length[slot.rows] += jumps[slot.pairs]
            else:
                base = c.duration[slot.rows, None]
                length[slot.rows] = np.maximum(length[slot.rows], base + jumps[slot.pairs])
    if c.delay_mat is not None:
        delay = c.delay_mat @ fired
        delay -= ROUNDING
        np.ceil(delay, out=delay)
        length[c.delay_rows] += delay.astype(np.int32)

    finish = np.empty((c.n + 1, count), dtype=np.int32)
    finish[c.n] = -1
    for level in c.levels:
        rows = level.rows
        if level.preds is None:
            finish[rows] = length[rows] + (c.start[rows, None] - 1)
            continue
        start = np.broadcast_to(c.start[rows, None], (len(rows), count)).copy()
        for k in range(level.preds.shape[1]):
            np.maximum(start, finish[level.preds[:, k]] + 1, out=start)
        start += length[rows]
        start -= 1
        finish[rows] = start
    finish_n = finish[: c.n]
    on_time = finish_n < c.horizon

    value = triangular(u["values"], *c._v32)
    if len(c.v_pert):
        value[c.v_pert] = from_table(u["values"][c.v_pert], c.v_table)
    loss_counts: NDArray[np.int64] = np.zeros((len(c.loss_rows), LOSS_BINS), dtype=np.int64)
    loss_sums: NDArray[np.float64] = np.zeros((len(c.loss_rows), LOSS_BINS), dtype=np.float64)
    if c.loss_mat is not None:
        kept = np.exp(c.loss_mat @ fired)
        value[c.loss_rows] *= kept
        # Late trials go to an extra last bin per row, which is then dropped: cheaper than
        # selecting the on-time ones first.
        width = LOSS_BINS + 1
        bin_of = np.minimum((kept * LOSS_BINS).astype(np.intp), LOSS_BINS - 1)
        bin_of[~on_time[c.loss_rows]] = LOSS_BINS
        bin_of += (np.arange(len(c.loss_rows), dtype=np.intp) * width)[:, None]
        size = len(c.loss_rows) * width
        flat = bin_of.ravel()
        loss_counts = np.bincount(flat, minlength=size).reshape(-1, width)[:, :LOSS_BINS]
        sums = np.bincount(flat, weights=kept.ravel(), minlength=size).astype(np.float64)
        loss_sums = sums.reshape(-1, width)[:, :LOSS_BINS]
    value *= on_time
    total = value.sum(axis=0, dtype=np.float64)

    m = len(c.objective_ids)
    if m:
        obj_values = np.asarray(c.objective_mat @ value, dtype=np.float64)
        obj_finish = np.stack([finish_n[mem].max(axis=0) for mem in c.objective_members])
        obj_finish_counts = _finish_counts(obj_finish, c.finish_cap)
        obj_reach = np.count_nonzero(obj_values >= c.reach_at[:, None], axis=1).astype(np.int64)
    else:
        obj_values = np.zeros((0, count))
        obj_finish_counts = np.zeros((0, c.finish_cap + 1), dtype=np.int64)
        obj_reach = np.zeros(0, dtype=np.int64)

    return ChunkSummary(
        trials=count,
        finish_counts=_finish_counts(finish_n, c.finish_cap),
        total=total,
        objective_values=obj_values,
        objective_finish_counts=obj_finish_counts,
        objective_reach=obj_reach,
        loss_counts=loss_counts,
        loss_sums=loss_sums,
        risk_count=risk_fired.sum(axis=1, dtype=np.int64),
        risk_sum=fired.astype(np.float64) @ total,
        driver_count=driver_fired.sum(axis=1, dtype=np.int64),
        driver_sum=driver_fired.astype(np.float64) @ total,
    )
