"""A 360 rater ticks the behaviours they have seen; the checklist rule gives the level."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from django.urls import reverse

from leadshift.behaviours.checklist import level_from_ticks
from leadshift.feedback import services
from leadshift.feedback.models import RaterAnswer
from tests.feedback.conftest import CAPS, FW, rater_rows, up_to

pytestmark = pytest.mark.django_db

VISION = FW.capability(CAPS[0])


def ticks_for(email: str) -> dict[str, list[str]]:
    """Peers see level 2 and one behaviour of level 3 (not enough for it); the manager 4."""
    level = 4 if email.startswith("gus") else 2
    extra = [] if level == 4 else [VISION.behaviour_keys(3)[0]]
    return {f"behaviour_{c}": up_to(c, level) + (extra if c == CAPS[0] else []) for c in CAPS}


def send(token: str, form: dict, go: str = "submit"):
    return Client().post(reverse("feedback_rate", args=[token]), form | {"go": go})


@pytest.fixture
def ticked_cycle(team, open_cycle):
    cycle, tokens = open_cycle(rater_rows(n_peers=3))
    for email, token in tokens.items():
        assert send(token, ticks_for(email)).status_code == 302
    return cycle


def test_a_raters_ticks_give_the_rules_level_and_the_estimate(team, ticked_cycle):
    peer = RaterAnswer.objects.get(rater__email="peer0@acme.example", capability=CAPS[0])
    ticked = ticks_for("peer0@acme.example")[f"behaviour_{CAPS[0]}"]
    assert peer.behaviours == ticked
    assert peer.level == level_from_ticks(VISION, ticked).level == 2
    boss = RaterAnswer.objects.get(rater__email="gus@acme.example", capability=CAPS[0])
    assert boss.level == 4
    services.do_close_and_release(ticked_cycle, team["pm"])
    vision = services.result_data(ticked_cycle)["capabilities"][0]
    assert vision["cells"]["peer"] == {"mean": 2, "n": 3, "withheld": False}
    assert vision["cells"]["manager"]["mean"] == 4
    assert vision["estimate"] is not None


def test_the_subject_and_managers_never_see_a_raters_ticks(team, ticked_cycle):
    services.do_close_and_release(ticked_cycle, team["pm"])
    assert "behaviours" not in json.dumps(services.result_data(ticked_cycle))
    extra = VISION.behaviour_keys(3)[0]
    for viewer in (team["pm"], team["head"]):
        client = Client()
        client.force_login(viewer.user)
        page = client.get(reverse("feedback_results", args=[ticked_cycle.id]))
        assert page.status_code == 200
        assert extra not in page.content.decode()
        assert VISION.behaviour_keys(1)[0] not in page.content.decode()


def test_a_tick_outside_the_cycles_framework_version_is_refused_and_nothing_written(
    team, open_cycle
):
    _, tokens = open_cycle()
    form = {f"behaviour_{CAPS[1]}": up_to(CAPS[1], 2)}
    form[f"behaviour_{CAPS[0]}"] = [f"{CAPS[0]}.1.1", f"{CAPS[0]}.9.1"]
    r = send(tokens["peer0@acme.example"], form, go="save")
    assert r.status_code == 400
    assert f"&#x27;{CAPS[0]}.9.1&#x27; is not a behaviour of {VISION.name}" in r.content.decode()
    assert not RaterAnswer.objects.filter(rater__email="peer0@acme.example").exists()


def test_a_rater_may_leave_a_capability_not_observed_but_not_tick_it_too(team, open_cycle):
    _, tokens = open_cycle()
    token = tokens["peer0@acme.example"]
    both = {f"behaviour_{CAPS[0]}": up_to(CAPS[0], 2), f"level_{CAPS[0]}": "cant_say"}
    r = send(token, both, go="save")
    assert r.status_code == 400 and "not both" in r.content.decode()
    form = {f"behaviour_{c}": up_to(c, 3) for c in CAPS[1:]} | {f"level_{CAPS[0]}": "cant_say"}
    assert send(token, form).status_code == 302
    unseen = RaterAnswer.objects.get(rater__email="peer0@acme.example", capability=CAPS[0])
    assert unseen.level is None and unseen.behaviours == []
