"""Every change to the portfolio, each a named ``do_…`` function that checks who is acting.

``actor`` None is the operator on the command line (see portfolio/access.py).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from leadshift.allocation.problem import find_cycles
from leadshift.core.errors import Invalid
from leadshift.files import InputError, Problem
from leadshift.people.models import Organisation, Person, Team
from leadshift.planning.models import Scenario
from leadshift.portfolio import lifecycle
from leadshift.portfolio.access import check_leader
from leadshift.portfolio.actuals_file import ActualRow, read_actuals
from leadshift.portfolio.document import build_document, engine_portfolio, settings_for
from leadshift.portfolio.health import (
    Health,
    HealthInput,
    InitiativeIn,
    KeyResultIn,
    ObjectiveIn,
    portfolio_health,
)
from leadshift.portfolio.importing import KEY, Parsed, read_import, read_items, write_import
from leadshift.portfolio.models import (
    FINAL,
    HORIZONS,
    METRIC_FIELDS,
    RECOMMENDATIONS,
    STATUSES,
    Initiative,
    InitiativeEffort,
    InitiativeObjective,
    KeyResult,
    KeyResultActual,
    MetricSnapshot,
    Objective,
    Period,
    PortfolioSettings,
    Product,
    TeamCapacity,
    goes_backwards,
)
from leadshift.portfolio.sync_file import SyncRow, read_sync
from leadshift.portfolio.trajectory import Actual, TrajectoryInput
from leadshift.undo.models import Deletion
from leadshift.undo.services import do_delete_with_undo


def _key(raw: str, what: str) -> str:
    key = raw.strip()
    if not KEY.match(key):
        raise Invalid(
            f"a {what} id is up to 60 letters, digits, - and _, no spaces (e.g. checkout-v2)",
            field="key",
        )
    return key


def _settings_row(org: Organisation) -> PortfolioSettings:
    st, _ = PortfolioSettings.objects.get_or_create(organisation=org)
    return st


# --- Periods, objectives, capacity ----------------------------------------------------


@transaction.atomic
def do_add_period(org: Organisation, actor: Person | None, *, name: str) -> Period:
    check_leader(actor, org)
    name = name.strip()
    if not name or len(name) > 40:
        raise Invalid("a period needs a name of up to 40 characters, e.g. 2026-Q1", field="name")
    if Period.objects.filter(organisation=org, name=name).exists():
        raise Invalid(f"there is already a period {name!r}", field="name")
    last = Period.objects.filter(organisation=org).aggregate(m=Max("position"))["m"]
    return Period.objects.create(organisation=org, name=name, position=(last or 0) + 1)


@transaction.atomic
def do_save_objective(
    org: Organisation,
    actor: Person | None,
    *,
    key: str,
    name: str,
    weight: float,
    description: str = "",
    period_ids: Sequence[int] = (),
    objective: Objective | None = None,
) -> Objective:
    check_leader(actor, org)
    key = _key(key, "objective")
    if weight < 0:
        raise Invalid("a weight cannot be negative (1 = normal, 2 = counts double)", field="weight")
    if not name.strip():
        raise Invalid("an objective needs a name", field="name")
    clash = Objective.objects.filter(organisation=org, key=key)
    if objective is not None:
        clash = clash.exclude(pk=objective.pk)
    if clash.exists():
        raise Invalid(f"there is already an objective {key!r}", field="key")
    periods = list(Period.objects.filter(organisation=org, id__in=period_ids))
    if len(periods) != len(set(period_ids)):
        raise Invalid("unknown period", field="periods")
    if objective is None:
        last = Objective.objects.filter(organisation=org).aggregate(m=Max("position"))["m"]
        objective = Objective(organisation=org, position=(last or 0) + 1)
    objective.key, objective.name, objective.weight = key, name.strip(), float(weight)
    objective.description = description.strip()
    objective.save()
    objective.periods.set(periods)
    return objective


@transaction.atomic
def do_delete_objective(objective: Objective, actor: Person | None) -> Deletion | None:
    check_leader(actor, objective.organisation_id)
    return do_delete_with_undo(
        objective, actor, f"the objective “{objective.name}”", reverse("portfolio_home")
    )


@transaction.atomic
def do_set_capacity(
    org: Organisation, actor: Person | None, cells: Mapping[tuple[int, int], float | None]
) -> int:
    """Set person-weeks per (team id, period id); None removes the cell. Returns cells saved."""
    check_leader(actor, org)
    teams = {t.id: t for t in Team.objects.filter(organisation=org)}
    periods = {p.id: p for p in Period.objects.filter(organisation=org)}
    n = 0
    for (tid, pid), value in cells.items():
        if tid not in teams or pid not in periods:
            raise Invalid("unknown team or period", field="capacity")
        if value is None:
            TeamCapacity.objects.filter(team_id=tid, period_id=pid).delete()
            continue
        if value < 0:
            raise Invalid(
                f"capacity cannot be negative: {teams[tid].name} in {periods[pid].name} "
                f"has {value:g}",
                field=f"cap-{tid}-{pid}",
            )
        TeamCapacity.objects.update_or_create(
            team_id=tid, period_id=pid, defaults={"person_weeks": float(value)}
        )
        n += 1
    return n


@transaction.atomic
def do_save_horizon_mix(
    org: Organisation,
    actor: Person | None,
    *,
    target: Mapping[str, float],
    tolerance: float,
    basis: str = "effort",
) -> PortfolioSettings:
    """Target shares per horizon (fractions or percentages); empty target: no horizon rule."""
    check_leader(actor, org)
    st = _settings_row(org)
    st.horizon_target, st.horizon_tolerance, st.horizon_basis = check_mix(target, tolerance, basis)
    st.updated_by = actor
    st.save()
    return st


def check_mix(
    target: Mapping[str, float], tolerance: float, basis: str
) -> tuple[dict[str, float], float, str]:
    clean = {h: float(v) for h, v in target.items() if v is not None}
    for h in clean:
        if h not in HORIZONS:
            raise Invalid(f"unknown horizon {h!r}", field="horizon_mix")
    if any(v < 0 for v in clean.values()):
        raise Invalid("a horizon's share cannot be negative", field="horizon_mix")
    total = sum(clean.values())
    if clean and total > 1.0 + 1e-9:
        clean = {k: v / 100.0 for k, v in clean.items()}
        total /= 100.0
    if clean and abs(total - 1.0) > 1e-6:
        raise Invalid(
            f"the horizon shares add up to {100 * total:g}%, not 100%", field="horizon_mix"
        )
    if tolerance > 1.0:
        tolerance /= 100.0
    if tolerance < 0:
        raise Invalid("the tolerance cannot be negative", field="tolerance")
    if basis not in ("effort", "value"):
        raise Invalid("the mix is measured on effort or on value", field="basis")
    return clean, float(tolerance), basis


# --- Products, snapshots, lifecycle ---------------------------------------------------


@transaction.atomic
def do_save_product(
    org: Organisation,
    actor: Person | None,
    *,
    key: str,
    name: str,
    description: str = "",
    stage: str = "",
    team_id: int | None = None,
    product: Product | None = None,
) -> Product:
    check_leader(actor, org)
    key = _key(key, "product")
    if not name.strip():
        raise Invalid("a product needs a name", field="name")
    if stage and stage not in RECOMMENDATIONS:
        raise Invalid("unknown lifecycle stage", field="stage")
    clash = Product.objects.filter(organisation=org, key=key)
    if product is not None:
        clash = clash.exclude(pk=product.pk)
    if clash.exists():
        raise Invalid(f"there is already a product {key!r}", field="key")
    team = None
    if team_id is not None:
        team = Team.objects.filter(organisation=org, pk=team_id).first()
        if team is None:
            raise Invalid("unknown team", field="team")
    if product is None:
        last = Product.objects.filter(organisation=org).aggregate(m=Max("position"))["m"]
        product = Product(organisation=org, position=(last or 0) + 1)
    product.key, product.name, product.description = key, name.strip(), description.strip()
    product.stage, product.team = stage, team
    product.save()
    return product


@transaction.atomic
def do_add_snapshot(
    product: Product,
    actor: Person | None,
    *,
    taken_on: dt.date,
    label: str = "",
    metrics: Mapping[str, float | None],
) -> MetricSnapshot:
    check_leader(actor, product.organisation_id)
    unknown = [m for m in metrics if m not in METRIC_FIELDS]
    if unknown:
        raise Invalid(f"unknown metric {unknown[0]!r}", field=unknown[0])
    if not any(v is not None for v in metrics.values()):
        raise Invalid("give at least one metric", field="metrics")
    snap, _ = MetricSnapshot.objects.update_or_create(
        product=product,
        taken_on=taken_on,
        defaults={"label": label.strip(), **{m: metrics.get(m) for m in METRIC_FIELDS}},
    )
    return snap


@transaction.atomic
def do_override_recommendation(
    product: Product, actor: Person | None, *, recommendation: str, reason: str
) -> Product:
    """The leader overrules the recommendation and says why; an empty one clears it."""
    check_leader(actor, product.organisation_id)
    if recommendation and recommendation not in RECOMMENDATIONS:
        raise Invalid("choose develop, scale, sustain or sunset", field="recommendation")
    if recommendation and not reason.strip():
        raise Invalid("say why you overrule the recommendation", field="reason")
    product.override = recommendation
    product.override_reason = reason.strip() if recommendation else ""
    product.override_by = actor if recommendation else None
    product.override_at = timezone.now() if recommendation else None
    product.save()
    return product


@transaction.atomic
def do_save_thresholds(
    org: Organisation, actor: Person | None, values: Mapping[str, Any]
) -> lifecycle.Thresholds:
    check_leader(actor, org)
    try:
        th = lifecycle.thresholds_from(values)
    except ValueError as exc:
        raise Invalid(str(exc), field="thresholds") from exc
    st = _settings_row(org)
    st.thresholds = dict(values)
    st.updated_by = actor
    st.save()
    return th


def thresholds_of(org: Organisation) -> lifecycle.Thresholds:
    try:
        return lifecycle.thresholds_from(settings_for(org).thresholds)
    except ValueError:
        return lifecycle.Thresholds()


@dataclass
class ProductView:
    product: Product
    advice: lifecycle.Recommendation
    snapshots: list[MetricSnapshot] = field(default_factory=list)

    @property
    def decision(self) -> str | None:
        """What the portfolio follows: the leader's override, else the recommendation."""
        return self.product.override or self.advice.recommendation

    @property
    def overridden(self) -> bool:
        return bool(self.product.override)


def product_views(org: Organisation) -> list[ProductView]:
    th = thresholds_of(org)
    out = []
    for p in Product.objects.filter(organisation=org).prefetch_related("snapshots"):
        snaps = list(p.snapshots.all())
        advice = lifecycle.recommend(
            [lifecycle.Snapshot(s.taken_on, s.metrics()) for s in snaps], th
        )
        out.append(ProductView(p, advice, snaps))
    return out


def product_json(v: ProductView) -> dict[str, Any]:
    p = v.product
    return {
        "id": p.id,
        "version": p.version,
        "key": p.key,
        "name": p.name,
        "stage": p.stage or None,
        "recommendation": v.advice.recommendation,
        "reasons": v.advice.reasons,
        "override": (
            {"recommendation": p.override, "reason": p.override_reason} if p.override else None
        ),
        "decision": v.decision,
        "latest": {k: round(x, 6) for k, x in v.advice.metrics.items()},
        "snapshots": [
            {"date": s.taken_on.isoformat(), "label": s.label, **s.metrics()} for s in v.snapshots
        ],
    }


# --- Initiatives ---------------------------------------------------------------------


@dataclass
class InitiativeInput:
    key: str
    name: str
    value: float
    value_low: float | None = None
    value_high: float | None = None
    description: str = ""
    product_id: int | None = None
    duration: int = 1
    earliest_id: int | None = None
    latest_id: int | None = None
    deadline_id: int | None = None
    horizon: str = ""
    mandatory: bool = False
    after_ids: list[int] = field(default_factory=list)
    objectives: dict[int, float | None] = field(default_factory=dict)
    """objective id -> share (None: an equal split)."""
    efforts: dict[int, tuple[float, float | None, float | None]] = field(default_factory=dict)
    """team id -> (likely, low, high) person-weeks in each period it runs."""
    reach: float | None = None
    impact: float | None = None
    confidence: float | None = None
    cost_of_delay: float | None = None
    job_size: float | None = None


@transaction.atomic
def do_save_initiative(
    org: Organisation,
    actor: Person | None,
    data: InitiativeInput,
    initiative: Initiative | None = None,
) -> Initiative:
    check_leader(actor, org)
    key = _key(data.key, "initiative")
    if not data.name.strip():
        raise Invalid("an initiative needs a name", field="name")
    if data.value < 0:
        raise Invalid("value cannot be negative", field="value")
    if (data.value_low is None) != (data.value_high is None):
        raise Invalid("give both low and high, or neither", field="value_low")
    if data.value_low is not None and not data.value_low <= data.value <= (data.value_high or 0):
        raise Invalid("a range needs low ≤ likely ≤ high", field="value_low")
    if data.duration < 1:
        raise Invalid("an initiative runs at least one period", field="duration")
    if data.horizon and data.horizon not in HORIZONS:
        raise Invalid("unknown horizon", field="horizon")
    clash = Initiative.objects.filter(organisation=org, key=key)
    if initiative is not None:
        clash = clash.exclude(pk=initiative.pk)
    if clash.exists():
        raise Invalid(f"there is already an initiative {key!r}", field="key")
    periods = {p.id: p for p in Period.objects.filter(organisation=org)}
    order = {pid: k for k, pid in enumerate(periods)}
    for fname, pid in (
        ("earliest", data.earliest_id),
        ("latest", data.latest_id),
        ("deadline", data.deadline_id),
    ):
        if pid is not None and pid not in periods:
            raise Invalid("unknown period", field=fname)
    if (
        data.earliest_id is not None
        and data.latest_id is not None
        and order[data.earliest_id] > order[data.latest_id]
    ):
        raise Invalid("the earliest start is after the latest start", field="earliest")
    if data.deadline_id is not None and order[data.deadline_id] + 1 < data.duration:
        raise Invalid(
            f"it runs {data.duration} periods, so it cannot finish by "
            f"{periods[data.deadline_id].name}",
            field="deadline",
        )
    teams = {t.id: t for t in Team.objects.filter(organisation=org)}
    for tid, (likely, low, high) in data.efforts.items():
        if tid not in teams:
            raise Invalid("effort for a team that does not exist", field="effort")
        if likely < 0 or (low is not None and low < 0):
            raise Invalid(f"effort for {teams[tid].name} cannot be negative", field=f"effort-{tid}")
        if (low is None) != (high is None) or (
            low is not None and high is not None and not low <= likely <= high
        ):
            raise Invalid(
                f"effort range for {teams[tid].name} needs low ≤ likely ≤ high",
                field=f"effort-{tid}",
            )
    objectives = {o.id: o for o in Objective.objects.filter(organisation=org)}
    if any(oid not in objectives for oid in data.objectives):
        raise Invalid("unknown objective", field="objectives")
    shares = [s for s in data.objectives.values() if s is not None]
    if shares and (len(shares) != len(data.objectives) or abs(sum(shares) - 1) > 1e-6):
        raise Invalid(
            "give a share for every objective it serves, adding up to 1, or for none",
            field="objectives",
        )
    product = None
    if data.product_id is not None:
        product = Product.objects.filter(organisation=org, pk=data.product_id).first()
        if product is None:
            raise Invalid("unknown product", field="product")
    others = {i.id: i for i in Initiative.objects.filter(organisation=org)}
    if any(a not in others for a in data.after_ids):
        raise Invalid("unknown initiative in 'after'", field="after")
    if initiative is not None and initiative.id in data.after_ids:
        raise Invalid("an initiative cannot come after itself", field="after")
    # A dependency cycle through this initiative would make every plan impossible.
    graph: dict[str, tuple[str, ...]] = {
        str(i.key): tuple(a.key for a in i.after.all())
        for i in Initiative.objects.filter(organisation=org).prefetch_related("after")
        if initiative is None or i.id != initiative.id
    }
    graph[key] = tuple(others[a].key for a in data.after_ids)
    cycles = [c for c in find_cycles(graph) if key in c]
    if cycles:
        raise Invalid(
            "dependency cycle: "
            + " → ".join([*cycles[0], cycles[0][0]])
            + " (each waits for the next)",
            field="after",
        )
    if initiative is None:
        last = Initiative.objects.filter(organisation=org).aggregate(m=Max("position"))["m"]
        initiative = Initiative(organisation=org, position=(last or 0) + 1)
    initiative.key, initiative.name = key, data.name.strip()
    initiative.description = data.description.strip()
    initiative.product = product
    initiative.value_likely, initiative.value_low, initiative.value_high = (
        data.value,
        data.value_low,
        data.value_high,
    )
    initiative.duration = data.duration
    initiative.earliest_start_id = data.earliest_id
    initiative.latest_start_id = data.latest_id
    initiative.deadline_id = data.deadline_id
    initiative.horizon, initiative.mandatory = data.horizon, data.mandatory
    for k in ("reach", "impact", "confidence", "cost_of_delay", "job_size"):
        setattr(initiative, k, getattr(data, k))
    initiative.save()
    initiative.after.set([others[a] for a in data.after_ids])
    initiative.efforts.all().delete()
    for tid, (likely, low, high) in data.efforts.items():
        InitiativeEffort.objects.create(
            initiative=initiative, team=teams[tid], likely=likely, low=low, high=high
        )
    initiative.objective_links.all().delete()
    for oid, share in data.objectives.items():
        InitiativeObjective.objects.create(
            initiative=initiative, objective=objectives[oid], share=share
        )
    if initiative.mandatory:
        # A mandatory item that cannot fit even alone is refused here, not at planning time.
        engine_portfolio(build_document(org, full=False), f"{org.name} portfolio")
    return initiative


RISKS_KEEP, RISKS_MOVE = "keep", "move"


class RisksAttached(Invalid):
    """Deleting would touch risks: the caller must say whether to keep or move them."""

    def __init__(self, initiative: Initiative, risks: list[Any]):
        names = ", ".join(f"“{r.title}”" for r in risks)
        super().__init__(
            f"“{initiative.name}” has {len(risks)} risk{'s' if len(risks) != 1 else ''} "
            f"attached ({names}): keep them (detached from any initiative) or move them to "
            "another initiative",
            field="risks",
        )
        self.risks = risks


@transaction.atomic
def do_delete_initiative(
    initiative: Initiative,
    actor: Person | None,
    *,
    risks: str | None = None,
    move_to: Initiative | None = None,
) -> int:
    """Delete an initiative. Its risks are never deleted with it: with risks attached the
    caller says `keep` (they stay in the register, detached) or `move` (to `move_to`).
    Returns how many risks were kept or moved."""
    check_leader(actor, initiative.organisation_id)
    attached = list(initiative.risks.order_by("title", "id"))
    if attached and risks not in (RISKS_KEEP, RISKS_MOVE):
        raise RisksAttached(initiative, attached)
    if attached and risks == RISKS_MOVE:
        if move_to is None or move_to.organisation_id != initiative.organisation_id:
            raise Invalid("choose the initiative to move the risks to", field="to")
        if move_to.pk == initiative.pk:
            raise Invalid("choose another initiative than the one deleted", field="to")
        initiative.risks.update(initiative=move_to)
    elif attached:
        initiative.risks.update(initiative=None)
    initiative.delete()
    return len(attached)


# --- Import and export ---------------------------------------------------------------


def do_import(
    org: Organisation,
    actor: Person | None,
    text: str,
    filename: str,
    kind: str | None = None,
) -> dict[str, int]:
    """Validate the whole file, then write it; any problem raises InputError, nothing written.

    Reading runs before the transaction: on SQLite a transaction holds the one write lock,
    and a long read inside it would keep every other organisation's writes waiting."""
    check_leader(actor, org)
    parsed = read_import(org, text, filename, kind)
    return do_write_import(org, parsed, filename)


@transaction.atomic
def do_write_import(org: Organisation, parsed: Parsed, filename: str) -> dict[str, int]:
    """Write an import already read and checked, as one short transaction."""
    counts = write_import(org, parsed)
    if parsed.kind == "portfolio":
        # The file and what was already saved must still make one valid portfolio.
        try:
            engine_portfolio(build_document(org, full=False), filename)
        except Invalid as exc:
            raise Invalid(
                f"{filename}: after merging with what is already saved: {exc.message}"
            ) from exc
    return counts


def do_save_initiative_items(org: Organisation, actor: Person | None, items: list[Any]) -> int:
    """Add or update initiatives given in the file format; all checked before any is saved."""
    check_leader(actor, org)
    parsed = read_items(org, items)
    return do_write_import(org, parsed, "request")["initiatives"]


def export_document(org: Organisation, actor: Person | None) -> dict[str, Any]:
    check_leader(actor, org)
    return build_document(org, full=True)


# --- Key results and their actuals -----------------------------------------------------


def _kr_numbers(baseline: float, target: float, starts_on: dt.date, due_on: dt.date) -> None:
    for name, x in (("baseline", baseline), ("target", target)):
        if x != x or abs(x) == float("inf"):
            raise Invalid(f"the {name} must be a number", field=name)
    if baseline == target:
        raise Invalid(
            "the target equals the baseline: give the value it starts from and the one to reach",
            field="target",
        )
    if due_on <= starts_on:
        raise Invalid(
            f"the due date ({due_on}) must come after the start ({starts_on})", field="due_on"
        )


@transaction.atomic
def do_save_key_result(
    objective: Objective,
    actor: Person | None,
    *,
    key: str,
    name: str,
    baseline: float,
    target: float,
    starts_on: dt.date,
    due_on: dt.date,
    unit: str = "",
    key_result: KeyResult | None = None,
) -> KeyResult:
    """Add a key result to an objective, or change one; the direction follows baseline vs
    target (a target below the baseline is one to bring down)."""
    check_leader(actor, objective.organisation_id)
    key = _key(key, "key result")
    if not name.strip() or len(name.strip()) > 200:
        raise Invalid("a key result needs a name of up to 200 characters", field="name")
    if len(unit.strip()) > 30:
        raise Invalid("a unit is up to 30 characters (e.g. %, users, € k)", field="unit")
    _kr_numbers(baseline, target, starts_on, due_on)
    clash = KeyResult.objects.filter(objective=objective, key=key)
    if key_result is not None:
        clash = clash.exclude(pk=key_result.pk)
    if clash.exists():
        raise Invalid(f"“{objective.name}” already has a key result {key!r}", field="key")
    if key_result is None:
        last = KeyResult.objects.filter(objective=objective).aggregate(m=Max("position"))["m"]
        key_result = KeyResult(objective=objective, position=(last or 0) + 1)
    key_result.key, key_result.name, key_result.unit = key, name.strip(), unit.strip()
    key_result.baseline, key_result.target = float(baseline), float(target)
    key_result.starts_on, key_result.due_on = starts_on, due_on
    key_result.save()
    return key_result


@transaction.atomic
def do_delete_key_result(key_result: KeyResult, actor: Person | None) -> None:
    check_leader(actor, key_result.objective.organisation_id)
    key_result.delete()


def _check_actual(value: float, note: str) -> None:
    if value != value or abs(value) == float("inf"):
        raise Invalid("an actual must be a number", field="value")
    if len(note) > 300:
        raise Invalid("a note is up to 300 characters", field="note")


@transaction.atomic
def do_record_actual(
    key_result: KeyResult, actor: Person | None, *, on: dt.date, value: float, note: str = ""
) -> KeyResultActual:
    """Record a measured value; a second one on the same date replaces the first."""
    check_leader(actor, key_result.objective.organisation_id)
    _check_actual(value, note.strip())
    if on > timezone.localdate():
        raise Invalid(f"an actual is measured, so not in the future ({on})", field="on")
    actual, _ = KeyResultActual.objects.update_or_create(
        key_result=key_result,
        taken_on=on,
        defaults={"value": float(value), "note": note.strip(), "recorded_by": actor},
    )
    return actual


@transaction.atomic
def do_delete_actual(actual: KeyResultActual, actor: Person | None) -> None:
    check_leader(actor, actual.key_result.objective.organisation_id)
    actual.delete()


def read_actuals_for(
    org: Organisation, text: str, filename: str
) -> list[tuple[ActualRow, KeyResult]]:
    """An actuals CSV matched against the organisation's key results; InputError placing
    every unknown objective or key result (another organisation's included) by line and column."""
    rows = read_actuals(text, filename)
    krs = {
        (k.objective.key, k.key): k
        for k in KeyResult.objects.filter(objective__organisation=org).select_related("objective")
    }
    objectives = {o for o, _ in krs} | set(
        Objective.objects.filter(organisation=org).values_list("key", flat=True)
    )
    today = timezone.localdate()
    problems: list[Problem] = []
    out: list[tuple[ActualRow, KeyResult]] = []
    for r in rows:
        if r.objective not in objectives:
            problems.append(
                Problem(
                    f"objective: no objective {r.objective!r} in {org.name}",
                    line=r.line,
                    column=r.columns["objective"],
                )
            )
        elif (r.objective, r.key_result) not in krs:
            problems.append(
                Problem(
                    f"key_result: objective {r.objective!r} has no key result {r.key_result!r}",
                    line=r.line,
                    column=r.columns["key_result"],
                )
            )
        elif r.on > today:
            problems.append(
                Problem(
                    f"date: {r.on} is in the future; an actual is measured",
                    line=r.line,
                    column=r.columns["date"],
                )
            )
        else:
            out.append((r, krs[(r.objective, r.key_result)]))
    if problems:
        raise InputError(problems, filename)
    return out


def do_import_actuals(org: Organisation, actor: Person | None, text: str, filename: str) -> int:
    """Record every actual of a CSV file, or none: the whole file is checked first."""
    check_leader(actor, org)
    matched = read_actuals_for(org, text, filename)
    return _write_actuals(matched, actor)


@transaction.atomic
def _write_actuals(matched: list[tuple[ActualRow, KeyResult]], actor: Person | None) -> int:
    for row, kr in matched:
        KeyResultActual.objects.update_or_create(
            key_result=kr,
            taken_on=row.on,
            defaults={"value": row.value, "note": row.note, "recorded_by": actor},
        )
    return len(matched)


def key_result_input(kr: KeyResult, today: dt.date | None = None) -> TrajectoryInput:
    """The trajectory engine's input for a key result (its actuals prefetched or not)."""
    return TrajectoryInput(
        baseline=kr.baseline,
        target=kr.target,
        start=kr.starts_on,
        due=kr.due_on,
        actuals=tuple(Actual(a.taken_on, a.value) for a in kr.actuals.all()),
        today=today or timezone.localdate(),
        unit=kr.unit,
    )


# --- Initiative status and sync from trackers -------------------------------------------


def _label(status: str) -> str:
    return status.replace("_", " ")


def check_status(
    initiative: Initiative, status: str, reason: str, finished_on: dt.date | None
) -> None:
    if status not in STATUSES:
        raise Invalid(f"unknown status {status!r} (one of {', '.join(STATUSES)})", field="status")
    if goes_backwards(initiative.status, status) and not reason.strip():
        raise Invalid(
            f"“{initiative.name}” would go back from {_label(initiative.status)} to "
            f"{_label(status)}: say why (a reason is kept)",
            field="reason",
        )
    if finished_on is not None and status not in FINAL:
        raise Invalid(
            f"an actual finish is for done or dropped work, not {_label(status)}",
            field="finished_on",
        )
    if finished_on is not None and finished_on > timezone.localdate():
        raise Invalid(f"the actual finish {finished_on} is in the future", field="finished_on")


def _apply_status(
    initiative: Initiative, status: str, reason: str, finished_on: dt.date | None
) -> None:
    if goes_backwards(initiative.status, status):
        initiative.status_reason = reason.strip()
    initiative.status = status
    if status in FINAL:
        initiative.finished_on = finished_on or initiative.finished_on or timezone.localdate()
    else:
        initiative.finished_on = None


@transaction.atomic
def do_set_status(
    initiative: Initiative,
    actor: Person | None,
    *,
    status: str,
    finished_on: dt.date | None = None,
    reason: str = "",
    external_key: str | None = None,
) -> Initiative:
    """Move an initiative along its life; going back needs a reason. Done or dropped work
    gets its actual finish (today unless given)."""
    check_leader(actor, initiative.organisation_id)
    check_status(initiative, status, reason, finished_on)
    if external_key is not None:
        initiative.external_key = _external_key(initiative, external_key)
    _apply_status(initiative, status, reason, finished_on)
    initiative.save()
    return initiative


def _external_key(initiative: Initiative, raw: str) -> str:
    key = raw.strip()
    if len(key) > 60:
        raise Invalid("an external key is up to 60 characters", field="external_key")
    if (
        key
        and Initiative.objects.filter(organisation_id=initiative.organisation_id, external_key=key)
        .exclude(pk=initiative.pk)
        .exists()
    ):
        raise Invalid(
            f"another initiative already has the external key {key!r}", field="external_key"
        )
    return key


def do_sync(
    org: Organisation,
    actor: Person | None,
    text: str,
    filename: str,
    source: str,
    *,
    reason: str = "",
) -> dict[str, int]:
    """Initiative statuses from a Jira or Linear export, matched by external key: all or
    nothing, every unknown key, duplicate or step back without a reason named by line."""
    check_leader(actor, org)
    rows = read_sync(text, filename, source)
    by_key = {
        i.external_key: i
        for i in Initiative.objects.filter(organisation=org).exclude(external_key="")
    }
    problems: list[Problem] = []
    changes: list[tuple[Initiative, SyncRow]] = []
    for r in rows:
        item = by_key.get(r.key)
        if item is None:
            problems.append(
                Problem(f"{r.key}: no initiative has this external key in {org.name}", line=r.line)
            )
            continue
        try:
            check_status(item, r.status, reason, None)
        except Invalid as exc:
            problems.append(
                Problem(
                    f"{r.key}: {exc.message}"
                    + (" (or give a reason for the sync)" if exc.field == "reason" else ""),
                    line=r.line,
                )
            )
            continue
        if r.finished is not None and r.finished > timezone.localdate():
            problems.append(
                Problem(f"{r.key}: finished {r.finished} is in the future", line=r.line)
            )
            continue
        changes.append((item, r))
    if problems:
        raise InputError(problems, filename)
    return _write_sync(changes, reason)


@transaction.atomic
def _write_sync(changes: list[tuple[Initiative, SyncRow]], reason: str) -> dict[str, int]:
    changed = 0
    for item, r in changes:
        before = (item.status, item.finished_on)
        finished = r.finished if r.status in FINAL else None
        _apply_status(item, r.status, reason, finished)
        if (item.status, item.finished_on) != before:
            item.save()
            changed += 1
    return {"rows": len(changes), "changed": changed}


# --- Hires and attrition ---------------------------------------------------------------


@transaction.atomic
def do_set_capacity_changes(
    org: Organisation,
    actor: Person | None,
    cells: Mapping[tuple[int, int], tuple[float, float]],
) -> int:
    """Set (hires, attrition) person-weeks per (team id, period id); the optimiser plans on
    capacity + hires − attrition. A cell with no capacity yet starts from 0."""
    check_leader(actor, org)
    teams = {t.id: t for t in Team.objects.filter(organisation=org)}
    periods = {p.id: p for p in Period.objects.filter(organisation=org)}
    n = 0
    for (tid, pid), (hires, attrition) in cells.items():
        if tid not in teams or pid not in periods:
            raise Invalid("unknown team or period", field="capacity")
        where = f"{teams[tid].name} in {periods[pid].name}"
        if hires < 0 or attrition < 0:
            raise Invalid(
                f"hires and attrition are person-weeks added or lost, not negative ({where})",
                field=f"hires-{tid}-{pid}",
            )
        cap = TeamCapacity.objects.filter(team_id=tid, period_id=pid).first()
        if cap is None:
            if not hires and not attrition:
                continue
            cap = TeamCapacity(team_id=tid, period_id=pid, person_weeks=0.0)
        cap.hires, cap.attrition = float(hires), float(attrition)
        cap.save()
        n += 1
    return n


# --- Portfolio health ------------------------------------------------------------------


def health_of(org: Organisation, actor: Person | None, today: dt.date | None = None) -> Health:
    """Planned against delivered value and key-result progress (portfolio/health.py)."""
    check_leader(actor, org)
    plan = (
        Scenario.objects.filter(organisation=org, is_plan_of_record=True)
        .select_related("adopted_run")
        .first()
    )
    result = plan.adopted_run.result if plan and plan.adopted_run else None
    planned = {s["id"]: float(s["value"]) for s in (result or {}).get("selected", [])}
    objectives = tuple(
        ObjectiveIn(
            o.key,
            o.name,
            tuple(
                KeyResultIn(
                    k.key,
                    k.name,
                    k.unit,
                    k.baseline,
                    k.target,
                    k.starts_on,
                    k.due_on,
                    tuple(Actual(a.taken_on, a.value) for a in k.actuals.all()),
                )
                for k in o.key_results.all()
            ),
        )
        for o in Objective.objects.filter(organisation=org).prefetch_related("key_results__actuals")
    )
    initiatives = tuple(
        InitiativeIn(i.key, i.name, i.value_likely, i.status, i.finished_on, planned.get(i.key))
        for i in Initiative.objects.filter(organisation=org)
    )
    return portfolio_health(
        HealthInput(
            objectives, initiatives, today or timezone.localdate(), has_plan=result is not None
        )
    )


def _r(x: float | None, n: int = 4) -> float | None:
    return None if x is None else round(x, n)


def health_json(h: Health) -> dict[str, Any]:
    v = h.value
    return {
        "today": h.today.isoformat(),
        "value": {
            "has_plan": h.has_plan,
            "planned": _r(v.planned, 2),
            "delivered": _r(v.delivered, 2),
            "delivered_in_plan": _r(v.delivered_in_plan, 2),
            "in_progress": _r(v.in_progress, 2),
            "dropped_from_plan": _r(v.dropped_from_plan, 2),
            "initiatives_by_status": v.by_status,
        },
        "objectives": [
            {
                "key": o.key,
                "name": o.name,
                "progress": _r(o.progress),
                "series": [{"date": d.isoformat(), "progress": _r(p)} for d, p in o.series],
                "key_results": [
                    {
                        "key": k.key,
                        "name": k.name,
                        "unit": k.unit,
                        "baseline": k.baseline,
                        "target": k.target,
                        "due": k.due.isoformat(),
                        "expected": _r(k.verdict.expected),
                        "actual": k.verdict.actual,
                        "as_of": k.verdict.as_of.isoformat() if k.verdict.as_of else None,
                        "progress": _r(k.verdict.progress),
                        "expected_progress": _r(k.verdict.expected_progress),
                        "behind_by": _r(k.verdict.behind_by),
                        "off_track": k.verdict.off_track,
                        "reason": k.verdict.reason,
                    }
                    for k in o.key_results
                ],
            }
            for o in h.objectives
        ],
    }
