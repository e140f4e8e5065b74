"""The 360 scoring model against the plain mean, on organisations with a known truth.

Each organisation has known true levels (per person and capability) and known rater
leniency; scores are rounded and clipped to the levels 1-5, as real scores are. For the
mixed model, the plain mean of other raters, and the mean with the self-rating mixed in (what
many 360 tools show), it prints the error against the truth (RMSE), the share of 80 %
intervals that hold the truth, and the fit time.

    PYTHONPATH=src python benchmarks/bench_scoring.py [--quick]
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from leadshift.assessments.scoring import ScoringResult, fit_mean, fit_model
from leadshift.assessments.synthetic import SyntheticOrganisation, simulate_organisation


def _figures(result: ScoringResult, org: SyntheticOrganisation) -> tuple[float, float]:
    errors, held = [], []
    for s in result.subjects:
        if s.estimate is None or s.low is None or s.high is None:
            continue
        truth = org.true_level[(s.subject, s.capability)]
        assert s.display_estimate is not None
        errors.append(s.display_estimate - truth)
        held.append(s.low <= truth <= s.high)
    return float(np.sqrt(np.mean(np.square(errors)))), float(np.mean(held))


def _severity_figures(result: ScoringResult, org: SyntheticOrganisation) -> tuple[float, float]:
    seen = [r for r in result.raters if r.n_subjects >= 3]
    est = np.array([r.severity for r in seen])
    true = np.array([-org.true_leniency[r.rater] for r in seen])
    return float(np.sqrt(np.mean((est - true) ** 2))), float(np.corrcoef(est, true)[0, 1])


def run(sizes: list[int], leniencies: list[float], seeds: int) -> None:
    header = (
        f"{'people':>6} {'len.sd':>6} {'seed':>4} {'method':<11} {'RMSE':>6} {'vs mean':>8} "
        f"{'80% cover':>9} {'fit s':>6} {'iters':>5}"
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
                    rmse, cover = _figures(result, org)
                    gain = 100 * (1 - rmse / rmse_mean)
                    print(
                        f"{n:>6} {leniency:>6.1f} {seed:>4} {name:<11} {rmse:>6.3f} "
                        f"{gain:>+7.1f}% {cover:>9.3f} {seconds:>6.2f} {iterations:>5}"
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a small version in seconds")
    args = parser.parse_args()
    if args.quick:
        run([150], [0.6], 1)
    else:
        run([200, 2000], [0.5, 0.7], 2)


if __name__ == "__main__":
    main()
