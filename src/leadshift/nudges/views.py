from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from leadshift.nudges import services
from leadshift.nudges.forms import DigestForm
from leadshift.nudges.gather import digest_for
from leadshift.people.access import person_required


@person_required
def settings_page(request: HttpRequest) -> HttpResponse:
    """Your settings: the weekly digest on or off, and what this week's would hold."""
    me = request.person
    # An unticked box posts nothing: the form is bound whenever the method is POST.
    bound = request.POST if request.method == "POST" else None
    form = DigestForm(bound, instance=services.setting_of(me))
    if request.method == "POST" and form.is_valid():
        weekly = form.cleaned_data["weekly_digest"]
        services.do_set_digest(me, weekly=weekly)
        messages.success(
            request, "The weekly digest is on." if weekly else "The weekly digest is off."
        )
        return redirect("settings")
    return render(request, "nudges/settings.html", {"form": form, "digest": digest_for(me)})
