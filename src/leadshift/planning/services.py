"""Scenarios, runs of the solver (a task done by the worker, polled), and the plan of record."""

from __future__ import annotations

import copy
import time
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from leadshift.allocation import allocate, baselines, result_json
from leadshift.allocation.sweep import apply as apply_variant
from leadshift.allocation.sweep import result_json as sweep_result_json
from leadshift.allocation.sweep import run_sweep, sweep_from_document, sweep_from_json, sweep_json
from leadshift.core.errors import Invalid, NotFound
from leadshift.files import InputError, parse_text
from leadshift.people.models import Organisation, Person, Team
from leadshift.planning.models import Run, Scenario, ScenarioCapacity, ScenarioInitiative, Sweep
from leadshift.portfolio.access import check_leader, check_member
from leadshift.portfolio.document import build_document, engine_portfolio, horizon_mix_of
from leadshift.portfolio.models import Initiative, Period
from leadshift.portfolio.services import check_mix
from leadshift.scale.fanout import SchedulerUnreachable
from leadshift.scale.fanout import configured as fanout_configured
from leadshift.undo.models import Deletion
from leadshift.undo.services import do_delete_with_undo

MAX_TIME_LIMIT = 120.0
PROGRESS_EVERY = 0.5  # seconds between progress writes


# --- Scenarios -----------------------------------------------------------------------


@transaction.atomic
def do_create_scenario(
    org: Organisation,
    actor: Person | None,
    *,
    name: str,
    description: str = "",
    copy_from: Scenario | None = None,
) -> Scenario:
    check_leader(actor, org)
    name = name.strip()
    if not name or len(name) > 200:
        raise Invalid("a scenario needs a name", field="name")
    if Scenario.objects.filter(organisation=org, name=name).exists():
        raise Invalid(f"there is already a scenario called {name!r}", field="name")
    s = Scenario.objects.create(
        organisation=org, name=name, description=description.strip(), created_by=actor
    )
    if copy_from is not None:
        if copy_from.organisation_id != org.id:
            raise NotFound("no such scenario")
        s.mix_override = copy_from.mix_override
        s.horizon_target = dict(copy_from.horizon_target)
        s.horizon_tolerance, s.horizon_basis = copy_from.horizon_tolerance, copy_from.horizon_basis
        s.ignore_precedence = copy_from.ignore_precedence
        s.objective_weights = dict(copy_from.objective_weights)
        s.save()
        for c in copy_from.capacities.all():
            ScenarioCapacity.objects.create(
                scenario=s, team=c.team, period=c.period, person_weeks=c.person_weeks
            )
        for r in copy_from.rules.all():
            ScenarioInitiative.objects.create(scenario=s, initiative=r.initiative, rule=r.rule)
    return s


@transaction.atomic
def do_delete_scenario(scenario: Scenario, actor: Person | None) -> Deletion | None:
    check_leader(actor, scenario.organisation_id)
    if scenario.is_plan_of_record:
        raise Invalid("adopt another scenario as plan of record before deleting this one")
    return do_delete_with_undo(
        scenario,
        actor,
        f"the scenario “{scenario.name}”",
        reverse("planning_scenario", args=[scenario.pk]),
    )


@transaction.atomic
def do_set_scenario_capacity(
    scenario: Scenario,
    actor: Person | None,
    *,
    team: Team,
    period: Period,
    person_weeks: float | None,
) -> None:
    """In this scenario the team has ``person_weeks`` in the period; None: back to usual."""
    check_leader(actor, scenario.organisation_id)
    if team.organisation_id != scenario.organisation_id or (
        period.organisation_id != scenario.organisation_id
    ):
        raise NotFound("no such team or period")
    if person_weeks is None:
        ScenarioCapacity.objects.filter(scenario=scenario, team=team, period=period).delete()
        return
    if person_weeks < 0:
        raise Invalid(
            f"capacity cannot be negative: {team.name} in {period.name}", field="person_weeks"
        )
    ScenarioCapacity.objects.update_or_create(
        scenario=scenario, team=team, period=period, defaults={"person_weeks": person_weeks}
    )


@transaction.atomic
def do_set_scenario_rule(
    scenario: Scenario, actor: Person | None, *, initiative: Initiative, rule: str
) -> None:
    """Make the initiative mandatory or leave it out in this scenario; '' clears the rule."""
    check_leader(actor, scenario.organisation_id)
    if initiative.organisation_id != scenario.organisation_id:
        raise NotFound("no such initiative")
    if rule not in ("", "mandatory", "excluded"):
        raise Invalid("a rule is mandatory or excluded", field="rule")
    if not rule:
        ScenarioInitiative.objects.filter(scenario=scenario, initiative=initiative).delete()
        return
    ScenarioInitiative.objects.update_or_create(
        scenario=scenario, initiative=initiative, defaults={"rule": rule}
    )


@transaction.atomic
def do_set_scenario_mix(
    scenario: Scenario,
    actor: Person | None,
    *,
    override: bool,
    target: Mapping[str, float] | None = None,
    tolerance: float = 0.1,
    basis: str = "effort",
) -> None:
    check_leader(actor, scenario.organisation_id)
    scenario.mix_override = override
    if override:
        t, tol, b = check_mix(target or {}, tolerance, basis)
        scenario.horizon_target, scenario.horizon_tolerance, scenario.horizon_basis = t, tol, b
    scenario.save()


def scenario_document(scenario: Scenario) -> tuple[dict[str, Any], list[str]]:
    """The portfolio document with the scenario's overrides applied, and notes on what changed."""
    data = build_document(scenario.organisation, full=False)
    notes: list[str] = []
    caps = list(scenario.capacities.select_related("team", "period"))
    if caps:
        periods = data["periods"]
        by_team = {t["id"]: t for t in data["teams"]}
        for c in caps:
            entry = by_team.get(c.team.name)
            if entry is None:
                entry = {"id": c.team.name, "capacity": 0}
                data["teams"].append(entry)
                by_team[c.team.name] = entry
            cap = entry["capacity"]
            if not isinstance(cap, dict):
                cap = dict.fromkeys(periods, cap)
            notes.append(
                f"{c.team.name} has {c.person_weeks:g} person-weeks in {c.period.name} (usually {cap.get(c.period.name, 0):g})"
            )
            cap[c.period.name] = c.person_weeks
            entry["capacity"] = cap
    rules = {r.initiative.key: r.rule for r in scenario.rules.select_related("initiative")}
    excluded = {k for k, r in rules.items() if r == "excluded"}
    if scenario.ignore_precedence:
        for item in data["initiatives"]:
            item.pop("after", None)
        notes.append("precedence is ignored")
    # Leaving one out leaves out whatever waits for it.
    grew = True
    while grew:
        grew = False
        for item in data["initiatives"]:
            if item["id"] not in excluded and any(d in excluded for d in item.get("after", [])):
                excluded.add(item["id"])
                notes.append(f"{item['id']!r} is left out because it waits for a left-out item")
                grew = True
    for k, r in rules.items():
        notes.append(f"{k!r} is {'made mandatory' if r == 'mandatory' else 'left out'}")
    data["initiatives"] = [i for i in data["initiatives"] if i["id"] not in excluded]
    for item in data["initiatives"]:
        if rules.get(item["id"]) == "mandatory":
            item["mandatory"] = True
    for o in data.get("objectives", []):
        if o["id"] in scenario.objective_weights:
            o["weight"] = scenario.objective_weights[o["id"]]
            notes.append(f"objective {o['id']!r} weighs {o['weight']:g}")
    if scenario.mix_override:
        mix = horizon_mix_of(
            scenario.horizon_target, scenario.horizon_tolerance, scenario.horizon_basis
        )
        data.pop("horizon_mix", None)
        if mix:
            data["horizon_mix"] = mix
            shares = ", ".join(f"{h} {100 * v:.0f}%" for h, v in scenario.horizon_target.items())
            notes.append(f"horizon mix {shares} ± {100 * scenario.horizon_tolerance:.0f}%")
        else:
            notes.append("no horizon mix rule")
    return data, notes


# --- Runs ----------------------------------------------------------------------------


def _background() -> bool:
    return bool(getattr(settings, "LEADSHIFT_RUNS_IN_BACKGROUND", True))


@transaction.atomic
def _create_run(
    scenario: Scenario, actor: Person | None, method: str, time_limit: float, gap: float
) -> Run:
    check_leader(actor, scenario.organisation_id)
    if method not in ("optimal", "rice", "wsjf", "value-per-effort"):
        raise Invalid("unknown method", field="method")
    if not 1 <= time_limit <= MAX_TIME_LIMIT:
        raise Invalid(
            f"the time limit is between 1 and {MAX_TIME_LIMIT:g} seconds", field="time_limit"
        )
    if not 0 <= gap < 1:
        raise Invalid("the gap is a fraction between 0 and 1, e.g. 0.01 for 1%", field="gap")
    data, notes = scenario_document(scenario)
    return Run.objects.create(
        scenario=scenario,
        method=method,
        time_limit=time_limit,
        gap=gap,
        document={"portfolio": data, "notes": notes},
        created_by=actor,
    )


def do_start_run(
    scenario: Scenario,
    actor: Person | None,
    *,
    method: str = "optimal",
    time_limit: float = 10.0,
    gap: float = 1e-4,
    background: bool | None = None,
) -> Run:
    """Store a run of the scenario and solve it (queued for the worker unless told not to)."""
    if background if background is not None else _background():
        from leadshift.planning.tasks import enqueue

        # The run and its task are stored together: a worker picks it up, even after a restart.
        with transaction.atomic():
            run = _create_run(scenario, actor, method, time_limit, gap)
            run.task_id = enqueue(run.id)
            run.save(update_fields=["task_id"])
        return run
    run = _create_run(scenario, actor, method, time_limit, gap)
    execute_run(run.id)
    run.refresh_from_db()
    return run


def execute_run(run_id: int) -> None:
    """Solve a stored run, writing progress as it goes and the result at the end."""
    run = Run.objects.select_related("scenario__organisation").get(pk=run_id)
    Run.objects.filter(pk=run.id).update(
        status="running", started_at=run.started_at or timezone.now()
    )
    data = copy.deepcopy(run.document["portfolio"])
    try:
        portfolio = engine_portfolio(data, f"scenario {run.scenario.name!r}")
    except Invalid as exc:
        # The rules fail before any solve (e.g. a mandatory item that cannot fit alone).
        result = {
            "method": run.method,
            "status": "infeasible",
            "objective": 0.0,
            "bound": None,
            "gap": None,
            "elapsed": 0.0,
            "message": "the rules cannot all hold",
            "selected": [],
            "utilisation": {},
            "left_out": [],
            "marginal_value": None,
            "marginal_method": "",
            "conflicts": [part.strip() for part in exc.message.split("; ")],
            "log": [],
        }
        _finish(run.id, result, None)
        return
    samples: list[dict[str, float | None]] = []
    last = [0.0]

    def progress(elapsed: float, incumbent: float | None, bound: float | None) -> None:
        samples.append({"elapsed": elapsed, "incumbent": incumbent, "bound": bound})
        now = time.monotonic()
        if now - last[0] >= PROGRESS_EVERY:
            last[0] = now
            Run.objects.filter(pk=run_id).update(progress=samples[-200:])

    try:
        plan = allocate(
            portfolio, method=run.method, time_limit=run.time_limit, gap=run.gap, progress=progress
        )
        others = (
            {k: result_json(v) for k, v in baselines(portfolio).items()}
            if run.method == "optimal"
            else None
        )
    except Exception as exc:
        Run.objects.filter(pk=run_id).update(
            status="failed", error=f"{type(exc).__name__}: {exc}", finished_at=timezone.now()
        )
        raise
    Run.objects.filter(pk=run_id).update(progress=samples[-200:])
    _finish(run_id, result_json(plan), others)


def _finish(run_id: int, result: dict[str, Any], others: dict[str, Any] | None) -> None:
    Run.objects.filter(pk=run_id).update(
        status="done", result=result, baselines=others, finished_at=timezone.now()
    )


def run_status(run: Run) -> dict[str, Any]:
    """What the page polls: status, elapsed, best value so far and bound."""
    last = run.progress[-1] if run.progress else {}
    elapsed = (
        ((run.finished_at or timezone.now()) - run.started_at).total_seconds()
        if run.started_at
        else 0.0
    )
    out: dict[str, Any] = {
        "id": run.id,
        "scenario": run.scenario_id,
        "method": run.method,
        "status": run.status,
        "time_limit": run.time_limit,
        "elapsed": round(elapsed, 2),
        "incumbent": last.get("incumbent"),
        "bound": last.get("bound"),
        "error": run.error or None,
    }
    if run.result:
        out["outcome"] = run.result["status"]
        out["objective"] = run.result["objective"]
        out["gap"] = run.result["gap"]
    return out


def run_json(run: Run) -> dict[str, Any]:
    return {
        **run_status(run),
        "gap_requested": run.gap,
        "notes": run.document.get("notes", []),
        "result": run.result,
        "baselines": run.baselines,
        "created_at": run.created_at.isoformat(),
    }


# --- Plan of record ------------------------------------------------------------------


@transaction.atomic
def do_adopt(scenario: Scenario, actor: Person | None, run: Run | None = None) -> Scenario:
    """Make the scenario, with its latest finished run (or the one given), the plan of record."""
    check_leader(actor, scenario.organisation_id)
    if run is None:
        run = scenario.runs.filter(status="done", method="optimal").first()
    if run is None or run.scenario_id != scenario.id or run.status != "done":
        raise Invalid("run the optimiser on this scenario before adopting it")
    if run.result and run.result["status"] == "infeasible":
        raise Invalid("this run found no plan that keeps every rule; change the scenario first")
    Scenario.objects.filter(organisation_id=scenario.organisation_id).exclude(
        pk=scenario.pk
    ).update(is_plan_of_record=False)
    scenario.is_plan_of_record = True
    scenario.adopted_run = run
    scenario.adopted_by = actor
    scenario.adopted_at = timezone.now()
    scenario.save()
    return scenario


def plan_of_record(org: Organisation, viewer: Person | None) -> Scenario | None:
    check_member(viewer, org)
    return (
        Scenario.objects.filter(organisation=org, is_plan_of_record=True)
        .select_related("adopted_run", "adopted_by")
        .first()
    )


def planned_keys(org: Organisation) -> list[str]:
    """The keys of the initiatives the plan of record chose, read out of the adopted run's
    result in the database (the whole run is megabytes at 5,000 initiatives)."""
    selected = (
        Scenario.objects.filter(organisation=org, is_plan_of_record=True)
        .values_list("adopted_run__result__selected", flat=True)
        .first()
    )
    return [x["id"] for x in selected or []]


# --- Sweeps --------------------------------------------------------------------------


def do_start_sweep(
    scenario: Scenario,
    actor: Person | None,
    text: str,
    *,
    filename: str = "sweep",
    background: bool | None = None,
) -> Sweep:
    """Read the sweep file against the scenario, store the sweep and queue it (or do it now).
    A bad file raises Invalid listing every problem as file:line: field: message."""
    check_leader(actor, scenario.organisation_id)
    base, _ = scenario_document(scenario)
    try:
        spec = sweep_from_document(parse_text(text, filename), base)
    except InputError as exc:
        raise Invalid(exc.describe(), field="sweep") from exc
    with transaction.atomic():
        sweep = Sweep.objects.create(
            organisation_id=scenario.organisation_id,
            scenario=scenario,
            scenario_name=scenario.name,
            spec=sweep_json(spec),
            total=len(spec.variants),
            created_by=actor,
        )
        if background if background is not None else _background():
            from leadshift.planning.tasks import enqueue_sweep

            # Stored with its task: a worker picks it up, even after a web restart.
            sweep.task_id = enqueue_sweep(sweep.id)
            sweep.save(update_fields=["task_id"])
            return sweep
    execute_sweep(sweep.id)
    sweep.refresh_from_db()
    return sweep


def execute_sweep(sweep_id: int) -> None:
    """Solve every variant of a stored sweep, over the cluster or local processes, counting
    the variants done; the result is written in one update at the end."""
    sweep = Sweep.objects.select_related("scenario").get(pk=sweep_id)
    Sweep.objects.filter(pk=sweep_id).update(
        status="running", started_at=sweep.started_at or timezone.now(), done=0
    )

    def progress(done: int, total: int) -> None:
        Sweep.objects.filter(pk=sweep_id).update(done=done)

    try:
        if sweep.scenario is None:
            raise Invalid(
                f"the scenario “{sweep.scenario_name}” it sweeps was deleted while it waited"
            )
        base, _ = scenario_document(sweep.scenario)
        with fanout_configured(settings, "LEADSHIFT_SWEEP_PROCESSES") as where:
            results = run_sweep(
                base,
                sweep_from_json(sweep.spec),
                executor=where.executor,
                in_flight=where.workers,
                progress=progress,
            )
    except (Invalid, SchedulerUnreachable) as exc:
        Sweep.objects.filter(pk=sweep_id).update(
            status="failed", error=str(exc), finished_at=timezone.now()
        )
        return
    Sweep.objects.filter(pk=sweep_id).update(
        status="done",
        result=sweep_result_json(results),
        where=where.where,
        done=len(results),
        finished_at=timezone.now(),
    )


def sweep_status(sweep: Sweep) -> dict[str, Any]:
    """What the page polls: variants done of all."""
    return {
        "id": sweep.id,
        "status": sweep.status,
        "done": sweep.done,
        "total": sweep.total,
        "progress": f"{sweep.done} of {sweep.total} variants done",
        "error": sweep.error or None,
    }


def _free_name(org_id: int, name: str) -> str:
    name = name[:190]
    taken = set(
        Scenario.objects.filter(organisation_id=org_id, name__startswith=name).values_list(
            "name", flat=True
        )
    )
    k, out = 2, name
    while out in taken:
        out, k = f"{name} ({k})", k + 1
    return out


@transaction.atomic
def do_scenario_from_variant(sweep: Sweep, index: int, actor: Person | None) -> Scenario:
    """A new scenario: the sweep's base scenario with the variant's changes made."""
    check_leader(actor, sweep.organisation_id)
    spec = sweep_from_json(sweep.spec)
    if not 0 < index < len(spec.variants):
        raise NotFound("no such variant")
    if sweep.scenario is None:
        raise Invalid(f"the scenario “{sweep.scenario_name}” this sweep varied was deleted")
    variant = spec.variants[index]
    base, _ = scenario_document(sweep.scenario)
    changed = apply_variant(base, variant)
    org = sweep.scenario.organisation
    s = do_create_scenario(
        org,
        actor,
        name=_free_name(org.id, f"{sweep.scenario_name}: {variant.name}"),
        description="From a sweep: " + "; ".join(variant.changes()),
        copy_from=sweep.scenario,
    )
    teams = {t.name: t for t in Team.objects.filter(organisation=org)}
    periods = {p.name: p for p in Period.objects.filter(organisation=org)}
    caps = {t["id"]: t.get("capacity", 0) for t in changed["teams"]}
    for c in variant.capacity:
        for p in [c.period] if c.period else list(periods):
            cap = caps[c.team]
            value = cap.get(p, 0) if isinstance(cap, dict) else cap
            ScenarioCapacity.objects.update_or_create(
                scenario=s,
                team=teams[c.team],
                period=periods[p],
                defaults={"person_weeks": float(value)},
            )
    items = {
        i.key: i
        for i in Initiative.objects.filter(
            organisation=org, key__in=[*variant.mandatory, *variant.excluded]
        )
    }
    for key, rule in [(k, "mandatory") for k in variant.mandatory] + [
        (k, "excluded") for k in variant.excluded
    ]:
        if key in items:
            ScenarioInitiative.objects.update_or_create(
                scenario=s, initiative=items[key], defaults={"rule": rule}
            )
    s.ignore_precedence = s.ignore_precedence or not variant.precedence
    s.objective_weights = {**s.objective_weights, **dict(variant.weights)}
    s.save()
    return s
