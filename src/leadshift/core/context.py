from __future__ import annotations

from django.http import HttpRequest


def navigation(request: HttpRequest) -> dict:
    person = getattr(request, "person", None)
    return {
        "me": person,
        "nav_has_team": bool(person and person.has_reports),
        "nav_is_leader": bool(person and (person.is_admin or person.has_reports)),
    }
