"""Where the radar's signals come from: one function per kind, `(leader, context) -> signals`.

Each provider reads the app that keeps the evidence and asks radar/judgement.py whether it
fires. Adding a kind of signal is adding one function here and naming it in PROVIDERS.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.urls import reverse

from leadshift.people.models import Person
from leadshift.radar.judgement import Link, Signal


@dataclass
class Context:
    """What every provider may need, read once per radar."""

    today: dt.date
    objective_threshold: float
    cache: dict[str, object] = field(default_factory=dict)

    def initiatives(self, leader: Person) -> Initiatives:
        if "initiatives" not in self.cache:
            from leadshift.portfolio.models import Initiative, InitiativeObjective

            rows = Initiative.objects.filter(organisation_id=leader.organisation_id)
            by_id: dict[int, str] = {}
            by_product: dict[int, list[int]] = {}
            for pk, key, product in rows.order_by("position", "id").values_list(
                "id", "key", "product_id"
            ):
                by_id[pk] = key
                if product:
                    by_product.setdefault(product, []).append(pk)
            by_objective: dict[int, list[int]] = {}
            links = InitiativeObjective.objects.filter(
                initiative__organisation_id=leader.organisation_id
            )
            for initiative, objective in links.values_list("initiative_id", "objective_id"):
                by_objective.setdefault(objective, []).append(initiative)
            self.cache["initiatives"] = Initiatives(by_id, by_product, by_objective)
        found = self.cache["initiatives"]
        assert isinstance(found, Initiatives)
        return found

    def plan_of_record(self, leader: Person) -> object | None:
        if "plan" not in self.cache:
            from leadshift.planning.models import Scenario

            self.cache["plan"] = Scenario.objects.filter(
                organisation_id=leader.organisation_id, is_plan_of_record=True
            ).first()
        return self.cache["plan"]


Provider = Callable[[Person, Context], list[Signal]]


@dataclass(frozen=True)
class Initiatives:
    """The organisation's initiative keys by id, product and objective, read once."""

    by_id: dict[int, str]
    by_product: dict[int, list[int]]
    by_objective: dict[int, list[int]]

    def keys(
        self,
        *,
        product_ids: Sequence[int | None] = (),
        objective_ids: Sequence[int | None] = (),
        initiative_ids: Sequence[int | None] = (),
    ) -> tuple[str, ...]:
        ids = {i for i in initiative_ids if i in self.by_id}
        for p in product_ids:
            ids.update(self.by_product.get(p or 0, []))
        for o in objective_ids:
            ids.update(self.by_objective.get(o or 0, []))
        return tuple(key for pk, key in self.by_id.items() if pk in ids)


def fired_risk_triggers(leader: Person, ctx: Context) -> list[Signal]:
    """A risk whose trigger (what says it is time to pivot) has fired, and is not closed."""
    from leadshift.risk.models import Risk

    out = []
    risks = Risk.objects.filter(
        organisation_id=leader.organisation_id, trigger_fired_on__isnull=False
    ).exclude(status=Risk.Status.CLOSED)
    for r in risks.select_related("initiative", "product", "objective"):
        trigger = r.trigger.strip() or "its trigger"
        out.append(
            Signal(
                kind="risk_trigger",
                key=f"risk_trigger:{r.id}",
                title=f"Trigger fired: {r.title}",
                why=f"“{trigger}” fired on {r.trigger_fired_on:%d %b %Y} ({r.scope_label}).",
                evidence=(Link(f"Risk: {r.title}", reverse("risk_edit", args=[r.id])),),
                subject=f"Risk: {r.title}",
                decision_links=(("risk", r.title),),
                fingerprint=f"{r.trigger_fired_on:%Y-%m-%d}",
                initiatives=ctx.initiatives(leader).keys(
                    initiative_ids=[r.initiative_id],
                    product_ids=[r.product_id],
                    objective_ids=[r.objective_id],
                ),
            )
        )
    return out


def _simulation(leader: Person, ctx: Context) -> Any:
    """The last finished simulation of the plan of record (any, when there is no plan)."""
    from leadshift.risk.models import Simulation

    sims = Simulation.objects.filter(
        organisation_id=leader.organisation_id, status=Simulation.Status.DONE, result__isnull=False
    )
    plan = ctx.plan_of_record(leader)
    if plan is not None:
        sims = sims.filter(scenario=plan)
    # Its result is megabytes at scale (every initiative's distribution): leave it unread.
    return sims.order_by("-finished_at", "-id").defer("result").first()


def objectives_unlikely(leader: Person, ctx: Context) -> list[Signal]:
    """An objective whose P(reaching its target) in the last simulation is under the threshold."""
    from leadshift.portfolio.models import Objective
    from leadshift.radar.judgement import objective_odds_why

    sim = _simulation(leader, ctx)
    if sim is None:
        return []
    objectives = {
        o.key: o for o in Objective.objects.filter(organisation_id=leader.organisation_id)
    }
    # Only the objectives' part of the result, read out of the JSON by the database.
    rows = type(sim).objects.filter(pk=sim.pk).values_list("result__objectives", flat=True).first()
    out = []
    for row in rows or []:
        objective = objectives.get(str(row.get("id")))
        why = objective_odds_why(row.get("p_reach"), row.get("target"), ctx.objective_threshold)
        if objective is None or why is None:
            continue
        out.append(
            Signal(
                kind="objective_odds",
                key=f"objective_odds:{objective.id}",
                title=f"{objective.name} is unlikely to reach its target",
                why=f"{objective.name} is {why}.",
                evidence=(
                    Link(f"Simulation: {sim.label}", reverse("simulation_detail", args=[sim.id])),
                    Link(
                        f"Target of {objective.name}",
                        reverse("risk_register") + f"#target-{objective.id}",
                    ),
                ),
                subject=f"Objective: {objective.name}",
                fingerprint=f"sim-{sim.id}",
                initiatives=ctx.initiatives(leader).keys(objective_ids=[objective.id]),
            )
        )
    return out


def lifecycle_changes(leader: Person, ctx: Context) -> list[Signal]:
    """A product whose recommendation changed since the previous metric snapshot."""
    from leadshift.portfolio import lifecycle
    from leadshift.portfolio.models import Product
    from leadshift.portfolio.services import thresholds_of
    from leadshift.radar.judgement import lifecycle_change_why

    th = thresholds_of(leader.organisation)
    out = []
    for p in Product.objects.filter(organisation_id=leader.organisation_id).prefetch_related(
        "snapshots"
    ):
        snaps = [lifecycle.Snapshot(s.taken_on, s.metrics()) for s in p.snapshots.all()]
        if len(snaps) < 2:
            continue
        before, now = lifecycle.recommend(snaps[:-1], th), lifecycle.recommend(snaps, th)
        why = lifecycle_change_why(before, now)
        if why is None:
            continue
        out.append(
            Signal(
                kind="lifecycle",
                key=f"lifecycle:{p.id}",
                title=f"{p.name}: now {now.recommendation}, was {before.recommendation}",
                why=f"For {p.name}, {why}.",
                evidence=(Link(f"Product: {p.name}", reverse("portfolio_product", args=[p.id])),),
                subject=f"Product: {p.name}",
                decision_links=(("product", p.name),),
                fingerprint=f"{snaps[-1].taken_on:%Y-%m-%d}:{now.recommendation}",
                initiatives=ctx.initiatives(leader).keys(product_ids=[p.id]),
            )
        )
    return out


def decision_kinds_failing(leader: Person, ctx: Context) -> list[Signal]:
    """Decisions of one kind failing their reviews more often than the leader forecast."""
    from leadshift.decisions.models import Decision
    from leadshift.decisions.services import forecast_records
    from leadshift.radar.judgement import failing_kind_why, failing_kinds

    records, _ = forecast_records(leader)
    labels = dict(Decision.Kind.choices)
    out = []
    for gap in failing_kinds(records):
        label = labels.get(gap.kind, gap.kind)
        out.append(
            Signal(
                kind="decision_kind",
                key=f"decision_kind:{gap.kind}",
                title=f"{label} decisions fail more often than you forecast",
                why=f"{failing_kind_why(gap, label)}.",
                evidence=(
                    Link("Your calibration", reverse("decision_calibration")),
                    Link("Your decision records", reverse("decision_list")),
                ),
                subject=f"Decisions: {label}",
                fingerprint=f"{gap.count}",
                decision_kind=gap.kind,
            )
        )
    return out


def stakeholders_turned_blocker(leader: Person, ctx: Context) -> list[Signal]:
    """A stakeholder on the leader's map, linked to a product, initiative or decision, who
    is now a blocker."""
    from leadshift.stakeholders.models import Stance

    out = []
    found = leader.stakeholders.filter(stance=Stance.BLOCKER).prefetch_related(
        "products", "initiatives", "decisions", "interactions"
    )
    for s in found:
        products, initiatives = list(s.products.all()), list(s.initiatives.all())
        decisions = list(s.decisions.all())
        if not (products or initiatives or decisions):
            continue
        concerns = [*(p.name for p in products), *(i.name for i in initiatives)]
        concerns += [f"“{d.question}”" for d in decisions]
        last = max((i.date for i in s.interactions.all()), default=None)
        role = f" ({s.role})" if s.role else ""
        why = f"{s.name}{role} is now a blocker of {'; '.join(concerns)}."
        if last is not None:
            note = next((i.note for i in reversed(s.interactions.all()) if i.date == last), "")
            why += f" Last contact {last:%d %b %Y}" + (f": “{note}”" if note else ".")
        links = [Link(f"Stakeholder: {s.name}", reverse("stakeholder_detail", args=[s.id]))]
        links += [
            Link(f"Decision: {d.question}", reverse("decision_detail", args=[d.id]))
            for d in decisions
        ]
        out.append(
            Signal(
                kind="stakeholder_blocker",
                key=f"stakeholder_blocker:{s.id}",
                title=f"{s.name} is blocking",
                why=why,
                evidence=tuple(links),
                subject=f"Stakeholder: {s.name}",
                decision_links=tuple(
                    [("product", p.name) for p in products]
                    + [("initiative", i.name) for i in initiatives]
                ),
                fingerprint=f"{last:%Y-%m-%d}" if last else "",
                initiatives=ctx.initiatives(leader).keys(
                    product_ids=[p.id for p in products], initiative_ids=[i.id for i in initiatives]
                ),
            )
        )
    return out


def key_results_off_track(leader: Person, ctx: Context) -> list[Signal]:
    """A key result further behind the straight line from its baseline to its target than the
    trajectory's tolerance (portfolio/trajectory.py)."""
    from leadshift.portfolio.models import KeyResult
    from leadshift.portfolio.services import key_result_input
    from leadshift.portfolio.trajectory import assess

    out = []
    results = (
        KeyResult.objects.filter(objective__organisation_id=leader.organisation_id)
        .select_related("objective")
        .prefetch_related("actuals")
    )
    for kr in results:
        verdict = assess(key_result_input(kr, ctx.today))
        if not verdict.off_track:
            continue
        objective = kr.objective
        out.append(
            Signal(
                kind="key_result",
                key=f"key_result:{kr.id}",
                title=f"{kr.name} is off its trajectory",
                why=f"{verdict.reason} (objective “{objective.name}”).",
                evidence=(
                    Link(
                        f"Objective: {objective.name}",
                        reverse("portfolio_objective", args=[objective.id]),
                    ),
                ),
                subject=f"Key result: {kr.name}",
                # A new actual is new evidence: a dismissal holds until the next one.
                fingerprint=f"{verdict.as_of:%Y-%m-%d}" if verdict.as_of else "",
                initiatives=ctx.initiatives(leader).keys(objective_ids=[objective.id]),
            )
        )
    return out


PROVIDERS: list[Provider] = [
    fired_risk_triggers,
    objectives_unlikely,
    key_results_off_track,
    lifecycle_changes,
    decision_kinds_failing,
    stakeholders_turned_blocker,
]


def collect(leader: Person, ctx: Context) -> list[Signal]:
    return [s for provider in PROVIDERS for s in provider(leader, ctx)]
