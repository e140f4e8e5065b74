"""The organisation's reports: the portfolio and allocation report, and the risk report.

Each is built from the functions its pages use, under the pages' access rules: the plan of
record for anyone in the organisation (as the Plan page), products for leaders and admins
(as the Products page), the risk register and simulation for leaders and admins only.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from leadshift.core.errors import NotFound
from leadshift.people.models import Person
from leadshift.planning import services as planning
from leadshift.planning.views import plan_context
from leadshift.portfolio import services as portfolio
from leadshift.portfolio.access import is_leader
from leadshift.portfolio.views import product_map
from leadshift.radar.services import radar_for, radar_json
from leadshift.reports.base import Report
from leadshift.risk import access as risk_access
from leadshift.risk import services as risk
from leadshift.risk.presentation import latest_finished, register_context, simulation_context


def _org(viewer: Person) -> dict[str, Any]:
    return {"id": viewer.organisation_id, "name": viewer.organisation.name}


def portfolio_report(viewer: Person, subject: Person, as_of: dt.date) -> Report:
    org = viewer.organisation
    leader = is_leader(viewer)
    scenario = planning.plan_of_record(org, viewer)
    if scenario is None and not leader:
        raise NotFound("there is no plan of record yet")
    run = scenario.adopted_run if scenario else None
    context: dict[str, Any] = {"scenario": scenario, "leader": leader, **plan_context(run)}
    data: dict[str, Any] = {
        "kind": "portfolio",
        "organisation": _org(viewer),
        "as_of": as_of.isoformat(),
        "plan_of_record": None
        if scenario is None or run is None
        else {
            "scenario": {"id": scenario.id, "name": scenario.name},
            "adopted_by": scenario.adopted_by.name if scenario.adopted_by else None,
            "adopted_at": scenario.adopted_at.isoformat() if scenario.adopted_at else None,
            "notes": run.document.get("notes", []),
            "plan": run.result,
            "baselines": run.baselines,
        },
    }
    if leader:
        views = portfolio.product_views(org)
        context["products"] = views
        context["product_chart"] = product_map(views, portfolio.thresholds_of(org))
        data["products"] = [portfolio.product_json(v) for v in views]
        radar = radar_for(viewer, viewer, as_of)
        context["radar"] = radar.active
        data["radar"] = radar_json(radar)["signals"]
        health = portfolio.health_of(org, viewer, as_of)
        context["health"] = health
        data["health"] = portfolio.health_json(health)
    return Report(
        kind="portfolio",
        title=f"Portfolio and allocation — {org.name}",
        subject=subject,
        template="reports/portfolio.html",
        context=context,
        data=data,
    )


def risk_report(viewer: Person, subject: Person, as_of: dt.date) -> Report:
    if not risk_access.is_leader(viewer):
        raise NotFound("the risk register is for the organisation's leaders and admins")
    org = viewer.organisation
    context = register_context(org, as_of)
    sim = latest_finished(org)
    context["simulation"] = simulation_context(sim) if sim else None
    return Report(
        kind="risk",
        title=f"Risk report — {org.name}",
        subject=subject,
        template="reports/risk.html",
        context=context,
        data={
            "kind": "risk",
            "organisation": _org(viewer),
            "as_of": as_of.isoformat(),
            "risks": [risk.risk_json(r, as_of) for r in context["risks"]],
            "flagged": [r.id for r in context["flagged"]],
            "simulation": risk.simulation_json(sim) if sim else None,
        },
    )
