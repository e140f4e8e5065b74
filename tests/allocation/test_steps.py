"""The cumulative-start form is the same model as the pulse form: same plans, rows and optima."""

import highspy
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings

from leadshift.allocation import allocate, plan_violations
from leadshift.allocation.baselines import SCORES, greedy_starts
from leadshift.allocation.model import build_model
from leadshift.allocation.problem import Initiative, Portfolio, Team
from leadshift.allocation.steps import identical_groups, step_form
from tests.allocation.test_rules import brute_force, portfolios


def solve(h: highspy.Highs) -> tuple[highspy.HighsModelStatus, float]:
    h.setOptionValue("mip_rel_gap", 0.0)
    h.run()
    return h.getModelStatus(), float(h.getInfo().objective_function_value)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(portfolios())
def test_a_plan_written_in_steps_has_the_same_value_and_row_activities(p):
    model = build_model(p)
    form = step_form(model)
    starts, _ = greedy_starts(p, SCORES["value-per-effort"](p))
    x = model.solution_from_starts(starts)
    y = form.steps(x)
    assert np.array_equal(form.pulses(y), x)
    assert np.array_equal(form.plan(form.start(x)), x)
    assert form.cost @ y == pytest.approx(model.cost @ x)
    body = form.matrix[: len(model.row_lower)]
    assert np.allclose(body @ y, model.matrix @ x)
    # Every pulse is non-negative: the ordering rows hold for any plan.
    assert np.all(form.matrix[len(model.row_lower) :] @ y <= 1e-9)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(portfolios())
def test_the_step_form_has_the_pulse_forms_relaxation_and_optimum(p):
    model = build_model(p)
    form = step_form(model)
    relaxed_pulse = model.highs(integer=False)
    relaxed_pulse.run()
    h = form.highs()
    both = h.getNumCol()
    h.changeColsIntegrality(
        both,
        np.arange(both, dtype=np.int32),
        np.array([highspy.HighsVarType.kContinuous] * both),
    )
    h.run()
    status_pulse, value_pulse = solve(model.highs())
    status_step, value_step = solve(form.highs())
    assert status_step == status_pulse
    if status_pulse == highspy.HighsModelStatus.kOptimal:
        assert value_step == pytest.approx(value_pulse, abs=1e-6)
        lp_pulse = relaxed_pulse.getInfo().objective_function_value
        assert h.getInfo().objective_function_value == pytest.approx(lp_pulse, abs=1e-6)


def twins() -> Portfolio:
    """Four identical small bets and two identical larger ones compete for two teams."""
    teams = (Team("a", (6.0, 6.0, 5.0)), Team("b", (4.0, 5.0, 4.0)))
    bets = [Initiative(f"bet{n}", 5.0, {"a": 2.0, "b": 1.0}, latest=2) for n in range(4)]
    large = [
        Initiative(f"big{n}", 11.0, {"a": 3.0, "b": 3.0}, duration=2, latest=1) for n in range(2)
    ]
    other = Initiative("other", 6.0, {"a": 2.0, "b": 2.0}, after=("bet0",), latest=2)
    return Portfolio(periods=("P1", "P2", "P3"), teams=teams, initiatives=(*bets, *large, other))


def test_identical_initiatives_are_grouped_but_one_with_a_prerequisite_link_is_not():
    p = twins()
    groups = identical_groups(build_model(p))
    named = sorted(sorted(p.initiatives[i].id for i in g) for g in groups)
    assert named == [["bet1", "bet2", "bet3"], ["big0", "big1"]]


def test_ordering_identical_initiatives_keeps_the_optimum_a_brute_force_finds():
    p = twins()
    plan = allocate(p, gap=0.0, time_limit=10.0)
    assert plan.status == "optimal"
    assert plan.objective == pytest.approx(brute_force(p))
    assert plan_violations(p, plan.starts) == []
