"""Requests an adversary would send: refused with the field, never a server error."""

from __future__ import annotations

import pytest

from leadshift.people.services import do_create_api_token


def bearer(person):
    _, raw = do_create_api_token(person)
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


@pytest.mark.django_db
def test_a_huge_person_id_in_a_decision_is_refused_with_its_field(client, team):
    auth = bearer(team["pm"])
    r = client.post(
        "/api/v1/decisions",
        {"question": "Which vendor?", "decided_by": [10**25]},
        content_type="application/json",
        **auth,
    )
    assert r.status_code == 400, r.content
    assert r.json()["field"] == "decided_by.0"


@pytest.mark.django_db
def test_a_huge_product_id_for_a_stakeholder_is_refused_with_its_field(client, team):
    auth = bearer(team["head"])
    r = client.post(
        f"/api/v1/people/{team['head'].id}/stakeholders",
        {"name": "Board chair", "product_ids": [10**25]},
        content_type="application/json",
        **auth,
    )
    assert r.status_code == 400, r.content
    assert r.json()["field"] == "product_ids.0"


@pytest.mark.django_db
def test_a_simulation_body_that_is_a_list_of_nulls_starts_nothing(client, team):
    from leadshift.risk.models import Simulation

    r = client.post(
        "/api/v1/simulations", [None, None], content_type="application/json", **bearer(team["head"])
    )
    assert r.status_code == 400, r.content
    assert not Simulation.objects.exists()


@pytest.mark.django_db
def test_a_leader_sets_the_lifecycle_thresholds_through_the_api(client, team):
    auth = bearer(team["head"])
    before = client.get("/api/v1/portfolio/thresholds", **auth).json()
    key = next(iter(before))
    r = client.put(
        "/api/v1/portfolio/thresholds",
        {key: before[key] + 1},
        content_type="application/json",
        **auth,
    )
    assert r.status_code == 200, r.content
    assert r.json()[key] == before[key] + 1
