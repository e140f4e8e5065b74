"""The anonymity rules of 360 feedback, and the aggregates they allow.

Plain Python, no Django: given the raters' answers of one cycle, what may be shown.

The rules
---------
* The manager's answers are shown as the manager's (everyone knows who the manager is).
* Any other relationship (peer, report, stakeholder) is shown as a group only when at least
  ``threshold`` raters in it answered; the answers of smaller groups fold into an "others"
  group, shown under the same rule, or are withheld.
* Within a shown group, a capability's aggregate is shown only when at least ``threshold``
  raters gave it a level ("can't say" does not count), so no cell rests on fewer people.
* Differencing: a cell is withheld when the set of raters behind it differs from the set
  behind any cell shown earlier for the same person and capability by between 1 and
  ``threshold - 1`` raters (either way). Comparing the two would otherwise give the answer
  of the one or two raters who joined or left.
* Known raters: a rater whose answers the subject's side may know (the subject, the cycle's
  owner or anyone in the subject's management line, flagged ``known`` by the caller) never
  counts towards a threshold. A group of k in which j answers are known is shown only when
  k - j reaches the threshold: otherwise subtracting the known answers from the mean would
  give the others' answers (k - 1 known: the last rater's exactly).
* Comments are shown without attribution, from the raters whose answers count (manager and
  shown groups), grouped by capability and sorted by their text.

Rater keys here are opaque strings (the caller passes hashes); they are never part of the
output.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

MIN_THRESHOLD = 3
GROUPS = ("manager", "peer", "report", "stakeholder")
GROUP_LABELS = {
    "self": "Self",
    "manager": "Manager",
    "peer": "Peers",
    "report": "Direct reports",
    "stakeholder": "Stakeholders",
    "others": "Others",
}
# Others seeing a capability this many levels below (above) the self-rating: a blind spot
# (a hidden strength).
DIFFERENCE = 0.75


@dataclass(frozen=True)
class CapabilitySpec:
    id: str
    name: str
    max_level: int


@dataclass(frozen=True)
class Submission:
    rater: str
    """An opaque key for the rater (a hash), used to compare rater sets; never shown."""
    relationship: str
    levels: Mapping[str, int | None]
    """Capability -> level, or None for "can't say"."""
    comments: Mapping[str, str] = field(default_factory=dict)
    known: bool = False
    """The subject's side may know these answers (see the rules); never counted."""


@dataclass(frozen=True)
class Cell:
    mean: float | None
    n: int
    """How many raters gave a level; 0 when the cell is withheld."""
    withheld: bool = False


@dataclass(frozen=True)
class GroupView:
    id: str
    label: str
    raters: int


@dataclass(frozen=True)
class CapabilityView:
    id: str
    name: str
    self_level: int | None
    cells: dict[str, Cell]
    """Group id -> aggregate, for each shown group."""
    others_view: float | None
    """The mean of every shown rating of this capability (manager and shown groups)."""
    others_n: int
    flag: str | None
    """'blind_spot', 'hidden_strength' or None."""
    comments: list[str]


@dataclass(frozen=True)
class Aggregate:
    threshold: int
    groups: list[GroupView]
    capabilities: list[CapabilityView]
    answered: dict[str, int]
    """Raters who answered, per relationship (counts only)."""
    withheld_raters: int
    """Raters whose answers are not shown anywhere (their group was too small)."""
    shown_sets: dict[str, list[frozenset[str]]]
    """Capability -> the rater sets behind each shown cell, for later differencing checks."""
    contributions: list[tuple[str, str, str, int]]
    """(rater key, relationship, capability, level) of every rating that is shown."""

    def capability(self, capability_id: str) -> CapabilityView:
        for c in self.capabilities:
            if c.id == capability_id:
                return c
        raise KeyError(capability_id)

    @property
    def blind_spots(self) -> list[CapabilityView]:
        return [c for c in self.capabilities if c.flag == "blind_spot"]

    @property
    def hidden_strengths(self) -> list[CapabilityView]:
        return [c for c in self.capabilities if c.flag == "hidden_strength"]


def check_threshold(value: int) -> int:
    if value < MIN_THRESHOLD:
        raise ValueError(f"the anonymity threshold cannot be below {MIN_THRESHOLD}")
    return value


def _differs_too_little(current: frozenset[str], earlier: Sequence[frozenset[str]], t: int) -> bool:
    for before in earlier:
        joined, left = len(current - before), len(before - current)
        if 0 < joined < t or 0 < left < t:
            return True
    return False


def independent(members: Sequence[Submission]) -> int:
    """How many of these raters' answers the subject's side cannot know."""
    return sum(1 for m in members if not m.known)


def aggregate(
    capabilities: Sequence[CapabilitySpec],
    self_levels: Mapping[str, int],
    submissions: Sequence[Submission],
    *,
    threshold: int = MIN_THRESHOLD,
    earlier: Mapping[str, Sequence[frozenset[str]]] | None = None,
) -> Aggregate:
    """What one cycle may show, under the rules in the module docstring."""
    t = check_threshold(threshold)
    earlier = earlier or {}
    by_group: dict[str, list[Submission]] = {g: [] for g in GROUPS}
    for s in submissions:
        if s.relationship not in by_group:
            raise ValueError(f"unknown relationship {s.relationship!r}")
        by_group[s.relationship].append(s)
    answered = {g: len(v) for g, v in by_group.items()}

    shown: dict[str, list[Submission]] = {}
    if by_group["manager"]:
        shown["manager"] = by_group["manager"]
    folded: list[Submission] = []
    for g in ("peer", "report", "stakeholder"):
        if independent(by_group[g]) >= t:
            shown[g] = by_group[g]
        else:
            folded.extend(by_group[g])
    withheld_raters = 0
    if independent(folded) >= t:
        shown["others"] = folded
    else:
        withheld_raters = len(folded)

    shown_sets: dict[str, list[frozenset[str]]] = {}
    contributions: list[tuple[str, str, str, int]] = []
    views = []
    for cap in capabilities:
        cells: dict[str, Cell] = {}
        pooled: list[int] = []
        comments: list[str] = []
        for g, members in shown.items():
            scored = [(m, m.levels.get(cap.id)) for m in members]
            given = [(m, lv) for m, lv in scored if lv is not None]
            raters = frozenset(m.rater for m, _ in given)
            enough = g == "manager" or independent([m for m, _ in given]) >= t
            if (
                enough
                and g != "manager"
                and _differs_too_little(raters, earlier.get(cap.id, ()), t)
            ):
                enough = False
            if not given or not enough:
                cells[g] = Cell(mean=None, n=0, withheld=bool(given))
            else:
                levels = [lv for _, lv in given if lv is not None]
                cells[g] = Cell(mean=sum(levels) / len(levels), n=len(levels))
                pooled.extend(levels)
                if g != "manager":
                    shown_sets.setdefault(cap.id, []).append(raters)
                contributions.extend((m.rater, m.relationship, cap.id, lv) for m, lv in given)
            comments.extend(
                m.comments[cap.id].strip() for m in members if m.comments.get(cap.id, "").strip()
            )
        others_view = sum(pooled) / len(pooled) if pooled else None
        own = self_levels.get(cap.id)
        flag = None
        if own is not None and others_view is not None:
            if others_view <= own - DIFFERENCE:
                flag = "blind_spot"
            elif others_view >= own + DIFFERENCE:
                flag = "hidden_strength"
        views.append(
            CapabilityView(
                id=cap.id,
                name=cap.name,
                self_level=own,
                cells=cells,
                others_view=others_view,
                others_n=len(pooled),
                flag=flag,
                # Sorted by text: no order (time, group, rater) that could point to a writer.
                comments=sorted(comments, key=lambda c: (c.casefold(), c)),
            )
        )
    groups = [GroupView(g, GROUP_LABELS[g], len(members)) for g, members in shown.items()]
    return Aggregate(
        threshold=t,
        groups=groups,
        capabilities=views,
        answered=answered,
        withheld_raters=withheld_raters,
        shown_sets=shown_sets,
        contributions=sorted(contributions),
    )
