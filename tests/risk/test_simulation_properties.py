from hypothesis import given, settings
from hypothesis import strategies as st

from leadshift.risk.scenario import Range, SimRisk
from leadshift.risk.simulation import simulate

from .helpers import initiative, scenario


@st.composite
def small_scenarios(draw):
    count = draw(st.integers(1, 4))
    inits = []
    for k in range(count):
        low = draw(st.floats(0, 10))
        likely = low + draw(st.floats(0, 10))
        high = likely + draw(st.floats(0, 10))
        e_likely = draw(st.floats(1, 10))
        inits.append(
            initiative(
                f"i{k}",
                value=Range(low, likely, high),
                effort=Range(
                    e_likely * draw(st.floats(0.5, 1)), e_likely, e_likely * draw(st.floats(1, 2))
                ),
                duration=draw(st.integers(1, 3)),
                start=draw(st.integers(0, 3)),
                after=(f"i{k - 1}",) if k and draw(st.booleans()) else (),
                deadline=draw(st.none() | st.integers(0, 5)),
            )
        )
    risks = tuple(
        SimRisk(
            f"r{j}",
            draw(st.floats(0, 1)),
            (f"i{draw(st.integers(0, count - 1))}",),
            delay_periods=draw(st.floats(0, 2)),
            value_loss_share=draw(st.floats(0, 1)),
        )
        for j in range(draw(st.integers(0, 2)))
    )
    return scenario(*inits, risks=risks)


@settings(max_examples=25, deadline=None)
@given(small_scenarios(), st.integers(0, 2**32 - 1))
def test_every_result_is_consistent_with_the_plan(s, seed):
    r = simulate(s, trials=300, seed=seed)
    high = sum(x.value.high for x in s.initiatives)
    assert -1e-6 <= r.total_value.p10 <= r.total_value.p50 <= r.total_value.p90 <= high + 1e-6
    for x, res in zip(s.initiatives, r.initiatives, strict=True):
        f = res.finish
        assert res.planned_finish <= f.p50 <= f.p80 <= f.p90
        assert sum(f.counts) == 300
        if res.p_deadline is not None:
            assert 0.0 <= res.p_deadline <= 1.0
        assert 0.0 <= res.value.mean <= x.value.high + 1e-9
