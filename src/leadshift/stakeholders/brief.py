"""The executive brief, assembled from what LeadShift holds about a person's work.

Each section comes from the app that keeps the facts, through that app's own functions and
access rules, and shows only what the person the brief is about (and the viewer) may see:

* objectives and progress: the organisation's objectives with their weights, the value the
  plan of record delivers to each, and P(objective reaches its target) from the latest
  finished risk simulation of the plan (leaders and admins, who may see simulations);
* the portfolio and the plan of record: which scenario is the plan of record (every PM may
  read it), initiatives per period, the top ones this and next period, what was left out;
  products the lifecycle says to sunset or develop for leaders and admins only;
* decisions taken and pending: the person's own decision records (recent choices, reviews
  due, open ones, their calibration);
* top risks and mitigations: only for a leader or admin, who may see the risk register;
* signals to pivot: the leader's pivot radar (radar/), for a leader read by a leader;
* readiness, the development plan, stakeholder alignment, whom to see next, and the asks.

Every section is plain text (lines starting with "- " are bullets), so the person can edit it
before sharing. A section with nothing to say is left out.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from leadshift.allocation.problem import Portfolio
from leadshift.assessments.services import latest_two_complete
from leadshift.core.dates import day
from leadshift.core.errors import Invalid
from leadshift.decisions import services as decisions
from leadshift.decisions.models import Decision
from leadshift.people.models import Person
from leadshift.planning import services as planning
from leadshift.planning.models import Run, Scenario
from leadshift.planning.presentation import PlanView, objective_values, plan_view
from leadshift.portfolio import services as portfolio
from leadshift.portfolio.access import is_leader
from leadshift.portfolio.document import engine_portfolio
from leadshift.portfolio.models import Objective, Period
from leadshift.risk import access as risk_access
from leadshift.risk import services as risk
from leadshift.risk.models import Risk, Simulation
from leadshift.stakeholders.services import TONES, rows_for, suggestions_for

TOP = 3


def _bullets(lines: list[str]) -> str:
    return "\n".join(f"- {line}" for line in lines)


def _num(x: float) -> str:
    return f"{x:,.0f}" if abs(x) >= 10 else f"{x:.1f}".rstrip("0").rstrip(".")


def _pct(p: float) -> str:
    return f"{100 * p:.0f}%"


# --- The plan of record, read once --------------------------------------------------------


@dataclass
class Plan:
    scenario: Scenario
    run: Run | None
    view: PlanView | None
    engine: Portfolio | None

    @property
    def names(self) -> dict[str, str]:
        return self.view.names if self.view else {}

    def value_of(self, initiative_id: str) -> float:
        if self.engine is None:
            return 0.0
        try:
            return self.engine.weighted_value(self.engine.initiative(initiative_id))
        except KeyError:
            return 0.0


def _plan(person: Person) -> Plan | None:
    """The organisation's plan of record, readable by everyone in it."""
    scenario = planning.plan_of_record(person.organisation, person)
    if scenario is None:
        return None
    run = scenario.adopted_run
    if run is None or not run.result:
        return Plan(scenario, run, None, None)
    doc = run.document.get("portfolio", {})
    view = plan_view(run.result, doc)
    try:
        engine: Portfolio | None = engine_portfolio(dict(doc), f"plan {scenario.name!r}")
    except Invalid:
        engine = None
    return Plan(scenario, run, view, engine)


def _simulation(person: Person, plan: Plan | None) -> Simulation | None:
    """The latest finished risk simulation of the plan of record."""
    if plan is None:
        return None
    return Simulation.objects.filter(
        organisation_id=person.organisation_id,
        scenario=plan.scenario,
        status=Simulation.Status.DONE,
        result__isnull=False,
    ).first()


# --- Sections -----------------------------------------------------------------------------


def _objectives(person: Person, plan: Plan | None, sim: Simulation | None, leader: bool) -> str:
    """Leaders see the objectives as the portfolio keeps them; everyone else those the plan of
    record was made against (it is theirs to read)."""
    if leader:
        rows = [
            (o.key, o.name, o.weight)
            for o in Objective.objects.filter(organisation_id=person.organisation_id)
        ]
    elif plan is not None and plan.engine is not None:
        rows = [(o.id, o.name or o.id, o.weight) for o in plan.engine.objectives]
    else:
        rows = []
    if not rows:
        return ""
    values = (
        objective_values(plan.engine, plan.view.result)
        if plan is not None and plan.engine is not None and plan.view is not None
        else {}
    )
    reach = {o["id"]: o for o in (sim.result or {}).get("objectives", [])} if sim else {}
    lines = []
    for key, name, weight in rows:
        text = f"{name} (weight {weight:g})"
        if key in values:
            text += f": the plan of record delivers {_num(values[key])} of value"
        got = reach.get(key)
        if got and got.get("p_reach") is not None and got.get("target") is not None:
            text += f"; {_pct(got['p_reach'])} likely to reach its target of {_num(got['target'])}"
        lines.append(text + ".")
    out = _bullets(lines)
    if sim is not None and reach:
        out += (
            f"\nLikelihoods from {sim.trials:,} simulated trials of the plan with its risks "
            f"({day(sim.created_at)})."
        )
    return out


def _current_index(person: Person, periods: list[str], as_of: dt.date) -> int:
    """The period the brief is written in: the one whose dates hold today, else the first not
    yet over, else the first."""
    rows = {
        p.name: p
        for p in Period.objects.filter(organisation_id=person.organisation_id, name__in=periods)
    }
    for k, name in enumerate(periods):
        p = rows.get(name)
        if p and p.starts_on and p.ends_on and p.starts_on <= as_of <= p.ends_on:
            return k
    for k, name in enumerate(periods):
        p = rows.get(name)
        if p and p.ends_on and p.ends_on >= as_of:
            return k
    return 0


def _portfolio(person: Person, plan: Plan | None, leader: bool, as_of: dt.date) -> str:
    lines: list[str] = []
    if plan is None:
        if leader:
            lines.append("No plan of record adopted yet: run a scenario and adopt it.")
    else:
        s = plan.scenario
        text = f"Plan of record: “{s.name}”"
        if s.adopted_at:
            text += f", adopted {day(s.adopted_at)}"
            if s.adopted_by:
                text += f" by {s.adopted_by.name}"
        view = plan.view
        if view is not None and not view.infeasible:
            text += (
                f"; value {_num(view.result.get('objective') or 0)}, "
                f"{len(view.result.get('selected', []))} initiatives"
            )
        lines.append(text + ".")
        if view is not None and view.periods and not view.infeasible:
            lines += _plan_lines(person, plan, view, as_of)
    if leader:
        lines += _product_lines(person)
    return "\n".join(lines)


def _first(reason: str) -> str:
    parts = reason.split("; ")
    more = len(parts) - 1
    return parts[0] + (f" (and {more} more like it)" if more else "")


def _plan_lines(person: Person, plan: Plan, view: PlanView, as_of: dt.date) -> list[str]:
    periods = view.periods
    index = {p: k for k, p in enumerate(periods)}
    running: dict[int, list[dict[str, Any]]] = {k: [] for k in range(len(periods))}
    for item in view.result.get("selected", []):
        first, last = index.get(item["start"], 0), index.get(item["end"], len(periods) - 1)
        for k in range(first, last + 1):
            running[k].append(item)
    lines = [
        "Initiatives per period: "
        + ", ".join(f"{p} {len(running[k])}" for k, p in enumerate(periods))
        + "."
    ]
    now = _current_index(person, periods, as_of)
    for k, label in ((now, "This period"), (now + 1, "Next period")):
        if k >= len(periods) or not running[k]:
            continue
        top = sorted(running[k], key=lambda x: -(x.get("value") or 0))[:TOP]
        lines.append(
            f"{label} ({periods[k]}), the biggest: "
            + "; ".join(
                f"{plan.names.get(x['id'], x['id'])} (value {_num(x.get('value') or 0)}"
                + (", new" if x["start"] == periods[k] else "")
                + ")"
                for x in top
            )
            + "."
        )
    left = sorted(view.result.get("left_out", []), key=lambda x: -plan.value_of(x["id"]))
    left = [x for x in left if plan.value_of(x["id"]) > 0][:TOP]
    if left:
        lines.append("Left out that matters:")
        lines += [
            f"- {plan.names.get(x['id'], x['id'])} (value {_num(plan.value_of(x['id']))}): "
            + _first(x["reason"])
            + "."
            for x in left
        ]
    return lines


def _reasons(reasons: list[str]) -> str:
    if reasons[0].endswith(":"):
        return f"{reasons[0][:-1].lower()}: " + "; ".join(reasons[1:])
    return "; ".join(reasons)


def _product_lines(person: Person) -> list[str]:
    """Products the lifecycle says to sunset or develop (portfolio detail: leaders only)."""
    views = portfolio.product_views(person.organisation)
    lines = []
    for rec, label in (("sunset", "Sunset recommended"), ("develop", "Develop recommended")):
        picked = [v for v in views if v.advice.recommendation == rec]
        if not picked:
            continue
        lines.append(f"{label}:")
        for v in picked:
            text = v.product.name
            if v.advice.reasons:
                text += f": {_reasons(v.advice.reasons)}"
            if v.overridden:
                reason = v.product.override_reason.strip().rstrip(".")
                text += f". Overruled: kept to {v.product.override}" + (
                    f" ({reason[:1].lower()}{reason[1:]})" if reason else ""
                )
            lines.append(f"- {text}.")
    return lines


def _decisions(person: Person, viewer: Person, as_of: dt.date) -> str:
    """The person's own decision records, as the decision pages let the viewer see them."""
    if viewer.organisation_id != person.organisation_id or not viewer.can_view(person):
        return ""
    mine = list(
        Decision.objects.filter(owner=person, organisation_id=person.organisation_id)
        .prefetch_related("options")
        .order_by("-decided_on", "-id")
    )
    if not mine:
        return ""
    lines: list[str] = []
    since = as_of - dt.timedelta(days=90)
    recent = [d for d in mine if d.decided_on >= since and not d.review_due(as_of)]
    if recent:
        lines.append("Recent choices:")
        for d in recent[:TOP]:
            chosen = d.chosen
            text = f"{d.question} {'Chose' if chosen else 'Decided'}"
            text += f" “{chosen.name}”" if chosen else ""
            text += f" on {day(d.decided_on)}"
            if d.forecast is not None:
                text += f", {_pct(d.forecast)} confident of success"
            lines.append(f"- {text}.")
    due = decisions.reviews_due(person, as_of)
    if due:
        lines.append("Reviews due:")
        lines += [f"- {d.question} (due {day(d.review_on)})." for d in due[:TOP]]
        if len(due) > TOP:
            lines.append(f"- and {len(due) - TOP} more.")
    still_open = [d for d in mine if not d.outcome and not d.review_due(as_of)]
    if still_open:
        nxt = min((d.review_on for d in still_open if d.review_on), default=None)
        lines.append(
            f"{len(still_open)} decision{'s' if len(still_open) != 1 else ''} open, awaiting "
            "their outcome" + (f"; the next review on {day(nxt)}." if nxt else ".")
        )
    cal = decisions.calibration(person)
    overall = next((g for g in cal["groups"] if g["kind"] == "all"), None)
    if overall and overall["count"]:
        lines.append(
            f"Calibration: Brier score {overall['brier']:.2f} over {overall['count']} reviewed "
            "forecasts (0 is perfect; always saying 50% scores 0.25)."
        )
    return "\n".join(lines)


def _exposure(r: Risk) -> int:
    return r.likelihood_band * r.impact_band


def _risks(person: Person, viewer: Person, as_of: dt.date) -> str:
    """The register's open risks by exposure (likelihood band × impact band, then the
    register's order), with their mitigations; only for those who may see the register."""
    if not (risk_access.is_leader(person) and risk_access.is_leader(viewer)):
        return ""
    if viewer.organisation_id != person.organisation_id:
        return ""
    register = [r for r in risk.register(person.organisation) if r.status != Risk.Status.CLOSED]
    if not register:
        return ""
    top = sorted(register, key=lambda r: -_exposure(r))[:5]
    valued: dict[int, dict[str, Any]] = {}
    for sim in Simulation.objects.filter(
        organisation_id=person.organisation_id,
        status=Simulation.Status.DONE,
        mitigation_of__in=[r.id for r in top],
    ):
        got = (sim.result or {}).get("mitigation")
        if got and sim.mitigation_of_id not in valued:
            valued[sim.mitigation_of_id] = got  # newest first
    lines = []
    for r in top:
        text = (
            f"{r.title} ({r.scope_label}; {_pct(r.overall_probability)} likely, "
            f"impact {r.impact_band} of 5" + (f"; owner {r.owner.name}" if r.owner else "") + ")"
        )
        if r.trigger_fired:
            text += f". Trigger fired {day(r.trigger_fired_on)}: {r.trigger}"
        if r.mitigation:
            text += f". Mitigation: {r.mitigation.rstrip('.')}"
            if r.mitigation_cost is not None:
                text += f" (costs {_num(r.mitigation_cost)})"
            mv = valued.get(r.id)
            if mv:
                text += f", worth {_num(mv['mean_gain'])} of value on average"
        else:
            text += ". No mitigation yet"
        lines.append(text + ".")
    return _bullets(lines)


def _radar(person: Person, viewer: Person, as_of: dt.date) -> str:
    """The pivot radar's active signals, each with why it fired (radar/)."""
    from leadshift.core.errors import NotFound
    from leadshift.radar.services import radar_for

    try:
        signals = radar_for(person, viewer, as_of).active
    except NotFound:
        return ""
    return _bullets([f"{s.title}: {s.why}" for s in signals])


def _readiness(person: Person) -> str:
    latest, _ = latest_two_complete(person)
    if latest is None:
        return "No readiness assessment yet."
    p = latest.profile()
    lines = [
        f"{p.verdict_text} ({p.readiness:.0f}% of the capability levels a {p.role_name} needs; "
        f"self-assessment of {day(latest.completed_at)})."
    ]
    if p.gaps:
        lines.append("Biggest gaps: " + ", ".join(g.name for g in p.gaps) + ".")
    if p.strengths:
        lines.append("Strengths: " + ", ".join(g.name for g in p.strengths) + ".")
    return "\n".join(lines)


def _development(person: Person, as_of: dt.date) -> str:
    plan = person.plans.first()
    if plan is None:
        return "No development plan yet."
    pr = plan.progress(as_of)
    return (
        f"{plan.title}: {pr.done} of {pr.total} actions done ({pr.status}; an even pace would "
        f"have {pr.expected_done:.0f} done by {day(as_of)})."
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
        stance = r.stakeholder.get_stance_display().lower()
        stances[stance] = stances.get(stance, 0) + 1
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


def assemble_brief(
    person: Person, as_of: dt.date, viewer: Person | None = None
) -> list[dict[str, str]]:
    """The brief's sections, in the order a board reads them. What the brief shows is what
    both `person` and `viewer` (default: the person) may see."""
    viewer = viewer or person
    leader = is_leader(person) and is_leader(viewer)
    plan = _plan(person)
    sim = _simulation(person, plan) if leader else None
    sections: list[dict[str, str]] = []

    def add(key: str, heading: str, body: str) -> None:
        if body.strip():
            sections.append({"key": key, "heading": heading, "body": body})

    add("objectives", "Objectives and progress", _objectives(person, plan, sim, leader))
    add("portfolio", "Portfolio and plan of record", _portfolio(person, plan, leader, as_of))
    add("decisions", "Decisions taken and pending", _decisions(person, viewer, as_of))
    add("risks", "Top risks and mitigations", _risks(person, viewer, as_of))
    add("radar", "Signals to pivot", _radar(person, viewer, as_of) if leader else "")
    sections += [
        {"key": "readiness", "heading": "Leadership readiness", "body": _readiness(person)},
        {"key": "plan", "heading": "Development plan", "body": _development(person, as_of)},
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
