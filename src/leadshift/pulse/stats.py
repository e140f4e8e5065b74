"""What one culture pulse may show, and its numbers. Plain Python and numpy, no Django.

The rules are the 360's (`feedback/anonymity.py`), applied to a pulse:

* Nothing is shown unless at least ``threshold`` people answered.
* A team is shown on its own only when at least ``threshold`` of its people answered, and
  only when the people outside every shown team number 0 or at least ``threshold``:
  otherwise the whole minus the shown teams would give a smaller group's answers.
* Differencing: a view (the whole or a team) is withheld when the set of people behind it
  differs from a set shown earlier (any earlier pulse of the organisation, or the whole of
  this one) by 1 to ``threshold - 1`` people in all; comparing the two would point at the few
  who joined or left.
* Comments are shown without attribution, in a random order, and only with the whole.

Each item's mean comes with a 95% t-interval on the 1-5 scale (`interval`).
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
from scipy.special import stdtrit

from leadshift.feedback.anonymity import check_threshold
from leadshift.pulse.items import SCALE

CONFIDENCE = 0.95
PRIOR_SD = 0.8
PRIOR_WEIGHT = 1.0
NO_TEAM = ""


@dataclass(frozen=True)
class Response:
    """One person's answers, stored without who gave them; `team` as it was when sent."""

    team: str
    scores: Mapping[str, int]
    comment: str = ""


@dataclass(frozen=True)
class ItemStat:
    id: str
    mean: float
    low: float
    high: float
    n: int


@dataclass(frozen=True)
class TeamView:
    team: str
    n: int
    items: list[ItemStat]


@dataclass(frozen=True)
class PulseView:
    threshold: int
    shown: bool
    n: int
    """How many answered; 0 when nothing is shown."""
    items: list[ItemStat] = field(default_factory=list)
    teams: list[TeamView] = field(default_factory=list)
    comments: list[str] = field(default_factory=list)
    shown_sets: list[frozenset[str]] = field(default_factory=list)
    """The people behind each shown view, for the differencing checks of later pulses."""


def interval(scores: Sequence[int], confidence: float = CONFIDENCE) -> tuple[float, float, float]:
    """(mean, low, high): a t-interval for the mean, clipped to the scale.

    The variance takes one pseudo-answer of spread PRIOR_SD: three identical answers would
    otherwise give an interval of zero width (benchmarks/bench_pulse.py: 89% coverage at
    n = 3 without it, 99% with it, and 95% from n = 8 either way)."""
    values = np.asarray(scores, dtype=float)
    if values.size == 0:
        raise ValueError("no scores")
    mean = float(values.mean())
    if values.size < 2:
        return mean, float(SCALE[0]), float(SCALE[1])
    squares = float(((values - mean) ** 2).sum())
    variance = (squares + PRIOR_WEIGHT * PRIOR_SD**2) / (values.size - 1 + PRIOR_WEIGHT)
    sem = np.sqrt(variance / values.size)
    half = float(stdtrit(values.size - 1, (1 + confidence) / 2)) * sem
    return mean, max(float(SCALE[0]), mean - half), min(float(SCALE[1]), mean + half)


def too_close(current: frozenset[str], earlier: Sequence[frozenset[str]], t: int) -> bool:
    """The differencing rule for pulses: `current` and a set shown before differ by 1 to
    t - 1 people in all (joined plus left), so one answer minus the other gives theirs.

    Looser than the 360's either-way check (`feedback.anonymity._differs_too_little`), which
    would compare a whole organisation with one of its earlier teams and withhold it because
    one person of that team did not answer again, though the 300 who joined hide them."""
    return ShownBefore(earlier).too_close(current, t)


class ShownBefore:
    """The sets shown before, indexed so that a check compares only the sets that could be
    too close: of a size within t - 1, and (for a set of t or more) sharing a member."""

    def __init__(self, sets: Sequence[frozenset[str]]):
        self.sets = list(sets)
        self.by_size: dict[int, list[int]] = {}
        self.by_member: dict[str, list[int]] = {}
        for i, members in enumerate(self.sets):
            self.by_size.setdefault(len(members), []).append(i)
            for m in members:
                self.by_member.setdefault(m, []).append(i)

    def too_close(self, current: frozenset[str], t: int) -> bool:
        n = len(current)
        sizes = range(max(0, n - t + 1), n + t)
        if n >= t and sum(len(self.by_size.get(k, ())) for k in sizes) > n:
            # Disjoint sets differ by at least n >= t: only sets sharing a member can matter.
            sharing: set[int] = set()
            for m in current:
                sharing.update(self.by_member.get(m, ()))
            near = [i for i in sharing if abs(len(self.sets[i]) - n) < t]
        else:
            near = [i for k in sizes for i in self.by_size.get(k, ())]
        return any(0 < len(current ^ self.sets[i]) < t for i in near)


def item_stats(item_ids: Sequence[str], responses: Sequence[Response]) -> list[ItemStat]:
    out = []
    for item in item_ids:
        scores = [r.scores[item] for r in responses if r.scores.get(item) is not None]
        if not scores:
            continue
        mean, low, high = interval(scores)
        out.append(ItemStat(item, round(mean, 2), round(low, 2), round(high, 2), len(scores)))
    return out


def shown_teams(
    people: Mapping[str, frozenset[str]],
    threshold: int,
    earlier: Sequence[frozenset[str]] | ShownBefore = (),
) -> list[str]:
    """The teams that may be shown on their own, under the team and complement rules."""
    t = check_threshold(threshold)
    shown_before = earlier if isinstance(earlier, ShownBefore) else ShownBefore(earlier)
    everyone = frozenset().union(*people.values()) if people else frozenset()
    shown = sorted(
        (
            team
            for team, members in people.items()
            if team != NO_TEAM and len(members) >= t and not shown_before.too_close(members, t)
        ),
        key=lambda team: (len(people[team]), team),
    )
    while shown:
        rest = everyone.difference(*(people[team] for team in shown))
        if not 0 < len(rest) < t:
            break
        # The smallest shown team joins the rest, until the rest is empty or large enough.
        shown.pop(0)
    return sorted(shown)


def pulse_view(
    item_ids: Sequence[str],
    responses: Sequence[Response],
    people: Mapping[str, frozenset[str]],
    *,
    threshold: int,
    earlier: Sequence[frozenset[str]] = (),
    rng: random.Random | None = None,
) -> PulseView:
    """The view of one pulse. `people`: team -> opaque keys of those who answered (the same
    people, team by team, as the responses); `earlier`: people sets shown before."""
    t = check_threshold(threshold)
    counted = {team: len(members) for team, members in people.items() if members}
    given: dict[str, int] = {}
    for r in responses:
        given[r.team] = given.get(r.team, 0) + 1
    if counted != given:
        raise ValueError("the responses and the people who answered do not match team by team")
    everyone = frozenset().union(*people.values()) if people else frozenset()
    # The whole joins the sets a team is checked against (itself differs by none).
    shown_before = ShownBefore([*earlier, everyone])
    if len(everyone) < t or shown_before.too_close(everyone, t):
        return PulseView(threshold=t, shown=False, n=0)
    teams = shown_teams(people, t, shown_before)
    by_team: dict[str, list[Response]] = {}
    for r in responses:
        by_team.setdefault(r.team, []).append(r)
    comments = [r.comment.strip() for r in responses if r.comment.strip()]
    (rng or random.SystemRandom()).shuffle(comments)
    return PulseView(
        threshold=t,
        shown=True,
        n=len(responses),
        items=item_stats(item_ids, responses),
        teams=[
            TeamView(team, len(people[team]), item_stats(item_ids, by_team[team])) for team in teams
        ],
        comments=comments,
        shown_sets=[everyone, *(people[team] for team in teams)],
    )


def overall(items: Sequence[ItemStat]) -> float | None:
    """The mean of the item means: one line for a trend."""
    return round(sum(i.mean for i in items) / len(items), 2) if items else None
