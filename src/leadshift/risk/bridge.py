"""The stored portfolio, plan and risk register mapped onto the engines' inputs.

``allocation_portfolio`` gives the optimiser's Portfolio for a scenario (its capacity
overrides, forced and left-out initiatives, horizon mix); ``simulation_scenario`` gives the
Monte Carlo engine's Scenario for a plan (initiatives at their planned starts) with the risk
register: a risk on an initiative hits it, on a product every planned initiative of the
product, on an objective every planned initiative serving it, on nothing the whole plan.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from leadshift.allocation import allocate
from leadshift.allocation.problem import Estimate, HorizonMix, Portfolio
from leadshift.allocation.problem import Initiative as AInitiative
from leadshift.allocation.problem import Objective as AObjective
from leadshift.allocation.problem import Team as ATeam
from leadshift.core.errors import Invalid
from leadshift.people.models import Organisation, Team
from leadshift.planning.models import Scenario as PlanScenario
from leadshift.portfolio.models import (
    Initiative,
    Objective,
    Period,
    PortfolioSettings,
    TeamCapacity,
)
from leadshift.risk.models import ObjectiveTarget, Risk, RiskDriver
from leadshift.risk.scenario import (
    Mitigation,
    Range,
    Scenario,
    SimDriver,
    SimInitiative,
    SimObjective,
    SimRisk,
    SimTeam,
)

UNLIMITED = 1e9


@dataclass
class Stored:
    """The organisation's portfolio rows, read once."""

    periods: list[Period]
    teams: list[Team]
    capacity: dict[tuple[int, int], float]
    initiatives: list[Initiative]
    objectives: list[Objective]
    excluded: set[int] = field(default_factory=set)
    mandatory: set[int] = field(default_factory=set)
    mix: HorizonMix | None = None

    @property
    def period_names(self) -> tuple[str, ...]:
        return tuple(p.name for p in self.periods)

    def period_index(self, period_id: int | None) -> int | None:
        for k, p in enumerate(self.periods):
            if p.id == period_id:
                return k
        return None


def load(org: Organisation, scenario: PlanScenario | None) -> Stored:
    periods = list(Period.objects.filter(organisation=org).order_by("position", "id"))
    if not periods:
        raise Invalid("the portfolio has no planning periods yet", field="scenario")
    initiatives = list(
        Initiative.objects.filter(organisation=org)
        .select_related("product")
        .prefetch_related("efforts__team", "objective_links__objective", "after")
    )
    team_ids = {e.team_id for i in initiatives for e in i.efforts.all()}
    capacity = {
        (c.team_id, c.period_id): c.effective
        for c in TeamCapacity.objects.filter(period__organisation=org)
    }
    team_ids |= {t for t, _ in capacity}
    teams = list(Team.objects.filter(organisation=org, id__in=team_ids).order_by("name"))
    stored = Stored(
        periods=periods,
        teams=teams,
        capacity=capacity,
        initiatives=initiatives,
        objectives=list(Objective.objects.filter(organisation=org)),
    )
    settings = PortfolioSettings.objects.filter(organisation=org).first()
    target, tolerance, basis = {}, 0.1, "effort"
    if settings is not None:
        target, tolerance, basis = (
            settings.horizon_target,
            settings.horizon_tolerance,
            settings.horizon_basis,
        )
    if scenario is not None:
        for c in scenario.capacities.all():
            stored.capacity[(c.team_id, c.period_id)] = c.person_weeks
        for rule in scenario.rules.all():
            (stored.excluded if rule.rule == "excluded" else stored.mandatory).add(
                rule.initiative_id
            )
        if scenario.mix_override:
            target, tolerance, basis = (
                scenario.horizon_target,
                scenario.horizon_tolerance,
                scenario.horizon_basis,
            )
    if target:
        stored.mix = HorizonMix(dict(target), tolerance, basis)
    return stored


def _estimate(low: float | None, likely: float, high: float | None) -> Estimate:
    return Estimate(likely if low is None else low, likely, likely if high is None else high)


def allocation_portfolio(stored: Stored, values: dict[str, float] | None = None) -> Portfolio:
    """The optimiser's input; ``values`` replaces initiatives' point values (by key)."""
    horizon = len(stored.periods)
    inits = []
    keep = [i for i in stored.initiatives if i.id not in stored.excluded]
    keys = {i.id: i.key for i in keep}
    for i in keep:
        value = _estimate(i.value_low, i.value_likely, i.value_high)
        efforts = {e.team.name: _estimate(e.low, e.likely, e.high) for e in i.efforts.all()}
        earliest = stored.period_index(i.earliest_start_id) or 0
        latest = horizon - i.duration
        latest_given = False
        if i.latest_start_id:
            latest = min(latest, stored.period_index(i.latest_start_id) or 0)
            latest_given = True
        if i.deadline_id:
            latest = min(latest, (stored.period_index(i.deadline_id) or 0) - i.duration + 1)
            latest_given = True
        links = list(i.objective_links.all())
        shares = [x.share for x in links]
        if links and all(s is not None for s in shares):
            total = sum(s for s in shares if s is not None) or 1.0
            objectives = tuple((x.objective.key, (x.share or 0.0) / total) for x in links)
        else:
            objectives = tuple((x.objective.key, 1.0 / len(links)) for x in links)
        point = value.mean if values is None else values.get(i.key, value.mean)
        inits.append(
            AInitiative(
                id=i.key,
                value=point,
                effort={t: e.mean for t, e in efforts.items()},
                duration=i.duration,
                after=tuple(keys[a.id] for a in i.after.all() if a.id in keys),
                mandatory=i.mandatory or i.id in stored.mandatory,
                earliest=earliest,
                latest=latest,
                latest_given=latest_given,
                horizon=i.horizon or None,
                objectives=objectives,
                value_range=value if values is None else None,
                effort_range=efforts,
                reach=i.reach,
                impact=i.impact,
                confidence=i.confidence,
                cost_of_delay=i.cost_of_delay,
                job_size=i.job_size,
                name=i.name,
            )
        )
    teams = tuple(
        ATeam(t.name, tuple(stored.capacity.get((t.id, p.id), 0.0) for p in stored.periods))
        for t in stored.teams
    )
    goals = tuple(AObjective(o.key, o.weight, o.name) for o in stored.objectives)
    return Portfolio(stored.period_names, teams, tuple(inits), goals, stored.mix)


def plan_starts(
    stored: Stored, scenario: PlanScenario | None, *, time_limit: float = 10.0
) -> dict[str, int]:
    """Initiative key -> planned start index: the scenario's adopted (or latest finished) run,
    or a fresh optimiser run when it has none."""
    names = {p: k for k, p in enumerate(stored.period_names)}
    run = None
    if scenario is not None:
        run = scenario.adopted_run or scenario.runs.filter(status="done").first()
    if run is not None and run.result:
        starts = {
            s["id"]: names[s["start"]]
            for s in run.result.get("selected", [])
            if s.get("start") in names
        }
        known = {i.key for i in stored.initiatives}
        return {k: v for k, v in starts.items() if k in known}
    plan = allocate(allocation_portfolio(stored), time_limit=time_limit)
    return {p.id: p.start_index for p in plan.selected}


def _targets(stored: Stored, planned: dict[int, str]) -> dict[int, list[str]]:
    out: dict[int, list[str]] = {o.id: [] for o in stored.objectives}
    for i in stored.initiatives:
        if i.id in planned:
            for link in i.objective_links.all():
                out.setdefault(link.objective_id, []).append(i.key)
    return out


@dataclass
class Mapped:
    scenario: Scenario
    risks: dict[str, Risk]
    """Simulation risk id -> the register's risk."""
    drivers: dict[str, RiskDriver]
    left_out: list[str]
    """Register risks that hit nothing in the plan."""
    names: dict[str, str]
    """Initiative and objective keys -> names."""


def simulation_scenario(
    org: Organisation,
    stored: Stored,
    starts: dict[str, int],
    *,
    unlimited_capacity: bool = False,
) -> Mapped:
    """The engine's Scenario for the plan ``starts`` (initiative key -> start index)."""
    horizon = len(stored.periods)
    by_key = {i.key: i for i in stored.initiatives}
    planned = {by_key[k].id: k for k in starts if k in by_key}
    inits = []
    for key, start in starts.items():
        i = by_key.get(key)
        if i is None:
            continue
        deadline = stored.period_index(i.deadline_id) if i.deadline_id else None
        inits.append(
            SimInitiative(
                id=key,
                value=Range(
                    i.value_likely if i.value_low is None else i.value_low,
                    i.value_likely,
                    i.value_likely if i.value_high is None else i.value_high,
                ),
                effort={
                    e.team.name: Range(
                        e.likely if e.low is None else e.low,
                        e.likely,
                        e.likely if e.high is None else e.high,
                    )
                    for e in i.efforts.all()
                },
                duration=i.duration,
                start_period=start,
                after=tuple(a.key for a in i.after.all() if a.id in planned),
                deadline=deadline,
                objectives=tuple(x.objective.key for x in i.objective_links.all()),
            )
        )
    teams = tuple(
        SimTeam(
            t.name,
            tuple(
                UNLIMITED if unlimited_capacity else stored.capacity.get((t.id, p.id), 0.0)
                for p in stored.periods
            ),
        )
        for t in stored.teams
    )
    targets = {
        t.objective_id: t.target
        for t in ObjectiveTarget.objects.filter(objective__organisation=org)
    }
    members = _targets(stored, planned)
    objectives = tuple(
        SimObjective(o.key, targets.get(o.id), tuple(members.get(o.id, [])))
        for o in stored.objectives
    )
    value_of = {k: by_key[k].value_likely for k in starts if k in by_key}
    register = list(
        Risk.objects.filter(organisation=org)
        .exclude(status=Risk.Status.CLOSED)
        .select_related("driver", "initiative", "product", "objective")
        .prefetch_related("efforts__team")
    )
    by_product: dict[int, list[str]] = {}
    for i in stored.initiatives:
        if i.id in planned and i.product_id:
            by_product.setdefault(i.product_id, []).append(i.key)
    risks, mapped, left_out = [], {}, []
    drivers: dict[str, RiskDriver] = {}
    for r in register:
        if r.initiative_id:
            hits = [planned[r.initiative_id]] if r.initiative_id in planned else []
        elif r.product_id:
            hits = by_product.get(r.product_id, [])
        elif r.objective_id:
            hits = members.get(r.objective_id, [])
        else:
            hits = list(value_of)
        if not hits:
            left_out.append(r.title)
            continue
        share = r.value_loss_share
        if r.value_loss_amount:
            total = sum(value_of[h] for h in hits) or 1.0
            share = min(1.0, share + r.value_loss_amount / total)
        driver_id = None
        if r.driver is not None:
            driver_id = f"driver-{r.driver.id}"
            drivers[driver_id] = r.driver
        mitigation = None
        if r.mitigated_probability is not None or r.mitigated_impact != 1.0:
            mitigation = Mitigation(
                cost=r.mitigation_cost or 0.0,
                probability_after=r.probability
                if r.mitigated_probability is None
                else r.mitigated_probability,
                impact_factor=r.mitigated_impact,
            )
        risks.append(
            SimRisk(
                id=r.sim_id,
                probability=r.probability,
                initiatives=tuple(hits),
                delay_periods=r.delay_periods,
                value_loss_share=share,
                extra_effort={e.team.name: e.share for e in r.efforts.all()},
                driver=driver_id,
                mitigation=mitigation,
            )
        )
        mapped[r.sim_id] = r
    scenario = Scenario(
        periods=stored.period_names,
        teams=teams,
        initiatives=tuple(inits),
        risks=tuple(risks),
        drivers=tuple(SimDriver(k, d.probability) for k, d in drivers.items()),
        objectives=objectives,
    )
    names = {i.key: i.name for i in stored.initiatives}
    names.update({o.key: o.name for o in stored.objectives})
    names.update({k: r.title for k, r in mapped.items()})
    names.update({k: d.name for k, d in drivers.items()})
    del horizon
    return Mapped(scenario, mapped, drivers, left_out, names)
