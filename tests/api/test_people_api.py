"""The people and teams API: an admin's writes; anyone else gets 403 in the API's error shape."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from leadshift.people.models import Person, Team
from leadshift.people.services import do_create_api_token

EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "examples"
pytestmark = pytest.mark.django_db


def bearer(person):
    _, raw = do_create_api_token(person)
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def send(client, method, url, auth, body=None):
    if method == "get":
        return client.get(url, **auth)
    return getattr(client, method)(
        url, data=json.dumps(body or {}), content_type="application/json", **auth
    )


ADMIN_CALLS = [
    ("get", "/api/v1/people?all=true", None),
    ("post", "/api/v1/people", {"email": "x@acme.example", "name": "X"}),
    ("post", "/api/v1/people/import", {"text": "email,name\nx@acme.example,X\n"}),
    ("get", "/api/v1/teams", None),
    ("post", "/api/v1/teams", {"name": "Payments"}),
]


@pytest.mark.parametrize(("method", "url", "body"), ADMIN_CALLS)
def test_a_member_calling_an_admin_endpoint_gets_403_and_nothing_is_written(
    client, team, method, url, body
):
    people, teams = Person.objects.count(), Team.objects.count()
    r = send(client, method, url, bearer(team["pm"]), body)
    assert r.status_code == 403
    assert r.json() == {
        "detail": "only the organisation's admins may manage its people and teams",
        "field": None,
    }
    assert (Person.objects.count(), Team.objects.count()) == (people, teams)


def test_a_member_cannot_patch_or_deactivate_anyone(client, team):
    auth = bearer(team["head"])
    pm = team["pm"]
    assert send(client, "patch", f"/api/v1/people/{pm.id}", auth, {"title": "X"}).status_code == 403
    assert send(client, "post", f"/api/v1/people/{pm.id}/deactivate", auth).status_code == 403
    pm.refresh_from_db()
    assert pm.title == "" and pm.is_active


def test_the_admin_adds_moves_and_deactivates_a_person(client, team):
    auth = bearer(team["admin"])
    payments = send(client, "post", "/api/v1/teams", auth, {"name": "Payments"}).json()
    r = send(
        client,
        "post",
        "/api/v1/people",
        auth,
        {"email": "nia@acme.example", "name": "Nia", "manager_id": team["group"].id},
    )
    assert r.status_code == 201, r.content
    nia = r.json()
    assert nia["roles"] == ["member"] and nia["manager_id"] == team["group"].id
    r = send(
        client,
        "patch",
        f"/api/v1/people/{nia['id']}",
        auth,
        {"manager_id": team["peer"].id, "team_id": payments["id"], "roles": ["leader"]},
    )
    assert r.status_code == 200, r.content
    assert r.json() | {"manager_id": team["peer"].id, "team": "Payments"} == r.json()
    assert r.json()["roles"] == ["leader", "member"]
    r = send(client, "post", f"/api/v1/people/{nia['id']}/deactivate", auth)
    assert r.json()["active"] is False
    everyone = client.get("/api/v1/people?all=true", **auth).json()
    assert {p["email"] for p in everyone} >= {"nia@acme.example", "pia@acme.example"}


def test_a_manager_from_another_organisation_is_refused(client, team, make_org):
    other = make_org("Other")
    auth = bearer(team["admin"])
    pm = team["pm"]
    r = send(client, "patch", f"/api/v1/people/{pm.id}", auth, {"manager_id": other.id})
    assert r.status_code == 400
    assert r.json() == {
        "detail": f"no manager {other.id} in your organisation",
        "field": "manager_id",
    }
    pm.refresh_from_db()
    assert pm.manager == team["group"]


def test_a_manager_loop_is_refused(client, team):
    auth = bearer(team["admin"])
    r = send(
        client, "patch", f"/api/v1/people/{team['head'].id}", auth, {"manager_id": team["pm"].id}
    )
    assert r.status_code == 400 and "would loop" in r.json()["detail"]


def test_the_import_endpoint_takes_the_example_and_lists_every_problem_of_a_bad_file(client, team):
    auth = bearer(team["admin"])
    for name in ("Payments", "Onboarding", "Search"):
        send(client, "post", "/api/v1/teams", auth, {"name": name})
    text = (EXAMPLES / "people.yaml").read_text()
    r = send(
        client, "post", "/api/v1/people/import", auth, {"text": text, "filename": "people.yaml"}
    )
    assert r.json() == {"added": 20, "updated": 0}
    r = send(
        client,
        "post",
        "/api/v1/people/import",
        auth,
        {"text": "email,name,manager\nb@acme.example,B,zoe@acme.example\n", "filename": "p.csv"},
    )
    assert r.status_code == 400
    assert r.json()["detail"].startswith("p.csv:2: manager: unknown manager zoe@acme.example")


def test_the_admin_renames_sets_the_lead_and_archives_a_team(client, team):
    auth = bearer(team["admin"])
    t = send(client, "post", "/api/v1/teams", auth, {"name": "Payments"}).json()
    r = send(
        client,
        "patch",
        f"/api/v1/teams/{t['id']}",
        auth,
        {"name": "Billing", "lead_id": team["group"].id, "archived": True},
    )
    assert r.json() == {
        "id": t["id"],
        "name": "Billing",
        "lead": "gus@acme.example",
        "archived": True,
        "members": 0,
    }


def test_a_deactivated_persons_token_no_longer_works(client, team):
    auth = bearer(team["pm"])
    send(client, "post", f"/api/v1/people/{team['pm'].id}/deactivate", bearer(team["admin"]))
    assert client.get("/api/v1/me", **auth).status_code == 401
