from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from leadshift.assessments.readiness import (
    Answers,
    Verdict,
    compare_profiles,
    profile_json,
    readiness_profile,
)
from leadshift.frameworks.schema import default_framework

FW = default_framework()
CAPS = [c.id for c in FW.capabilities]
ROLES = [r.id for r in FW.roles]


def answers_with(levels: dict[str, int], choice: int = 2) -> Answers:
    return Answers(
        shift_choices={
            (s.id, q.id): min(choice, len(q.options) - 1) for s in FW.shifts for q in s.questions
        },
        capability_levels=levels,
    )


def test_it_places_a_person_at_the_leader_end_when_every_answer_is_the_last_option():
    choices = {(s.id, q.id): len(q.options) - 1 for s in FW.shifts for q in s.questions}
    profile = readiness_profile(FW, Answers(shift_choices=choices), "vp_product")
    for shift in profile.shifts:
        expected = sum(q.options[-1].position for q in FW.shift(shift.id).questions) / len(
            FW.shift(shift.id).questions
        )
        assert shift.position == expected


def test_it_reports_an_unfinished_assessment_as_incomplete():
    profile = readiness_profile(FW, Answers(capability_levels={CAPS[0]: 3}), "group_pm")
    assert profile.verdict is Verdict.INCOMPLETE
    assert 0 < profile.completeness < 1


def test_it_names_the_biggest_gaps_in_the_frameworks_words():
    role = FW.role("director_product")
    levels = {c: role.expected[c] for c in CAPS}
    low = CAPS[2]
    levels[low] = 1
    profile = readiness_profile(FW, answers_with(levels, choice=4), "director_product")
    assert profile.gaps[0].capability == low
    expected_summary = FW.capability(low).level(role.expected[low]).summary
    assert expected_summary in profile.gaps[0].text
    assert profile.verdict is Verdict.NOT_YET or role.expected[low] - 1 <= 1


def test_it_says_ready_now_when_every_expectation_is_met():
    role = FW.role("group_pm")
    levels = {c: role.expected[c] for c in CAPS}
    profile = readiness_profile(FW, answers_with(levels, choice=99), "group_pm")
    assert profile.verdict is Verdict.READY_NOW
    assert profile.readiness == 100
    assert "Ready now" in profile.verdict_text


def test_it_says_ready_soon_when_one_capability_is_one_level_short():
    role = FW.role("director_product")
    levels = {c: role.expected[c] for c in CAPS}
    levels[CAPS[0]] -= 1
    profile = readiness_profile(FW, answers_with(levels, choice=99), "director_product")
    assert profile.verdict is Verdict.READY_SOON


def test_it_refuses_a_level_outside_the_framework():
    try:
        readiness_profile(FW, answers_with({CAPS[0]: 9}), "group_pm")
    except ValueError as exc:
        assert CAPS[0] in str(exc)
    else:
        raise AssertionError("a level of 9 was accepted")


def test_a_comparison_shows_what_moved():
    before = readiness_profile(FW, answers_with(dict.fromkeys(CAPS, 2), choice=0), "group_pm")
    after = readiness_profile(FW, answers_with(dict.fromkeys(CAPS, 3), choice=2), "group_pm")
    cmp = compare_profiles(before, after)
    assert all(m.change == 1 for m in cmp.capabilities)
    assert all((m.change or 0) >= 0 for m in cmp.shifts)
    assert cmp.readiness_after > cmp.readiness_before


levels_strategy = st.fixed_dictionaries({c: st.integers(1, 5) for c in CAPS})


@settings(max_examples=60, deadline=None)
@given(levels=levels_strategy, role=st.sampled_from(ROLES), choice=st.integers(0, 4))
def test_readiness_is_a_share_and_gaps_are_real_shortfalls(levels, role, choice):
    profile = readiness_profile(FW, answers_with(levels, choice), role)
    assert 0 <= profile.readiness <= 100
    assert len(profile.gaps) <= 3 and len(profile.strengths) <= 3
    for g in profile.gaps:
        assert g.gap > 0
        assert FW.role(role).expected[g.capability] - levels[g.capability] == g.gap
    gap_sizes = [g.gap for g in profile.gaps]
    assert gap_sizes == sorted(gap_sizes, reverse=True)
    assert profile.verdict is not Verdict.INCOMPLETE
    assert profile_json(profile)["verdict"] == profile.verdict.value


order = {Verdict.NOT_YET: 0, Verdict.READY_SOON: 1, Verdict.READY_NOW: 2}


@settings(max_examples=60, deadline=None)
@given(levels=levels_strategy, role=st.sampled_from(ROLES), bump=st.sampled_from(CAPS))
def test_raising_a_capability_never_lowers_readiness_or_the_verdict(levels, role, bump):
    before = readiness_profile(FW, answers_with(levels), role)
    raised = dict(levels)
    raised[bump] = min(5, raised[bump] + 1)
    after = readiness_profile(FW, answers_with(raised), role)
    assert after.readiness >= before.readiness
    assert order[after.verdict] >= order[before.verdict]
