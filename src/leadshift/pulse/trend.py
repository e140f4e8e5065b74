"""What a page, a report or the command shows of pulses: the stored results with item names,
and the trend over pulses as a chart and a table. Reads only released, stored results."""

from __future__ import annotations

from typing import Any

from leadshift.people.models import Person
from leadshift.pulse import services
from leadshift.pulse.items import ITEMS
from leadshift.reports.charts import LineSeries, line_chart

NAMES = {i.id: i.name for i in ITEMS}
STATEMENTS = {i.id: i.statement for i in ITEMS}
OVERALL_COLOR = "#1f2933"
# Short names keep the chart's legend on one line.
SHORT = {
    "safety": "Safety",
    "experiment": "Experiment",
    "strategy": "Strategy",
    "vision": "Vision",
    "trust": "Trust",
    "workload": "Workload",
}
ITEM_COLORS = {
    "safety": "#2f6fde",
    "experiment": "#8e44ad",
    "strategy": "#e4572e",
    "vision": "#17a589",
    "trust": "#c48a00",
    "workload": "#6b7280",
}


def _named(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        {**i, "name": NAMES.get(i["id"], i["id"]), "statement": STATEMENTS.get(i["id"], "")}
        for i in items
    ]


def results_context(data: dict[str, Any]) -> dict[str, Any]:
    """The results page's context from a shown pulse's stored data."""
    teams = [{**t, "items": _named(t["items"])} for t in data.get("teams", [])]
    item_ids = [i["id"] for i in data["items"]]
    return {
        "data": data,
        "items": _named(data["items"]),
        "teams": teams,
        "team_item_names": [NAMES.get(i, i) for i in item_ids],
        "team_rows": [
            {"team": t["team"], "n": t["n"], "means": [i["mean"] for i in t["items"]]}
            for t in teams
        ],
        "comments": data.get("comments", []),
    }


def trend_chart(rows: list[dict[str, Any]]) -> str:
    labels = [r["opened_on"] for r in rows]
    series = [
        LineSeries(
            name="All items",
            values=[r["overall"] for r in rows],
            color=OVERALL_COLOR,
        )
    ] + [
        LineSeries(
            name=SHORT[i.id], values=[r["items"].get(i.id) for r in rows], color=ITEM_COLORS[i.id]
        )
        for i in ITEMS
    ]
    return line_chart(
        labels,
        series,
        title="Culture pulse over time",
        y_min=1.0,
        y_max=5.0,
        y_label="mean agreement, 1 (strongly disagree) to 5 (strongly agree)",
    )


def trend_context(leader: Person) -> dict[str, Any] | None:
    """The leader's pulse trend for a page or report, or None before any pulse is released."""
    rows = services.trend(leader)
    if not rows:
        return None
    shown = [r for r in rows if r["shown"]]
    change = None
    if len(shown) >= 2 and shown[0]["overall"] is not None and shown[-1]["overall"] is not None:
        change = round(shown[-1]["overall"] - shown[0]["overall"], 2)
    return {
        "leader": leader,
        "rows": rows,
        "names": [i.name for i in ITEMS],
        "table": [{**r, "means": [r["items"].get(i.id) for i in ITEMS]} for r in rows],
        "chart": trend_chart(rows) if shown else "",
        "change": change,
        "latest": shown[-1] if shown else None,
    }


def trend_json(leader: Person) -> list[dict[str, Any]]:
    return services.trend(leader)
