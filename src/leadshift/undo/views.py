from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.text import capfirst
from django.views.decorators.http import require_POST

from leadshift.core.errors import Invalid, NotFound
from leadshift.people.access import person_required
from leadshift.undo.models import Deletion
from leadshift.undo.services import do_undo

SESSION_KEY = "undo_offer"


def offer_undo(request: HttpRequest, deletion: Deletion | None) -> None:
    """Show the way back beside the page's message on the next page the person sees."""
    if deletion is not None:
        request.session[SESSION_KEY] = deletion.pk


@require_POST
@person_required
def undo(request: HttpRequest, deletion_id: int) -> HttpResponse:
    try:
        deletion = do_undo(request.person, deletion_id)
    except (Invalid, NotFound) as exc:
        messages.error(request, capfirst(exc.message) + ".")
        return redirect("home")
    messages.success(request, f"Put back {deletion.what}.")
    return redirect(deletion.back_to or "home")
