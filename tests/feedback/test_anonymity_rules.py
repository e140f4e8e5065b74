"""The anonymity engine on its own: what one cycle may show."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from leadshift.feedback.anonymity import CapabilitySpec, Submission, aggregate, check_threshold

CAPS = [CapabilitySpec("vision", "Vision", 5), CapabilitySpec("people", "People", 5)]


def sub(key, rel, level=3, comment="", other=None):
    return Submission(
        key,
        rel,
        {"vision": level, "people": level if other is None else other},
        {"vision": comment} if comment else {},
    )


def test_a_threshold_below_three_is_refused():
    with pytest.raises(ValueError, match="below 3"):
        check_threshold(2)
    with pytest.raises(ValueError):
        aggregate(CAPS, {}, [], threshold=1)


def test_a_group_of_three_is_shown_and_the_manager_always_is():
    agg = aggregate(
        CAPS, {"vision": 3}, [sub("m", "manager", 4)] + [sub(f"p{i}", "peer", 2) for i in range(3)]
    )
    cells = agg.capability("vision").cells
    assert cells["manager"].mean == 4 and cells["peer"].mean == 2 and cells["peer"].n == 3


def test_small_groups_fold_into_others_and_others_obeys_the_threshold():
    subs = [sub("r1", "report", 1), sub("r2", "report", 1), sub("s1", "stakeholder", 4)]
    agg = aggregate(CAPS, {}, subs)
    assert [g.id for g in agg.groups] == ["others"]
    assert agg.capability("vision").cells["others"].mean == 2
    agg = aggregate(CAPS, {}, subs[:2])
    assert agg.groups == [] and agg.withheld_raters == 2
    assert agg.capability("vision").others_view is None and agg.contributions == []


def test_a_capability_with_too_few_levels_given_is_withheld_within_a_shown_group():
    subs = [
        sub("p1", "peer", 2, other=None),
        sub("p2", "peer", 2),
        sub("p3", "peer", 2, other=None),
    ]
    subs[2] = Submission("p3", "peer", {"vision": 2, "people": None})
    agg = aggregate(CAPS, {}, subs)
    assert agg.capability("vision").cells["peer"].n == 3
    people = agg.capability("people").cells["peer"]
    assert people.mean is None and people.withheld


def test_an_organisation_may_raise_the_threshold():
    subs = [sub(f"p{i}", "peer", 2) for i in range(4)]
    assert aggregate(CAPS, {}, subs, threshold=4).groups[0].id == "peer"
    assert aggregate(CAPS, {}, subs, threshold=5).groups == []


def test_a_cell_differing_from_an_earlier_one_by_one_or_two_raters_is_withheld():
    earlier = {"vision": [frozenset({"a", "b", "c"})]}
    one_more = [sub(k, "peer") for k in "abcd"]
    assert (
        aggregate(CAPS, {}, one_more, earlier=earlier).capability("vision").cells["peer"].mean
        is None
    )
    # The other capability had no earlier cell: it is shown.
    assert aggregate(CAPS, {}, one_more, earlier=earlier).capability("people").cells["peer"].n == 4
    same = [sub(k, "peer") for k in "abc"]
    assert aggregate(CAPS, {}, same, earlier=earlier).capability("vision").cells["peer"].n == 3
    three_new = [sub(k, "peer") for k in "abcdef"]
    assert aggregate(CAPS, {}, three_new, earlier=earlier).capability("vision").cells["peer"].n == 6
    one_left = [sub(k, "peer") for k in "abcdefg"]
    earlier = {"vision": [frozenset("abcdefgh")]}
    assert (
        aggregate(CAPS, {}, one_left, earlier=earlier).capability("vision").cells["peer"].mean
        is None
    )


def test_blind_spots_and_hidden_strengths_compare_self_with_the_shown_ratings():
    subs = [sub("m", "manager", 2, other=5)] + [sub(f"p{i}", "peer", 2, other=5) for i in range(3)]
    agg = aggregate(CAPS, {"vision": 4, "people": 3}, subs)
    assert [c.id for c in agg.blind_spots] == ["vision"]
    assert [c.id for c in agg.hidden_strengths] == ["people"]


def test_comments_come_sorted_by_text_and_only_from_counted_raters():
    subs = [
        sub("p1", "peer", comment="zebra crossing"),
        sub("p2", "peer", comment="Apple pie"),
        sub("p3", "peer", comment="mango"),
        sub("r1", "report", comment="from the lone report"),
    ]
    comments = aggregate(CAPS, {}, subs).capability("vision").comments
    assert comments == ["Apple pie", "mango", "zebra crossing"]


rel = st.sampled_from(["manager", "peer", "report", "stakeholder"])
level = st.one_of(st.none(), st.integers(1, 5))


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.tuples(rel, level, level), min_size=0, max_size=14),
    st.integers(3, 5),
)
def test_no_shown_non_manager_cell_rests_on_fewer_raters_than_the_threshold(rows, threshold):
    subs = [Submission(f"k{i}", r, {"vision": a, "people": b}) for i, (r, a, b) in enumerate(rows)]
    subs = [
        s
        for i, s in enumerate(subs)
        if s.relationship != "manager"
        or i == min([j for j, x in enumerate(subs) if x.relationship == "manager"], default=-1)
    ]
    agg = aggregate(CAPS, {}, subs, threshold=threshold)
    for cap in agg.capabilities:
        for group, cell in cap.cells.items():
            if group != "manager" and cell.mean is not None:
                assert cell.n >= threshold
    shown_keys = {k for k, *_ in agg.contributions}
    shown_raters = sum(g.raters for g in agg.groups)
    assert shown_raters + agg.withheld_raters == len(subs)
    assert all(any(s.rater == k for s in subs) for k in shown_keys)


# --- a colluding group: answers the subject's side already knows --------------------------


def known_sub(key, rel, level=1, comment="KNOWN"):
    return Submission(key, rel, {"vision": level, "people": level}, {"vision": comment}, known=True)


def test_a_group_of_three_with_two_known_answers_is_not_shown_and_the_third_is_not_solvable():
    # The attack: two peers' answers are known (all 1s, "KNOWN"); shown, 3 x mean - 2 would
    # give the third peer's level exactly, and the only other comment would be theirs.
    subs = [known_sub("k1", "peer"), known_sub("k2", "peer"), sub("real", "peer", 4, "mine")]
    agg = aggregate(CAPS, {}, subs)
    assert agg.groups == [] and agg.withheld_raters == 3
    for cap in agg.capabilities:
        assert cap.cells == {} and cap.others_view is None and cap.comments == []
    assert agg.contributions == []


def test_known_answers_never_count_towards_the_threshold_of_a_group_or_of_others():
    peers = [sub(f"p{i}", "peer", 2) for i in range(2)] + [known_sub("k", "peer")]
    assert [g.id for g in aggregate(CAPS, {}, peers).groups] == []
    # With three answers the subject's side cannot know, the group is shown (knowing one more
    # answer then gives only the sum of three).
    more = [*peers, sub("p9", "peer", 5)]
    agg = aggregate(CAPS, {}, more)
    assert [g.id for g in agg.groups] == ["peer"]
    assert agg.capability("vision").cells["peer"].n == 4
    folded = [sub("r1", "report"), sub("s1", "stakeholder"), known_sub("k", "stakeholder")]
    agg = aggregate(CAPS, {}, folded)
    assert agg.groups == [] and agg.withheld_raters == 3


def test_a_known_answer_does_not_carry_a_cell_over_the_threshold():
    # Three unknown raters in the group, but one says "can't say" on vision: the vision cell
    # would rest on two unknown answers plus a known one.
    subs = [
        sub("p1", "peer", 2),
        sub("p2", "peer", 2),
        Submission("p3", "peer", {"vision": None, "people": 3}),
        known_sub("k", "peer"),
    ]
    agg = aggregate(CAPS, {}, subs)
    vision = agg.capability("vision").cells["peer"]
    assert vision.mean is None and vision.withheld
    assert agg.capability("people").cells["peer"].n == 4


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.tuples(rel, level, st.booleans()), min_size=0, max_size=14),
    st.integers(3, 5),
)
def test_no_shown_cell_rests_on_fewer_unknown_raters_than_the_threshold(rows, threshold):
    subs = [
        Submission(f"k{i}", r, {"vision": a, "people": a}, known=known)
        for i, (r, a, known) in enumerate(rows)
        if r != "manager"
    ]
    agg = aggregate(CAPS, {}, subs, threshold=threshold)
    known = {s.rater for s in subs if s.known}
    for cap in agg.capabilities:
        shown = {k for k, _, c, _ in agg.contributions if c == cap.id}
        for cell in cap.cells.values():
            if cell.mean is not None:
                assert cell.n >= threshold
        assert not shown or len(shown - known) >= threshold
