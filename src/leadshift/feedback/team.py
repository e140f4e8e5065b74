"""The leader's view of the team: model estimates per person and capability, readiness for
each person's target role, and the organisation's common gaps."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from leadshift.assessments.readiness import Verdict
from leadshift.assessments.services import latest_complete_by_person
from leadshift.assessments.standing import gap_counts, is_gap, role_for, team_levels, team_verdict
from leadshift.core.listing import Column
from leadshift.feedback.models import Result
from leadshift.frameworks.services import framework_for
from leadshift.people.models import Person, PersonQuerySet
from leadshift.reports.charts import HeatCell, HeatRow, capability_heatmap_chart

SHORT_LABELS = {
    Verdict.READY_NOW: "ready now",
    Verdict.READY_SOON: "6–12 months",
    Verdict.NOT_YET: "not yet",
    Verdict.INCOMPLETE: "no data",
}
VERDICT_LABELS = {
    Verdict.READY_NOW: "Ready now",
    Verdict.READY_SOON: "Ready in 6–12 months",
    Verdict.NOT_YET: "Not yet",
    Verdict.INCOMPLETE: "Not enough data",
}


@dataclass(frozen=True)
class TeamRow:
    person: Person
    role_name: str
    source: str
    """'360' (the scoring model over released feedback), 'self' (self-assessment only) or ''."""
    cells: dict[str, dict[str, Any]]
    verdict: Verdict
    cycle_id: int | None


@dataclass(frozen=True)
class CommonGap:
    capability: str
    name: str
    below: int
    of: int


@dataclass(frozen=True)
class TeamOverview:
    capabilities: list[tuple[str, str]]
    rows: list[TeamRow]
    gaps: list[CommonGap]

    def by_verdict(self, rows: list[TeamRow] | None = None) -> dict[str, list[TeamRow]]:
        out: dict[str, list[TeamRow]] = {VERDICT_LABELS[v]: [] for v in Verdict}
        for r in self.rows if rows is None else rows:
            out[VERDICT_LABELS[r.verdict]].append(r)
        return out

    def chart(self, rows: list[TeamRow] | None = None) -> str:
        names = [name for _, name in self.capabilities]
        heat = [
            HeatRow(
                name=r.person.name,
                note=SHORT_LABELS[r.verdict] + ("" if r.source != "self" else " (self)"),
                cells=[
                    HeatCell(
                        value=r.cells.get(cid, {}).get("estimate"),
                        low=r.cells.get(cid, {}).get("low"),
                        high=r.cells.get(cid, {}).get("high"),
                        expected=r.cells.get(cid, {}).get("expected"),
                    )
                    for cid, _ in self.capabilities
                ],
            )
            for r in (self.rows if rows is None else rows)
        ]
        return capability_heatmap_chart(
            heat, names, title="Model estimates per person and capability"
        )


def people_below(viewer: Person) -> PersonQuerySet:
    return Person.objects.visible_to(viewer).exclude(pk=viewer.pk)


def team_overview(viewer: Person, people: list[Person] | None = None) -> TeamOverview:
    """Everyone below the viewer (not the viewer), from released feedback where there is some,
    closest to ready first; or only `people` (a page of them), in their order."""
    fw = framework_for(viewer.organisation).data
    caps = [(c.id, c.name) for c in fw.capabilities]
    paged = people is not None
    if people is None:
        people = list(people_below(viewer).select_related("team"))
    latest: dict[int, Result] = {}
    for result in (
        Result.objects.filter(cycle__subject__in=[p.id for p in people])
        .select_related("cycle")
        .order_by("released_at", "id")
    ):
        latest[result.cycle.subject_id] = result
    rows = []
    below_counts = {cid: 0 for cid, _ in caps}
    rated = {cid: 0 for cid, _ in caps}
    assessments = latest_complete_by_person(p.id for p in people)
    for p in people:
        assessment = assessments.get(p.id)
        role = fw.role(role_for(fw, p.target_role, assessment.target_role if assessment else ""))
        result = latest.get(p.id)
        own = (
            {r.capability: r.level for r in assessment.capability_ratings.all()}
            if assessment
            else {}
        )
        cells, levels = team_levels(fw, result.data["capabilities"] if result else None, own)
        source = "360" if result is not None else "self" if assessment is not None else ""
        for cid, cell in cells.items():
            cell["expected"] = role.expected[cid]
            rated[cid] += 1
            if is_gap(cell, role.expected[cid]):
                below_counts[cid] += 1
        shift_choices = assessment.answers().shift_choices if assessment else {}
        verdict = team_verdict(fw, role.id, shift_choices, levels)
        rows.append(
            TeamRow(
                person=p,
                role_name=role.name,
                source=source,
                cells=cells,
                verdict=verdict,
                cycle_id=result.cycle_id if result else None,
            )
        )
    order = {Verdict.READY_NOW: 0, Verdict.READY_SOON: 1, Verdict.NOT_YET: 2, Verdict.INCOMPLETE: 3}
    if not paged:
        rows.sort(key=lambda r: (order[r.verdict], r.person.name))
    return TeamOverview(capabilities=caps, rows=rows, gaps=_ranked(caps, below_counts, rated))


def _ranked(
    caps: list[tuple[str, str]], below: dict[str, int], rated: dict[str, int]
) -> list[CommonGap]:
    gaps = sorted(
        (CommonGap(cid, name, below[cid], rated[cid]) for cid, name in caps if rated[cid]),
        key=lambda g: (-g.below / max(g.of, 1), g.name),
    )
    return [g for g in gaps if g.below][:3]


def common_gaps(viewer: Person) -> list[CommonGap]:
    """The common gaps of everyone below the viewer, as team_overview finds them, counted
    from their kept standings (assessments/standing.py): the paged heatmap shows a page of
    people but the gaps of all of them, at any size."""
    caps = [(c.id, c.name) for c in framework_for(viewer.organisation).data.capabilities]
    rated, below = gap_counts(viewer.organisation, people_below(viewer))
    return _ranked(
        caps,
        {cid: below.get(cid, 0) for cid, _ in caps},
        {cid: rated.get(cid, 0) for cid, _ in caps},
    )


def _estimate(cid: str) -> Callable[[TeamRow], object]:
    return lambda r: r.cells.get(cid, {}).get("estimate")


def team_columns(overview: TeamOverview) -> list[Column]:
    """The heatmap as a list: a page of people at a time, searchable, filtered by team or
    verdict, sorted by any capability, and the whole of it as CSV."""
    return [
        Column("name", "Person", lambda r: r.person.name, search=True),
        Column(
            "team",
            "Team",
            lambda r: r.person.team.name if r.person.team else "",
            search=True,
            facet=True,
        ),
        Column("role", "Target role", lambda r: r.role_name, facet=True),
        Column("verdict", "Verdict", lambda r: VERDICT_LABELS[r.verdict], facet=True),
        Column("source", "Source", lambda r: r.source or "none", sortable=False),
        *(Column(cid, name, _estimate(cid)) for cid, name in overview.capabilities),
    ]


def team_json(overview: TeamOverview) -> dict[str, Any]:
    return {
        "capabilities": [{"id": cid, "name": name} for cid, name in overview.capabilities],
        "people": [
            {
                "id": r.person.id,
                "name": r.person.name,
                "target_role": r.role_name,
                "source": r.source,
                "verdict": r.verdict.value,
                "verdict_label": VERDICT_LABELS[r.verdict],
                "cells": r.cells,
            }
            for r in overview.rows
        ],
        "common_gaps": [
            {"capability": g.capability, "name": g.name, "below": g.below, "of": g.of}
            for g in overview.gaps
        ],
    }
