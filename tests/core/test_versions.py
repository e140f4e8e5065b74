"""Optimistic locking: a write that read an older version is refused, never silently lost."""

from __future__ import annotations

import datetime as dt
import threading
from typing import Any

import pytest
from django.db import connections
from django.test import Client
from django.urls import reverse

from leadshift.decisions.models import Decision
from leadshift.decisions.services import DecisionIn, OptionIn, do_create_decision
from leadshift.growth.models import Action
from leadshift.growth.services import do_generate_plan
from leadshift.people.services import do_create_api_token

PAIRS = 40


def bearer(person: Any) -> dict[str, str]:
    _, raw = do_create_api_token(person)
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def a_decision(owner: Any) -> Decision:
    return do_create_decision(
        owner,
        DecisionIn(
            question="Sunset the legacy app?",
            kind="product_bet",
            criteria=[("Cost", 1.0)],
            options=[OptionIn("Yes", "", [7])],
            chosen=0,
            decided_on=dt.date(2026, 1, 5),
        ),
    )


def body(question: str, version: int | None) -> dict[str, Any]:
    out: dict[str, Any] = {
        "question": question,
        "criteria": [{"name": "Cost", "weight": 1}],
        "options": [{"name": "Yes", "scores": [7]}],
        "chosen": 0,
        "decided_on": "2026-01-05",
    }
    if version is not None:
        out["version"] = version
    return out


@pytest.mark.django_db
def test_a_put_of_a_decision_read_before_someone_elses_change_gets_409(client, team):
    d = a_decision(team["pm"])
    auth = bearer(team["pm"])
    read = client.get(f"/api/v1/decisions/{d.id}", **auth).json()
    assert read["version"] == 1
    first = client.put(
        f"/api/v1/decisions/{d.id}", body("Sunset it now?", 1), "application/json", **auth
    )
    assert first.status_code == 200 and first.json()["version"] == 2
    stale = client.put(
        f"/api/v1/decisions/{d.id}", body("Keep it?", read["version"]), "application/json", **auth
    )
    assert stale.status_code == 409
    assert stale.json()["current_version"] == 2 and stale.json()["yours"] == 1
    d.refresh_from_db()
    assert d.question == "Sunset it now?" and d.version == 2


@pytest.mark.django_db
def test_a_patch_with_the_current_version_is_applied_and_raises_it(
    client, team, completed_assessment
):
    plan = do_generate_plan(completed_assessment, team["pm"])
    action = Action.objects.filter(goal__plan=plan).first()
    auth = bearer(team["pm"])
    url = f"/api/v1/plans/{plan.id}/actions/{action.id}"
    r = client.patch(url, {"title": "Read the strategy", "version": 1}, "application/json", **auth)
    assert r.status_code == 200
    again = client.patch(url, {"title": "Other", "version": 1}, "application/json", **auth)
    assert again.status_code == 409
    action.refresh_from_db()
    assert action.title == "Read the strategy" and action.version == 2


@pytest.mark.django_db
def test_a_stale_web_form_shows_both_versions_and_keeping_mine_saves_it(client, team):
    d = a_decision(team["pm"])
    client.force_login(team["pm"].user)
    form = client.get(reverse("decision_edit", args=[d.id])).content.decode()
    assert 'name="version" value="1"' in form
    d.question = "Changed by a colleague?"
    d.save()
    from tests.decisions.test_pages import form as decision_form

    mine = decision_form(question="My wording?", version="1")
    page = client.post(reverse("decision_edit", args=[d.id]), mine)
    assert page.status_code == 409
    text = page.content.decode()
    assert "My wording?" in text and "Changed by a colleague?" in text
    assert 'name="version" value="2"' in text  # "Keep mine" submits against the current one
    d.refresh_from_db()
    assert d.question == "Changed by a colleague?"
    kept = client.post(reverse("decision_edit", args=[d.id]), {**mine, "version": "2"})
    assert kept.status_code == 302
    d.refresh_from_db()
    assert d.question == "My wording?" and d.version == 3


def _concurrent_pair(url: str, auth: dict[str, str], patches: list[dict]) -> list[int]:
    """Send the PATCHes at the same instant from separate threads (separate connections)."""
    start = threading.Barrier(len(patches))
    statuses: list[int] = [0] * len(patches)

    def send(i: int) -> None:
        try:
            start.wait()
            statuses[i] = Client().patch(url, patches[i], "application/json", **auth).status_code
        finally:
            connections.close_all()

    threads = [threading.Thread(target=send, args=(i,)) for i in range(len(patches))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return statuses


@pytest.mark.django_db(transaction=True)
def test_forty_pairs_of_concurrent_patches_lose_no_change(team, completed_assessment):
    plan = do_generate_plan(completed_assessment, team["pm"])
    action = Action.objects.filter(goal__plan=plan).first()
    auth = bearer(team["pm"])
    url = f"/api/v1/plans/{plan.id}/actions/{action.id}"
    lost = refused = 0
    for i in range(PAIRS):
        title, evidence = f"Title {i}", f"Evidence {i}"
        statuses = _concurrent_pair(url, auth, [{"title": title}, {"evidence": evidence}])
        assert set(statuses) <= {200, 409}, statuses
        action.refresh_from_db()
        applied = [action.title == title, action.evidence == evidence]
        # A change is lost when its writer was told 200 and it is not there.
        lost += sum(1 for s, ok in zip(statuses, applied, strict=True) if s == 200 and not ok)
        refused += statuses.count(409)
    print(f"concurrent PATCH pairs: {PAIRS}, lost: {lost}, refused with 409: {refused}")
    assert lost == 0
