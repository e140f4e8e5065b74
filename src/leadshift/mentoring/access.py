"""Who may mentor whom, and who sees which request. Like people/access.py: views, the API and
the command call these and never query around them. A mentor is no manager: they see the 1:1
series and its shared notes, never the mentee's plan, assessments or 360 (`Person.can_view`
stays false for them)."""

from __future__ import annotations

from leadshift.core.errors import NotAllowed, NotFound
from leadshift.mentoring.models import Proposal, Request
from leadshift.people.models import Person


def reporting_line(person: Person) -> frozenset[int]:
    """The person, their managers all the way up, and everyone below them."""
    ids = set(person.self_and_reports_ids())
    node, hops = person.manager, 0
    while node is not None and hops < 50:
        ids.add(node.id)
        node, hops = node.manager, hops + 1
    return frozenset(ids)


def check_may_mentor(mentor: Person, mentee: Person) -> None:
    """Someone of another organisation (or no longer active) is no one to this mentee; someone
    in their own reporting line is refused with the reason."""
    if mentor.organisation_id != mentee.organisation_id or not mentor.is_active:
        raise NotFound("no such person")
    if mentor.id in reporting_line(mentee):
        raise NotAllowed(
            f"{mentor.name} is in {mentee.name}'s own reporting line; "
            "a mentor comes from outside it"
        )


def mentors(mentor: Person, mentee: Person) -> bool:
    return Proposal.objects.filter(
        mentor=mentor, request__mentee=mentee, status=Proposal.Status.ACCEPTED
    ).exists()


def may_hold_oneonones(leader: Person, person: Person) -> bool:
    """A 1:1 series is for someone the leader leads (anywhere below them) or mentors."""
    if person.id == leader.id:
        return False
    return leader.can_view(person) or mentors(leader, person)


def own_request(viewer: Person, request_id: int) -> Request:
    """A request is its mentee's; to anyone else it does not exist."""
    found = Request.objects.filter(pk=request_id, mentee=viewer).first()
    if found is None:
        raise NotFound("no such mentor request")
    return found


def proposal_to_mentee(viewer: Person, proposal_id: int) -> Proposal:
    found = (
        Proposal.objects.select_related("request", "mentor", "request__mentee")
        .filter(pk=proposal_id, request__mentee=viewer)
        .first()
    )
    if found is None:
        raise NotFound("no such proposal")
    return found


def proposal_to_mentor(viewer: Person, proposal_id: int) -> Proposal:
    """Only a proposal the mentee has asked them about: a mentor never sees a list they were
    merely ranked in."""
    found = (
        Proposal.objects.select_related("request", "mentor", "request__mentee")
        .filter(pk=proposal_id, mentor=viewer)
        .exclude(status=Proposal.Status.PROPOSED)
        .first()
    )
    if found is None:
        raise NotFound("no such proposal")
    return found


def asked_of(mentor: Person) -> list[Proposal]:
    return list(
        Proposal.objects.select_related("request", "request__mentee")
        .filter(mentor=mentor)
        .exclude(status=Proposal.Status.PROPOSED)
        .order_by("-request__created_at", "id")
    )
