"""Invitations: an admin invites a colleague by e-mail; the link lets them set a password once.

Only a SHA-256 hash of the link's token is stored. A link works once and for
INVITATION_DAYS; resending makes a fresh link and voids the one sent before.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from leadshift.core.errors import Invalid
from leadshift.outbox.headers import outbox_headers
from leadshift.people import roles
from leadshift.people.access import check_admin
from leadshift.people.models import Invitation, Organisation, Person, Team
from leadshift.people.services import _check_manager_and_team, _make_leader

INVITATION_DAYS = 14


def _hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def _link(base_url: str | None, raw: str) -> str:
    base = (base_url or settings.SITE_URL).rstrip("/")
    return base + reverse("invitation_accept", args=[raw])


def _send(invitation: Invitation, base_url: str | None) -> None:
    """A fresh token for the invitation, mailed; the previous link stops working."""
    raw = secrets.token_urlsafe(32)
    now = timezone.now()
    invitation.token_hash = _hash(raw)
    invitation.sent_at = now
    invitation.expires_at = now + timedelta(days=INVITATION_DAYS)
    invitation.save()
    org = invitation.organisation
    inviter = invitation.invited_by.name if invitation.invited_by else "An admin"
    EmailMessage(
        subject=f"Join {org.name} on LeadShift",
        body=(
            f"{inviter} invites you to join {org.name} on LeadShift.\n\n"
            f"Set your name and a password here (the link works once, for "
            f"{INVITATION_DAYS} days):\n\n{_link(base_url, raw)}\n"
        ),
        to=[invitation.email],
        # The invitee is no person yet, so the outbox needs the organisation named.
        headers=outbox_headers(organisation_id=org.id, kind="invitation"),
    ).send()


@transaction.atomic
def do_invite(
    actor: Person | None,
    organisation: Organisation,
    email: str,
    *,
    manager: Person | None = None,
    team: Team | None = None,
    role_names: set[str] | frozenset[str] = frozenset(),
    base_url: str | None = None,
) -> Invitation:
    """Invite `email` into the organisation with manager, team and roles already chosen."""
    check_admin(actor, organisation.id)
    email = email.strip().lower()
    if "@" not in email:
        raise Invalid(f"{email!r} is not an e-mail address", field="email")
    _check_manager_and_team(organisation, manager, team)
    if Person.objects.filter(email=email).exclude(organisation=organisation).exists():
        raise Invalid(f"{email} is already in another organisation", field="email")
    if get_user_model().objects.filter(username__iexact=email).exists():
        raise Invalid(f"{email} already has an account; they can sign in", field="email")
    Invitation.objects.filter(
        organisation=organisation, email=email, accepted_at=None, revoked_at=None
    ).update(revoked_at=timezone.now())
    invitation = Invitation(
        organisation=organisation,
        email=email,
        manager=manager,
        team=team,
        invited_by=actor,
        **roles.role_flags(role_names),
    )
    _send(invitation, base_url)
    return invitation


@transaction.atomic
def do_resend_invitation(
    actor: Person | None, invitation: Invitation, base_url: str | None = None
) -> Invitation:
    check_admin(actor, invitation.organisation_id)
    if not invitation.pending:
        raise Invalid(f"the invitation of {invitation.email} is no longer open")
    _send(invitation, base_url)
    return invitation


@transaction.atomic
def do_revoke_invitation(actor: Person | None, invitation: Invitation) -> Invitation:
    check_admin(actor, invitation.organisation_id)
    if invitation.pending:
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])
    return invitation


@dataclass(frozen=True)
class LinkState:
    """What a link leads to: an open invitation, or why not (`problem`)."""

    invitation: Invitation | None
    problem: str = ""


def invitation_for_link(raw: str) -> LinkState:
    inv = (
        Invitation.objects.select_related("organisation", "manager", "team")
        .filter(token_hash=_hash(raw))
        .first()
    )
    if inv is None:
        return LinkState(
            None,
            "This invitation link is not valid. It may have been replaced "
            "by a newer one: use the most recent e-mail, or ask an admin to resend it.",
        )
    if inv.accepted_at is not None:
        return LinkState(
            None,
            "This invitation has already been used. Sign in with the "
            "password you chose, or reset it.",
        )
    if inv.revoked_at is not None:
        return LinkState(
            None,
            "This invitation was withdrawn. Ask an admin of "
            f"{inv.organisation.name} for a new one.",
        )
    if inv.expires_at <= timezone.now():
        return LinkState(
            None,
            f"This invitation expired on {inv.expires_at:%d %B %Y}. Ask an "
            f"admin of {inv.organisation.name} to resend it.",
        )
    return LinkState(inv)


@transaction.atomic
def do_accept_invitation(raw: str, *, name: str, password: str) -> Person:
    """The invitee sets their name and password and joins; the link is then spent."""
    # Lock the row so that two tabs submitting at once cannot both use the link.
    state = invitation_for_link(raw)
    if state.invitation is None:
        raise Invalid(state.problem)
    inv = Invitation.objects.select_for_update().get(pk=state.invitation.pk)
    if not inv.pending:
        raise Invalid("This invitation has already been used.")
    if not name.strip():
        raise Invalid("your name, please", field="name")
    try:
        validate_password(password)
    except ValidationError as exc:
        raise Invalid(" ".join(exc.messages), field="password") from exc
    org = inv.organisation
    User = get_user_model()
    if User.objects.filter(username__iexact=inv.email).exists():
        raise Invalid(f"{inv.email} already has an account; sign in instead")
    user = User.objects.create_user(username=inv.email, email=inv.email, password=password)
    manager = inv.manager if inv.manager and inv.manager.is_active else None
    team = inv.team if inv.team and not inv.team.archived else None
    person = Person.objects.filter(organisation=org, email=inv.email).first()
    if person is None:
        person = Person(organisation=org, email=inv.email)
    person.user = user
    person.name = name.strip()
    person.is_active = True
    person.manager = manager or person.manager
    person.team = team or person.team
    person.is_admin = person.is_admin or inv.is_admin
    person.is_leader = person.is_leader or inv.is_leader
    person.save()
    if person.manager is not None:
        _make_leader(person.manager)
    inv.accepted_at = timezone.now()
    inv.person = person
    inv.save(update_fields=["accepted_at", "person"])
    return person


def pending_invitations(organisation: Organisation) -> list[Invitation]:
    return list(
        Invitation.objects.filter(organisation=organisation, accepted_at=None, revoked_at=None)
        .select_related("manager", "team", "invited_by")
        .order_by("-sent_at")
    )
