"""The allocation problem: periods, teams with capacity, initiatives, objectives, horizon mix.

A portfolio file (YAML or JSON) reads like this::

    periods: [Q1, Q2, Q3, Q4]
    teams:
      - {id: platform, capacity: 20}                 # person-weeks in every period
      - {id: web, capacity: {Q1: 12, Q2: 12, Q3: 10, Q4: 10}}
    objectives:                                      # optional
      - {id: growth, weight: 2}
      - {id: retention, weight: 1}
    horizon_mix:                                     # optional
      target: {core: 0.7, adjacent: 0.2, transformational: 0.1}
      tolerance: 0.05
      basis: effort                                  # or value
    initiatives:
      - id: migrate-db
        value: 40                                    # or {low: 20, likely: 40, high: 90}
        effort: {platform: 8, web: {low: 1, likely: 2, high: 4}}
        duration: 2                                  # periods, default 1
        after: [auth]                                # must finish before this starts
        mandatory: true
        earliest: Q1                                 # earliest and latest *start* periods
        latest: Q2
        deadline: Q3                                 # optional: must *finish* by this period
        horizon: core
        objectives: [growth]                         # or [{id: growth, share: 0.6}, ...]

The portfolio app's own fields ride along and are ignored here: a top-level ``products``
section, ``name``/``description``/``periods`` of an objective, ``description``/``product`` of
an initiative (see docs/portfolio.md).

Definitions the optimiser and the baselines share:

* **Estimates.** ``value`` and each team's ``effort`` may be a number or a range
  ``{low, likely, high}``. A range counts as the mean of the triangular distribution,
  ``(low + likely + high) / 3``: planning on "likely" systematically over-commits when the
  range is skewed to the right, as effort ranges usually are, and the mean is what the risk
  module's simulations average to. The ranges themselves are kept for that module.
* **Effort** is person-weeks needed from that team *in each period the initiative runs*;
  an initiative of duration ``d`` started in period ``s`` uses it in ``s .. s+d-1``, and must
  end by the last period.
* **Objective-weighted value.** Without objectives, an initiative is worth its ``value``.
  When the portfolio lists objectives (each with a ``weight``, default 1), an initiative that
  names objectives is worth ``value * Σ share_k * weight_k``; shares are either all given
  (summing to 1) or all omitted (an equal split). Weights are relative to 1, so an initiative
  naming no objective keeps its plain value, one serving an objective of weight 2 counts
  double, and one of weight 0.5 half.
* **Horizon mix.** With ``horizon_mix``, for every horizon ``h`` in ``target`` the share of the
  plan's effort (or value, with ``basis: value``) spent on initiatives of horizon ``h`` lies
  within ``target[h] ± tolerance``. Initiatives without a horizon are outside the mix: they
  count in neither the numerator nor the denominator.
* **RICE** = reach * impact * confidence / total effort. When an initiative gives no
  ``reach``/``impact``, reach * impact stands as its plain value; ``confidence`` defaults to
  ``low / high`` of its value range (a wide range is a less confident one), or 1 with a point
  value. Total effort is person-weeks summed over teams and the periods it runs.
* **WSJF** = cost of delay / job size. ``cost_of_delay`` defaults to the objective-weighted
  value, raised for time criticality when a ``latest`` start is set: * (1 + 1/(1 + L)) where
  L is the index of the latest start period (a deadline in the first period doubles it).
  ``job_size`` defaults to the total effort.
* **Value per effort** = objective-weighted value / total effort (an initiative with no effort
  ranks first).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from leadshift.files import Document, InputError, PathPart, Problem, read_document
from leadshift.risk.scenario import DISTRIBUTIONS, SimDriver, SimRisk

BASES = ("effort", "value")


@dataclass(frozen=True)
class Estimate:
    """A three-point estimate; ``mean`` (triangular, or PERT when so marked) is used for
    planning, so the plan counts what the simulation averages to."""

    low: float
    likely: float
    high: float
    distribution: str = "triangular"

    @property
    def mean(self) -> float:
        if self.distribution == "pert":
            return (self.low + 4.0 * self.likely + self.high) / 6.0
        return (self.low + self.likely + self.high) / 3.0


@dataclass(frozen=True)
class Team:
    id: str
    capacity: tuple[float, ...]
    """Person-weeks available in each period, in the order of ``Portfolio.periods``: the
    file's capacity + hires − attrition (never below 0)."""
    hires: tuple[float, ...] = ()
    """Person-weeks planned hires add in each period (empty: none)."""
    attrition: tuple[float, ...] = ()
    """Person-weeks expected attrition takes away in each period (empty: none)."""
    given: tuple[float, ...] = ()
    """The file's capacity before hires and attrition (empty: the same as ``capacity``)."""


@dataclass(frozen=True)
class Objective:
    id: str
    weight: float = 1.0
    name: str = ""
    target: float | None = None
    """Delivered value the objective should reach (the simulation's P(reach target))."""
    initiatives: tuple[str, ...] = ()
    """Initiatives counted towards it besides those that name it."""


@dataclass(frozen=True)
class HorizonMix:
    target: dict[str, float]
    tolerance: float
    basis: str = "effort"


@dataclass(frozen=True)
class Initiative:
    id: str
    value: float
    """Point value (the triangular mean of ``value_range`` when a range was given)."""
    effort: dict[str, float]
    """Person-weeks per team in each period it runs (triangular means for ranges)."""
    duration: int = 1
    after: tuple[str, ...] = ()
    mandatory: bool = False
    earliest: int = 0
    """Index of the earliest start period."""
    latest: int = 0
    """Index of the latest start period, already clamped so that the initiative ends in time."""
    latest_given: bool = False
    horizon: str | None = None
    objectives: tuple[tuple[str, float], ...] = ()
    """(objective id, share) pairs; shares sum to 1."""
    value_range: Estimate | None = None
    effort_range: dict[str, Estimate] = field(default_factory=dict)
    reach: float | None = None
    impact: float | None = None
    confidence: float | None = None
    cost_of_delay: float | None = None
    job_size: float | None = None
    name: str = ""
    start: int | None = None
    """The planned start period's index when the file carries a plan, else None."""
    deadline: int | None = None
    """Index of the period it must be finished by, when given."""

    @property
    def starts(self) -> range:
        return range(self.earliest, self.latest + 1)

    @property
    def total_effort(self) -> float:
        return sum(self.effort.values()) * self.duration


@dataclass(frozen=True)
class Portfolio:
    periods: tuple[str, ...]
    teams: tuple[Team, ...]
    initiatives: tuple[Initiative, ...]
    objectives: tuple[Objective, ...] = ()
    horizon_mix: HorizonMix | None = None
    source: str | None = None
    risks: tuple[SimRisk, ...] = ()
    drivers: tuple[SimDriver, ...] = ()
    unfit: tuple[tuple[Initiative, str], ...] = ()
    """Optional initiatives that cannot run within the periods (and what waits on them), with
    the reason: outside ``initiatives``, so every plan leaves them out with that reason."""
    closed: tuple[tuple[Initiative, str], ...] = ()
    """Initiatives done or dropped (and what waits on a dropped one), with the reason: outside
    ``initiatives``, so no plan schedules them again; what waited on a done one may start."""

    @property
    def every_initiative(self) -> tuple[Initiative, ...]:
        """The file's initiatives, those left out included (for storing, not planning)."""
        return (*self.initiatives, *(a for a, _ in self.unfit), *(a for a, _ in self.closed))

    def __post_init__(self) -> None:
        object.__setattr__(self, "_team_index", {t.id: k for k, t in enumerate(self.teams)})
        object.__setattr__(self, "_init_index", {a.id: i for i, a in enumerate(self.initiatives)})
        object.__setattr__(self, "_objective", {o.id: o for o in self.objectives})

    def team_index(self, team_id: str) -> int:
        return self._team_index[team_id]  # type: ignore[attr-defined]

    def index(self, initiative_id: str) -> int:
        return self._init_index[initiative_id]  # type: ignore[attr-defined]

    def initiative(self, initiative_id: str) -> Initiative:
        return self.initiatives[self.index(initiative_id)]

    def weighted_value(self, item: Initiative) -> float:
        """Objective-weighted value (see the module docstring)."""
        if not item.objectives or not self.objectives:
            return item.value
        weights: dict[str, Objective] = self._objective  # type: ignore[attr-defined]
        return item.value * sum(share * weights[oid].weight for oid, share in item.objectives)

    def rice(self, item: Initiative) -> float:
        reach_impact = (
            item.reach * item.impact
            if item.reach is not None and item.impact is not None
            else (item.reach if item.reach is not None else item.value)
            * (item.impact if item.impact is not None else 1.0)
        )
        confidence = item.confidence
        if confidence is None:
            rng = item.value_range
            confidence = rng.low / rng.high if rng is not None and rng.high > 0 else 1.0
        return _ratio(reach_impact * confidence, item.total_effort)

    def wsjf(self, item: Initiative) -> float:
        cod = item.cost_of_delay
        if cod is None:
            cod = self.weighted_value(item)
            if item.latest_given:
                cod *= 1.0 + 1.0 / (1.0 + item.latest)
        size = item.job_size if item.job_size is not None else item.total_effort
        return _ratio(cod, size)

    def value_per_effort(self, item: Initiative) -> float:
        return _ratio(self.weighted_value(item), item.total_effort)


def _ratio(num: float, den: float) -> float:
    # Work that needs no capacity is worth doing first whatever its value.
    return num / den if den > 0 else float("inf") if num > 0 else 0.0


def read_portfolio(path: str | Path) -> Portfolio:
    """Read and validate a portfolio file; raises InputError listing every problem placed."""
    return portfolio_from_document(read_document(path))


def portfolio_from_document(doc: Document) -> Portfolio:
    """Validate a parsed document; every problem is collected before one InputError is raised."""
    return _Reader(doc).read()


def spread_to_waiting(
    items: list[Initiative], reasons: dict[str, str], because: Callable[[str, str], str]
) -> None:
    """Leave out, with a reason, whatever waits (directly or not) on something left out."""
    changed = True
    while changed:
        changed = False
        for a in items:
            blocked = [d for d in a.after if d in reasons]
            if a.id not in reasons and blocked:
                reasons[a.id] = because(blocked[0], reasons[blocked[0]])
                changed = True


class _Reader:
    def __init__(self, doc: Document):
        self.doc = doc
        self.problems: list[Problem] = []
        self.team_ids: set[str] = set()
        self.unfit_reason: dict[str, str] = {}
        self.status: dict[str, str] = {}

    def fail(self, message: str, path: tuple[PathPart, ...]) -> None:
        self.problems.append(self.doc.problem(message, path))

    # --- scalar helpers -------------------------------------------------------------
    def number(self, raw: Any, path: tuple[PathPart, ...], *, minimum: float | None = 0.0):
        if isinstance(raw, bool) or not isinstance(raw, int | float):
            self.fail(f"expected a number, got {raw!r}", path)
            return None
        if minimum is not None and raw < minimum:
            self.fail(f"must be at least {minimum:g}, got {raw:g}", path)
            return None
        return float(raw)

    def estimate(
        self, raw: Any, path: tuple[PathPart, ...]
    ) -> tuple[float | None, Estimate | None]:
        if isinstance(raw, Mapping):
            vals: dict[str, float] = {}
            for key in ("low", "likely", "high"):
                if key not in raw:
                    self.fail(f"a range needs '{key}'", path)
                    continue
                got = self.number(raw[key], (*path, key))
                if got is not None:
                    vals[key] = got
            for key in raw:
                if key not in ("low", "likely", "high", "distribution"):
                    self.fail(
                        "unknown field (a range has low, likely, high, distribution)", (*path, key)
                    )
            dist = raw.get("distribution", "triangular")
            if dist not in DISTRIBUTIONS:
                self.fail(
                    f"must be one of {', '.join(DISTRIBUTIONS)}, got {dist!r}",
                    (*path, "distribution"),
                )
                return None, None
            if len(vals) < 3:
                return None, None
            est = Estimate(vals["low"], vals["likely"], vals["high"], str(dist))
            if est.low > est.high:
                self.fail(f"low ({est.low:g}) is above high ({est.high:g})", (*path, "low"))
                return None, None
            if not est.low <= est.likely <= est.high:
                self.fail(
                    f"likely ({est.likely:g}) must lie between low ({est.low:g}) "
                    f"and high ({est.high:g})",
                    (*path, "likely"),
                )
                return None, None
            return est.mean, est
        return self.number(raw, path), None

    def ident(self, raw: Any, path: tuple[PathPart, ...]) -> str | None:
        if isinstance(raw, bool) or not isinstance(raw, str | int) or str(raw).strip() == "":
            self.fail(f"expected a name, got {raw!r}", path)
            return None
        return str(raw)

    def period(self, raw: Any, path: tuple[PathPart, ...], periods: dict[str, int]) -> int | None:
        if str(raw) not in periods:
            self.fail(f"unknown period {raw!r} (periods are {', '.join(periods)})", path)
            return None
        return periods[str(raw)]

    def mapping(self, raw: Any, path: tuple[PathPart, ...]) -> Mapping[Any, Any] | None:
        if not isinstance(raw, Mapping):
            self.fail(f"expected a mapping, got {type(raw).__name__}", path)
            return None
        return raw

    def listing(self, raw: Any, path: tuple[PathPart, ...]) -> list[Any]:
        if not isinstance(raw, list):
            self.fail(f"expected a list, got {type(raw).__name__}", path)
            return []
        return raw

    def unknown_fields(self, raw: Mapping[Any, Any], allowed: set[str], path) -> None:
        for key in raw:
            if key not in allowed:
                self.fail("unknown field", (*path, key))

    # --- sections -------------------------------------------------------------------
    def read(self) -> Portfolio:
        root = self.mapping(self.doc.data, ())
        if root is None:
            raise self.doc.error(self.problems)
        self.unknown_fields(
            root,
            {
                "periods",
                "teams",
                "initiatives",
                "objectives",
                "horizon_mix",
                "name",
                "products",
                "risks",
                "drivers",
            },
            (),
        )
        for key in ("periods", "teams", "initiatives"):
            if key not in root:
                self.fail("this field is required", (key,))
        periods = self.read_periods(root.get("periods", []))
        index = {p: i for i, p in enumerate(periods)}
        teams = self.read_teams(root.get("teams", []), index)
        objectives = self.read_objectives(root.get("objectives", []))
        mix = self.read_mix(root["horizon_mix"]) if "horizon_mix" in root else None
        initiatives = self.read_initiatives(
            root.get("initiatives", []), index, self.team_ids, objectives, mix
        )
        known = {
            str(x["id"])
            for x in root.get("initiatives", []) or []
            if isinstance(x, Mapping) and isinstance(x.get("id"), str | int)
        }
        objectives = self.check_members(root, objectives, known)
        drivers, risks = self.read_risks(root, known)
        if not self.problems:
            self.check_cycles(initiatives)
        unfit: list[tuple[Initiative, str]] = []
        closed: list[tuple[Initiative, str]] = []
        if not self.problems:
            initiatives, closed = self.leave_out_closed(initiatives)
            initiatives, unfit = self.leave_out_unfit(initiatives)
        if not self.problems:
            self.check_mandatory_fit(periods, teams, initiatives)
        if self.problems:
            raise self.doc.error(self.problems)
        return Portfolio(
            periods=tuple(periods),
            teams=tuple(teams),
            initiatives=tuple(initiatives),
            objectives=tuple(objectives),
            horizon_mix=mix,
            source=self.doc.filename,
            risks=tuple(risks),
            drivers=tuple(drivers),
            unfit=tuple(unfit),
            closed=tuple(closed),
        )

    def check_members(
        self, root: Mapping[Any, Any], objectives: list[Objective], known: set[str]
    ) -> list[Objective]:
        """An objective's own list of initiatives (the simulation counts them towards it)."""
        raw = root.get("objectives", [])
        if not isinstance(raw, list):
            return objectives
        by_id = {o.id: o for o in objectives}
        for i, item in enumerate(raw):
            if not isinstance(item, Mapping) or "initiatives" not in item:
                continue
            members = []
            path: tuple[PathPart, ...] = ("objectives", i, "initiatives")
            for j, iid in enumerate(self.listing(item["initiatives"], path)):
                if str(iid) not in known:
                    self.fail(f"unknown initiative {iid!r}", (*path, j))
                else:
                    members.append(str(iid))
            got = by_id.get(str(item.get("id")))
            if got is not None:
                by_id[got.id] = replace(got, initiatives=tuple(members))
        return [by_id[o.id] for o in objectives]

    def read_risks(
        self, root: Mapping[Any, Any], known: set[str]
    ) -> tuple[list[SimDriver], list[SimRisk]]:
        # The risk module reads these sections; its reader shares our list of problems.
        from leadshift.risk.scenario_file import RiskReader, parse_drivers, parse_risks

        r = RiskReader(self.doc)
        r.problems = self.problems
        drivers = parse_drivers(r, root)
        risks = parse_risks(
            r, root, initiatives=known, teams=self.team_ids, drivers={d.id for d in drivers}
        )
        return drivers, risks

    def leave_out_closed(
        self, items: list[Initiative]
    ) -> tuple[list[Initiative], list[tuple[Initiative, str]]]:
        """Done and dropped initiatives without a start are not planned again. What waited on a
        done one is free to start; what waits on a dropped one is left out too (a mandatory one
        cannot be)."""
        done = {iid for iid, s in self.status.items() if s == "done"}
        reasons = {iid: f"it is {s}" for iid, s in self.status.items() if s in ("done", "dropped")}
        items = [
            replace(a, after=tuple(d for d in a.after if d not in done))
            if done & set(a.after)
            else a
            for a in items
        ]
        spread_to_waiting(items, reasons, lambda d, _: f"it waits on {d!r}, which was dropped")
        for a in items:
            if a.mandatory and a.id in reasons and a.id not in self.status:
                self.fail(
                    f"mandatory {a.id!r} cannot be planned: {reasons[a.id]}",
                    self.line_path(items, a.id, "mandatory"),
                )
        return [a for a in items if a.id not in reasons], [
            (a, reasons[a.id]) for a in items if a.id in reasons
        ]

    def leave_out_unfit(
        self, items: list[Initiative]
    ) -> tuple[list[Initiative], list[tuple[Initiative, str]]]:
        """Optional initiatives with no start that ends in time, and what waits on them."""
        reasons = {a.id: self.unfit_reason.pop(a.id) for a in items if a.id in self.unfit_reason}
        spread_to_waiting(
            items,
            reasons,
            lambda d, why: (
                f"it waits on {d!r}, which cannot fit: " + why.removeprefix("it waits on ")
            ),
        )
        for a in items:
            if a.id in reasons and a.mandatory:
                self.fail(
                    f"mandatory {a.id!r} cannot be planned: {reasons[a.id]}",
                    self.line_path(items, a.id, "mandatory"),
                )
        return [a for a in items if a.id not in reasons], [
            (a, reasons[a.id]) for a in items if a.id in reasons
        ]

    def read_periods(self, raw: Any) -> list[str]:
        out: list[str] = []
        for i, item in enumerate(self.listing(raw, ("periods",))):
            name = self.ident(item, ("periods", i))
            if name is None:
                continue
            if name in out:
                self.fail(f"period {name!r} is listed twice", ("periods", i))
                continue
            out.append(name)
        if isinstance(raw, list) and not raw:
            self.fail("at least one period is needed", ("periods",))
        return out

    def read_teams(self, raw: Any, periods: dict[str, int]) -> list[Team]:
        out: list[Team] = []
        seen: set[str] = set()
        for i, item in enumerate(self.listing(raw, ("teams",))):
            path: tuple[PathPart, ...] = ("teams", i)
            body = self.mapping(item, path)
            if body is None:
                continue
            self.unknown_fields(body, {"id", "capacity", "name", "hires", "attrition"}, path)
            tid = self.ident(body.get("id"), (*path, "id"))
            if tid is not None and tid in seen:
                self.fail(f"team {tid!r} is listed twice", (*path, "id"))
            if tid is not None:
                # Known even when its capacity is wrong, so efforts naming it are not blamed.
                self.team_ids.add(tid)
            if "capacity" not in body:
                self.fail("this field is required", (*path, "capacity"))
                continue
            cap = self.read_capacity(body["capacity"], (*path, "capacity"), periods)
            changes = {
                # A mapping may name only the periods with a change; the others have none.
                k: self.read_capacity(
                    {**dict.fromkeys(periods, 0.0), **body[k]}
                    if isinstance(body[k], Mapping)
                    else body[k],
                    (*path, k),
                    periods,
                )
                if k in body
                else ()
                for k in ("hires", "attrition")
            }
            if tid is not None and cap is not None and tid not in seen:
                seen.add(tid)
                hires, lost = changes["hires"] or (), changes["attrition"] or ()
                given = cap
                if hires or lost:
                    # Attrition beyond what the team has leaves it with nothing, not less.
                    cap = tuple(
                        max(0.0, c + (hires[k] if hires else 0.0) - (lost[k] if lost else 0.0))
                        for k, c in enumerate(cap)
                    )
                out.append(Team(tid, cap, hires, lost, given if hires or lost else ()))
        return out

    def read_capacity(self, raw: Any, path, periods: dict[str, int]) -> tuple[float, ...] | None:
        if isinstance(raw, list):
            if len(raw) != len(periods):
                self.fail(f"needs one capacity per period ({len(periods)}), got {len(raw)}", path)
                return None
            got_all = [self.number(v, (*path, k)) for k, v in enumerate(raw)]
            return (
                None if any(g is None for g in got_all) else tuple(float(g or 0) for g in got_all)
            )
        if isinstance(raw, Mapping):
            values: dict[int, float] = {}
            for key, val in raw.items():
                p = self.period(key, (*path, key), periods)
                got = self.number(val, (*path, key))
                if p is not None and got is not None:
                    values[p] = got
            missing = [name for name, p in periods.items() if p not in values and name not in raw]
            if missing:
                self.fail(f"no capacity for period {', '.join(map(repr, missing))}", path)
            if len(values) != len(periods):
                return None
            return tuple(values[p] for p in range(len(periods)))
        got = self.number(raw, path)
        return None if got is None else tuple(got for _ in periods)

    def read_objectives(self, raw: Any) -> list[Objective]:
        out: list[Objective] = []
        for i, item in enumerate(self.listing(raw, ("objectives",))):
            path: tuple[PathPart, ...] = ("objectives", i)
            body = self.mapping(item, path)
            if body is None:
                continue
            self.unknown_fields(
                body,
                {
                    "id",
                    "weight",
                    "name",
                    "description",
                    "periods",
                    "target",
                    "initiatives",
                    "key_results",
                },
                path,
            )
            oid = self.ident(body.get("id"), (*path, "id"))
            weight = self.number(body.get("weight", 1.0), (*path, "weight"))
            target = (
                self.number(body["target"], (*path, "target"), minimum=None)
                if body.get("target") is not None
                else None
            )
            if oid is not None and any(o.id == oid for o in out):
                self.fail(f"objective {oid!r} is listed twice", (*path, "id"))
            elif oid is not None and weight is not None:
                out.append(Objective(oid, weight, str(body.get("name", "")), target))
        return out

    def read_mix(self, raw: Any) -> HorizonMix | None:
        path: tuple[PathPart, ...] = ("horizon_mix",)
        body = self.mapping(raw, path)
        if body is None:
            return None
        self.unknown_fields(body, {"target", "tolerance", "basis"}, path)
        target_raw = self.mapping(body.get("target"), (*path, "target"))
        tolerance = self.number(body.get("tolerance", 0.0), (*path, "tolerance"))
        basis = body.get("basis", "effort")
        if basis not in BASES:
            self.fail(f"basis must be one of {', '.join(BASES)}, got {basis!r}", (*path, "basis"))
        if target_raw is None or tolerance is None:
            return None
        target: dict[str, float] = {}
        for key, val in target_raw.items():
            got = self.number(val, (*path, "target", key))
            if got is not None:
                # Shares may be written as 70/20/10 or 0.7/0.2/0.1.
                target[str(key)] = got
        total = sum(target.values())
        if total > 1.0 + 1e-9:
            target = {k: v / 100.0 for k, v in target.items()}
            total /= 100.0
        if abs(total - 1.0) > 1e-6:
            self.fail(f"target shares add up to {total:g}, not 1 (or 100)", (*path, "target"))
            return None
        if tolerance > 1.0:
            tolerance /= 100.0
        return HorizonMix(target, tolerance, str(basis))

    def read_initiatives(
        self,
        raw: Any,
        periods: dict[str, int],
        teams: set[str],
        objectives: list[Objective],
        mix: HorizonMix | None,
    ) -> list[Initiative]:
        items = self.listing(raw, ("initiatives",))
        ids: dict[str, int] = {}
        for i, item in enumerate(items):
            if isinstance(item, Mapping) and isinstance(item.get("id"), str | int):
                if str(item["id"]) in ids:
                    self.fail(f"initiative {item['id']!r} is listed twice", ("initiatives", i))
                ids.setdefault(str(item["id"]), i)
        out = []
        for i, item in enumerate(items):
            got = self.read_initiative(item, i, periods, teams, objectives, mix, ids)
            if got is not None:
                out.append(got)
        return out

    def read_initiative(self, raw, i, periods, teams, objectives, mix, ids) -> Initiative | None:
        path: tuple[PathPart, ...] = ("initiatives", i)
        body = self.mapping(raw, path)
        if body is None:
            return None
        allowed = {
            "id",
            "name",
            "value",
            "effort",
            "duration",
            "after",
            "mandatory",
            "earliest",
            "latest",
            "horizon",
            "objectives",
            "reach",
            "impact",
            "confidence",
            "cost_of_delay",
            "job_size",
            "deadline",
            "description",
            "product",
            "start",
            "status",
            "status_reason",
            "finished",
            "external_key",
        }
        self.unknown_fields(body, allowed, path)
        before = len(self.problems)
        for key in ("id", "value", "effort"):
            if key not in body:
                self.fail("this field is required", (*path, key))
        iid = self.ident(body.get("id"), (*path, "id"))
        value, value_range = (
            self.estimate(body["value"], (*path, "value")) if "value" in body else (None, None)
        )
        effort: dict[str, float] = {}
        effort_range: dict[str, Estimate] = {}
        eff = self.mapping(body.get("effort", {}), (*path, "effort"))
        for team, amount in (eff or {}).items():
            epath = (*path, "effort", team)
            if str(team) not in teams:
                self.fail(f"unknown team {team!r}", epath)
                continue
            mean, rng = self.estimate(amount, epath)
            if mean is not None:
                effort[str(team)] = mean
            if rng is not None:
                effort_range[str(team)] = rng
        duration_raw = body.get("duration", 1)
        duration = 1
        if isinstance(duration_raw, bool) or not isinstance(duration_raw, int) or duration_raw < 1:
            self.fail(
                f"duration must be a whole number of periods >= 1, got {duration_raw!r}",
                (*path, "duration"),
            )
        else:
            duration = duration_raw
        after: list[str] = []
        for j, dep in enumerate(self.listing(body.get("after", []), (*path, "after"))):
            if str(dep) not in ids:
                self.fail(f"unknown initiative {dep!r}", (*path, "after", j))
            elif str(dep) == iid:
                self.fail("an initiative cannot come after itself", (*path, "after", j))
            else:
                after.append(str(dep))
        mandatory = body.get("mandatory", False)
        if not isinstance(mandatory, bool):
            self.fail(f"expected true or false, got {mandatory!r}", (*path, "mandatory"))
        n = len(periods)
        earliest = (
            self.period(body["earliest"], (*path, "earliest"), periods) if "earliest" in body else 0
        )
        latest = (
            self.period(body["latest"], (*path, "latest"), periods) if "latest" in body else n - 1
        )
        names = list(periods)
        unfit = ""
        due = None
        if "deadline" in body:
            due = self.period(body["deadline"], (*path, "deadline"), periods)
            if due is not None and latest is not None:
                if due - duration + 1 < 0:
                    unfit = f"it runs {duration} period(s), so it cannot finish by {names[due]}"
                latest = max(0, min(latest, due - duration + 1))
        if (
            "latest" in body
            and earliest is not None
            and latest is not None
            and earliest > periods.get(str(body["latest"]), latest)
        ):
            self.fail("earliest start is after latest start", (*path, "earliest"))
        if earliest is not None and latest is not None and n and not unfit:
            last_fit = n - duration
            if earliest > last_fit:
                unfit = (
                    f"it runs {duration} period(s); started no earlier than "
                    f"{names[earliest]} it would end after the last period {names[-1]}"
                )
            elif earliest > latest:
                unfit = (
                    f"it runs {duration} period(s) and must finish by {names[due or 0]}, "
                    f"but may not start before {names[earliest]}"
                )
            latest = min(latest, last_fit)
        start = (
            self.period(body["start"], (*path, "start"), periods)
            if body.get("start") is not None
            else None
        )
        horizon = body.get("horizon")
        if horizon is not None:
            horizon = str(horizon)
            if mix is not None and horizon not in mix.target:
                self.fail(
                    f"horizon {horizon!r} is not in horizon_mix.target ({', '.join(mix.target)})",
                    (*path, "horizon"),
                )
        links = self.read_links(body.get("objectives", []), (*path, "objectives"), objectives)
        extra: dict[str, float | None] = {}
        for key in ("reach", "impact", "confidence", "cost_of_delay", "job_size"):
            extra[key] = self.number(body[key], (*path, key)) if key in body else None
        if extra["confidence"] is not None and extra["confidence"] > 1:
            extra["confidence"] /= 100.0  # a percentage
        if len(self.problems) > before or iid is None or value is None:
            return None
        assert earliest is not None and latest is not None
        if unfit:
            self.unfit_reason[iid] = unfit
        # A start puts it in the plan the file carries (replayed as written, done work too).
        if isinstance(body.get("status"), str) and start is None:
            self.status[iid] = body["status"]
        return Initiative(
            id=iid,
            value=value,
            effort=effort,
            duration=duration,
            after=tuple(after),
            mandatory=bool(mandatory),
            earliest=earliest,
            latest=latest,
            latest_given="latest" in body or "deadline" in body,
            horizon=horizon,
            objectives=links,
            value_range=value_range,
            effort_range=effort_range,
            name=str(body.get("name", "")),
            start=start,
            deadline=due,
            **extra,
        )

    def read_links(self, raw, path, objectives: list[Objective]) -> tuple[tuple[str, float], ...]:
        known = {o.id for o in objectives}
        links: list[tuple[str, float | None]] = []
        for j, item in enumerate(self.listing(raw, path)):
            if isinstance(item, Mapping):
                oid, share = item.get("id"), item.get("share")
                share = None if share is None else self.number(share, (*path, j, "share"))
            else:
                oid, share = item, None
            if str(oid) not in known:
                self.fail(f"unknown objective {oid!r}", (*path, j))
                continue
            links.append((str(oid), share))
        if not links:
            return ()
        given = [s for _, s in links if s is not None]
        if not given:
            return tuple((oid, 1.0 / len(links)) for oid, _ in links)
        if len(given) != len(links):
            self.fail("give a share for every objective or for none", path)
            return ()
        total = sum(given)
        if abs(total - 1.0) > 1e-6:
            self.fail(f"objective shares add up to {total:g}, not 1", path)
            return ()
        return tuple((oid, float(s or 0.0)) for oid, s in links)

    # --- whole-portfolio rules ----------------------------------------------------------
    def line_path(self, initiatives: list[Initiative], iid: str, *rest: PathPart):
        data = self.doc.data["initiatives"]
        for i, item in enumerate(data):
            if isinstance(item, Mapping) and str(item.get("id")) == iid:
                return ("initiatives", i, *rest)
        return ("initiatives",)

    def check_cycles(self, initiatives: list[Initiative]) -> None:
        for cycle in find_cycles({a.id: a.after for a in initiatives}):
            self.fail(
                "dependency cycle: " + " → ".join([*cycle, cycle[0]]) + " (each waits for the next)"
                if len(cycle) > 1
                else f"dependency cycle on {cycle[0]!r}",
                self.line_path(initiatives, cycle[0], "after"),
            )

    def check_mandatory_fit(self, periods, teams: list[Team], items: list[Initiative]) -> None:
        caps = {t.id: t.capacity for t in teams}
        for item in items:
            if not item.mandatory:
                continue
            reason = single_fit_failure(item, caps, periods)
            if reason:
                self.fail(reason, self.line_path(items, item.id, "mandatory"))


def single_fit_failure(item: Initiative, caps: Mapping[str, tuple[float, ...]], periods) -> str:
    """Why a mandatory item cannot fit even alone, or '' when some start fits."""
    shortfalls = []
    for s in item.starts:
        short = [
            (team, t, need)
            for team, need in item.effort.items()
            for t in range(s, s + item.duration)
            if need > caps[team][t] + 1e-9
        ]
        if not short:
            return ""
        shortfalls.append(short[0])
    if not shortfalls:
        return f"mandatory {item.id!r} has no start period within its window"
    team, t, need = shortfalls[0]
    where = " or ".join(periods[s] for s in item.starts)
    return (
        f"mandatory {item.id!r} cannot fit: it needs {need:g} person-weeks of team {team!r} "
        f"in {periods[t]} but it has {caps[team][t]:g} (allowed starts: {where})"
    )


def find_cycles(after: Mapping[str, tuple[str, ...]]) -> list[list[str]]:
    """One cycle per strongly connected group of initiatives that wait on each other."""
    colour: dict[str, int] = {}
    cycles: list[list[str]] = []
    seen_sets: list[set[str]] = []
    for root in after:
        if colour.get(root):
            continue
        stack: list[tuple[str, int]] = [(root, 0)]
        trail: list[str] = []
        while stack:
            node, k = stack.pop()
            if k == 0:
                colour[node] = 1
                trail.append(node)
            deps = after.get(node, ())
            if k < len(deps):
                stack.append((node, k + 1))
                nxt = deps[k]
                if colour.get(nxt, 0) == 0:
                    stack.append((nxt, 0))
                elif colour[nxt] == 1:
                    cycle = trail[trail.index(nxt) :]
                    if not any(set(cycle) <= s for s in seen_sets):
                        seen_sets.append(set(cycle))
                        cycles.append(cycle)
            else:
                colour[node] = 2
                trail.pop()
    return cycles


__all__ = [
    "Estimate",
    "HorizonMix",
    "Initiative",
    "InputError",
    "Objective",
    "Portfolio",
    "Team",
    "find_cycles",
    "portfolio_from_document",
    "read_portfolio",
]
