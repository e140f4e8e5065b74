"""The executive brief, assembled from what LeadShift holds about a person's work.

Sections for the portfolio, decisions and risks appear once those apps are installed and hold
rows of the person's organisation; until then the brief is built from readiness, the plan and
the stakeholder map. Every section is plain text (lines starting with "- " are bullets), so
the person can edit it before sharing.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.apps import apps
from django.db import models

from leadshift.assessments.services import latest_two_complete
from leadshift.people.models import Person
from leadshift.stakeholders.services import TONES, rows_for, suggestions_for


def optional_model(app: str, model: str) -> type[models.Model] | None:
    """A model of an app that may not be installed yet (portfolio, decisions, risk)."""
    if not apps.is_installed(f"leadshift.{app}"):
        return None
    try:
        return apps.get_model(app, model)
    except LookupError:
        return None


def _field_names(model: type[models.Model]) -> set[str]:
    return {f.name for f in model._meta.get_fields()}


def org_rows(model: type[models.Model] | None, person: Person, limit: int = 5) -> list[Any]:
    """Up to `limit` rows of the person's organisation; none if the model cannot say whose."""
    if model is None:
        return []
    names = _field_names(model)
    if "organisation" in names:
        qs = model._default_manager.filter(organisation_id=person.organisation_id)
    elif "owner" in names:
        qs = model._default_manager.filter(owner__organisation_id=person.organisation_id)
    else:
        return []  # nothing that cannot be tied to the organisation is ever shown
    for order in ("-score", "-weight", "-updated_at", "-created_at", "-id"):
        if order.lstrip("-") in names:
            qs = qs.order_by(order)
            break
    return list(qs[:limit])


def _describe(row: Any, *extra: str) -> str:
    text = str(row)
    for attr in extra:
        value = getattr(row, attr, None)
        if value:
            text += f" — {attr.replace('_', ' ')}: {value}"
    return text


def _bullets(lines: list[str]) -> str:
    return "\n".join(f"- {line}" for line in lines)


def _readiness(person: Person) -> str:
    latest, _ = latest_two_complete(person)
    if latest is None:
        return "No readiness assessment yet."
    p = latest.profile()
    lines = [
        f"{p.verdict_text} ({p.readiness:.0f}% of the capability levels a {p.role_name} needs; "
        f"self-assessment of {latest.completed_at:%d %b %Y})."
    ]
    if p.gaps:
        lines.append("Biggest gaps: " + ", ".join(g.name for g in p.gaps) + ".")
    if p.strengths:
        lines.append("Strengths: " + ", ".join(g.name for g in p.strengths) + ".")
    return "\n".join(lines)


def _plan(person: Person, as_of: dt.date) -> str:
    plan = person.plans.first()
    if plan is None:
        return "No development plan yet."
    pr = plan.progress(as_of)
    return (
        f"{plan.title}: {pr.done} of {pr.total} actions done ({pr.status}; an even pace would "
        f"have {pr.expected_done:.0f} done by {as_of:%d %b})."
    )


def _stakeholders(person: Person, as_of: dt.date) -> str:
    rows = rows_for(person, as_of)
    if not rows:
        return "No stakeholder map yet."
    known = [r for r in rows if r.health is not None]
    lines = []
    if known:
        mean = sum(r.health or 0 for r in known) / len(known)
        lines.append(
            f"{len(rows)} stakeholders mapped; average relationship health {mean:.0f} of 100."
        )
    stances: dict[str, int] = {}
    for r in rows:
        stances[r.stakeholder.get_stance_display().lower()] = (
            stances.get(r.stakeholder.get_stance_display().lower(), 0) + 1
        )
    lines.append("Stances: " + ", ".join(f"{n} {k}" for k, n in stances.items()) + ".")
    overdue = [r for r in rows if r.due.is_overdue]
    if overdue:
        lines.append(
            "Overdue contacts: "
            + ", ".join(f"{r.stakeholder.name} ({r.due.overdue_days} days)" for r in overdue)
            + "."
        )
    worst = sorted(known, key=lambda r: r.health or 0)[:2]
    for r in worst:
        if (r.health or 0) < 40:
            last = r.stakeholder.interactions.last()
            tone = f", last contact {TONES[last.tone]}" if last else ""
            lines.append(f"At risk: {r.stakeholder.name} (health {r.health:.0f}{tone}).")
    return "\n".join(lines)


def _next(person: Person, as_of: dt.date) -> str:
    found = suggestions_for(person, as_of, limit=3)
    return _bullets([s.text for s in found]) if found else "Every relationship is on cadence."


def assemble_brief(person: Person, as_of: dt.date) -> list[dict[str, str]]:
    """The brief's sections, in the order a board reads them."""
    sections: list[dict[str, str]] = []
    objectives = org_rows(optional_model("portfolio", "Objective"), person)
    if objectives:
        sections.append(
            {
                "key": "objectives",
                "heading": "Objectives and progress",
                "body": _bullets([_describe(o, "weight", "progress") for o in objectives]),
            }
        )
    initiatives = org_rows(optional_model("portfolio", "Initiative"), person)
    if initiatives:
        sections.append(
            {
                "key": "portfolio",
                "heading": "Portfolio and plan of record",
                "body": _bullets([_describe(i, "status", "horizon") for i in initiatives]),
            }
        )
    decisions = org_rows(optional_model("decisions", "Decision"), person)
    if decisions:
        sections.append(
            {
                "key": "decisions",
                "heading": "Decisions taken and pending",
                "body": _bullets([_describe(d, "status", "choice") for d in decisions]),
            }
        )
    risks = org_rows(optional_model("risk", "Risk"), person)
    if risks:
        sections.append(
            {
                "key": "risks",
                "heading": "Top risks and mitigations",
                "body": _bullets([_describe(r, "mitigation") for r in risks]),
            }
        )
    sections += [
        {"key": "readiness", "heading": "Leadership readiness", "body": _readiness(person)},
        {"key": "plan", "heading": "Development plan", "body": _plan(person, as_of)},
        {
            "key": "stakeholders",
            "heading": "Stakeholder alignment",
            "body": _stakeholders(person, as_of),
        },
        {"key": "next", "heading": "Whom to see next", "body": _next(person, as_of)},
        {
            "key": "asks",
            "heading": "Asks",
            "body": "- Write what you need from this audience: a decision, support, resources.",
        },
    ]
    return sections


def default_title(person: Person, as_of: dt.date) -> str:
    return f"Executive brief — {person.name}, {as_of:%d %B %Y}"


def paragraphs(body: str) -> list[dict[str, Any]]:
    """A section body as blocks: {"list": [...]} for runs of "- " lines, {"text": ...} else."""
    blocks: list[dict[str, Any]] = []
    for line in body.splitlines():
        line = line.rstrip()
        if not line.strip():
            continue
        if line.lstrip().startswith(("- ", "* ")):
            item = line.lstrip()[2:].strip()
            if blocks and "list" in blocks[-1]:
                blocks[-1]["list"].append(item)
            else:
                blocks.append({"list": [item]})
        else:
            blocks.append({"text": line.strip()})
    return blocks
