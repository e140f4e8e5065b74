from __future__ import annotations

from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from leadshift.assessments.models import Assessment
from leadshift.assessments.services import latest_two_complete
from leadshift.core.home import getting_started, leader_home
from leadshift.core.search import search
from leadshift.decisions.services import reviews_due
from leadshift.feedback.services import asked_of
from leadshift.frameworks.services import framework_for
from leadshift.people.access import person_required
from leadshift.portfolio.access import is_leader


def home(request: HttpRequest) -> HttpResponse:
    person = getattr(request, "person", None)
    if person is None:
        if request.user.is_authenticated:
            return render(request, "core/no_person.html")
        return redirect("login")
    return dashboard(request)


@person_required
def dashboard(request: HttpRequest) -> HttpResponse:
    person = request.person
    latest, previous = latest_two_complete(person)
    draft = person.assessments.filter(status=Assessment.Status.DRAFT).first()
    plan = person.plans.first()
    today = timezone.localdate()
    return render(
        request,
        "core/dashboard.html",
        {
            "latest": latest,
            "previous": previous,
            "draft": draft,
            "profile": latest.profile() if latest else None,
            "plan": plan,
            "progress": plan.progress(today) if plan else None,
            "reports": person.reports.count(),
            "reviews_due": reviews_due(person, today),
            "checklist": getting_started(person),
            "leader": leader_home(person, today) if is_leader(person) else None,
            "asked": asked_of(person),
        },
    )


@person_required
def framework(request: HttpRequest) -> HttpResponse:
    from leadshift.behaviours.checklist import RULE
    from leadshift.behaviours.services import organisation_agreement

    fv = framework_for(request.person.organisation)
    agreement = organisation_agreement(request.person.organisation, fv.data)
    return render(
        request,
        "core/framework.html",
        {"fv": fv, "fw": fv.data, "agreement": agreement, "rule": RULE},
    )


def health(request: HttpRequest) -> JsonResponse:
    with connection.cursor() as cur:
        cur.execute("SELECT 1")
    return JsonResponse({"status": "ok", "database": connection.vendor})


@person_required
def search_page(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()
    return render(
        request, "core/search.html", {"query": query, "groups": search(request.person, query)}
    )
