"""The readiness report's 360 section shows what the results page shows, and never a rater."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from click.testing import CliRunner
from django.urls import reverse
from django.utils import timezone

from leadshift.cli import main
from leadshift.feedback import services as feedback
from leadshift.frameworks.schema import default_framework
from tests.reports.test_reports import read_pdf

pytestmark = pytest.mark.django_db

CAPS = [c.id for c in default_framework().capabilities]
PEERS = {"Petra Peerless": 2, "Quinn Quorum": 3, "Rosa Ratewell": 4}
LONE = "Wendy Withheld"
SECRET = "Only the lone report wrote this sentence"


@pytest.fixture
def released(team, completed_assessment):
    """Pia's cycle: her manager, three peers (shown), one direct report (withheld)."""
    pm = team["pm"]
    raters = [feedback.RaterIn("Gus Group", "gus@acme.example", "manager")]
    raters += [
        feedback.RaterIn(name, f"{name.split()[0].lower()}@acme.example", "peer") for name in PEERS
    ]
    raters.append(feedback.RaterIn(LONE, "wendy@acme.example", "report"))
    cycle = feedback.do_open_cycle(
        pm, pm, closes_on=timezone.localdate() + dt.timedelta(days=10), raters=raters
    )
    for rater in cycle.raters.all():
        name = rater.name
        level = PEERS.get(name, 1 if name == LONE else 4)
        comment = SECRET if name == LONE else ("Plans well ahead." if name in PEERS else "")
        feedback.do_save_answers(
            rater,
            {c: feedback.AnswerIn(level, comment if c == CAPS[0] else "") for c in CAPS},
            submit=True,
        )
    feedback.do_close_and_release(cycle, pm)
    return cycle


def never_a_rater(text: str) -> None:
    for name in [*PEERS, LONE]:
        assert name not in text, name
        assert f"{name.split()[0].lower()}@acme.example" not in text
    assert SECRET not in text
    assert "wendy" not in text.lower()


@pytest.mark.parametrize("who", ["pm", "head"])
def test_the_readiness_report_shows_the_released_360_but_never_a_rater(
    client, team, released, who, tmp_path
):
    pm = team["pm"]
    client.force_login(team[who].user)
    page = client.get(reverse("report", args=["readiness", pm.id])).content.decode()
    assert "360 feedback" in page and "Blind spots" in page and "Plans well ahead." in page
    never_a_rater(page)
    text, _ = read_pdf(
        client.get(reverse("report_pdf", args=["readiness", pm.id])).content, tmp_path
    )
    assert "360 feedback" in text and "Who answered" in text and "Peers" in text
    never_a_rater(text)
    data = client.get(reverse("report", args=["readiness", pm.id]), {"format": "json"}).json()
    fb = data["feedback_360"]
    # The lone report: not even whether they answered is told.
    assert fb["cycle"] == released.id and fb["withheld_raters"] is None
    assert "report" not in fb["answered"] and "report" not in fb["invited"]
    assert [g["id"] for g in fb["groups"]] == ["manager", "peer"]
    for cap in fb["capabilities"]:
        assert cap["cells"]["peer"] == {"mean": 3.0, "n": 3, "withheld": False}
        assert cap["cells"]["manager"]["mean"] == 4.0
        assert "report" not in cap["cells"] and "others" not in cap["cells"]
    never_a_rater(json.dumps(data))
    # The same as the results page, which the API serves.
    api = client.get(f"/api/v1/feedback/cycles/{released.id}/results").json()
    assert {k: v for k, v in fb.items() if k != "released_at"} == api
    by_api = client.get(f"/api/v1/reports/readiness/{pm.id}").json()["feedback_360"]
    assert by_api["capabilities"] == fb["capabilities"]


def test_the_cli_readiness_json_holds_the_same_360(team, released):
    r = CliRunner().invoke(main, ["report", "readiness", team["pm"].email, "--format", "json"])
    assert r.exit_code == 0, r.output
    assert json.loads(r.output)["feedback_360"]["cycle"] == released.id
    never_a_rater(r.output)


def test_someone_who_may_not_see_the_subject_gets_no_360(client, team, released):
    client.force_login(team["peer"].user)
    assert client.get(reverse("report", args=["readiness", team["pm"].id])).status_code == 404
