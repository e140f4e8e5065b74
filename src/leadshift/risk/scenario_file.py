"""Reading a simulation scenario from a portfolio-like YAML or JSON file.

The shape (every error names the file, the line and the field)::

    periods: [2026-Q1, 2026-Q2, 2026-Q3, 2026-Q4]
    teams:
      - {id: platform, capacity: 40}            # person-weeks per period, or a list
    initiatives:
      - id: search
        value: {low: 50, likely: 80, high: 120, distribution: pert}   # or a number
        effort: {platform: {low: 8, likely: 10, high: 15}}            # per period it runs
        duration: 2
        start: 2026-Q1                          # planned start, from the plan of record
        after: [auth]
        deadline: 2026-Q3
        objectives: [grow]
    drivers:
      - {id: attrition, probability: 0.2}
    risks:
      - id: key-engineer-leaves
        probability: 0.5                        # given its driver fired, when it has one
        driver: attrition
        initiatives: [search]
        impact: {delay: 1, value_loss: 0.1, extra_effort: {platform: 0.2}}
        mitigation: {cost: 5, probability: 0.1, impact_factor: 0.5}
    objectives:
      - {id: grow, target: 200}

``parse_risks`` and ``parse_range`` read the parts that a portfolio file gains, so the
portfolio parser can reuse them.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from leadshift.files import Document, InputError, PathPart, Problem, parse_text, read_document
from leadshift.risk.scenario import (
    DISTRIBUTIONS,
    Mitigation,
    Range,
    Scenario,
    SimDriver,
    SimInitiative,
    SimObjective,
    SimRisk,
    SimTeam,
    scenario_problems,
)

Path_ = tuple[PathPart, ...]


class _Reader:
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


def parse_range(r: _Reader, value: Any, path: Path_, *, non_negative: bool = False) -> Range | None:
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


def _period(r: _Reader, value: Any, periods: dict[str, int], path: Path_) -> int | None:
    if str(value) in periods:
        return periods[str(value)]
    r.fail(f"unknown period {value!r}", path)
    return None


def parse_drivers(r: _Reader, data: Mapping[str, Any]) -> list[SimDriver]:
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
    r: _Reader,
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


def scenario_from_document(doc: Document) -> Scenario:
    """Build and check a scenario; every problem is collected, then one InputError raised."""
    r = _Reader(doc)
    data = r.mapping(doc.data, ())
    if data is None:
        raise doc.error(r.problems)
    periods_raw = data.get("periods")
    if not isinstance(periods_raw, list) or not periods_raw:
        r.fail("must be a non-empty list of period names", ("periods",))
        raise doc.error(r.problems)
    periods = tuple(str(p) for p in periods_raw)
    period_index = {p: k for k, p in enumerate(periods)}
    if len(period_index) != len(periods):
        r.fail("period names must be unique", ("periods",))

    teams: list[SimTeam] = []
    for k, item in enumerate(r.items(data, "teams", required=True)):
        path: Path_ = ("teams", k)
        if r.mapping(item, path) is None:
            continue
        ident = r.ident(item, path)
        cap = item.get("capacity")
        caps: list[float] = []
        if isinstance(cap, list):
            if len(cap) != len(periods):
                r.fail(f"needs one capacity per period ({len(periods)})", (*path, "capacity"))
            caps = [
                r.number(x, (*path, "capacity", j), minimum=0.0) or 0.0 for j, x in enumerate(cap)
            ]
        else:
            x = r.number(cap, (*path, "capacity"), minimum=0.0)
            caps = [x or 0.0] * len(periods)
        if ident is not None:
            teams.append(SimTeam(ident, tuple(caps)))
    team_ids = {t.id for t in teams}

    raw_inits = r.items(data, "initiatives", required=True)
    init_ids = {str(x["id"]) for x in raw_inits if isinstance(x, dict) and x.get("id") is not None}
    initiatives: list[SimInitiative] = []
    seen: set[str] = set()
    for k, item in enumerate(raw_inits):
        path = ("initiatives", k)
        if r.mapping(item, path) is None:
            continue
        before = len(r.problems)
        ident = r.ident(item, path)
        if ident is not None and ident in seen:
            r.fail(f"initiative id {ident!r} is used twice", (*path, "id"))
        seen.add(ident or "")
        value = parse_range(r, item.get("value"), (*path, "value"))
        effort: dict[str, Range] = {}
        raw_effort = item.get("effort") or {}
        if r.mapping(raw_effort, (*path, "effort")) is not None:
            for team, spec in raw_effort.items():
                if str(team) not in team_ids:
                    r.fail(f"unknown team {team!r}", (*path, "effort", team))
                rng = parse_range(r, spec, (*path, "effort", team), non_negative=True)
                if rng is not None:
                    effort[str(team)] = rng
        duration = r.integer(item.get("duration", 1), (*path, "duration"), minimum=1)
        start = None
        if "start" not in item:
            r.fail("this field is required (the planned start period)", (*path, "start"))
        else:
            start = _period(r, item["start"], period_index, (*path, "start"))
        deadline = None
        if item.get("deadline") is not None:
            deadline = _period(r, item["deadline"], period_index, (*path, "deadline"))
        after = r.ids(item.get("after"), (*path, "after"))
        for j, dep in enumerate(after):
            if dep not in init_ids:
                r.fail(f"unknown initiative {dep!r}", (*path, "after", j))
        goals = r.ids(item.get("objectives"), (*path, "objectives"))
        if (
            len(r.problems) == before
            and ident is not None
            and value is not None
            and duration is not None
            and start is not None
        ):
            initiatives.append(
                SimInitiative(ident, value, effort, duration, start, after, deadline, goals)
            )

    drivers = parse_drivers(r, data)
    risks = parse_risks(
        r, data, initiatives=init_ids, teams=team_ids, drivers={d.id for d in drivers}
    )
    objectives: list[SimObjective] = []
    for k, item in enumerate(r.items(data, "objectives", required=False)):
        path = ("objectives", k)
        if r.mapping(item, path) is None:
            continue
        ident = r.ident(item, path)
        target = None
        if item.get("target") is not None:
            target = r.number(item["target"], (*path, "target"))
        members = r.ids(item.get("initiatives"), (*path, "initiatives"))
        for j, target_id in enumerate(members):
            if target_id not in init_ids:
                r.fail(f"unknown initiative {target_id!r}", (*path, "initiatives", j))
        if ident is not None:
            objectives.append(SimObjective(ident, target, members))
    if r.problems:
        raise doc.error(r.problems)
    scenario = Scenario(
        periods, tuple(teams), tuple(initiatives), tuple(risks), tuple(drivers), tuple(objectives)
    )
    # What only the whole scenario shows (a dependency cycle), placed on its item.
    late = scenario_problems(scenario)
    if late:
        section_key = {
            "initiative": "initiatives",
            "risk": "risks",
            "driver": "drivers",
            "team": "teams",
            "objective": "objectives",
        }
        raise doc.error(
            [
                doc.problem(p.message, (section_key.get(p.section, p.section), p.index, *p.field))
                for p in late
            ]
        )
    return scenario


def read_scenario(path: str | Path) -> Scenario:
    return scenario_from_document(read_document(path))


def parse_scenario(text: str, filename: str | None = None) -> Scenario:
    return scenario_from_document(parse_text(text, filename))


__all__ = [
    "InputError",
    "parse_drivers",
    "parse_range",
    "parse_risks",
    "parse_scenario",
    "read_scenario",
    "scenario_from_document",
]
