from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from leadshift.core.errors import Invalid, NotAllowed, NotFound
from leadshift.frameworks.services import framework_for
from leadshift.mentoring import access, services
from leadshift.mentoring.models import Proposal
from leadshift.people.access import person_required
from leadshift.people.models import Person


def _names(request: HttpRequest) -> dict[str, str]:
    return {c.id: c.name for c in framework_for(request.person.organisation).data.capabilities}


@person_required
def index(request: HttpRequest) -> HttpResponse:
    """Your requests and their proposals, the requests you were asked about, and a form to ask."""
    me = request.person
    names = _names(request)
    return render(
        request,
        "mentoring/index.html",
        {
            "requests": [
                (
                    r,
                    names.get(r.capability, r.capability),
                    list(r.proposals.select_related("mentor")),
                )
                for r in me.mentor_requests.prefetch_related("proposals")
            ],
            "asked": [
                (p, names.get(p.request.capability, p.request.capability))
                for p in access.asked_of(me)
            ],
            "capabilities": sorted(names.items(), key=lambda kv: kv[1]),
        },
    )


@person_required
@require_POST
def ask(request: HttpRequest) -> HttpResponse:
    try:
        services.do_request_mentor(
            request.person,
            request.POST.get("capability", ""),
            note=request.POST.get("note", ""),
        )
    except Invalid as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "Here is who could mentor you, and why. Ask one of them.")
    return redirect("mentoring_index")


def _proposal(
    getter: Callable[[Person, int], Proposal], request: HttpRequest, proposal_id: int
) -> Proposal:
    try:
        return getter(request.person, proposal_id)
    except NotFound as exc:
        raise Http404(exc.message) from exc


@person_required
@require_POST
def ask_mentor(request: HttpRequest, proposal_id: int) -> HttpResponse:
    proposal = _proposal(access.proposal_to_mentee, request, proposal_id)
    try:
        services.do_ask(proposal, request.person)
    except (Invalid, NotAllowed) as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"Asked {proposal.mentor.name}; the request shows their answer.")
    return redirect("mentoring_index")


@person_required
@require_POST
def answer(request: HttpRequest, proposal_id: int) -> HttpResponse:
    proposal = _proposal(access.proposal_to_mentor, request, proposal_id)
    accept = request.POST.get("answer") == "accept"
    try:
        proposal = services.do_answer(proposal, request.person, accept=accept)
    except (Invalid, NotAllowed) as exc:
        messages.error(request, exc.message)
        return redirect("mentoring_index")
    mentee = proposal.request.mentee.name
    if not accept:
        messages.success(request, f"Declined; {mentee} can ask someone else.")
        return redirect("mentoring_index")
    messages.success(request, f"You mentor {mentee} now: your 1:1 series is ready.")
    return redirect("coaching_series", proposal.series_id)


@person_required
def overview(request: HttpRequest) -> HttpResponse:
    """Who mentors whom among the people you lead, and who has no one."""
    if not request.person.has_reports:
        raise Http404("No such page")
    data = services.overview(request.person)
    names = _names(request)
    for row in data["pairs"]:
        row["capability_name"] = names.get(row["capability"], row["capability"])
    return render(request, "mentoring/overview.html", {"data": data})
