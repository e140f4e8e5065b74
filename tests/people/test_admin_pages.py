"""The admin's pages: people, import, teams. Anyone else finds no such pages."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from leadshift.people.models import Person, Team
from tests.conftest import sign_in

EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "examples"
ADMIN_PAGES = [
    "/people/",
    "/people/add/",
    "/people/import/",
    "/people/teams/",
    "/people/invitations/",
]


@pytest.mark.django_db
@pytest.mark.parametrize("url", ADMIN_PAGES)
def test_a_member_or_leader_finds_no_admin_pages(client, team, url):
    for who in ("pm", "head"):
        client.force_login(team[who].user)
        assert client.get(url).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("url", ADMIN_PAGES)
def test_the_admin_opens_every_admin_page(client, team, url):
    client.force_login(team["admin"].user)
    assert client.get(url).status_code == 200


@pytest.mark.django_db
def test_the_admin_finds_the_pages_in_the_account_menu(client, team):
    client.force_login(team["admin"].user)
    assert "People and teams" in client.get("/").content.decode()
    client.force_login(team["pm"].user)
    assert "People and teams" not in client.get("/").content.decode()


@pytest.mark.django_db
def test_the_people_list_shows_email_manager_team_and_roles(client, team):
    client.force_login(team["admin"].user)
    html = client.get("/people/").content.decode()
    for text in ("pia@acme.example", "Gus Group", "leader, member", "admin, leader, member"):
        assert text in html


@pytest.mark.django_db
def test_the_admin_adds_a_person_and_moves_them_to_another_manager_and_team(client, team):
    org = team["org"]
    payments = Team.objects.create(organisation=org, name="Payments")
    client.force_login(team["admin"].user)
    r = client.post(
        "/people/add/",
        {"email": "new@acme.example", "name": "Nia New", "manager": team["group"].id, "roles": []},
    )
    assert r.status_code == 302
    nia = Person.objects.get(email="new@acme.example")
    assert nia.manager == team["group"] and nia.user is None
    r = client.post(
        f"/people/{nia.id}/edit/",
        {"name": "Nia New", "manager": team["peer"].id, "team": payments.id, "roles": ["leader"]},
    )
    assert r.status_code == 302
    nia.refresh_from_db()
    assert (nia.manager, nia.team, nia.is_leader) == (team["peer"], payments, True)


@pytest.mark.django_db
def test_a_manager_below_the_person_is_refused_and_nothing_changes(client, team):
    client.force_login(team["admin"].user)
    head = team["head"]
    r = client.post(f"/people/{head.id}/edit/", {"name": head.name, "manager": team["pm"].id})
    assert r.status_code == 200
    assert "the manager chain would loop" in r.content.decode()
    head.refresh_from_db()
    assert head.manager is None


@pytest.mark.django_db
def test_a_deactivated_person_cannot_sign_in_and_leaves_pickers_but_keeps_history(
    client, team, completed_assessment
):
    pm = team["pm"]
    client.force_login(team["admin"].user)
    r = client.post(f"/people/{pm.id}/deactivate/", follow=True)
    assert "is deactivated" in r.content.decode()
    pm.refresh_from_db()
    assert not pm.is_active and not pm.user.is_active
    assert pm.assessments.count() == 1  # history stays
    assert not Person.objects.active().filter(pk=pm.pk).exists()
    client.logout()
    r = client.post("/login/", {"username": pm.email, "password": "s3cret-pass!"})
    assert r.status_code == 200 and "_auth_user_id" not in client.session
    assert "deactivated by an admin of your organisation" in r.content.decode()
    r = client.post("/login/", {"username": pm.email, "password": "a-guess"})
    assert "deactivated" not in r.content.decode()
    # Pickers no longer offer them.
    client.force_login(team["admin"].user)
    html = client.get("/people/add/").content.decode()
    assert ">Pia PM</option>" not in html and ">Gus Group</option>" in html


@pytest.mark.django_db
def test_a_deactivated_person_is_reactivated_and_signs_in_again(client, team):
    pm = team["pm"]
    client.force_login(team["admin"].user)
    client.post(f"/people/{pm.id}/deactivate/")
    client.post(f"/people/{pm.id}/reactivate/")
    client.logout()
    assert sign_in(client, pm.email, "s3cret-pass!")


@pytest.mark.django_db
def test_the_last_admin_cannot_be_deactivated(client, team):
    admin = team["admin"]
    client.force_login(admin.user)
    from leadshift.core.errors import Invalid
    from leadshift.people.services import do_deactivate_person

    with pytest.raises(Invalid, match="no active admin left"):
        do_deactivate_person(admin, admin)
    admin.refresh_from_db()
    assert admin.is_active


@pytest.mark.django_db
def test_the_admin_uploads_the_example_file_after_creating_its_teams(client, team, settings):
    settings.LEADSHIFT_RUNS_IN_BACKGROUND = (
        False  # written in the request (tests/uploads: by a worker)
    )
    client.force_login(team["admin"].user)
    upload = SimpleUploadedFile("people.csv", (EXAMPLES / "people.csv").read_bytes())
    r = client.post("/people/import/", {"file": upload})
    html = r.content.decode()
    assert "Nothing was imported" in html
    assert "people.csv:3: team: unknown team &#x27;Payments&#x27;" in html
    for name in ("Payments", "Onboarding", "Search"):
        client.post("/people/teams/", {"name": name})
    upload = SimpleUploadedFile("people.csv", (EXAMPLES / "people.csv").read_bytes())
    r = client.post("/people/import/", {"file": upload}, follow=True)
    assert "Imported people.csv: 20 added, 0 updated." in r.content.decode()
    assert Person.objects.filter(organisation=team["org"]).count() == 25


@pytest.mark.django_db
def test_the_admin_renames_a_team_sets_its_lead_and_archives_it(client, team):
    client.force_login(team["admin"].user)
    client.post("/people/teams/", {"name": "Payments", "lead": team["group"].id})
    t = Team.objects.get(organisation=team["org"], name="Payments")
    assert t.lead == team["group"]
    client.post(f"/people/teams/{t.id}/", {"name": "Payments & Billing", "lead": team["peer"].id})
    client.post(f"/people/teams/{t.id}/archive/", {"archive": "1"})
    t.refresh_from_db()
    assert (t.name, t.lead, t.archived) == ("Payments & Billing", team["peer"], True)
    html = client.get("/people/add/").content.decode()
    assert ">Payments &amp; Billing</option>" not in html  # archived: out of the pickers
    r = client.post("/people/teams/", {"name": "payments & billing"})
    assert "already has a team" in r.content.decode()


@pytest.mark.django_db
def test_an_admin_of_another_organisation_cannot_touch_these_people(client, team, make_org):
    other = make_org("Other")
    client.force_login(other.user)
    assert client.post(f"/people/{team['pm'].id}/deactivate/").status_code == 404
    assert client.get(f"/people/{team['pm'].id}/edit/").status_code == 404
    team["pm"].refresh_from_db()
    assert team["pm"].is_active
