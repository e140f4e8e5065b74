import math
import os
import subprocess
import sys
from pathlib import Path

import pytest

from leadshift.risk.engine import BLOCK
from leadshift.risk.scenario import (
    Mitigation,
    Range,
    Scenario,
    ScenarioError,
    SimDriver,
    SimInitiative,
    SimObjective,
    SimRisk,
    SimTeam,
)
from leadshift.risk.simulation import (
    DEFAULT_CHUNK,
    block_spans,
    chunk_for,
    mitigation_value,
    result_json,
    simulate,
)

from .helpers import initiative, scenario


def within_binomial(observed: float, p: float, n: int, sigmas: float = 4.0) -> bool:
    return abs(observed - p) <= sigmas * math.sqrt(p * (1 - p) / n) + 1e-12


def test_a_certain_plan_finishes_exactly_when_planned_and_after_its_predecessors():
    s = scenario(
        initiative("a", duration=2, start=0, deadline=1),
        initiative("b", duration=1, start=1, after=("a",), deadline=1),
        initiative("c", duration=3, start=4),
    )
    r = simulate(s, trials=500, seed=3)
    a, b, c = r.initiatives
    assert (a.finish.p50, a.finish.p80, a.finish.p90) == (1, 1, 1)
    assert (b.finish.p50, b.finish.p90) == (2, 2)
    assert b.planned_finish == 2
    assert a.p_deadline == 1.0
    assert b.p_deadline == 0.0
    assert c.finish.p50 == 6 and c.finish.p_by_horizon == 0.0
    # c ends after the horizon, so it delivers nothing.
    assert r.total_value.mean == pytest.approx(20.0)
    assert r.total_value.p10 == pytest.approx(20.0)


def test_a_certain_risk_delays_an_initiative_and_everything_after_it():
    s = scenario(
        initiative("a", duration=2),
        initiative("b", start=1, after=("a",)),
        risks=(SimRisk("late", 1.0, ("a",), delay_periods=1),),
    )
    r = simulate(s, trials=200, seed=1)
    assert r.initiative("a").finish.p50 == 2
    assert r.initiative("b").finish.p50 == 3


def test_a_risk_with_probability_point_three_makes_the_initiative_late_about_thirty_percent():
    s = scenario(
        initiative("a", duration=2, deadline=1),
        risks=(SimRisk("r", 0.3, ("a",), delay_periods=1),),
    )
    n = 20_000
    r = simulate(s, trials=n, seed=11)
    a = r.initiative("a")
    assert a.p_deadline is not None
    assert within_binomial(1 - a.p_deadline, 0.3, n)
    assert (a.finish.p50, a.finish.p80) == (1, 2)
    assert r.tornado[0].id == "r"
    assert within_binomial(r.tornado[0].fired_share, 0.3, n)


def test_the_mean_of_a_triangular_value_is_the_mean_of_its_three_points():
    low, likely, high = 10.0, 20.0, 60.0
    n = 40_000
    r = simulate(scenario(initiative("a", value=Range(low, likely, high))), trials=n, seed=5)
    var = (low**2 + likely**2 + high**2 - low * likely - low * high - likely * high) / 18
    assert abs(r.total_value.mean - 30.0) <= 4 * math.sqrt(var / n)
    assert r.total_value.std == pytest.approx(math.sqrt(var), rel=0.03)
    # Median of this triangular: high - sqrt(0.5 * (high-low) * (high-likely)).
    median = high - math.sqrt(0.5 * (high - low) * (high - likely))
    assert r.total_value.p50 == pytest.approx(median, abs=0.6)
    # The initiative's own summary is exact, not sampled.
    assert r.initiative("a").value.mean == pytest.approx(30.0)
    assert r.initiative("a").value.p50 == pytest.approx(median, abs=1e-6)


def test_a_pert_value_has_the_pert_mean():
    n = 40_000
    value = Range(10.0, 20.0, 60.0, "pert")
    r = simulate(scenario(initiative("a", value=value)), trials=n, seed=5)
    mean = (10 + 4 * 20 + 60) / 6
    sd = math.sqrt((mean - 10) * (60 - mean) / 7)
    assert abs(r.total_value.mean - mean) <= 4 * sd / math.sqrt(n)


def test_effort_overruns_add_whole_periods_with_the_probability_of_the_overrun():
    # Ratio to plan is triangular(0, 1, 2): P(r > 1) = 0.5, P(r > 1.5) = 0.125.
    s = scenario(initiative("a", effort=Range(0.0, 10.0, 20.0), duration=2))
    n = 20_000
    counts = simulate(s, trials=n, seed=2).initiative("a").finish.counts
    assert counts[0] == 0
    assert within_binomial(counts[1] / n, 0.5, n)
    assert within_binomial(counts[2] / n, 0.375, n)
    assert within_binomial(counts[3] / n, 0.125, n)


def test_an_extra_effort_risk_stretches_the_duration_by_its_share():
    s = scenario(
        initiative("a", effort=10.0, duration=2),
        risks=(SimRisk("more", 1.0, ("a",), extra_effort={"team": 0.5}),),
    )
    # ceil(2 * 1.5) = 3 periods.
    assert simulate(s, trials=100, seed=0).initiative("a").finish.p50 == 2


def test_a_value_loss_keeps_the_rest_of_the_value():
    s = scenario(
        initiative("a", value=Range(10.0, 20.0, 30.0)),
        risks=(SimRisk("cut", 1.0, ("a",), value_loss_share=0.5),),
    )
    v = simulate(s, trials=2_000, seed=0).initiative("a").value
    assert v.mean == pytest.approx(10.0)
    assert v.p50 == pytest.approx(10.0, abs=1e-6)
    assert v.maximum == pytest.approx(15.0)


def _driver_scenario(conditional: float):
    # One period: a delay pushes an initiative past the horizon, so it delivers nothing.
    return scenario(
        initiative("a", value=1.0, objectives=("both",)),
        initiative("b", value=1.0, objectives=("both",)),
        periods=1,
        drivers=(SimDriver("leaves", 0.4),),
        risks=(
            SimRisk("ra", conditional, ("a",), delay_periods=1, driver="leaves"),
            SimRisk("rb", conditional, ("b",), delay_periods=1, driver="leaves"),
        ),
        objectives=(SimObjective("both", 2.0, ()),),
    )


@pytest.mark.parametrize("conditional", [1.0, 0.5])
def test_risks_sharing_a_driver_fire_together_as_specified(conditional):
    n = 20_000
    r = simulate(_driver_scenario(conditional), trials=n, seed=9)
    each = 0.4 * conditional
    either = 0.4 * (1 - (1 - conditional) ** 2)
    assert within_binomial(1 - r.initiative("a").finish.p_by_horizon, each, n)
    assert within_binomial(1 - r.objective("both").p_reach, either, n)
    driver = next(b for b in r.tornado if b.kind == "driver")
    assert within_binomial(driver.fired_share, 0.4, n)


def test_a_mitigation_to_probability_zero_removes_exactly_that_risk():
    def build(p_a: float):
        return scenario(
            initiative("a", value=Range(5.0, 10.0, 20.0), deadline=0),
            initiative("b", value=Range(1.0, 2.0, 3.0), deadline=0),
            periods=1,
            risks=(
                SimRisk("ra", p_a, ("a",), delay_periods=1, mitigation=Mitigation(3.0, 0.0)),
                SimRisk("rb", 0.5, ("b",), value_loss_share=0.5),
            ),
        )

    mitigated = simulate(build(0.4), trials=3_000, seed=4, mitigated={"ra"})
    without_risk = simulate(build(0.0), trials=3_000, seed=4)
    assert result_json(mitigated)["value"] == result_json(without_risk)["value"]
    assert mitigated.initiative("a").p_deadline == 1.0
    assert mitigated.initiative("b").value == without_risk.initiative("b").value

    worth = mitigation_value(build(0.4), "ra", trials=3_000, seed=4)
    base = worth.without
    assert worth.deadline_gain == {"a": pytest.approx(1 - base.initiative("a").p_deadline)}
    # A delay past the one period loses a's whole value: mean (5 + 10 + 20) / 3.
    late = 1 - base.initiative("a").p_deadline
    assert worth.mean_gain == pytest.approx(late * 35 / 3, rel=0.1)
    assert worth.gain_per_cost == pytest.approx(worth.mean_gain / 3.0)


def _busy_scenario():
    return scenario(
        initiative("a", value=Range(5, 10, 30), effort=Range(3, 5, 9), duration=2, deadline=2),
        initiative(
            "b",
            value=Range(1, 2, 3, "pert"),
            effort=Range(4, 5, 6, "pert"),
            start=1,
            after=("a",),
            deadline=3,
            objectives=("o",),
        ),
        initiative(
            "c",
            value=8.0,
            effort=Range(2, 5, 5),
            duration=3,
            start=2,
            deadline=5,
            objectives=("o",),
        ),
        drivers=(SimDriver("d", 0.3),),
        risks=(
            SimRisk("r1", 0.2, ("a", "c"), delay_periods=1, value_loss_share=0.1, driver="d"),
            SimRisk("r2", 0.5, ("b",), extra_effort={"team": 0.3}),
        ),
        objectives=(SimObjective("o", 9.0, ()),),
    )


def _comparable(result):
    data = result_json(result)
    data["value"] = {k: v for k, v in data["value"].items() if k != "std"}
    return data


def test_the_same_seed_gives_the_same_result_and_another_seed_does_not():
    s = _busy_scenario()
    one = simulate(s, trials=3_000, seed=42)
    assert result_json(one) == result_json(simulate(s, trials=3_000, seed=42))
    assert result_json(one) != result_json(simulate(s, trials=3_000, seed=43))


@pytest.mark.parametrize(
    "chunk_size,workers", [(1, 1), (300, 2), (1024, 1), (5_000, 2), (None, 3), (None, 8)]
)
def test_the_chunk_size_and_thread_count_do_not_change_the_result(chunk_size, workers):
    s = _busy_scenario()
    trials = 1_100 if chunk_size == 1 else 2_500
    ref = simulate(s, trials=trials, seed=8, chunk_size=777, workers=1)
    other = simulate(s, trials=trials, seed=8, chunk_size=chunk_size, workers=workers)
    assert other.initiatives == ref.initiatives
    for a, b in zip(other.objectives, ref.objectives, strict=True):
        assert (a.p_reach, a.finish, a.value.p50) == (b.p_reach, b.finish, b.value.p50)
        # Sums over chunks are added in another order, so the last digits may differ.
        assert a.value.mean == pytest.approx(b.value.mean, rel=1e-12)
    assert other.total_value.p10 == pytest.approx(ref.total_value.p10, abs=1e-9)
    assert other.total_value.mean == pytest.approx(ref.total_value.mean, rel=1e-12)
    assert [b.fired_share for b in other.tornado] == [b.fired_share for b in ref.tornado]


@pytest.mark.parametrize("workers", [2, 3, 5, 8])
def test_a_seed_gives_the_same_result_to_the_last_bit_for_any_number_of_workers(workers):
    s = _busy_scenario()
    one = simulate(s, trials=5_000, seed=11, workers=1)
    assert result_json(simulate(s, trials=5_000, seed=11, workers=workers)) == result_json(one)


def test_a_run_is_cut_into_an_even_share_of_whole_blocks_per_worker():
    for trials, workers in [(10_000, 2), (100_000, 2), (20_000, 4), (3_000, 3), (70, 2)]:
        spans = block_spans(trials, workers)
        assert [first for first, _ in spans] == [0, *(f + n for f, n in spans[:-1])]
        assert sum(n for _, n in spans) == trials
        assert all(f % BLOCK == 0 and n <= DEFAULT_CHUNK for f, n in spans)
        whole = [n for _, n in spans[:-1]]
        assert len(spans) % workers == 0 or len(spans) == -(-trials // BLOCK)
        assert not whole or max(whole) - min(whole) <= BLOCK
    # Five chunks of 2,048 would keep one of two workers busy for the fifth alone.
    assert [n for _, n in block_spans(10_000, 2)] == [1_792, 1_664, 1_664, 1_664, 1_664, 1_552]


_CHUNKS_BY_DEFAULT = """
import os, sys
os.sched_setaffinity(0, set(sorted(os.sched_getaffinity(0))[: int(sys.argv[1])]))
from leadshift.risk.simulation import simulate
from tests.risk.test_simulation import _busy_scenario
seen = []
simulate(_busy_scenario(), trials=16 * 128, seed=1, progress=lambda d, t: seen.append(d))
print(len(seen))
"""


@pytest.mark.skipif(not hasattr(os, "sched_setaffinity"), reason="Linux CPU affinity")
def test_by_default_a_run_has_one_worker_per_core_the_process_may_use():
    # 16 blocks are cut into one chunk per worker (up to 16), which progress reports.
    cores = len(os.sched_getaffinity(0))
    for allowed in sorted({1, min(cores, 16)}):
        ran = subprocess.run(
            [sys.executable, "-c", _CHUNKS_BY_DEFAULT, str(allowed)],
            cwd=Path(__file__).resolve().parents[2],
            capture_output=True,
            text=True,
            check=True,
        )
        assert int(ran.stdout) == allowed == len(block_spans(16 * 128, allowed)), ran.stderr


def test_progress_is_reported_after_every_chunk_up_to_the_total():
    seen: list[tuple[int, int]] = []
    simulate(
        _busy_scenario(),
        trials=2_500,
        seed=1,
        chunk_size=1_000,
        progress=lambda done, total: seen.append((done, total)),
    )
    assert seen == [(1_000, 2_500), (2_000, 2_500), (2_500, 2_500)]


def test_the_json_has_the_value_percentiles_and_each_initiatives_finish_and_deadline():
    data = result_json(simulate(_busy_scenario(), trials=500, seed=1))
    assert {"mean", "p10", "p50", "p90"} <= set(data["value"])
    for item in data["initiatives"]:
        assert {"p50", "p80", "p90"} <= set(item["finish"])
        assert "p_deadline" in item
    assert data["tornado"][0]["id"] in {"r1", "r2", "d"}


def test_a_probability_outside_zero_to_one_is_refused_naming_the_risk_and_field():
    s = scenario(initiative("a"), risks=(SimRisk("odd", 1.5, ("a",), delay_periods=1),))
    with pytest.raises(ScenarioError, match=r"risk 'odd' probability: must be a probability"):
        simulate(s, trials=10)


def test_a_risk_on_an_unknown_initiative_is_refused():
    s = scenario(initiative("a"), risks=(SimRisk("r", 0.5, ("ghost",), delay_periods=1),))
    with pytest.raises(ScenarioError, match=r"risk 'r' initiatives.0: unknown initiative 'ghost'"):
        simulate(s, trials=10)


def test_a_range_with_low_above_high_is_refused():
    s = scenario(initiative("a", value=Range(5.0, 4.0, 3.0)))
    with pytest.raises(ScenarioError, match=r"initiative 'a' value: needs low <= likely <= high"):
        simulate(s, trials=10)


def test_mitigating_a_risk_that_has_no_mitigation_is_refused():
    s = scenario(initiative("a"), risks=(SimRisk("r", 0.5, ("a",), delay_periods=1),))
    with pytest.raises(ValueError, match="has no mitigation"):
        simulate(s, trials=10, mitigated={"r"})


@pytest.mark.parametrize("risks", [2, 9])
def test_several_certain_value_losses_keep_the_product_of_what_each_keeps(risks):
    # Up to seven loss risks on an initiative are tracked by which fired, more by the share
    # kept; both give the exact share.
    s = scenario(
        initiative("a", value=10.0),
        risks=tuple(SimRisk(f"cut{k}", 1.0, ("a",), value_loss_share=0.1) for k in range(risks)),
    )
    r = simulate(s, trials=300, seed=0)
    assert r.initiative("a").value.mean == pytest.approx(10 * 0.9**risks, rel=1e-6)
    assert r.initiative("a").value.p50 == pytest.approx(10 * 0.9**risks, rel=1e-6)
    assert r.total_value.mean == pytest.approx(10 * 0.9**risks, rel=1e-6)


def test_two_teams_overruns_are_independent_and_the_larger_one_sets_the_finish():
    # Each team's ratio to plan is triangular(0, 1, 2): P(no extra period) = 0.5 and
    # P(at most one) = 0.875, so the larger of two has 0.25 and 0.765625.
    ratio = Range(0.0, 10.0, 20.0)
    s = Scenario(
        ("P1", "P2", "P3", "P4"),
        (SimTeam("x", (100.0,) * 4), SimTeam("y", (100.0,) * 4)),
        (SimInitiative("a", Range.exact(1.0), {"x": ratio, "y": ratio}, 2, 0),),
    )
    n = 20_000
    counts = simulate(s, trials=n, seed=4).initiative("a").finish.counts
    assert within_binomial(counts[1] / n, 0.25, n)
    assert within_binomial(counts[3] / n, 1 - 0.765625, n)


def test_a_run_is_split_so_that_every_worker_gets_a_share_in_whole_random_blocks():
    assert chunk_for(2_500, 4) == 640
    assert chunk_for(100_000, 2) == DEFAULT_CHUNK
    assert chunk_for(10, 8) == BLOCK
