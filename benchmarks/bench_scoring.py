"""The 360 scoring model against the plain mean, on organisations with a known truth.

Each organisation has known true levels (per person and capability) and known rater
leniency; scores are rounded and clipped to the levels 1-5, as real scores are. For the
mixed model, the plain mean of other raters, and the mean with the self-rating mixed in (what
many 360 tools show), it prints the error against the truth (RMSE), the share of 80 %
intervals that hold the truth (overall and for true levels at the ends of the scale, >= 4 or
<= 2), and the fit time. Then two more tables:

* one rater makes up a whole relationship group (the only stakeholder, rating all 80
  people, 1.5 levels severe): bias and coverage of the model and the plain mean;
* speed: CPU seconds of the model, of the previous exact solver (dense inverse of the rater
  equations, ``dense_limit`` above the raters) and of the plain mean, as organisations
  double, with the ratios side by side.

    PYTHONPATH=src python benchmarks/bench_scoring.py [--quick]
    taskset -c 1 python benchmarks/bench_scoring.py --speed 2000,20000 --repeats 3 --dense-up-to 0

``--against REV`` prints the speed table of a git revision's code beside this one's, run in
turn (A B A B) with the load average before each, so that a change is measured against its
baseline in the same session on a shared machine:

    PYTHONPATH=src taskset -c 1 python benchmarks/bench_scoring.py --speed 2000,20000 \
        --repeats 2 --dense-up-to 0 --against 2996d50
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

from leadshift.assessments.scoring import Rating, ScoringResult, fit_mean, fit_model
from leadshift.assessments.synthetic import SyntheticOrganisation, simulate_organisation


def _figures(result: ScoringResult, org: SyntheticOrganisation) -> tuple[float, float]:
    rmse, cover, _ends, _bias = _all_figures(result, org.true_level)
    return rmse, cover


def _all_figures(
    result: ScoringResult, truth_of: dict[tuple[str, str], float]
) -> tuple[float, float, float, float]:
    """RMSE, coverage, coverage at the ends of the scale, mean error."""
    errors, held, ends = [], [], []
    for s in result.subjects:
        if s.estimate is None or s.low is None or s.high is None:
            continue
        truth = truth_of[(s.subject, s.capability)]
        assert s.display_estimate is not None
        errors.append(s.display_estimate - truth)
        held.append(s.low <= truth <= s.high)
        ends.append(truth >= 4 or truth <= 2)
    h, e = np.array(held), np.array(ends)
    return (
        float(np.sqrt(np.mean(np.square(errors)))),
        float(h.mean()),
        float(h[e].mean()) if e.any() else float("nan"),
        float(np.mean(errors)),
    )


def one_rater_group(seeds: int) -> None:
    print("\none stakeholder rates all 80 people, 1.5 levels severe")
    print(f"{'seed':>4} {'method':<8} {'bias':>7} {'80% cover':>9} {'ends cover':>10}")
    for seed in range(seeds):
        org = simulate_organisation(80, stakeholders=0, seed=seed)
        rng = np.random.default_rng(seed + 100)
        board = [
            Rating(
                s,
                "board",
                "stakeholder",
                c,
                int(np.clip(np.rint(t - 1.5 + rng.normal(0, 0.5)), 1, 5)),
            )
            for (s, c), t in sorted(org.true_level.items())
        ]
        ratings = [*org.ratings, *board]
        for name, result in (
            ("model", fit_model(ratings, min_level=1, max_level=5)),
            ("mean", fit_mean(ratings, min_level=1, max_level=5)),
        ):
            _rmse, cover, ends, bias = _all_figures(result, org.true_level)
            print(f"{seed:>4} {name:<8} {bias:>+7.3f} {cover:>9.3f} {ends:>10.3f}")


def _cpu_seconds(
    fit: Callable[..., ScoringResult], ratings: list[Rating], repeats: int, **options: int
) -> tuple[float, ScoringResult]:
    """The least CPU time over ``repeats`` fits: on a shared machine the least is the one
    least disturbed by the others."""
    best, result = float("inf"), None
    for _ in range(repeats):
        t0 = time.process_time()
        result = fit(ratings, min_level=1, max_level=5, **options)
        best = min(best, time.process_time() - t0)
    assert result is not None
    return best, result


def speed(sizes: list[int], dense_up_to: int, repeats: int = 1) -> None:
    print(f"\nCPU seconds per fit as the organisation grows (least of {repeats})")
    print(
        f"{'people':>6} {'model s':>8} {'previous s':>10} {'mean s':>7} {'prev/model':>10} "
        f"{'model/mean':>10} {'growth':>7} {'RMSE model':>10} {'RMSE prev':>9} "
        f"{'cover model':>11} {'cover prev':>10}"
    )
    times: dict[int, float] = {}
    for n in sizes:
        org = simulate_organisation(n, seed=0)
        t_model, model = _cpu_seconds(fit_model, org.ratings, repeats)
        t_mean, _ = _cpu_seconds(fit_mean, org.ratings, repeats)
        rmse, cover = _figures(model, org)
        prev_cells = ["-", "-", "-", "-"]
        if n <= dense_up_to:
            t_prev, previous = _cpu_seconds(fit_model, org.ratings, repeats, dense_limit=10**9)
            p_rmse, p_cover = _figures(previous, org)
            prev_cells = [
                f"{t_prev:.2f}",
                f"{t_prev / t_model:.1f}x",
                f"{p_rmse:.4f}",
                f"{p_cover:.3f}",
            ]
        # Growth: the model's time against the previous size's, per the ratio of sizes.
        growth = "-"
        if times:
            last = max(times)
            growth = f"{t_model / times[last]:.1f}x/{n / last:.0f}x"
        times[n] = t_model
        print(
            f"{n:>6} {t_model:>8.2f} {prev_cells[0]:>10} {t_mean:>7.2f} {prev_cells[1]:>10} "
            f"{t_model / t_mean:>9.1f}x {growth:>7} {rmse:>10.4f} {prev_cells[2]:>9} "
            f"{cover:>11.3f} {prev_cells[3]:>10}"
        )
    if 2000 in times and 20000 in times:
        print(
            f"growth 2,000 -> 20,000 people: {times[20000] / times[2000]:.1f}x the time "
            "(linear: 10x)"
        )


def _severity_figures(result: ScoringResult, org: SyntheticOrganisation) -> tuple[float, float]:
    seen = [r for r in result.raters if r.n_subjects >= 3]
    est = np.array([r.severity for r in seen])
    true = np.array([-org.true_leniency[r.rater] for r in seen])
    return float(np.sqrt(np.mean((est - true) ** 2))), float(np.corrcoef(est, true)[0, 1])


def run(sizes: list[int], leniencies: list[float], seeds: int) -> None:
    header = (
        f"{'people':>6} {'len.sd':>6} {'seed':>4} {'method':<11} {'RMSE':>6} {'vs mean':>8} "
        f"{'80% cover':>9} {'ends':>5} {'fit s':>6} {'iters':>5}"
    )
    print(header)
    print("-" * len(header))
    summary: dict[tuple[int, float], list[tuple[float, float, float]]] = {}
    for n in sizes:
        for leniency in leniencies:
            for seed in range(seeds):
                org = simulate_organisation(n, leniency_sd=leniency, seed=seed)
                t0 = time.perf_counter()
                model = fit_model(org.ratings, min_level=1, max_level=5)
                t_model = time.perf_counter() - t0
                t0 = time.perf_counter()
                mean = fit_mean(org.ratings, min_level=1, max_level=5)
                t_mean = time.perf_counter() - t0
                with_self = fit_mean(org.ratings, min_level=1, max_level=5, include_self=True)
                rmse_mean, cover_mean = _figures(mean, org)
                rows = [
                    ("model", model, t_model, model.diagnostics.iterations),
                    ("mean", mean, t_mean, 0),
                    ("mean+self", with_self, t_mean, 0),
                ]
                for name, result, seconds, iterations in rows:
                    rmse, cover, ends, _bias = _all_figures(result, org.true_level)
                    gain = 100 * (1 - rmse / rmse_mean)
                    print(
                        f"{n:>6} {leniency:>6.1f} {seed:>4} {name:<11} {rmse:>6.3f} "
                        f"{gain:>+7.1f}% {cover:>9.3f} {ends:>5.2f} {seconds:>6.2f} {iterations:>5}"
                    )
                rmse_model, cover_model = _figures(model, org)
                sev_rmse, sev_corr = _severity_figures(model, org)
                print(
                    f"{'':>18} rater severity (raters of 3+ people): RMSE {sev_rmse:.3f}, "
                    f"correlation with truth {sev_corr:.3f}; raters {len(model.raters)}, "
                    f"ratings {model.diagnostics.n_ratings}"
                )
                summary.setdefault((n, leniency), []).append(
                    (1 - rmse_model / rmse_mean, cover_model, cover_mean)
                )
    print()
    print(
        f"{'people':>6} {'len.sd':>6} {'RMSE cut vs mean':>17} {'model cover':>11} "
        f"{'mean cover':>10}"
    )
    for (n, leniency), rows_ in summary.items():
        arr = np.array(rows_)
        print(
            f"{n:>6} {leniency:>6.1f} {100 * arr[:, 0].mean():>16.1f}% "
            f"{arr[:, 1].mean():>11.3f} {arr[:, 2].mean():>10.3f}"
        )


def against(revision: str, argv: list[str], rounds: int = 2) -> None:
    """The speed table of ``revision``'s code and of this tree's, alternated ``rounds``
    times, each run in a fresh process (this script, on the other code)."""
    repo = Path(__file__).resolve().parent.parent
    with tempfile.TemporaryDirectory() as tmp:
        archive = subprocess.run(
            ["git", "-C", str(repo), "archive", revision, "src"],
            check=True,
            capture_output=True,
        ).stdout
        subprocess.run(["tar", "-x", "-C", tmp], input=archive, check=True)
        for round_ in range(1, rounds + 1):
            for label, src in ((revision, Path(tmp) / "src"), ("this tree", repo / "src")):
                load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
                print(f"\n== {label}, round {round_} (load average {load})", flush=True)
                subprocess.run(
                    [sys.executable, __file__, *argv],
                    env={**os.environ, "PYTHONPATH": str(src)},
                    check=True,
                )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a small version in seconds")
    parser.add_argument(
        "--speed",
        metavar="SIZES",
        help="only the speed table, for these comma-separated numbers of people",
    )
    parser.add_argument("--repeats", type=int, default=1, help="fits per timing (least kept)")
    parser.add_argument(
        "--dense-up-to", type=int, default=4000, help="largest size fitted by the previous solver"
    )
    parser.add_argument(
        "--against",
        metavar="REV",
        help="with --speed: also time this git revision's code, alternating with this tree's",
    )
    args = parser.parse_args()
    if args.against and args.speed:
        argv = [a for a in sys.argv[1:] if not a.startswith("--against")]
        if args.against in argv:
            argv.remove(args.against)
        against(args.against, argv)
    elif args.speed:
        speed([int(n) for n in args.speed.split(",")], args.dense_up_to, args.repeats)
    elif args.quick:
        run([150], [0.6], 1)
        one_rater_group(1)
        speed([500, 1000], dense_up_to=1000)
    else:
        run([200, 2000], [0.5, 0.7], 2)
        one_rater_group(3)
        speed([1000, 2000, 4000, 8000, 20000], args.dense_up_to, args.repeats)


if __name__ == "__main__":
    main()
