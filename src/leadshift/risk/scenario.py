"""What the Monte Carlo simulation takes in: a plan of record with its uncertainties and risks.

Periods are integer indices ``0 .. horizon-1``; names belong to the file that holds them.
Effort is person-weeks per period while an initiative runs, as in the portfolio file.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

Distribution = Literal["triangular", "pert"]
DISTRIBUTIONS: tuple[str, ...] = ("triangular", "pert")


@dataclass(frozen=True)
class Range:
    """An uncertain quantity: low, most likely and high, read as triangular or PERT."""

    low: float
    likely: float
    high: float
    distribution: Distribution = "triangular"

    @classmethod
    def exact(cls, value: float) -> Range:
        return cls(value, value, value)

    @property
    def width(self) -> float:
        return self.high - self.low

    @property
    def mean(self) -> float:
        if self.distribution == "pert":
            return (self.low + 4 * self.likely + self.high) / 6
        return (self.low + self.likely + self.high) / 3

    def problems(self) -> list[str]:
        out = []
        if not self.low <= self.likely <= self.high:
            out.append(
                f"needs low <= likely <= high, got low={self.low:g}, "
                f"likely={self.likely:g}, high={self.high:g}"
            )
        if self.distribution not in DISTRIBUTIONS:
            out.append(f"distribution must be one of {', '.join(DISTRIBUTIONS)}")
        return out


@dataclass(frozen=True)
class SimTeam:
    id: str
    capacity: tuple[float, ...]
    """Person-weeks available in each period."""


@dataclass(frozen=True)
class SimInitiative:
    id: str
    value: Range
    effort: Mapping[str, Range]
    """Team id -> person-weeks per period while the initiative runs."""
    duration: int
    start_period: int
    """Planned start (from the plan of record)."""
    after: tuple[str, ...] = ()
    deadline: int | None = None
    """Last period index by which it must be finished, or None."""
    objectives: tuple[str, ...] = ()


@dataclass(frozen=True)
class Mitigation:
    cost: float
    probability_after: float
    """The risk's probability once mitigated (conditional on its driver, if it has one)."""
    impact_factor: float = 1.0
    """Multiplies every impact of the risk once mitigated."""


@dataclass(frozen=True)
class SimRisk:
    id: str
    probability: float
    """Chance of firing in a trial; with a driver, the chance given that the driver fired."""
    initiatives: tuple[str, ...]
    delay_periods: float = 0.0
    value_loss_share: float = 0.0
    extra_effort: Mapping[str, float] = field(default_factory=dict)
    """Team id -> share of extra effort (0.2 = the team needs 20% more) on hit initiatives."""
    driver: str | None = None
    mitigation: Mitigation | None = None


@dataclass(frozen=True)
class SimDriver:
    """A shared cause: risks tied to it can only fire in the trials where it fires."""

    id: str
    probability: float


@dataclass(frozen=True)
class SimObjective:
    id: str
    target: float | None
    initiatives: tuple[str, ...]


@dataclass(frozen=True)
class Scenario:
    periods: tuple[str, ...]
    teams: tuple[SimTeam, ...]
    initiatives: tuple[SimInitiative, ...]
    risks: tuple[SimRisk, ...] = ()
    drivers: tuple[SimDriver, ...] = ()
    objectives: tuple[SimObjective, ...] = ()

    @property
    def horizon(self) -> int:
        return len(self.periods)


@dataclass(frozen=True)
class ScenarioProblem:
    """One thing wrong with a scenario: the item, the field, and what is wrong."""

    section: str
    index: int
    item: str
    field: tuple[str | int, ...]
    message: str

    def describe(self) -> str:
        where = ".".join(str(p) for p in self.field)
        return f"{self.section} {self.item!r} {where}: {self.message}"


class ScenarioError(ValueError):
    def __init__(self, problems: Sequence[ScenarioProblem]):
        self.problems = list(problems)
        super().__init__("\n".join(p.describe() for p in self.problems))


def _probability_problem(p: float) -> str | None:
    if not 0.0 <= p <= 1.0:
        return f"must be a probability between 0 and 1, got {p:g}"
    return None


def scenario_problems(s: Scenario) -> list[ScenarioProblem]:
    """Every inconsistency in a scenario, each naming its item and field."""
    out: list[ScenarioProblem] = []

    def add(section: str, i: int, item: str, fld: tuple[str | int, ...], msg: str) -> None:
        out.append(ScenarioProblem(section, i, item, fld, msg))

    if not s.periods:
        add("scenario", 0, "periods", ("periods",), "needs at least one period")
    teams = {t.id for t in s.teams}
    for i, t in enumerate(s.teams):
        if len(t.capacity) != s.horizon:
            add("team", i, t.id, ("capacity",), f"needs {s.horizon} periods of capacity")
        if any(c < 0 for c in t.capacity):
            add("team", i, t.id, ("capacity",), "cannot be negative")
    ids = [x.id for x in s.initiatives]
    known = set(ids)
    seen: set[str] = set()
    for i, x in enumerate(s.initiatives):
        if x.id in seen:
            add("initiative", i, x.id, ("id",), "is used by another initiative")
        seen.add(x.id)
        for msg in x.value.problems():
            add("initiative", i, x.id, ("value",), msg)
        for team, er in x.effort.items():
            if team not in teams:
                add("initiative", i, x.id, ("effort", team), f"unknown team {team!r}")
            for msg in er.problems():
                add("initiative", i, x.id, ("effort", team), msg)
            if er.low < 0:
                add("initiative", i, x.id, ("effort", team), "cannot be negative")
        if x.duration < 1:
            add("initiative", i, x.id, ("duration",), "must be at least 1 period")
        if not 0 <= x.start_period < max(s.horizon, 1):
            add("initiative", i, x.id, ("start",), "is outside the periods")
        if x.deadline is not None and not 0 <= x.deadline < max(s.horizon, 1):
            add("initiative", i, x.id, ("deadline",), "is outside the periods")
        for j, dep in enumerate(x.after):
            if dep not in known:
                add("initiative", i, x.id, ("after", j), f"unknown initiative {dep!r}")
            elif dep == x.id:
                add("initiative", i, x.id, ("after", j), "cannot depend on itself")
    cycle = _find_cycle(s.initiatives)
    if cycle:
        first = ids.index(cycle[0])
        add("initiative", first, cycle[0], ("after",), "dependency cycle: " + " -> ".join(cycle))
    drivers = {d.id for d in s.drivers}
    for i, d in enumerate(s.drivers):
        bad = _probability_problem(d.probability)
        if bad:
            add("driver", i, d.id, ("probability",), bad)
    risk_ids: set[str] = set()
    for i, r in enumerate(s.risks):
        if r.id in risk_ids:
            add("risk", i, r.id, ("id",), "is used by another risk")
        risk_ids.add(r.id)
        bad = _probability_problem(r.probability)
        if bad:
            add("risk", i, r.id, ("probability",), bad)
        if not r.initiatives:
            add("risk", i, r.id, ("initiatives",), "must hit at least one initiative")
        for j, target in enumerate(r.initiatives):
            if target not in known:
                add("risk", i, r.id, ("initiatives", j), f"unknown initiative {target!r}")
        if r.delay_periods < 0:
            add("risk", i, r.id, ("impact", "delay"), "cannot be negative")
        if not 0.0 <= r.value_loss_share <= 1.0:
            add("risk", i, r.id, ("impact", "value_loss"), "must be a share between 0 and 1")
        for team, share in r.extra_effort.items():
            if team not in teams:
                add("risk", i, r.id, ("impact", "extra_effort", team), f"unknown team {team!r}")
            if share < 0:
                add("risk", i, r.id, ("impact", "extra_effort", team), "cannot be negative")
        if r.driver is not None and r.driver not in drivers:
            add("risk", i, r.id, ("driver",), f"unknown driver {r.driver!r}")
        if r.mitigation is not None:
            bad = _probability_problem(r.mitigation.probability_after)
            if bad:
                add("risk", i, r.id, ("mitigation", "probability"), bad)
            if r.mitigation.impact_factor < 0:
                add("risk", i, r.id, ("mitigation", "impact_factor"), "cannot be negative")
    for i, o in enumerate(s.objectives):
        for j, target in enumerate(o.initiatives):
            if target not in known:
                add("objective", i, o.id, ("initiatives", j), f"unknown initiative {target!r}")
    return out


def check_scenario(s: Scenario) -> None:
    problems = scenario_problems(s)
    if problems:
        raise ScenarioError(problems)


def _find_cycle(initiatives: Sequence[SimInitiative]) -> list[str] | None:
    after = {x.id: [d for d in x.after if d != x.id] for x in initiatives}
    state: dict[str, int] = {}
    for root in after:
        if state.get(root):
            continue
        stack: list[tuple[str, int]] = [(root, 0)]
        path: list[str] = []
        while stack:
            node, k = stack.pop()
            if k == 0:
                state[node] = 1
                path.append(node)
            deps = after.get(node, [])
            if k < len(deps):
                stack.append((node, k + 1))
                nxt = deps[k]
                if state.get(nxt) == 1:
                    return [*path[path.index(nxt) :], nxt]
                if not state.get(nxt) and nxt in after:
                    stack.append((nxt, 0))
            else:
                state[node] = 2
                path.pop()
    return None


def topological_levels(initiatives: Sequence[SimInitiative]) -> list[list[int]]:
    """Indices grouped so that every initiative comes after all of its predecessors."""
    index = {x.id: i for i, x in enumerate(initiatives)}
    level = [0] * len(initiatives)
    done = [False] * len(initiatives)

    def depth(i: int) -> int:
        stack = [i]
        while stack:
            j = stack[-1]
            pending = [index[d] for d in initiatives[j].after if not done[index[d]]]
            if pending:
                stack.extend(pending)
                continue
            stack.pop()
            if not done[j]:
                preds = [level[index[d]] for d in initiatives[j].after]
                level[j] = 1 + max(preds) if preds else 0
                done[j] = True
        return level[i]

    for i in range(len(initiatives)):
        depth(i)
    groups: list[list[int]] = [[] for _ in range(max(level, default=-1) + 1)]
    for i, lv in enumerate(level):
        groups[lv].append(i)
    return groups
