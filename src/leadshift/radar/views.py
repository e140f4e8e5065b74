from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from leadshift.core.errors import Invalid, NotAllowed, NotFound
from leadshift.people.access import person_required, visible_person
from leadshift.people.models import Person
from leadshift.radar import services


def _leader(request: HttpRequest) -> Person:
    """Whose radar: ?person=ID (someone the viewer may see), else the viewer's own."""
    raw = request.GET.get("person") or request.POST.get("person") or ""
    return visible_person(request.person, int(raw)) if raw.isdigit() else request.person


def _radar(request: HttpRequest) -> services.Radar:
    try:
        return services.radar_for(_leader(request), request.person)
    except NotFound:
        raise Http404("No such radar") from None


def _back(leader: Person, viewer: Person) -> str:
    url = reverse("radar")
    return url if leader.id == viewer.id else f"{url}?person={leader.id}"


@person_required
def radar(request: HttpRequest, error: str = "", status: int = 200) -> HttpResponse:
    r = _radar(request)
    rows = [
        {"s": s, "decision_url": services.decision_url(s), "returned": r.returned(s.key)}
        for s in r.active
    ]
    return render(
        request,
        "radar/radar.html",
        {
            "radar": r,
            "rows": rows,
            "dismissed": r.sorted.dismissed,
            "own": r.leader.id == request.person.id,
            "threshold_pct": round(100 * r.threshold),
            "error": error,
        },
        status=status,
    )


@require_POST
@person_required
def dismiss(request: HttpRequest) -> HttpResponse:
    r = _radar(request)
    try:
        services.do_dismiss(
            r.leader, request.person, request.POST.get("key", ""), request.POST.get("reason", "")
        )
    except (Invalid, NotFound) as exc:
        return radar(request, error=exc.message, status=400)
    messages.success(request, "Dismissed, with your reason. It comes back if the evidence changes.")
    return redirect(_back(r.leader, request.person))


@require_POST
@person_required
def threshold(request: HttpRequest) -> HttpResponse:
    r = _radar(request)
    raw = request.POST.get("objective_threshold", "").strip().rstrip("%").strip()
    try:
        services.do_set_threshold(r.leader, request.person, float(raw.replace(",", ".")) / 100)
    except NotAllowed as exc:
        return radar(request, error=f"Threshold: {exc.message}.", status=403)
    except (Invalid, ValueError):
        return radar(
            request,
            error=f"Threshold: enter a percentage between 0 and 100, not “{raw}”.",
            status=400,
        )
    messages.success(request, "Saved your threshold.")
    return redirect(_back(r.leader, request.person))


@require_POST
@person_required
def scenario(request: HttpRequest) -> HttpResponse:
    r = _radar(request)
    try:
        made = services.do_scenario_without(r.leader, request.person, request.POST.get("key", ""))
    except (Invalid, NotFound) as exc:
        return radar(request, error=exc.message, status=400)
    messages.success(
        request,
        f"Made the scenario “{made.name}” and started the optimiser on it; "
        "the comparison with the plan of record fills in when the run is done.",
    )
    return redirect(services.compare_url(made))
