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


@pytest.mark.django_db
def test_token_use_is_recorded_without_a_write_on_every_request(client, team):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from leadshift.people.models import ApiToken

    auth = bearer(team["pm"])
    assert client.get("/api/v1/me", **auth).status_code == 200
    first = ApiToken.objects.get().last_used_at
    assert first is not None
    with CaptureQueriesContext(connection) as queries:
        for _ in range(3):
            assert client.get("/api/v1/me", **auth).status_code == 200
    writes = [q["sql"] for q in queries if q["sql"].lstrip().upper().startswith("UPDATE")]
    assert writes == []
    assert ApiToken.objects.get().last_used_at == first


@pytest.mark.django_db
def test_token_use_is_recorded_again_once_the_stored_time_is_old(client, team):
    import datetime as dt

    from django.utils import timezone

    from leadshift.people.models import ApiToken
    from leadshift.people.services import TOKEN_USE_RESOLUTION

    auth = bearer(team["pm"])
    long_ago = timezone.now() - TOKEN_USE_RESOLUTION - dt.timedelta(minutes=1)
    ApiToken.objects.update(last_used_at=long_ago)
    assert client.get("/api/v1/me", **auth).status_code == 200
    assert ApiToken.objects.get().last_used_at > long_ago
