"""Writes to decision records. Each is atomic and checks that the actor may do it."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from leadshift.core.errors import Invalid, NotAllowed
from leadshift.decisions import record as rec
from leadshift.decisions.calibration import ForecastRecord, calibration_by_kind
from leadshift.decisions.models import Criterion, Decision, DecisionLink, DecisionOption, Score
from leadshift.people.models import Person
from leadshift.undo.models import Deletion
from leadshift.undo.services import do_delete_with_undo


@dataclass
class OptionIn:
    name: str
    description: str = ""
    scores: list[float | None] = field(default_factory=list)


@dataclass
class DecisionIn:
    """Everything a decision form, API call or file says about a decision."""

    question: str
    kind: str = "product_bet"
    context: str = ""
    criteria: list[tuple[str, float]] = field(default_factory=list)
    options: list[OptionIn] = field(default_factory=list)
    chosen: int | None = None
    rationale: str = ""
    reversible: bool = True
    decided_on: dt.date | None = None
    decided_by: list[int] = field(default_factory=list)
    consulted: list[int] = field(default_factory=list)
    informed: list[int] = field(default_factory=list)
    risks_accepted: str = ""
    premortem: str = ""
    forecast: float | None = None
    forecast_by: dt.date | None = None
    review_on: dt.date | None = None
    links: list[tuple[str, str]] = field(default_factory=list)
    starter: str = ""


def _today() -> dt.date:
    return timezone.localdate()


def check_can_edit(decision: Decision, actor: Person) -> None:
    """The owner and the managers above them may change a decision record."""
    if not actor.can_view(decision.owner):
        raise NotAllowed("you may not change this decision")


def _people(actor: Person, ids: list[int], fld: str) -> list[Person]:
    people = list(Person.objects.filter(organisation_id=actor.organisation_id, id__in=ids))
    if len(people) != len(set(ids)):
        raise Invalid("choose people of your own organisation", field=fld)
    return people


def check_decision(data: DecisionIn) -> None:
    """Every rule a decision must keep; the first one broken raises Invalid naming its field."""
    if not data.question.strip():
        raise Invalid("say what the decision is, as a question", field="question")
    if data.kind not in Decision.Kind.values:
        raise Invalid(f"kind must be one of {', '.join(Decision.Kind.values)}", field="kind")
    if data.forecast is not None:
        if math.isnan(data.forecast) or not 0.0 <= data.forecast <= 1.0:
            raise Invalid(
                f"the forecast is a probability between 0 and 1 (0 % to 100 %), "
                f"got {data.forecast:g}",
                field="forecast",
            )
        if data.review_on is None:
            raise Invalid(
                "a forecast needs a review date, when you will check whether it came true",
                field="review_on",
            )
    if data.review_on and data.decided_on and data.review_on < data.decided_on:
        raise Invalid("the review date comes after the decision date", field="review_on")
    if data.forecast_by and data.decided_on and data.forecast_by < data.decided_on:
        raise Invalid("“succeeds by” comes after the decision date", field="forecast_by")
    names = [n.strip() for n, _ in data.criteria]
    for i, (name, weight) in enumerate(data.criteria):
        if not name.strip():
            raise Invalid(f"criterion {i + 1} needs a name", field=f"criteria.{i}.name")
        if math.isnan(weight) or weight < 0:
            raise Invalid(
                f"the weight of “{name}” cannot be negative", field=f"criteria.{i}.weight"
            )
        if names.count(name.strip()) > 1:
            raise Invalid(f"“{name}” is listed twice", field=f"criteria.{i}.name")
    for i, o in enumerate(data.options):
        if not o.name.strip():
            raise Invalid(f"option {i + 1} needs a name", field=f"options.{i}.name")
        if len(o.scores) > len(data.criteria):
            raise Invalid(
                f"“{o.name}” has more scores than there are criteria", field=f"options.{i}.scores"
            )
        for k, s in enumerate(o.scores):
            if s is not None and (math.isnan(s) or not rec.SCORE_MIN <= s <= rec.SCORE_MAX):
                raise Invalid(
                    f"“{o.name}” on “{data.criteria[k][0]}”: a score runs from 0 to 10",
                    field=f"options.{i}.scores.{k}",
                )
    if data.chosen is not None and not 0 <= data.chosen < len(data.options):
        raise Invalid("the choice must be one of the options", field="chosen")
    for i, (target, label) in enumerate(data.links):
        if target not in DecisionLink.Target.values:
            raise Invalid(
                f"a link is to a {', '.join(DecisionLink.Target.values)}", field=f"links.{i}"
            )
        if not label.strip():
            raise Invalid("a link needs a name", field=f"links.{i}")


def _write(decision: Decision, data: DecisionIn, actor: Person) -> None:
    decided_by = _people(actor, data.decided_by, "decided_by")
    consulted = _people(actor, data.consulted, "consulted")
    informed = _people(actor, data.informed, "informed")
    decision.criteria.all().delete()
    decision.options.all().delete()
    decision.links.all().delete()
    crits = [
        Criterion.objects.create(decision=decision, name=n.strip(), weight=w, position=k)
        for k, (n, w) in enumerate(data.criteria)
    ]
    for i, o in enumerate(data.options):
        opt = DecisionOption.objects.create(
            decision=decision,
            name=o.name.strip(),
            description=o.description.strip(),
            chosen=data.chosen == i,
            position=i,
        )
        Score.objects.bulk_create(
            Score(option=opt, criterion=crits[k], value=s)
            for k, s in enumerate(o.scores)
            if s is not None
        )
    decision.decided_by.set(decided_by)
    decision.consulted.set(consulted)
    decision.informed.set(informed)
    for i, (target, label) in enumerate(data.links):
        DecisionLink.objects.create(
            decision=decision,
            target=target,
            label=label.strip(),
            **{target: _linked(actor, target, label.strip(), i)},
        )


def linkable(actor: Person) -> dict[str, Any]:
    """What a decision of this person may link to, per target: what they may see.

    Leaders and admins see the whole portfolio and risk register; anyone else sees only the
    plan of record (its scenario, its initiatives and their products) and no risk.
    """
    from leadshift.planning.models import Scenario
    from leadshift.portfolio.access import is_leader
    from leadshift.portfolio.models import Initiative, Product
    from leadshift.risk.models import Risk

    org = actor.organisation_id
    if is_leader(actor):
        return {
            "product": Product.objects.filter(organisation_id=org),
            "initiative": Initiative.objects.filter(organisation_id=org),
            "risk": Risk.objects.filter(organisation_id=org),
            "scenario": Scenario.objects.filter(organisation_id=org),
        }
    plan = Scenario.objects.filter(organisation_id=org, is_plan_of_record=True).select_related(
        "adopted_run"
    )
    run = plan[0].adopted_run if plan else None
    items = (run.document.get("portfolio", {}).get("initiatives", []) if run else []) or []
    keys = [str(i.get("id")) for i in items if isinstance(i, dict)]
    initiatives = Initiative.objects.filter(organisation_id=org, key__in=keys)
    return {
        "product": Product.objects.filter(
            organisation_id=org, id__in=initiatives.values("product_id")
        ),
        "initiative": initiatives,
        "risk": Risk.objects.none(),
        "scenario": plan,
    }


def link_choices(actor: Person) -> list[str]:
    """The names the decision form offers to link to: only what the person may see."""
    found = linkable(actor)
    names = [x.name for t in ("product", "initiative", "scenario") for x in found[t]]
    return names + [r.title for r in found["risk"]]


def _linked(actor: Person, target: str, label: str, i: int) -> object:
    """The product, initiative, risk or scenario a link names (by key, name or title), among
    what the actor may see: an unknown name and a hidden one get the same message."""
    from django.db.models import Q

    fields = {
        "product": ("key", "name"),
        "initiative": ("key", "name"),
        "risk": ("title",),
        "scenario": ("name",),
    }[target]
    match = Q()
    for f in fields:
        match |= Q(**{f"{f}__iexact": label})
    found = linkable(actor)[target].filter(match).first()
    if found is None:
        raise Invalid(f"unknown {target} “{label}”", field=f"links.{i}")
    return found


def _apply(decision: Decision, data: DecisionIn) -> None:
    decision.question = data.question.strip()
    decision.kind = data.kind
    decision.context = data.context.strip()
    decision.rationale = data.rationale.strip()
    decision.reversible = data.reversible
    decision.decided_on = data.decided_on or _today()
    decision.risks_accepted = data.risks_accepted.strip()
    decision.premortem = data.premortem.strip()
    decision.forecast = data.forecast
    decision.forecast_by = data.forecast_by
    decision.review_on = data.review_on
    if data.starter:
        decision.starter = data.starter


@transaction.atomic
def do_create_decision(actor: Person, data: DecisionIn, *, owner: Person | None = None) -> Decision:
    owner = owner or actor
    if not actor.can_view(owner):
        raise NotAllowed("you may not keep decisions for this person")
    check_decision(data)
    d = Decision(organisation_id=owner.organisation_id, owner=owner)
    _apply(d, data)
    d.save()
    _write(d, data, actor)
    return d


@transaction.atomic
def do_update_decision(decision: Decision, actor: Person, data: DecisionIn) -> Decision:
    check_can_edit(decision, actor)
    check_decision(data)
    _apply(decision, data)
    decision.save()
    _write(decision, data, actor)
    return decision


@transaction.atomic
def do_record_outcome(
    decision: Decision, actor: Person, *, outcome: str, lesson: str, on: dt.date | None = None
) -> Decision:
    check_can_edit(decision, actor)
    if outcome not in Decision.Outcome.values:
        raise Invalid("say whether it succeeded, partly succeeded or failed", field="outcome")
    on = on or _today()
    if on < decision.decided_on:
        raise Invalid("a review comes after the decision", field="reviewed_on")
    decision.outcome = outcome
    decision.lesson = lesson.strip()
    decision.reviewed_on = on
    decision.save(update_fields=["outcome", "lesson", "reviewed_on", "updated_at"])
    return decision


@transaction.atomic
def do_delete_decision(decision: Decision, actor: Person) -> Deletion | None:
    check_can_edit(decision, actor)
    return do_delete_with_undo(
        decision,
        actor,
        f"the decision “{decision.question}”",
        reverse("decision_detail", args=[decision.pk]),
    )


def input_from(decision: Decision) -> DecisionIn:
    """A decision's content as input, to prefill a form or to change one field."""
    r = decision.record()
    return DecisionIn(
        question=r.question,
        kind=r.kind,
        context=r.context,
        criteria=[(c.name, c.weight) for c in r.criteria],
        options=[OptionIn(o.name, o.description, list(o.scores)) for o in r.options],
        chosen=r.chosen,
        rationale=r.rationale,
        reversible=r.reversible,
        decided_on=r.decided_on,
        decided_by=[p.id for p in decision.decided_by.all()],
        consulted=[p.id for p in decision.consulted.all()],
        informed=[p.id for p in decision.informed.all()],
        risks_accepted=r.risks_accepted,
        premortem=r.premortem,
        forecast=r.forecast,
        forecast_by=r.forecast_by,
        review_on=r.review_on,
        links=[(link.target, link.label) for link in decision.links.all()],
        starter=decision.starter,
    )


def input_from_starter(slug: str) -> DecisionIn:
    starter = rec.STARTER_BY_SLUG.get(slug)
    if starter is None:
        raise Invalid(f"no decision template called {slug!r}", field="template")
    premortem = "\n\n".join(f"{q}\n" for q in starter.premortem)
    return DecisionIn(
        question="",
        context="",
        criteria=[(c.name, c.weight) for c in starter.criteria],
        options=[OptionIn(name) for name in starter.options],
        reversible=True if starter.reversible is None else starter.reversible,
        premortem=premortem.strip(),
        starter=slug,
    )


def reviews_due(owner: Person, today: dt.date | None = None) -> list[Decision]:
    today = today or _today()
    return list(
        Decision.objects.filter(owner=owner, outcome="", review_on__lte=today).order_by(
            "review_on", "id"
        )
    )


def forecast_records(owner: Person) -> tuple[list[ForecastRecord], int]:
    """Reviewed decisions with a forecast, as calibration records; and how many reviewed
    ones were left out because they partly succeeded (neither a hit nor a miss)."""
    out = []
    partly = 0
    for d in Decision.objects.filter(owner=owner, forecast__isnull=False).exclude(outcome=""):
        if d.outcome == Decision.Outcome.PARTLY:
            partly += 1
            continue
        out.append(
            ForecastRecord(
                kind=d.kind,
                forecast=d.forecast or 0.0,
                succeeded=d.outcome == Decision.Outcome.SUCCEEDED,
            )
        )
    return out, partly


def calibration(owner: Person, bins: int = 5) -> dict:
    records, partly = forecast_records(owner)
    groups = calibration_by_kind(records, bins=bins)
    names = dict(Decision.Kind.choices)
    return {
        "count": len(records),
        "partly_left_out": partly,
        "groups": [
            {
                "kind": g.kind,
                "name": "All decisions" if g.kind == "all" else names.get(g.kind, g.kind),
                "count": g.count,
                "brier": g.brier,
                "reliability": g.decomposition.reliability,
                "resolution": g.decomposition.resolution,
                "uncertainty": g.decomposition.uncertainty,
                "bins": [
                    {
                        "low": b.low,
                        "high": b.high,
                        "count": b.count,
                        "mean_forecast": b.mean_forecast,
                        "observed": b.observed,
                        "interval": list(b.interval),
                    }
                    for b in g.bins
                ],
            }
            for g in groups
        ],
    }


def decision_json(d: Decision, today: dt.date | None = None) -> dict:
    today = today or _today()
    r = d.record()
    return {
        "id": d.id,
        "version": d.version,
        "owner": {"id": d.owner_id, "name": d.owner.name},
        "question": r.question,
        "kind": r.kind,
        "starter": d.starter,
        "context": r.context,
        "criteria": [{"name": c.name, "weight": c.weight} for c in r.criteria],
        "options": [
            {
                "name": o.name,
                "description": o.description,
                "scores": list(o.scores),
                "weighted_total": rec.weighted_total(r.criteria, o.scores),
                "chosen": i == r.chosen,
            }
            for i, o in enumerate(r.options)
        ],
        "rationale": r.rationale,
        "reversible": r.reversible,
        "decided_on": d.decided_on.isoformat(),
        "decided_by": [{"id": p.id, "name": p.name} for p in d.decided_by.all()],
        "consulted": [{"id": p.id, "name": p.name} for p in d.consulted.all()],
        "informed": [{"id": p.id, "name": p.name} for p in d.informed.all()],
        "risks_accepted": r.risks_accepted,
        "premortem": r.premortem,
        "forecast": r.forecast,
        "forecast_by": r.forecast_by.isoformat() if r.forecast_by else None,
        "review_on": r.review_on.isoformat() if r.review_on else None,
        "review_due": d.review_due(today),
        "outcome": r.outcome or None,
        "lesson": r.lesson,
        "reviewed_on": r.reviewed_on.isoformat() if r.reviewed_on else None,
        "links": [{"target": link.target, "label": link.label} for link in d.links.all()],
    }
