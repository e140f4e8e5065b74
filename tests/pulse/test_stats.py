"""The pulse's numbers and rules, as plain functions (no database)."""

from __future__ import annotations

import random

from hypothesis import given
from hypothesis import strategies as st

from leadshift.pulse.stats import (
    NO_TEAM,
    Response,
    ShownBefore,
    interval,
    pulse_view,
    shown_teams,
    too_close,
)

ITEMS = ("safety", "workload")


def people(sizes: dict[str, int]) -> dict[str, frozenset[str]]:
    return {team: frozenset(f"{team}-{i}" for i in range(n)) for team, n in sizes.items()}


def responses(sizes: dict[str, int], value: int = 4, comment: str = "") -> list[Response]:
    return [
        Response(team, {i: value for i in ITEMS}, comment)
        for team, n in sizes.items()
        for _ in range(n)
    ]


def test_the_interval_holds_the_mean_and_stays_on_the_scale():
    mean, low, high = interval([1, 5, 5, 5, 4])
    assert low < mean == 4.0 < high == 5.0
    # Three identical answers still leave room for doubt: three people are few.
    same = interval([3, 3, 3])
    assert same[1] < same[0] == 3.0 < same[2]
    wide = interval([2, 4, 3])
    narrow = interval([2, 4, 3] * 10)
    assert narrow[2] - narrow[1] < wide[2] - wide[1]


def test_nothing_is_shown_below_the_threshold():
    sizes = {"A": 1, "B": 1}
    view = pulse_view(ITEMS, responses(sizes), people(sizes), threshold=3)
    assert not view.shown and view.items == [] and view.n == 0 and view.comments == []


def test_a_team_is_shown_only_when_the_rest_is_empty_or_large_enough():
    # A and B pass the threshold, C does not: showing both would give C as the rest.
    assert len(shown_teams(people({"A": 4, "B": 4, "C": 2}), 3)) == 1
    assert shown_teams(people({"A": 4, "B": 4, "C": 3}), 3) == ["A", "B", "C"]
    assert shown_teams(people({"A": 4, "B": 4}), 3) == ["A", "B"]
    # The people without a team are the rest too.
    assert shown_teams(people({"A": 4, NO_TEAM: 1}), 3) == []


@given(st.lists(st.integers(min_value=1, max_value=9), min_size=1, max_size=6), st.integers(3, 5))
def test_no_shown_team_and_no_rest_ever_rests_on_fewer_than_the_threshold(sizes, t):
    groups = people({f"T{i}": n for i, n in enumerate(sizes)})
    shown = shown_teams(groups, t)
    everyone = frozenset().union(*groups.values())
    rest = everyone.difference(*(groups[s] for s in shown))
    assert all(len(groups[s]) >= t for s in shown)
    # With no team shown the rest is the whole, which has its own rule.
    assert not shown or len(rest) == 0 or len(rest) >= t


def test_a_view_that_differs_from_an_earlier_one_by_one_person_is_withheld():
    sizes = {"A": 4, "B": 4}
    earlier = [frozenset(f"A-{i}" for i in range(4)) | frozenset(f"B-{i}" for i in range(3))]
    view = pulse_view(ITEMS, responses(sizes), people(sizes), threshold=3, earlier=earlier)
    assert not view.shown
    # Three joined: far enough apart to show.
    far = [frozenset(f"A-{i}" for i in range(4)) | frozenset({"B-0"})]
    assert pulse_view(ITEMS, responses(sizes), people(sizes), threshold=3, earlier=far).shown


def test_a_team_that_differs_from_its_earlier_self_by_one_is_not_shown():
    sizes = {"A": 4, "B": 6}
    earlier = [frozenset(f"A-{i}" for i in range(3))]
    view = pulse_view(ITEMS, responses(sizes), people(sizes), threshold=3, earlier=earlier)
    assert view.shown and [t.team for t in view.teams] == ["B"]


def test_comments_are_unattributed_and_shuffled():
    sizes = {"A": 3, "B": 3}
    rs = [Response("A" if k < 3 else "B", {i: 3 for i in ITEMS}, f"comment {k}") for k in range(6)]
    orders = {
        tuple(pulse_view(ITEMS, rs, people(sizes), threshold=3, rng=random.Random(seed)).comments)
        for seed in range(8)
    }
    assert len(orders) > 1
    assert all(sorted(o) == [f"comment {k}" for k in range(6)] for o in orders)


def test_each_item_has_its_mean_and_interval():
    sizes = {"A": 3}
    rs = [Response("A", {"safety": v, "workload": 2}) for v in (2, 4, 5)]
    view = pulse_view(ITEMS, rs, people(sizes), threshold=3)
    safety = next(i for i in view.items if i.id == "safety")
    assert safety.mean == 3.67 and safety.n == 3 and safety.low < 3.67 < safety.high


def test_one_person_missing_from_an_earlier_team_does_not_withhold_a_whole_that_hides_them():
    sizes = {"A": 4, "B": 6}
    earlier_team = frozenset({"A-0", "A-1", "A-2", "gone"})
    assert not too_close(frozenset().union(*people(sizes).values()), [earlier_team], 3)
    assert too_close(frozenset({"A-0", "A-1", "A-2"}), [earlier_team], 3)
    view = pulse_view(ITEMS, responses(sizes), people(sizes), threshold=3, earlier=[earlier_team])
    assert view.shown


@given(
    st.lists(st.frozensets(st.integers(0, 12).map(str), max_size=10), max_size=12),
    st.frozensets(st.integers(0, 12).map(str), max_size=10),
    st.integers(3, 5),
)
def test_the_indexed_check_finds_exactly_the_sets_a_plain_comparison_finds(earlier, current, t):
    plain = any(0 < len(current ^ before) < t for before in earlier)
    assert ShownBefore(earlier).too_close(current, t) == plain
