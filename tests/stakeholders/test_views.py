"""The stakeholder map, interactions, the brief: pages and API, with the access rules."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.urls import reverse

from leadshift.stakeholders.models import Brief, Interaction, Stakeholder
from leadshift.stakeholders.services import do_add_stakeholder, do_log_interaction

pytestmark = pytest.mark.django_db

NEW = {
    "name": "Dana CFO",
    "role": "CFO",
    "internal": "1",
    "influence": "5",
    "interest": "3",
    "stance": "sceptic",
    "cares_about": "Payback",
    "concerns": "pricing decision, payments",
    "cadence_days": "14",
}


@pytest.fixture
def cfo(team):
    s = do_add_stakeholder(team["pm"], team["pm"], {**NEW})
    do_log_interaction(
        s,
        team["pm"],
        date=dt.date.today() - dt.timedelta(days=30),
        kind="meeting",
        note="",
        tone=-1,
    )
    return s


def test_a_person_builds_a_map_and_sees_grid_health_and_suggestions(client, team):
    pm = team["pm"]
    client.force_login(pm.user)
    url = reverse("stakeholder_map", args=[pm.id])
    assert client.post(url, NEW).status_code == 302
    s = Stakeholder.objects.get()
    assert s.concern_tags == ["pricing decision", "payments"] and s.stance == "sceptic"
    r = client.post(
        reverse("stakeholder_log", args=[s.id]),
        {
            "date": (dt.date.today() - dt.timedelta(days=20)).isoformat(),
            "kind": "meeting",
            "tone": "-1",
            "note": "Tough",
        },
    )
    assert r.status_code == 302 and Interaction.objects.get().tone == -1
    page = client.get(url).content.decode()
    assert "Influence and interest" in page and "<svg" in page
    assert "6 days overdue on a 14-day cadence" in page
    detail = client.get(reverse("stakeholder_detail", args=[s.id])).content.decode()
    assert "Relationship health" in detail and "Tough" in detail


def test_bad_input_keeps_what_was_typed_and_says_what_to_do(client, team):
    pm = team["pm"]
    client.force_login(pm.user)
    r = client.post(reverse("stakeholder_map", args=[pm.id]), {**NEW, "influence": "9"})
    assert r.status_code == 400 and "influence is from 1 to 5" in r.content.decode()
    assert 'value="Dana CFO"' in r.content.decode()
    s = do_add_stakeholder(pm, pm, NEW)
    r = client.post(
        reverse("stakeholder_log", args=[s.id]),
        {"date": "2099-01-01", "kind": "meeting", "tone": "1", "note": "kept"},
    )
    assert (
        r.status_code == 400
        and "not in the future" in r.content.decode()
        and "kept" in r.content.decode()
    )


def test_an_inside_stakeholder_from_another_organisation_is_refused(client, team, make_org):
    other = make_org("Globex")
    pm = team["pm"]
    client.force_login(pm.user)
    r = client.post(reverse("stakeholder_map", args=[pm.id]), {**NEW, "person_id": str(other.id)})
    assert r.status_code == 400
    assert "must be a person of your own organisation" in r.content.decode()
    assert not Stakeholder.objects.exists()
    r = client.post(
        f"/api/v1/people/{pm.id}/stakeholders",
        data=json.dumps({"person_id": other.id, "influence": 4}),
        content_type="application/json",
    )
    assert r.status_code == 400 and r.json()["field"] == "person_id"
    r = client.post(
        f"/api/v1/people/{pm.id}/stakeholders",
        data=json.dumps({"person_id": team["peer"].id, "influence": 4}),
        content_type="application/json",
    )
    assert r.status_code == 201 and r.json()["name"] == "Pete Peer"


def pages(team, cfo, brief):
    pm = team["pm"]
    return [
        reverse("stakeholder_map", args=[pm.id]),
        reverse("stakeholder_detail", args=[cfo.id]),
        reverse("brief", args=[pm.id]),
        reverse("saved_brief", args=[brief.id]),
        f"/api/v1/people/{pm.id}/stakeholders",
        f"/api/v1/stakeholders/{cfo.id}",
        f"/api/v1/people/{pm.id}/stakeholders/suggestions",
        f"/api/v1/people/{pm.id}/brief",
        f"/api/v1/briefs/{brief.id}",
    ]


@pytest.fixture
def brief(team):
    return Brief.objects.create(
        person=team["pm"], title="B", sections=[{"key": "a", "heading": "H", "body": "x"}]
    )


@pytest.mark.parametrize(
    "who, status", [("pm", 200), ("group", 200), ("head", 200), ("peer", 404), ("admin", 404)]
)
def test_a_person_and_their_managers_see_the_map_and_no_one_else(
    client, team, cfo, brief, who, status
):
    client.force_login(team[who].user)
    for url in pages(team, cfo, brief):
        assert client.get(url).status_code == status, url
    r = client.post(
        reverse("stakeholder_log", args=[cfo.id]),
        {"date": "2026-01-01", "kind": "call", "tone": "1"},
    )
    assert r.status_code == (302 if status == 200 else 404)


def test_another_organisation_sees_nothing(client, team, cfo, brief, make_org):
    client.force_login(make_org("Globex").user)
    for url in pages(team, cfo, brief):
        assert client.get(url).status_code == 404, url


def test_the_brief_is_assembled_edited_and_saved_as_sections(
    client, team, cfo, completed_assessment
):
    pm = team["pm"]
    client.force_login(pm.user)
    page = client.get(reverse("brief", args=[pm.id])).content.decode()
    assert "Leadership readiness" in page and "Stakeholder alignment" in page and "Asks" in page
    assert "Dana CFO" in page  # overdue contact named
    r = client.post(
        reverse("brief", args=[pm.id]),
        {
            "title": "Board brief Q3",
            "count": "2",
            "key_0": "asks",
            "heading_0": "Asks",
            "body_0": "- Approve the pricing pilot",
            "heading_1": "",
            "body_1": "",
        },
    )
    b = Brief.objects.get()
    assert r.status_code == 302 and r.url == reverse("saved_brief", args=[b.id])
    assert b.sections == [{"key": "asks", "heading": "Asks", "body": "- Approve the pricing pilot"}]
    saved = client.get(r.url).content.decode()
    assert "<li>Approve the pricing pilot</li>" in saved and "Download PDF" in saved
    r = client.post(r.url, {"title": "", "count": "1", "heading_0": "Asks", "body_0": "x"})
    assert r.status_code == 400 and "give the brief a title" in r.content.decode()


def test_the_api_logs_interactions_and_saves_briefs(client, team, cfo):
    pm = team["pm"]
    client.force_login(pm.user)
    r = client.post(
        f"/api/v1/stakeholders/{cfo.id}/interactions",
        data=json.dumps({"date": dt.date.today().isoformat(), "kind": "one_on_one", "tone": 2}),
        content_type="application/json",
    )
    assert r.status_code == 201 and r.json()["overdue_days"] == 0 and r.json()["health"] > 0
    draft = client.get(f"/api/v1/people/{pm.id}/brief").json()
    r = client.post(
        f"/api/v1/people/{pm.id}/briefs", data=json.dumps(draft), content_type="application/json"
    )
    assert r.status_code == 201
    bid = r.json()["id"]
    draft["sections"][0]["body"] = "Edited."
    r = client.put(f"/api/v1/briefs/{bid}", data=json.dumps(draft), content_type="application/json")
    assert r.json()["sections"][0]["body"] == "Edited."
