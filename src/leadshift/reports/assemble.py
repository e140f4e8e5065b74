"""Reports a person can hand on: the data, the charts and the template for each kind.

The same context renders the web page and the PDF; `data` is the JSON form. Every report is
built for a viewer, and refuses (NotFound) a subject the viewer may not see.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from leadshift.assessments import charts as profile_charts
from leadshift.assessments.readiness import profile_json
from leadshift.assessments.services import latest_two_complete
from leadshift.behaviours.checklist import RULE
from leadshift.behaviours.profile import behaviour_profile
from leadshift.core.errors import NotFound
from leadshift.growth.models import plan_json
from leadshift.people.models import Person
from leadshift.pulse.trend import trend_context as pulse_trend_context
from leadshift.pulse.trend import trend_json as pulse_trend_json
from leadshift.reports.base import Report, visible
from leadshift.reports.base import person_json as _person
from leadshift.reports.charts import HBar, hbar_chart, progress_chart
from leadshift.reports.decision_log import decisions_report
from leadshift.reports.feedback360 import feedback_360_section
from leadshift.reports.org import portfolio_report, risk_report
from leadshift.stakeholders import services as stakeholder_services
from leadshift.stakeholders.brief import assemble_brief, default_title, paragraphs
from leadshift.stakeholders.charts import health_chart, map_chart
from leadshift.stakeholders.models import Brief
from leadshift.timeuse import services as timeuse_services
from leadshift.timeuse.charts import trend_chart, weekly_chart
from leadshift.timeuse.evidence import evidence_rows

VERDICT_COLORS = {"ready_now": "#1e8e5a", "ready_soon": "#b7791f", "not_yet": "#c0392b"}


def _timeuse(subject: Person) -> tuple[dict[str, Any], dict[str, Any] | None]:
    summary = timeuse_services.summary_for(subject)
    if not summary.has_data:
        return {}, None
    weeks = summary.weeks[-26:]
    context = {
        "weekly": weekly_chart([(w.week, w.hours) for w in weeks]),
        "trend": trend_chart(summary.months),
        "rows": evidence_rows(summary, None),
        "weeks": len(weeks),
    }
    data = timeuse_services.summary_data(subject)
    data.pop("weeks", None)
    return context, data


def readiness_report(viewer: Person, subject: Person, as_of: dt.date) -> Report:
    latest, _ = latest_two_complete(subject)
    profile = latest.profile() if latest else None
    plan = subject.plans.first()
    timeuse, timeuse_data = _timeuse(subject)
    feedback = feedback_360_section(subject, viewer)
    context: dict[str, Any] = {
        "profile": profile,
        "assessment": latest,
        "timeuse": timeuse,
        "feedback_360": feedback,
        "pulse_trend": pulse_trend_context(subject),
    }
    behaviours = behaviour_profile(latest, as_of) if latest else []
    context["behaviours"] = behaviours
    context["behaviour_rule"] = RULE
    if profile is not None:
        context["spectrum"] = profile_charts.spectrum_for(profile)
        context["radar"] = profile_charts.radar_for(profile, max_level=5)
        if timeuse:
            context["timeuse"]["rows"] = evidence_rows(
                timeuse_services.summary_for(subject), profile
            )
    if plan is not None:
        progress = plan.progress(as_of)
        context["plan"] = plan
        context["progress"] = progress
        context["goals"] = plan.goals.prefetch_related("actions")
        context["plan_chart"] = progress_chart(
            starts_on=plan.starts_on,
            ends_on=plan.ends_on,
            total=progress.total,
            steps=progress.steps,
            checkins=[(c.date, c.confidence) for c in plan.checkins.all()],
            today=as_of,
        )
    return Report(
        kind="readiness",
        title=f"Readiness report — {subject.name}",
        subject=subject,
        template="reports/readiness.html",
        context=context,
        data={
            "kind": "readiness",
            "person": _person(subject),
            "as_of": as_of.isoformat(),
            "profile": profile_json(profile) if profile else None,
            "assessment": latest.id if latest else None,
            "timeuse": timeuse_data,
            "plan": plan_json(plan, as_of) if plan else None,
            "feedback_360": feedback["json"] if feedback else None,
            "pulse_trend": pulse_trend_json(subject),
            "behaviours": [
                {
                    "capability": c.id,
                    "level": c.result.level,
                    "behaviours": [
                        {"key": r.key, "status": r.status, "records": [x.url for x in r.records]}
                        for r in c.rows
                        if r.ticked or r.records
                    ],
                }
                for c in behaviours
            ],
        },
    )


def team_report(viewer: Person, subject: Person, as_of: dt.date) -> Report:
    people = (
        Person.objects.visible_to(subject)
        .exclude(pk=subject.pk)
        .select_related("team", "manager")
        .order_by("name")
    )
    rows = []
    for p in people:
        latest, _ = latest_two_complete(p)
        profile = latest.profile() if latest else None
        plan = p.plans.first()
        progress = plan.progress(as_of) if plan else None
        summary = timeuse_services.summary_for(p)
        rows.append(
            {
                "person": p,
                "profile": profile,
                "readiness": round(profile.readiness) if profile else None,
                "verdict": profile.verdict.value if profile else None,
                "verdict_text": profile.verdict_text if profile else "not assessed",
                "role": profile.role_name if profile else "",
                "plan_done": progress.done if progress else None,
                "plan_total": progress.total if progress else None,
                "plan_status": progress.status if progress else None,
                "has_timeuse": summary.has_data,
                "direction": summary.trend["stakeholders"].direction if summary.has_data else None,
            }
        )
    chart = hbar_chart(
        [
            HBar(
                label=r["person"].name,
                value=r["readiness"],
                color=VERDICT_COLORS.get(r["verdict"] or "", "#9aa5b1"),
            )
            for r in rows
        ],
        title=f"Readiness of the people {subject.name} leads",
        marker=80,
        marker_label="ready-now line",
    )
    counts: dict[str, int] = {}
    for r in rows:
        counts[r["verdict_text"]] = counts.get(r["verdict_text"], 0) + 1
    return Report(
        kind="team",
        title=f"Team report — {subject.name}",
        subject=subject,
        template="reports/team.html",
        context={"rows": rows, "chart": chart if rows else "", "counts": counts},
        data={
            "kind": "team",
            "leader": _person(subject),
            "as_of": as_of.isoformat(),
            "people": [
                {
                    **_person(r["person"]),
                    "readiness": r["readiness"],
                    "verdict": r["verdict"],
                    "target_role": r["role"],
                    "plan": None
                    if r["plan_total"] is None
                    else {
                        "done": r["plan_done"],
                        "total": r["plan_total"],
                        "status": r["plan_status"],
                    },
                    "timeuse_stakeholders_direction": r["direction"],
                }
                for r in rows
            ],
        },
    )


def stakeholder_report(viewer: Person, subject: Person, as_of: dt.date) -> Report:
    rows = stakeholder_services.rows_for(subject, as_of)
    suggestions = stakeholder_services.suggestions_for(subject, as_of)
    watched = sorted(
        (r for r in rows if r.health is not None), key=lambda r: -r.stakeholder.influence
    )[:5]
    return Report(
        kind="stakeholders",
        title=f"Stakeholder report — {subject.name}",
        subject=subject,
        template="reports/stakeholders.html",
        context={
            "rows": rows,
            "suggestions": suggestions,
            "chart": map_chart([r.stakeholder for r in rows]) if rows else "",
            "health_chart": health_chart([(r.stakeholder.name, r.trend) for r in watched])
            if watched
            else "",
        },
        data={
            "kind": "stakeholders",
            "person": _person(subject),
            "as_of": as_of.isoformat(),
            "stakeholders": [
                stakeholder_services.stakeholder_json(r.stakeholder, as_of) for r in rows
            ],
            "suggestions": [stakeholder_services.suggestion_json(s) for s in suggestions],
        },
    )


def _brief(
    subject: Person, title: str, sections: list[dict], saved: Brief | None, as_of: dt.date
) -> Report:
    return Report(
        kind="brief",
        title=title,
        subject=subject,
        template="reports/brief.html",
        context={
            "sections": [{**s, "blocks": paragraphs(s.get("body", ""))} for s in sections],
            "saved": saved,
        },
        data={
            "kind": "brief",
            "person": _person(subject),
            "as_of": as_of.isoformat(),
            "saved_id": saved.id if saved else None,
            "title": title,
            "sections": [{k: s[k] for k in ("key", "heading", "body")} for s in sections],
        },
    )


def brief_report(viewer: Person, subject: Person, as_of: dt.date) -> Report:
    """The latest saved brief when there is one, otherwise the brief assembled today."""
    saved = subject.briefs.first()
    if saved is not None:
        return _brief(subject, saved.title, saved.sections, saved, as_of)
    return _brief(
        subject, default_title(subject, as_of), assemble_brief(subject, as_of, viewer), None, as_of
    )


def saved_brief_report(viewer: Person, brief_id: int, as_of: dt.date) -> Report:
    brief = (
        Brief.objects.select_related("person", "person__manager")
        .filter(pk=brief_id, person__organisation_id=viewer.organisation_id)
        .first()
    )
    if brief is None or not viewer.can_view(brief.person):
        raise NotFound("no such brief among those you may see")
    return _brief(brief.person, brief.title, brief.sections, brief, as_of)


PERSON_KINDS: dict[str, Callable[[Person, Person, dt.date], Report]] = {
    "readiness": readiness_report,
    "team": team_report,
    "stakeholders": stakeholder_report,
    "brief": brief_report,
    "decisions": decisions_report,
}
# About the viewer's organisation: the SUBJECT is the viewer, as with the brief.
ORG_KINDS: dict[str, Callable[[Person, Person, dt.date], Report]] = {
    "portfolio": portfolio_report,
    "risk": risk_report,
}
KINDS = (*PERSON_KINDS, *ORG_KINDS, "saved-brief")


def build_report(kind: str, subject_id: int, viewer: Person, as_of: dt.date) -> Report:
    """The report of `kind` about person `subject_id` (a brief's id for saved-brief)."""
    if kind == "saved-brief":
        report = saved_brief_report(viewer, subject_id, as_of)
    elif kind in PERSON_KINDS:
        report = PERSON_KINDS[kind](viewer, visible(viewer, subject_id), as_of)
    elif kind in ORG_KINDS:
        if subject_id != viewer.id:
            raise NotFound(f"the {kind} report is the organisation's: ask for it as yourself")
        report = ORG_KINDS[kind](viewer, visible(viewer, subject_id), as_of)
    else:
        raise NotFound(f"no report {kind!r}; the reports are {', '.join(KINDS)}")
    report.kind, report.key = kind, subject_id
    return report
