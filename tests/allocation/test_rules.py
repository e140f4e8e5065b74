"""On small random portfolios: every plan keeps every rule, and the optimiser is truly optimal."""

import itertools

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from leadshift.allocation import allocate, baselines, plan_violations
from leadshift.allocation.problem import HorizonMix, Initiative, Portfolio, Team


@st.composite
def portfolios(draw):
    nper = draw(st.integers(1, 3))
    periods = tuple(f"P{t}" for t in range(nper))
    nteam = draw(st.integers(1, 3))
    teams = tuple(
        Team(f"t{k}", tuple(draw(st.integers(0, 12)) * 1.0 for _ in periods)) for k in range(nteam)
    )
    items = []
    for j in range(draw(st.integers(1, 5))):
        duration = draw(st.integers(1, nper))
        last = nper - duration
        earliest = draw(st.integers(0, last))
        latest = draw(st.integers(earliest, last))
        effort = {
            f"t{k}": float(draw(st.integers(1, 8))) for k in range(nteam) if draw(st.booleans())
        }
        after = tuple(f"i{d}" for d in range(j) if draw(st.integers(0, 4)) == 0)
        items.append(
            Initiative(
                id=f"i{j}",
                value=float(draw(st.integers(0, 30))),
                effort=effort,
                duration=duration,
                after=after,
                mandatory=draw(st.integers(0, 5)) == 0,
                earliest=earliest,
                latest=latest,
                horizon=draw(st.sampled_from(["core", "new", None])),
            )
        )
    mix = None
    if draw(st.booleans()):
        mix = HorizonMix(
            {"core": 0.7, "new": 0.3},
            draw(st.sampled_from([0.1, 0.3])),
            draw(st.sampled_from(["effort", "value"])),
        )
    return Portfolio(periods=periods, teams=teams, initiatives=tuple(items), horizon_mix=mix)


def brute_force(p: Portfolio) -> float | None:
    """Best value over every assignment (None when no plan keeps the rules)."""
    options = [[None, *[p.periods[s] for s in a.starts]] for a in p.initiatives]
    best = None
    for combo in itertools.product(*options):
        starts = {a.id: s for a, s in zip(p.initiatives, combo, strict=True) if s is not None}
        if plan_violations(p, starts):
            continue
        value = sum(p.weighted_value(p.initiative(i)) for i in starts)
        best = value if best is None else max(best, value)
    return best


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(portfolios())
def test_the_optimiser_matches_exhaustive_search_and_keeps_every_rule(p):
    plan = allocate(p, time_limit=10.0, gap=0.0)
    truth = brute_force(p)
    if truth is None:
        assert plan.status == "infeasible"
        assert plan.conflicts, "an infeasible plan must say which rules conflict"
        return
    assert plan.status == "optimal"
    assert plan.objective == pytest.approx(truth, abs=1e-6)
    assert plan_violations(p, plan.starts) == []


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(portfolios())
def test_no_score_and_sort_plan_breaks_a_rule_or_beats_the_optimiser(p):
    plan = allocate(p, time_limit=10.0, gap=0.0)
    for method, greedy in baselines(p).items():
        if greedy.status == "infeasible":
            continue
        assert plan_violations(p, greedy.starts) == [], method
        assert plan.status == "optimal"
        assert plan.objective >= greedy.objective - 1e-6, method


def test_the_independent_checker_catches_each_kind_of_broken_rule():
    p = Portfolio(
        periods=("Q1", "Q2"),
        teams=(Team("a", (5.0, 5.0)),),
        initiatives=(
            Initiative("x", 1.0, {"a": 4.0}, mandatory=True, latest=1),
            Initiative("y", 1.0, {"a": 4.0}, after=("x",), latest=1),
            Initiative("z", 1.0, {"a": 1.0}, earliest=1, latest=1, horizon="core"),
            Initiative("w", 1.0, {"a": 1.0}, latest=1, horizon="new"),
        ),
        horizon_mix=HorizonMix({"core": 0.5, "new": 0.5}, 0.0),
    )
    assert plan_violations(p, {"x": "Q1", "y": "Q2"}) == []
    got = plan_violations(p, {"y": "Q1", "z": "Q1", "w": "Q1"})
    text = "\n".join(got)
    assert "'z' starts in Q1, before its earliest Q2" in text
    assert "'y' is planned but 'x', which it waits for, is not" in text
    assert "mandatory 'x' is not in the plan" in text
    assert "team 'a' is given 6 person-weeks in Q1, more than its 5" in text
    assert (
        "'y' starts in Q1 before 'x' has finished" in plan_violations(p, {"x": "Q1", "y": "Q1"})[0]
    )
    assert any("horizon 'core'" in v for v in plan_violations(p, {"x": "Q1", "z": "Q2"}))
