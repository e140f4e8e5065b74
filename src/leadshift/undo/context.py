from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from leadshift.undo.models import Deletion
from leadshift.undo.views import SESSION_KEY


def undo_offer(request: HttpRequest) -> dict[str, Any]:
    """The delete this person just made, offered once, on the page they land on next."""
    person = getattr(request, "person", None)
    session = getattr(request, "session", None)
    if person is None or session is None or SESSION_KEY not in session:
        return {}
    deletion = Deletion.objects.filter(pk=session.pop(SESSION_KEY), actor=person).first()
    if deletion is None or not deletion.restorable():
        return {}
    return {"undo_offer": deletion}
