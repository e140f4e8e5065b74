from __future__ import annotations

import pytest

from leadshift.frameworks.schema import default_framework
from leadshift.people.services import do_create_api_token

FW = default_framework()


def bearer(person):
    _, raw = do_create_api_token(person)
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def submission(level=2):
    return {
        "target_role": "group_pm",
        "shifts": {s.id: {q.id: 2 for q in s.questions} for s in FW.shifts},
        "capabilities": {c.id: {"level": level, "evidence": ""} for c in FW.capabilities},
    }


@pytest.mark.django_db
def test_the_openapi_document_is_served(client):
    doc = client.get("/api/v1/openapi.json").json()
    assert doc["info"]["title"] == "LeadShift API"
    assert "/api/v1/assessments/submit" in doc["paths"]


@pytest.mark.django_db
def test_it_refuses_a_request_without_a_valid_token(client, team):
    assert client.get("/api/v1/me").status_code == 401
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION="Bearer ls_nope").status_code == 401


@pytest.mark.django_db
def test_a_person_submits_an_assessment_and_gets_a_profile_and_a_plan(client, team):
    auth = bearer(team["pm"])
    r = client.post(
        "/api/v1/assessments/submit", submission(), content_type="application/json", **auth
    )
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["status"] == "complete"
    assert len(body["profile"]["capabilities"]) == 7
    r = client.post(f"/api/v1/assessments/{body['id']}/plan", **auth)
    assert r.status_code == 201
    plan = r.json()
    action = plan["goals"][0]["actions"][0]
    r = client.patch(
        f"/api/v1/plans/{plan['id']}/actions/{action['id']}",
        {"done": True},
        content_type="application/json",
        **auth,
    )
    assert r.json()["progress"]["done"] == 1
    r = client.post(
        f"/api/v1/plans/{plan['id']}/checkins",
        {"date": "2026-01-01", "note": "ok", "confidence": 3},
        content_type="application/json",
        **auth,
    )
    assert r.status_code == 201


@pytest.mark.django_db
def test_a_level_outside_the_framework_is_refused_and_nothing_is_saved(client, team):
    auth = bearer(team["pm"])
    bad = submission()
    bad["capabilities"][FW.capabilities[3].id]["level"] = 8
    r = client.post("/api/v1/assessments/submit", bad, content_type="application/json", **auth)
    assert r.status_code == 400
    assert "outside" in r.json()["detail"]
    assert team["pm"].assessments.count() == 0


@pytest.mark.django_db
def test_an_unknown_capability_is_refused(client, team):
    auth = bearer(team["pm"])
    bad = submission()
    bad["capabilities"]["charisma"] = {"level": 3}
    r = client.post("/api/v1/assessments/submit", bad, content_type="application/json", **auth)
    assert r.status_code == 400 and "charisma" in r.json()["detail"]


@pytest.mark.django_db
def test_the_api_applies_the_same_access_rules_as_the_pages(
    client, team, make_org, completed_assessment
):
    pm = completed_assessment.person
    assert client.get(f"/api/v1/people/{pm.id}/profile", **bearer(team["group"])).status_code == 200
    assert client.get(f"/api/v1/people/{pm.id}/profile", **bearer(team["peer"])).status_code == 404
    outsider = make_org("Globex")
    assert (
        client.get(f"/api/v1/assessments/{completed_assessment.id}", **bearer(outsider)).status_code
        == 404
    )
    ids = {p["id"] for p in client.get("/api/v1/people", **bearer(team["group"])).json()}
    assert ids == {team["group"].id, pm.id}


@pytest.mark.django_db
def test_nobody_answers_someone_elses_assessment(client, team):
    from leadshift.assessments.services import do_start_assessment

    a = do_start_assessment(team["pm"], team["pm"], "group_pm")
    cap = FW.capabilities[0].id
    r = client.put(
        f"/api/v1/assessments/{a.id}/capabilities/{cap}",
        {"level": 3},
        content_type="application/json",
        **bearer(team["group"]),
    )
    assert r.status_code == 403
    assert not a.capability_ratings.exists()
