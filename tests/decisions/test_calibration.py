import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from leadshift.decisions.calibration import (
    ForecastRecord,
    brier_decomposition,
    brier_score,
    calibration_by_kind,
    reliability_bins,
    wilson_interval,
)


def test_the_brier_score_of_known_forecasts():
    assert brier_score([1.0, 0.0], [1, 0]) == 0.0
    assert brier_score([0.5] * 4, [1, 0, 1, 1]) == 0.25
    assert brier_score([0.8, 0.3], [1, 0]) == pytest.approx((0.04 + 0.09) / 2)
    assert brier_score([1.0], [0]) == 1.0


def test_mismatched_or_out_of_range_inputs_are_refused():
    with pytest.raises(ValueError, match="differ in length"):
        brier_score([0.5], [1, 0])
    with pytest.raises(ValueError, match="forecast 1 must be a probability"):
        brier_score([0.5, 1.2], [1, 0])
    with pytest.raises(ValueError, match="outcome 0 must be 0 or 1"):
        brier_score([0.5], [2])


def test_the_decomposition_of_a_known_case():
    # Two forecast values: 0.2 (came true 1 of 2) and 0.9 (came true 2 of 2); base rate 3/4.
    d = brier_decomposition([0.2, 0.2, 0.9, 0.9], [1, 0, 1, 1])
    assert d.base_rate == 0.75
    assert d.uncertainty == pytest.approx(0.1875)
    assert d.reliability == pytest.approx((2 * 0.3**2 + 2 * 0.1**2) / 4)
    assert d.resolution == pytest.approx((2 * 0.25**2 + 2 * 0.25**2) / 4)
    assert d.brier == pytest.approx(d.reliability - d.resolution + d.uncertainty)


def test_reliability_bins_count_forecasts_and_how_often_they_came_true():
    bins = reliability_bins([0.05, 0.15, 0.12, 0.95, 1.0], [0, 1, 0, 1, 1], bins=10)
    assert [b.count for b in bins] == [1, 2, 0, 0, 0, 0, 0, 0, 0, 2]
    assert bins[1].observed == 0.5
    assert bins[1].mean_forecast == pytest.approx(0.135)
    assert bins[2].observed is None and bins[2].interval == (0.0, 1.0)
    low, high = bins[9].interval
    assert low < 1.0 and high == 1.0


def test_the_wilson_interval_matches_its_formula():
    low, high = wilson_interval(7, 10)
    z = 1.959963984540054
    centre = (0.7 + z * z / 20) / (1 + z * z / 10)
    half = z * math.sqrt(0.7 * 0.3 / 10 + z * z / 400) / (1 + z * z / 10)
    assert (low, high) == pytest.approx((centre - half, centre + half))


def test_calibration_is_given_per_decision_kind_and_over_all():
    records = [
        ForecastRecord("hire", 0.9, True),
        ForecastRecord("hire", 0.6, False),
        ForecastRecord("launch", 0.3, False),
    ]
    result = calibration_by_kind(records)
    assert [(k.kind, k.count) for k in result] == [("all", 3), ("hire", 2), ("launch", 1)]
    assert result[1].brier == pytest.approx((0.01 + 0.36) / 2)
    assert result[2].brier == pytest.approx(0.09)


probability = st.floats(0, 1, allow_nan=False)
pairs = st.lists(st.tuples(probability, st.booleans()), min_size=1, max_size=60)


@given(pairs)
def test_the_brier_score_lies_between_zero_and_one(items):
    f, o = zip(*items, strict=True)
    assert 0.0 <= brier_score(list(f), [int(x) for x in o]) <= 1.0


@given(st.lists(st.booleans(), min_size=1, max_size=60))
def test_perfect_forecasts_score_zero(outcomes):
    assert brier_score([float(o) for o in outcomes], [int(o) for o in outcomes]) == 0.0


@given(pairs)
def test_the_decomposition_adds_up_to_the_brier_score(items):
    f, o = zip(*items, strict=True)
    d = brier_decomposition(list(f), [int(x) for x in o])
    assert d.brier == pytest.approx(d.reliability - d.resolution + d.uncertainty, abs=1e-9)
    assert sum(b.count for b in reliability_bins(list(f), [int(x) for x in o])) == len(items)
