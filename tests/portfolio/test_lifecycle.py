"""Develop, scale, sustain or sunset: the recommendation and its reasons in words."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from leadshift.portfolio.lifecycle import (
    RECOMMENDATIONS,
    Snapshot,
    Thresholds,
    recommend,
    revenue_growth,
    thresholds_from,
)

D0 = dt.date(2025, 3, 31)


def snaps(*metrics, step=91):
    return [Snapshot(D0 + dt.timedelta(days=step * k), m) for k, m in enumerate(metrics)]


def market(mg, share, **more):
    return snaps({"market_growth": mg, "relative_share": share, **more})


def test_a_leader_in_a_growing_market_is_one_to_scale_and_the_reasons_name_the_thresholds():
    r = recommend(market(0.18, 1.3))
    assert r.recommendation == "scale"
    assert r.reasons == [
        "market growth 18% a year is at or above the 10% that counts as growing",
        "relative market share 1.30 is at or above 1.00: we lead the market",
    ]


@pytest.mark.parametrize(
    ("mg", "share", "expected"),
    [(0.22, 0.5, "develop"), (0.04, 1.8, "sustain"), (0.02, 0.4, "sustain")],
)
def test_the_four_quadrants(mg, share, expected):
    assert recommend(market(mg, share)).recommendation == expected


def test_a_slow_follower_with_a_warning_sign_is_one_to_sunset():
    r = recommend(market(0.02, 0.4, margin=0.01))
    assert r.recommendation == "sunset"
    assert "margin 1% is below the floor of 5%" in r.reasons


def test_all_three_warnings_sunset_even_a_market_leader():
    r = recommend(market(0.2, 2.0, margin=0.0, growth=-0.2, strategic_fit=0.1))
    assert r.recommendation == "sunset"


def test_the_leader_moves_the_thresholds_and_the_recommendation_follows():
    data = market(0.08, 1.3)
    assert recommend(data).recommendation == "sustain"
    th = thresholds_from({"growing_market": 0.05})
    r = recommend(data, th)
    assert r.recommendation == "scale"
    assert "at or above the 5% that counts as growing" in r.reasons[0]


def test_without_market_data_own_growth_stands_in():
    revenue = snaps({"revenue": 100}, {"revenue": 110}, {"revenue": 121}, {"revenue": 133})
    r = recommend(revenue)
    assert r.recommendation == "scale"
    assert "own revenue growth" in r.reasons[0]


def test_a_young_product_without_data_is_one_to_develop_and_an_old_one_gets_no_guess():
    assert recommend(snaps({"revenue": 5})).recommendation == "develop"
    old = snaps({"active_users": 1}, {"active_users": 2}, {"active_users": 3})
    assert recommend(old).recommendation is None


def test_bad_thresholds_are_refused_by_name():
    with pytest.raises(ValueError, match="unknown threshold 'speed'"):
        thresholds_from({"speed": 1})
    with pytest.raises(ValueError, match="must be a number"):
        thresholds_from({"min_margin": "high"})


def test_revenue_growth_is_annualised():
    quarterly = snaps({"revenue": 100}, {"revenue": 110}, step=91)
    assert revenue_growth(quarterly) == pytest.approx(1.1 ** (365.25 / 91) - 1)


metric = st.floats(-0.5, 3.0, allow_nan=False)


@given(mg=metric, share=st.floats(0.01, 10), margin=metric, growth=metric, fit=st.floats(0, 1))
def test_every_recommendation_is_one_of_four_and_has_reasons(mg, share, margin, growth, fit):
    r = recommend(market(mg, share, margin=margin, growth=growth, strategic_fit=fit), Thresholds())
    assert r.recommendation in RECOMMENDATIONS
    assert r.reasons and all(isinstance(x, str) and x for x in r.reasons)


@given(mg=metric, share=st.floats(0.01, 10))
def test_more_market_growth_never_turns_scale_into_something_else(mg, share):
    if recommend(market(mg, share)).recommendation == "scale":
        assert recommend(market(mg + 0.1, share)).recommendation == "scale"
