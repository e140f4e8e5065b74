"""The admin's pages: people, teams, imports and invitations of their organisation."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from leadshift.core.errors import Invalid
from leadshift.files import InputError
from leadshift.outbox.delivery import describe
from leadshift.people import invitations, roles, services
from leadshift.people.access import admin_required
from leadshift.people.forms import AcceptInvitationForm, InviteForm, PersonForm, TeamForm
from leadshift.people.models import Invitation, Person, Team
from leadshift.uploads.services import do_queue_people_import, in_background


def _base_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/").rstrip("/")


def _org_person(request: HttpRequest, person_id: int) -> Person:
    return get_object_or_404(
        Person.objects.select_related("manager", "team"),
        pk=person_id,
        organisation_id=request.person.organisation_id,
    )


def _form_error(form: PersonForm | InviteForm | TeamForm, exc: Invalid) -> None:
    form.add_error(exc.field if exc.field in form.fields else None, exc.message)


@admin_required
def people_list(request: HttpRequest) -> HttpResponse:
    org = request.person.organisation
    people = Person.objects.filter(organisation=org).select_related("manager", "team")
    show = request.GET.get("show", "active")
    if show != "all":
        people = people.filter(is_active=True)
    rows = [{"p": p, "roles": roles.roles_of(p)} for p in people]
    return render(request, "people/admin/people.html", {"rows": rows, "show": show})


@admin_required
def person_add(request: HttpRequest) -> HttpResponse:
    org = request.person.organisation
    form = PersonForm(request.POST or None, organisation=org)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            p = services.do_create_person(
                request.person,
                org,
                email=d["email"],
                name=d["name"],
                title=d["title"],
                manager=d["manager"],
                team=d["team"],
                target_role=d["target_role"],
                role_names=set(d["roles"]),
            )
        except Invalid as exc:
            _form_error(form, exc)
        else:
            messages.success(request, f"{p.name} added. Invite them to let them sign in.")
            return redirect("people_admin")
    return render(request, "people/admin/person_form.html", {"form": form, "subject": None})


@admin_required
def person_edit(request: HttpRequest, person_id: int) -> HttpResponse:
    org = request.person.organisation
    person = _org_person(request, person_id)
    initial = {
        "email": person.email,
        "name": person.name,
        "title": person.title,
        "manager": person.manager,
        "team": person.team,
        "target_role": person.target_role,
        "roles": [r for r in roles.roles_of(person) if r != roles.MEMBER],
    }
    form = PersonForm(request.POST or None, organisation=org, person=person, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.do_update_person(
                request.person,
                person,
                name=d["name"],
                title=d["title"],
                manager=d["manager"],
                team=d["team"],
                target_role=d["target_role"],
                role_names=set(d["roles"]),
            )
        except Invalid as exc:
            _form_error(form, exc)
        else:
            messages.success(request, f"{person.name} saved.")
            return redirect("people_admin")
    return render(request, "people/admin/person_form.html", {"form": form, "subject": person})


@require_POST
@admin_required
def person_deactivate(request: HttpRequest, person_id: int) -> HttpResponse:
    person = _org_person(request, person_id)
    try:
        services.do_deactivate_person(request.person, person)
    except Invalid as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            f"{person.name} is deactivated: they can no longer sign in; their history stays.",
        )
    return redirect("people_admin")


@require_POST
@admin_required
def person_reactivate(request: HttpRequest, person_id: int) -> HttpResponse:
    person = _org_person(request, person_id)
    services.do_reactivate_person(request.person, person)
    messages.success(request, f"{person.name} is active again.")
    return redirect("people_admin")


@admin_required
def people_import(request: HttpRequest) -> HttpResponse:
    problems: list[str] = []
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            problems = ["choose a CSV or YAML file"]
        else:
            filename = upload.name or "upload"
            try:
                text = upload.read().decode("utf-8")
                if in_background():  # checked now, written by the task worker
                    queued = do_queue_people_import(
                        request.person, request.person.organisation, text, filename
                    )
                    return redirect("upload", queued.id)
                counts = services.do_import_people(
                    request.person, request.person.organisation, text, filename
                )
            except UnicodeDecodeError:
                problems = [f"{filename}: the file is not UTF-8 text"]
            except InputError as exc:
                problems = [p.describe(exc.filename) for p in exc.problems]
            else:
                messages.success(
                    request,
                    f"Imported {filename}: {counts['added']} added, {counts['updated']} updated.",
                )
                return redirect("people_admin")
    return render(request, "people/admin/import.html", {"problems": problems})


@admin_required
def teams(request: HttpRequest) -> HttpResponse:
    org = request.person.organisation
    form = TeamForm(request.POST or None, organisation=org)
    if request.method == "POST" and form.is_valid():
        try:
            t = services.do_create_team(
                request.person, org, form.cleaned_data["name"], form.cleaned_data["lead"]
            )
        except Invalid as exc:
            _form_error(form, exc)
        else:
            messages.success(request, f"Team {t.name} created.")
            return redirect("teams_admin")
    return render(
        request,
        "people/admin/teams.html",
        {"form": form, "teams": services.teams_with_counts(org)},
    )


@admin_required
def team_edit(request: HttpRequest, team_id: int) -> HttpResponse:
    org = request.person.organisation
    team = get_object_or_404(Team, pk=team_id, organisation=org)
    form = TeamForm(
        request.POST or None, organisation=org, initial={"name": team.name, "lead": team.lead}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.do_update_team(
                request.person, team, name=form.cleaned_data["name"], lead=form.cleaned_data["lead"]
            )
        except Invalid as exc:
            _form_error(form, exc)
        else:
            messages.success(request, f"Team {team.name} saved.")
            return redirect("teams_admin")
    return render(request, "people/admin/team_form.html", {"form": form, "team": team})


@require_POST
@admin_required
def team_archive(request: HttpRequest, team_id: int) -> HttpResponse:
    team = get_object_or_404(Team, pk=team_id, organisation=request.person.organisation)
    archive = request.POST.get("archive", "1") == "1"
    services.do_update_team(request.person, team, archived=archive)
    messages.success(request, f"Team {team.name} {'archived' if archive else 'restored'}.")
    return redirect("teams_admin")


@admin_required
def invitation_list(request: HttpRequest) -> HttpResponse:
    org = request.person.organisation
    form = InviteForm(request.POST or None, organisation=org)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            inv = invitations.do_invite(
                request.person,
                org,
                d["email"],
                manager=d["manager"],
                team=d["team"],
                role_names=set(d["roles"]),
                base_url=_base_url(request),
            )
        except Invalid as exc:
            _form_error(form, exc)
        else:
            messages.success(request, f"Invitation: {describe(inv.email, request).text}")
            return redirect("invitations_admin")
    return render(
        request,
        "people/admin/invitations.html",
        {"form": form, "pending": invitations.pending_invitations(org)},
    )


def _invitation(request: HttpRequest, invitation_id: int) -> Invitation:
    return get_object_or_404(
        Invitation, pk=invitation_id, organisation_id=request.person.organisation_id
    )


@require_POST
@admin_required
def invitation_resend(request: HttpRequest, invitation_id: int) -> HttpResponse:
    inv = _invitation(request, invitation_id)
    try:
        invitations.do_resend_invitation(request.person, inv, _base_url(request))
    except Invalid as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            f"Invitation again: {describe(inv.email, request).text} The earlier link no "
            "longer works.",
        )
    return redirect("invitations_admin")


@require_POST
@admin_required
def invitation_revoke(request: HttpRequest, invitation_id: int) -> HttpResponse:
    inv = _invitation(request, invitation_id)
    invitations.do_revoke_invitation(request.person, inv)
    messages.success(request, f"The invitation of {inv.email} is withdrawn.")
    return redirect("invitations_admin")


def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    state = invitations.invitation_for_link(token)
    if state.invitation is None:
        return render(
            request, "people/invitation_closed.html", {"problem": state.problem}, status=410
        )
    inv = state.invitation
    existing = Person.objects.filter(organisation=inv.organisation, email=inv.email).first()
    form = AcceptInvitationForm(
        request.POST or None, initial={"name": existing.name if existing else ""}
    )
    if request.method == "POST" and form.is_valid():
        try:
            person = invitations.do_accept_invitation(
                token, name=form.cleaned_data["name"], password=form.cleaned_data["password"]
            )
        except Invalid as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            login(request, person.user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, f"Welcome to {inv.organisation.name}, {person.name}.")
            return redirect("home")
    return render(request, "people/invitation_accept.html", {"form": form, "invitation": inv})
