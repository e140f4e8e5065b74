"""Writes to the risk register, and simulations queued for the task worker."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from leadshift.allocation import allocate
from leadshift.core.errors import Invalid, NotFound
from leadshift.people.models import Organisation, Person, Team
from leadshift.planning.models import Scenario as PlanScenario
from leadshift.portfolio.models import Initiative, Objective, Product
from leadshift.risk import bridge
from leadshift.risk.access import check_leader
from leadshift.risk.models import ObjectiveTarget, Risk, RiskDriver, RiskEffort, Simulation
from leadshift.risk.scenario import ScenarioError
from leadshift.risk.simulation import mitigation_value, result_json, simulate
from leadshift.scale.fanout import SchedulerUnreachable
from leadshift.scale.fanout import configured as fanout_configured
from leadshift.undo.models import Deletion
from leadshift.undo.services import do_delete_with_undo

MAX_TRIALS = 200_000
PORTFOLIO_AS_IT_STANDS = "The portfolio as it stands"


@dataclass
class RiskIn:
    title: str
    probability: float
    description: str = ""
    initiative: int | None = None
    product: int | None = None
    objective: int | None = None
    driver: int | None = None
    delay_periods: float = 0.0
    value_loss_share: float = 0.0
    value_loss_amount: float = 0.0
    efforts: dict[int, float] = field(default_factory=dict)
    """Team id -> extra effort share."""
    owner: int | None = None
    mitigation: str = ""
    mitigation_cost: float | None = None
    mitigated_probability: float | None = None
    mitigated_impact: float = 1.0
    trigger: str = ""
    trigger_fired_on: dt.date | None = None
    status: str = "open"
    review_on: dt.date | None = None


def _probability(p: float | None, fld: str, what: str) -> None:
    if p is not None and (math.isnan(p) or not 0.0 <= p <= 1.0):
        raise Invalid(f"{what} is a probability between 0 and 1, got {p:g}", field=fld)


def _one(model: Any, org_id: int, pk: int | None, fld: str, what: str) -> Any:
    if pk is None:
        return None
    obj = model.objects.filter(organisation_id=org_id, pk=pk).first()
    if obj is None:
        raise Invalid(f"unknown {what} {pk}", field=fld)
    return obj


def check_risk(org_id: int, data: RiskIn) -> dict[str, Any]:
    """Every rule a risk keeps; the first broken raises Invalid naming its field. Returns the
    rows it refers to."""
    if not data.title.strip():
        raise Invalid("name the risk", field="title")
    _probability(data.probability, "probability", "the likelihood")
    _probability(data.mitigated_probability, "mitigated_probability", "the mitigated likelihood")
    if sum(x is not None for x in (data.initiative, data.product, data.objective)) > 1:
        raise Invalid(
            "attach a risk to one initiative, product or objective, or to none for the whole "
            "portfolio",
            field="initiative",
        )
    if math.isnan(data.delay_periods) or data.delay_periods < 0:
        raise Invalid("the delay cannot be negative", field="delay_periods")
    if math.isnan(data.value_loss_share) or not 0.0 <= data.value_loss_share <= 1.0:
        raise Invalid(
            f"value lost as a share is between 0 and 1, got {data.value_loss_share:g}",
            field="value_loss_share",
        )
    if math.isnan(data.value_loss_amount) or data.value_loss_amount < 0:
        raise Invalid("value lost cannot be negative", field="value_loss_amount")
    if data.mitigation_cost is not None and (
        math.isnan(data.mitigation_cost) or data.mitigation_cost < 0
    ):
        raise Invalid("the mitigation's cost cannot be negative", field="mitigation_cost")
    if math.isnan(data.mitigated_impact) or data.mitigated_impact < 0:
        raise Invalid(
            "the impact left after mitigation cannot be negative", field="mitigated_impact"
        )
    if data.status not in Risk.Status.values:
        raise Invalid(f"status is one of {', '.join(Risk.Status.values)}", field="status")
    rows = {
        "initiative": _one(Initiative, org_id, data.initiative, "initiative", "initiative"),
        "product": _one(Product, org_id, data.product, "product", "product"),
        "objective": _one(Objective, org_id, data.objective, "objective", "objective"),
        "driver": _one(RiskDriver, org_id, data.driver, "driver", "shared driver"),
        "owner": _one(Person, org_id, data.owner, "owner", "person"),
    }
    teams = {t.id: t for t in Team.objects.filter(organisation_id=org_id, id__in=data.efforts)}
    for team_id, share in data.efforts.items():
        if team_id not in teams:
            raise Invalid(f"unknown team {team_id}", field=f"efforts.{team_id}")
        if math.isnan(share) or share < 0:
            raise Invalid(
                f"extra effort for {teams[team_id].name} cannot be negative",
                field=f"efforts.{team_id}",
            )
    rows["teams"] = teams
    return rows


@transaction.atomic
def do_save_risk(
    org: Organisation, actor: Person | None, data: RiskIn, *, risk: Risk | None = None
) -> Risk:
    check_leader(actor, org.id)
    if risk is not None and risk.organisation_id != org.id:
        raise NotFound("no such risk")
    rows = check_risk(org.id, data)
    risk = risk or Risk(organisation=org)
    risk.title = data.title.strip()
    risk.description = data.description.strip()
    risk.initiative, risk.product, risk.objective = (
        rows["initiative"],
        rows["product"],
        rows["objective"],
    )
    risk.driver, risk.owner = rows["driver"], rows["owner"]
    risk.probability = data.probability
    risk.delay_periods = data.delay_periods
    risk.value_loss_share = data.value_loss_share
    risk.value_loss_amount = data.value_loss_amount
    risk.mitigation = data.mitigation.strip()
    risk.mitigation_cost = data.mitigation_cost
    risk.mitigated_probability = data.mitigated_probability
    risk.mitigated_impact = data.mitigated_impact
    risk.trigger = data.trigger.strip()
    risk.trigger_fired_on = data.trigger_fired_on
    risk.status = data.status
    risk.review_on = data.review_on
    risk.save()
    risk.efforts.all().delete()
    RiskEffort.objects.bulk_create(
        RiskEffort(risk=risk, team=rows["teams"][t], share=s) for t, s in data.efforts.items() if s
    )
    return risk


@transaction.atomic
def do_delete_risk(risk: Risk, actor: Person | None) -> Deletion | None:
    check_leader(actor, risk.organisation_id)
    return do_delete_with_undo(
        risk, actor, f"the risk “{risk.title}”", reverse("risk_edit", args=[risk.pk])
    )


@transaction.atomic
def do_fire_trigger(risk: Risk, actor: Person | None, *, on: dt.date | None = None) -> Risk:
    """The trigger has fired: time to pivot. The risk is flagged until it is closed."""
    check_leader(actor, risk.organisation_id)
    risk.trigger_fired_on = on or timezone.localdate()
    risk.save(update_fields=["trigger_fired_on", "updated_at"])
    return risk


@transaction.atomic
def do_save_driver(
    org: Organisation, actor: Person | None, *, name: str, probability: float, description: str = ""
) -> RiskDriver:
    check_leader(actor, org.id)
    if not name.strip():
        raise Invalid("name the shared driver", field="driver_name")
    _probability(probability, "driver_probability", "the driver's likelihood")
    driver, _ = RiskDriver.objects.update_or_create(
        organisation=org,
        name=name.strip(),
        defaults={"probability": probability, "description": description.strip()},
    )
    return driver


@transaction.atomic
def do_set_target(objective: Objective, actor: Person | None, target: float | None) -> None:
    check_leader(actor, objective.organisation_id)
    if target is None:
        ObjectiveTarget.objects.filter(objective=objective).delete()
        return
    if math.isnan(target):
        raise Invalid("enter the target as a number", field="target")
    ObjectiveTarget.objects.update_or_create(objective=objective, defaults={"target": target})


# --- Simulations ---------------------------------------------------------------------------


@transaction.atomic
def do_start_simulation(
    org: Organisation,
    actor: Person | None,
    *,
    scenario: PlanScenario | None = None,
    trials: int = 10_000,
    seed: int = 0,
    mitigation_of: Risk | None = None,
    risk_adjusted: bool = False,
    background: bool | None = None,
) -> Simulation:
    """Queue a simulation of the scenario (default: the plan of record, or the portfolio as it
    stands) for the worker; the page polls its progress."""
    check_leader(actor, org.id)
    if not 1 <= trials <= MAX_TRIALS:
        raise Invalid(f"trials run from 1 to {MAX_TRIALS:,}", field="trials")
    if seed < 0:
        raise Invalid("the seed is a whole number, 0 or more", field="seed")
    if scenario is not None and scenario.organisation_id != org.id:
        raise NotFound("no such scenario")
    if scenario is None:
        scenario = PlanScenario.objects.filter(organisation=org, is_plan_of_record=True).first()
    if mitigation_of is not None:
        if mitigation_of.organisation_id != org.id:
            raise NotFound("no such risk")
        if mitigation_of.mitigated_probability is None and mitigation_of.mitigated_impact == 1.0:
            raise Invalid(
                f"“{mitigation_of.title}” has no mitigation effect to value: give its mitigated "
                "likelihood or the impact left",
                field="mitigation_of",
            )
    label = (
        "Plan of record"
        if scenario is not None and scenario.is_plan_of_record
        else scenario.name
        if scenario is not None
        else PORTFOLIO_AS_IT_STANDS
    )
    sim = Simulation.objects.create(
        organisation=org,
        scenario=scenario,
        label=label,
        trials=trials,
        seed=seed,
        mitigation_of=mitigation_of,
        risk_adjusted=risk_adjusted,
        created_by=actor,
        total=trials * (1 + 2 * (mitigation_of is not None) + risk_adjusted),
    )
    if background is None:
        background = getattr(settings, "LEADSHIFT_RUNS_IN_BACKGROUND", True)
    if not background:
        return run_simulation(sim.id)
    from leadshift.risk.tasks import enqueue

    # Stored with the simulation in this transaction: a worker picks it up, even after a restart.
    sim.task_id = enqueue(sim.id)
    sim.save(update_fields=["task_id"])
    return sim


class _Progress:
    def __init__(self, sim_id: int, total: int):
        self.sim_id, self.total = sim_id, total
        self.offset = 0
        self.last = -1

    def stage(self, text: str) -> None:
        Simulation.objects.filter(pk=self.sim_id).update(stage=text)

    def __call__(self, done: int, total: int) -> None:
        now = self.offset + done
        step = max(1, self.total // 50)
        if now - self.last >= step or done == total:
            self.last = now
            Simulation.objects.filter(pk=self.sim_id).update(done=now)


def run_simulation(sim_id: int) -> Simulation:
    """Do the work of a queued simulation and store its result (or the reason it failed)."""
    sim = Simulation.objects.select_related("organisation", "scenario", "mitigation_of").get(
        pk=sim_id
    )
    Simulation.objects.filter(pk=sim_id).update(
        status=Simulation.Status.RUNNING, started_at=sim.started_at or timezone.now()
    )
    progress = _Progress(sim_id, sim.total)
    try:
        if sim.scenario_id is None and sim.label != PORTFOLIO_AS_IT_STANDS:
            raise Invalid("the scenario it simulates was deleted while it waited")
        result = _simulate(sim, progress)
    except (Invalid, ScenarioError, ValueError, SchedulerUnreachable) as exc:
        Simulation.objects.filter(pk=sim_id).update(
            status=Simulation.Status.FAILED,
            error=str(exc),
            finished_at=timezone.now(),
        )
    else:
        Simulation.objects.filter(pk=sim_id).update(
            status=Simulation.Status.DONE,
            result=result,
            done=sim.total,
            stage="",
            finished_at=timezone.now(),
        )
    sim.refresh_from_db()
    return sim


def _simulate(sim: Simulation, progress: _Progress) -> dict[str, Any]:
    # The trials fan out over a Dask cluster when one is named, else this machine's processes.
    with fanout_configured(settings) as where:
        pool = {"executor": where.executor, "workers": where.workers or None}
        return _simulate_on(sim, progress, pool)


def _simulate_on(sim: Simulation, progress: _Progress, pool: dict[str, Any]) -> dict[str, Any]:
    org = sim.organisation
    progress.stage("Reading the plan")
    stored = bridge.load(org, sim.scenario)
    starts = bridge.plan_starts(stored, sim.scenario)
    if not starts:
        raise Invalid("the plan has no initiatives to simulate", field="scenario")
    mapped = bridge.simulation_scenario(org, stored, starts)
    progress.stage("Simulating")
    result = simulate(mapped.scenario, trials=sim.trials, seed=sim.seed, progress=progress, **pool)
    out: dict[str, Any] = dict(result_json(result))
    out["names"] = mapped.names
    out["left_out"] = mapped.left_out
    out["risk_ids"] = {k: r.id for k, r in mapped.risks.items()}
    progress.offset += sim.trials
    if sim.mitigation_of is not None:
        progress.stage(f"Valuing the mitigation of “{sim.mitigation_of.title}”")
        sim_risk = sim.mitigation_of.sim_id
        if sim_risk not in mapped.risks:
            raise Invalid(
                f"“{sim.mitigation_of.title}” hits nothing in this plan", field="mitigation_of"
            )
        mv = mitigation_value(
            mapped.scenario, sim_risk, trials=sim.trials, seed=sim.seed, progress=progress, **pool
        )
        out["mitigation"] = {
            "risk": sim.mitigation_of.title,
            "risk_id": sim.mitigation_of.id,
            "cost": mv.cost,
            "mean_without": mv.without.total_value.mean,
            "mean_with": mv.with_mitigation.total_value.mean,
            "mean_gain": mv.mean_gain,
            "p10_gain": mv.p10_gain,
            "p50_gain": mv.p50_gain,
            "p90_gain": mv.p90_gain,
            "gain_per_cost": mv.gain_per_cost,
            "deadline_gain": mv.deadline_gain,
            "objective_gain": mv.objective_gain,
        }
        progress.offset += 2 * sim.trials
    if sim.risk_adjusted:
        progress.stage("Planning on risk-adjusted value")
        out["risk_adjusted"] = _risk_adjusted(sim, stored, starts, progress, pool)
    return out


def _risk_adjusted(
    sim: Simulation,
    stored: bridge.Stored,
    starts: dict[str, int],
    progress: _Progress,
    pool: dict[str, Any],
) -> dict[str, Any]:
    """Each initiative's expected value under its risks (simulated with capacity aside, each
    at its planned or earliest start), then the optimiser on those values beside the plan on
    point estimates."""
    everyone = {
        i.key: starts.get(i.key, stored.period_index(i.earliest_start_id) or 0)
        for i in stored.initiatives
        if i.id not in stored.excluded
    }
    everyone = {k: min(v, len(stored.periods) - 1) for k, v in everyone.items()}
    mapped = bridge.simulation_scenario(sim.organisation, stored, everyone, unlimited_capacity=True)
    result = simulate(mapped.scenario, trials=sim.trials, seed=sim.seed, progress=progress, **pool)
    expected = {r.id: r.value.mean for r in result.initiatives}
    point_portfolio = bridge.allocation_portfolio(stored)
    risk_portfolio = bridge.allocation_portfolio(stored, values=expected)
    point_plan = allocate(point_portfolio, time_limit=10.0)
    risk_plan = allocate(risk_portfolio, time_limit=10.0)

    def describe(plan: Any) -> dict[str, Any]:
        rows = []
        for p in plan.selected:
            item = point_portfolio.initiative(p.id)
            adj = risk_portfolio.initiative(p.id)
            rows.append(
                {
                    "id": p.id,
                    "name": mapped.names.get(p.id, p.id),
                    "start": p.start,
                    "point_value": point_portfolio.weighted_value(item),
                    "risk_adjusted_value": risk_portfolio.weighted_value(adj),
                }
            )
        return {
            "status": plan.status,
            "selected": rows,
            "point_value": sum(r["point_value"] for r in rows),
            "risk_adjusted_value": sum(r["risk_adjusted_value"] for r in rows),
        }

    return {
        "expected_values": expected,
        "point_plan": describe(point_plan),
        "risk_plan": describe(risk_plan),
    }


def today() -> dt.date:
    return timezone.localdate()


def risk_json(r: Risk, today_: dt.date | None = None) -> dict[str, Any]:
    day = today_ or today()
    return {
        "id": r.id,
        "version": r.version,
        "title": r.title,
        "description": r.description,
        "attached_to": (
            {"kind": "initiative", "id": r.initiative_id, "key": r.initiative.key}
            if r.initiative_id and r.initiative
            else {"kind": "product", "id": r.product_id, "key": r.product.key}
            if r.product_id and r.product
            else {"kind": "objective", "id": r.objective_id, "key": r.objective.key}
            if r.objective_id and r.objective
            else {"kind": "portfolio"}
        ),
        "probability": r.probability,
        "driver": None
        if r.driver is None
        else {"id": r.driver.id, "name": r.driver.name, "probability": r.driver.probability},
        "overall_probability": r.overall_probability,
        "impact": {
            "delay_periods": r.delay_periods,
            "value_loss_share": r.value_loss_share,
            "value_loss_amount": r.value_loss_amount,
            "extra_effort": {e.team.name: e.share for e in r.efforts.all()},
        },
        "likelihood_band": r.likelihood_band,
        "impact_band": r.impact_band,
        "owner": None if r.owner is None else {"id": r.owner.id, "name": r.owner.name},
        "mitigation": {
            "description": r.mitigation,
            "cost": r.mitigation_cost,
            "probability": r.mitigated_probability,
            "impact_left": r.mitigated_impact,
        },
        "trigger": r.trigger,
        "trigger_fired_on": r.trigger_fired_on.isoformat() if r.trigger_fired_on else None,
        "trigger_fired": r.trigger_fired,
        "status": r.status,
        "review_on": r.review_on.isoformat() if r.review_on else None,
        "review_overdue": r.review_overdue(day),
    }


def simulation_json(sim: Simulation) -> dict[str, Any]:
    return {
        "id": sim.id,
        "label": sim.label,
        "scenario": sim.scenario_id,
        "trials": sim.trials,
        "seed": sim.seed,
        "status": sim.status,
        "done": sim.done,
        "total": sim.total,
        "percent": sim.percent,
        "stage": sim.stage,
        "mitigation_of": sim.mitigation_of_id,
        "risk_adjusted": sim.risk_adjusted,
        "error": sim.error or None,
        "result": sim.result,
    }


def register(org: Organisation) -> list[Risk]:
    return list(
        Risk.objects.filter(organisation=org)
        .select_related("initiative", "product", "objective", "driver", "owner")
        .prefetch_related("efforts__team")
    )
