from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, ValidationError

from leadshift import __version__
from leadshift.api import (
    assessments,
    coaching,
    decisions,
    feedback,
    frameworks,
    growth,
    key_results,
    mentoring,
    people,
    portfolio,
    pulse,
    radar,
    reports,
    risk,
    stakeholders,
    sweeps,
    timeuse,
)
from leadshift.api.auth import PersonSessionAuth, TokenAuth
from leadshift.core.errors import Conflict, Invalid, NotAllowed, NotFound

api = NinjaAPI(
    title="LeadShift API",
    version=__version__,
    description=(
        "The REST API of LeadShift. Authenticate with `Authorization: Bearer <token>` "
        "(create a token on the Tokens page or with `leadshift token create EMAIL`). "
        "The same access rules as the web pages apply: you see yourself and the people "
        "who report to you, and nothing of another organisation."
    ),
    auth=[TokenAuth(), PersonSessionAuth()],
    urls_namespace="api",
)
api.add_router("", people.router)
api.add_router("", frameworks.router)
api.add_router("", assessments.router)
api.add_router("", growth.router)
api.add_router("", timeuse.router)
api.add_router("", stakeholders.router)
api.add_router("", reports.router)
api.add_router("", decisions.router)
api.add_router("", risk.router)
api.add_router("", portfolio.router)
api.add_router("", feedback.router)
api.add_router("", coaching.router)
api.add_router("", radar.router)
api.add_router("", key_results.router)
api.add_router("", mentoring.router)
api.add_router("", pulse.router)
api.add_router("", sweeps.router)


def _error(
    request: HttpRequest, status: int, exc: Exception, field: str | None = None
) -> HttpResponse:
    return api.create_response(request, {"detail": str(exc), "field": field}, status=status)


@api.exception_handler(Invalid)
def invalid(request: HttpRequest, exc: Invalid) -> HttpResponse:
    return _error(request, 400, exc, exc.field)


@api.exception_handler(NotAllowed)
def not_allowed(request: HttpRequest, exc: NotAllowed) -> HttpResponse:
    return _error(request, 403, exc)


@api.exception_handler(NotFound)
def not_found(request: HttpRequest, exc: NotFound) -> HttpResponse:
    return _error(request, 404, exc)


@api.exception_handler(Conflict)
def conflict(request: HttpRequest, exc: Conflict) -> HttpResponse:
    current = getattr(exc.current, "version", None)
    return api.create_response(
        request,
        {"detail": str(exc), "field": "version", "yours": exc.yours, "current_version": current},
        status=409,
    )


@api.exception_handler(ValidationError)
def validation(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    problems = []
    for err in exc.errors:
        where = ".".join(str(p) for p in err.get("loc", ()) if p not in ("body", "payload"))
        problems.append(f"{where}: {err.get('msg', 'invalid')}" if where else err.get("msg", ""))
    first = exc.errors[0].get("loc", ()) if exc.errors else ()
    field = ".".join(str(p) for p in first if p not in ("body", "payload")) or None
    return api.create_response(request, {"detail": "; ".join(problems), "field": field}, status=400)


@api.exception_handler(AuthenticationError)
def unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return api.create_response(
        request,
        {
            "detail": "sign in, or send a valid token as 'Authorization: Bearer <token>'",
            "field": None,
        },
        status=401,
    )


@api.exception_handler(Http404)
def http404(request: HttpRequest, exc: Http404) -> HttpResponse:
    return _error(request, 404, exc)
