"""The vectorised trial loop: one chunk of trials at a time on a compiled scenario.

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

Speed: the stretch only matters through the whole periods it adds. An initiative's efforts
for different teams are independent, and those no extra-effort risk scales matter only
through the largest overrun, whose distribution is the product of theirs; so one 32-bit draw
per initiative, compared with exact thresholds ("more than j extra periods"), decides it.
Only efforts that extra-effort risks can scale are sampled as numbers. Every random quantity
is a raw 32-bit draw compared with an integer threshold or turned into a value by a
branch-free inverse CDF. Trials run in blocks whose arrays stay about the size of the
processor's cache, in buffers reused from block to block; initiatives are held in rows
ordered by schedule level, so each level is a slice.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from leadshift.risk.compiled import LATE_BIN, LOSS_BINS, ROUNDING, Compiled
from leadshift.risk.sampling import F32, from_table, triangular

__all__ = [
    "BLOCK",
    "LOSS_BINS",
    "ChunkSummary",
    "Compiled",
    "Counts",
    "block_bits",
    "run_chunk",
]

BLOCK = 128
"""Trials per random block. Each block has its own stream, seeded from the seed and the
block's index, so results depend on the seed and the number of trials only, never on the
chunk size; the first N trials of a longer run are the same as a run of N trials."""

CELLS = 2_000 * BLOCK
"""Rows times trials worked on at once: a smaller scenario takes several random blocks per
pass, so that the fixed cost of each numpy call is spread over enough numbers, while the
working arrays stay about the size of the processor's cache."""

_UNIT = F32(2.0**-32)
_TWO32 = F32(2.0**32)


def random_rows(c: Compiled) -> int:
    """32-bit draws per trial: drivers, risks, overruns (if any), values, scaled efforts."""
    return c.drivers + c.risks + (c.n if c.jump_columns else 0) + c.n + c.s_count


def block_seed(seed: int, block: int) -> NDArray[np.uint64]:
    """The three words that seed the block's SFC64 stream (as ``np.random.SFC64`` takes
    them from the block's ``SeedSequence``)."""
    words = np.random.SeedSequence(seed, spawn_key=(block,)).generate_state(3, np.uint64)
    return words.astype(np.uint64)


def block_bits(c: Compiled, seed: int, block: int) -> NDArray[np.uint32]:
    """The block's uniform 32-bit draws: one row per random quantity, one column per trial."""
    rows = random_rows(c)
    bitgen = np.random.SFC64(np.random.SeedSequence(seed, spawn_key=(block,)))
    raw = bitgen.random_raw(rows * BLOCK // 2)
    return raw.view(np.uint32).reshape(rows, BLOCK)


@dataclass
class ChunkSummary:
    """What one chunk of trials adds to the streaming results (small, fixed-size arrays)."""

    trials: int
    first_trial: int
    counted: bool
    """True when the chunk's counts went to its worker's ``Counts`` (``run_chunk``'s
    ``into``): its count fields are then empty."""
    finish_counts: NDArray[np.int64]
    total: NDArray[np.float64]
    """Delivered portfolio value of each trial in the chunk."""
    objective_values: NDArray[np.float64]
    objective_finish_counts: NDArray[np.int64]
    objective_reach: NDArray[np.int64]
    loss_counts: NDArray[np.int64]
    """For initiatives hit by value-loss risks: trials by the share kept, in LOSS_BINS bins
    (by code or by value, see ``Compiled``; the late trials, which keep nothing, have a bin
    of their own)."""
    loss_sums: NDArray[np.float64]
    """Sum of the kept share in each bin by value (so each bin's mean is exact); unused (0)
    when bins are codes, whose share is ``Compiled.loss_kept``."""
    risk_count: NDArray[np.int64]
    risk_sum: NDArray[np.float64]
    """Total value of the trials in which each risk fired: one row per random block the
    chunk touches, so that the accumulator adds them block by block, in block order, and a
    seed's result is the same to the last bit however the trials are cut into chunks of
    whole blocks (see ``block_spans``)."""
    driver_count: NDArray[np.int64]
    driver_sum: NDArray[np.float64]
    """As ``risk_sum``, per driver."""


def block_starts(first_trial: int, count: int) -> NDArray[np.intp]:
    """Where each random block begins among a chunk's trials (0 for a chunk that begins
    inside a block)."""
    first = -(-first_trial // BLOCK) * BLOCK
    inner = np.arange(first, first_trial + count, BLOCK, dtype=np.intp) - first_trial
    return inner if first == first_trial else np.concatenate(([0], inner)).astype(np.intp)


def _padded(size: int) -> NDArray[np.int64]:
    """Zeros of their own cache lines: 64 bytes free on either side, so that two workers'
    counters never share a line (each write would take the line from the other core)."""
    return np.zeros(size + 16, dtype=np.int64)[8 : 8 + size]


class Counts:
    """Integer counts of trials, rows in the compiled row order. Exact, so they can be added
    up in any order: a worker thread keeps one for every chunk it computes (``run_chunk``'s
    ``into``), added to the run's once at the end, instead of a fresh one per chunk."""

    def __init__(self, c: Compiled):
        cap, m, loss = c.finish_cap, len(c.objective_ids), len(c.loss_row_idx)
        self.finish = _padded(c.n * (cap + 1))
        self.obj_finish = _padded(m * (cap + 1))
        self.obj_reach = _padded(m)
        self.loss_counts = _padded(loss * LOSS_BINS)
        self.risk_count = _padded(c.risks)
        self.driver_count = _padded(c.drivers)

    def by_scenario(self, c: Compiled) -> dict[str, NDArray[np.int64]]:
        """The counts as ``ChunkSummary`` holds them (initiatives in the scenario's order)."""
        cap = c.finish_cap
        return {
            "finish_counts": self.finish.reshape(c.n, cap + 1)[c.row_of],
            "objective_finish_counts": self.obj_finish.reshape(-1, cap + 1),
            "objective_reach": self.obj_reach,
            "loss_counts": self.loss_counts.reshape(-1, LOSS_BINS),
            "risk_count": self.risk_count,
            "driver_count": self.driver_count,
        }


_NO_COUNTS = {
    name: np.zeros((0,) * dims, dtype=np.int64)
    for name, dims in [
        ("finish_counts", 2),
        ("objective_finish_counts", 2),
        ("objective_reach", 1),
        ("loss_counts", 2),
        ("risk_count", 1),
        ("driver_count", 1),
    ]
}


class _Sums:
    """A chunk's sums, and the counts it adds to (its own, or a worker's ``into``)."""

    def __init__(self, c: Compiled, first_trial: int, count: int, into: Counts | None = None):
        cap, m, loss = c.finish_cap, len(c.objective_ids), len(c.loss_row_idx)
        self.c = c
        self.first_trial = first_trial
        self.count = count
        self.starts = block_starts(first_trial, count)
        blocks = len(self.starts)
        self.counted = into is not None
        counts = into or Counts(c)
        self.counts = counts
        self.finish = counts.finish
        self.finish_at = (np.arange(c.n, dtype=np.int32) * (cap + 1))[:, None]
        self.total = np.empty(count)
        self.obj_values = np.empty((m, count))
        self.obj_finish = counts.obj_finish
        self.obj_finish_at = (np.arange(m, dtype=np.intp) * (cap + 1))[:, None]
        self.obj_reach = counts.obj_reach
        self.loss_at = (np.arange(loss, dtype=np.intp) * LOSS_BINS)[:, None]
        self.late_at = (self.loss_at + LATE_BIN).astype(F32)
        """Each row's late bin, as float32 (exact below 2**24) to add to float codes."""
        self.loss_counts = counts.loss_counts
        # Coded losses need no sums (the share kept is known from the code).
        self.loss_sums = np.zeros(0 if c.loss_by_code else loss * LOSS_BINS)
        self.risk_count = counts.risk_count
        self.risk_sum = np.zeros((blocks, c.risks))
        self.driver_count = counts.driver_count
        self.driver_sum = np.zeros((blocks, c.drivers))

    def summary(self) -> ChunkSummary:
        # Counted into a worker's counts: this chunk carries none of its own.
        counts = _NO_COUNTS if self.counted else self.counts.by_scenario(self.c)
        return ChunkSummary(
            trials=self.count,
            first_trial=self.first_trial,
            counted=self.counted,
            total=self.total,
            objective_values=self.obj_values,
            loss_sums=self.loss_sums.reshape(-1, LOSS_BINS),
            risk_sum=self.risk_sum,
            driver_sum=self.driver_sum,
            **counts,
        )


class _Work:
    """Buffers reused by every block of a chunk: fresh megabyte-sized temporaries would be
    page-faulted in again for each block, which costs more than the arithmetic."""

    def __init__(self, c: Compiled, b: int):
        n = c.n
        self.bits = np.empty((random_rows(c), b), dtype=np.uint32)
        self.length = np.empty((n, b), dtype=np.int32)
        self.finish = np.empty((n + 1, b), dtype=np.int32)
        self.finish[n] = -1
        self.flag = np.empty((n, b), dtype=bool)
        self.on_time = np.empty((n, b), dtype=bool)
        self.u = np.empty((n, b), dtype=F32)
        self.value = np.empty((n, b), dtype=F32)
        self.other = np.empty((n, b), dtype=F32)
        self.pos = np.empty((n, b), dtype=np.int32)
        self.members_finish = np.empty((len(c.objective_rows), b), dtype=np.int32)
        self.obj_finish = np.zeros((len(c.objective_ids), b), dtype=np.int32)
        loss = len(c.loss_row_idx)
        self.loss_bin = np.empty((loss, b), dtype=np.intp)
        self.loss_scaled = np.empty((loss, b), dtype=F32)


def pass_width(c: Compiled) -> int:
    """Trials per pass: a whole number of random blocks."""
    return BLOCK * max(1, min(32, CELLS // (BLOCK * max(c.n, 1))))


def run_chunk(
    c: Compiled,
    seed: int,
    first_trial: int,
    count: int,
    *,
    kernel: str = "compiled",
    into: Counts | None = None,
) -> ChunkSummary:
    """Trials ``first_trial .. first_trial + count`` by the compiled loop
    (:mod:`leadshift.risk.kernel`) or, with ``kernel="numpy"``, by the numpy loop below:
    the same draws and the same results (the numpy loop is the reference the compiled one
    is checked against, and the benchmark's baseline). Counts go to ``into`` when given."""
    if kernel == "compiled":
        return _run_compiled(c, seed, first_trial, count, into)
    if kernel != "numpy":
        raise ValueError(f"unknown kernel {kernel!r}")
    sums = _Sums(c, first_trial, count, into)
    width = min(pass_width(c), -(-count // BLOCK) * BLOCK)
    work = _Work(c, width)
    trial = first_trial
    end = first_trial + count
    filled = 0
    done = 0
    while trial < end:
        b = trial // BLOCK
        lo = trial - b * BLOCK
        hi = min(BLOCK, end - b * BLOCK)
        # The whole block is drawn even when only part is used, so a trial's numbers do
        # not depend on where a chunk boundary falls.
        bits = block_bits(c, seed, b)
        if width == BLOCK and hi - lo == BLOCK and not filled:
            _run_block(c, bits, sums, work, done)
            done += BLOCK
        else:
            if filled + hi - lo > width:
                _run_block(c, work.bits[:, :filled], sums, work, done)
                done += filled
                filled = 0
            work.bits[:, filled : filled + hi - lo] = bits[:, lo:hi]
            filled += hi - lo
        trial = b * BLOCK + hi
    if filled:
        _run_block(c, work.bits[:, :filled], sums, work, done)
    return sums.summary()


def _run_compiled(
    c: Compiled, seed: int, first_trial: int, count: int, into: Counts | None
) -> ChunkSummary:
    from leadshift.risk.kernel import run

    sums = _Sums(c, first_trial, count, into)
    first_block = first_trial // BLOCK
    last_block = (first_trial + count - 1) // BLOCK
    seeds = np.array([block_seed(seed, b) for b in range(first_block, last_block + 1)])
    run(
        c.flat,
        seeds,
        first_block,
        first_trial,
        count,
        BLOCK,
        sums.total,
        sums.finish,
        sums.obj_values,
        sums.obj_finish,
        sums.obj_reach,
        sums.loss_counts,
        sums.loss_sums,
        sums.risk_count,
        sums.risk_sum,
        sums.driver_count,
        sums.driver_sum,
    )
    return sums.summary()


def _lengths(
    c: Compiled, bits: NDArray[np.uint32], fired: NDArray[np.float32], work: _Work
) -> NDArray[np.int32]:
    """Periods each initiative takes in each trial (rows), before waiting for predecessors."""
    n, t = c.n, bits.shape[1]
    k = c.drivers + c.risks
    length = work.length[:, :t]
    if c.jump_columns:
        over = bits[k : k + n]
        # Extra periods are counted in bytes (the booleans' own), widened every 255.
        for first in range(0, c.jump_columns, 255):
            jumps = np.greater(over, c.jump_at[:, first, None], out=work.flag[:, :t])
            count = jumps.view(np.uint8)
            for j in range(first + 1, min(first + 255, c.jump_columns)):
                more = np.greater(over, c.jump_at[:, j, None], out=work.on_time[:, :t])
                count += more.view(np.uint8)
            if first:
                length += count
            else:
                np.add(c.r_duration, count, out=length)
        k += n
    else:
        length[:] = c.r_duration
    k += n
    if c.s_count:
        us = bits[k : k + c.s_count].astype(F32)
        us *= _UNIT
        ratio = triangular(us, c.s_lo, np.ones_like(c.s_lo), c.s_hi)
        if len(c.s_pert):
            ratio[c.s_pert] = from_table(us[c.s_pert], c.s_table)
        more = c.extra_mat @ fired
        more += 1
        ratio *= more
        ratio *= c.s_dur
        ratio -= ROUNDING
        np.ceil(ratio, out=ratio)
        stretched = ratio.astype(np.int32)
        for rows, pairs in c.slots:
            length[rows] = np.maximum(length[rows], stretched[pairs])
    if c.delay_mat is not None:
        delay = c.delay_mat @ fired
        delay -= ROUNDING
        np.ceil(delay, out=delay)
        length[c.delay_rows] += delay.astype(np.int32)
    return length


def _finish(c: Compiled, length: NDArray[np.int32], work: _Work) -> NDArray[np.int32]:
    """Finish period of each row in each trial."""
    n, t = length.shape
    finish = work.finish[:, :t]
    np.add(length, c.r_start_before, out=finish[:n])
    for level in c.levels:
        preds = level.preds
        latest = finish[preds[:, 0]]
        for k in range(1, preds.shape[1]):
            np.maximum(latest, finish[preds[:, k]], out=latest)
        latest += length[level.first : level.last]
        here = finish[level.first : level.last]
        np.maximum(here, latest, out=here)
    return finish[:n]


def _values(c: Compiled, bits: NDArray[np.uint32], work: _Work) -> NDArray[np.float32]:
    """Sampled value of each row in each trial (triangular by inverse CDF, PERT by table)."""
    t = bits.shape[1]
    k = c.drivers + c.risks + (c.n if c.jump_columns else 0)
    u, left, right = work.u[:, :t], work.value[:, :t], work.other[:, :t]
    np.copyto(u, bits[k : k + c.n], casting="unsafe")
    np.minimum(u, c.r_v_mode, out=left)
    left *= c.r_v_a
    np.sqrt(left, out=left)
    np.maximum(u, c.r_v_mode, out=right)
    np.subtract(_TWO32, right, out=right)
    right *= c.r_v_b
    np.sqrt(right, out=right)
    left -= right
    left += c.r_v_base
    if len(c.v_pert_rows):
        left[c.v_pert_rows] = from_table(u[c.v_pert_rows] * _UNIT, c.v_table)
    return left


def _run_block(c: Compiled, bits: NDArray[np.uint32], sums: _Sums, work: _Work, at: int) -> None:
    t = bits.shape[1]
    d, r = c.drivers, c.risks
    driver_fired = bits[:d] < c.driver_at
    risk_fired = bits[d : d + r] < c.risk_at
    if len(c.tied):
        risk_fired[c.tied] &= driver_fired[c.risk_driver[c.tied]]
    fired = risk_fired.astype(F32)

    finish = _finish(c, _lengths(c, bits, fired, work), work)
    on_time = np.less(finish, c.horizon, out=work.on_time[:, :t])
    np.minimum(finish, c.finish_cap, out=finish)

    value = _values(c, bits, work)
    value *= on_time
    if c.loss_mat is not None:
        _lose_value(c, value, on_time, fired, sums, work)
    total = value.sum(axis=0, dtype=np.float64)
    sums.total[at : at + t] = total
    _count_finish(finish, sums, work)
    if len(c.objective_ids):
        _objectives(c, value, finish, sums, work, at)
    sums.risk_count += risk_fired.sum(axis=1)
    sums.driver_count += driver_fired.sum(axis=1)
    # By random block, as the compiled loop sums them.
    risks, drivers = fired.astype(np.float64), driver_fired.astype(np.float64)
    edges = np.searchsorted(sums.starts, [at, at + t - 1], side="right")
    for k in range(edges[0] - 1, edges[1]):
        lo = max(int(sums.starts[k]), at) - at
        hi = (int(sums.starts[k + 1]) if k + 1 < len(sums.starts) else sums.count) - at
        hi = min(hi, t)
        sums.risk_sum[k] += risks[:, lo:hi] @ total[lo:hi]
        sums.driver_sum[k] += drivers[:, lo:hi] @ total[lo:hi]


def _lose_value(
    c: Compiled,
    value: NDArray[np.float32],
    on_time: NDArray[np.bool_],
    fired: NDArray[np.float32],
    sums: _Sums,
    work: _Work,
) -> None:
    """Apply value losses and count the share kept, which is 0 when late (LATE_BIN by code,
    bin 0 by value)."""
    t = value.shape[1]
    rows = c.loss_row_idx
    if c.loss_by_code:
        code = c.loss_code_mat @ fired
        code -= LATE_BIN
        code *= on_time[rows]
        code += sums.late_at
        where = work.loss_bin[:, :t]
        np.copyto(where, code, casting="unsafe")
        sums.loss_counts += np.bincount(where.ravel(), minlength=len(sums.loss_counts))
        value[rows] *= c.loss_kept32.take(where)
        return
    assert c.loss_mat is not None
    kept = np.exp(c.loss_mat @ fired)
    kept *= on_time[rows]
    value[rows] *= kept
    scaled = np.multiply(kept, F32(LOSS_BINS - 1), out=work.loss_scaled[:, :t])
    np.ceil(scaled, out=scaled)
    where = work.loss_bin[:, :t]
    np.add(scaled, sums.loss_at, out=where, casting="unsafe")
    flat = where.ravel()
    size = len(sums.loss_counts)
    sums.loss_counts += np.bincount(flat, minlength=size)
    sums.loss_sums += np.bincount(flat, weights=kept.ravel(), minlength=size)


def _count_finish(finish: NDArray[np.int32], sums: _Sums, work: _Work) -> None:
    pos = np.add(finish, sums.finish_at, out=work.pos[:, : finish.shape[1]])
    sums.finish += np.bincount(pos.ravel(), minlength=len(sums.finish))


def _objectives(
    c: Compiled,
    value: NDArray[np.float32],
    finish: NDArray[np.int32],
    sums: _Sums,
    work: _Work,
    at: int,
) -> None:
    t = value.shape[1]
    obj_values = np.asarray(c.objective_mat @ value, dtype=np.float64)
    sums.obj_values[:, at : at + t] = obj_values
    sums.obj_reach += np.count_nonzero(obj_values >= c.reach_at[:, None], axis=1)
    obj_finish = work.obj_finish[:, :t]
    if c.objective_spans:
        # An objective with no initiatives counts as finished at period 0.
        members = np.take(finish, c.objective_rows, axis=0, out=work.members_finish[:, :t])
        for k, first, last in c.objective_spans:
            np.maximum.reduce(members[first:last], axis=0, out=obj_finish[k])
    sums.obj_finish += np.bincount(
        np.add(obj_finish, sums.obj_finish_at).ravel(), minlength=len(sums.obj_finish)
    )
