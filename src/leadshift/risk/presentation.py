"""What the risk register and simulation pages show, for the pages and the risk report."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q

from leadshift.people.models import Organisation
from leadshift.portfolio.models import Objective
from leadshift.reports.charts import (
    HeatmapItem,
    TornadoRow,
    histogram_chart,
    risk_heatmap,
    tornado_chart,
)
from leadshift.risk import services
from leadshift.risk.models import ObjectiveTarget, Risk, RiskDriver, Simulation


def is_flagged(risk: Risk, today: dt.date) -> bool:
    """Needs the leader now: its trigger fired, or its review date has passed."""
    return risk.trigger_fired or risk.review_overdue(today)


def flagged(risks: list[Risk], today: dt.date) -> list[Risk]:
    return [r for r in risks if is_flagged(r, today)]


def flagged_of(org: Organisation, today: dt.date) -> list[Risk]:
    """flagged(register(org), today), the same rule asked of the database: the dashboard shows
    a handful of a register of hundreds, so it reads only those."""
    return list(
        Risk.objects.filter(organisation=org)
        .exclude(status=Risk.Status.CLOSED)
        .filter(Q(trigger_fired_on__isnull=False) | Q(review_on__lt=today))
    )


def heatmap(risks: list[Risk], today: Any) -> str:
    return risk_heatmap(
        [
            HeatmapItem(
                r.title,
                r.likelihood_band,
                r.impact_band,
                flagged=is_flagged(r, today),
            )
            for r in risks
            if r.status != Risk.Status.CLOSED
        ]
    )


def register_context(org: Organisation, today: dt.date) -> dict[str, Any]:
    """The register: every risk (with `overdue` set), the flagged ones, the heatmap, drivers."""
    risks = services.register(org)
    for r in risks:
        r.overdue = r.review_overdue(today)
    objectives = list(Objective.objects.filter(organisation=org))
    targets = {
        t.objective_id: t.target for t in ObjectiveTarget.objects.filter(objective__in=objectives)
    }
    return {
        "risks": risks,
        "flagged": flagged(risks, today),
        "today": today,
        "chart": heatmap(risks, today),
        "drivers": RiskDriver.objects.filter(organisation=org).prefetch_related("risks"),
        "objectives": [(o, targets.get(o.id)) for o in objectives],
    }


def latest_finished(org: Organisation) -> Simulation | None:
    return (
        Simulation.objects.filter(organisation=org, status=Simulation.Status.DONE)
        .select_related("scenario", "mitigation_of")
        .first()
    )


def _period_name(periods: list[str], index: int) -> str:
    return periods[index] if 0 <= index < len(periods) else f"after {periods[-1]}"


def simulation_context(sim: Simulation) -> dict[str, Any]:
    """A finished simulation's percentiles, histograms, tornado and tables (else just `sim`)."""
    ctx: dict[str, Any] = {"sim": sim}
    res = sim.result
    if sim.status != Simulation.Status.DONE or not res:
        return ctx
    names = res.get("names", {})
    periods = res["periods"]
    value = res["value"]
    ctx["value"] = value
    ctx["value_chart"] = histogram_chart(
        value["histogram"]["edges"],
        value["histogram"]["shares"],
        markers=[
            ("P10", value["p10"]),
            ("P50", value["p50"]),
            ("P90", value["p90"]),
            ("mean", value["mean"]),
        ],
        title="Delivered value of the plan",
    )

    def finish(f: dict) -> dict:
        return {k: _period_name(periods, f[k]) for k in ("p50", "p80", "p90")}

    ctx["initiatives"] = [
        {
            "name": names.get(i["id"], i["id"]),
            "id": i["id"],
            "planned": _period_name(periods, i["planned_finish"]),
            "deadline": None if i["deadline"] is None else periods[i["deadline"]],
            "p_deadline": i["p_deadline"],
            "finish": finish(i["finish"]),
            "value": i["value"],
        }
        for i in res["initiatives"]
    ]
    ctx["objectives"] = [
        {
            "name": names.get(o["id"], o["id"]),
            "target": o["target"],
            "p_reach": o["p_reach"],
            "finish": finish(o["finish"]),
            "value": o["value"],
            "chart": histogram_chart(
                o["value"]["histogram"]["edges"],
                o["value"]["histogram"]["shares"],
                markers=[
                    ("P10", o["value"]["p10"]),
                    ("P50", o["value"]["p50"]),
                    ("P90", o["value"]["p90"]),
                ],
                target=o["target"],
                title=f"Value delivered to {names.get(o['id'], o['id'])}",
            ),
        }
        for o in res["objectives"]
    ]
    bars = [b for b in res["tornado"] if b["mean_if_fired"] is not None][:10]
    ctx["tornado"] = bars
    ctx["names"] = names
    ctx["tornado_chart"] = tornado_chart(
        [
            TornadoRow(
                names.get(b["id"], b["id"]),
                b["mean_if_fired"],
                b["mean_if_not"] if b["mean_if_not"] is not None else value["mean"],
                note=f" (fires in {b['fired_share']:.0%} of trials)",
            )
            for b in bars
        ],
        base=value["mean"],
        title="The risks that drive the spread of delivered value",
    )
    ctx["tornado_rows"] = [
        {**b, "name": names.get(b["id"], b["id"]), "explained": 100 * b["correlation"] ** 2}
        for b in bars
    ]
    ctx["mitigation"] = res.get("mitigation")
    ctx["adjusted"] = adjusted = res.get("risk_adjusted")
    if adjusted:
        ctx["adjusted_plans"] = [
            ("On point estimates", adjusted["point_plan"]),
            ("On risk-adjusted value", adjusted["risk_plan"]),
        ]
    ctx["left_out"] = res.get("left_out", [])
    return ctx
