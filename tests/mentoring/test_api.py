"""The mentoring and manager-assessment API: the same rules as the pages."""

from __future__ import annotations

import pytest

from leadshift.frameworks.schema import default_framework
from tests.api.test_api import bearer
from tests.mentoring.helpers import STAKEHOLDERS

pytestmark = pytest.mark.django_db


def post(client, url, body, who):
    return client.post(url, body, content_type="application/json", **bearer(who))


def test_a_request_its_proposals_the_ask_and_the_accept(client, mentoring_org):
    pm, mo = mentoring_org["pm"], mentoring_org["mo"]
    r = post(client, "/api/v1/mentoring/requests", {"capability": STAKEHOLDERS}, pm)
    assert r.status_code == 201, r.content
    data = r.json()
    assert data["state"] == "open"
    mine = next(p for p in data["proposals"] if p["mentor"]["name"] == "Mo Mentor")
    assert "in their 360 of" in mine["reason"] and "; you " in mine["reason"]
    assert client.get("/api/v1/mentoring/asked", **bearer(mo)).json() == []

    r = post(client, f"/api/v1/mentoring/proposals/{mine['id']}/ask", {}, pm)
    assert r.status_code == 200 and r.json()["state"] == "asked"
    [asked] = client.get("/api/v1/mentoring/asked", **bearer(mo)).json()
    assert asked["mentee"]["name"] == "Pia PM" and "; you " not in asked["reason"]

    r = post(client, f"/api/v1/mentoring/asked/{mine['id']}", {"accept": True}, mo)
    assert r.status_code == 200 and r.json()["status"] == "accepted"
    series_id = r.json()["series"]
    series = client.get(f"/api/v1/oneonones/{series_id}", **bearer(mo)).json()
    assert series["person"]["name"] == "Pia PM"
    [focus] = series["upcoming"]["agenda"]
    assert focus["kind"] == "own", "no evidence of the mentee, only what she wrote"
    assert focus["title"] == "Mentoring in Stakeholder management"

    overview = client.get("/api/v1/mentoring/overview", **bearer(mentoring_org["head"])).json()
    assert overview["pairs"][0]["mentor"]["name"] == "Mo Mentor"
    assert client.get("/api/v1/mentoring/overview", **bearer(pm)).status_code == 403


def test_bad_mentors_are_refused_and_nothing_is_revealed(client, mentoring_org):
    pm = mentoring_org["pm"]
    url = "/api/v1/mentoring/requests"
    other = post(client, url, {"capability": STAKEHOLDERS, "mentor": mentoring_org["olga"].id}, pm)
    missing = post(client, url, {"capability": STAKEHOLDERS, "mentor": 10**9}, pm)
    assert other.status_code == missing.status_code == 404
    assert other.json() == missing.json() == {"detail": "no such person", "field": None}
    inside = post(
        client, url, {"capability": STAKEHOLDERS, "mentor": mentoring_org["group"].id}, pm
    )
    assert inside.status_code == 403 and "reporting line" in inside.json()["detail"]
    assert client.get(url, **bearer(pm)).json() == []


def test_another_person_s_request_and_proposal_are_not_found(client, mentoring_org):
    pm, peer = mentoring_org["pm"], mentoring_org["peer"]
    data = post(client, "/api/v1/mentoring/requests", {"capability": STAKEHOLDERS}, pm).json()
    assert client.get(f"/api/v1/mentoring/requests/{data['id']}", **bearer(peer)).status_code == 404
    pid = data["proposals"][0]["id"]
    assert post(client, f"/api/v1/mentoring/proposals/{pid}/ask", {}, peer).status_code == 404
    assert post(client, f"/api/v1/mentoring/asked/{pid}", {"accept": True}, peer).status_code == 404


def test_the_manager_assessment_api_rates_and_shows_the_three_views(
    client, team, completed_assessment
):
    fw = default_framework()
    caps = {c.id: {"level": 3, "evidence": "Ran the quarterly review"} for c in fw.capabilities[:2]}
    url = f"/api/v1/people/{team['pm'].id}/manager-assessment"
    r = post(client, url, {"capabilities": caps}, team["group"])
    assert r.status_code == 201, r.content
    data = client.get(url, **bearer(team["pm"])).json()
    assert data["latest"]["manager"]["name"] == "Gus Group"
    assert {x["capability"] for x in data["latest"]["ratings"]} == set(caps)
    first = data["views"][0]
    assert first["manager"] == 3 and first["self"] is not None


def test_the_manager_assessment_api_refuses_what_the_pages_refuse(client, team):
    url = f"/api/v1/people/{team['pm'].id}/manager-assessment"
    cap = default_framework().capabilities[0].id
    own = post(client, url, {"capabilities": {cap: {"level": 3}}}, team["pm"])
    assert own.status_code == 403
    peer = post(client, url, {"capabilities": {cap: {"level": 3}}}, team["peer"])
    assert peer.status_code == 404 and client.get(url, **bearer(team["peer"])).status_code == 404
    bad = post(client, url, {"capabilities": {cap: {"level": 99}}}, team["group"])
    assert bad.status_code == 400 and bad.json()["field"] == f"capabilities.{cap}"
