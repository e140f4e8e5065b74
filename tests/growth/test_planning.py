from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from leadshift.assessments.readiness import Answers, readiness_profile
from leadshift.frameworks.schema import default_framework
from leadshift.growth.planning import generate_plan, plan_progress, spread_due_dates

FW = default_framework()
CAPS = [c.id for c in FW.capabilities]
START = dt.date(2026, 1, 5)


def profile_for(levels: dict[str, int], role: str = "director_product"):
    return readiness_profile(FW, Answers(capability_levels=levels), role)


def test_a_plan_has_a_goal_for_each_of_the_three_biggest_gaps():
    levels = dict.fromkeys(CAPS, 3)
    levels[CAPS[1]] = 1
    levels[CAPS[4]] = 2
    profile = profile_for(levels)
    plan = generate_plan(FW, profile, starts_on=START)
    assert [g.capability for g in plan.goals] == [g.capability for g in profile.gaps][:3]
    assert plan.goals[0].capability == CAPS[1]
    assert plan.goals[0].to_level == 2


def test_every_action_grows_its_goals_capability_and_says_what_evidence_it_leaves():
    plan = generate_plan(FW, profile_for(dict.fromkeys(CAPS, 1)), starts_on=START)
    for goal in plan.goals:
        assert goal.actions
        for action in goal.actions:
            assert goal.capability in action.capabilities
            assert action.evidence
            _, source = FW.action(action.source_action)
            assert source.title == action.title


def test_due_dates_are_spread_over_the_ninety_days():
    plan = generate_plan(FW, profile_for(dict.fromkeys(CAPS, 1)), starts_on=START)
    dues = sorted(a.due_on for a in plan.actions)
    assert dues[0] > START
    assert dues[-1] == START + dt.timedelta(days=90)
    assert dues[len(dues) // 2] - START > dt.timedelta(days=30)


def test_spread_due_dates_ends_on_the_last_day():
    assert spread_due_dates(START, 90, 3) == [
        START + dt.timedelta(days=30),
        START + dt.timedelta(days=60),
        START + dt.timedelta(days=90),
    ]


def test_a_person_with_no_gaps_still_gets_a_stretch_plan():
    plan = generate_plan(FW, profile_for(dict.fromkeys(CAPS, 4), role="senior_pm"), starts_on=START)
    assert len(plan.goals) == 3
    assert all(g.to_level == 5 for g in plan.goals)


def test_progress_counts_actions_done_by_today_against_an_even_pace():
    end = START + dt.timedelta(days=90)
    done = [START + dt.timedelta(days=10), None, START + dt.timedelta(days=50), None]
    p = plan_progress(
        starts_on=START, ends_on=end, done_dates=done, today=START + dt.timedelta(days=45)
    )
    assert (p.done, p.total) == (1, 4)
    assert p.expected_done == 2
    assert p.status == "behind"
    assert p.steps == [(START + dt.timedelta(days=10), 1)]


@settings(max_examples=50, deadline=None)
@given(
    levels=st.fixed_dictionaries({c: st.integers(1, 5) for c in CAPS}),
    role=st.sampled_from([r.id for r in FW.roles]),
    days=st.integers(30, 180),
)
def test_plans_never_repeat_an_action_and_stay_inside_their_period(levels, role, days):
    plan = generate_plan(FW, profile_for(levels, role), starts_on=START, days=days)
    ids = [a.source_action for a in plan.actions]
    assert len(ids) == len(set(ids))
    assert all(START < a.due_on <= START + dt.timedelta(days=days) for a in plan.actions)
    assert len(plan.goals) <= 3
    for g in plan.goals:
        assert g.from_level is None or g.to_level == g.from_level + 1
