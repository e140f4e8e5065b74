"""The trial loop compiled with Numba: a whole chunk of trials in one call that holds no GIL.

It computes what the numpy loop in :mod:`leadshift.risk.engine` computes (the model is
described there), on the same random draws, in the same float32 arithmetic, but it makes one
pass over each initiative's row of a block instead of one numpy call per step: no temporary
arrays, no fancy indexing, and histograms counted in place. Since a call releases the GIL for
the whole chunk, worker threads scale with the cores.

The draws are numpy's SFC64 stream of each random block, seeded from the block's
``SeedSequence`` (see ``engine.block_seeds``): generated here, they are the numbers
``engine.block_bits`` returns, so the two loops agree trial by trial.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from leadshift.risk.compiled import Flat

_U64 = np.uint64
_F32 = np.float32
_UNIT = _F32(2.0**-32)
_TWO32 = _F32(2.0**32)
_ROUNDING = _F32(1e-4)
_LOSS_BINS = 256
_LATE_BIN = _LOSS_BINS - 1


@njit(cache=True, nogil=True)
def _sfc64_seed(seed: np.ndarray, state: np.ndarray) -> None:  # pragma: no cover - compiled
    """numpy's SFC64 seeded with three words: 12 rounds discarded, state (a, b, c, w)."""
    state[0], state[1], state[2], state[3] = seed[0], seed[1], seed[2], _U64(1)
    _sfc64_skip(state, 12)


@njit(cache=True, nogil=True, inline="always")
def _sfc64_skip(state: np.ndarray, rounds: int) -> None:  # pragma: no cover - compiled
    a, b, c, w = state[0], state[1], state[2], state[3]
    one, s11, s3, s24, s40 = _U64(1), _U64(11), _U64(3), _U64(24), _U64(40)
    for _ in range(rounds):
        tmp = a + b + w
        w += one
        a = b ^ (b >> s11)
        b = c + (c << s3)
        c = ((c << s24) | (c >> s40)) + tmp
    state[0], state[1], state[2], state[3] = a, b, c, w


@njit(cache=True, nogil=True, inline="always")
def _sfc64_fill(state: np.ndarray, out: np.ndarray) -> None:  # pragma: no cover - compiled
    """The stream's next ``out.size`` 64-bit words: read as 32-bit draws (this machine's
    byte order, as numpy's ``view``), the low half of each word comes first."""
    a, b, c, w = state[0], state[1], state[2], state[3]
    one, s11, s3, s24, s40 = _U64(1), _U64(11), _U64(3), _U64(24), _U64(40)
    for k in range(out.size):
        tmp = a + b + w
        w += one
        a = b ^ (b >> s11)
        b = c + (c << s3)
        c = ((c << s24) | (c >> s40)) + tmp
        out[k] = tmp
    state[0], state[1], state[2], state[3] = a, b, c, w


@njit(cache=True, nogil=True)
def _sfc64_bits(seed: np.ndarray, out: np.ndarray) -> None:  # pragma: no cover - compiled
    state = np.empty(4, dtype=np.uint64)
    _sfc64_seed(seed, state)
    _sfc64_fill(state, out)


def sfc64_bits(seed: np.ndarray, count: int) -> np.ndarray:
    """``count`` (even) 32-bit draws from the compiled generator, to check it against numpy's."""
    out = np.empty(count // 2, dtype=np.uint64)
    _sfc64_bits(np.asarray(seed, dtype=np.uint64), out)
    return out.view(np.uint32)


@njit(cache=True, nogil=True)
def _block(  # pragma: no cover - compiled
    f: Flat,
    state: np.ndarray,
    lo: int,
    hi: int,
    at: int,
    words: np.ndarray,
    bits: np.ndarray,
    fired: np.ndarray,
    finish: np.ndarray,
    value: np.ndarray,
    obj_acc: np.ndarray,
    obj_latest: np.ndarray,
    total: np.ndarray,
    finish_counts: np.ndarray,
    obj_values: np.ndarray,
    obj_finish_counts: np.ndarray,
    obj_reach: np.ndarray,
    loss_counts: np.ndarray,
    loss_sums: np.ndarray,
    risk_count: np.ndarray,
    risk_sum: np.ndarray,
    driver_count: np.ndarray,
    driver_sum: np.ndarray,
) -> None:
    """Trials ``lo:hi`` of one random block, whose stream ``state`` has just been seeded.

    The block's draws (one row of ``bits.size`` per random quantity, in the order of
    ``engine.random_rows``) are generated a row at a time where they are used, so no more
    than a row of them is held: the arrays a block works on then stay in the core's cache.
    ``finish`` holds each row's length until its finish is known.
    """
    t = hi - lo
    d, r, n = f.drivers, f.risks, len(f.duration)
    cap1 = f.cap + 1
    # Scratch rows, one number per trial; every inner loop runs over the trials, which
    # lets LLVM vectorise it.
    acc = np.empty(t, dtype=np.float32)
    on_time = np.empty(t, dtype=np.float32)
    keys = np.empty(t, dtype=np.int32)
    latest = np.empty(t, dtype=np.int32)
    cap, horizon = np.int32(f.cap), np.int32(f.horizon)

    # Drivers, then risks (a risk tied to a driver fires only where the driver fired).
    for k in range(d + r):
        limit = f.driver_at[k] if k < d else f.risk_at[k - d]
        _sfc64_fill(state, words)
        for j in range(t):
            fired[k, j] = _F32(1) if bits[lo + j] < limit else _F32(0)
    for k in range(r):
        dk = f.risk_driver[k]
        if dk >= 0:
            for j in range(t):
                fired[d + k, j] *= fired[dk, j]

    # Periods each row takes: planned, plus whole periods of overrun and of delay.
    length = finish
    for i in range(n):
        base = f.duration[i]
        if f.jump_columns:
            _sfc64_fill(state, words)
            for j in range(t):
                length[i, j] = base
            for q in range(f.jump_columns):
                limit_u = f.jump_at[i, q]
                for j in range(t):
                    length[i, j] += np.int32(bits[lo + j] > limit_u)
        else:
            for j in range(t):
                length[i, j] = base
    # Values: sampled now, in the stream's order, and kept only on time below.
    for i in range(n):
        _sfc64_fill(state, words)
        base, a, b, mode = f.v_base[i], f.v_a[i], f.v_b[i], f.v_mode[i]
        table = f.v_table_row[i]
        if table >= 0:
            for j in range(t):
                u = _F32(bits[lo + j]) * _UNIT
                value[i, j] = _from_table(u, f.v_table, table)
        else:
            # ``sqrt(min(u, mode) * a) - sqrt((2**32 - max(u, mode)) * b) + base`` (the numpy
            # loop's): one of the roots is the mode's, a constant, so one root per draw.
            at_mode_left = np.sqrt(mode * a)
            at_mode_right = np.sqrt((_TWO32 - mode) * b)
            for j in range(t):
                u = _F32(bits[lo + j])
                below = u < mode
                root = np.sqrt(u * a if below else (_TWO32 - u) * b)
                left = root if below else at_mode_left
                right = at_mode_right if below else root
                value[i, j] = left - right + base
    for p in range(len(f.s_rows)):
        i = f.s_rows[p]
        s_lo, s_hi, s_dur = f.s_lo[p], f.s_hi[p], f.s_dur[p]
        width = s_hi - s_lo
        left_w = _F32(1) - s_lo
        right_w = s_hi - _F32(1)
        mode_at = left_w / width if width > 0 else _F32(0.5)
        left_k = width * left_w
        right_k = width * right_w
        table = f.s_table_row[p]
        _sfc64_fill(state, words)
        if table >= 0:
            for j in range(t):
                u = _F32(bits[lo + j]) * _UNIT
                acc[j] = _from_table(u, f.s_table, table)
        else:
            for j in range(t):
                u = _F32(bits[lo + j]) * _UNIT
                left = np.sqrt(u * left_k) + s_lo
                right = s_hi - np.sqrt((_F32(1) - u) * right_k)
                acc[j] = left if u < mode_at else right
        for j in range(t):
            on_time[j] = _F32(0)
        for e in range(f.extra_ptr[p], f.extra_ptr[p + 1]):
            more, k = f.extra_more[e], d + f.extra_risk[e]
            for j in range(t):
                on_time[j] += more * fired[k, j]
        for j in range(t):
            stretched = np.int32(np.ceil(acc[j] * (on_time[j] + _F32(1)) * s_dur - _ROUNDING))
            length[i, j] = max(length[i, j], stretched)
    for q in range(len(f.delay_rows)):
        i = f.delay_rows[q]
        for j in range(t):
            acc[j] = _F32(0)
        for e in range(f.delay_ptr[q], f.delay_ptr[q + 1]):
            amount, k = f.delay_amount[e], d + f.delay_risk[e]
            for j in range(t):
                acc[j] += amount * fired[k, j]
        for j in range(t):
            length[i, j] += np.int32(np.ceil(acc[j] - _ROUNDING))

    # Finish, over the lengths: rows come in schedule order, so predecessors are done.
    for i in range(n):
        start_before = f.start_before[i]
        for j in range(t):
            latest[j] = start_before
        for e in range(f.pred_ptr[i], f.pred_ptr[i + 1]):
            pred = f.pred_row[e]
            for j in range(t):
                latest[j] = max(latest[j], finish[pred, j])
        for j in range(t):
            finish[i, j] += latest[j]

    # Value kept only on time, less the value-loss risks that fired; each row's value
    # and finish go to the total and to its objectives at once.
    m = len(f.reach_at)
    for o in range(m):
        for j in range(t):
            obj_acc[o, j] = _F32(0)
            obj_latest[o, j] = 0
    for j in range(t):
        total[at + j] = 0.0
    for i in range(n):
        for j in range(t):
            fin = finish[i, j]
            on_time[j] = _F32(1) if fin < horizon else _F32(0)
            keys[j] = min(fin, cap)
        _tally(keys, t, finish_counts, i * cap1)
        for j in range(t):
            value[i, j] *= on_time[j]
        k = f.loss_of_row[i]
        if k >= 0:
            for j in range(t):
                acc[j] = _F32(0)
            for e in range(f.loss_ptr[k], f.loss_ptr[k + 1]):
                data, kk = f.loss_data[e], d + f.loss_risk[e]
                for j in range(t):
                    acc[j] += data * fired[kk, j]
            if f.loss_by_code:
                for j in range(t):
                    latest[j] = np.int32(acc[j]) if on_time[j] else np.int32(_LATE_BIN)
                    value[i, j] *= f.loss_kept[k * _LOSS_BINS + latest[j]]
                _tally(latest, t, loss_counts, k * _LOSS_BINS)
            else:
                for j in range(t):
                    kept = np.exp(acc[j]) * on_time[j]
                    value[i, j] *= kept
                    where = k * _LOSS_BINS + np.intp(np.ceil(kept * _F32(_LOSS_BINS - 1)))
                    loss_counts[where] += 1
                    loss_sums[where] += kept
        for j in range(t):
            total[at + j] += value[i, j]
        for e in range(f.row_objective_ptr[i], f.row_objective_ptr[i + 1]):
            o = f.row_objective[e]
            for j in range(t):
                obj_acc[o, j] += value[i, j]
                obj_latest[o, j] = max(obj_latest[o, j], keys[j])

    # Objectives: the sum of their members' values and when the last of them finishes.
    for o in range(m):
        if f.objective_has_members[o]:
            for j in range(t):
                latest[j] = obj_latest[o, j]
            _tally(latest, t, obj_finish_counts, o * cap1)
        else:
            # An objective with no initiatives counts as finished at period 0.
            obj_finish_counts[o * cap1] += t
        for j in range(t):
            obj_values[o, at + j] = obj_acc[o, j]
        for j in range(t):
            if obj_values[o, at + j] >= f.reach_at[o]:
                obj_reach[o] += 1

    # Tornado: how often each risk and driver fired, and the total value when it did.
    for k in range(d + r):
        count = _F32(0)
        weighted = 0.0
        for j in range(t):
            count += fired[k, j]
            weighted += fired[k, j] * total[at + j]
        if k < d:
            driver_count[k] += np.int64(count)
            driver_sum[k] += weighted
        else:
            risk_count[k - d] += np.int64(count)
            risk_sum[k - d] += weighted


@njit(cache=True, nogil=True)
def _tally(keys: np.ndarray, t: int, counts: np.ndarray, offset: int) -> None:  # pragma: no cover
    """``counts[offset + keys[j]] += 1`` for ``j < t`` (``t <= 255``), in one vectorised pass
    when the keys span fewer than 16 values: each trial adds 1 to its key's byte in one of
    two 64-bit words (a byte cannot overflow: t < 256). Adding one by one to the same counter
    would wait for the previous add each time. Keys far above the rest (the late bin of
    value losses) are counted first, a pass each."""
    low, high = keys[0], keys[0]
    for j in range(1, t):
        low = min(low, keys[j])
        high = max(high, keys[j])
    peeled = 0
    while high - low >= 16 and peeled < 8:
        same = 0
        below = low
        for j in range(t):
            same += int(keys[j] == high)
            below = max(below, keys[j] if keys[j] < high else low)
        counts[offset + high] += same
        high = below
        peeled += 1
    if high - low >= 16:
        for j in range(t):
            if keys[j] <= high:
                counts[offset + keys[j]] += 1
        return
    first, second = _U64(0), _U64(0)
    zero, seven, three = _U64(0), _U64(7), _U64(3)
    for j in range(t):
        key = keys[j]
        d = _U64(key - low)
        bit = _U64(1) << ((d & seven) << three)
        kept = key <= high
        first += bit if kept and d < 8 else zero
        second += bit if kept and d >= 8 else zero
    for v in range(high - low + 1):
        word = first if v < 8 else second
        counts[offset + low + v] += np.int64((word >> _U64((v & 7) * 8)) & _U64(0xFF))


@njit(cache=True, nogil=True, inline="always")
def _from_table(u: np.float32, table: np.ndarray, row: int) -> np.float32:  # pragma: no cover
    """Linear interpolation in a quantile table, as ``sampling.from_table``."""
    points = table.shape[1]
    pos = u * _F32(points - 1)
    idx = min(int(pos), points - 2)
    frac = np.float64(pos) - idx
    low = table[row, idx]
    step = table[row, idx + 1] - low
    return _F32(np.float64(step) * frac) + low


@njit(cache=True, nogil=True)
def run(  # pragma: no cover - compiled
    f: Flat,
    seeds: np.ndarray,
    first_block: int,
    first_trial: int,
    count: int,
    block: int,
    total: np.ndarray,
    finish_counts: np.ndarray,
    obj_values: np.ndarray,
    obj_finish_counts: np.ndarray,
    obj_reach: np.ndarray,
    loss_counts: np.ndarray,
    loss_sums: np.ndarray,
    risk_count: np.ndarray,
    risk_sum: np.ndarray,
    driver_count: np.ndarray,
    driver_sum: np.ndarray,
) -> None:
    """Trials ``first_trial .. first_trial + count``; ``seeds[k]`` seeds block
    ``first_block + k``. Every block is drawn whole, so a trial's numbers do not depend
    on where a chunk begins. ``risk_sum`` and ``driver_sum`` have a row per block."""
    n, m = len(f.duration), len(f.reach_at)
    state = np.empty(4, dtype=np.uint64)
    words = np.empty(block // 2, dtype=np.uint64)
    bits = words.view(np.uint32)
    fired = np.empty((f.drivers + f.risks, block), dtype=np.float32)
    finish = np.empty((n, block), dtype=np.int32)
    value = np.empty((n, block), dtype=np.float32)
    obj_acc = np.empty((m, block), dtype=np.float32)
    obj_latest = np.empty((m, block), dtype=np.int32)
    end = first_trial + count
    trial = first_trial
    at = 0
    while trial < end:
        b = trial // block
        lo = trial - b * block
        hi = min(block, end - b * block)
        _sfc64_seed(seeds[b - first_block], state)
        _block(
            f,
            state,
            lo,
            hi,
            at,
            words,
            bits,
            fired,
            finish,
            value,
            obj_acc,
            obj_latest,
            total,
            finish_counts,
            obj_values,
            obj_finish_counts,
            obj_reach,
            loss_counts,
            loss_sums,
            risk_count,
            risk_sum[b - first_block],
            driver_count,
            driver_sum[b - first_block],
        )
        at += hi - lo
        trial = b * block + hi
