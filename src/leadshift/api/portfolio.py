"""The portfolio and planning API. Leaders and admins only, except the plan of record, which
everyone in the organisation may read. Anyone else gets 404, as on the pages."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import Http404, HttpRequest
from ninja import Body, Router, Schema

from leadshift.api.assessments import ERRORS
from leadshift.api.auth import actor
from leadshift.api.schemas import Id, VersionedIn
from leadshift.core.errors import Invalid
from leadshift.core.versioning import expect_version
from leadshift.files import InputError
from leadshift.people.models import Person, Team
from leadshift.planning import services as planning
from leadshift.planning.models import Run, Scenario
from leadshift.portfolio import services
from leadshift.portfolio.access import is_leader
from leadshift.portfolio.models import Initiative, Objective, Period, Product

router = Router(tags=["portfolio"])


def _leader(request: HttpRequest) -> Person:
    me = actor(request)
    if not is_leader(me):
        raise Http404("No such resource")
    return me


def _problems(exc: InputError) -> Invalid:
    return Invalid("\n".join(p.describe(exc.filename) for p in exc.problems))


# --- Portfolio ---------------------------------------------------------------------


class ImportIn(Schema):
    text: str
    filename: str = "request.yaml"
    kind: str | None = None


@router.get("/portfolio", response={200: dict, **ERRORS})
def export(request: HttpRequest) -> dict:
    """The whole portfolio in the portfolio file format (as `leadshift portfolio export`)."""
    me = _leader(request)
    return services.export_document(me.organisation, me)


@router.post("/portfolio/import", response={200: dict, **ERRORS})
def import_file(request: HttpRequest, payload: ImportIn) -> dict:
    """Import YAML/JSON/CSV text; 400 lists every problem with its line; nothing half-written."""
    me = _leader(request)
    try:
        counts = services.do_import(
            me.organisation, me, payload.text, payload.filename, payload.kind
        )
    except InputError as exc:
        raise _problems(exc) from exc
    return {"imported": counts}


class ObjectiveIn(VersionedIn):
    key: str
    name: str
    weight: float = 1.0
    description: str = ""
    periods: list[str] = []


def _objective_out(o: Objective) -> dict:
    return {
        "id": o.id,
        "version": o.version,
        "key": o.key,
        "name": o.name,
        "weight": o.weight,
        "description": o.description,
        "periods": [p.name for p in o.periods.all()],
    }


@router.get("/portfolio/objectives", response={200: list[dict], **ERRORS})
def objectives(request: HttpRequest) -> list[dict]:
    me = _leader(request)
    return [_objective_out(o) for o in Objective.objects.filter(organisation=me.organisation)]


@router.post("/portfolio/objectives", response={200: dict, **ERRORS})
def save_objective(request: HttpRequest, payload: ObjectiveIn) -> dict:
    """Create an objective, or update the one with this key."""
    me = _leader(request)
    org = me.organisation
    periods = {p.name: p.id for p in Period.objects.filter(organisation=org)}
    unknown = [p for p in payload.periods if p not in periods]
    if unknown:
        raise Invalid(f"unknown period {unknown[0]!r}", field="periods")
    existing = Objective.objects.filter(organisation=org, key=payload.key).first()
    if existing is not None:
        expect_version(existing, payload.version)
    o = services.do_save_objective(
        org,
        me,
        key=payload.key,
        name=payload.name,
        weight=payload.weight,
        description=payload.description,
        period_ids=[periods[p] for p in payload.periods],
        objective=existing,
    )
    return _objective_out(o)


class CapacityCell(Schema):
    team: str
    period: str
    person_weeks: float | None


@router.put("/portfolio/capacity", response={200: dict, **ERRORS})
def set_capacity(request: HttpRequest, payload: list[CapacityCell]) -> dict:
    """Person-weeks per team and period; null removes a cell. Negative capacity is refused."""
    me = _leader(request)
    org = me.organisation
    teams = {t.name: t.id for t in Team.objects.filter(organisation=org)}
    periods = {p.name: p.id for p in Period.objects.filter(organisation=org)}
    cells: dict[tuple[int, int], float | None] = {}
    for c in payload:
        if c.team not in teams:
            raise Invalid(f"unknown team {c.team!r}", field="team")
        if c.period not in periods:
            raise Invalid(f"unknown period {c.period!r}", field="period")
        cells[(teams[c.team], periods[c.period])] = c.person_weeks
    return {"saved": services.do_set_capacity(org, me, cells)}


@router.get("/portfolio/products", response={200: list[dict], **ERRORS})
def products(request: HttpRequest) -> list[dict]:
    """Products with their snapshots, recommendation, reasons and any leader override."""
    me = _leader(request)
    return [services.product_json(v) for v in services.product_views(me.organisation)]


class ProductIn(VersionedIn):
    key: str
    name: str
    description: str = ""
    stage: str = ""
    team: str | None = None


def _product(me: Person, key: str) -> Product:
    p = Product.objects.filter(organisation=me.organisation, key=key).first()
    if p is None:
        raise Http404("No such product")
    return p


def _product_out(me: Person, p: Product) -> dict:
    view = next(v for v in services.product_views(me.organisation) if v.product.id == p.id)
    return services.product_json(view)


@router.post("/portfolio/products", response={200: dict, **ERRORS})
def save_product(request: HttpRequest, payload: ProductIn) -> dict:
    me = _leader(request)
    org = me.organisation
    team_id = None
    if payload.team:
        team = Team.objects.filter(organisation=org, name=payload.team).first()
        if team is None:
            raise Invalid(f"unknown team {payload.team!r}", field="team")
        team_id = team.id
    existing = Product.objects.filter(organisation=org, key=payload.key).first()
    if existing is not None:
        expect_version(existing, payload.version)
    p = services.do_save_product(
        org,
        me,
        key=payload.key,
        name=payload.name,
        description=payload.description,
        stage=payload.stage,
        team_id=team_id,
        product=existing,
    )
    return _product_out(me, p)


class SnapshotIn(Schema):
    date: dt.date
    label: str = ""
    revenue: float | None = None
    growth: float | None = None
    margin: float | None = None
    active_users: float | None = None
    satisfaction: float | None = None
    market_growth: float | None = None
    relative_share: float | None = None
    strategic_fit: float | None = None


@router.post("/portfolio/products/{key}/snapshots", response={200: dict, **ERRORS})
def add_snapshot(request: HttpRequest, key: str, payload: SnapshotIn) -> dict:
    me = _leader(request)
    p = _product(me, key)
    metrics = payload.dict(exclude={"date", "label"})
    services.do_add_snapshot(p, me, taken_on=payload.date, label=payload.label, metrics=metrics)
    return _product_out(me, p)


class OverrideIn(VersionedIn):
    recommendation: str
    reason: str = ""


@router.put("/portfolio/products/{key}/override", response={200: dict, **ERRORS})
def override(request: HttpRequest, key: str, payload: OverrideIn) -> dict:
    """Overrule the recommendation (with a reason); an empty recommendation clears it."""
    me = _leader(request)
    p = _product(me, key)
    expect_version(p, payload.version)
    services.do_override_recommendation(
        p, me, recommendation=payload.recommendation, reason=payload.reason
    )
    return _product_out(me, p)


@router.get("/portfolio/thresholds", response={200: dict, **ERRORS})
def thresholds(request: HttpRequest) -> dict:
    me = _leader(request)
    return dict(vars(services.thresholds_of(me.organisation)))


@router.put("/portfolio/thresholds", response={200: dict, **ERRORS})
def set_thresholds(
    request: HttpRequest,
    payload: dict[str, float] = Body(...),  # noqa: B008 - a bare dict would be read from the query
) -> dict:
    me = _leader(request)
    return dict(vars(services.do_save_thresholds(me.organisation, me, payload)))


@router.get("/portfolio/initiatives", response={200: list[dict], **ERRORS})
def initiatives(request: HttpRequest) -> list[dict]:
    """Initiatives in the portfolio file format."""
    me = _leader(request)
    return services.export_document(me.organisation, me)["initiatives"]


@router.post("/portfolio/initiatives", response={200: dict, **ERRORS})
def save_initiatives(request: HttpRequest, payload: list[dict[str, Any]]) -> dict:
    """Add or update initiatives given in the file format; all are checked before any is saved."""
    me = _leader(request)
    try:
        return {"saved": services.do_save_initiative_items(me.organisation, me, payload)}
    except InputError as exc:
        raise _problems(exc) from exc


@router.delete("/portfolio/initiatives/{key}", response={204: None, 409: dict, **ERRORS})
def delete_initiative(
    request: HttpRequest, key: str, risks: str | None = None, to: str | None = None
) -> tuple[int, Any]:
    """Delete an initiative. With risks attached it answers 409 listing them, unless
    `risks=keep` (they stay, detached) or `risks=move&to=ID` (the id or key of another
    initiative) says what becomes of them."""
    me = _leader(request)
    org = me.organisation
    item = Initiative.objects.filter(organisation=org, key=key).first()
    if item is None:
        raise Http404("No such initiative")
    move_to = None
    if to:
        move_to = Initiative.objects.filter(organisation=org, key=to).first()
        if move_to is None and to.isdigit():
            move_to = Initiative.objects.filter(organisation=org, pk=int(to)).first()
        if move_to is None:
            raise Invalid(f"no initiative {to!r} to move the risks to", field="to")
    try:
        services.do_delete_initiative(item, me, risks=risks, move_to=move_to)
    except services.RisksAttached as exc:
        return 409, {
            "detail": exc.message,
            "risks": [{"id": r.id, "title": r.title} for r in exc.risks],
        }
    return 204, None


# --- Scenarios, runs, plan of record -------------------------------------------------


def _scenario(me: Person, scenario_id: int) -> Scenario:
    s = Scenario.objects.filter(pk=scenario_id, organisation=me.organisation).first()
    if s is None:
        raise Http404("No such scenario")
    return s


def _scenario_out(s: Scenario) -> dict:
    last = s.runs.filter(status="done").first()
    return {
        "id": s.id,
        "version": s.version,
        "name": s.name,
        "description": s.description,
        "plan_of_record": s.is_plan_of_record,
        "capacity": [
            {"team": c.team.name, "period": c.period.name, "person_weeks": c.person_weeks}
            for c in s.capacities.select_related("team", "period")
        ],
        "rules": [
            {"initiative": r.initiative.key, "rule": r.rule}
            for r in s.rules.select_related("initiative")
        ],
        "horizon_mix": (
            {
                "target": s.horizon_target,
                "tolerance": s.horizon_tolerance,
                "basis": s.horizon_basis,
            }
            if s.mix_override
            else None
        ),
        "last_run": planning.run_status(last) if last else None,
    }


class ScenarioIn(Schema):
    name: str
    description: str = ""
    copy_from: Id | None = None


@router.get("/scenarios", response={200: list[dict], **ERRORS}, tags=["planning"])
def scenarios(request: HttpRequest) -> list[dict]:
    me = _leader(request)
    return [_scenario_out(s) for s in Scenario.objects.filter(organisation=me.organisation)]


@router.post("/scenarios", response={201: dict, **ERRORS}, tags=["planning"])
def create_scenario(request: HttpRequest, payload: ScenarioIn) -> tuple[int, dict]:
    me = _leader(request)
    source = _scenario(me, payload.copy_from) if payload.copy_from else None
    s = planning.do_create_scenario(
        me.organisation, me, name=payload.name, description=payload.description, copy_from=source
    )
    return 201, _scenario_out(s)


@router.get("/scenarios/{scenario_id}", response={200: dict, **ERRORS}, tags=["planning"])
def scenario(request: HttpRequest, scenario_id: int) -> dict:
    return _scenario_out(_scenario(_leader(request), scenario_id))


@router.post("/scenarios/{scenario_id}/capacity", response={200: dict, **ERRORS}, tags=["planning"])
def scenario_capacity(request: HttpRequest, scenario_id: int, payload: CapacityCell) -> dict:
    """In this scenario the team has these person-weeks in the period (null: as usual)."""
    me = _leader(request)
    s = _scenario(me, scenario_id)
    team = Team.objects.filter(organisation=me.organisation, name=payload.team).first()
    period = Period.objects.filter(organisation=me.organisation, name=payload.period).first()
    if team is None or period is None:
        raise Invalid("unknown team or period", field="team" if team is None else "period")
    planning.do_set_scenario_capacity(
        s, me, team=team, period=period, person_weeks=payload.person_weeks
    )
    return _scenario_out(s)


class RuleIn(Schema):
    initiative: str
    rule: str


@router.post("/scenarios/{scenario_id}/rules", response={200: dict, **ERRORS}, tags=["planning"])
def scenario_rule(request: HttpRequest, scenario_id: int, payload: RuleIn) -> dict:
    """rule: mandatory | excluded | '' (back to as usual)."""
    me = _leader(request)
    s = _scenario(me, scenario_id)
    item = Initiative.objects.filter(organisation=me.organisation, key=payload.initiative).first()
    if item is None:
        raise Invalid(f"unknown initiative {payload.initiative!r}", field="initiative")
    planning.do_set_scenario_rule(s, me, initiative=item, rule=payload.rule)
    return _scenario_out(s)


class MixIn(VersionedIn):
    override: bool = True
    target: dict[str, float] = {}
    tolerance: float = 0.1
    basis: str = "effort"


@router.put("/scenarios/{scenario_id}/mix", response={200: dict, **ERRORS}, tags=["planning"])
def scenario_mix(request: HttpRequest, scenario_id: int, payload: MixIn) -> dict:
    me = _leader(request)
    s = _scenario(me, scenario_id)
    expect_version(s, payload.version)
    planning.do_set_scenario_mix(
        s,
        me,
        override=payload.override,
        target=payload.target,
        tolerance=payload.tolerance,
        basis=payload.basis,
    )
    return _scenario_out(s)


class RunIn(Schema):
    method: str = "optimal"
    time_limit: float = 10.0
    gap: float = 1e-4
    wait: bool = False


@router.post("/scenarios/{scenario_id}/runs", response={202: dict, **ERRORS}, tags=["planning"])
def start_run(request: HttpRequest, scenario_id: int, payload: RunIn) -> tuple[int, dict]:
    """Start solving in the background; poll GET /runs/{id}/status. ``wait`` solves first."""
    me = _leader(request)
    run = planning.do_start_run(
        _scenario(me, scenario_id),
        me,
        method=payload.method,
        time_limit=payload.time_limit,
        gap=payload.gap,
        background=False if payload.wait else None,
    )
    run.refresh_from_db()
    return 202, planning.run_json(run)


def _run(me: Person, run_id: int) -> Run:
    run = Run.objects.filter(pk=run_id, scenario__organisation=me.organisation).first()
    if run is None:
        raise Http404("No such run")
    return run


@router.get("/runs/{run_id}", response={200: dict, **ERRORS}, tags=["planning"])
def run_detail(request: HttpRequest, run_id: int) -> dict:
    """The run with its stored plan (result) and the score-and-sort plans (baselines)."""
    return planning.run_json(_run(_leader(request), run_id))


@router.get("/runs/{run_id}/status", response={200: dict, **ERRORS}, tags=["planning"])
def run_status(request: HttpRequest, run_id: int) -> dict:
    return planning.run_status(_run(_leader(request), run_id))


class AdoptIn(Schema):
    run: Id | None = None


@router.post("/scenarios/{scenario_id}/adopt", response={200: dict, **ERRORS}, tags=["planning"])
def adopt(request: HttpRequest, scenario_id: int, payload: AdoptIn) -> dict:
    me = _leader(request)
    s = _scenario(me, scenario_id)
    run = _run(me, payload.run) if payload.run else None
    return _scenario_out(planning.do_adopt(s, me, run))


@router.get("/plan-of-record", response={200: dict, **ERRORS}, tags=["planning"])
def plan_of_record(request: HttpRequest) -> dict:
    """The adopted plan: everyone in the organisation may read it."""
    me = actor(request)
    s = planning.plan_of_record(me.organisation, me)
    if s is None or s.adopted_run is None:
        raise Http404("No plan of record yet")
    return {
        "scenario": {"id": s.id, "name": s.name},
        "adopted_by": s.adopted_by.name if s.adopted_by else None,
        "adopted_at": s.adopted_at.isoformat() if s.adopted_at else None,
        "plan": s.adopted_run.result,
    }
