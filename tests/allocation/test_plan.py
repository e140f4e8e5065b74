"""What a plan says: placements, utilisation, reasons for what is left out, marginal values."""

import json

import numpy as np
import pytest

from leadshift.allocation import allocate, baselines, plan_violations, result_json
from leadshift.allocation import optimiser as optimiser_module
from leadshift.allocation.problem import HorizonMix, Initiative, Portfolio, Team

PERIODS = ("Q1", "Q2")


def small():
    return Portfolio(
        periods=PERIODS,
        teams=(Team("platform", (10.0, 10.0)), Team("web", (8.0, 8.0))),
        initiatives=(
            Initiative("big", 50.0, {"platform": 10.0}, latest=1),
            Initiative("big2", 40.0, {"platform": 10.0}, latest=1),
            Initiative("small", 5.0, {"platform": 10.0}, latest=1),
            Initiative("follow", 9.0, {"web": 2.0}, after=("small",), latest=1),
            Initiative("site", 7.0, {"web": 4.0}, latest=1),
        ),
    )


def test_the_plan_places_initiatives_and_reports_utilisation():
    plan = allocate(small(), time_limit=10, gap=0)
    assert plan.status == "optimal"
    assert plan.objective == pytest.approx(50 + 40 + 7)
    assert set(plan.starts) == {"big", "big2", "site"}
    assert plan.utilisation["platform"]["Q1"].used == pytest.approx(10.0)
    assert plan.utilisation["platform"]["Q1"].share == pytest.approx(1.0)


def test_left_out_initiatives_name_the_capacity_or_rule_that_kept_them_out():
    plan = allocate(small(), time_limit=10, gap=0)
    reasons = {x.id: x for x in plan.left_out}
    assert reasons["small"].rule == "capacity"
    assert reasons["small"].team == "platform"
    assert (
        "team 'platform' has 0 of the 10 person-weeks it needs free in Q" in reasons["small"].reason
    )
    assert reasons["follow"].rule == "dependency"
    assert reasons["follow"].reason == "needs 'small', not in the plan"


def test_a_horizon_mix_reason_is_given_when_only_the_mix_keeps_one_out():
    p = Portfolio(
        periods=("Q1",),
        teams=(Team("a", (10.0,)),),
        initiatives=(
            Initiative("core1", 10.0, {"a": 4.0}, horizon="core"),
            Initiative("new1", 10.0, {"a": 4.0}, horizon="new"),
            Initiative("core2", 10.0, {"a": 1.0}, horizon="core"),
        ),
        horizon_mix=HorizonMix({"core": 0.5, "new": 0.5}, 0.05),
    )
    plan = allocate(p, time_limit=10, gap=0)
    assert set(plan.starts) == {"core1", "new1"}
    (out,) = plan.left_out
    assert out.rule == "horizon-mix"
    assert out.reason == "adding it: horizon 'core' would be 56% of effort, above 55%"


def test_marginal_value_is_the_lp_price_of_a_binding_team_and_zero_for_a_slack_one():
    plan = allocate(small(), time_limit=10, gap=0)
    assert plan.marginal_value is not None
    platform = plan.marginal_value["platform"]
    assert max(platform.values()) == pytest.approx(4.0)  # 'big2' is worth 40 for 10 weeks
    assert plan.marginal_value["web"] == {"Q1": 0.0, "Q2": 0.0}
    assert "dual" in plan.marginal_method


def test_result_json_has_the_fields_the_cli_prints_and_is_serialisable():
    plan = allocate(small(), time_limit=10, gap=0)
    doc = json.loads(json.dumps(result_json(plan)))
    assert doc["status"] == "optimal"
    assert doc["objective"] == pytest.approx(97.0)
    assert doc["bound"] == pytest.approx(97.0)
    assert doc["gap"] == pytest.approx(0.0)
    assert {s["id"]: s["start"] for s in doc["selected"]} == plan.starts
    assert {"utilisation", "left_out", "marginal_value", "log", "method"} <= set(doc)


def test_progress_reports_elapsed_time_incumbent_and_bound():
    seen = []
    allocate(small(), time_limit=10, progress=lambda *sample: seen.append(sample))
    assert seen
    elapsed, incumbent, bound = seen[-1]
    assert elapsed >= 0 and incumbent == pytest.approx(97.0) and bound == pytest.approx(97.0)


def test_a_baseline_method_can_be_asked_for_by_name():
    plan = allocate(small(), method="value-per-effort")
    assert plan.method == "value-per-effort" and plan.bound is None
    with pytest.raises(ValueError, match="unknown method"):
        allocate(small(), method="astrology")


def random_portfolio(n: int, teams: int, seed: int) -> Portfolio:
    rng = np.random.default_rng(seed)
    items = []
    for j in range(n):
        chosen = rng.choice(teams, size=int(rng.integers(1, 3)), replace=False)
        effort = {f"t{k}": float(rng.integers(1, 6)) for k in chosen}
        after = (f"i{int(rng.integers(0, j))}",) if j > 3 and rng.random() < 0.1 else ()
        items.append(
            Initiative(
                f"i{j}",
                float(rng.integers(1, 40)),
                effort,
                duration=(duration := int(rng.integers(1, 3))),
                after=after,
                latest=4 - duration,
                horizon=str(rng.choice(["core", "new"], p=[0.7, 0.3])),
            )
        )
    return Portfolio(
        periods=("Q1", "Q2", "Q3", "Q4"),
        teams=tuple(Team(f"t{k}", (12.0,) * 4) for k in range(teams)),
        initiatives=tuple(items),
        horizon_mix=HorizonMix({"core": 0.7, "new": 0.3}, 0.1),
    )


def test_the_neighbourhood_search_keeps_every_rule_and_beats_the_greedy_start(monkeypatch):
    monkeypatch.setattr(optimiser_module, "FULL_MIP_COLUMNS", 10)
    p = random_portfolio(150, 6, seed=3)
    plan = allocate(p, time_limit=4.0)
    assert plan.status in ("optimal", "feasible")
    assert plan_violations(p, plan.starts) == []
    best_greedy = max(b.objective for b in baselines(p).values() if b.status == "feasible")
    assert plan.objective >= best_greedy
    assert plan.gap is not None and plan.gap < 0.05


def test_the_score_and_sort_plan_is_reported_before_the_lp_bound():
    from pathlib import Path

    from leadshift.allocation import allocate, read_portfolio
    from leadshift.allocation.baselines import baselines

    example = Path(__file__).resolve().parents[2] / "docs" / "examples" / "portfolio.yaml"
    portfolio = read_portfolio(example)
    seen: list[tuple[float | None, float | None]] = []
    allocate(portfolio, time_limit=5, progress=lambda _t, inc, bound: seen.append((inc, bound)))
    first_value, first_bound = seen[0]
    assert first_bound is None
    assert first_value == max(p.objective for p in baselines(portfolio).values())


def test_a_plan_on_one_thread_after_one_on_two_in_the_same_process_is_still_proven():
    # HiGHS sizes one thread pool per process; a run asking for another size used to stop
    # unsolved and came back "time limit reached" at once.
    from pathlib import Path

    from leadshift.allocation import allocate, read_portfolio

    example = Path(__file__).resolve().parents[2] / "docs" / "examples" / "portfolio.yaml"
    portfolio = read_portfolio(example)
    plans = [allocate(portfolio, time_limit=30, threads=t) for t in (2, 1, 2)]
    assert [p.status for p in plans] == ["optimal"] * 3
    assert len({p.objective for p in plans}) == 1
