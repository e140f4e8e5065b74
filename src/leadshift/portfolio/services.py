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
from leadshift.people.models import Organisation, Person, Team
from leadshift.portfolio import lifecycle
from leadshift.portfolio.access import check_leader
from leadshift.portfolio.document import build_document, engine_portfolio, settings_for
from leadshift.portfolio.importing import KEY, Parsed, read_import, read_items, write_import
from leadshift.portfolio.models import (
    HORIZONS,
    METRIC_FIELDS,
    RECOMMENDATIONS,
    Initiative,
    InitiativeEffort,
    InitiativeObjective,
    MetricSnapshot,
    Objective,
    Period,
    PortfolioSettings,
    Product,
    TeamCapacity,
)
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
