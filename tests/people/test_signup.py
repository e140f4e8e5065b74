from __future__ import annotations

import re

import pytest
from django.core import mail
from django.urls import reverse

from leadshift.people.models import Organisation, Person

ADA = {
    "name": "Ada Lovelace",
    "email": "ada@analytical.example",
    "title": "PM",
    "organisation": "Analytical",
    "password": "a-long-passphrase",
}


def link_in(message) -> str:
    return re.search(r"https?://\S+", message.body).group(0)


def path_of(url: str) -> str:
    return re.sub(r"^https?://[^/]+", "", url)


@pytest.mark.django_db
def test_signing_up_sends_a_confirmation_link_that_signs_in_once(client):
    r = client.post(reverse("signup"), ADA)
    assert r.status_code == 200 and "Check your e-mail" in r.content.decode()
    person = Person.objects.get(email="ada@analytical.example")
    assert person.is_admin and person.organisation.name == "Analytical"
    assert not person.user.is_active
    assert client.get(reverse("home")).status_code == 302  # not signed in yet
    (message,) = mail.outbox
    assert message.to == ["ada@analytical.example"]
    confirm = path_of(link_in(message))
    assert client.get(confirm).status_code == 302
    assert client.get(reverse("home")).status_code == 200
    client.logout()
    assert client.get(confirm).status_code == 400  # used


@pytest.mark.django_db
def test_sign_up_answers_the_same_whether_or_not_the_address_has_an_account(client, make_org):
    make_org("Known", admin_email="known@gmail.com")
    new = client.post(reverse("signup"), {**ADA, "email": "new@gmail.com"}).content.decode()
    known = client.post(
        reverse("signup"), {**ADA, "email": "known@gmail.com", "organisation": "Second"}
    ).content.decode()
    assert new.replace("new@gmail.com", "X") == known.replace("known@gmail.com", "X")
    assert Organisation.objects.filter(name="Second").count() == 0
    to_known = [m for m in mail.outbox if m.to == ["known@gmail.com"]]
    assert len(to_known) == 1 and "already have an account" in to_known[0].body
    assert "/password/reset/" in to_known[0].body


@pytest.mark.django_db
def test_a_colleague_at_an_organisations_domain_is_pointed_to_its_admin(client, make_org):
    make_org("Acme", admin_email="boss@acme.example")
    r = client.post(reverse("signup"), {**ADA, "email": "newbie@acme.example"})
    page = r.content.decode()
    assert "Acme" in page and "invite" in page
    assert not Person.objects.filter(email="newbie@acme.example").exists()
    assert Organisation.objects.count() == 1 and not mail.outbox
    # The boss's own address gets the same answer: it tells nothing about accounts.
    same = client.post(reverse("signup"), {**ADA, "email": "boss@acme.example"}).content.decode()
    assert same == page


@pytest.mark.django_db
def test_a_public_mail_domain_does_not_tie_people_to_an_organisation(client, make_org):
    make_org("Acme", admin_email="boss@gmail.com")
    client.post(reverse("signup"), {**ADA, "email": "someone@gmail.com"})
    assert Person.objects.get(email="someone@gmail.com").organisation.name == "Analytical"


@pytest.mark.django_db
def test_a_weak_password_is_refused_and_the_form_keeps_what_was_typed(client):
    r = client.post(reverse("signup"), {**ADA, "password": "123"})
    assert r.status_code == 200
    body = r.content.decode()
    assert "Ada Lovelace" in body and "Analytical" in body
    assert not Organisation.objects.exists()


@pytest.mark.django_db
def test_the_form_states_the_password_rules_from_the_validators(client):
    form = client.get(reverse("signup")).content.decode().replace("&#x27;", "'")
    for rule in ("at least 8 characters", "entirely numeric", "commonly used", "too similar"):
        assert rule in form


@pytest.mark.parametrize(
    "password, refusal",
    [
        ("short1!", "at least 8 characters"),
        ("83920174659", "entirely numeric"),
        ("password123", "too common"),
        ("ada@analytical.example", "too similar"),
    ],
)
@pytest.mark.django_db
def test_the_password_rules_the_form_states_are_enforced(client, password, refusal):
    r = client.post(reverse("signup"), {**ADA, "password": password})
    assert refusal in r.content.decode().replace("&#x27;", "'")
    assert not Organisation.objects.exists()


@pytest.mark.django_db
def test_without_a_mail_server_a_new_address_is_signed_in_at_once(client, settings):
    from leadshift.outbox.delivery import OUTBOX_BACKEND
    from leadshift.outbox.models import Message

    settings.EMAIL_BACKEND = OUTBOX_BACKEND
    r = client.post(reverse("signup"), ADA)
    assert r.status_code == 302 and r["Location"] == reverse("home")
    assert client.get(reverse("home")).status_code == 200
    assert Person.objects.get(email="ada@analytical.example").user.is_active
    assert not Message.objects.exists()  # no link left waiting where no one can read it
