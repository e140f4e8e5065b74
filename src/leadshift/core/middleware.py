from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from leadshift.core.conflict import conflict_page
from leadshift.core.errors import Conflict, Invalid, NotAllowed, NotFound


class ServiceErrorMiddleware:
    """A service's refusal that no view handled becomes a page that says what happened."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exc: Exception) -> HttpResponse | None:
        if request.path.startswith("/api/"):
            return None
        if isinstance(exc, Conflict):
            return conflict_page(request, exc)
        if isinstance(exc, NotAllowed):
            status = 403
        elif isinstance(exc, NotFound):
            status = 404
        elif isinstance(exc, Invalid):
            status = 400
        else:
            return None
        return render(
            request, "core/error.html", {"status": status, "message": str(exc)}, status=status
        )
