"""How the Monte Carlo simulation scales with worker threads, and why.

Run: PYTHONPATH=src python benchmarks/bench_simulation_threads.py [--quick] [--reps N]
     (under ``taskset -c 0,1`` for two cores; on an idle machine for the trials/s ratios)

Three measures, on 2,000 initiatives x 200 risks (``bench_simulation.portfolio``):

* **Serial fraction** (CPU seconds at 1 thread, so it holds on a loaded machine): the parts
  of a run outside the trial loop, timed one by one. Compiling the scenario and the
  summaries at the end run alone; Amdahl's law then bounds what 2 threads can give. Merging
  chunks runs on the calling thread beside the workers (it takes CPU from them on 2 cores).
  From the same CPU seconds, what 2 idle cores would give with the chunks cut as before and
  as now (each chunk to whichever worker is free first).
* **Per-thread efficiency**: CPU microseconds per trial inside the compiled loop with 1 and
  2 threads running it at once (thread CPU time). If it rose with 2 threads, the threads
  would be fighting over memory or cache lines; equal means they do not.
* **Trials per second** with 1 and 2 workers, for runs of 10,000 and 100,000 trials, with
  the chunks cut as before this work (2,048 trials each: 10,000 trials are 5 chunks, so one
  of two workers computes the fifth alone) and as now (``block_spans``: an even share per
  worker), alternating old and new in the same run, with the load average beside each.
  Wall-clock ratios only mean something when two cores are idle; "cores busy" (CPU over
  wall time) says whether the process got them.
"""

from __future__ import annotations

import argparse
import heapq
import os
import statistics
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from benchmarks.bench_simulation import BEFORE_SCALING, portfolio
from leadshift.risk.compiled import Compiled
from leadshift.risk.engine import Counts, run_chunk
from leadshift.risk.simulation import (
    DEFAULT_CHUNK,
    Scenario,
    _Accumulator,
    _result,
    block_spans,
    simulate,
)


def load() -> float:
    return os.getloadavg()[0]


def _parts(s: Scenario, trials: int) -> dict[str, float]:
    """CPU seconds of each part of one run on 1 thread, the parts done one by one."""
    seen: dict[str, float] = {}
    t = time.process_time()

    def tick(name: str) -> None:
        nonlocal t
        now = time.process_time()
        seen[name] = seen.get(name, 0.0) + now - t
        t = now

    c = Compiled(s)
    acc = _Accumulator(c)
    counts = Counts(c)
    tick("compile the scenario (alone)")
    for first, count in block_spans(trials, 1):
        # As ``simulate`` on threads: counts go to the worker's own.
        chunk = run_chunk(c, 1, first, count, into=counts)
        tick("trial loop and its chunk (workers)")
        acc.add(chunk)
        tick("merge the chunks (calling thread)")
    acc.add_counts(counts)
    tick("merge the chunks (calling thread)")
    _result(c, acc, 1)
    tick("summaries at the end (alone)")
    return seen


def serial_fraction(s: Scenario, trials: int, reps: int) -> None:
    """CPU seconds of each part of a 1-thread run, the median of ``reps`` runs."""
    parts: dict[str, list[float]] = {}
    for _ in range(reps):
        for name, value in _parts(s, trials).items():
            parts.setdefault(name, []).append(value)
    median = {name: statistics.median(values) for name, values in parts.items()}
    whole = sum(median.values())
    alone = sum(v for k, v in median.items() if "(alone)" in k)
    print(
        f"\n{trials:,} trials at 1 thread: CPU seconds by part (median of {reps}), load {load():.1f}"
    )
    for name, value in median.items():
        print(f"  {name:<40} {value:7.3f}  {value / whole:6.1%}")
    f = alone / whole
    print(f"  serial fraction {f:.3f}: Amdahl bounds 2 threads at {1 / (f + (1 - f) / 2):.2f}x")
    loop = median["trial loop and its chunk (workers)"]
    merge = median["merge the chunks (calling thread)"]
    before = [min(DEFAULT_CHUNK, trials - f) for f in range(0, trials, DEFAULT_CHUNK)]
    now = [n for _, n in block_spans(trials, 2)]
    for label, cut in (("2,048 each (before)", before), ("block_spans (now)", now)):
        # Chunks go, in order, to whichever of the 2 workers is free first.
        free = [0.0, 0.0]
        for n in cut:
            heapq.heapreplace(free, free[0] + loop * n / trials)
        two = alone + max(max(free), (loop + merge) / 2)
        print(f"  2 idle cores would give {whole / two:.2f}x with {len(cut)} chunks cut {label}")


def kernel_efficiency(s: Scenario, chunks: int, reps: int) -> None:
    """CPU microseconds per trial inside the compiled loop, 1 thread alone vs 2 at once."""
    c = Compiled(s)
    run_chunk(c, 1, 0, 128)

    def work(index: int, out: list[float]) -> None:
        cpu = 0.0
        for k in range(chunks):
            first = (index * chunks + k) * DEFAULT_CHUNK
            t0 = time.thread_time()
            run_chunk(c, 1, first, DEFAULT_CHUNK)
            cpu += time.thread_time() - t0
        out[index] = cpu

    per: dict[int, list[float]] = {1: [], 2: []}
    for _ in range(reps):
        for n in (1, 2):
            out = [0.0] * n
            threads = [threading.Thread(target=work, args=(i, out)) for i in range(n)]
            for th in threads:
                th.start()
            for th in threads:
                th.join()
            per[n].append(sum(out) / (n * chunks * DEFAULT_CHUNK) * 1e6)
    one, two = statistics.median(per[1]), statistics.median(per[2])
    print(f"\ntrial loop, CPU us per trial (thread time, median of {reps}), load {load():.1f}")
    print(f"  1 thread {one:6.2f}   2 threads at once {two:6.2f}   ratio {two / one:.2f}")


def throughput(s: Scenario, sizes: tuple[int, ...], reps: int) -> None:
    print(
        f"\n{'trials':>8} {'cut':>6} {'workers':>7} {'trials/s':>9} {'vs 1':>6} "
        f"{'cores busy':>10} {'chunks':>6} {'load':>5}"
    )
    for trials in sizes:
        best: dict[tuple[str, int], tuple[float, float]] = {}
        for _ in range(reps):
            for cut in ("before", "now"):
                for workers in (1, 2):
                    chunk = DEFAULT_CHUNK if cut == "before" else None
                    t0, c0 = time.perf_counter(), time.process_time()
                    simulate(s, trials=trials, seed=1, workers=workers, chunk_size=chunk)
                    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
                    rate = trials / wall
                    if rate > best.get((cut, workers), (0.0, 0.0))[0]:
                        best[(cut, workers)] = (rate, cpu / wall)
        for cut in ("before", "now"):
            base = best[(cut, 1)][0]
            for workers in (1, 2):
                rate, busy = best[(cut, workers)]
                n = (
                    -(-trials // DEFAULT_CHUNK)
                    if cut == "before"
                    else len(block_spans(trials, workers))
                )
                print(
                    f"{trials:>8,} {cut:>6} {workers:>7} {rate:>9,.0f} {rate / base:>5.2f}x "
                    f"{busy:>10.2f} {n:>6} {load():>5.1f}"
                )
    print(f"(2 workers over 1 before this work, idle machine, 10,000 trials: {BEFORE_SCALING}x)")


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--quick", action="store_true", help="a small run that takes seconds")
    ap.add_argument("--reps", type=int, default=3, help="runs of each measure (best/median)")
    args = ap.parse_args(argv)
    if args.quick:
        n, r, sizes, chunks = 200, 20, (2_000, 10_000), 2
    else:
        n, r, sizes, chunks = 2_000, 200, (10_000, 100_000), 8
    s = portfolio(n, r)
    print(f"portfolio: {n} initiatives, {r} risks; {os.cpu_count()} cores, load {load():.1f}")
    simulate(s, trials=1_000, seed=1)
    for trials in sizes:
        serial_fraction(s, trials, args.reps)
    kernel_efficiency(s, chunks, args.reps)
    throughput(s, sizes, args.reps)
    print(f"load average after: {load():.1f}")


if __name__ == "__main__":
    main()
