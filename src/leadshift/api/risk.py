from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import Http404, HttpRequest
from ninja import Router, Schema
from pydantic import Field

from leadshift.api.assessments import ERRORS
from leadshift.api.auth import actor
from leadshift.api.schemas import Id, ObjectIn, VersionedIn
from leadshift.core.errors import Invalid
from leadshift.core.versioning import expect_version
from leadshift.people.models import Person, Team
from leadshift.planning.models import Scenario as PlanScenario
from leadshift.portfolio.models import Initiative, Objective, Product
from leadshift.risk import services
from leadshift.risk.access import is_leader
from leadshift.risk.models import Risk, RiskDriver, Simulation
from leadshift.risk.services import RiskIn, risk_json, simulation_json

router = Router(tags=["risk"])


class RiskBody(VersionedIn):
    title: str
    probability: float = Field(description="Likelihood 0–1 (given its driver, if any)")
    description: str = ""
    initiative: str | None = Field(None, description="Initiative key it hits")
    product: str | None = Field(None, description="Product key it hits")
    objective: str | None = Field(None, description="Objective key it hits")
    driver: str | None = Field(None, description="Shared driver's name")
    delay_periods: float = 0.0
    value_loss_share: float = 0.0
    value_loss_amount: float = 0.0
    extra_effort: dict[str, float] = Field(
        default_factory=dict, description="Team name -> extra effort share (0.2 = 20 % more)"
    )
    owner: str | None = Field(None, description="Owner's e-mail")
    mitigation: str = ""
    mitigation_cost: float | None = None
    mitigated_probability: float | None = None
    mitigated_impact: float = 1.0
    trigger: str = ""
    trigger_fired_on: dt.date | None = None
    status: str = "open"
    review_on: dt.date | None = None


class DriverBody(Schema):
    name: str
    probability: float
    description: str = ""


class TargetBody(Schema):
    target: float | None


class SimulationBody(ObjectIn):
    scenario: Id | None = Field(None, description="Scenario id; default the plan of record")
    trials: int = Field(10_000, ge=1, le=200_000)
    seed: int = Field(0, ge=0, le=2**32 - 1)
    mitigation_of: Id | None = Field(None, description="Risk id whose mitigation to value")
    risk_adjusted: bool = False


def _leader(request: HttpRequest) -> Person:
    me = actor(request)
    if not is_leader(me):
        raise Http404("No such page")
    return me


def _by_key(model: Any, org_id: int, key: str | None, fld: str, what: str) -> int | None:
    if key is None:
        return None
    pk = model.objects.filter(organisation_id=org_id, key=key).values_list("id", flat=True).first()
    if pk is None:
        raise Invalid(f"unknown {what} {key!r}", field=fld)
    return int(pk)


def _input(me: Person, body: RiskBody) -> RiskIn:
    org_id = me.organisation_id
    driver = None
    if body.driver is not None:
        driver = RiskDriver.objects.filter(organisation_id=org_id, name=body.driver).first()
        if driver is None:
            raise Invalid(f"unknown shared driver {body.driver!r}", field="driver")
    owner = None
    if body.owner is not None:
        owner = Person.objects.filter(organisation_id=org_id, email__iexact=body.owner).first()
        if owner is None:
            raise Invalid(f"nobody called {body.owner!r} in your organisation", field="owner")
    teams = {t.name: t.id for t in Team.objects.filter(organisation_id=org_id)}
    efforts = {}
    for name, share in body.extra_effort.items():
        if name not in teams:
            raise Invalid(f"unknown team {name!r}", field=f"extra_effort.{name}")
        efforts[teams[name]] = share
    return RiskIn(
        title=body.title,
        probability=body.probability,
        description=body.description,
        initiative=_by_key(Initiative, org_id, body.initiative, "initiative", "initiative"),
        product=_by_key(Product, org_id, body.product, "product", "product"),
        objective=_by_key(Objective, org_id, body.objective, "objective", "objective"),
        driver=driver.id if driver else None,
        delay_periods=body.delay_periods,
        value_loss_share=body.value_loss_share,
        value_loss_amount=body.value_loss_amount,
        efforts=efforts,
        owner=owner.id if owner else None,
        mitigation=body.mitigation,
        mitigation_cost=body.mitigation_cost,
        mitigated_probability=body.mitigated_probability,
        mitigated_impact=body.mitigated_impact,
        trigger=body.trigger,
        trigger_fired_on=body.trigger_fired_on,
        status=body.status,
        review_on=body.review_on,
    )


def _risk(me: Person, risk_id: int) -> Risk:
    r = Risk.objects.filter(pk=risk_id, organisation_id=me.organisation_id).first()
    if r is None:
        raise Http404("No such risk")
    return r


@router.get("/risks", response={200: list[dict], **ERRORS})
def list_risks(request: HttpRequest) -> list[dict]:
    """The risk register, with likelihood and impact bands (1–5) and the flags."""
    me = _leader(request)
    return [risk_json(r) for r in services.register(me.organisation)]


@router.post("/risks", response={201: dict, **ERRORS})
def create_risk(request: HttpRequest, payload: RiskBody) -> tuple[int, dict]:
    me = _leader(request)
    return 201, risk_json(services.do_save_risk(me.organisation, me, _input(me, payload)))


@router.get("/risks/{risk_id}", response={200: dict, **ERRORS})
def get_risk(request: HttpRequest, risk_id: int) -> dict:
    me = _leader(request)
    return risk_json(_risk(me, risk_id))


@router.put("/risks/{risk_id}", response={200: dict, **ERRORS})
def update_risk(request: HttpRequest, risk_id: int, payload: RiskBody) -> dict:
    me = _leader(request)
    r = _risk(me, risk_id)
    expect_version(r, payload.version)
    return risk_json(services.do_save_risk(me.organisation, me, _input(me, payload), risk=r))


@router.delete("/risks/{risk_id}", response={204: None, **ERRORS})
def delete_risk(request: HttpRequest, risk_id: int) -> tuple[int, None]:
    me = _leader(request)
    services.do_delete_risk(_risk(me, risk_id), me)
    return 204, None


@router.post("/risks/{risk_id}/trigger", response={200: dict, **ERRORS})
def fire_trigger(request: HttpRequest, risk_id: int) -> dict:
    """The risk's trigger has fired: time to pivot."""
    me = _leader(request)
    return risk_json(services.do_fire_trigger(_risk(me, risk_id), me))


@router.get("/risk-heatmap", response={200: dict, **ERRORS})
def heatmap(request: HttpRequest) -> dict:
    """Open risks by likelihood band (rows, 1–5) and impact band (columns, 1–5)."""
    me = _leader(request)
    cells: dict[str, list[int]] = {}
    for r in services.register(me.organisation):
        if r.status != Risk.Status.CLOSED:
            cells.setdefault(f"{r.likelihood_band},{r.impact_band}", []).append(r.id)
    return {"cells": cells}


@router.get("/risk-drivers", response={200: list[dict], **ERRORS})
def drivers(request: HttpRequest) -> list[dict]:
    me = _leader(request)
    return [
        {"id": d.id, "name": d.name, "probability": d.probability, "description": d.description}
        for d in RiskDriver.objects.filter(organisation_id=me.organisation_id)
    ]


@router.post("/risk-drivers", response={201: dict, **ERRORS})
def save_driver(request: HttpRequest, payload: DriverBody) -> tuple[int, dict]:
    me = _leader(request)
    d = services.do_save_driver(
        me.organisation,
        me,
        name=payload.name,
        probability=payload.probability,
        description=payload.description,
    )
    return 201, {"id": d.id, "name": d.name, "probability": d.probability}


@router.put("/objectives/{objective_id}/target", response={200: dict, **ERRORS})
def set_target(request: HttpRequest, objective_id: int, payload: TargetBody) -> dict:
    """The delivered value the objective should reach (null to clear)."""
    me = _leader(request)
    o = Objective.objects.filter(pk=objective_id, organisation_id=me.organisation_id).first()
    if o is None:
        raise Http404("No such objective")
    services.do_set_target(o, me, payload.target)
    return {"objective": o.key, "target": payload.target}


@router.get("/simulations", response={200: list[dict], **ERRORS})
def list_simulations(request: HttpRequest) -> list[dict]:
    me = _leader(request)
    return [
        {k: v for k, v in simulation_json(s).items() if k != "result"}
        for s in Simulation.objects.filter(organisation_id=me.organisation_id)[:50]
    ]


@router.post("/simulations", response={202: dict, **ERRORS})
def start_simulation(request: HttpRequest, payload: SimulationBody) -> tuple[int, dict]:
    """Start a Monte Carlo run in the background; poll GET /simulations/{id} for progress."""
    me = _leader(request)
    scenario = None
    if payload.scenario is not None:
        scenario = PlanScenario.objects.filter(
            pk=payload.scenario, organisation_id=me.organisation_id
        ).first()
        if scenario is None:
            raise Http404("No such scenario")
    mitigation = _risk(me, payload.mitigation_of) if payload.mitigation_of else None
    sim = services.do_start_simulation(
        me.organisation,
        me,
        scenario=scenario,
        trials=payload.trials,
        seed=payload.seed,
        mitigation_of=mitigation,
        risk_adjusted=payload.risk_adjusted,
    )
    return 202, simulation_json(sim)


@router.get("/simulations/{sim_id}", response={200: dict, **ERRORS})
def get_simulation(request: HttpRequest, sim_id: int) -> dict:
    """Status and progress while it runs; the stored result once done."""
    me = _leader(request)
    sim = Simulation.objects.filter(pk=sim_id, organisation_id=me.organisation_id).first()
    if sim is None:
        raise Http404("No such simulation")
    return simulation_json(sim)
