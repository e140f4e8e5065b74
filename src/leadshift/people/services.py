from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from leadshift.core.errors import Invalid, NotFound
from leadshift.frameworks.services import ensure_default_framework
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
) -> Person:
    email = email.lower()
    if manager is not None and manager.organisation_id != organisation.id:
        raise Invalid("the manager belongs to another organisation", field="manager")
    if team is not None and team.organisation_id != organisation.id:
        raise Invalid("the team belongs to another organisation", field="team")
    if Person.objects.filter(organisation=organisation, email=email).exists():
        raise Invalid(f"{email} is already in {organisation.name}", field="email")
    has_login = password is not None or password_hash is not None
    user = _create_user(email, password, password_hash=password_hash) if has_login else None
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
    )


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
    token = ApiToken.objects.select_related("person").filter(key_hash=_hash(raw)).first()
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
