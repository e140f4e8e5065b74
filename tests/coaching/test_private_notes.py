"""Attacks on the private-note promise: only its author ever reads a private note.

Gus leads Pia; Hana leads Gus; the admin runs the organisation. Each of them walks every page
and endpoint that could carry a 1:1's notes; only the author's own private note may appear.
"""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from django.urls import reverse

from leadshift.cli import main
from leadshift.coaching import models as coaching_models
from leadshift.coaching import services
from leadshift.people.services import do_create_api_token

pytestmark = pytest.mark.django_db

PIA_SECRET = "pia-private-thought-xyzzy"
GUS_SECRET = "gus-private-thought-plugh"
SHARED = "we-both-read-this-note"


@pytest.fixture
def noted(team, pias_plan, series):
    pm, gus = team["pm"], team["group"]
    held = series.upcoming()
    services.do_add_note(held, pm, PIA_SECRET + "-past", private=True)
    services.do_add_note(held, gus, GUS_SECRET + "-past", private=True)
    services.do_add_note(held, gus, SHARED, private=False)
    upcoming = services.do_finish_meeting(held, gus)
    services.do_add_note(upcoming, pm, PIA_SECRET, private=True)
    services.do_add_note(upcoming, gus, GUS_SECRET, private=True)
    return series


def pages(series, team, plan):
    pm = team["pm"]
    return [
        reverse("home"),
        reverse("coaching_index"),
        reverse("coaching_series", args=[series.id]),
        reverse("person_detail", args=[pm.id]),
        reverse("plan_detail", args=[plan.id]),
        reverse("team"),
        reverse("report", args=["readiness", pm.id]),
        reverse("report", args=["readiness", pm.id]) + "?format=json",
        reverse("report", args=["team", team["head"].id]),
        "/api/v1/oneonones",
        f"/api/v1/oneonones/{series.id}",
        f"/api/v1/people/{pm.id}",
        f"/api/v1/plans/{plan.id}",
    ]


def fetch_all(client, person, urls):
    client.force_login(person.user)
    _, raw = do_create_api_token(person)
    out = {}
    for url in urls:
        r = (
            client.get(url, HTTP_AUTHORIZATION=f"Bearer {raw}")
            if "/api/" in url
            else client.get(url)
        )
        out[url] = (r.status_code, r.content.decode())
    return out


def test_each_party_reads_the_shared_note_and_only_their_own_private_notes(
    client, team, pias_plan, noted
):
    for me, mine, theirs in (
        (team["pm"], PIA_SECRET, GUS_SECRET),
        (team["group"], GUS_SECRET, PIA_SECRET),
    ):
        bodies = fetch_all(client, me, pages(noted, team, pias_plan))
        series_page = bodies[reverse("coaching_series", args=[noted.id])][1]
        assert SHARED in series_page and mine in series_page and mine + "-past" in series_page
        for url, (_, body) in bodies.items():
            assert theirs not in body, f"{me.name} read the other party's private note at {url}"


@pytest.mark.parametrize("who", ["head", "admin", "peer"])
def test_nobody_else_reads_any_note_not_even_the_managers_manager_or_an_admin(
    client, team, pias_plan, noted, who
):
    bodies = fetch_all(client, team[who], pages(noted, team, pias_plan))
    for url, (_, body) in bodies.items():
        for secret in (PIA_SECRET, GUS_SECRET, SHARED):
            assert secret not in body, f"{who} read {secret!r} at {url}"
    assert bodies[reverse("coaching_series", args=[noted.id])][0] == 404
    assert bodies[f"/api/v1/oneonones/{noted.id}"][0] == 404


@pytest.mark.parametrize("who", ["head", "admin"])
def test_nobody_else_can_write_into_the_series_or_learn_that_it_exists(client, team, noted, who):
    meeting = noted.upcoming()
    client.force_login(team[who].user)
    for name in ("coaching_item", "coaching_note", "coaching_action", "coaching_finish"):
        r = client.post(reverse(name, args=[noted.id, meeting.id]), {"text": "x"})
        assert r.status_code == 404
    missing = client.get(reverse("coaching_series", args=[noted.id + 999]))
    assert missing.status_code == 404


def test_the_command_line_prints_shared_notes_and_never_a_private_one(team, noted):
    r = CliRunner().invoke(main, ["oneonones", "pia@acme.example", "--json"])
    assert r.exit_code == 0, r.output
    assert SHARED in r.output
    assert PIA_SECRET not in r.output and GUS_SECRET not in r.output
    assert json.loads(r.output)[0]["leader"]["name"] == "Gus Group"


def test_private_notes_live_in_their_own_model_that_exports_skip():
    assert coaching_models.NOT_EXPORTED == ["coaching.PrivateNote"]
    assert not any(f.name == "private" for f in coaching_models.Note._meta.get_fields())


@pytest.mark.parametrize("who", ["head", "admin"])
def test_the_api_refuses_the_managers_manager_and_an_admin_alike(client, team, noted, who):
    _, raw = do_create_api_token(team[who])
    auth = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    for tail, body in (("notes", {"text": "x"}), ("items", {"text": "x"}), ("held", {})):
        r = client.post(
            f"/api/v1/oneonones/{noted.id}/{tail}", body, content_type="application/json", **auth
        )
        assert r.status_code == 404 and r.json()["detail"] == "no such 1:1"
    assert client.get("/api/v1/oneonones", **auth).json() == []
