"""The radar's judgement, without a database: when each kind fires, what a dismissal hides."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from leadshift.decisions.calibration import ForecastRecord
from leadshift.portfolio.lifecycle import Recommendation
from leadshift.radar.judgement import (
    Dismissal,
    Link,
    Signal,
    check_threshold,
    failing_kinds,
    lifecycle_change_why,
    objective_odds_why,
    sort_signals,
)


def signal(key: str = "risk_trigger:1", fingerprint: str = "2026-01-05") -> Signal:
    return Signal(
        kind="risk_trigger",
        key=key,
        title="Trigger fired: Lead leaves",
        why="It fired.",
        evidence=(Link("Risk", "/risks/1/"),),
        subject="Risk: Lead leaves",
        fingerprint=fingerprint,
    )


def dismissal(key: str = "risk_trigger:1", fingerprint: str = "2026-01-05") -> Dismissal:
    return Dismissal(key, fingerprint, "Mitigated by a second engineer", "Maya", "2026-01-06")


def test_an_objective_under_the_threshold_fires_and_says_the_figures():
    why = objective_odds_why(0.31, 1200.0, 0.5)
    assert why is not None
    assert "31% likely to reach its target of 1,200" in why and "threshold of 50%" in why


@pytest.mark.parametrize("p, target", [(0.5, 1000.0), (0.9, 1000.0), (None, 1000.0), (0.1, None)])
def test_an_objective_at_or_above_the_threshold_or_without_a_target_stays_quiet(p, target):
    assert objective_odds_why(p, target, 0.5) is None


def test_a_changed_recommendation_fires_with_the_new_reasons():
    why = lifecycle_change_why(
        Recommendation("scale", ["we lead"]), Recommendation("develop", ["a competitor leads"])
    )
    assert why is not None and "from scale to develop" in why and "a competitor leads" in why


@pytest.mark.parametrize("before, now", [("scale", "scale"), (None, "develop"), ("sustain", None)])
def test_an_unchanged_or_unknown_recommendation_stays_quiet(before, now):
    assert lifecycle_change_why(Recommendation(before), Recommendation(now)) is None


def test_a_kind_failing_well_under_its_forecasts_fires():
    records = [ForecastRecord("pricing", 0.8, s) for s in (False, False, True)]
    records += [ForecastRecord("hiring", 0.7, s) for s in (True, True, False)]
    gaps = failing_kinds(records)
    assert [g.kind for g in gaps] == ["pricing"]
    assert gaps[0].count == 3 and gaps[0].forecast == pytest.approx(0.8)
    assert gaps[0].observed == pytest.approx(1 / 3)


def test_too_few_reviews_of_a_kind_say_nothing():
    assert failing_kinds([ForecastRecord("pricing", 0.9, False)] * 2) == []


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.floats(0, 1), st.booleans()), min_size=3, max_size=30))
def test_a_kind_fires_exactly_when_it_succeeds_20_points_under_its_forecasts(rows):
    forecast = sum(p for p, _ in rows) / len(rows)
    observed = sum(1 for _, ok in rows if ok) / len(rows)
    fired = failing_kinds([ForecastRecord("k", p, ok) for p, ok in rows])
    assert bool(fired) == (forecast - observed >= 0.2 - 1e-9)


def test_a_dismissed_signal_is_listed_apart_with_its_reason():
    out = sort_signals([signal(), signal("lifecycle:2", "x")], [dismissal()])
    assert [s.key for s in out.active] == ["lifecycle:2"]
    assert [(s.key, d.reason) for s, d in out.dismissed] == [
        ("risk_trigger:1", "Mitigated by a second engineer")
    ]


def test_a_signal_with_new_evidence_comes_back_and_says_it_was_dismissed():
    out = sort_signals([signal(fingerprint="2026-02-01")], [dismissal()])
    assert [s.key for s in out.active] == ["risk_trigger:1"]
    assert out.returned["risk_trigger:1"].reason == "Mitigated by a second engineer"


@pytest.mark.parametrize("bad", [0, 1, 1.5, -0.1, "half", True])
def test_a_threshold_outside_0_and_1_is_refused(bad):
    with pytest.raises(ValueError, match="threshold"):
        check_threshold(bad)


def test_a_threshold_inside_0_and_1_is_kept():
    assert check_threshold(0.35) == 0.35
