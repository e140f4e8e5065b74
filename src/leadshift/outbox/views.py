from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from leadshift.core.errors import NotFound
from leadshift.outbox import services
from leadshift.outbox.delivery import in_outbox
from leadshift.people import roles
from leadshift.people.access import person_required
from leadshift.people.models import Person

PER_PAGE = 50


def _admin(request: HttpRequest) -> Person:
    person: Person = request.person
    if not roles.is_admin(person):
        raise Http404("No such page")
    return person


@person_required
def outbox(request: HttpRequest) -> HttpResponse:
    me = _admin(request)
    query = request.GET.get("q", "").strip()
    messages = services.search(services.readable(me), query)
    page = Paginator(messages, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "outbox/list.html",
        {
            "page": page,
            "query": query,
            "withheld": services.withheld(me),
            "in_outbox": in_outbox(),
        },
    )


@person_required
def message(request: HttpRequest, message_id: int) -> HttpResponse:
    me = _admin(request)
    try:
        m = services.readable_message(me, message_id)
    except NotFound:
        raise Http404("No such message") from None
    return render(request, "outbox/message.html", {"m": m})
