"""The risk register, objective targets and plan of record in the portfolio file, both ways.

Export: ``drivers`` and ``risks`` (closed risks stay out), each objective's ``target``, and a
``start`` on every initiative of the plan of record. A register risk is tied to one
initiative, one product, one objective or the whole portfolio; in the file it names the
initiatives it hits. Import reads that back: a risk naming one initiative is tied to it, the
initiatives of one product to the product, those serving one objective to the objective,
all of them to the whole portfolio. Risks and drivers are matched by name (``name``, or the
id when there is none) and updated; nothing is deleted.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from leadshift.files import Document, Problem
from leadshift.people.models import Organisation, Team
from leadshift.portfolio.models import Initiative, Objective, Product
from leadshift.risk.models import ObjectiveTarget, Risk, RiskDriver, RiskEffort


def _slug(text: str, taken: set[str]) -> str:
    base = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:50] or "item"
    out, n = base, 2
    while out in taken:
        out, n = f"{base}-{n}", n + 1
    taken.add(out)
    return out


def _num(x: float) -> float | int:
    return int(x) if float(x).is_integer() else round(float(x), 6)


def plan_of_record_starts(org: Organisation) -> dict[str, str]:
    """Initiative key -> start period name in the adopted plan of record (empty without)."""
    from leadshift.planning.models import Scenario

    scenario = Scenario.objects.filter(organisation=org, is_plan_of_record=True).first()
    run = scenario.adopted_run if scenario is not None else None
    if run is None or not run.result:
        return {}
    return {s["id"]: s["start"] for s in run.result.get("selected", []) if s.get("start")}


def export_sections(org: Organisation, doc: dict[str, Any]) -> None:
    """Add the plan, the targets, the drivers and the risks to an exported document."""
    starts = plan_of_record_starts(org)
    periods = set(doc.get("periods", []))
    for entry in doc.get("initiatives", []):
        if starts.get(entry["id"]) in periods:
            entry["start"] = starts[entry["id"]]
    targets = {
        t.objective.key: t.target
        for t in ObjectiveTarget.objects.filter(objective__organisation=org).select_related(
            "objective"
        )
    }
    for o in doc.get("objectives", []):
        if o["id"] in targets:
            o["target"] = _num(targets[o["id"]])
    inits = list(Initiative.objects.filter(organisation=org).prefetch_related("objective_links"))
    value = {i.key: i.value_likely for i in inits}
    by_product: dict[int, list[str]] = {}
    by_objective: dict[int, list[str]] = {}
    for i in inits:
        if i.product_id:
            by_product.setdefault(i.product_id, []).append(i.key)
        for link in i.objective_links.all():
            by_objective.setdefault(link.objective_id, []).append(i.key)
    taken: set[str] = set()
    driver_ids: dict[int, str] = {}
    drivers = []
    for d in RiskDriver.objects.filter(organisation=org):
        driver_ids[d.id] = _slug(d.name, taken)
        item: dict[str, Any] = {
            "id": driver_ids[d.id],
            "name": d.name,
            "probability": _num(d.probability),
        }
        if d.description:
            item["description"] = d.description
        drivers.append(item)
    risks = []
    for r in (
        Risk.objects.filter(organisation=org)
        .exclude(status=Risk.Status.CLOSED)
        .select_related("initiative")
        .prefetch_related("efforts__team")
    ):
        if r.initiative_id:
            hits = [r.initiative.key] if r.initiative is not None else []
        elif r.product_id:
            hits = by_product.get(r.product_id, [])
        elif r.objective_id:
            hits = by_objective.get(r.objective_id, [])
        else:
            hits = [i.key for i in inits]
        if not hits:
            continue  # it hits nothing a file can name
        share = r.value_loss_share
        if r.value_loss_amount:
            total = sum(value[h] for h in hits) or 1.0
            share = min(1.0, share + r.value_loss_amount / total)
        impact: dict[str, Any] = {}
        if r.delay_periods:
            impact["delay"] = _num(r.delay_periods)
        if share:
            impact["value_loss"] = _num(share)
        extra = {e.team.name: _num(e.share) for e in r.efforts.all()}
        if extra:
            impact["extra_effort"] = extra
        risk: dict[str, Any] = {
            "id": _slug(r.title, taken),
            "name": r.title,
            "probability": _num(r.probability),
        }
        if r.driver_id in driver_ids:
            risk["driver"] = driver_ids[r.driver_id]
        risk["initiatives"] = hits
        if impact:
            risk["impact"] = impact
        if r.mitigated_probability is not None or r.mitigated_impact != 1.0 or r.mitigation:
            mitigation: dict[str, Any] = {}
            if r.mitigation:
                mitigation["description"] = r.mitigation
            if r.mitigation_cost:
                mitigation["cost"] = _num(r.mitigation_cost)
            if r.mitigated_probability is not None:
                mitigation["probability"] = _num(r.mitigated_probability)
            if r.mitigated_impact != 1.0:
                mitigation["impact_factor"] = _num(r.mitigated_impact)
            risk["mitigation"] = mitigation
        risks.append(risk)
    if drivers:
        doc["drivers"] = drivers
    if risks:
        doc["risks"] = risks


Scope = tuple[str, str | None]
"""("initiative" | "product" | "objective" | "portfolio", key)."""


def risk_scopes(doc: Document, data: Mapping[str, Any]) -> tuple[list[Scope], list[Problem]]:
    """Where each file risk goes in the register, or a placed problem when it cannot."""
    items = [i for i in data.get("initiatives", []) or [] if isinstance(i, Mapping)]
    every = {str(i.get("id")) for i in items}
    by_product: dict[str, set[str]] = {}
    by_objective: dict[str, set[str]] = {}
    for i in items:
        if i.get("product") is not None:
            by_product.setdefault(str(i["product"]), set()).add(str(i["id"]))
        for link in i.get("objectives", []) or []:
            oid = link.get("id") if isinstance(link, Mapping) else link
            by_objective.setdefault(str(oid), set()).add(str(i["id"]))
    scopes: list[Scope] = []
    problems: list[Problem] = []
    raw = data.get("risks") or []
    for k, r in enumerate(raw if isinstance(raw, list) else []):
        hits = {str(x) for x in (r.get("initiatives") or [])} if isinstance(r, Mapping) else set()
        if len(hits) == 1:
            scopes.append(("initiative", next(iter(hits))))
        elif hits == every:
            scopes.append(("portfolio", None))
        elif found := next((p for p, m in by_product.items() if m == hits), None):
            scopes.append(("product", found))
        elif found := next((o for o, m in by_objective.items() if m == hits), None):
            scopes.append(("objective", found))
        else:
            problems.append(
                doc.problem(
                    "the risk register ties a risk to one initiative, the initiatives of one "
                    "product or objective, or all of them; split this risk",
                    ("risks", k, "initiatives"),
                )
            )
    return scopes, problems


def write_sections(org: Organisation, data: Mapping[str, Any], scopes: list[Scope]) -> int:
    """Store the targets, drivers and risks of a checked file; returns the risks written."""
    objectives = {o.key: o for o in Objective.objects.filter(organisation=org)}
    for o in data.get("objectives", []) or []:
        if o.get("target") is not None and str(o["id"]) in objectives:
            ObjectiveTarget.objects.update_or_create(
                objective=objectives[str(o["id"])], defaults={"target": float(o["target"])}
            )
    drivers: dict[str, RiskDriver] = {}
    for d in data.get("drivers", []) or []:
        drivers[str(d["id"])], _ = RiskDriver.objects.update_or_create(
            organisation=org,
            name=str(d.get("name") or d["id"]),
            defaults={
                "probability": float(d["probability"]),
                "description": str(d.get("description", "")),
            },
        )
    inits = {i.key: i for i in Initiative.objects.filter(organisation=org)}
    products = {p.key: p for p in Product.objects.filter(organisation=org)}
    teams = {t.name: t for t in Team.objects.filter(organisation=org)}
    written = 0
    for r, (kind, key) in zip(data.get("risks", []) or [], scopes, strict=True):
        impact = r.get("impact") or {}
        m = r.get("mitigation")
        fields: dict[str, Any] = {
            "initiative": inits.get(key or "") if kind == "initiative" else None,
            "product": products.get(key or "") if kind == "product" else None,
            "objective": objectives.get(key or "") if kind == "objective" else None,
            "probability": float(r["probability"]),
            "driver": drivers.get(str(r["driver"])) if r.get("driver") is not None else None,
            "delay_periods": float(impact.get("delay", 0)),
            "value_loss_share": float(impact.get("value_loss", 0)),
            "value_loss_amount": 0.0,
            "description": str(r.get("description", "")),
        }
        if m is not None:
            fields.update(
                mitigation=str(m.get("description", "")),
                mitigation_cost=m.get("cost"),
                mitigated_probability=m.get("probability"),
                mitigated_impact=float(m.get("impact_factor", 1.0)),
            )
        risk = Risk.objects.filter(organisation=org, title=str(r.get("name") or r["id"])).first()
        if risk is None:
            risk = Risk(organisation=org, title=str(r.get("name") or r["id"]))
        for k, v in fields.items():
            setattr(risk, k, v)
        risk.save()
        risk.efforts.all().delete()
        for team, share in (impact.get("extra_effort") or {}).items():
            if str(team) in teams:
                RiskEffort.objects.create(risk=risk, team=teams[str(team)], share=float(share))
        written += 1
    return written
