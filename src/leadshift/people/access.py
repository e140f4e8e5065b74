"""Who may see what. Views and API handlers call these; they never query around them."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse

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
