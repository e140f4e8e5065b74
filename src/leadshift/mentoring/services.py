from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from leadshift.coaching.models import Series
from leadshift.core.errors import Invalid, NotAllowed
from leadshift.frameworks.services import framework_for
from leadshift.mentoring import access, matching
from leadshift.mentoring.estimates import candidates, own_level
from leadshift.mentoring.models import Proposal, Request
from leadshift.outbox.headers import outbox_headers
from leadshift.people.models import Person

MENTORING_CADENCE = "monthly"


def _mentee_view(mentee: Person, capability: str) -> matching.Mentee:
    fw = framework_for(mentee.organisation).data
    if not fw.has_capability(capability):
        raise Invalid(f"unknown capability {capability!r}", field="capability")
    level, source = own_level(mentee, capability)
    return matching.Mentee(
        person_id=mentee.id,
        capability_id=capability,
        capability_name=fw.capability(capability).name,
        level=level,
        level_source=source,
        reporting_line=access.reporting_line(mentee),
    )


def _named(view: matching.Mentee, mentor: Person, organisation_cands: list) -> matching.Match:
    """A colleague the mentee names: the reason says what their 360 shows, if anything."""
    mine = next((c for c in organisation_cands if c.person_id == mentor.id), None)
    what = view.capability_name.lower()
    if mine is None:
        return matching.Match(
            mentor.id, mentor.name, matching.Estimate(0.0), "", "asked by name", "asked by name"
        )
    text = f"{mine.estimate.text()} on {what} in the 360 of {mine.cycle_label}"
    return matching.Match(
        mentor.id,
        mentor.name,
        mine.estimate,
        mine.cycle_label,
        f"asked by name; {text}",
        f"asked by name; your {text}",
    )


@transaction.atomic
def do_request_mentor(
    mentee: Person, capability: str, *, note: str = "", mentor: Person | None = None
) -> Request:
    """Ask for a mentor in a capability: the matcher's proposals are kept with their reasons.
    Naming a mentor asks them straight away (still only from outside the reporting line)."""
    view = _mentee_view(mentee, capability)
    if mentor is not None:
        access.check_may_mentor(mentor, mentee)
    open_already = [
        r for r in mentee.mentor_requests.filter(capability=capability) if r.state != "matched"
    ]
    if open_already:
        raise Invalid(
            f"you already asked for a mentor in {view.capability_name}; "
            "ask one of its proposals or wait for their answer",
            field="capability",
        )
    pool = candidates(mentee.organisation, capability)
    matches = matching.propose(view, pool)
    if mentor is not None:
        matches = [_named(view, mentor, pool)] + [m for m in matches if m.person_id != mentor.id]
    if not matches:
        raise Invalid(
            f"no one outside your reporting line has a released 360 strong enough in "
            f"{view.capability_name} yet; name a colleague you would like to ask",
            field="capability",
        )
    request = Request.objects.create(mentee=mentee, capability=capability, note=note.strip()[:500])
    mentors = {p.id: p for p in Person.objects.filter(pk__in=[m.person_id for m in matches])}
    created = Proposal.objects.bulk_create(
        Proposal(
            request=request,
            mentor=mentors[m.person_id],
            rank=rank,
            reason=m.reason[:300],
            mentor_reason=m.mentor_reason[:300],
            status=Proposal.Status.ASKED
            if mentor is not None and m.person_id == mentor.id
            else Proposal.Status.PROPOSED,
        )
        for rank, m in enumerate(matches, start=1)
    )
    for proposal in created:
        if proposal.status == Proposal.Status.ASKED:
            _tell_mentor(proposal)
    return request


@transaction.atomic
def do_ask(proposal: Proposal, mentee: Person) -> Proposal:
    """The mentee's yes: they ask this colleague. One ask at a time per request."""
    if proposal.request.mentee_id != mentee.id:
        raise NotAllowed("only the person asking for a mentor chooses whom to ask")
    state = proposal.request.state
    if state != "open":
        raise Invalid(
            "a mentor already accepted" if state == "matched" else "wait for the answer first"
        )
    if proposal.status != Proposal.Status.PROPOSED:
        raise Invalid(f"{proposal.mentor.name} already answered")
    access.check_may_mentor(proposal.mentor, mentee)
    proposal.status = Proposal.Status.ASKED
    proposal.save(update_fields=["status"])
    _tell_mentor(proposal)
    return proposal


def _tell_mentor(proposal: Proposal) -> None:
    """A notice without the reason: an admin may read it in the outbox, and the reason holds
    the mentor's 360 estimate."""
    mentee, mentor = proposal.request.mentee, proposal.mentor
    fw = framework_for(mentee.organisation).data
    what = fw.capability(proposal.request.capability).name
    url = settings.SITE_URL.rstrip("/") + reverse("mentoring_index")
    EmailMessage(
        f"{mentee.name} asks you to be their mentor",
        f"Hello {mentor.name},\n\n{mentee.name} asks you to mentor them in {what}. "
        f"See why LeadShift proposed you, and accept or decline, under “Asked of you”: "
        f"{url}\n",
        None,
        [mentor.email],
        headers=outbox_headers(organisation_id=mentee.organisation_id, kind="mentor-request"),
    ).send()


@transaction.atomic
def do_answer(proposal: Proposal, mentor: Person, *, accept: bool) -> Proposal:
    """The mentor's yes or no; a yes starts the pair's 1:1 series (the mentor leads it)."""
    from leadshift.coaching.services import do_start_series

    proposal = (
        Proposal.objects.select_for_update().select_related("request__mentee").get(pk=proposal.pk)
    )
    if proposal.mentor_id != mentor.id:
        raise NotAllowed("only the person asked answers")
    if proposal.status != Proposal.Status.ASKED:
        raise Invalid("this request has been answered already")
    mentee = proposal.request.mentee
    proposal.decided_at = timezone.now()
    if not accept:
        proposal.status = Proposal.Status.DECLINED
        proposal.save(update_fields=["status", "decided_at"])
        return proposal
    access.check_may_mentor(mentor, mentee)
    proposal.status = Proposal.Status.ACCEPTED
    proposal.save(update_fields=["status", "decided_at"])
    series = Series.objects.filter(leader=mentor, person=mentee).first() or do_start_series(
        mentor, mentee, cadence=MENTORING_CADENCE
    )
    proposal.series = series
    proposal.save(update_fields=["series"])
    return proposal


def focus_of(series: Series) -> list[tuple[str, str]]:
    """(mentee, what they asked to learn) for each request this series answers."""
    names = {c.id: c.name for c in framework_for(series.person.organisation).data.capabilities}
    found = Proposal.objects.filter(series=series, status=Proposal.Status.ACCEPTED).select_related(
        "request"
    )
    return [
        (
            series.person.name,
            f"Mentoring in {names.get(p.request.capability, p.request.capability)}"
            + (f": {p.request.note}" if p.request.note else ""),
        )
        for p in found
    ]


def request_json(request: Request) -> dict:
    """A request as its mentee sees it: every proposal with the reason."""
    return {
        "id": request.id,
        "capability": request.capability,
        "note": request.note,
        "state": request.state,
        "created_at": request.created_at.isoformat(),
        "proposals": [
            {
                "id": p.id,
                "mentor": {"id": p.mentor_id, "name": p.mentor.name},
                "reason": p.reason,
                "status": p.status,
                "series": p.series_id,
            }
            for p in request.proposals.select_related("mentor")
        ],
    }


def asked_json(proposal: Proposal) -> dict:
    """A proposal as the mentor sees it: who asks, in what, and why them; not the mentee's
    levels."""
    return {
        "id": proposal.id,
        "mentee": {"id": proposal.request.mentee_id, "name": proposal.request.mentee.name},
        "capability": proposal.request.capability,
        "note": proposal.request.note,
        "reason": proposal.mentor_reason,
        "status": proposal.status,
        "series": proposal.series_id,
    }


def overview(leader: Person) -> dict:
    """Who mentors whom among the people the leader leads, and who has no mentor."""
    people = list(
        Person.objects.visible_to(leader).active().exclude(pk=leader.pk).order_by("name", "id")
    )
    ids = {p.id for p in people}
    pairs = (
        Proposal.objects.filter(status=Proposal.Status.ACCEPTED, request__mentee_id__in=ids)
        .select_related("mentor", "request__mentee")
        .order_by("request__mentee__name", "mentor__name", "id")
    )
    rows = [
        {
            "mentor": {"id": p.mentor_id, "name": p.mentor.name},
            "mentee": {"id": p.request.mentee_id, "name": p.request.mentee.name},
            "capability": p.request.capability,
            "series": p.series_id,
        }
        for p in pairs
    ]
    mentored = {r["mentee"]["id"] for r in rows}
    return {
        "leader": {"id": leader.id, "name": leader.name},
        "pairs": rows,
        "without_mentor": [{"id": p.id, "name": p.name} for p in people if p.id not in mentored],
    }
