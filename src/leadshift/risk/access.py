"""Who may see and change the risk register and simulations: the portfolio's rule.

The organisation's leaders (the leader role, people/roles.py) and admins see and change them; everyone
else gets 404; nothing of another organisation, ever. The command line (actor None) is the
operator and may do anything.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse

from leadshift.core.errors import NotAllowed
from leadshift.people.access import person_required
from leadshift.people.models import Person
from leadshift.people.roles import is_leader


def check_leader(actor: Person | None, organisation_id: int) -> None:
    if actor is None:
        return
    if actor.organisation_id != organisation_id or not is_leader(actor):
        raise NotAllowed("only the organisation's leaders and admins may change the risk register")


def leader_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @person_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not is_leader(request.person):
            raise Http404("No such page")
        return view(request, *args, **kwargs)

    return wrapper
