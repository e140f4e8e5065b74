from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Schema
from pydantic import Field

from leadshift.api.auth import actor
from leadshift.api.schemas import ERRORS, Id
from leadshift.core.errors import NotAllowed, NotFound
from leadshift.mentoring import access, services
from leadshift.people.models import Person

router = Router(tags=["Mentoring"])


class RequestIn(Schema):
    capability: str = Field(description="A capability id of the framework")
    note: str = Field("", max_length=500, description="What you hope to learn")
    mentor: Id | None = Field(
        None, description="A colleague to ask straight away (outside your reporting line)"
    )


class AnswerIn(Schema):
    accept: bool


@router.get("/mentoring/requests", response={200: list[dict], **ERRORS})
def my_requests(request: HttpRequest) -> list[dict]:
    """Your requests for a mentor, each with its proposals and their reasons."""
    me = actor(request)
    return [services.request_json(r) for r in me.mentor_requests.all()]


@router.post("/mentoring/requests", response={201: dict, **ERRORS})
def ask_for_mentor(request: HttpRequest, payload: RequestIn) -> tuple[int, dict]:
    me = actor(request)
    mentor = None
    if payload.mentor is not None:
        mentor = Person.objects.filter(pk=payload.mentor).first()
        if mentor is None:
            raise NotFound("no such person")
    req = services.do_request_mentor(me, payload.capability, note=payload.note, mentor=mentor)
    return 201, services.request_json(req)


@router.get("/mentoring/requests/{request_id}", response={200: dict, **ERRORS})
def request_detail(request: HttpRequest, request_id: Id) -> dict:
    return services.request_json(access.own_request(actor(request), request_id))


@router.post("/mentoring/proposals/{proposal_id}/ask", response={200: dict, **ERRORS})
def ask(request: HttpRequest, proposal_id: Id) -> dict:
    """Ask this proposed mentor (you accept the proposal); they accept or decline."""
    me = actor(request)
    proposal = services.do_ask(access.proposal_to_mentee(me, proposal_id), me)
    return services.request_json(proposal.request)


@router.get("/mentoring/asked", response={200: list[dict], **ERRORS})
def asked(request: HttpRequest) -> list[dict]:
    """The requests whose mentee asked you to mentor them."""
    return [services.asked_json(p) for p in access.asked_of(actor(request))]


@router.post("/mentoring/asked/{proposal_id}", response={200: dict, **ERRORS})
def answer(request: HttpRequest, proposal_id: Id, payload: AnswerIn) -> dict:
    """Accept (the pair's 1:1 series starts; its id is in `series`) or decline."""
    me = actor(request)
    proposal = services.do_answer(
        access.proposal_to_mentor(me, proposal_id), me, accept=payload.accept
    )
    return services.asked_json(proposal)


@router.get("/mentoring/overview", response={200: dict, **ERRORS})
def overview(request: HttpRequest) -> dict:
    """Who mentors whom among the people you lead, and who has no mentor."""
    me = actor(request)
    if not me.has_reports:
        raise NotAllowed("only someone who leads people sees who mentors them")
    return services.overview(me)
