"""The page a stale web form gets: what the person submitted beside what is saved now, and a
choice between them (keep mine: submit again against the current version; keep theirs)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import models
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme

from leadshift.core.errors import Conflict

_NOT_FIELDS = {"csrfmiddlewaretoken", "version"}


def _shown(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, models.Model):
        return str(value)
    return str(value)


def _current_value(current: models.Model | None, name: str) -> str | None:
    """The saved value of the field a form input is named after, when the record has one."""
    if current is None:
        return None
    try:
        field = current._meta.get_field(name)
    except Exception:
        return None
    if field.many_to_many or field.one_to_many:
        return None
    return _shown(getattr(current, field.name, None))


def conflict_page(request: HttpRequest, exc: Conflict) -> HttpResponse:
    current: models.Model | None = exc.current
    rows = []
    for name in request.POST:
        if name in _NOT_FIELDS:
            continue
        yours = ", ".join(request.POST.getlist(name))
        theirs = _current_value(current, name)
        rows.append(
            {
                "name": name.replace("_", " "),
                "yours": yours,
                "current": theirs,
                "differs": theirs is not None and theirs != yours,
            }
        )
    resubmit = [
        (name, value)
        for name in request.POST
        if name not in _NOT_FIELDS
        for value in request.POST.getlist(name)
    ]
    back = request.META.get("HTTP_REFERER", "")
    if not url_has_allowed_host_and_scheme(back, {request.get_host()}, request.is_secure()):
        back = "/"
    return render(
        request,
        "core/conflict.html",
        {
            "message": exc.message,
            "rows": rows,
            "resubmit": resubmit,
            "action": request.get_full_path(),
            "current": current,
            "current_version": getattr(current, "version", None),
            "yours_version": exc.yours,
            "back": back,
        },
        status=409,
    )
