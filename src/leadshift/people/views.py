from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.models import AbstractBaseUser
from django.db.models.functions import Lower, Round
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from leadshift.assessments.readiness import Verdict
from leadshift.assessments.services import latest_two_complete
from leadshift.assessments.standing import readiness_counts, with_latest_readiness
from leadshift.core.errors import Invalid
from leadshift.core.listing import Column
from leadshift.core.lists import list_page
from leadshift.people.access import person_required, visible_person
from leadshift.people.erasure import do_erase_person
from leadshift.people.forms import SignupForm, TokenForm
from leadshift.people.models import Person
from leadshift.people.services import do_create_api_token
from leadshift.people.signup import do_confirm_sign_up, do_sign_up, user_for_link
from leadshift.pulse.trend import trend_context as pulse_trend_context


def signup(request: HttpRequest) -> HttpResponse:
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            answer = do_sign_up(
                name=d["name"],
                email=d["email"],
                title=d["title"],
                organisation=d["organisation"],
                password=d["password"],
            )
        except Invalid as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            if answer.ask_admin_of:
                return render(request, "people/signup_ask_admin.html", {"org": answer.ask_admin_of})
            if answer.confirmed is not None:
                return _welcome(request, answer.confirmed)
            return render(request, "people/signup_sent.html", {"email": d["email"]})
    return render(request, "people/signup.html", {"form": form})


def signup_confirm(request: HttpRequest, uidb64: str, token: str) -> HttpResponse:
    user = user_for_link(uidb64, token)
    if user is None:
        return render(request, "people/signup_link_invalid.html", status=400)
    do_confirm_sign_up(user)
    return _welcome(request, user)


def _welcome(request: HttpRequest, user: AbstractBaseUser) -> HttpResponse:
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    person = Person.objects.get(user=user)
    messages.success(request, f"Welcome, {person.name}. Start with your self-assessment.")
    return redirect("home")


TEAM_COLUMNS = [
    Column("name", "Person", lambda p: p.name, search=True, field="name"),
    Column("title", "Title", lambda p: p.title, search=True, sortable=False, field="title"),
    Column(
        "team",
        "Team",
        lambda p: p.team.name if p.team else "",
        search=True,
        facet=True,
        field="team__name",
    ),
    Column(
        "role",
        "Target role",
        lambda p: p.role_label,
        facet=True,
        field="role_label",
        order=Lower("role_label"),
    ),
    Column(
        "readiness",
        "Readiness",
        lambda p: None if p.latest_readiness is None else round(p.latest_readiness),
        field="latest_readiness",
        order=Round("latest_readiness"),
    ),
    Column(
        "verdict",
        "Verdict",
        lambda p: p.verdict_label,
        facet=True,
        field="verdict_label",
        order=Lower("verdict_label"),
    ),
]


@person_required
def team(request: HttpRequest) -> HttpResponse:
    viewer = request.person
    # Closest to ready first: that is who a leader is deciding about. Read, counted, sorted
    # and paged in SQL from each assessment's kept readiness (assessments/standing.py).
    people = with_latest_readiness(
        viewer.organisation,
        Person.objects.visible_to(viewer).exclude(pk=viewer.pk).select_related("team"),
    )
    counts, unassessed = readiness_counts(people)
    shown = [(v, counts[v]) for v in (Verdict.READY_NOW, Verdict.READY_SOON, Verdict.NOT_YET)]
    return list_page(
        request,
        people,
        TEAM_COLUMNS,
        "people/team.html",
        {"counts": shown, "unassessed": unassessed},
        "team",
    )


@person_required
def person_detail(request: HttpRequest, person_id: int) -> HttpResponse:
    viewer = request.person
    person = visible_person(viewer, person_id)
    latest, previous = latest_two_complete(person)
    return render(
        request,
        "people/person.html",
        {
            "subject": person,
            "assessments": person.assessments.select_related("framework"),
            "plans": person.plans.all(),
            "latest": latest,
            "previous": previous,
            "profile": latest.profile() if latest else None,
            "pulse_trend": pulse_trend_context(person),
        },
    )


@person_required
def tokens(request: HttpRequest) -> HttpResponse:
    person = request.person
    form = TokenForm(request.POST or None)
    new_token = None
    if request.method == "POST" and form.is_valid():
        _, new_token = do_create_api_token(person, form.cleaned_data["name"])
        form = TokenForm()
    return render(
        request,
        "people/tokens.html",
        {"form": form, "tokens": person.api_tokens.order_by("-created_at"), "new_token": new_token},
    )


@require_POST
@person_required
def revoke_token(request: HttpRequest, token_id: int) -> HttpResponse:
    person = request.person
    deleted, _ = person.api_tokens.filter(pk=token_id).delete()
    if deleted:
        messages.success(request, "Token revoked. Anything using it can no longer sign in.")
    return redirect("tokens")


@person_required
def erase(request: HttpRequest, person_id: int) -> HttpResponse:
    """An admin erases a person's personal data, after confirming on this page."""
    admin = request.person
    person = Person.objects.filter(pk=person_id, organisation_id=admin.organisation_id).first()
    if person is None or not admin.is_admin:
        raise Http404("No such person")
    error = None
    if request.method == "POST":
        if request.POST.get("confirm", "").strip().lower() != person.email.lower():
            error = "Type the person's e-mail address exactly to confirm."
        else:
            name = person.name
            do_erase_person(person, admin)
            messages.success(request, f"{name}'s personal data is erased.")
            return redirect("home")
    return render(
        request,
        "people/erase.html",
        {"subject": person, "error": error},
        status=400 if error else 200,
    )
