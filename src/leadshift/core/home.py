"""What the home page shows by role: a new organisation's first steps, a leader's to-dos.

Each part asks the app that owns it (risk flags, stakeholders overdue, open 360 cycles, the
team's readiness; decisions due come from `reviews_due` as for everyone); nothing here
recomputes what those apps already know.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.urls import reverse

from leadshift.assessments.models import Assessment
from leadshift.assessments.readiness import Verdict
from leadshift.assessments.standing import verdict_counts
from leadshift.feedback.models import Cycle
from leadshift.feedback.services import visible_cycles
from leadshift.feedback.team import SHORT_LABELS, people_below
from leadshift.people import roles
from leadshift.people.models import Person
from leadshift.portfolio.models import Initiative, Objective
from leadshift.radar.judgement import Signal
from leadshift.radar.services import radar_for
from leadshift.risk.models import Risk
from leadshift.risk.presentation import flagged_of
from leadshift.stakeholders.services import Row, rows_for

SHOWN = (Verdict.READY_NOW, Verdict.READY_SOON, Verdict.NOT_YET)


@dataclass(frozen=True)
class Step:
    text: str
    help: str
    done: bool
    url: str | None


def getting_started(admin: Person) -> list[Step] | None:
    """The first steps of an organisation, ticked as they are done; None once all are done
    (or for anyone but an admin)."""
    if not roles.is_admin(admin):
        return None
    org_id = admin.organisation_id
    people = Person.objects.filter(organisation_id=org_id)
    steps = [
        Step(
            "Invite people",
            "Your product managers and leaders, each by e-mail; while no mail server is set "
            "up, their invitations wait in the outbox.",
            people.exclude(pk=admin.pk).exists(),
            reverse("invitations_admin"),
        ),
        Step(
            "Set managers",
            "Who reports to whom: it decides who sees whose growth, and makes the team views.",
            people.filter(manager__isnull=False).exists(),
            reverse("people_admin"),
        ),
        Step(
            "Take the self-assessment",
            "About ten minutes on the five shifts and seven capabilities.",
            Assessment.objects.filter(
                person__organisation_id=org_id, status=Assessment.Status.COMPLETE
            ).exists(),
            reverse("assessment_start"),
        ),
        Step(
            "Open a 360",
            "Ask a manager, peers, reports and stakeholders how the shift looks from outside.",
            Cycle.objects.filter(subject__organisation_id=org_id).exists(),
            reverse("feedback_new"),
        ),
        Step(
            "Enter the portfolio",
            "Objectives with their weights, and the initiatives that serve them.",
            Objective.objects.filter(organisation_id=org_id).exists()
            or Initiative.objects.filter(organisation_id=org_id).exists(),
            reverse("portfolio_home"),
        ),
    ]
    return None if all(s.done for s in steps) else steps


@dataclass(frozen=True)
class LeaderHome:
    risks: list[Risk]
    stakeholders: list[Row]
    cycles: list[Cycle]
    readiness: list[tuple[str, int]]
    """(verdict, how many) for everyone below the leader, in the team page's order."""
    unassessed: int
    signals: list[Signal] = field(default_factory=list)
    """The pivot radar's active signals (radar/)."""

    @property
    def needs_you(self) -> int:
        return len(self.risks) + len(self.stakeholders) + len(self.cycles) + len(self.signals)

    @property
    def has_team(self) -> bool:
        return self.unassessed + sum(n for _, n in self.readiness) > 0


def leader_home(leader: Person, today: dt.date) -> LeaderHome:
    counts = verdict_counts(leader.organisation, people_below(leader))
    return LeaderHome(
        risks=flagged_of(leader.organisation, today),
        stakeholders=[r for r in rows_for(leader, today) if r.due.is_overdue],
        cycles=list(visible_cycles(leader).filter(status=Cycle.Status.OPEN)),
        readiness=[(SHORT_LABELS[v], counts[v]) for v in SHOWN],
        unassessed=counts[Verdict.INCOMPLETE],
        signals=radar_for(leader, leader, today).active,
    )
