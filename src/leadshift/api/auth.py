from __future__ import annotations

from django.http import HttpRequest
from ninja.security import HttpBearer, SessionAuth

from leadshift.people.models import Person
from leadshift.people.services import person_for_token


class TokenAuth(HttpBearer):
    """`Authorization: Bearer ls_…` with a personal token from the Tokens page or the CLI."""

    def authenticate(self, request: HttpRequest, token: str) -> Person | None:
        person = person_for_token(token)
        if person is not None:
            request.person = person
        return person


class PersonSessionAuth(SessionAuth):
    """The browser's session (with CSRF), for the pages' own calls."""

    def authenticate(self, request: HttpRequest, key: str | None) -> Person | None:
        user = super().authenticate(request, key)
        return getattr(request, "person", None) if user else None


def actor(request: HttpRequest) -> Person:
    person = request.auth
    assert isinstance(person, Person)
    return person
