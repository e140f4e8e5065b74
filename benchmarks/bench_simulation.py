"""Speed and memory of the Monte Carlo simulation on a large portfolio.

Run: PYTHONPATH=src python benchmarks/bench_simulation.py [--quick]

Trials per second are wall-clock and depend on what else runs on the machine (the load
average is printed before and after); CPU microseconds per trial, summed over threads,
show the work itself.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import time
import tracemalloc

import numpy as np

from leadshift.risk.simulation import (
    Mitigation,
    Range,
    Scenario,
    SimDriver,
    SimInitiative,
    SimObjective,
    SimRisk,
    SimTeam,
    available_cores,
    simulate,
)

TARGET_TRIALS_PER_S = 30_000
TARGET_MIB = 200
BEFORE_TRIALS_PER_S = 3_663
"""The engine before the speed work, measured under heavy load (189 MiB RSS)."""


def portfolio(initiatives: int, risks: int, *, seed: int = 7) -> Scenario:
    """A plan of record with random ranges, dependencies, deadlines, drivers and risks."""
    rng = np.random.default_rng(seed)
    horizon = 12
    periods = tuple(f"P{k + 1}" for k in range(horizon))
    teams = tuple(SimTeam(f"team-{k}", (400.0,) * horizon) for k in range(40))
    objectives = [f"obj-{k}" for k in range(20)]
    inits = []
    for i in range(initiatives):
        duration = int(rng.integers(1, 4))
        start = int(rng.integers(0, horizon - duration))
        likely = float(rng.uniform(10, 100))
        value = Range(likely * 0.6, likely, likely * 1.5, "pert" if i % 10 == 0 else "triangular")
        effort = {}
        for t in rng.choice(len(teams), size=int(rng.integers(1, 3)), replace=False):
            e = float(rng.uniform(1, 8))
            effort[teams[int(t)].id] = Range(e * 0.8, e, e * 1.6)
        # Depend only on earlier initiatives so the graph has no cycle.
        after: tuple[str, ...] = ()
        if i > 10 and rng.random() < 0.3:
            after = tuple(
                f"i{int(j)}" for j in rng.choice(i, size=int(rng.integers(1, 3)), replace=False)
            )
        deadline = min(horizon - 1, start + duration) if rng.random() < 0.5 else None
        inits.append(
            SimInitiative(
                id=f"i{i}",
                value=value,
                effort=effort,
                duration=duration,
                start_period=start,
                after=after,
                deadline=deadline,
                objectives=(objectives[i % len(objectives)],),
            )
        )
    drivers = tuple(SimDriver(f"driver-{k}", float(rng.uniform(0.05, 0.3))) for k in range(10))
    risk_list = []
    for k in range(risks):
        hit = tuple(
            f"i{int(j)}"
            for j in rng.choice(initiatives, size=int(rng.integers(1, 11)), replace=False)
        )
        first = next(x for x in inits if x.id == hit[0])
        risk_list.append(
            SimRisk(
                id=f"risk-{k}",
                probability=float(rng.uniform(0.05, 0.4)),
                initiatives=hit,
                delay_periods=float(rng.integers(0, 3)),
                value_loss_share=float(rng.uniform(0, 0.3)),
                extra_effort={team: 0.25 for team in first.effort} if k % 3 == 0 else {},
                driver=drivers[k % len(drivers)].id if k % 4 == 0 else None,
                mitigation=Mitigation(cost=10.0, probability_after=0.05, impact_factor=0.5),
            )
        )
    objs = tuple(SimObjective(o, 5000.0, ()) for o in objectives)
    return Scenario(periods, teams, tuple(inits), tuple(risk_list), drivers, objs)


def measure(s: Scenario, trials: int, *, trace: bool) -> tuple[float, float, float]:
    """(trials per second of wall time, CPU microseconds per trial, peak traced MiB).

    CPU time counts every thread, so it shows the work done whatever else loads the machine.
    """
    if trace:
        tracemalloc.start()
    t0, c0 = time.perf_counter(), time.process_time()
    simulate(s, trials=trials, seed=1)
    elapsed, cpu = time.perf_counter() - t0, time.process_time() - c0
    peak = 0.0
    if trace:
        peak = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
    return trials / elapsed, cpu / trials * 1e6, peak


def scaling(s: Scenario, trials: int) -> None:
    """Trials per second as worker threads are added, beside one worker in the same run."""
    cores = available_cores()
    counts = sorted({1, 2, cores, 2 * cores})
    print(f"\nworker threads ({cores} cores available to this process)")
    print(f"{'workers':>7} {'trials/s':>9} {'vs 1':>6} {'CPU us/trial':>12} {'load':>5}")
    base = 0.0
    for w in counts:
        t0, c0 = time.perf_counter(), time.process_time()
        simulate(s, trials=trials, seed=1, workers=w)
        elapsed, cpu = time.perf_counter() - t0, time.process_time() - c0
        rate = trials / elapsed
        base = base or rate
        print(
            f"{w:>7} {rate:>9,.0f} {rate / base:>5.2f}x {cpu / trials * 1e6:>12.1f} "
            f"{os.getloadavg()[0]:>5.1f}"
        )


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--quick", action="store_true", help="a small run that takes seconds")
    args = ap.parse_args(argv)
    if args.quick:
        n, r, sizes = 200, 20, (2_000, 10_000)
    else:
        n, r, sizes = 2_000, 200, (10_000, 100_000)
    s = portfolio(n, r)
    print(f"portfolio: {n} initiatives, {r} risks, {len(s.drivers)} drivers, {s.horizon} periods")
    print(f"load average before: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    simulate(s, trials=1_000, seed=1)
    rows = []
    for trials in sizes:
        rate, cpu_us, _ = measure(s, trials, trace=False)
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        _, _, traced = measure(s, trials, trace=True)
        rows += [
            (
                f"{trials:,} trials: trials per second",
                f"{rate:,.0f}",
                f">= {TARGET_TRIALS_PER_S:,}",
            ),
            (f"{trials:,} trials: CPU us per trial", f"{cpu_us:,.1f}", "(all threads)"),
            (f"{trials:,} trials: peak RSS (MiB)", f"{rss:,.0f}", f"< {TARGET_MIB}"),
            (f"{trials:,} trials: peak traced (MiB)", f"{traced:,.1f}", "flat"),
        ]
    rows.append(("before this engine: trials per second", f"{BEFORE_TRIALS_PER_S:,}", ""))
    w = max(len(a) for a, _, _ in rows)
    print(f"{'measure':<{w}}  {'here':>10}  target")
    for a, b, c in rows:
        print(f"{a:<{w}}  {b:>10}  {c}")
    scaling(s, sizes[0])
    print(f"load average after: {os.getloadavg()[0]:.1f}")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
