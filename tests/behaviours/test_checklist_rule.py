"""The checklist rule: the level follows from the ticked behaviours, the same for anyone."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from leadshift.behaviours.checklist import RULE, level_from_ticks, needed, unknown_ticks
from leadshift.frameworks.schema import default_framework

FW = default_framework()
CAP = FW.capability("decision_making_risk")
ALL_KEYS = [k for k, _, _ in CAP.behaviours()]


def keys(level: int, count: int) -> list[str]:
    return CAP.behaviour_keys(level)[:count]


def test_a_level_counts_with_three_quarters_of_its_behaviours_and_all_lower_levels() -> None:
    ticked = keys(1, 3) + keys(2, 3) + keys(3, 3)
    result = level_from_ticks(CAP, ticked)
    assert len(CAP.level(3).behaviours) == 4 and needed(4) == 3
    assert result.level == 3
    assert [r.met for r in result.rows] == [True, True, True, False, False]


def test_a_level_does_not_count_over_a_lower_level_that_is_missing() -> None:
    ticked = keys(1, 3) + keys(3, 4) + keys(4, 4)
    assert level_from_ticks(CAP, ticked).level == 1


def test_level_one_is_the_floor_when_nothing_is_ticked() -> None:
    result = level_from_ticks(CAP, [])
    assert result.level == 1
    assert not result.rows[0].met


def test_the_rule_and_the_counts_are_stated_beside_the_result() -> None:
    result = level_from_ticks(CAP, keys(1, 3) + keys(2, 2))
    assert result.rule == RULE and "three quarters" in RULE
    assert result.explanation.startswith("level 1: 3 of 3 (needs 3); level 2: 2 of 3 (needs 3)")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.permutations(ALL_KEYS), st.integers(0, len(ALL_KEYS)))
def test_two_raters_ticking_the_same_boxes_in_any_order_get_the_same_level(order, n) -> None:
    ticked = order[:n]
    assert level_from_ticks(CAP, ticked).level == level_from_ticks(CAP, sorted(ticked)).level
    # And ticking one more behaviour never lowers the level.
    for extra in ALL_KEYS:
        assert level_from_ticks(CAP, [*ticked, extra]).level >= level_from_ticks(CAP, ticked).level


def test_a_tick_outside_the_capability_or_the_framework_is_named() -> None:
    other = FW.capability("visionary_thinking").behaviour_keys(1)[0]
    assert unknown_ticks(FW, CAP.id, [ALL_KEYS[0], other, "decision_making_risk.9.1"]) == [
        other,
        "decision_making_risk.9.1",
    ]
