"""A leader in the browser: the pivot radar's signals turned into a decision record and into a
scenario compared with the plan of record, and one dismissed with its reason."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import go, sign_in

pytestmark = pytest.mark.django_db(transaction=True)
EXAMPLE = Path(__file__).resolve().parents[2] / "docs" / "examples" / "portfolio.yaml"


@pytest.fixture
def leader(make_org, make_person):
    from leadshift.planning.services import do_adopt, do_create_scenario, do_start_run
    from leadshift.portfolio.models import Initiative
    from leadshift.portfolio.services import do_import
    from leadshift.risk.services import RiskIn, do_save_risk
    from leadshift.stakeholders.services import do_add_stakeholder

    admin = make_org("Northwind")
    org = admin.organisation
    head = make_person(
        org, "Maya Okafor", email="maya@northwind.example", password="a-long-passphrase"
    )
    make_person(org, "Sam Rivera", manager=head, email="sam@northwind.example")
    do_import(org, None, EXAMPLE.read_text(), "portfolio.yaml")
    plan = do_create_scenario(org, None, name="Next year")
    do_start_run(plan, None, time_limit=5, background=False)
    do_adopt(plan, None)
    checkout = Initiative.objects.get(organisation=org, key="checkout-v2")
    do_save_risk(
        org,
        None,
        RiskIn(
            "Payments lead leaves",
            0.4,
            initiative=checkout.id,
            trigger="No replacement within a month",
            trigger_fired_on=dt.date.today() - dt.timedelta(days=2),
        ),
    )
    do_add_stakeholder(
        head,
        head,
        {
            "name": "Dana Price",
            "role": "CFO",
            "stance": "blocker",
            "initiative_ids": [Initiative.objects.get(organisation=org, key="loyalty").id],
        },
    )
    return head


def _signal(page, title):
    return page.locator("[data-signal]", has_text=title)


def test_signals_become_a_decision_record_and_a_scenario_and_one_is_dismissed(page, shot, leader):
    sign_in(page, "maya@northwind.example", "a-long-passphrase")
    assert page.locator("[data-radar]").inner_text().count("\n") >= 1
    go(page, "Leading", "Radar")
    expect(page.get_by_role("heading", name="Signals (2)")).to_be_visible()
    shot(page, "radar-signals")

    risk = _signal(page, "Trigger fired: Payments lead leaves")
    risk.get_by_role("link", name="Open a decision record").click()
    question = page.get_by_label("Question")
    assert question.input_value().startswith("What do we change now that trigger fired")
    assert "No replacement within a month" in page.get_by_label("Context").input_value()
    shot(page, "radar-decision-form")
    page.get_by_role("button", name="Record decision").click()
    page.wait_for_selector("text=Decision recorded.")
    expect(page.get_by_text("Payments lead leaves").first).to_be_visible()
    shot(page, "radar-decision")

    go(page, "Leading", "Radar")
    _signal(page, "Trigger fired: Payments lead leaves").get_by_role(
        "button", name="Run a scenario without 1 initiative"
    ).click()
    page.wait_for_url("**/planning/compare/**")
    heading = page.get_by_role("heading", name="What changes from “Next year”")
    for _ in range(60):
        if heading.count():
            break
        page.wait_for_timeout(500)
        page.reload()
    assert "checkout-v2" in page.locator("#h-diff + p + ul").inner_text()
    shot(page, "radar-scenario-compared")

    go(page, "Leading", "Radar")
    blocker = _signal(page, "Dana Price is blocking")
    blocker.get_by_text("Dismiss this signal").click()
    blocker.get_by_label("Why it needs no change now").fill("Agreed a smaller pilot with her")
    blocker.get_by_role("button", name="Dismiss").click()
    page.wait_for_selector("text=Dismissed, with your reason.")
    dismissed = page.locator("[data-dismissed]")
    assert "Agreed a smaller pilot with her" in dismissed.inner_text()
    assert "by Maya Okafor" in dismissed.inner_text()
    expect(page.get_by_role("heading", name="Signals (1)")).to_be_visible()
    shot(page, "radar-dismissed")

    page.set_viewport_size({"width": 390, "height": 844})
    wide = page.evaluate("document.documentElement.scrollWidth > window.innerWidth")
    assert not wide, "the radar scrolls sideways at 390 px"
    shot(page, "radar-phone")
