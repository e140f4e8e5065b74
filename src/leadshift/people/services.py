from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db import models, transaction
from django.utils import timezone
from django.utils.text import slugify

from leadshift.core.errors import Invalid, NotFound
from leadshift.files import InputError
from leadshift.frameworks.services import ensure_default_framework, framework_for
from leadshift.people import importing, roles
from leadshift.people.access import check_admin
from leadshift.people.models import ApiToken, Organisation, Person, Team

TOKEN_PREFIX = "ls_"


def _unique_slug(name: str) -> str:
    base = slugify(name)[:60] or "org"
    slug, n = base, 1
    while Organisation.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def _create_user(
    email: str, password: str | None, *, password_hash: str | None = None
) -> AbstractBaseUser:
    User = get_user_model()
    if User.objects.filter(username__iexact=email).exists():
        raise Invalid(f"an account for {email} already exists; sign in instead", field="email")
    user = User.objects.create_user(username=email.lower(), email=email.lower())
    if password_hash:
        user.password = password_hash
    elif password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.save()
    return user


@transaction.atomic
def do_create_organisation(
    *,
    name: str,
    admin_name: str,
    admin_email: str,
    password: str | None,
    title: str = "",
    password_hash: str | None = None,
) -> Person:
    """A new organisation with its first person, who administers it."""
    if not name.strip():
        raise Invalid("the organisation needs a name", field="organisation")
    org = Organisation.objects.create(
        name=name.strip(), slug=_unique_slug(name), framework=ensure_default_framework()
    )
    user = _create_user(admin_email, password, password_hash=password_hash)
    return Person.objects.create(
        organisation=org,
        user=user,
        name=admin_name.strip(),
        email=admin_email.lower(),
        title=title,
        is_admin=True,
        is_leader=True,
    )


@transaction.atomic
def do_add_person(
    organisation: Organisation,
    *,
    name: str,
    email: str,
    title: str = "",
    team: Team | None = None,
    manager: Person | None = None,
    target_role: str = "",
    password: str | None = None,
    password_hash: str | None = None,
    is_admin: bool = False,
    is_leader: bool = False,
) -> Person:
    email = email.lower()
    _check_manager_and_team(organisation, manager, team)
    if Person.objects.filter(organisation=organisation, email=email).exists():
        raise Invalid(f"{email} is already in {organisation.name}", field="email")
    has_login = password is not None or password_hash is not None
    user = _create_user(email, password, password_hash=password_hash) if has_login else None
    if manager is not None:
        _make_leader(manager)
    return Person.objects.create(
        organisation=organisation,
        user=user,
        name=name,
        email=email,
        title=title,
        team=team,
        manager=manager,
        target_role=target_role,
        is_admin=is_admin,
        is_leader=is_leader,
    )


def _check_manager_and_team(
    organisation: Organisation, manager: Person | None, team: Team | None
) -> None:
    if manager is not None:
        if manager.organisation_id != organisation.id:
            raise Invalid("the manager belongs to another organisation", field="manager")
        if not manager.is_active:
            raise Invalid(f"{manager.name} is deactivated", field="manager")
    if team is not None:
        if team.organisation_id != organisation.id:
            raise Invalid("the team belongs to another organisation", field="team")
        if team.archived:
            raise Invalid(f"team {team.name} is archived", field="team")


def _make_leader(manager: Person) -> None:
    # Whoever is given a report leads (roles.py); an admin may take the role away later.
    if not manager.is_leader:
        manager.is_leader = True
        Person.objects.filter(pk=manager.pk).update(is_leader=True)


def _hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def do_create_api_token(person: Person, name: str = "cli") -> tuple[ApiToken, str]:
    """A new token; the raw value is returned once and only its hash is kept."""
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(person=person, name=name, prefix=raw[:10], key_hash=_hash(raw))
    return token, raw


# The tokens page shows the day a token was last used; writing on every request would make
# each API call a writer, and on SQLite every writer waits for the one write lock.
TOKEN_USE_RESOLUTION = dt.timedelta(minutes=10)


def person_for_token(raw: str) -> Person | None:
    token = (
        ApiToken.objects.select_related("person")
        .filter(key_hash=_hash(raw), person__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= TOKEN_USE_RESOLUTION:
        # Its own one-row UPDATE in autocommit, never inside a longer transaction.
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.person


def find_person(ref: str, organisation: Organisation | None = None) -> Person:
    """A person by e-mail address or id, as typed on the command line."""
    qs = Person.objects.select_related("organisation", "manager", "team")
    if organisation is not None:
        qs = qs.filter(organisation=organisation)
    found = list(qs.filter(id=int(ref))) if ref.isdigit() else list(qs.filter(email=ref.lower()))
    if not found:
        raise NotFound(f"no person {ref!r}")
    if len(found) > 1:
        orgs = ", ".join(p.organisation.slug for p in found)
        raise Invalid(f"{ref!r} is in several organisations ({orgs}); use the person's id")
    return found[0]


# People and teams, as an admin manages them (actor None: the command line's operator).

_UNSET: object = object()


def _keep_an_admin(organisation: Organisation) -> None:
    if not Person.objects.filter(organisation=organisation, is_active=True, is_admin=True).exists():
        raise Invalid(f"{organisation.name} would have no active admin left", field="roles")


def _check_no_loop(person: Person, manager: Person | None) -> None:
    node, hops = manager, 0
    while node is not None and hops < 1000:
        if node.pk == person.pk:
            raise Invalid(
                f"{manager.name if manager else ''} reports to {person.name}: "
                "the manager chain would loop",
                field="manager",
            )
        node = node.manager
        hops += 1


def check_target_role(organisation: Organisation, target_role: str) -> None:
    known = target_roles(organisation)
    if target_role and target_role not in known:
        raise Invalid(
            f"unknown target role {target_role!r} (roles: {', '.join(sorted(known))})",
            field="target_role",
        )


def target_roles(organisation: Organisation) -> set[str]:
    return {r.id for r in framework_for(organisation).data.roles}


@transaction.atomic
def do_create_person(
    actor: Person | None,
    organisation: Organisation,
    *,
    email: str,
    name: str,
    title: str = "",
    manager: Person | None = None,
    team: Team | None = None,
    target_role: str = "",
    role_names: set[str] | frozenset[str] = frozenset(),
) -> Person:
    """An admin adds a person (without a sign-in: an invitation gives them one)."""
    check_admin(actor, organisation.id)
    email = email.strip().lower()
    if not email or not name.strip():
        raise Invalid("a person needs an e-mail address and a name", field="email")
    if Person.objects.filter(email=email).exclude(organisation=organisation).exists():
        raise Invalid(f"{email} is already in another organisation", field="email")
    check_target_role(organisation, target_role)
    return do_add_person(
        organisation,
        name=name.strip(),
        email=email,
        title=title,
        team=team,
        manager=manager,
        target_role=target_role,
        **roles.role_flags(role_names),
    )


@transaction.atomic
def do_update_person(actor: Person | None, person: Person, **changes: Any) -> Person:
    """Change a person's name, title, manager, team, target role or roles (`role_names`).

    Moving someone is changing their manager or team."""
    check_admin(actor, person.organisation_id)
    org = person.organisation
    allowed = {"name", "title", "manager", "team", "target_role", "role_names"}
    unknown = set(changes) - allowed
    if unknown:
        raise Invalid(f"cannot change {', '.join(sorted(unknown))}")
    if "name" in changes:
        if not str(changes["name"]).strip():
            raise Invalid("a person needs a name", field="name")
        person.name = str(changes["name"]).strip()
    if "title" in changes:
        person.title = str(changes["title"] or "").strip()
    manager = changes.get("manager", person.manager)
    team = changes.get("team", person.team)
    if "manager" in changes or "team" in changes:
        _check_manager_and_team(
            org,
            manager if "manager" in changes else None,
            team if "team" in changes else None,
        )
    if "manager" in changes:
        _check_no_loop(person, manager)
        person.manager = manager
        if manager is not None:
            _make_leader(manager)
    if "team" in changes:
        person.team = team
    if "target_role" in changes:
        check_target_role(org, changes["target_role"] or "")
        person.target_role = changes["target_role"] or ""
    if "role_names" in changes:
        for field, value in roles.role_flags(changes["role_names"]).items():
            setattr(person, field, value)
    person.save()
    _keep_an_admin(org)
    return person


@transaction.atomic
def do_deactivate_person(actor: Person | None, person: Person) -> Person:
    """They can no longer sign in and leave the pickers; everything they did stays."""
    check_admin(actor, person.organisation_id)
    if not person.is_active:
        return person
    person.is_active = False
    person.deactivated_at = timezone.now()
    person.save(update_fields=["is_active", "deactivated_at"])
    if person.user_id:
        get_user_model().objects.filter(pk=person.user_id).update(is_active=False)
    person.api_tokens.all().delete()
    _keep_an_admin(person.organisation)
    return person


@transaction.atomic
def do_reactivate_person(actor: Person | None, person: Person) -> Person:
    check_admin(actor, person.organisation_id)
    person.is_active = True
    person.deactivated_at = None
    person.save(update_fields=["is_active", "deactivated_at"])
    if person.user_id:
        get_user_model().objects.filter(pk=person.user_id).update(is_active=True)
    return person


def _team_name(organisation: Organisation, name: str, team: Team | None = None) -> str:
    name = name.strip()
    if not name:
        raise Invalid("a team needs a name", field="name")
    clash = Team.objects.filter(organisation=organisation, name__iexact=name)
    if team is not None:
        clash = clash.exclude(pk=team.pk)
    if clash.exists():
        raise Invalid(f"{organisation.name} already has a team {name!r}", field="name")
    return name


def _check_lead(organisation: Organisation, lead: Person | None) -> None:
    if lead is not None and lead.organisation_id != organisation.id:
        raise Invalid("the lead belongs to another organisation", field="lead")
    if lead is not None and not lead.is_active:
        raise Invalid(f"{lead.name} is deactivated", field="lead")


@transaction.atomic
def do_create_team(
    actor: Person | None, organisation: Organisation, name: str, lead: Person | None = None
) -> Team:
    check_admin(actor, organisation.id)
    _check_lead(organisation, lead)
    return Team.objects.create(
        organisation=organisation, name=_team_name(organisation, name), lead=lead
    )


@transaction.atomic
def do_update_team(
    actor: Person | None,
    team: Team,
    *,
    name: str | None = None,
    lead: Person | object | None = _UNSET,
    archived: bool | None = None,
) -> Team:
    """Rename, set the lead, archive or restore a team. Archiving keeps its history."""
    check_admin(actor, team.organisation_id)
    if name is not None:
        team.name = _team_name(team.organisation, name, team)
    if lead is not _UNSET:
        assert lead is None or isinstance(lead, Person)
        _check_lead(team.organisation, lead)
        team.lead = lead
    if archived is not None:
        team.archived = archived
    team.save()
    return team


def org_state(organisation: Organisation) -> importing.OrgState:
    """What a people file is checked against."""
    people = list(
        Person.objects.filter(organisation=organisation).values_list(
            "email", "manager__email", "is_active"
        )
    )
    teams = list(Team.objects.filter(organisation=organisation).values_list("name", "archived"))
    return importing.OrgState(
        managers={e: (m or "") for e, m, _ in people},
        inactive=frozenset(e for e, _, active in people if not active),
        elsewhere=frozenset(
            Person.objects.exclude(organisation=organisation).values_list("email", flat=True)
        ),
        teams=frozenset(n for n, archived in teams if not archived),
        archived_teams=frozenset(n for n, archived in teams if archived),
        target_roles=frozenset(target_roles(organisation)),
    )


def check_people_file(
    actor: Person | None,
    organisation: Organisation,
    text: str,
    filename: str | None = None,
    fmt: str | None = None,
) -> list[importing.Row]:
    """The file's rows, checked whole against the organisation as it stands; InputError with
    every problem placed by line otherwise."""
    check_admin(actor, organisation.id)
    rows, problems = importing.read_people(text, filename, fmt)
    problems += importing.check(rows, org_state(organisation))
    if problems:
        raise InputError(importing.by_place(problems), filename)
    return rows


@transaction.atomic
def do_import_people(
    actor: Person | None,
    organisation: Organisation,
    text: str,
    filename: str | None = None,
    fmt: str | None = None,
) -> dict[str, int]:
    """Add or update (by e-mail) everyone in a CSV or YAML people file: all or nothing."""
    rows = check_people_file(actor, organisation, text, filename, fmt)
    existing = {p.email: p for p in Person.objects.filter(organisation=organisation)}
    teams = {t.name: t for t in Team.objects.filter(organisation=organisation)}
    counts = {"added": 0, "updated": 0}
    for row in rows:
        person = existing.get(row.email)
        if person is None:
            person = Person(organisation=organisation, email=row.email)
            existing[row.email] = person
            counts["added"] += 1
        else:
            counts["updated"] += 1
        person.name = row.name
        person.title = row.title
        person.team = teams.get(row.team) if row.team else None
        person.target_role = row.target_role
        if row.roles is not None:
            for field, value in roles.role_flags(row.roles).items():
                setattr(person, field, value)
        person.manager = None  # set below, once everyone has an id
        person.save()
    for row in rows:
        manager = existing[row.manager] if row.manager else None
        Person.objects.filter(pk=existing[row.email].pk).update(manager=manager)
    # A manager whose roles the file leaves empty leads, as anyone given a report does.
    empty = {row.email for row in rows if row.roles is None}
    leading = {row.manager for row in rows if row.manager}
    Person.objects.filter(
        organisation=organisation, email__in=(leading & empty) | (leading - {r.email for r in rows})
    ).update(is_leader=True)
    _keep_an_admin(organisation)
    return counts


def person_json(p: Person) -> dict[str, Any]:
    return {
        "id": p.id,
        "email": p.email,
        "name": p.name,
        "title": p.title,
        "manager": p.manager.email if p.manager else None,
        "team": p.team.name if p.team else None,
        "target_role": p.target_role,
        "roles": list(roles.roles_of(p)),
        "active": p.is_active,
    }


def teams_with_counts(organisation: Organisation) -> models.QuerySet[Team]:
    return (
        Team.objects.filter(organisation=organisation)
        .select_related("lead")
        .annotate(size=models.Count("members", filter=models.Q(members__is_active=True)))
    )


def team_json(t: Team) -> dict[str, Any]:
    return {
        "id": t.id,
        "name": t.name,
        "lead": t.lead.email if t.lead else None,
        "archived": t.archived,
        "members": getattr(t, "size", None),
    }
