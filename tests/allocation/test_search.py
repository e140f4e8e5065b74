"""The local search and the large-neighbourhood path keep every rule and never lose value."""

import numpy as np
from hypothesis import HealthCheck, given, settings

from leadshift.allocation import allocate, baselines, optimiser, plan_violations
from leadshift.allocation.baselines import SCORES, greedy_starts
from leadshift.allocation.localsearch import LocalSearch
from leadshift.allocation.model import build_model
from leadshift.allocation.neighbourhoods import Search
from leadshift.allocation.problem import Initiative, Portfolio, Team
from tests.allocation.test_rules import portfolios


def named(p: Portfolio, starts: dict[int, int]) -> dict[str, str]:
    return {p.initiatives[i].id: p.periods[s] for i, s in starts.items()}


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(portfolios())
def test_the_local_search_keeps_every_rule_and_only_gains(p):
    start, trouble = greedy_starts(p, SCORES["value-per-effort"](p))
    if trouble or plan_violations(p, named(p, start)):
        return
    model = build_model(p)
    search = LocalSearch(model, start)
    before = search.total
    search.run(float("inf"))
    after = search.starts()
    assert plan_violations(p, named(p, after)) == []
    assert search.total >= before - 1e-9
    assert search.total == sum(p.weighted_value(p.initiatives[i]) for i in after)


def crowded() -> Portfolio:
    """Two teams, three periods: a high-value item only fits once two small ones move."""
    teams = (Team("a", (5.0, 5.0, 5.0)), Team("b", (4.0, 4.0, 4.0)))
    items = [
        Initiative("big", 30.0, {"a": 5.0, "b": 2.0}, latest=2),
        Initiative("s1", 6.0, {"a": 3.0}, latest=1),
        Initiative("s2", 6.0, {"a": 2.0}, latest=2),
        Initiative("s3", 5.0, {"a": 2.5}, duration=2, latest=1),
        Initiative("s4", 4.0, {"b": 3.0}, after=("s1",), latest=2),
        Initiative("s5", 2.0, {"a": 1.0, "b": 1.0}, latest=2),
    ]
    return Portfolio(periods=("P1", "P2", "P3"), teams=teams, initiatives=tuple(items))


def test_the_local_search_evicts_and_moves_to_let_a_better_initiative_in():
    p = crowded()
    model = build_model(p)
    # Small items first: they fill every period of team a and leave no room for 'big'.
    start = {1: 0, 2: 1, 3: 1, 5: 0}
    assert plan_violations(p, named(p, start)) == []
    search = LocalSearch(model, start)
    search.run(float("inf"))
    assert p.index("big") in search.starts()
    assert plan_violations(p, named(p, search.starts())) == []
    assert search.total > sum(p.weighted_value(p.initiatives[i]) for i in start)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(portfolios())
def test_the_neighbourhood_search_keeps_every_rule_and_beats_every_greedy_plan(p):
    saved = optimiser.FULL_MIP_COLUMNS
    optimiser.FULL_MIP_COLUMNS = 0
    try:
        plan = allocate(p, time_limit=1.0, seed=3)
    finally:
        optimiser.FULL_MIP_COLUMNS = saved
    if plan.status == "infeasible":
        return
    assert plan_violations(p, plan.starts) == []
    for greedy in baselines(p).values():
        if greedy.status != "infeasible":
            assert plan.objective >= greedy.objective - 1e-6


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(portfolios())
def test_the_whole_portfolio_rins_keeps_every_rule_and_never_loses_value(p):
    start, trouble = greedy_starts(p, SCORES["value-per-effort"](p))
    if trouble or plan_violations(p, named(p, start)):
        return
    model = build_model(p)
    relaxation = model.highs(integer=False, threads=1)
    relaxation.run()
    x_lp = np.asarray(relaxation.getSolution().col_value)
    found: list[float] = []
    search = Search(
        model, x_lp, left=lambda: 5.0, note=found.append, polish=lambda x, teams: x, threads=1
    )
    x_inc = model.solution_from_starts(start)
    better = search.agreement(x_inc, 2.0)
    assert plan_violations(p, named(p, model.starts_from_solution(better))) == []
    assert model.objective_of(better) >= model.objective_of(x_inc) - 1e-9
    # What LP and incumbent agree on stays as it was.
    agreed = ((x_inc > 0.5) & (x_lp > 1 - 1e-6)) | ((x_inc < 0.5) & (x_lp < 1e-6))
    assert np.array_equal(better[agreed], x_inc[agreed])
