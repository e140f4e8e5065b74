"""Signing in: throttled by account and by address; password change and reset."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.urls import reverse

PASSWORD = "s3cret-pass!"  # make_org's


def sign_in(client, email, password, address="10.0.0.1"):
    return client.post(
        reverse("login"), {"username": email, "password": password}, REMOTE_ADDR=address
    )


def signed_in(response) -> bool:
    return response.status_code == 302 and response["Location"] == reverse("home")


@pytest.mark.django_db
def test_a_hundred_wrong_passwords_then_the_right_one_is_refused(client, make_org):
    admin = make_org("Acme")
    for _ in range(100):
        assert not signed_in(sign_in(client, admin.email, "wrong-guess"))
    r = sign_in(client, admin.email, PASSWORD)
    assert not signed_in(r)
    assert r.status_code == 429 and "Too many sign-in attempts" in r.content.decode()


@pytest.mark.django_db
def test_the_account_is_locked_whatever_address_the_guesses_come_from(client, make_org):
    admin = make_org("Acme")
    for i in range(20):
        sign_in(client, admin.email, "wrong-guess", address=f"10.0.1.{i}")
    assert not signed_in(sign_in(client, admin.email, PASSWORD, address="10.0.2.1"))


@pytest.mark.django_db
def test_an_address_guessing_many_accounts_is_locked_out_of_every_account(client, make_org):
    victim = make_org("Acme")
    for i in range(20):
        sign_in(client, f"someone{i}@acme.example", "wrong-guess", address="10.0.3.1")
    assert not signed_in(sign_in(client, victim.email, PASSWORD, address="10.0.3.1"))
    assert signed_in(sign_in(client, victim.email, PASSWORD, address="10.0.3.2"))


@pytest.mark.django_db
def test_a_few_mistakes_do_not_lock_anyone_out(client, make_org):
    admin = make_org("Acme")
    for _ in range(3):
        sign_in(client, admin.email, "wrong-guess")
    assert signed_in(sign_in(client, admin.email, PASSWORD))


@pytest.mark.django_db
def test_axes_reset_lifts_a_lockout(client, make_org):
    from django.core.management import call_command

    admin = make_org("Acme")
    for _ in range(20):
        sign_in(client, admin.email, "wrong-guess")
    call_command("axes_reset")
    assert signed_in(sign_in(client, admin.email, PASSWORD))


@pytest.mark.django_db
def test_a_signed_in_person_changes_their_password(client, make_org):
    admin = make_org("Acme")
    client.force_login(admin.user)
    r = client.post(
        reverse("password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "another-long-phrase",
            "new_password2": "another-long-phrase",
        },
    )
    assert r.status_code == 302
    client.logout()
    assert signed_in(sign_in(client, admin.email, "another-long-phrase"))


@pytest.mark.django_db
def test_a_password_reset_by_e_mail(client, make_org):
    admin = make_org("Acme")
    r = client.post(reverse("password_reset"), {"email": admin.email})
    assert r.status_code == 302
    (message,) = mail.outbox
    link = re.search(r"https?://\S+", message.body).group(0)
    path = re.sub(r"^https?://[^/]+", "", link)
    form = client.get(path, follow=True)
    assert "Choose a new password" in form.content.decode()
    set_url = form.redirect_chain[-1][0]
    r = client.post(
        set_url, {"new_password1": "a-fresh-phrase-9", "new_password2": "a-fresh-phrase-9"}
    )
    assert r.status_code == 302
    assert signed_in(sign_in(client, admin.email, "a-fresh-phrase-9"))


@pytest.mark.django_db
def test_a_reset_for_an_unknown_address_answers_the_same_and_sends_nothing(client, make_org):
    make_org("Acme")
    r = client.post(reverse("password_reset"), {"email": "nobody@acme.example"})
    assert r.status_code == 302 and r["Location"] == reverse("password_reset_done")
    assert not mail.outbox


@pytest.mark.django_db
def test_behind_a_proxy_guesses_are_counted_by_the_client_not_the_proxy(client, make_org, settings):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    victim = make_org("Acme")
    for i in range(20):
        client.post(
            reverse("login"),
            {"username": f"someone{i}@acme.example", "password": "wrong-guess"},
            REMOTE_ADDR="10.9.9.9",
            HTTP_X_FORWARDED_FOR="6.6.6.6",
        )
    r = client.post(
        reverse("login"),
        {"username": victim.email, "password": PASSWORD},
        REMOTE_ADDR="10.9.9.9",
        HTTP_X_FORWARDED_FOR="1.2.3.4, 7.7.7.7",
    )
    assert signed_in(r)
