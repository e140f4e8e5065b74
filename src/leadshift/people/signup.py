"""Sign-up that tells no one which e-mail addresses have accounts.

Every sign-up is answered "check your e-mail": a new address gets a link that confirms it
(and only then signs in), an address that already has an account gets a mail saying so, with
the way to reset the password. An address at the domain of an organisation already in
LeadShift (not a public mail provider) is pointed to that organisation's admin for an
invitation instead of starting a second organisation; that answer depends on the domain only,
never on whether the address itself has an account."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes, force_str
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode

from leadshift.outbox.delivery import in_outbox
from leadshift.people.erasure import ERASED_DOMAIN
from leadshift.people.models import Organisation, Person
from leadshift.people.services import do_create_organisation

# Addresses at these domains say nothing about the employer.
PUBLIC_DOMAINS = frozenset(
    {
        "gmail.com", "googlemail.com", "outlook.com", "hotmail.com", "hotmail.co.uk",
        "live.com", "msn.com", "yahoo.com", "yahoo.co.uk", "ymail.com", "icloud.com", "me.com",
        "mac.com", "aol.com", "proton.me", "protonmail.com", "pm.me", "gmx.com", "gmx.de",
        "gmx.net", "web.de", "mail.com", "yandex.com", "yandex.ru", "zoho.com", "fastmail.com",
        "hey.com", "tutanota.com", "qq.com", "163.com", "126.com", "naver.com", "orange.fr",
        "free.fr", "laposte.net", "libero.it", "t-online.de", "seznam.cz", "wp.pl", "mail.ru",
    }
)  # fmt: skip


@dataclass(frozen=True)
class SignupAnswer:
    """What the person who signed up is told: the same for a new and a known address."""

    ask_admin_of: str | None = None  # the organisation already using LeadShift at their domain
    confirmed: AbstractBaseUser | None = None
    """Set when no mail server is set up: a link that waits in an outbox nobody can read yet
    cannot confirm an address, so a new address is confirmed at once (docs/deployment.md)."""


def organisation_at_domain(email: str) -> Organisation | None:
    domain = email.rsplit("@", 1)[-1].lower()
    if not domain or domain in PUBLIC_DOMAINS or domain == ERASED_DOMAIN:
        return None
    person = (
        Person.objects.filter(email__iendswith=f"@{domain}")
        .select_related("organisation")
        .order_by("organisation_id")
        .first()
    )
    return person.organisation if person else None


def _link(name: str, user: AbstractBaseUser) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return settings.SITE_URL.rstrip("/") + reverse(name, args=[uid, token])


def _mail(user: AbstractBaseUser, template: str, subject: str, **context: object) -> None:
    email = user.email
    body = render_to_string(template, {"email": email, "site": settings.SITE_URL, **context})
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [email])


def do_sign_up(
    *, name: str, email: str, title: str, organisation: str, password: str
) -> SignupAnswer:
    email = email.strip().lower()
    org = organisation_at_domain(email)
    if org is not None:
        return SignupAnswer(ask_admin_of=org.name)
    user = get_user_model().objects.filter(username__iexact=email).first()
    if user is None:
        with transaction.atomic():
            person = do_create_organisation(
                name=organisation,
                admin_name=name,
                admin_email=email,
                password=password,
                title=title,
            )
            user = person.user
            assert user is not None
            if in_outbox():
                return SignupAnswer(confirmed=user)
            user.is_active = False
            user.save(update_fields=["is_active"])
        _mail(
            user,
            "people/mail/signup_confirm.txt",
            "Confirm your LeadShift account",
            link=_link("signup_confirm", user),
            name=name,
        )
    elif not user.is_active and Person.objects.filter(user=user).exists():
        # Signed up before and never confirmed: the link again, nothing else changes.
        _mail(
            user,
            "people/mail/signup_confirm.txt",
            "Confirm your LeadShift account",
            link=_link("signup_confirm", user),
            name=name,
        )
    else:
        _mail(
            user,
            "people/mail/signup_exists.txt",
            "You already have a LeadShift account",
            reset=settings.SITE_URL.rstrip("/") + reverse("password_reset"),
            login=settings.SITE_URL.rstrip("/") + reverse("login"),
        )
    return SignupAnswer()


def user_for_link(uidb64: str, token: str) -> AbstractBaseUser | None:
    """The not-yet-confirmed account the link was made for, if the link is genuine and unused."""
    try:
        pk = force_str(urlsafe_base64_decode(uidb64))
        user = get_user_model().objects.filter(pk=int(pk)).first()
    except (TypeError, ValueError, OverflowError):
        return None
    if user is None or user.is_active or not default_token_generator.check_token(user, token):
        return None
    return user


@transaction.atomic
def do_confirm_sign_up(user: AbstractBaseUser) -> None:
    user.is_active = True
    user.save(update_fields=["is_active"])
