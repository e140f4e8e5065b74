"""The organisation's portfolio as a portfolio-file document, and as the engine's Portfolio.

The same shape as `leadshift allocate` reads (see leadshift.allocation.problem), plus the
portfolio app's own fields (``products``, objective ``periods``, initiative ``product``,
``description``), which the allocation reader ignores. Teams are named by their team name.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db.models import Q

from leadshift.allocation.problem import Portfolio, portfolio_from_document
from leadshift.core.errors import Invalid
from leadshift.files import Document, InputError, Problem, format_path
from leadshift.people.models import Organisation, Team
from leadshift.portfolio.models import (
    METRIC_FIELDS,
    Initiative,
    KeyResult,
    Objective,
    Period,
    PortfolioSettings,
    Product,
    TeamCapacity,
)


def _num(x: float) -> float | int:
    return int(x) if float(x).is_integer() else round(float(x), 6)


def _estimate(likely: float, low: float | None, high: float | None) -> Any:
    if low is not None and high is not None:
        return {"low": _num(low), "likely": _num(likely), "high": _num(high)}
    return _num(likely)


def settings_for(org: Organisation) -> PortfolioSettings:
    found = PortfolioSettings.objects.filter(organisation=org).first()
    return found or PortfolioSettings(organisation=org)


def planning_teams(org: Organisation) -> list[Team]:
    """Teams that take part in planning: those with capacity or effort recorded."""
    return list(
        Team.objects.filter(organisation=org)
        .filter(Q(capacities__isnull=False) | Q(efforts__isnull=False))
        .distinct()
        .order_by("name")
    )


def horizon_mix_of(target: Mapping[str, float], tolerance: float, basis: str) -> dict | None:
    if not target:
        return None
    return {
        "target": {k: _num(v) for k, v in target.items()},
        "tolerance": _num(tolerance),
        "basis": basis,
    }


def build_document(org: Organisation, *, full: bool = True) -> dict[str, Any]:
    """The portfolio file for the organisation. ``full`` adds products and their snapshots."""
    periods = list(Period.objects.filter(organisation=org))
    pname = {p.id: p.name for p in periods}
    teams = planning_teams(org)
    caps: dict[str, dict[int, dict[str, float]]] = {"capacity": {}, "hires": {}, "attrition": {}}
    for c in TeamCapacity.objects.filter(team__organisation=org).select_related("period"):
        caps["capacity"].setdefault(c.team_id, {})[c.period.name] = c.person_weeks
        caps["hires"].setdefault(c.team_id, {})[c.period.name] = c.hires
        caps["attrition"].setdefault(c.team_id, {})[c.period.name] = c.attrition
    doc: dict[str, Any] = {"name": org.name, "periods": [p.name for p in periods], "teams": []}
    for t in teams:
        entry: dict[str, Any] = {"id": t.name}
        for what, by_team in caps.items():
            got = by_team.get(t.id, {})
            values = [got.get(p.name, 0.0) for p in periods]
            if what != "capacity" and not any(values):
                continue
            entry[what] = (
                _num(values[0])
                if values and all(v == values[0] for v in values)
                else {p.name: _num(got.get(p.name, 0.0)) for p in periods}
            )
        doc["teams"].append(entry)
    objectives = list(
        Objective.objects.filter(organisation=org).prefetch_related(
            "periods", "key_results__actuals"
        )
    )
    if objectives:
        doc["objectives"] = []
        for o in objectives:
            item: dict[str, Any] = {"id": o.key, "name": o.name, "weight": _num(o.weight)}
            if full:
                if o.description:
                    item["description"] = o.description
                covered = [p.name for p in o.periods.all()]
                if covered:
                    item["periods"] = covered
                krs = [key_result_item(k) for k in o.key_results.all()]
                if krs:
                    item["key_results"] = krs
            doc["objectives"].append(item)
    st = settings_for(org)
    mix = horizon_mix_of(st.horizon_target, st.horizon_tolerance, st.horizon_basis)
    if mix:
        doc["horizon_mix"] = mix
    doc["initiatives"] = [
        initiative_item(i, pname, full=full)
        for i in Initiative.objects.filter(organisation=org)
        .select_related("product")
        .prefetch_related("efforts__team", "objective_links__objective", "after")
    ]
    if full:
        products = list(
            Product.objects.filter(organisation=org)
            .select_related("team")
            .prefetch_related("snapshots")
        )
        if products:
            doc["products"] = [product_item(p) for p in products]
        from leadshift.risk.document import export_sections

        export_sections(org, doc)
    return doc


def initiative_item(i: Initiative, pname: Mapping[int, str], *, full: bool) -> dict[str, Any]:
    item: dict[str, Any] = {"id": i.key}
    if i.name:
        item["name"] = i.name
    if full and i.description:
        item["description"] = i.description
    if full and i.product is not None:
        item["product"] = i.product.key
    item["value"] = _estimate(i.value_likely, i.value_low, i.value_high)
    item["effort"] = {e.team.name: _estimate(e.likely, e.low, e.high) for e in i.efforts.all()}
    if i.duration != 1:
        item["duration"] = i.duration
    after = sorted(a.key for a in i.after.all())
    if after:
        item["after"] = after
    if i.mandatory:
        item["mandatory"] = True
    for key, pid in (
        ("earliest", i.earliest_start_id),
        ("latest", i.latest_start_id),
        ("deadline", i.deadline_id),
    ):
        if pid is not None:
            item[key] = pname[pid]
    if i.horizon:
        item["horizon"] = i.horizon
    links = list(i.objective_links.all())
    if links:
        if all(link.share is None for link in links):
            item["objectives"] = [link.objective.key for link in links]
        else:
            item["objectives"] = [
                {"id": link.objective.key, "share": _num(link.share or 0.0)} for link in links
            ]
    for key in ("reach", "impact", "confidence", "cost_of_delay", "job_size"):
        v = getattr(i, key)
        if v is not None:
            item[key] = _num(v)
    if full:
        if i.status != "proposed":
            item["status"] = i.status
        if i.status_reason:
            item["status_reason"] = i.status_reason
        if i.finished_on is not None:
            item["finished"] = i.finished_on.isoformat()
        if i.external_key:
            item["external_key"] = i.external_key
    return item


def key_result_item(k: KeyResult) -> dict[str, Any]:
    item: dict[str, Any] = {"id": k.key, "name": k.name}
    if k.unit:
        item["unit"] = k.unit
    item |= {
        "baseline": _num(k.baseline),
        "target": _num(k.target),
        "start": k.starts_on.isoformat(),
        "due": k.due_on.isoformat(),
    }
    actuals = [
        {
            "date": a.taken_on.isoformat(),
            "value": _num(a.value),
            **({"note": a.note} if a.note else {}),
        }
        for a in k.actuals.all()
    ]
    if actuals:
        item["actuals"] = actuals
    return item


def product_item(p: Product) -> dict[str, Any]:
    item: dict[str, Any] = {"id": p.key, "name": p.name}
    if p.description:
        item["description"] = p.description
    if p.team is not None:
        item["team"] = p.team.name
    if p.stage:
        item["stage"] = p.stage
    if p.override:
        item["override"] = {"recommendation": p.override, "reason": p.override_reason}
    item["snapshots"] = [
        {
            "date": s.taken_on.isoformat(),
            **({"label": s.label} if s.label else {}),
            **{f: _num(getattr(s, f)) for f in METRIC_FIELDS if getattr(s, f) is not None},
        }
        for s in p.snapshots.all()
    ]
    return item


def describe_problems(data: Mapping[str, Any], problems: list[Problem]) -> list[str]:
    """Problems of a document built from the database, naming items by id, not by index."""
    out = []
    for pr in problems:
        path = list(pr.path)
        where = ""
        if (
            len(path) >= 2
            and path[0] in ("initiatives", "teams", "objectives")
            and isinstance(path[1], int)
        ):
            items = data.get(str(path[0])) or []
            kind = str(path[0])[:-1]
            ident = items[path[1]].get("id") if path[1] < len(items) else path[1]
            where = f"{kind} {ident!r}" + (f" ({format_path(path[2:])})" if path[2:] else "")
        elif path:
            where = format_path(path)
        out.append(f"{where}: {pr.message}" if where else pr.message)
    return out


def engine_portfolio(data: dict[str, Any], name: str = "portfolio") -> Portfolio:
    """The engine's Portfolio from a document built here; Invalid naming items when it fails."""
    try:
        return portfolio_from_document(Document(data=data, filename=name))
    except InputError as exc:
        raise Invalid("; ".join(describe_problems(data, exc.problems))) from exc
