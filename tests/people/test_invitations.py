"""An invitation: a one-time, expiring link (only its hash stored) that lands the colleague
signed in, with their manager and team set."""

from __future__ import annotations

import hashlib
import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from leadshift.people.invitations import do_invite
from leadshift.people.models import Invitation, Person, Team
from tests.conftest import sign_in

pytestmark = pytest.mark.django_db


def link_in_mail(index: int = -1) -> str:
    return re.search(r"https?://\S+/invite/\S+/", mail.outbox[index].body).group(0)


def path_of(link: str) -> str:
    return "/" + link.split("/", 3)[3]


@pytest.fixture
def invited(client, team):
    payments = Team.objects.create(organisation=team["org"], name="Payments")
    client.force_login(team["admin"].user)
    r = client.post(
        "/people/invitations/",
        {"email": "Nia@Acme.example", "manager": team["group"].id, "team": payments.id},
        follow=True,
    )
    assert "nia@acme.example" in r.content.decode()
    client.logout()
    return {"link": link_in_mail(), "team": payments, **team}


def test_the_invitee_sets_a_password_and_lands_signed_in_with_manager_and_team(client, invited):
    assert mail.outbox[-1].to == ["nia@acme.example"]
    r = client.post(path_of(invited["link"]), {"name": "Nia New", "password": "a-long-pass-42"})
    assert r.status_code == 302 and r["Location"] == "/"
    nia = Person.objects.get(email="nia@acme.example")
    assert (nia.manager, nia.team, nia.organisation) == (
        invited["group"],
        invited["team"],
        invited["org"],
    )
    assert client.get("/").context["me"] == nia
    client.logout()
    assert sign_in(client, "nia@acme.example", "a-long-pass-42")


def test_only_a_hash_of_the_link_is_stored(invited):
    token = invited["link"].rstrip("/").rsplit("/", 1)[1]
    inv = Invitation.objects.get(email="nia@acme.example")
    assert inv.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in str(Invitation.objects.values().get())


def test_a_link_used_twice_shows_a_clear_page_and_writes_nothing(client, invited):
    client.post(path_of(invited["link"]), {"name": "Nia New", "password": "a-long-pass-42"})
    client.logout()
    r = client.post(
        path_of(invited["link"]), {"name": "Someone Else", "password": "x-long-pass-43"}
    )
    assert r.status_code == 410
    assert "already been used" in r.content.decode()
    assert Person.objects.get(email="nia@acme.example").name == "Nia New"
    assert not sign_in(client, "nia@acme.example", "x-long-pass-43")


def test_an_expired_link_shows_a_clear_page_and_writes_nothing(client, invited):
    Invitation.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    r = client.post(path_of(invited["link"]), {"name": "Nia New", "password": "a-long-pass-42"})
    assert r.status_code == 410 and "expired" in r.content.decode()
    assert not Person.objects.filter(email="nia@acme.example").exists()


def test_resending_voids_the_old_link_and_the_new_one_works(client, invited):
    inv = Invitation.objects.get(email="nia@acme.example")
    client.force_login(invited["admin"].user)
    client.post(f"/people/invitations/{inv.id}/resend/")
    client.logout()
    r = client.get(path_of(invited["link"]))
    assert r.status_code == 410 and "not valid" in r.content.decode()
    assert client.get(path_of(link_in_mail())).status_code == 200


def test_a_revoked_invitation_no_longer_opens(client, invited):
    inv = Invitation.objects.get(email="nia@acme.example")
    client.force_login(invited["admin"].user)
    assert (
        "<strong>nia@acme.example</strong>" in client.get("/people/invitations/").content.decode()
    )
    client.post(f"/people/invitations/{inv.id}/revoke/")
    html = client.get("/people/invitations/").content.decode()
    assert "<strong>nia@acme.example</strong>" not in html
    client.logout()
    r = client.get(path_of(invited["link"]))
    assert r.status_code == 410 and "withdrawn" in r.content.decode()


def test_a_weak_password_is_refused_and_the_link_still_works(client, invited):
    r = client.post(path_of(invited["link"]), {"name": "Nia New", "password": "12345678"})
    assert r.status_code == 200
    assert not Person.objects.filter(email="nia@acme.example").exists()
    assert Invitation.objects.get(email="nia@acme.example").pending


def test_an_imported_person_who_accepts_gets_a_sign_in_on_the_same_record(client, team):
    pia = team["pm"]
    pia.user.delete()
    pia.refresh_from_db()
    do_invite(None, team["org"], pia.email)
    r = client.post(path_of(link_in_mail()), {"name": "Pia P.", "password": "a-long-pass-42"})
    assert r.status_code == 302
    pia.refresh_from_db()
    assert pia.user is not None and pia.manager == team["group"] and pia.name == "Pia P."


def test_inviting_someone_of_another_organisation_is_refused(client, team, make_org):
    other = make_org("Other")
    client.force_login(team["admin"].user)
    r = client.post("/people/invitations/", {"email": other.email})
    assert "already in another organisation" in r.content.decode()
    assert not Invitation.objects.exists() and not mail.outbox


def test_a_member_cannot_invite(client, team):
    client.force_login(team["pm"].user)
    assert client.post("/people/invitations/", {"email": "x@acme.example"}).status_code == 404
    assert not Invitation.objects.exists()
