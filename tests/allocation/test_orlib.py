"""The seven OR-Library mknap1 problems, as one-period portfolios, reach their published optima."""

import pytest

from leadshift.allocation import allocate, baseline, plan_violations
from tests.allocation.orlib import MKNAP1, as_portfolio, read_mknap

pytestmark = pytest.mark.skipif(
    not MKNAP1.is_file(),
    reason=f"OR-Library mknap1 not found at {MKNAP1}; CI lays shared/ beside the repository",
)

PUBLISHED = [3800, 8706.1, 4015, 6120, 12400, 10618, 16537]


def test_the_file_holds_the_seven_problems_with_their_published_optima():
    problems = read_mknap(MKNAP1)
    assert [p.optimum for p in problems] == PUBLISHED
    assert [len(p.profits) for p in problems] == [6, 10, 15, 20, 28, 39, 50]


@pytest.mark.parametrize("number", range(7))
def test_the_optimiser_reaches_the_published_optimum_and_proves_it(number):
    problem = read_mknap(MKNAP1)[number]
    portfolio = as_portfolio(problem)
    plan = allocate(portfolio, gap=0.0, time_limit=30.0)
    assert plan.status == "optimal"
    assert plan.objective == pytest.approx(problem.optimum, abs=1e-6)
    assert plan.bound == pytest.approx(problem.optimum, abs=1e-4)
    assert plan_violations(portfolio, plan.starts) == []


def test_value_per_effort_greedy_falls_short_where_the_optimiser_does_not():
    shortfalls = []
    for problem in read_mknap(MKNAP1):
        greedy = baseline(as_portfolio(problem), "value-per-effort")
        assert greedy.objective <= problem.optimum + 1e-6
        shortfalls.append(problem.optimum - greedy.objective)
    assert sum(s > 1e-6 for s in shortfalls) >= 4
