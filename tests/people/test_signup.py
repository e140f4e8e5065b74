from __future__ import annotations

import pytest
from django.urls import reverse

from leadshift.people.models import Organisation, Person


@pytest.mark.django_db
def test_signing_up_creates_an_organisation_and_signs_in(client):
    r = client.post(
        reverse("signup"),
        {
            "name": "Ada Lovelace",
            "email": "ada@example.com",
            "title": "PM",
            "organisation": "Analytical",
            "password": "a-long-passphrase",
        },
    )
    assert r.status_code == 302
    person = Person.objects.get(email="ada@example.com")
    assert person.is_admin and person.organisation.name == "Analytical"
    assert client.get(reverse("home")).status_code == 200


@pytest.mark.django_db
def test_a_weak_password_is_refused_and_the_form_keeps_what_was_typed(client):
    r = client.post(
        reverse("signup"),
        {
            "name": "Ada Lovelace",
            "email": "ada@example.com",
            "organisation": "Analytical",
            "password": "123",
        },
    )
    assert r.status_code == 200
    body = r.content.decode()
    assert "Ada Lovelace" in body and "Analytical" in body
    assert not Organisation.objects.exists()


@pytest.mark.django_db
def test_an_email_already_taken_is_refused_and_nothing_is_half_created(client, make_org):
    make_org("Acme", admin_email="ada@example.com")
    r = client.post(
        reverse("signup"),
        {
            "name": "Ada",
            "email": "ada@example.com",
            "organisation": "Second",
            "password": "a-long-passphrase",
        },
    )
    assert r.status_code == 200
    assert "already exists" in r.content.decode()
    assert not Organisation.objects.filter(name="Second").exists()
