"""The executive brief is assembled from the portfolio, the plan of record, the person's own
decisions and the risk register, each shown only to those who may see it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from leadshift.decisions.services import DecisionIn, OptionIn, do_create_decision
from leadshift.people.models import Person
from leadshift.planning.models import Scenario
from leadshift.portfolio.models import Objective
from leadshift.risk.models import Risk, Simulation
from leadshift.risk.services import RiskIn, do_save_risk
from leadshift.stakeholders.brief import assemble_brief

pytestmark = pytest.mark.django_db


def _text(sections: list[dict[str, str]]) -> str:
    return "\n".join(f"## {s['heading']}\n{s['body']}" for s in sections)


def _keys(sections: list[dict[str, str]]) -> list[str]:
    return [s["key"] for s in sections]


def _decide(owner: Person, question: str) -> None:
    today = timezone.localdate()
    do_create_decision(
        owner,
        DecisionIn(
            question=question,
            options=[OptionIn("Go"), OptionIn("Wait")],
            chosen=0,
            decided_on=today - dt.timedelta(days=3),
            forecast=0.7,
            review_on=today + dt.timedelta(days=60),
        ),
    )


@pytest.fixture
def demo(make_org, make_person):
    from tests.demo_snapshot import loaded_demo

    demo = loaded_demo(seed=7)
    # Another organisation with its own decision, risk and objective: never in the brief.
    globex = make_org("Globex")
    _decide(globex, "Globex: should we buy Initech?")
    do_save_risk(globex.organisation, None, RiskIn("Globex: the factory floods", 0.9))
    Objective.objects.create(organisation=globex.organisation, key="globex", name="Globex goal")
    return demo


def test_the_demo_brief_is_built_from_the_plan_objectives_risks_and_own_decisions(demo):
    maya, sam = demo.leader, demo.pm
    today = timezone.localdate()
    por = Scenario.objects.get(organisation=maya.organisation, is_plan_of_record=True)
    director = Person.objects.filter(manager=maya).first()
    _decide(director, "Director: should Search move to the new index?")
    _decide(sam, "Sam: should checkout offer wallets first?")

    # A finished simulation of the plan of record, and one valuing a mitigation.
    revenue = Objective.objects.get(organisation=maya.organisation, key="revenue")
    redesign = Risk.objects.get(
        organisation=maya.organisation, title="Checkout redesign lowers conversion"
    )
    Simulation.objects.create(
        organisation=maya.organisation,
        scenario=por,
        label="Plan of record",
        status=Simulation.Status.DONE,
        mitigation_of=redesign,
        trials=2000,
        result={
            "objectives": [{"id": "revenue", "target": 900, "p_reach": 0.64}],
            "mitigation": {"mean_gain": 37.5},
        },
    )

    brief = assemble_brief(maya, today)
    text = _text(brief)
    assert _keys(brief)[:4] == ["objectives", "portfolio", "decisions", "risks"]
    # The plan of record, by name, with what runs when and what was left out.
    assert f"Plan of record: “{por.name}”" in text and "adopted" in text
    assert "Initiatives per period:" in text and "This period (" in text
    # Real objectives, their weights, what the plan delivers, and the chance to reach target.
    assert f"{revenue.name} (weight {revenue.weight:g}): the plan of record delivers" in text
    assert "64% likely to reach its target of 900" in text
    # Products the lifecycle says to sunset or develop (a leader may see them).
    assert "Sunset recommended:" in text and "Classic storefront" in text
    # A real top risk with its mitigation and what the mitigation is worth.
    assert "Checkout redesign lowers conversion" in text
    assert "Mitigation: Ship behind a flag to 10 % first (costs 2), worth 38 of value" in text
    # Her own decisions, reviews due, calibration; nobody else's.
    decisions = next(s["body"] for s in brief if s["key"] == "decisions")
    assert "Reviews due:" in decisions and "Brier score" in decisions
    assert any(d.question in decisions for d in maya.decisions.all())
    assert "Director:" not in text and "Sam:" not in text
    # Nothing of another organisation.
    assert "Globex" not in text and "Initech" not in text

    pm = assemble_brief(sam, today)
    pm_text = _text(pm)
    # A PM reads the plan of record, and sees his own decisions only.
    assert f"Plan of record: “{por.name}”" in pm_text
    assert "Sam: should checkout offer wallets first?" in pm_text
    assert "Director:" not in pm_text and "Globex" not in pm_text
    assert not any(d.question in pm_text for d in maya.decisions.all())
    # No risk register, no product detail, no simulation for someone who may not see them.
    assert "risks" not in _keys(pm) and "Top risks" not in pm_text
    assert not any(r.title in pm_text for r in Risk.objects.all())
    assert "Sunset recommended" not in pm_text and "likely to reach" not in pm_text

    # The demo's stakeholders concern real products, initiatives and decisions.
    ravi = maya.stakeholders.get(name="Ravi Menon")
    assert {i.key for i in ravi.initiatives.all()} == {"warehouse-migration", "checkout-v2"}
    assert ravi.decisions.get().owner == maya
    assert sam.stakeholders.get(name="Priya Shah").products.get().key == "checkout"

    # The leader opening the PM's brief sees what the PM's brief holds, no more.
    assert "risks" not in _keys(assemble_brief(sam, today, viewer=maya))


def test_the_brief_page_shows_the_sections_a_pm_may_see(client, team):
    pm = team["pm"]
    _decide(pm, "Should we pilot the pricing page?")
    _decide(team["group"], "Group: reorganise the squads?")
    do_save_risk(team["org"], None, RiskIn("Key engineer leaves", 0.4, mitigation="Pair up."))
    client.force_login(pm.user)
    page = client.get(reverse("brief", args=[pm.id])).content.decode()
    assert "Decisions taken and pending" in page and "Should we pilot the pricing page?" in page
    assert "Group: reorganise" not in page
    assert "Key engineer leaves" not in page and "Top risks" not in page
    api = client.get(f"/api/v1/people/{pm.id}/brief").json()
    assert "risks" not in [s["key"] for s in api["sections"]]
    # The head sees the register in their own brief, and the PM's decisions in the PM's.
    client.force_login(team["head"].user)
    own = client.get(reverse("brief", args=[team["head"].id])).content.decode()
    assert "Top risks and mitigations" in own and "Key engineer leaves" in own
    assert "Pair up" in own and "Should we pilot" not in own
    theirs = client.get(reverse("brief", args=[pm.id])).content.decode()
    assert "Should we pilot the pricing page?" in theirs and "Key engineer leaves" not in theirs
