"""A leader's radar: its signals sorted by their dismissals, its setting, and the next steps
a signal offers (a decision record, a scenario without the initiatives it affects)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from leadshift.core.errors import Invalid, NotAllowed, NotFound
from leadshift.decisions.forms import LINK_ROWS
from leadshift.people.models import Person
from leadshift.people.roles import is_leader
from leadshift.radar import judgement
from leadshift.radar.judgement import Signal, Sorted
from leadshift.radar.models import Dismissal, RadarSettings
from leadshift.radar.providers import Context, collect

MAX_REASON = 2000


def check_viewer(viewer: Person | None, leader: Person) -> None:
    """A leader's radar is for them and the leaders above them; the CLI (None) sees any.
    Anyone else is told it does not exist, as a page answers 404."""
    if viewer is None:
        if not is_leader(leader):
            raise NotFound(f"{leader.name} is not a leader: the radar is a leader's")
        return
    if not (is_leader(viewer) and is_leader(leader) and viewer.can_view(leader)):
        raise NotFound("no such radar")


def threshold_of(leader: Person) -> float:
    row = RadarSettings.objects.filter(leader=leader).first()
    return row.objective_threshold if row else judgement.DEFAULT_OBJECTIVE_THRESHOLD


@dataclass(frozen=True)
class Radar:
    leader: Person
    threshold: float
    signals: list[Signal]
    sorted: Sorted

    @property
    def active(self) -> list[Signal]:
        return self.sorted.active

    def returned(self, key: str) -> judgement.Dismissal | None:
        return self.sorted.returned.get(key)


def radar_for(leader: Person, viewer: Person | None, today: dt.date | None = None) -> Radar:
    check_viewer(viewer, leader)
    today = today or timezone.localdate()
    threshold = threshold_of(leader)
    signals = collect(leader, Context(today=today, objective_threshold=threshold))
    rows = list(Dismissal.objects.filter(leader=leader).select_related("dismissed_by"))
    plain = [
        judgement.Dismissal(
            key=d.key,
            fingerprint=d.fingerprint,
            reason=d.reason,
            by=d.dismissed_by.name if d.dismissed_by else "the command line",
            on=timezone.localtime(d.dismissed_at).date().isoformat(),
        )
        for d in rows
    ]
    return Radar(
        leader=leader,
        threshold=threshold,
        signals=signals,
        sorted=judgement.sort_signals(signals, plain),
    )


def find_signal(radar: Radar, key: str) -> Signal:
    found = next((s for s in radar.signals if s.key == key), None)
    if found is None:
        raise NotFound("that signal is no longer on the radar")
    return found


@transaction.atomic
def do_dismiss(leader: Person, actor: Person | None, key: str, reason: str) -> Dismissal:
    """Set a signal aside with the reason; it comes back when its evidence changes."""
    signal = find_signal(radar_for(leader, actor), key)
    reason = reason.strip()
    if not reason:
        raise Invalid("say why you dismiss the signal: the reason is kept", field="reason")
    if len(reason) > MAX_REASON:
        raise Invalid(f"the reason is at most {MAX_REASON} characters", field="reason")
    return Dismissal.objects.create(
        leader=leader,
        key=signal.key,
        fingerprint=signal.fingerprint,
        title=signal.title[:300],
        reason=reason,
        dismissed_by=actor,
    )


@transaction.atomic
def do_set_threshold(leader: Person, actor: Person | None, value: Any) -> RadarSettings:
    check_viewer(actor, leader)
    if actor is not None and actor.id != leader.id:
        raise NotAllowed("only the leader sets their own radar's threshold")
    try:
        threshold = judgement.check_threshold(value)
    except ValueError as exc:
        raise Invalid(str(exc), field="objective_threshold") from None
    row, _ = RadarSettings.objects.get_or_create(leader=leader)
    row.objective_threshold = threshold
    row.updated_by = actor
    row.save()
    return row


def decision_url(signal: Signal) -> str:
    """The new-decision form, filled in from the signal."""
    context = f"{signal.kind_label}: {signal.why}\n\nEvidence:\n" + "\n".join(
        f"- {link.label}: {link.url}" for link in signal.evidence
    )
    query: dict[str, str] = {
        "template": "blank",
        "question": f"What do we change now that {signal.title[0].lower()}{signal.title[1:]}?",
        "kind": signal.decision_kind,
        "context": context,
    }
    for j, (target, label) in enumerate(signal.decision_links[:LINK_ROWS]):
        query[f"link-target-{j}"], query[f"link-label-{j}"] = target, label
    return reverse("decision_new") + "?" + urlencode(query)


@transaction.atomic
def do_scenario_without(leader: Person, actor: Person | None, key: str) -> Any:
    """A scenario like the plan of record without the signal's initiatives, with a run of the
    optimiser started on it; compare it with the plan of record once the run is done."""
    from leadshift.planning.models import Scenario
    from leadshift.planning.services import (
        do_create_scenario,
        do_set_scenario_rule,
        do_start_run,
    )
    from leadshift.portfolio.models import Initiative

    signal = find_signal(radar_for(leader, actor), key)
    if not signal.initiatives:
        raise Invalid("this signal affects no initiative: there is nothing to leave out")
    org = leader.organisation
    plan = Scenario.objects.filter(organisation=org, is_plan_of_record=True).first()
    if plan is None:
        raise Invalid("there is no plan of record to compare with: adopt a plan first")
    base = f"Without {signal.subject.split(': ', 1)[-1]}"[:180]
    name, n = base, 1
    while Scenario.objects.filter(organisation=org, name=name).exists():
        n += 1
        name = f"{base} ({n})"
    scenario = do_create_scenario(
        org,
        actor,
        name=name,
        description=f"From the pivot radar: {signal.title}. {signal.why}",
        copy_from=plan,
    )
    for initiative in Initiative.objects.filter(organisation=org, key__in=signal.initiatives):
        do_set_scenario_rule(scenario, actor, initiative=initiative, rule="excluded")
    do_start_run(scenario, actor, time_limit=10.0, gap=0.005)
    return scenario


def compare_url(scenario: Any) -> str:
    """The comparison page: the plan of record first, the scenario second."""
    from leadshift.planning.models import Scenario

    plan = Scenario.objects.filter(
        organisation_id=scenario.organisation_id, is_plan_of_record=True
    ).first()
    a = plan.id if plan else scenario.id
    return reverse("planning_compare") + "?" + urlencode({"a": a, "b": scenario.id})


def signal_json(signal: Signal, returned: judgement.Dismissal | None = None) -> dict[str, Any]:
    return {
        "kind": signal.kind,
        "kind_label": signal.kind_label,
        "key": signal.key,
        "title": signal.title,
        "why": signal.why,
        "subject": signal.subject,
        "evidence": [{"label": e.label, "url": e.url} for e in signal.evidence],
        "initiatives": list(signal.initiatives),
        "fingerprint": signal.fingerprint,
        "decision_url": decision_url(signal),
        "dismissed_before": None
        if returned is None
        else {"by": returned.by, "on": returned.on, "reason": returned.reason},
    }


def radar_json(radar: Radar) -> dict[str, Any]:
    return {
        "leader": {"id": radar.leader.id, "name": radar.leader.name, "email": radar.leader.email},
        "objective_threshold": radar.threshold,
        "signals": [signal_json(s, radar.returned(s.key)) for s in radar.active],
        "dismissed": [
            {
                **signal_json(s),
                "dismissal": {"by": d.by, "on": d.on, "reason": d.reason},
            }
            for s, d in radar.sorted.dismissed
        ],
    }
