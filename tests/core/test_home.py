"""The home page by role: a new organisation's getting-started checklist, ticked as its
steps are done, and a leader's list of what needs them now."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from leadshift.assessments.services import do_submit_assessment
from leadshift.decisions.services import DecisionIn, do_create_decision
from leadshift.feedback import services as feedback
from leadshift.frameworks.schema import default_framework
from leadshift.portfolio.models import Objective
from leadshift.risk.services import RiskIn, do_fire_trigger, do_save_risk
from leadshift.stakeholders.models import Stakeholder
from leadshift.stakeholders.services import do_add_stakeholder
from tests.conftest import full_answers

pytestmark = pytest.mark.django_db

STEP = re.compile(
    r'data-step data-done="(yes|no)">.*?<span class="step">(?:<a [^>]*>)?([^<]+)', re.S
)


def home(client, person) -> str:
    client.force_login(person.user)
    r = client.get(reverse("home"))
    assert r.status_code == 200
    return r.content.decode()


def steps(html: str) -> dict[str, bool]:
    return {text: done == "yes" for done, text in STEP.findall(html)}


def open_pia_cycle(team) -> None:
    pm = team["pm"]
    feedback.do_open_cycle(
        pm,
        pm,
        closes_on=timezone.now() + dt.timedelta(days=14),
        raters=[feedback.RaterIn("Gus Group", "gus@acme.example", "manager")],
        notify=False,
    )


def test_a_new_organisations_founder_gets_five_steps_none_done(client, make_org):
    html = home(client, make_org("Initech"))
    assert "Getting started" in html
    assert steps(html) == {
        "Invite people": False,
        "Set managers": False,
        "Take the self-assessment": False,
        "Open a 360": False,
        "Enter the portfolio": False,
    }
    assert "Needs you now" not in html


def test_each_step_is_ticked_once_it_is_done(client, team, completed_assessment):
    assert steps(home(client, team["admin"])) == {
        "Invite people": True,
        "Set managers": True,
        "Take the self-assessment": True,
        "Open a 360": False,
        "Enter the portfolio": False,
    }
    open_pia_cycle(team)
    assert steps(home(client, team["admin"]))["Open a 360"] is True


def test_the_checklist_goes_away_when_every_step_is_done(client, team, completed_assessment):
    open_pia_cycle(team)
    Objective.objects.create(organisation=team["org"], key="grow", name="Grow revenue")
    assert "Getting started" not in home(client, team["admin"])


def test_someone_who_is_not_an_admin_gets_no_checklist(client, team):
    assert "Getting started" not in home(client, team["head"])


@pytest.fixture
def busy_head(team, completed_assessment):
    """Hana leads Gus, Pete and (below Gus) Pia; things wait for her."""
    head, org = team["head"], team["org"]
    today = timezone.localdate()
    fired = do_save_risk(org, head, RiskIn("Supplier goes under", 0.3))
    do_fire_trigger(fired, head)
    do_save_risk(org, head, RiskIn("Launch slips", 0.4, review_on=today - dt.timedelta(days=3)))
    do_save_risk(
        org, head, RiskIn("Calm and reviewed", 0.1, review_on=today + dt.timedelta(days=30))
    )
    cfo = do_add_stakeholder(head, head, {"name": "Carla CFO", "cadence_days": 14})
    Stakeholder.objects.filter(pk=cfo.pk).update(created_at=timezone.now() - dt.timedelta(days=30))
    do_add_stakeholder(head, head, {"name": "Newly added", "cadence_days": 14})
    open_pia_cycle(team)
    do_create_decision(
        head,
        DecisionIn(
            "Do we sunset the legacy app?",
            decided_on=today - dt.timedelta(days=90),
            review_on=today - dt.timedelta(days=1),
        ),
    )
    return head


def test_a_leaders_home_lists_what_needs_them_now(client, team, busy_head):
    html = home(client, busy_head)
    assert "Needs you now" in html
    assert "Risks flagged (2)" in html
    assert "Supplier goes under" in html and "trigger fired" in html
    assert "Launch slips" in html and "review overdue since" in html
    assert "Calm and reviewed" not in html
    assert "Stakeholders overdue (1)" in html and "Carla CFO" in html
    assert "30 days overdue" in html and "Newly added" not in html
    assert "Open 360 cycles (1)" in html and "Pia PM" in html
    assert "Decisions to review (1)" in html and "Do we sunset the legacy app?" in html
    readiness = re.search(r"data-readiness>(.*?)</ul>", html, re.S).group(1)
    counts = dict(
        (label.strip(), int(n))
        for n, label in re.findall(r"<strong>(\d+)</strong>([^<]+)", readiness)
    )
    assert sum(counts.values()) == 3 and counts["no data yet"] == 2
    assert reverse("feedback_team") in html


def test_a_pm_without_reports_gets_no_leaders_list(client, team, busy_head):
    html = home(client, team["pm"])
    assert "Needs you now" not in html and "Supplier goes under" not in html


def test_the_leaders_home_takes_no_more_queries_for_a_bigger_team(
    client, team, busy_head, make_person
):
    client.force_login(busy_head.user)
    url = reverse("home")
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    fw = default_framework()
    for i in range(6):
        p = make_person(team["org"], f"New {i}", manager=team["peer"])
        do_submit_assessment(p, p, "group_pm", full_answers(fw, level=3))
    with CaptureQueriesContext(connection) as big:
        r = client.get(url)
    assert "Needs you now" in r.content.decode()
    assert len(big) == len(small), [q["sql"] for q in big.captured_queries]
