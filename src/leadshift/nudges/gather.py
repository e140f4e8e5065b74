"""What one person's week holds, gathered through each app's own functions."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from leadshift.nudges.digest import Digest, Line, Section
from leadshift.people.models import Person

WEEK = dt.timedelta(days=6)


def _url(name: str, *args: object) -> str:
    return settings.SITE_URL.rstrip("/") + reverse(name, args=args)


def _oneonones(person: Person, today: dt.date) -> list[Line]:
    from leadshift.coaching.models import Meeting
    from leadshift.coaching.services import series_of

    meetings = (
        Meeting.objects.filter(
            series__in=series_of(person), done=False, on__gte=today, on__lte=today + WEEK
        )
        .select_related("series__leader", "series__person")
        .order_by("on", "id")
    )
    lines = []
    for m in meetings:
        other = m.series.person if m.series.leader_id == person.id else m.series.leader
        lines.append(
            Line(
                f"{m.on:%a %d %b}: 1:1 with {other.name} (agenda)",
                _url("coaching_series", m.series_id),
            )
        )
    return lines


def _actions(person: Person, today: dt.date) -> list[Line]:
    plan = person.plans.prefetch_related("goals__actions").first()
    if plan is None:
        return []
    due = [a for a in plan.all_actions() if not a.is_done and a.due_on <= today + WEEK]
    return [
        Line(
            f"{a.title}: {'overdue since' if a.due_on < today else 'due'} {a.due_on:%d %b}",
            _url("plan_detail", plan.id),
        )
        for a in sorted(due, key=lambda a: (a.due_on, a.id))
    ]


def _decisions(person: Person, today: dt.date) -> list[Line]:
    from leadshift.decisions.services import reviews_due

    return [
        Line(f"Review “{d.question}” (due {d.review_on:%d %b})", _url("decision_detail", d.id))
        for d in reviews_due(person, today=today + WEEK)
    ]


def _stakeholders(person: Person, today: dt.date) -> list[Line]:
    from leadshift.stakeholders.services import rows_for

    return [
        Line(f"{r.stakeholder.name}: {r.due.overdue_days} days overdue", _url("stakeholders_mine"))
        for r in rows_for(person, as_of=today)
        if r.due.is_overdue
    ]


def _feedback(person: Person) -> list[Line]:
    from leadshift.feedback.services import asked_of

    return [
        Line(
            f"Feedback for {r.cycle.subject.name}, open until {r.cycle.closes_at:%d %b}",
            _url("feedback_asked"),
        )
        for r in asked_of(person)
        if r.submitted_at is None
    ]


def _pulses(person: Person) -> list[Line]:
    """Open pulses this person was asked to answer, answered or not: a digest kept in the
    outbox must not tell an admin who has answered. The link is the person's alone (only its
    hash is kept), so the digest points to the e-mail that holds it."""
    from leadshift.pulse.models import Respondent

    asked = Respondent.objects.filter(
        person=person, pulse__status="open", pulse__closes_at__gt=timezone.now()
    ).select_related("pulse__leader")
    return [
        Line(
            f"A culture pulse from {r.pulse.leader.name} is open until "
            f"{r.pulse.closes_at:%d %b}: if you have not answered yet, the link is in its e-mail",
            "",
        )
        for r in asked
    ]


def _mentoring(person: Person) -> list[Line]:
    from leadshift.mentoring.access import asked_of

    return [
        Line(f"{p.request.mentee.name} asks you to be their mentor", _url("mentoring_index"))
        for p in asked_of(person)
        if p.status == p.Status.ASKED
    ]


def feedback_subjects(person: Person) -> set[int]:
    """The subjects of the 360 forms waiting: they must not read that this person rates them."""
    from leadshift.feedback.services import asked_of

    return {r.cycle.subject_id for r in asked_of(person) if r.submitted_at is None}


def digest_for(person: Person, today: dt.date | None = None) -> Digest:
    today = today or timezone.localdate()
    sections = [
        Section("oneonones", "Your 1:1s this week", _oneonones(person, today)),
        Section("actions", "Plan actions due", _actions(person, today)),
        Section("decisions", "Decision reviews due", _decisions(person, today)),
        Section("stakeholders", "Stakeholders overdue", _stakeholders(person, today)),
        Section("feedback", "360 forms waiting for you", _feedback(person)),
        Section("mentoring", "Mentoring requests waiting for you", _mentoring(person)),
        Section("pulses", "Culture pulses waiting for you", _pulses(person)),
    ]
    return Digest(person.name, today, sections, settings_url=_url("settings"))
