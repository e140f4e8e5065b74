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
* **Schedule.** ``duration_actual = ceil(duration * stretch + sum of fired delays)`` (overruns
  under 1e-4 of a period are ignored, against float rounding). An initiative starts at its
  planned start or the period after its last predecessor finishes, whichever is later, and
  finishes at ``start + duration_actual - 1``.
* **Value.** The sampled value times ``(1 - value_loss)`` for each fired risk, delivered only
  if the initiative finishes within the horizon (by the last period); otherwise 0.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray

from leadshift.risk.sampling import F32, pert, triangular
from leadshift.risk.scenario import Scenario, check_scenario, topological_levels

BLOCK = 1024
"""Trials per random-number block. Each block has its own streams, seeded from the seed and
the block's index, so results depend on the seed and the number of trials only, never on the
chunk size; the first N trials of a longer run are the same as a run of N trials."""

STREAMS = ("drivers", "risks", "values", "efforts", "pert_values", "pert_efforts")
ROUNDING = 1e-4
_LOG_FLOOR = -60.0

Progress = Callable[[int, int], None]


def block_generators(seed: int, block: int) -> dict[str, np.random.Generator]:
    return {
        name: np.random.Generator(np.random.PCG64(np.random.SeedSequence(seed, spawn_key=(block, k))))
        for k, name in enumerate(STREAMS)
    }


def _csr(rows: list[int], cols: list[int], data: list[float], shape: tuple[int, int]) -> sp.csr_matrix:
    return sp.csr_matrix(
        (np.asarray(data, dtype=F32), (np.asarray(rows), np.asarray(cols))), shape=shape, dtype=F32
    )


@dataclass
class Level:
    rows: NDArray[np.intp]
    preds: NDArray[np.intp] | None
    """(len(rows), max predecessors), padded with the sentinel row n (finish -1)."""


class Compiled:
    """A scenario as arrays, with a given set of risks mitigated."""

    def __init__(self, s: Scenario, mitigated: Iterable[str] = ()):
        check_scenario(s)
        mitigated = set(mitigated)
        risk_ids = {r.id: r for r in s.risks}
        for rid in sorted(mitigated):
            if rid not in risk_ids:
                raise ValueError(f"cannot mitigate unknown risk {rid!r}")
            if risk_ids[rid].mitigation is None:
                raise ValueError(f"risk {rid!r} has no mitigation")
        self.scenario = s
        self.mitigated = frozenset(mitigated)
        n = self.n = len(s.initiatives)
        self.horizon = s.horizon
        index = {x.id: i for i, x in enumerate(s.initiatives)}
        teams = {t.id: k for k, t in enumerate(s.teams)}
        inits = s.initiatives

        self.start = np.array([x.start_period for x in inits], dtype=np.int32)
        self.duration = np.array([x.duration for x in inits], dtype=F32)
        self.deadline = [x.deadline for x in inits]
        self.v_low = np.array([[x.value.low] for x in inits], dtype=F32).reshape(n, 1)
        self.v_likely = np.array([[x.value.likely] for x in inits], dtype=F32).reshape(n, 1)
        self.v_high = np.array([[x.value.high] for x in inits], dtype=F32).reshape(n, 1)
        self.v_pert = np.array(
            [i for i, x in enumerate(inits) if x.value.distribution == "pert"], dtype=np.intp
        )

        # Effort pairs, grouped by initiative, as ratios to the planned (likely) effort: the
        # ratio of a scaled triangular is the triangular of the scaled bounds.
        pair_init: list[int] = []
        pair_team: list[int] = []
        lo: list[float] = []
        hi: list[float] = []
        pert_pairs: list[int] = []
        for i, x in enumerate(inits):
            for team, r in x.effort.items():
                if r.likely <= 0:
                    continue
                if r.distribution == "pert":
                    pert_pairs.append(len(pair_init))
                pair_init.append(i)
                pair_team.append(teams[team])
                lo.append(r.low / r.likely)
                hi.append(r.high / r.likely)
        self.e_count = len(pair_init)
        self.e_init = np.array(pair_init, dtype=np.intp)
        self.e_team = np.array(pair_team, dtype=np.intp)
        self.e_low = np.array(lo, dtype=F32).reshape(-1, 1)
        self.e_high = np.array(hi, dtype=F32).reshape(-1, 1)
        self.e_one = np.ones_like(self.e_low)
        self.e_pert = np.array(pert_pairs, dtype=np.intp)
        starts = np.flatnonzero(np.r_[True, self.e_init[1:] != self.e_init[:-1]]) if pair_init else []
        self.e_group_starts = np.asarray(starts, dtype=np.intp)
        self.e_group_rows = self.e_init[self.e_group_starts] if pair_init else self.e_init
        # Only non-trivial efforts need sampling every trial.
        self.e_uncertain = bool(np.any(self.e_low != 1) or np.any(self.e_high != 1))

        # Schedule levels.
        self.levels: list[Level] = []
        for group in topological_levels(inits):
            rows = np.array(group, dtype=np.intp)
            preds_lists = [[index[d] for d in inits[i].after] for i in group]
            width = max((len(p) for p in preds_lists), default=0)
            preds = None
            if width:
                preds = np.full((len(group), width), n, dtype=np.intp)
                for k, p in enumerate(preds_lists):
                    preds[k, : len(p)] = p
            self.levels.append(Level(rows, preds))

        # Risks and drivers.
        driver_index = {d.id: k for k, d in enumerate(s.drivers)}
        self.driver_p = np.array([d.probability for d in s.drivers], dtype=F32).reshape(-1, 1)
        self.risk_driver = np.array(
            [driver_index[r.driver] if r.driver else -1 for r in s.risks], dtype=np.intp
        )
        self.risk_p = np.zeros((len(s.risks), 1), dtype=F32)
        delay: tuple[list[int], list[int], list[float]] = ([], [], [])
        loss: tuple[list[int], list[int], list[float]] = ([], [], [])
        extra: tuple[list[int], list[int], list[float]] = ([], [], [])
        pairs_of: dict[tuple[int, int], int] = {
            (i, t): k for k, (i, t) in enumerate(zip(pair_init, pair_team, strict=True))
        }
        for k, r in enumerate(s.risks):
            factor = 1.0
            p = r.probability
            if r.id in self.mitigated and r.mitigation is not None:
                p = r.mitigation.probability_after
                factor = r.mitigation.impact_factor
            self.risk_p[k, 0] = p
            for target in r.initiatives:
                i = index[target]
                if r.delay_periods:
                    delay[0].append(i)
                    delay[1].append(k)
                    delay[2].append(r.delay_periods * factor)
                if r.value_loss_share:
                    share = min(r.value_loss_share * factor, 1.0)
                    loss[0].append(i)
                    loss[1].append(k)
                    loss[2].append(max(float(np.log1p(-share)), _LOG_FLOOR) if share < 1 else _LOG_FLOOR)
                for team, more in r.extra_effort.items():
                    pair = pairs_of.get((i, teams[team]))
                    if pair is not None and more:
                        extra[0].append(pair)
                        extra[1].append(k)
                        extra[2].append(more * factor)
        R = len(s.risks)
        self.delay_rows, self.delay_mat = _compact(delay, R)
        self.loss_rows, self.loss_mat = _compact(loss, R)
        self.extra_rows, self.extra_mat = _compact(extra, R)

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
        self.objective_members = [np.array(sorted(members[o]), dtype=np.intp) for o in self.objective_ids]
        m = len(self.objective_ids)
        rows = [k for k, mem in enumerate(self.objective_members) for _ in mem]
        cols = [int(i) for mem in self.objective_members for i in mem]
        self.objective_mat = _csr(rows, cols, [1.0] * len(rows), (m, n))

        self.finish_cap = max(4 * self.horizon, self.horizon + 12)
        """Finish periods at or beyond this index are counted together."""

    # ---- value bounds, so histograms can be fixed before the first trial -------------------
    def value_bounds(self) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
        low = np.minimum(self.v_low[:, 0].astype(np.float64), 0.0)
        high = np.maximum(self.v_high[:, 0].astype(np.float64), 0.0)
        return low, high


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
class Chunk:
    """One chunk of simulated trials; arrays are (items, trials)."""

    finish: NDArray[np.int32]
    delivered: NDArray[np.float32]
    risk_fired: NDArray[np.bool_]
    driver_fired: NDArray[np.bool_]


def _uniforms(
    c: Compiled, seed: int, first_trial: int, count: int
) -> tuple[dict[str, NDArray[np.float32]], list[tuple[dict[str, np.random.Generator], int, int]]]:
    sizes = {
        "drivers": len(c.driver_p),
        "risks": len(c.risk_p),
        "values": c.n,
        "efforts": c.e_count if c.e_uncertain else 0,
    }
    out = {name: np.empty((k, count), dtype=F32) for name, k in sizes.items()}
    blocks = []
    trial = first_trial
    while trial < first_trial + count:
        b = trial // BLOCK
        lo = trial - b * BLOCK
        hi = min(BLOCK, first_trial + count - b * BLOCK)
        gens = block_generators(seed, b)
        dest = trial - first_trial
        for name, k in sizes.items():
            if k:
                # The whole block is drawn even when only part is used, so a trial's numbers
                # do not depend on where a chunk boundary falls.
                draw = gens[name].random((k, BLOCK), dtype=F32)
                out[name][:, dest : dest + hi - lo] = draw[:, lo:hi]
        blocks.append((gens, lo, hi))
        trial = b * BLOCK + hi
    return out, blocks


def _pert_rows(
    blocks: list[tuple[dict[str, np.random.Generator], int, int]],
    stream: str,
    low: NDArray[np.float64],
    likely: NDArray[np.float64],
    high: NDArray[np.float64],
) -> NDArray[np.float32]:
    parts = [pert(g[stream], low, likely, high, BLOCK)[:, lo:hi] for g, lo, hi in blocks]
    return np.concatenate(parts, axis=1)


def run_chunk(c: Compiled, seed: int, first_trial: int, count: int) -> Chunk:
    u, blocks = _uniforms(c, seed, first_trial, count)

    driver_fired = u["drivers"] < c.driver_p
    risk_fired = u["risks"] < c.risk_p
    tied = np.flatnonzero(c.risk_driver >= 0)
    if len(tied):
        risk_fired[tied] &= driver_fired[c.risk_driver[tied]]
    fired = risk_fired.astype(F32)

    value = triangular(u["values"], c.v_low, c.v_likely, c.v_high)
    if len(c.v_pert):
        rows = c.v_pert
        value[rows] = _pert_rows(
            blocks,
            "pert_values",
            c.v_low[rows, 0].astype(np.float64),
            c.v_likely[rows, 0].astype(np.float64),
            c.v_high[rows, 0].astype(np.float64),
        )

    dur = np.empty((c.n, count), dtype=F32)
    dur[:] = c.duration[:, None]
    if c.e_count and (c.e_uncertain or c.extra_mat is not None):
        if c.e_uncertain:
            ratio = triangular(u["efforts"], c.e_low, c.e_one, c.e_high)
            if len(c.e_pert):
                rows = c.e_pert
                ratio[rows] = _pert_rows(
                    blocks,
                    "pert_efforts",
                    c.e_low[rows, 0].astype(np.float64),
                    np.ones(len(rows)),
                    c.e_high[rows, 0].astype(np.float64),
                )
        else:
            ratio = np.ones((c.e_count, count), dtype=F32)
        if c.extra_mat is not None:
            ratio[c.extra_rows] *= 1 + c.extra_mat @ fired
        stretch = np.maximum.reduceat(ratio, c.e_group_starts, axis=0)
        np.maximum(stretch, 1, out=stretch)
        dur[c.e_group_rows] *= stretch
    if c.delay_mat is not None:
        dur[c.delay_rows] += c.delay_mat @ fired
    dur -= ROUNDING
    np.ceil(dur, out=dur)
    length = dur.astype(np.int32)

    finish = np.empty((c.n + 1, count), dtype=np.int32)
    finish[c.n] = -1
    for level in c.levels:
        start = np.broadcast_to(c.start[level.rows, None], (len(level.rows), count))
        if level.preds is not None:
            start = start.copy()
            for k in range(level.preds.shape[1]):
                np.maximum(start, finish[level.preds[:, k]] + 1, out=start)
        finish[level.rows] = start + length[level.rows] - 1

    delivered = value
    if c.loss_mat is not None:
        delivered[c.loss_rows] *= np.exp(c.loss_mat @ fired)
    delivered *= finish[: c.n] < c.horizon
    return Chunk(finish[: c.n], delivered, risk_fired, driver_fired)

