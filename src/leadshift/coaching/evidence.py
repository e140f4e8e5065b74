"""What the other apps know about the person coached, gathered through their own functions."""

from __future__ import annotations

from leadshift.assessments.models import Assessment
from leadshift.assessments.readiness import compare_profiles
from leadshift.coaching import agenda as ag
from leadshift.coaching.models import Meeting
from leadshift.coaching.perspectives import perspectives
from leadshift.decisions.services import reviews_due
from leadshift.feedback.models import Cycle
from leadshift.feedback.services import result_data
from leadshift.people.models import Person
from leadshift.stakeholders.services import rows_for


def _plan(person: Person, ev: dict) -> None:
    plan = person.plans.prefetch_related("goals__actions").first()
    if plan is None:
        return
    ev["actions_open"] = [
        ag.ActionDue(a.title, a.due_on) for a in plan.all_actions() if not a.is_done
    ]
    last = plan.checkins.order_by("-date", "-id").first()
    if last is not None:
        ev["last_confidence"], ev["last_checkin_on"] = last.confidence, last.date


def _feedback(person: Person, ev: dict) -> None:
    # Only the released results, as stored at release: what the PM and manager already see.
    cycle = person.feedback_cycles.filter(status=Cycle.Status.RELEASED).first()
    if cycle is None:
        return
    data = result_data(cycle)
    names = {c["id"]: c["name"] for c in data["capabilities"]}
    ev["blind_spots"] = [names.get(c, c) for c in data["blind_spots"]]
    ev["hidden_strengths"] = [names.get(c, c) for c in data["hidden_strengths"]]


def _readiness(person: Person, ev: dict) -> None:
    done = list(
        person.assessments.filter(status=Assessment.Status.COMPLETE).order_by("-completed_at")[:2]
    )
    if len(done) < 2:
        return
    cmp = compare_profiles(done[1].profile(), done[0].profile())
    ev["readiness"] = ag.ReadinessChange(
        verdict_before=cmp.verdict_before.label,
        verdict_after=cmp.verdict_after.label,
        readiness_before=cmp.readiness_before,
        readiness_after=cmp.readiness_after,
        moved=[(m.name, m.before, m.after) for m in cmp.capabilities if m.change],
    )


def evidence_for(meeting: Meeting) -> ag.Evidence:
    person = meeting.series.person
    ev: dict = {}
    ev["own_items"] = [
        ag.OwnItem(i.author.name, i.text) for i in meeting.items.select_related("author")
    ]
    if meeting.series.mentoring:
        # A mentor sees what the two of them bring, not the mentee's records: the request the
        # mentee wrote leads.
        from leadshift.mentoring.services import focus_of

        ev["own_items"] = [ag.OwnItem(a, t) for a, t in focus_of(meeting.series)] + ev["own_items"]
        return ag.Evidence(meeting_on=meeting.on, **ev)
    _plan(person, ev)
    _feedback(person, ev)
    ev["decisions_due"] = [
        ag.DecisionDue(d.question, d.review_on) for d in reviews_due(person, today=meeting.on)
    ]
    ev["stakeholders_overdue"] = [
        ag.StakeholderOverdue(r.stakeholder.name, r.due.overdue_days)
        for r in rows_for(person, as_of=meeting.on)
        if r.due.is_overdue
    ]
    _readiness(person, ev)
    views = perspectives(person)
    if views and views[0].spread:
        ev["disagreement"] = views[0]
    return ag.Evidence(meeting_on=meeting.on, **ev)


def agenda_for(meeting: Meeting) -> list[ag.AgendaItem]:
    return ag.build_agenda(evidence_for(meeting))
