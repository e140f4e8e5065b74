from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.models import AbstractBaseUser
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from leadshift.assessments.readiness import Verdict
from leadshift.assessments.services import latest_profiles_by_person, latest_two_complete
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
    Column("name", "Person", lambda r: r["person"].name, search=True),
    Column("title", "Title", lambda r: r["person"].title, search=True, sortable=False),
    Column(
        "team",
        "Team",
        lambda r: r["person"].team.name if r["person"].team else "",
        search=True,
        facet=True,
    ),
    Column(
        "role", "Target role", lambda r: r["profile"].role_name if r["profile"] else "", facet=True
    ),
    Column(
        "readiness", "Readiness", lambda r: round(r["profile"].readiness) if r["profile"] else None
    ),
    Column(
        "verdict",
        "Verdict",
        lambda r: r["profile"].verdict.label if r["profile"] else "Not assessed",
        facet=True,
    ),
]


@person_required
def team(request: HttpRequest) -> HttpResponse:
    viewer = request.person
    people = (
        Person.objects.visible_to(viewer).exclude(pk=viewer.pk).select_related("team", "manager")
    )
    people = list(people)
    profiles = latest_profiles_by_person(p.id for p in people)
    rows = [{"person": p, "profile": profiles.get(p.id)} for p in people]
    # Closest to ready first: that is who a leader is deciding about.
    order = {Verdict.READY_NOW: 0, Verdict.READY_SOON: 1, Verdict.NOT_YET: 2}
    rows.sort(
        key=lambda r: (
            order.get(r["profile"].verdict, 3) if r["profile"] else 4,
            -(r["profile"].readiness if r["profile"] else 0),
            r["person"].name,
        )
    )
    counts = [
        (v, sum(1 for r in rows if r["profile"] and r["profile"].verdict is v))
        for v in (Verdict.READY_NOW, Verdict.READY_SOON, Verdict.NOT_YET)
    ]
    unassessed = sum(1 for r in rows if r["profile"] is None)
    return list_page(
        request,
        rows,
        TEAM_COLUMNS,
        "people/team.html",
        {"counts": counts, "unassessed": unassessed},
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
