"""Sweep benchmark: variants per second of a capacity grid over a seeded portfolio, run one by
one in this process (the baseline), then over 1 and 2 local processes and an in-process Dask
cluster of two workers. Every way gives the same table when every variant's solve ends by
proof (status optimal); a variant stopped by its time limit has the best plan found in that
time, which depends on the machine's speed, so the comparison says how many were.

    PYTHONPATH=src python benchmarks/bench_sweep.py                 # 30 initiatives, 17 variants
    PYTHONPATH=src python benchmarks/bench_sweep.py --initiatives 200 --teams 8   # time-limited
    PYTHONPATH=src python benchmarks/bench_sweep.py --trials 2000   # each variant simulated too
"""

from __future__ import annotations

import argparse
import time
from typing import Any

import numpy as np

from leadshift.allocation.sweep import run_sweep, sweep_from_document
from leadshift.files import Document
from leadshift.scale.fanout import fanout

PERIODS = ["Q1", "Q2", "Q3", "Q4"]


def portfolio(n: int, teams: int, seed: int = 0) -> dict[str, Any]:
    """``n`` initiatives over ``teams`` teams asking about twice the capacity they have."""
    rng = np.random.default_rng(seed)
    names = [f"team-{t:02d}" for t in range(teams)]
    items = []
    for j in range(n):
        chosen = rng.choice(teams, size=int(rng.integers(1, 3)), replace=False)
        effort = {names[int(t)]: float(np.round(rng.lognormal(1.0, 0.5), 1)) for t in chosen}
        low = float(np.round(rng.uniform(5, 60), 1))
        item: dict[str, Any] = {
            "id": f"i{j:04d}",
            "value": {"low": low, "likely": round(low * 1.5, 1), "high": round(low * 3, 1)},
            "effort": effort,
            "duration": 1 if rng.random() < 0.8 else 2,
        }
        if j > 10 and rng.random() < 0.1:
            item["after"] = [f"i{int(rng.integers(0, j)):04d}"]
        items.append(item)
    asked = sum(sum(i["effort"].values()) * i["duration"] for i in items)
    cap = round(asked / (2 * teams * len(PERIODS)), 1)
    return {
        "periods": PERIODS,
        "teams": [{"id": t, "capacity": cap} for t in names],
        "initiatives": items,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--initiatives", type=int, default=30)
    ap.add_argument("--teams", type=int, default=4)
    ap.add_argument("--grid-teams", type=int, default=4, help="teams the grid varies")
    ap.add_argument("--percent", type=float, nargs="+", default=[-20, -10, 10, 20])
    ap.add_argument("--trials", type=int, default=0)
    ap.add_argument("--time-limit", type=float, default=10)
    args = ap.parse_args()

    base = portfolio(args.initiatives, args.teams)
    spec: dict[str, Any] = {
        "time_limit": args.time_limit,
        "grid": {
            "teams": [t["id"] for t in base["teams"][: args.grid_teams]],
            "percent": args.percent,
        },
    }
    if args.trials:
        spec["simulate"] = {"trials": args.trials, "seed": 1}
    sweep = sweep_from_document(Document(spec, "bench"), base)
    n = len(sweep.variants)
    print(
        f"{args.initiatives} initiatives, {args.teams} teams; {n} variants "
        f"(the base included){', each simulated ' + str(args.trials) + ' trials' if args.trials else ''}"
    )

    def timed(label: str, executor: Any = None, in_flight: int = 1) -> tuple[float, list[Any]]:
        t0 = time.perf_counter()
        table = run_sweep(base, sweep, executor=executor, in_flight=in_flight)
        s = time.perf_counter() - t0
        print(f"  {label:<34} {s:7.2f} s  {n / s:6.2f} variants/s")
        return s, table

    one_by_one, reference = timed("one by one, this process (baseline)")
    results = {}
    for procs in (1, 2):
        with fanout("", processes=procs) as here:
            # Start the pool's processes before timing: a worker keeps its pool between sweeps.
            list(here.executor.map(abs, range(procs)))  # type: ignore[union-attr]
            results[f"{procs} local process{'es' if procs > 1 else ''}"] = timed(
                f"{procs} local process{'es' if procs > 1 else ''}", here.executor, here.workers
            )
    from distributed import LocalCluster

    with (
        LocalCluster(
            n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None
        ) as cluster,
        fanout(cluster.scheduler_address) as there,
    ):
        results["Dask, 2 in-process workers"] = timed(
            "Dask, 2 in-process workers", there.executor, there.workers
        )

    def plans(table: list[Any]) -> list[Any]:
        # A solve that ends near its time limit may be "optimal" one time and "time limit
        # reached" the next with the same plan: the plans and values are what must agree.
        return [(r.name, r.value, r.starts, r.delivered_p50) for r in table]

    stopped = sum(r.status != "optimal" for r in reference)
    for label, (s, table) in results.items():
        same = "the same plans" if plans(table) == plans(reference) else "different plans"
        print(f"  {label:<34} {one_by_one / s:5.2f}x the baseline, {same}")
    if stopped:
        print(
            f"  ({stopped} of {n} variants stopped at the time limit: their plans depend on speed)"
        )


if __name__ == "__main__":
    main()
