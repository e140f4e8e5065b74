"""A key result against the straight line from its baseline to its target (plain engine)."""

from __future__ import annotations

import datetime as dt

import pytest

from leadshift.portfolio.health import (
    HealthInput,
    InitiativeIn,
    KeyResultIn,
    ObjectiveIn,
    portfolio_health,
)
from leadshift.portfolio.trajectory import Actual, TrajectoryInput, assess

START, DUE = dt.date(2026, 1, 1), dt.date(2026, 12, 31)
MID = dt.date(2026, 7, 2)  # half way: 182 of 364 days


def kr(*actuals: tuple[dt.date, float], baseline=100.0, target=200.0, today=MID, tolerance=0.1):
    return TrajectoryInput(
        baseline, target, START, DUE, tuple(Actual(d, v) for d, v in actuals), today, tolerance
    )


def test_the_line_expects_half_the_way_half_way_through():
    v = assess(kr((MID, 150.0)))
    assert v.expected == pytest.approx(150.0)
    assert v.expected_progress == pytest.approx(0.5)
    assert v.progress == pytest.approx(0.5)
    assert v.behind_by == 0.0
    assert not v.off_track


def test_a_key_result_a_quarter_of_the_way_behind_is_off_track_with_the_numbers():
    v = assess(kr((MID, 125.0)))
    assert v.progress == pytest.approx(0.25)
    assert v.behind_by == pytest.approx(0.25)
    assert v.off_track
    assert "125 on 2026-07-02 is 25% of the way behind" in v.reason
    assert "expects 150" in v.reason


def test_a_little_behind_within_the_tolerance_is_still_on_track():
    v = assess(kr((MID, 145.0)))
    assert v.behind_by == pytest.approx(0.05)
    assert not v.off_track
    assert "within the 10% allowed" in v.reason


def test_a_result_to_bring_down_is_measured_the_other_way():
    # Churn from 3.0 % down to 2.0 %: at 2.9 half way through it has come a tenth of the way.
    v = assess(kr((MID, 2.9), baseline=3.0, target=2.0))
    assert v.progress == pytest.approx(0.1)
    assert v.expected == pytest.approx(2.5)
    assert v.off_track
    ahead = assess(kr((MID, 2.4), baseline=3.0, target=2.0))
    assert ahead.progress == pytest.approx(0.6) and not ahead.off_track


def test_the_latest_actual_counts_and_one_after_today_is_not_seen_yet():
    v = assess(kr((dt.date(2026, 3, 1), 120.0), (MID, 160.0), (dt.date(2026, 9, 1), 100.0)))
    assert v.actual == 160.0 and v.as_of == MID


def test_before_the_start_the_line_expects_the_baseline_and_after_the_due_date_the_target():
    early = assess(kr((dt.date(2025, 12, 1), 100.0), today=dt.date(2025, 12, 15)))
    assert early.expected == 100.0 and early.expected_progress == 0.0 and not early.off_track
    late = assess(kr((dt.date(2027, 1, 10), 190.0), today=dt.date(2027, 2, 1)))
    assert late.expected == 200.0 and late.progress == pytest.approx(0.9) and not late.off_track


def test_without_an_actual_nothing_is_claimed():
    v = assess(kr())
    assert v.actual is None and v.progress is None and not v.off_track
    assert v.reason == "no actual recorded yet"


def test_a_target_equal_to_its_baseline_cannot_be_measured():
    with pytest.raises(ValueError, match="the target equals the baseline"):
        assess(kr((MID, 1.0), baseline=5.0, target=5.0))


def test_health_averages_key_results_held_within_their_way_and_sums_planned_and_delivered():
    objective = ObjectiveIn(
        "retention",
        "Keep customers",
        (
            KeyResultIn("grr", "GRR", "%", 90, 94, START, DUE, (Actual(MID, 98.0),)),  # 200 %
            KeyResultIn(
                "churn", "Churn", "%", 3, 2, START, DUE, (Actual(dt.date(2026, 4, 1), 3.0),)
            ),
        ),
    )
    items = (
        InitiativeIn("a", "A", 50, "done", dt.date(2026, 6, 1), 60.0),
        InitiativeIn("b", "B", 30, "done", dt.date(2026, 6, 2), None),  # outside the plan
        InitiativeIn("c", "C", 40, "in_progress", None, 40.0),
        InitiativeIn("d", "D", 20, "dropped", dt.date(2026, 5, 1), 20.0),
    )
    h = portfolio_health(HealthInput((objective,), items, MID))
    o = h.objectives[0]
    assert o.progress == pytest.approx(0.5)  # (1.0 held at 100 % + 0.0) / 2
    assert o.series == ((dt.date(2026, 4, 1), 0.0), (MID, 0.5))
    assert [k.key for k in o.off_track] == ["churn"]
    assert h.value.planned == 120.0
    assert h.value.delivered == 90.0 and h.value.delivered_in_plan == 60.0
    assert h.value.in_progress == 40.0 and h.value.dropped_from_plan == 20.0
    assert h.value.by_status == {"done": 2, "in_progress": 1, "dropped": 1}


def test_the_csv_readers_stop_at_their_row_limit_however_bad_the_rows():
    from leadshift.files import InputError
    from leadshift.portfolio.actuals_file import read_actuals
    from leadshift.portfolio.sync_file import read_sync

    with pytest.raises(InputError, match=r"a\.csv:10002: more than 10,000 rows; split the file"):
        read_actuals("objective,key_result,date,value\n" + "o,k,x,x\n" * 10_001, "a.csv")
    with pytest.raises(InputError, match=r"j\.csv:10002: more than 10,000 rows; split the file"):
        read_sync("Issue key,Status\n" + "K,B\n" * 10_001, "j.csv", "jira")
