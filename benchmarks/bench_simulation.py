"""Speed and memory of the Monte Carlo simulation on a large portfolio.

Run: PYTHONPATH=src python benchmarks/bench_simulation.py [--quick] [--no-baseline]
     (under ``taskset -c 1`` for one core, ``taskset -c 0,1`` for two)

Every figure is printed beside the numpy trial loop's (the kernel before the compiled one,
``kernel="numpy"``: same draws, same results) measured in the same run, so that the ratio
holds whatever else loads the machine. Trials per second are wall-clock; CPU microseconds
per trial, summed over threads, show the work itself; the load average is printed with
each figure. The compiled loop's cold start (Numba compiling it, once per machine and code
version) and warm start (loading it from the cache) are timed in fresh processes.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc

import numpy as np

from leadshift.risk.compiled import Compiled
from leadshift.risk.engine import run_chunk
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

TARGET_TRIALS_PER_S = 60_000
TARGET_MIB = 200
BEFORE_TRIALS_PER_S = 3_663
"""The engine before the speed work, measured under heavy load (189 MiB RSS)."""
BEFORE_SCALING = 1.31
"""2 worker threads over 1 at 10,000 trials before the even cut per worker (commit 2996d50,
idle machine)."""


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


def measure(s: Scenario, trials: int, *, trace: bool, **kw: object) -> tuple[float, float, float]:
    """(trials per second of wall time, CPU microseconds per trial, peak traced MiB).

    CPU time counts every thread, so it shows the work done whatever else loads the machine.
    """
    if trace:
        tracemalloc.start()
    t0, c0 = time.perf_counter(), time.process_time()
    simulate(s, trials=trials, seed=1, **kw)  # type: ignore[arg-type]
    elapsed, cpu = time.perf_counter() - t0, time.process_time() - c0
    peak = 0.0
    if trace:
        peak = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
    return trials / elapsed, cpu / trials * 1e6, peak


def load() -> float:
    return os.getloadavg()[0]


def scaling(s: Scenario, sizes: tuple[int, ...], kernels: tuple[str, ...]) -> None:
    """Trials per second as worker threads are added, beside one worker in the same run.

    "cores busy" is CPU time over wall time: when it stays flat as threads are added, the
    process got no more CPU (a loaded machine, or a CPU share per container), whereas a
    lock serialising the threads would keep it at or under 1 whatever the machine gave.
    The compiled loop is measured on both run sizes: on the small one the parts of a run
    that go alone (compiling the scenario, the summaries) bound the gain (Amdahl; see
    bench_simulation_threads.py for the serial fraction)."""
    cores = available_cores()
    counts = sorted({1, 2, cores, 2 * cores})
    print(f"\nworker threads ({cores} cores available to this process)")
    print(
        f"{'kernel':>8} {'trials':>8} {'workers':>7} {'trials/s':>9} {'vs 1':>6} "
        f"{'CPU us/trial':>12} {'cores busy':>10} {'load':>5}"
    )
    for kernel in kernels:
        for trials in sizes if kernel == "compiled" else sizes[:1]:
            base = 0.0
            for w in counts:
                rate, cpu_us, _ = measure(s, trials, trace=False, workers=w, kernel=kernel)
                base = base or rate
                print(
                    f"{kernel:>8} {trials:>8,} {w:>7} {rate:>9,.0f} {rate / base:>5.2f}x "
                    f"{cpu_us:>12.1f} {rate * cpu_us * 1e-6:>10.2f} {load():>5.1f}"
                )
    print(f"(before this work, idle, 10,000 trials: 2 workers {BEFORE_SCALING}x 1 worker)")


_START = """
import sys, time
sys.path.insert(0, {bench!r})
from bench_simulation import portfolio
from leadshift.risk.simulation import simulate
s = portfolio(50, 10)
c0 = time.process_time()
simulate(s, trials=256, seed=1, workers=1)
print(time.process_time() - c0)
"""


def start_up() -> None:
    """CPU seconds of a fresh process's first simulation: cold (empty Numba cache, so the
    loop is compiled) and warm (loaded from the cache the cold run wrote)."""
    code = _START.format(bench=os.path.dirname(os.path.abspath(__file__)))
    with tempfile.TemporaryDirectory() as cache:
        env = dict(os.environ, NUMBA_CACHE_DIR=cache)
        for label in ("cold (compiles)", "warm (cached)"):
            out = subprocess.run(
                [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
            )
            cpu = float(out.stdout.strip().splitlines()[-1])
            print(
                f"first simulation in a fresh process, {label}: {cpu:5.1f} s CPU  load {load():.1f}"
            )


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--quick", action="store_true", help="a small run that takes seconds")
    ap.add_argument(
        "--no-baseline", action="store_true", help="skip the numpy loop (it is ~3x slower)"
    )
    ap.add_argument("--no-start-up", action="store_true", help="skip the cold/warm start")
    args = ap.parse_args(argv)
    if args.quick:
        n, r, sizes = 200, 20, (2_000, 10_000)
    else:
        n, r, sizes = 2_000, 200, (10_000, 100_000)
    kernels = ("compiled",) if args.no_baseline else ("compiled", "numpy")
    s = portfolio(n, r)
    print(f"portfolio: {n} initiatives, {r} risks, {len(s.drivers)} drivers, {s.horizon} periods")
    print(f"load average before: {load():.1f} on {os.cpu_count()} cores")
    if not args.no_start_up:
        start_up()
    for kernel in kernels:
        simulate(s, trials=1_000, seed=1, kernel=kernel)
    rows = []
    compiled = Compiled(s)
    kernel_us: dict[str, float] = {}
    for kernel in kernels:
        # The loop alone, without compiling the scenario or summarising the result.
        c0 = time.process_time()
        run_chunk(compiled, 1, 0, sizes[0], kernel=kernel)
        kernel_us[kernel] = (time.process_time() - c0) / sizes[0] * 1e6
        rows.append(
            (
                f"trial loop alone, {kernel}: CPU us per trial",
                f"{kernel_us[kernel]:,.1f}",
                "",
                load(),
            )
        )
    if len(kernel_us) > 1:
        ratio = kernel_us["numpy"] / kernel_us["compiled"]
        rows.append(("trial loop alone: numpy / compiled CPU", f"{ratio:.2f}x", "", load()))
    for trials in sizes:
        rates: dict[str, float] = {}
        for kernel in kernels:
            if kernel != "compiled" and trials > sizes[0]:
                continue
            rate, cpu_us, _ = measure(s, trials, trace=False, kernel=kernel)
            rates[kernel] = rate
            rows += [
                (
                    f"{trials:,} trials, {kernel}: trials per second",
                    f"{rate:,.0f}",
                    f">= {TARGET_TRIALS_PER_S:,}" if kernel == "compiled" else "",
                    load(),
                ),
                (f"{trials:,} trials, {kernel}: CPU us per trial", f"{cpu_us:,.1f}", "", load()),
                (
                    f"{trials:,} trials, {kernel}: of which outside the loop",
                    f"{cpu_us - kernel_us[kernel]:,.1f}",
                    "",
                    load(),
                ),
            ]
        if len(rates) > 1:
            ratio = rates["compiled"] / rates["numpy"]
            rows.append((f"{trials:,} trials: compiled / numpy", f"{ratio:.2f}x", "", load()))
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        _, _, traced = measure(s, trials, trace=True)
        rows += [
            (f"{trials:,} trials: peak RSS (MiB)", f"{rss:,.0f}", f"< {TARGET_MIB}", load()),
            (f"{trials:,} trials: peak traced (MiB)", f"{traced:,.1f}", "flat", load()),
        ]
    rows.append(("before the speed work: trials per second", f"{BEFORE_TRIALS_PER_S:,}", "", 0.0))
    w = max(len(a) for a, _, _, _ in rows)
    print(f"{'measure':<{w}}  {'here':>10}  {'load':>5}  target")
    for a, b, c, ld in rows:
        print(f"{a:<{w}}  {b:>10}  {ld:>5.1f}  {c}")
    scaling(s, sizes, kernels)
    print(f"load average after: {load():.1f}")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
