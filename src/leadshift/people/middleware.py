from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse


class CurrentPersonMiddleware:
    """Puts the signed-in user's Person (or None) on the request as `request.person`."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        person = None
        if request.user.is_authenticated:
            from leadshift.people.models import Person

            person = (
                Person.objects.select_related("organisation", "manager", "team")
                .filter(user=request.user)
                .first()
            )
        request.person = person
        return self.get_response(request)
