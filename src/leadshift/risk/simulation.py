"""Monte Carlo simulation of a plan of record: when things finish and what value arrives.

``simulate`` runs trials in chunks and keeps only streaming summaries (integer histograms of
finish periods, fixed-bin histograms of value with exact means), so memory stays flat however
many trials are asked for. The model itself is described in :mod:`leadshift.risk.engine`.

Accuracy: finish-period percentiles and deadline probabilities are exact for the trials run
(periods are integers). Percentiles of the portfolio's and of each objective's delivered
value are read from fixed bins and are within one bin width of the exact sample percentile:
``range / 4096`` for the portfolio, ``range / 1024`` for an objective, where the range runs
from ``min(0, sum of lows)`` to ``max(0, sum of highs)``; their means are exact. One
initiative's value summary combines the simulated distribution of the share it keeps with
the closed-form law of its value (see :mod:`leadshift.risk.mixture`).
"""

from __future__ import annotations

import os
import threading
from collections import deque
from collections.abc import Callable, Iterable
from concurrent.futures import Executor, Future, ThreadPoolExecutor
from contextlib import ExitStack
from dataclasses import dataclass
from functools import partial

import numpy as np
from numpy.typing import NDArray

from leadshift.risk.engine import (
    BLOCK,
    LOSS_BINS,
    ChunkSummary,
    Compiled,
    Counts,
    block_starts,
    run_chunk,
)
from leadshift.risk.histogram import BinnedSeries
from leadshift.risk.mixture import KeptShare, ValueLaw, product_cdf, product_quantiles
from leadshift.risk.scenario import (
    Mitigation,
    Range,
    Scenario,
    ScenarioError,
    ScenarioProblem,
    SimDriver,
    SimInitiative,
    SimObjective,
    SimRisk,
    SimTeam,
    check_scenario,
)

__all__ = [
    "FinishSummary",
    "InitiativeResult",
    "Mitigation",
    "MitigationValue",
    "ObjectiveResult",
    "Range",
    "Scenario",
    "ScenarioError",
    "ScenarioProblem",
    "SimDriver",
    "SimInitiative",
    "SimObjective",
    "SimRisk",
    "SimTeam",
    "SimulationResult",
    "TornadoBar",
    "ValueSummary",
    "check_scenario",
    "mitigation_value",
    "result_json",
    "simulate",
]

TOTAL_BINS = 4096
OBJECTIVE_BINS = 1024
DEFAULT_CHUNK = 2048
"""The most trials in one chunk (a unit of work for a thread, process or Dask worker).
Sums of floats are added random block by random block, so a seed's result is the same to
the last bit for any cut into chunks of whole blocks, whatever the number of workers; a
``chunk_size`` that cuts blocks may change the last digits of sums (means, tornado)."""
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class ValueSummary:
    mean: float
    std: float
    p10: float
    p50: float
    p90: float
    minimum: float
    maximum: float
    edges: tuple[float, ...]
    """Histogram bin edges (32 bins, for display)."""
    shares: tuple[float, ...]
    """Share of trials in each bin."""


@dataclass(frozen=True)
class FinishSummary:
    """Finish period indices; a value equal to ``cap`` means ``cap`` or later."""

    p50: int
    p80: int
    p90: int
    p_by_horizon: float
    """Probability of finishing by the last period."""
    counts: tuple[int, ...]
    """Trials finishing in period 0, 1, ... cap (the last one counts cap or later)."""
    cap: int


@dataclass(frozen=True)
class InitiativeResult:
    id: str
    planned_finish: int
    deadline: int | None
    p_deadline: float | None
    finish: FinishSummary
    value: ValueSummary


@dataclass(frozen=True)
class ObjectiveResult:
    id: str
    target: float | None
    p_reach: float | None
    """Probability that the objective's delivered value reaches its target."""
    finish: FinishSummary
    """When its last initiative finishes."""
    value: ValueSummary


@dataclass(frozen=True)
class TornadoBar:
    """How much one risk (or driver) moves the portfolio's delivered value."""

    id: str
    kind: str
    fired_share: float
    """Share of trials in which it fired."""
    mean_if_fired: float | None
    mean_if_not: float | None
    swing: float
    """``mean_if_not - mean_if_fired``: the value it costs when it happens."""
    correlation: float
    """Correlation of its firing with total value; its square is the share of the variance
    of total value that it explains on its own, which orders the tornado."""


@dataclass(frozen=True)
class SimulationResult:
    trials: int
    seed: int
    periods: tuple[str, ...]
    mitigated: frozenset[str]
    total_value: ValueSummary
    initiatives: tuple[InitiativeResult, ...]
    objectives: tuple[ObjectiveResult, ...]
    tornado: tuple[TornadoBar, ...]

    def initiative(self, initiative_id: str) -> InitiativeResult:
        for r in self.initiatives:
            if r.id == initiative_id:
                return r
        raise KeyError(initiative_id)

    def objective(self, objective_id: str) -> ObjectiveResult:
        for r in self.objectives:
            if r.id == objective_id:
                return r
        raise KeyError(objective_id)


class _Accumulator:
    def __init__(self, c: Compiled):
        self.c = c
        n, cap, m = c.n, c.finish_cap, len(c.objective_ids)
        self.finish_counts = np.zeros((n, cap + 1), dtype=np.int64)
        low, high = c.value_bounds()
        self.total = BinnedSeries(np.array([low.sum()]), np.array([high.sum()]), TOTAL_BINS)
        obj_low = np.array([low[mem].sum() for mem in c.objective_members])
        obj_high = np.array([high[mem].sum() for mem in c.objective_members])
        self.obj_values = BinnedSeries(obj_low, obj_high, OBJECTIVE_BINS)
        self.obj_finish = np.zeros((m, cap + 1), dtype=np.int64)
        self.obj_reach = np.zeros(m, dtype=np.int64)
        self.loss_counts = np.zeros((len(c.loss_rows), LOSS_BINS), dtype=np.int64)
        self.loss_sums = np.zeros((len(c.loss_rows), LOSS_BINS))
        self.risk_count = np.zeros(c.risks, dtype=np.int64)
        self.risk_sum = np.zeros(c.risks)
        self.driver_count = np.zeros(c.drivers, dtype=np.int64)
        self.driver_sum = np.zeros(c.drivers)
        self.trials = 0

    def add(self, chunk: ChunkSummary) -> None:
        """Add the next chunk (chunks come in trial order). Sums of floats are added random
        block by random block, so chunks made of whole blocks give the same result to the
        last bit however many there are."""
        blocks = block_starts(chunk.first_trial, chunk.trials)
        if not chunk.counted:
            self._add_counts(
                chunk.finish_counts,
                chunk.objective_finish_counts,
                chunk.objective_reach,
                chunk.loss_counts,
                chunk.risk_count,
                chunk.driver_count,
            )
        self.total.add(chunk.total[None, :], blocks)
        if len(self.c.objective_ids):
            self.obj_values.add(chunk.objective_values, blocks)
        if len(chunk.loss_sums):
            self.loss_sums += chunk.loss_sums
        for risks, drivers in zip(chunk.risk_sum, chunk.driver_sum, strict=True):
            self.risk_sum += risks
            self.driver_sum += drivers
        self.trials += chunk.trials

    def add_counts(self, counts: Counts) -> None:
        """Add a worker's counts (of the chunks it computed with ``into``), once, at the end."""
        self._add_counts(*counts.by_scenario(self.c).values())

    def _add_counts(
        self,
        finish: NDArray[np.int64],
        obj_finish: NDArray[np.int64],
        obj_reach: NDArray[np.int64],
        loss: NDArray[np.int64],
        risks: NDArray[np.int64],
        drivers: NDArray[np.int64],
    ) -> None:
        self.finish_counts += finish
        if len(self.c.objective_ids):
            self.obj_finish += obj_finish
            self.obj_reach += obj_reach
        self.loss_counts += loss
        self.risk_count += risks
        self.driver_count += drivers

    def kept_share(self) -> KeptShare:
        """The distribution of the share of value kept, per initiative (see mixture)."""
        c, n = self.c, self.trials
        on_time = self.finish_counts[:, : c.horizon].sum(axis=1) / n
        width = 1
        if len(c.loss_rows):
            width = max(1, int((self.loss_counts > 0).sum(axis=1).max()))
        values = np.zeros((c.n, width))
        probs = np.zeros((c.n, width))
        values[:, 0] = 1.0
        probs[:, 0] = on_time
        if len(c.loss_rows):
            # Each row hit by value losses: its bins in use, in order, one atom each.
            rows = np.asarray(c.loss_rows, dtype=np.intp)
            k, used = np.nonzero(self.loss_counts)
            first = np.searchsorted(k, np.arange(len(rows)))
            at = np.arange(len(k)) - first[k]
            counts = self.loss_counts[k, used]
            values[rows] = 0.0
            probs[rows] = 0.0
            if c.loss_by_code:
                values[rows[k], at] = c.loss_kept[k, used]
            else:
                values[rows[k], at] = self.loss_sums[k, used] / counts
            probs[rows[k], at] = counts / n
        return KeptShare(values, probs)


def _shares(counts: NDArray[np.int64], n: int, groups: int = 32) -> tuple[float, ...]:
    group = max(1, len(counts) // groups)
    return tuple(float(x) / max(n, 1) for x in counts.reshape(-1, group).sum(axis=1))


def _binned_summary(h: BinnedSeries, i: int) -> ValueSummary:
    group = max(1, h.bins // 32)
    return ValueSummary(
        mean=float(h.mean()[i]),
        std=float(h.std()[i]),
        p10=h.percentile(i, 0.10),
        p50=h.percentile(i, 0.50),
        p90=h.percentile(i, 0.90),
        minimum=float(h.minimum[i]),
        maximum=float(h.maximum[i]),
        edges=tuple(float(e) for e in h.edges(i)[::group]),
        shares=_shares(h.counts[i], h.n),
    )


def _initiative_values(c: Compiled, acc: _Accumulator) -> list[ValueSummary]:
    kept = acc.kept_share()
    law = ValueLaw(c.v_low, c.v_likely, c.v_high, c.v_is_pert)
    low, high = c.value_bounds()
    mean_v, mean_w = law.mean(), kept.mean()
    second = (law.variance() + mean_v**2) * kept.second_moment()
    std = np.sqrt(np.maximum(second - (mean_v * mean_w) ** 2, 0.0))
    edges = np.linspace(low, high, 33, axis=1)
    cum = product_cdf(law, kept, edges)
    # From the histogram's bin around it, 40 halvings leave a quantile within 2**-45 of the
    # range (the CDF is costly: PERT values need the incomplete beta function).
    q = product_quantiles(law, kept, (0.10, 0.50, 0.90), low, high, 40, (edges, cum.copy()))
    cum[:, 0] = 0.0
    cum[:, -1] = 1.0
    shares = np.diff(cum, axis=1)
    # The smallest and largest values delivered: each atom of W times low and high, and 0
    # when the initiative can be late.
    possible = kept.probs > 0
    ends = (kept.values * c.v_low[:, None], kept.values * c.v_high[:, None])
    lo_seen = np.where(possible, np.minimum(*ends), np.inf).min(axis=1)
    hi_seen = np.where(possible, np.maximum(*ends), -np.inf).max(axis=1)
    late = kept.p_zero > 0
    lo_seen = np.where(late, np.minimum(lo_seen, 0.0), lo_seen)
    hi_seen = np.where(late, np.maximum(hi_seen, 0.0), hi_seen)
    lo_seen[np.isinf(lo_seen)] = 0.0
    hi_seen[np.isinf(hi_seen)] = 0.0
    columns = zip(
        (mean_v * mean_w).tolist(),
        std.tolist(),
        q.tolist(),
        lo_seen.tolist(),
        hi_seen.tolist(),
        edges.tolist(),
        shares.tolist(),
        strict=True,
    )
    return [
        ValueSummary(
            mean=mean,
            std=sd,
            p10=qs[0],
            p50=qs[1],
            p90=qs[2],
            minimum=lo,
            maximum=hi,
            edges=tuple(e),
            shares=tuple(sh),
        )
        for mean, sd, qs, lo, hi, e, sh in columns
    ]


def _finish_summaries(counts: NDArray[np.int64], horizon: int, cap: int) -> list[FinishSummary]:
    """One summary per row of finish-period counts (as ``integer_quantile`` row by row)."""
    total = counts.sum(axis=1)
    cum = np.cumsum(counts, axis=1)

    def quantile(q: float) -> list[int]:
        # A tiny slack so that q * n landing exactly on a count boundary is not lost.
        return (cum < (q * cum[:, -1] - 1e-9)[:, None]).sum(axis=1).tolist()

    by_horizon = np.where(total > 0, counts[:, :horizon].sum(axis=1) / np.maximum(total, 1), 0.0)
    return [
        FinishSummary(p50=a, p80=b, p90=d, p_by_horizon=h, counts=tuple(row), cap=cap)
        for a, b, d, h, row in zip(
            quantile(0.50),
            quantile(0.80),
            quantile(0.90),
            by_horizon.tolist(),
            counts.tolist(),
            strict=True,
        )
    ]


def _tornado(acc: _Accumulator, c: Compiled) -> tuple[TornadoBar, ...]:
    n = acc.trials
    total_std = acc.total.std()[0]
    total_sum = acc.total.total[0]
    bars = []
    entries = [
        ("risk", r.id, acc.risk_count[k], acc.risk_sum[k]) for k, r in enumerate(c.scenario.risks)
    ]
    entries += [
        ("driver", d.id, acc.driver_count[k], acc.driver_sum[k])
        for k, d in enumerate(c.scenario.drivers)
    ]
    for kind, ident, count_, fired_sum in entries:
        count = int(count_)
        share = count / n if n else 0.0
        mean_fired = float(fired_sum / count) if count else None
        mean_not = float((total_sum - fired_sum) / (n - count)) if n - count else None
        swing = 0.0
        if mean_fired is not None and mean_not is not None:
            swing = mean_not - mean_fired
        corr = 0.0
        if total_std > 0 and 0 < count < n:
            corr = -swing * float(np.sqrt(share * (1 - share))) / float(total_std)
        bars.append(
            TornadoBar(
                id=ident,
                kind=kind,
                fired_share=share,
                mean_if_fired=mean_fired,
                mean_if_not=mean_not,
                swing=swing,
                correlation=float(np.clip(corr, -1.0, 1.0)),
            )
        )
    bars.sort(key=lambda b: (-abs(b.correlation), -abs(b.swing), b.id))
    return tuple(bars)


def simulate(
    scenario: Scenario,
    *,
    trials: int = 10_000,
    seed: int = 0,
    chunk_size: int | None = None,
    progress: Progress | None = None,
    mitigated: Iterable[str] = frozenset(),
    workers: int | None = None,
    executor: Executor | None = None,
    kernel: str = "compiled",
) -> SimulationResult:
    """Run ``trials`` trials of the scenario, ``chunk_size`` at a time.

    The same seed and number of trials give the same result whatever the number of worker
    threads, processes or Dask workers (chunks are added in trial order, sums block by
    block), and whatever the chunk size up to the last digits of sums. ``progress(done, total)`` is
    called after each chunk. Risks named in ``mitigated`` run with their mitigation applied.
    ``workers`` threads compute chunks side by side (numpy releases the GIL in the kernels);
    at most twice that many chunks are in memory at once. Default: one per core this process
    may run on (``available_cores``). By default the trials are cut by ``block_spans``
    (at most ``DEFAULT_CHUNK`` each, an even share per worker). ``executor`` (e.g. a Dask cluster's) computes the
    chunks instead, ``workers`` at a time; the result is the same, since each chunk's random
    numbers depend only on its trials. ``kernel`` is the trial loop: "compiled" (Numba) or
    "numpy", its reference (same draws and results, slower; see ``engine.run_chunk``).
    """
    if trials < 1:
        raise ValueError("trials must be at least 1")
    if chunk_size is not None and chunk_size < 1:
        raise ValueError("chunk_size must be at least 1")
    c = Compiled(scenario, mitigated)
    acc = _Accumulator(c)
    workers = workers or available_cores()
    if chunk_size is None:
        spans = block_spans(trials, workers)
    else:
        spans = [(first, min(chunk_size, trials - first)) for first in range(0, trials, chunk_size)]
    done = 0
    # Two chunks per worker in flight: a worker that finishes before the oldest chunk does
    # (which is the one collected next, to keep trial order) has the next one waiting.
    in_flight = 2 * workers

    # On this process's threads, each worker counts into its own Counts, added once at the
    # end (an executor's workers are elsewhere: their chunks bring their counts).
    own: list[Counts] = []
    local = threading.local()

    def here(first: int, count: int) -> ChunkSummary:
        counts = getattr(local, "counts", None)
        if counts is None:
            counts = local.counts = Counts(c)
            own.append(counts)
        return run_chunk(c, seed, first, count, kernel=kernel, into=counts)

    work: Callable[[int, int], ChunkSummary] = partial(run_chunk, c, seed, kernel=kernel)
    with ExitStack() as stack:
        pool = executor
        if pool is None:
            pool, work = stack.enter_context(ThreadPoolExecutor(max_workers=workers)), here
        pending: deque[Future[ChunkSummary]] = deque()
        for first, count in spans:
            pending.append(pool.submit(work, first, count))
            if len(pending) >= in_flight:
                done = _collect(acc, pending.popleft(), done, trials, progress)
        while pending:
            done = _collect(acc, pending.popleft(), done, trials, progress)
    for counts in own:
        acc.add_counts(counts)
    return _result(c, acc, seed)


def available_cores() -> int:
    """The cores this process may run on (its CPU affinity, e.g. under ``taskset`` or a
    container's limit), not every core the machine has."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def block_spans(trials: int, workers: int) -> list[tuple[int, int]]:
    """The chunks of a run, as (first trial, trials): whole random blocks, at most
    ``DEFAULT_CHUNK`` trials each, and as many chunks as that needs rounded up to a multiple
    of ``workers``, as even as whole blocks allow (larger ones first). Each worker then gets
    the same share: 10,000 trials cut into 2,048s would leave one of two workers idle for
    the fifth chunk, and a third of the run on one core. The result does not depend on
    the cut (sums go block by block, see ``_Accumulator.add``)."""
    blocks = -(-trials // BLOCK)
    units = -(-blocks // (DEFAULT_CHUNK // BLOCK))
    units = min(blocks, -(-units // max(workers, 1)) * max(workers, 1))
    base, extra = divmod(blocks, units)
    spans = []
    first = 0
    for u in range(units):
        count = min((base + (u < extra)) * BLOCK, trials - first)
        spans.append((first, count))
        first += count
    return spans


def chunk_for(trials: int, workers: int) -> int:
    """The largest chunk of ``block_spans``: ``DEFAULT_CHUNK``, or fewer so that every
    worker gets an even share, in whole random blocks (a block's draws are made whole
    whichever chunk holds it)."""
    blocks = -(-trials // BLOCK)
    units = len(block_spans(trials, workers))
    return -(-blocks // units) * BLOCK


def _collect(
    acc: _Accumulator,
    future: Future[ChunkSummary],
    done: int,
    trials: int,
    progress: Progress | None,
) -> int:
    chunk = future.result()
    acc.add(chunk)
    done += chunk.trials
    if progress is not None:
        progress(done, trials)
    return done


def _result(c: Compiled, acc: _Accumulator, seed: int) -> SimulationResult:
    s = c.scenario
    n = acc.trials
    values = _initiative_values(c, acc)
    finishes = _finish_summaries(acc.finish_counts, c.horizon, c.finish_cap)
    inits = []
    for i, x in enumerate(s.initiatives):
        p_deadline = None
        if x.deadline is not None:
            p_deadline = sum(finishes[i].counts[: x.deadline + 1]) / n
        inits.append(
            InitiativeResult(
                id=x.id,
                planned_finish=int(c.planned_finish[i]),
                deadline=x.deadline,
                p_deadline=p_deadline,
                finish=finishes[i],
                value=values[i],
            )
        )
    objectives = []
    obj_finishes = _finish_summaries(acc.obj_finish, c.horizon, c.finish_cap)
    for k, oid in enumerate(c.objective_ids):
        target = c.objective_targets[k]
        objectives.append(
            ObjectiveResult(
                id=oid,
                target=target,
                p_reach=None if target is None else float(acc.obj_reach[k] / n),
                finish=obj_finishes[k],
                value=_binned_summary(acc.obj_values, k),
            )
        )
    return SimulationResult(
        trials=n,
        seed=seed,
        periods=s.periods,
        mitigated=c.mitigated,
        total_value=_binned_summary(acc.total, 0),
        initiatives=tuple(inits),
        objectives=tuple(objectives),
        tornado=_tornado(acc, c),
    )


@dataclass(frozen=True)
class MitigationValue:
    """What mitigating one risk is worth, from the same trials run with and without it."""

    risk_id: str
    cost: float
    without: SimulationResult
    with_mitigation: SimulationResult
    mean_gain: float
    """Mean delivered value with the mitigation minus without."""
    p10_gain: float
    p50_gain: float
    p90_gain: float
    gain_per_cost: float | None
    deadline_gain: dict[str, float]
    """Initiative -> change in the probability of meeting its deadline (non-zero ones)."""
    objective_gain: dict[str, float]
    """Objective -> change in the probability of reaching its target (non-zero ones)."""


def mitigation_value(
    scenario: Scenario,
    risk_id: str,
    *,
    trials: int = 10_000,
    seed: int = 0,
    chunk_size: int | None = None,
    progress: Progress | None = None,
    mitigated: Iterable[str] = frozenset(),
    workers: int | None = None,
    executor: Executor | None = None,
) -> MitigationValue:
    """Simulate with and without the mitigation of ``risk_id`` on common random numbers.

    Both runs use the same seed, so every trial draws the same numbers and the difference
    is the mitigation's effect, not sampling noise. ``mitigated`` are other risks already
    mitigated in both runs.
    """
    base = frozenset(mitigated) - {risk_id}
    risk = next((r for r in scenario.risks if r.id == risk_id), None)
    if risk is None:
        raise ValueError(f"unknown risk {risk_id!r}")
    if risk.mitigation is None:
        raise ValueError(f"risk {risk_id!r} has no mitigation")

    def half(done: int, total: int, offset: int) -> None:
        if progress is not None:
            progress(offset + done, 2 * total)

    without = simulate(
        scenario,
        trials=trials,
        seed=seed,
        chunk_size=chunk_size,
        mitigated=base,
        progress=lambda d, t: half(d, t, 0),
        workers=workers,
        executor=executor,
    )
    with_m = simulate(
        scenario,
        trials=trials,
        seed=seed,
        chunk_size=chunk_size,
        mitigated=base | {risk_id},
        progress=lambda d, t: half(d, t, t),
        workers=workers,
        executor=executor,
    )
    deadline_gain = {}
    for a, b in zip(without.initiatives, with_m.initiatives, strict=True):
        if a.p_deadline is not None and b.p_deadline is not None and b.p_deadline != a.p_deadline:
            deadline_gain[a.id] = b.p_deadline - a.p_deadline
    objective_gain = {}
    for oa, ob in zip(without.objectives, with_m.objectives, strict=True):
        if oa.p_reach is not None and ob.p_reach is not None and ob.p_reach != oa.p_reach:
            objective_gain[oa.id] = ob.p_reach - oa.p_reach
    gain = with_m.total_value.mean - without.total_value.mean
    cost = risk.mitigation.cost
    return MitigationValue(
        risk_id=risk_id,
        cost=cost,
        without=without,
        with_mitigation=with_m,
        mean_gain=gain,
        p10_gain=with_m.total_value.p10 - without.total_value.p10,
        p50_gain=with_m.total_value.p50 - without.total_value.p50,
        p90_gain=with_m.total_value.p90 - without.total_value.p90,
        gain_per_cost=gain / cost if cost else None,
        deadline_gain=deadline_gain,
        objective_gain=objective_gain,
    )


def _period(periods: tuple[str, ...], index: int) -> str | None:
    return periods[index] if 0 <= index < len(periods) else None


def _finish_json(f: FinishSummary, periods: tuple[str, ...]) -> dict[str, object]:
    return {
        "p50": f.p50,
        "p80": f.p80,
        "p90": f.p90,
        "p50_period": _period(periods, f.p50),
        "p80_period": _period(periods, f.p80),
        "p90_period": _period(periods, f.p90),
        "p_by_horizon": f.p_by_horizon,
    }


def _value_json(v: ValueSummary) -> dict[str, object]:
    return {
        "mean": v.mean,
        "std": v.std,
        "p10": v.p10,
        "p50": v.p50,
        "p90": v.p90,
        "min": v.minimum,
        "max": v.maximum,
        "histogram": {"edges": list(v.edges), "shares": list(v.shares)},
    }


def result_json(result: SimulationResult) -> dict[str, object]:
    """The result as plain data: what ``leadshift simulate --json`` prints.

    Finish percentiles are period indices (0 = the first period) with the period's name
    alongside (null when beyond the horizon).
    """
    return {
        "trials": result.trials,
        "seed": result.seed,
        "periods": list(result.periods),
        "mitigated": sorted(result.mitigated),
        "value": _value_json(result.total_value),
        "initiatives": [
            {
                "id": r.id,
                "finish": _finish_json(r.finish, result.periods),
                "planned_finish": r.planned_finish,
                "deadline": r.deadline,
                "p_deadline": r.p_deadline,
                "value": _value_json(r.value),
            }
            for r in result.initiatives
        ],
        "objectives": [
            {
                "id": o.id,
                "target": o.target,
                "p_reach": o.p_reach,
                "finish": _finish_json(o.finish, result.periods),
                "value": _value_json(o.value),
            }
            for o in result.objectives
        ],
        "tornado": [
            {
                "id": b.id,
                "kind": b.kind,
                "fired_share": b.fired_share,
                "mean_if_fired": b.mean_if_fired,
                "mean_if_not": b.mean_if_not,
                "swing": b.swing,
                "correlation": b.correlation,
            }
            for b in result.tornado
        ],
    }
