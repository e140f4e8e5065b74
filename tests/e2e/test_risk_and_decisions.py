"""A leader in the browser: a decision from a template, its outcome, calibration; a risk,
the heatmap, a simulation with its percentiles and tornado."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from tests.e2e.helpers import go, sign_in

pytestmark = pytest.mark.django_db(transaction=True)
EXAMPLE = Path(__file__).resolve().parents[2] / "docs" / "examples" / "portfolio.yaml"


@pytest.fixture
def leader(make_org, make_person):
    from leadshift.portfolio.services import do_import

    admin = make_org("Northwind")
    org = admin.organisation
    head = make_person(
        org, "Maya Okafor", email="maya@northwind.example", password="a-long-passphrase"
    )
    make_person(org, "Sam Rivera", manager=head, email="sam@northwind.example")
    do_import(org, None, EXAMPLE.read_text(), "portfolio.yaml")
    return head


def test_a_decision_from_a_template_to_calibration(page, shot, leader):
    sign_in(page, "maya@northwind.example", "a-long-passphrase")
    go(page, "Leading", "Decisions")
    page.get_by_role("link", name="Record a decision").click()
    shot(page, "decisions-templates")
    page.get_by_role("link", name="Start from this template, Weighted criteria").click()
    page.get_by_label("Question").fill("Should we enter the German market in Q2?")
    page.get_by_label("Kind", exact=True).select_option("market_entry")
    page.get_by_label("Decided on").fill((dt.date.today() - dt.timedelta(days=60)).isoformat())
    page.get_by_label("Option 1 name").fill("Enter in Q2")
    page.get_by_label("Option 2 name").fill("Wait a year")
    page.get_by_label("Option 3 name").fill("")
    for k, score in enumerate(["8", "7", "4", "5", "5"]):
        page.locator(f"input[name=score-0-{k}]").fill(score)
    for k, score in enumerate(["5", "6", "8", "8", "8"]):
        page.locator(f"input[name=score-1-{k}]").fill(score)
    page.get_by_label("Option 1 is the choice").check()
    page.get_by_label("The choice and why").fill("Two anchor customers are ready to sign.")
    page.get_by_label("One-way door: hard to undo").check()
    page.get_by_label("Decided by").select_option(label="Maya Okafor")
    page.get_by_label("Chance of success (%)").fill("150")
    review = (dt.date.today() - dt.timedelta(days=1)).isoformat()
    page.get_by_label("Review on").fill(review)
    page.get_by_role("button", name="Record decision").click()
    alert = page.get_by_role("alert")
    assert "Chance of success: enter a percentage from 0 to 100" in alert.inner_text()
    # The keyboard is put on the field to fix.
    assert page.evaluate("document.activeElement.id") == "forecast"
    assert page.get_by_label("Question").input_value() == "Should we enter the German market in Q2?"
    shot(page, "decision-bad-forecast")
    page.get_by_label("Chance of success (%)").fill("80")
    page.get_by_role("button", name="Record decision").click()
    page.wait_for_selector("text=Decision recorded.")
    assert (
        page.locator("td.num strong").first.inner_text() in {"6.15", "6.17"}
        or page.locator("text=Weighted total").count()
    )
    assert "due for review" in page.content()
    shot(page, "decision-detail")
    page.get_by_role("link", name="Export Markdown").wait_for()
    page.get_by_label("Succeeded", exact=True).check()
    page.get_by_label("Lesson").fill(
        "Anchor customers made the launch; line them up first next time."
    )
    page.get_by_role("button", name="Record outcome").click()
    page.wait_for_selector("text=Outcome recorded.")
    page.get_by_role("link", name="All decisions").click()
    page.get_by_role("link", name="Calibration").click()
    assert page.locator(".big-number span", has_text="Brier score").count() == 1
    assert page.locator(".big-number strong").inner_text() == "0.040"
    assert page.locator("svg title", has_text="forecast against what happened").count() >= 1
    shot(page, "calibration")


def test_a_risk_the_heatmap_and_a_simulation(page, shot, leader):
    sign_in(page, "maya@northwind.example", "a-long-passphrase")
    go(page, "Leading", "Risks")
    page.get_by_role("button", name="Save driver").wait_for()
    page.get_by_label("Driver", exact=True).fill("A key engineer leaves")
    page.get_by_label("Likelihood (%)").fill("30")
    page.get_by_role("button", name="Save driver").click()
    page.get_by_role("link", name="Add a risk").click()
    page.get_by_label("Risk", exact=True).fill("Payments lead leaves")
    page.get_by_label("What it hits").select_option(label="checkout-v2")
    page.get_by_label("Likelihood (%)").fill("70")
    page.get_by_label("Shared driver").select_option(index=1)
    page.get_by_label("Delay (periods)").fill("1")
    page.get_by_label("Value lost (%)").fill("30")
    page.get_by_label("Likelihood once mitigated (%)").fill("20")
    page.get_by_label("Its cost").fill("5")
    page.get_by_label("Trigger: when do we pivot?").fill("Resignation letter")
    page.get_by_role("button", name="Add risk").click()
    page.wait_for_selector("text=Risk added to the register.")
    heat = page.locator("figure.heatmap svg")
    assert "Payments lead leaves" in heat.inner_html()
    shot(page, "risk-register")
    page.get_by_role("link", name="Simulate the plan").click()
    page.get_by_label("Trials").fill("4000")
    page.get_by_label("Seed").fill("7")
    option = page.locator("#mitigation_of option", has_text="Payments lead leaves")
    page.get_by_label("What is a mitigation worth?").select_option(option.get_attribute("value"))
    page.get_by_role("button", name="Run simulation").click()
    page.wait_for_selector("text=Delivered value", timeout=60_000)
    for label in ("P10", "P50", "P90", "Mean"):
        assert page.locator(".stat-row span", has_text=label).count() >= 1
    assert page.locator("text=What drives the spread").count() >= 1
    assert "Payments lead leaves" in page.locator("#h-tornado + figure").inner_html()
    assert page.locator("text=What mitigating “Payments lead leaves” is worth").count() == 1
    shot(page, "simulation")
    page.set_viewport_size({"width": 390, "height": 844})
    shot(page, "simulation-390")
