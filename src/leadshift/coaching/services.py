from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from leadshift.behaviours.checklist import level_from_ticks, unknown_ticks
from leadshift.behaviours.models import Tick
from leadshift.coaching.models import (
    AgendaItem,
    AgreedAction,
    GrowthConversation,
    ManagerAssessment,
    ManagerRating,
    Meeting,
    Note,
    PrivateNote,
    Series,
)
from leadshift.core.errors import Invalid, NotAllowed, NotFound
from leadshift.growth.models import Action, Goal
from leadshift.growth.services import do_add_action
from leadshift.people.models import Person


def series_of(viewer: Person) -> QuerySet[Series]:
    """The 1:1 series the viewer is a party to: as the leader or as the person coached."""
    from django.db.models import Q

    return Series.objects.select_related("leader", "person").filter(
        Q(leader=viewer) | Q(person=viewer)
    )


def visible_series(viewer: Person, series_id: int) -> Series:
    """A series only its two parties see; anyone else is told it does not exist."""
    series = series_of(viewer).filter(pk=series_id).first()
    if series is None:
        raise NotFound("no such 1:1")
    return series


def _check_party(series: Series, actor: Person) -> None:
    if not series.has_party(actor.id):
        raise NotFound("no such 1:1")


def _text(text: str, field: str, what: str) -> str:
    text = (text or "").strip()
    if not text:
        raise Invalid(f"{what} cannot be empty", field=field)
    return text


@transaction.atomic
def do_start_series(
    leader: Person, person: Person, *, cadence: str, first_on: dt.date | None = None
) -> Series:
    """A 1:1 series with someone the leader leads (anywhere below them) or mentors, and its
    first meeting."""
    from leadshift.mentoring.access import may_hold_oneonones

    if not may_hold_oneonones(leader, person):
        raise NotAllowed("you can hold a 1:1 series only with someone you lead or mentor")
    if cadence not in Series.Cadence.values:
        raise Invalid(f"cadence must be one of {', '.join(Series.Cadence.values)}", field="cadence")
    if Series.objects.filter(leader=leader, person=person).exists():
        raise Invalid(f"you already have a 1:1 series with {person.name}", field="person")
    series = Series.objects.create(
        leader=leader, person=person, cadence=cadence, mentoring=not leader.can_view(person)
    )
    Meeting.objects.create(series=series, on=first_on or timezone.localdate())
    return series


@transaction.atomic
def do_add_item(meeting: Meeting, actor: Person, text: str) -> AgendaItem:
    _check_party(meeting.series, actor)
    if meeting.done:
        raise Invalid("this 1:1 has been held; add the item to the next one")
    return AgendaItem.objects.create(
        meeting=meeting, author=actor, text=_text(text, "text", "an agenda item")[:500]
    )


@transaction.atomic
def do_add_note(meeting: Meeting, actor: Person, text: str, *, private: bool) -> Note | PrivateNote:
    _check_party(meeting.series, actor)
    model = PrivateNote if private else Note
    return model.objects.create(meeting=meeting, author=actor, text=_text(text, "text", "a note"))


@transaction.atomic
def do_agree_action(
    meeting: Meeting, actor: Person, *, title: str, due_on: dt.date, goal_id: int | None = None
) -> Action:
    """An action agreed at the 1:1, added to the person's current development plan."""
    _check_party(meeting.series, actor)
    person = meeting.series.person
    if not actor.can_view(person):
        # A mentor: the plan is the mentee's (and their managers'); the mentee adds it.
        raise NotAllowed(f"only {person.name} or their managers add to their development plan")
    plan = person.plans.first()
    if plan is None:
        raise Invalid(f"{person.name} has no development plan yet; generate one first")
    goals = plan.goals.all()
    goal: Goal | None = goals.filter(pk=goal_id).first() if goal_id else goals.first()
    if goal is None:
        raise Invalid("choose a goal of the current plan", field="goal")
    action = do_add_action(goal, actor, title=title, due_on=due_on)
    AgreedAction.objects.create(meeting=meeting, action=action)
    return action


@transaction.atomic
def do_finish_meeting(
    meeting: Meeting, actor: Person, *, next_on: dt.date | None = None
) -> Meeting:
    """Mark the 1:1 held and schedule the next one, by the series' cadence unless a date is given."""
    _check_party(meeting.series, actor)
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.done:
        raise Invalid("this 1:1 is already marked as held")
    following = next_on or meeting.series.next_after(meeting.on)
    if following <= meeting.on:
        raise Invalid("the next 1:1 must come after this one", field="next_on")
    meeting.done = True
    meeting.save(update_fields=["done"])
    return Meeting.objects.create(series=meeting.series, on=following)


def meeting_json(meeting: Meeting, viewer: Person | None, agenda: list | None = None) -> dict:
    """A meeting as the viewer may see it: shared notes, and only their own private notes."""
    data: dict = {
        "id": meeting.id,
        "on": meeting.on.isoformat(),
        "done": meeting.done,
        "items": [{"author": i.author.name, "text": i.text} for i in meeting.items.all()],
        "notes": [
            {"author": n.author.name, "text": n.text, "private": False}
            for n in meeting.notes.select_related("author")
        ]
        + [
            {"author": n.author.name, "text": n.text, "private": True}
            for n in (
                meeting.private_notes.filter(author=viewer).select_related("author")
                if viewer is not None
                else PrivateNote.objects.none()
            )
        ],
        "agreed_actions": [
            {"id": a.action_id, "title": a.action.title, "due_on": a.action.due_on.isoformat()}
            for a in meeting.agreed.select_related("action")
        ],
    }
    if agenda is not None:
        data["agenda"] = [{"kind": a.kind, "title": a.title, "details": a.details} for a in agenda]
    return data


def series_json(series: Series, viewer: Person | None) -> dict:
    """The series with its upcoming agenda; `viewer` None (the command line) sees no private
    notes at all."""
    from leadshift.coaching.evidence import agenda_for

    upcoming = series.upcoming()
    return {
        "id": series.id,
        "leader": {"id": series.leader_id, "name": series.leader.name},
        "person": {"id": series.person_id, "name": series.person.name},
        "cadence": series.cadence,
        "next_on": upcoming.on.isoformat() if upcoming else None,
        "upcoming": meeting_json(upcoming, viewer, agenda_for(upcoming)) if upcoming else None,
        "past": [meeting_json(m, viewer) for m in series.meetings.filter(done=True)],
    }


@transaction.atomic
def do_record_manager_assessment(
    manager: Person,
    person: Person,
    ratings: dict[str, tuple[int, str]],
    ticks: Mapping[str, Collection[str]] | None = None,
) -> ManagerAssessment:
    """The manager's level per capability, with evidence, for someone below them. Where the
    manager ticked a capability's behaviours (``ticks``), its level follows from the
    checklist rule instead of the level given."""
    from leadshift.frameworks.services import framework_for

    if person.id == manager.id or not manager.can_view(person):
        raise NotAllowed("you can assess only someone you lead")
    version = framework_for(person.organisation)
    fw = version.data
    ticks = {cid: list(dict.fromkeys(keys)) for cid, keys in (ticks or {}).items()}
    ratings = dict(ratings)
    for cid, keys in ticks.items():
        unknown = unknown_ticks(fw, cid, keys)
        if unknown:
            raise Invalid(
                f"{', '.join(repr(k) for k in unknown)} "
                f"{'is' if len(unknown) == 1 else 'are'} not a behaviour of {cid!r} in "
                f"{fw.label}",
                field=f"capabilities.{cid}",
            )
        evidence = ratings.get(cid, (0, ""))[1]
        ratings[cid] = (level_from_ticks(fw.capability(cid), keys).level, evidence)
    if not ratings:
        raise Invalid("rate at least one capability", field="capabilities")
    for cid, (level, _) in ratings.items():
        if not fw.has_capability(cid):
            raise Invalid(f"unknown capability {cid!r}", field=f"capabilities.{cid}")
        cap = fw.capability(cid)
        if not cap.min_level <= level <= cap.max_level:
            raise Invalid(
                f"{cap.name}: the level is between {cap.min_level} and {cap.max_level}",
                field=f"capabilities.{cid}",
            )
    assessment = ManagerAssessment.objects.create(person=person, manager=manager, framework=version)
    ManagerRating.objects.bulk_create(
        ManagerRating(assessment=assessment, capability=cid, level=level, evidence=evidence.strip())
        for cid, (level, evidence) in ratings.items()
    )
    Tick.objects.bulk_create(
        Tick(manager_assessment=assessment, capability=cid, key=key)
        for cid, keys in ticks.items()
        for key in keys
    )
    return assessment


@transaction.atomic
def do_record_growth_conversation(
    actor: Person,
    person: Person,
    *,
    aspirations: str,
    target_role: str,
    capabilities: list[str],
    experiences: str = "",
    horizon_years: int = 2,
    set_target: bool = True,
) -> GrowthConversation:
    """The person or someone above them records the longer view; it may set the target role,
    and its capabilities lead the next plan."""
    from leadshift.frameworks.services import framework_for

    if not actor.can_view(person):
        raise NotAllowed("you may not hold a growth conversation for this person")
    fw = framework_for(person.organisation).data
    roles = {r.id for r in fw.roles}
    if target_role not in roles:
        raise Invalid(
            f"unknown target role {target_role!r}; one of {', '.join(sorted(roles))}",
            field="target_role",
        )
    if not 1 <= horizon_years <= 2:
        raise Invalid("a growth conversation looks one or two years ahead", field="horizon_years")
    for cid in capabilities:
        if not fw.has_capability(cid):
            raise Invalid(f"unknown capability {cid!r}", field="capabilities")
    conversation = GrowthConversation.objects.create(
        person=person,
        author=actor,
        held_on=timezone.localdate(),
        horizon_years=horizon_years,
        aspirations=_text(aspirations, "aspirations", "the aspirations"),
        target_role=target_role,
        capabilities=list(dict.fromkeys(capabilities)),
        experiences=experiences.strip(),
    )
    if set_target and person.target_role != target_role:
        person.target_role = target_role
        person.save(update_fields=["target_role"])
    return conversation


def plan_focus(person: Person) -> list[str]:
    """The capabilities the latest growth conversation put first, for the next plan."""
    latest = person.growth_conversations.first()
    return list(latest.capabilities) if latest else []
