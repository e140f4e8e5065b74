"""Who may see and change the portfolio.

* The organisation's **leaders** (the leader role, people/roles.py) and its **admins** see and change the
  whole portfolio: objectives, products, capacity, initiatives, scenarios, runs, the plan of
  record. The portfolio is the organisation's, not one leader's: any leader may change it.
* Everyone else in the organisation (a PM without reports) sees the **plan of record**, read
  only, and nothing else of the portfolio; other portfolio pages and endpoints answer 404.
* Nobody sees anything of another organisation: 404.
* The command line (``actor`` None) is the operator of the installation and may do anything.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse

from leadshift.core.errors import NotAllowed
from leadshift.people.access import person_required
from leadshift.people.models import Organisation, Person
from leadshift.people.roles import is_leader


def check_leader(actor: Person | None, organisation: Organisation | int) -> None:
    """Raise NotAllowed unless the actor leads in this organisation (None: the CLI operator)."""
    if actor is None:
        return
    org_id = organisation if isinstance(organisation, int) else organisation.id
    if actor.organisation_id != org_id or not is_leader(actor):
        raise NotAllowed("only the organisation's leaders and admins may change the portfolio")


def check_member(actor: Person | None, organisation: Organisation | int) -> None:
    if actor is None:
        return
    org_id = organisation if isinstance(organisation, int) else organisation.id
    if actor.organisation_id != org_id:
        raise NotAllowed("that belongs to another organisation")


def leader_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Signed in, and a leader or admin; anyone else gets 404 (the page does not exist for them)."""

    @person_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not is_leader(request.person):
            raise Http404("No such page")
        return view(request, *args, **kwargs)

    return wrapper
