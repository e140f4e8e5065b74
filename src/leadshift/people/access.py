"""Who may see what. Views and API handlers call these; they never query around them."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.contrib.auth.views import redirect_to_login
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse

from leadshift.core.errors import NotAllowed
from leadshift.people import roles
from leadshift.people.models import Person


def person_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Signed in and belonging to an organisation."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if getattr(request, "person", None) is None:
            return redirect_to_login(request.get_full_path())
        return view(request, *args, **kwargs)

    return wrapper


def visible_person(viewer: Person, person_id: int) -> Person:
    """The person, if the viewer may see them; otherwise 404, so nothing leaks that they exist."""
    person = (
        Person.objects.select_related("organisation", "manager", "team")
        .filter(pk=person_id, organisation_id=viewer.organisation_id)
        .first()
    )
    if person is None or not viewer.can_view(person):
        raise Http404("No such person")
    return person


M = TypeVar("M", bound=models.Model)


def visible_owned(
    viewer: Person,
    model: type[M],
    pk: int,
    owner: str,
    what: str,
    *,
    related: tuple[str, ...] = (),
) -> M:
    """The `model` row `pk` if the viewer may see the person in its `owner` field; otherwise
    404, the same whether the row is missing, of another organisation, or not theirs to see."""
    row = (
        model._default_manager.select_related(owner, f"{owner}__manager", *related)
        .filter(pk=pk, **{f"{owner}__organisation_id": viewer.organisation_id})
        .first()
    )
    if row is None or not viewer.can_view(getattr(row, owner)):
        raise Http404(f"No such {what}")
    return row


def check_admin(actor: Person | None, organisation_id: int) -> None:
    """Raise NotAllowed unless the actor administers this organisation (None: the CLI operator)."""
    if actor is None:
        return
    if actor.organisation_id != organisation_id or not roles.is_admin(actor):
        raise NotAllowed("only the organisation's admins may manage its people and teams")


def admin_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Signed in and an admin; anyone else gets 404 (the page does not exist for them)."""

    @person_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not roles.is_admin(request.person):
            raise Http404("No such page")
        return view(request, *args, **kwargs)

    return wrapper
