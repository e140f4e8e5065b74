"""A stored allocation result (result_json) turned into what the plan page shows. No Django."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from leadshift.allocation.problem import Portfolio
from leadshift.reports.charts import (
    UtilisationRow,
    heatmap_chart,
    utilisation_chart,
    value_bars_chart,
)

METHOD_NAMES = {
    "optimal": "Optimiser",
    "rice": "RICE",
    "wsjf": "WSJF",
    "value-per-effort": "Value per effort",
}
RULE_NAMES = {
    "capacity": "Capacity",
    "dependency": "Dependency",
    "window": "Start window",
    "status": "Done or dropped",
    "horizon-mix": "Horizon mix",
    "value": "No value",
    "not-placed": "Not placed",
}


# A plan of more initiatives than this is shown summarised unless the whole is asked for: its
# cells as counts, its first few left-out initiatives. Thousands of chips and rows are neither
# read nor quick to render (the large demo's plan: 2,648 chosen, 2,352 left out).
SUMMARISED_OVER = 300
LEFT_OUT_SHOWN = 50


@dataclass
class GridCell:
    items: list[tuple[str, float]] = field(default_factory=list)
    """(initiative id, person-weeks)."""
    used: float = 0.0
    capacity: float = 0.0

    @property
    def use(self) -> str:
        """The cell's used and capacity person-weeks as floatformat:"-1" writes them (that
        filter, twice per cell, was a third of a large plan's page)."""
        return f"{_one_place(self.used)} / {_one_place(self.capacity)}"


def _one_place(x: float) -> str:
    text = f"{x:.1f}"
    return text[:-2] if text.endswith(".0") else text


@dataclass
class PlanView:
    result: dict[str, Any]
    periods: list[str]
    teams: list[str]
    grid: dict[str, list[GridCell]]
    names: dict[str, str]
    utilisation_svg: str = ""
    marginal_svg: str = ""
    baselines: list[dict[str, Any]] = field(default_factory=list)
    baselines_svg: str = ""
    starts: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    """period -> initiatives starting then."""
    summarised: bool = False
    """Cells show how many initiatives, not which; only the first left-out ones are listed."""

    @property
    def infeasible(self) -> bool:
        return self.result.get("status") == "infeasible"

    @property
    def initiatives(self) -> int:
        return len(self.result.get("selected", [])) + len(self.result.get("left_out", []))

    @property
    def left_out(self) -> list[dict[str, Any]]:
        rows = self.result.get("left_out") or []
        return rows[:LEFT_OUT_SHOWN] if self.summarised else rows

    @property
    def left_out_more(self) -> int:
        return len(self.result.get("left_out") or []) - len(self.left_out)


def plan_view(
    result: Mapping[str, Any],
    document: Mapping[str, Any],
    baselines: Mapping[str, Any] | None = None,
    *,
    whole: bool = True,
) -> PlanView:
    """`whole=False`: a plan of more than SUMMARISED_OVER initiatives is summarised."""
    periods = list(document.get("periods", []))
    teams = [t["id"] for t in document.get("teams", [])]
    names = {i["id"]: i.get("name", i["id"]) for i in document.get("initiatives", [])}
    util = result.get("utilisation") or {}
    grid: dict[str, list[GridCell]] = {}
    for team in teams:
        cells = []
        for p in periods:
            u = (util.get(team) or {}).get(p) or {}
            cells.append(GridCell(used=u.get("used") or 0.0, capacity=u.get("capacity") or 0.0))
        grid[team] = cells
    starts: dict[str, list[dict[str, Any]]] = {p: [] for p in periods}
    for s in result.get("selected", []):
        starts.setdefault(s["start"], []).append(s)
        for team, by_period in s.get("effort", {}).items():
            for p, pw in by_period.items():
                if team in grid and p in periods:
                    grid[team][periods.index(p)].items.append((s["id"], pw))
    view = PlanView(dict(result), periods, teams, grid, names, starts=starts)
    view.summarised = not whole and view.initiatives > SUMMARISED_OVER
    if util and teams:
        view.utilisation_svg = utilisation_chart(
            [
                UtilisationRow(
                    team,
                    [(p, c.used, c.capacity) for p, c in zip(periods, grid[team], strict=True)],
                )
                for team in teams
            ],
            title="Each team's utilisation by period",
        )
    mv = result.get("marginal_value")
    if mv:
        view.marginal_svg = heatmap_chart(
            teams,
            periods,
            [[(mv.get(t) or {}).get(p) for p in periods] for t in teams],
            title="Marginal value of one more person-week",
            unit="value per extra person-week",
        )
    if baselines:
        own = result.get("objective") or 0.0
        rows = []
        for method, other in baselines.items():
            ov = other.get("objective") or 0.0
            rows.append(
                {
                    "method": method,
                    "name": METHOD_NAMES.get(method, method),
                    "objective": ov,
                    "gain": own - ov,
                    "gain_pct": (own - ov) / ov if ov > 0 else None,
                    "selected": len(other.get("selected", [])),
                    "status": other.get("status"),
                }
            )
        view.baselines = rows
        view.baselines_svg = value_bars_chart(
            [("Optimiser", own)] + [(r["name"], r["objective"]) for r in rows],
            title="Plan value by method, same rules",
            highlight="Optimiser",
        )
    return view


def objective_values(portfolio: Portfolio, result: Mapping[str, Any]) -> dict[str, float]:
    """Value the plan delivers to each objective: each selected initiative's value split by
    its objective shares (unweighted, as objective targets count it). Objective id -> value."""
    out = {o.id: 0.0 for o in portfolio.objectives}
    known = {i.id for i in portfolio.initiatives}
    for s in result.get("selected", []):
        if s["id"] not in known:
            continue
        item = portfolio.initiative(s["id"])
        for oid, share in item.objectives:
            out[oid] = out.get(oid, 0.0) + item.value * share
    return out


@dataclass
class SweepView:
    rows: list[Any]
    """allocation.sweep.Row, the base first."""
    chart_svg: str
    simulated: bool
    seed: int


def sweep_view(spec: Mapping[str, Any], result: list[Mapping[str, Any]]) -> SweepView:
    """A finished sweep's table (each variant beside the base) and its chart of value."""
    from leadshift.allocation.sweep import results_from_json, rows

    table = rows(results_from_json(result))
    chart = value_bars_chart(
        [(r.name, r.value) for r in table], title="Plan value per variant", highlight=table[0].name
    )
    return SweepView(table, chart, bool(spec.get("trials")), int(spec.get("seed", 0)))
