"""The culture pulse: how often its 95% intervals hold the true mean, and how fast a large
organisation's pulse is released.

* Coverage: answers drawn on the 1-5 scale (a latent normal, rounded and clipped, as real
  Likert answers are) for groups of 3 to 50; the share of intervals holding the true mean,
  for the pulse's interval beside the plain t-interval and the normal interval
  (mean +- 1.96 SE) as baselines.
* Speed: `pulse_view` for an organisation of N people in teams of 8, against 12 earlier
  pulses' shown sets (the differencing checks), in milliseconds.

    PYTHONPATH=src python benchmarks/bench_pulse.py [--quick]
"""

from __future__ import annotations

import argparse
import random
import time

import numpy as np
from scipy import stats as scipy_stats

from leadshift.pulse.items import ITEM_IDS
from leadshift.pulse.stats import Response, interval, pulse_view


def coverage(n: int, trials: int, rng: np.random.Generator) -> tuple[float, float, float]:
    hits_p = hits_t = hits_z = 0
    for _ in range(trials):
        loc, scale = rng.uniform(2.0, 4.5), rng.uniform(0.6, 1.3)
        # The true mean of the rounded, clipped distribution, by a large draw.
        truth = float(np.clip(np.round(rng.normal(loc, scale, 5_000)), 1, 5).mean())
        sample = np.clip(np.round(rng.normal(loc, scale, n)), 1, 5)
        _, low, high = interval(sample.astype(int).tolist())
        hits_p += low <= truth <= high
        se, m = sample.std(ddof=1) / np.sqrt(n), sample.mean()
        t = scipy_stats.t.ppf(0.975, n - 1)
        hits_t += m - t * se <= truth <= m + t * se
        hits_z += m - 1.96 * se <= truth <= m + 1.96 * se
    return hits_p / trials, hits_t / trials, hits_z / trials


def organisation(n: int, earlier_pulses: int, seed: int = 0):
    rng = random.Random(seed)
    teams = {f"team-{t:03d}": [f"p{t:03d}-{i}" for i in range(8)] for t in range(n // 8)}
    people: dict[str, frozenset[str]] = {}
    responses = []
    for team, members in teams.items():
        answered = frozenset(m for m in members if rng.random() < 0.8)
        people[team] = answered
        responses += [
            Response(team, {i: rng.randint(1, 5) for i in ITEM_IDS}, "") for _ in answered
        ]
    earlier = []
    for _ in range(earlier_pulses):
        everyone = frozenset(m for members in teams.values() for m in members if rng.random() < 0.8)
        earlier.append(everyone)
        earlier += [frozenset(m for m in members if m in everyone) for members in teams.values()]
    return responses, people, earlier


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    rng = np.random.default_rng(7)
    trials = 300 if args.quick else 1500
    print(f"Coverage of 95% intervals ({trials} groups each)")
    print(f"{'n':>4}  {'pulse':>7}  {'plain t':>7}  {'normal (baseline)':>17}")
    for n in (3, 5, 8, 15, 30, 50):
        p_cov, t_cov, z_cov = coverage(n, trials, rng)
        print(f"{n:>4}  {100 * p_cov:>6.1f}%  {100 * t_cov:>6.1f}%  {100 * z_cov:>16.1f}%")
    print()
    print("Release speed: pulse_view with 12 earlier pulses' shown sets")
    print(f"{'people':>7}  {'shown sets':>10}  {'ms':>8}")
    for n in (400, 2000) if args.quick else (400, 2000, 8000):
        responses, people, earlier = organisation(n, 12)
        start = time.perf_counter()
        view = pulse_view(ITEM_IDS, responses, people, threshold=3, earlier=earlier)
        ms = 1000 * (time.perf_counter() - start)
        assert view.shown
        print(f"{n:>7}  {len(earlier):>10}  {ms:>8.1f}")


if __name__ == "__main__":
    main()
