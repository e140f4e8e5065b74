"""The simulation's scenario from a portfolio file, and the risk sections of that file.

There is one portfolio file (docs/portfolio-file.md, docs/portfolio.schema.json), read by
``leadshift.allocation.problem``; it gains ``drivers`` and ``risks``, read here by
``parse_drivers`` and ``parse_risks`` (every error names the file, the line and the field)::

    drivers:
      - {id: attrition, probability: 0.2}
    risks:
      - id: key-engineer-leaves
        probability: 0.5                        # given its driver fired, when it has one
        driver: attrition
        initiatives: [search]
        impact: {delay: 1, value_loss: 0.1, extra_effort: {platform: 0.2}}
        mitigation: {cost: 5, probability: 0.1, impact_factor: 0.5}

A plan rides along as ``start`` on the planned initiatives; ``planned_scenario`` simulates
it, or plans the portfolio with the optimiser first when no initiative has a start.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from leadshift.files import Document, InputError, PathPart, Problem, parse_text, read_document
from leadshift.risk.scenario import (
    DISTRIBUTIONS,
    Distribution,
    Mitigation,
    Range,
    Scenario,
    ScenarioError,
    ScenarioProblem,
    SimDriver,
    SimInitiative,
    SimObjective,
    SimRisk,
    SimTeam,
    check_scenario,
)

if TYPE_CHECKING:
    from leadshift.allocation.problem import Estimate, Portfolio

Path_ = tuple[PathPart, ...]


class RiskReader:
    """Typed field readers that place each problem; the portfolio reader shares its list."""

    def __init__(self, doc: Document):
        self.doc = doc
        self.problems: list[Problem] = []

    def fail(self, message: str, path: Path_) -> None:
        self.problems.append(self.doc.problem(message, path))

    def number(self, value: Any, path: Path_, *, minimum: float | None = None) -> float | None:
        if (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or not math.isfinite(value)
        ):
            self.fail(f"must be a number, got {value!r}", path)
            return None
        if minimum is not None and value < minimum:
            self.fail(f"must be at least {minimum:g}, got {value:g}", path)
            return None
        return float(value)

    def probability(self, value: Any, path: Path_) -> float | None:
        p = self.number(value, path)
        if p is not None and not 0.0 <= p <= 1.0:
            self.fail(f"must be a probability between 0 and 1, got {p:g}", path)
            return None
        return p

    def share(self, value: Any, path: Path_) -> float | None:
        p = self.number(value, path)
        if p is not None and not 0.0 <= p <= 1.0:
            self.fail(f"must be a share between 0 and 1, got {p:g}", path)
            return None
        return p

    def integer(self, value: Any, path: Path_, *, minimum: int) -> int | None:
        if isinstance(value, bool) or not isinstance(value, int):
            self.fail(f"must be a whole number, got {value!r}", path)
            return None
        if value < minimum:
            self.fail(f"must be at least {minimum}, got {value}", path)
            return None
        return value

    def mapping(self, value: Any, path: Path_) -> Mapping[str, Any] | None:
        if not isinstance(value, dict):
            self.fail("must be a mapping", path)
            return None
        return value

    def items(self, data: Mapping[str, Any], key: str, *, required: bool) -> list[Any]:
        value = data.get(key)
        if value is None:
            if required:
                self.fail("this field is required", (key,))
            return []
        if not isinstance(value, list):
            self.fail("must be a list", (key,))
            return []
        return value

    def ids(self, value: Any, path: Path_) -> tuple[str, ...]:
        if value is None:
            return ()
        if not isinstance(value, list):
            self.fail("must be a list of ids", path)
            return ()
        return tuple(str(v) for v in value)

    def ident(self, item: Mapping[str, Any], path: Path_) -> str | None:
        value = item.get("id")
        if value is None or value == "":
            self.fail("this field is required", (*path, "id"))
            return None
        return str(value)

    def unknown_fields(self, item: Mapping[str, Any], allowed: set[str], path: Path_) -> None:
        for key in item:
            if key not in allowed:
                self.fail("unknown field", (*path, key))


def parse_range(
    r: RiskReader, value: Any, path: Path_, *, non_negative: bool = False
) -> Range | None:
    """A number (no uncertainty) or ``{low, likely, high, distribution}``."""
    if not isinstance(value, dict):
        x = r.number(value, path, minimum=0.0 if non_negative else None)
        return None if x is None else Range.exact(x)
    r.unknown_fields(value, {"low", "likely", "high", "distribution"}, path)
    parts: dict[str, float] = {}
    for key in ("low", "likely", "high"):
        if key not in value:
            r.fail("this field is required", (*path, key))
            continue
        x = r.number(value[key], (*path, key), minimum=0.0 if non_negative else None)
        if x is not None:
            parts[key] = x
    dist = value.get("distribution", "triangular")
    if dist not in DISTRIBUTIONS:
        r.fail(f"must be one of {', '.join(DISTRIBUTIONS)}, got {dist!r}", (*path, "distribution"))
        return None
    if len(parts) < 3:
        return None
    low, likely, high = parts["low"], parts["likely"], parts["high"]
    if low > high:
        r.fail(f"low ({low:g}) is above high ({high:g})", (*path, "low"))
        return None
    if not low <= likely <= high:
        r.fail(
            f"likely ({likely:g}) must lie between low ({low:g}) and high ({high:g})",
            (*path, "likely"),
        )
        return None
    return Range(low, likely, high, dist)


def _period(r: RiskReader, value: Any, periods: dict[str, int], path: Path_) -> int | None:
    if str(value) in periods:
        return periods[str(value)]
    r.fail(f"unknown period {value!r}", path)
    return None


def parse_drivers(r: RiskReader, data: Mapping[str, Any]) -> list[SimDriver]:
    out = []
    for k, item in enumerate(r.items(data, "drivers", required=False)):
        path: Path_ = ("drivers", k)
        if r.mapping(item, path) is None:
            continue
        r.unknown_fields(item, {"id", "probability", "name", "description"}, path)
        ident = r.ident(item, path)
        p = r.probability(item.get("probability"), (*path, "probability"))
        if ident is not None and p is not None:
            out.append(SimDriver(ident, p))
    return out


def parse_risks(
    r: RiskReader,
    data: Mapping[str, Any],
    *,
    initiatives: set[str],
    teams: set[str],
    drivers: set[str],
) -> list[SimRisk]:
    """The ``risks`` section, checked against the ids the rest of the file defines."""
    out = []
    seen: set[str] = set()
    for k, item in enumerate(r.items(data, "risks", required=False)):
        path: Path_ = ("risks", k)
        if r.mapping(item, path) is None:
            continue
        r.unknown_fields(
            item,
            {
                "id",
                "name",
                "description",
                "owner",
                "probability",
                "driver",
                "initiatives",
                "impact",
                "mitigation",
            },
            path,
        )
        before = len(r.problems)
        ident = r.ident(item, path)
        if ident is not None and ident in seen:
            r.fail(f"risk id {ident!r} is used twice", (*path, "id"))
        seen.add(ident or "")
        p = r.probability(item.get("probability"), (*path, "probability"))
        hits = r.ids(item.get("initiatives"), (*path, "initiatives"))
        if not hits:
            r.fail("must name at least one initiative", (*path, "initiatives"))
        for j, target in enumerate(hits):
            if target not in initiatives:
                r.fail(f"unknown initiative {target!r}", (*path, "initiatives", j))
        driver = item.get("driver")
        if driver is not None and str(driver) not in drivers:
            r.fail(f"unknown driver {driver!r}", (*path, "driver"))
        impact = item.get("impact") or {}
        delay = loss = 0.0
        extra: dict[str, float] = {}
        if r.mapping(impact, (*path, "impact")) is not None:
            r.unknown_fields(impact, {"delay", "value_loss", "extra_effort"}, (*path, "impact"))
            if "delay" in impact:
                delay = r.number(impact["delay"], (*path, "impact", "delay"), minimum=0.0) or 0.0
            if "value_loss" in impact:
                loss = r.share(impact["value_loss"], (*path, "impact", "value_loss")) or 0.0
            more = impact.get("extra_effort") or {}
            if r.mapping(more, (*path, "impact", "extra_effort")) is not None:
                for team, share in more.items():
                    where = (*path, "impact", "extra_effort", team)
                    if str(team) not in teams:
                        r.fail(f"unknown team {team!r}", where)
                    x = r.number(share, where, minimum=0.0)
                    if x is not None:
                        extra[str(team)] = x
        mitigation = None
        m = item.get("mitigation")
        if m is not None and r.mapping(m, (*path, "mitigation")) is not None:
            mp = (*path, "mitigation")
            r.unknown_fields(m, {"cost", "probability", "impact_factor", "description"}, mp)
            cost = r.number(m.get("cost", 0), (*mp, "cost"), minimum=0.0)
            after = r.probability(
                m.get("probability", p if p is not None else 0), (*mp, "probability")
            )
            factor = r.number(m.get("impact_factor", 1), (*mp, "impact_factor"), minimum=0.0)
            if cost is not None and after is not None and factor is not None:
                mitigation = Mitigation(cost, after, factor)
        if len(r.problems) == before and ident is not None and p is not None:
            out.append(
                SimRisk(
                    id=ident,
                    probability=p,
                    initiatives=hits,
                    delay_periods=delay,
                    value_loss_share=loss,
                    extra_effort=extra,
                    driver=None if driver is None else str(driver),
                    mitigation=mitigation,
                )
            )
    return out


def scenario_from_document(doc: Document, *, time_limit: float = 10.0) -> Scenario:
    """The portfolio file's plan as a scenario; every problem placed, then one InputError.

    The file is a portfolio file (docs/portfolio-file.md): with ``start`` on initiatives it
    carries a plan, which is simulated as it stands; without, the optimiser plans it first.
    """
    from leadshift.allocation.problem import portfolio_from_document

    return planned_scenario(portfolio_from_document(doc), time_limit=time_limit).scenario


@dataclass(frozen=True)
class PlannedScenario:
    scenario: Scenario
    planned_here: bool
    """True when the file had no plan (no ``start``) and the optimiser made one."""
    note: str
    """What was simulated, in words (the plan's origin, what was left out)."""


def planned_scenario(portfolio: Portfolio, *, time_limit: float = 10.0) -> PlannedScenario:
    """The scenario for the file's plan, or for the optimiser's plan when it has none."""
    starts = {a.id: a.start for a in portfolio.initiatives if a.start is not None}
    if starts:
        left = len(portfolio.every_initiative) - len(starts)
        note = f"simulating the plan in the file: {len(starts)} initiatives" + (
            f" ({left} without a start are not in it)" if left else ""
        )
        return PlannedScenario(scenario_from_portfolio(portfolio, starts), False, note)
    from leadshift.allocation import allocate

    plan = allocate(portfolio, time_limit=time_limit)
    if plan.status == "infeasible":
        raise ScenarioError(
            [
                ScenarioProblem("scenario", 0, "plan", ("initiatives",), text)
                for text in (plan.conflicts or [plan.message or "no plan satisfies the rules"])
            ]
        )
    starts = {p.id: p.start_index for p in plan.selected}
    note = (
        f"the file has no plan (no start on any initiative): planned it first with the "
        f"optimiser ({len(starts)} of {len(portfolio.every_initiative)} "
        f"initiatives, value {plan.objective:,.1f}, {plan.status}); simulating that plan"
    )
    return PlannedScenario(scenario_from_portfolio(portfolio, starts), True, note)


def _range(est: Estimate | None, point: float) -> Range:
    if est is None:
        return Range.exact(point)
    dist: Distribution = "pert" if est.distribution == "pert" else "triangular"
    return Range(est.low, est.likely, est.high, dist)


def scenario_from_portfolio(portfolio: Portfolio, starts: Mapping[str, int]) -> Scenario:
    """The Monte Carlo scenario of a plan (initiative id -> start index) of a portfolio.

    Only planned initiatives take part; what waits on an unplanned one, an objective's
    unplanned members and a risk's unplanned targets drop out with them, and a risk that hits
    nothing planned is left out.
    """
    planned = [a for a in portfolio.initiatives if a.id in starts]
    ids = {a.id for a in planned}
    inits = tuple(
        SimInitiative(
            id=a.id,
            value=_range(a.value_range, a.value),
            effort={t: _range(a.effort_range.get(t), e) for t, e in a.effort.items()},
            duration=a.duration,
            start_period=starts[a.id],
            after=tuple(d for d in a.after if d in ids),
            deadline=a.deadline,
            objectives=tuple(oid for oid, _ in a.objectives),
        )
        for a in planned
    )
    risks = []
    for risk in portfolio.risks:
        hits = tuple(t for t in risk.initiatives if t in ids)
        if hits:
            risks.append(replace(risk, initiatives=hits))
    objectives = tuple(
        SimObjective(o.id, o.target, tuple(t for t in o.initiatives if t in ids))
        for o in portfolio.objectives
    )
    scenario = Scenario(
        portfolio.periods,
        tuple(SimTeam(t.id, t.capacity) for t in portfolio.teams),
        inits,
        tuple(risks),
        portfolio.drivers,
        objectives,
    )
    check_scenario(scenario)
    return scenario


def read_scenario(path: str | Path) -> Scenario:
    return scenario_from_document(read_document(path))


def parse_scenario(text: str, filename: str | None = None) -> Scenario:
    return scenario_from_document(parse_text(text, filename))


__all__ = [
    "InputError",
    "PlannedScenario",
    "RiskReader",
    "parse_drivers",
    "parse_range",
    "parse_risks",
    "parse_scenario",
    "planned_scenario",
    "read_scenario",
    "scenario_from_document",
    "scenario_from_portfolio",
]
