"""The leader's portfolio in the browser: products on the map, an override with its reason,
scenarios run in the background, compared and adopted; a PM reads the plan of record; an
import with mistakes, then without; conflicting rules explained in words."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import go, sign_in, sign_out
from tests.portfolio.helpers import EXAMPLE

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_demo_leader_decides_allocates_compares_and_adopts(demo, page, shot):
    from leadshift.demo import DEMO_PASSWORD, LEADER_EMAIL, PM_EMAIL

    sign_in(page, LEADER_EMAIL, DEMO_PASSWORD)
    go(page, "Leading", "Portfolio")
    page.get_by_role("link", name="Products").click()
    assert page.locator("svg.chart title", has_text="Portfolio map").count() == 1
    growing = re.compile(r"market growth \d+% a year is at or above the 10% that counts as growing")
    expect(page.get_by_text(growing).first).to_be_visible()
    expect(page.get_by_text("Overruled: Three enterprise contracts")).to_be_visible()
    shot(page, "portfolio-products")

    page.get_by_role("link", name="Classic storefront").click()
    page.get_by_label("Sustain").check()
    page.get_by_role("button", name="Save decision").click()
    expect(page.get_by_text("say why you overrule the recommendation").first).to_be_visible()
    page.get_by_label("Sustain").check()
    page.get_by_label("Why").fill(
        "The migration to v3 finishes in the third quarter; keep it until then."
    )
    page.get_by_role("button", name="Save decision").click()
    expect(page.get_by_text("your reason is kept")).to_be_visible()
    page.get_by_role("link", name="Scenarios & allocation").click()
    page.get_by_role("button", name="Compare").click()
    expect(page.get_by_text(re.compile("What changes from"))).to_be_visible()
    shot(page, "planning-compare")

    page.goto(page.base + "/planning/")
    page.get_by_label("Name").fill("Mobile gets two more")
    page.get_by_label("Start from").select_option(label="Next four quarters")
    page.get_by_role("button", name="Create scenario").click()
    page.get_by_text("Change a team's capacity").click()
    page.get_by_label("Team").select_option(label="Mobile")
    page.get_by_label("Period").select_option(index=1)
    page.get_by_label("Person-weeks in this scenario").fill("40")
    page.get_by_role("button", name="Save capacity change").click()
    expect(page.get_by_text(re.compile("Mobile has 40 person-weeks"))).to_be_visible()
    page.get_by_label("Time limit (seconds)").fill("5")
    page.get_by_role("button", name="Run the optimiser").click()
    # Solved in a background thread; the page polls and reloads when done.
    page.get_by_role("heading", name="Initiatives by period and team").wait_for(timeout=60_000)
    expect(page.get_by_text("The optimiser gains")).to_be_visible()
    expect(page.get_by_role("heading", name="Left out, and why")).to_be_visible()
    shot(page, "planning-plan")
    page.get_by_role("link", name="Back to the scenario").click()
    page.get_by_role("button", name="Adopt as plan of record").click()
    expect(page.get_by_text("Adopted as the plan of record")).to_be_visible()
    sign_out(page)
    sign_in(page, PM_EMAIL, DEMO_PASSWORD)
    assert page.get_by_role("link", name="Portfolio", exact=True).count() == 0
    go(page, "Leading", "Plan of record")
    expect(page.get_by_text("“Mobile gets two more”")).to_be_visible()
    expect(page.get_by_text("Read only")).to_be_visible()
    assert page.locator("main form").count() == 0
    page.set_viewport_size({"width": 390, "height": 844})
    shot(page, "plan-of-record-phone")
    assert page.goto(page.base + "/portfolio/").status == 404


def test_an_import_with_mistakes_then_without_and_conflicts_in_words(page, shot):
    from leadshift.people.services import do_create_organisation

    do_create_organisation(
        name="Initech",
        admin_name="Ira Admin",
        admin_email="ira@initech.example",
        password="a-long-passphrase",
    )
    sign_in(page, "ira@initech.example", "a-long-passphrase")
    page.goto(page.base + "/portfolio/import/")
    good = EXAMPLE.read_text()
    bad = good.replace("{id: mobile, capacity: 16}", "{id: mobile, capacity: -16}").replace(
        "after: [migrate-db], horizon: adjacent", "after: [migrate-dbb], horizon: adjacent"
    )
    page.get_by_label("Or paste it").fill(bad)
    page.get_by_role("button", name="Check and import").click()
    expect(page.get_by_role("heading", name="Nothing was imported")).to_be_visible()
    expect(
        page.get_by_text("pasted.yaml:6: teams[2].capacity: must be at least 0, got -16")
    ).to_be_visible()
    expect(page.get_by_text(re.compile("unknown initiative 'migrate-dbb'"))).to_be_visible()
    shot(page, "portfolio-import-errors")
    page.get_by_label("Or paste it").fill(good)
    page.get_by_role("button", name="Check and import").click()
    expect(
        page.get_by_text(re.compile("Imported 3 teams, 2 objectives, 0 products, 9 initiatives"))
    ).to_be_visible()
    shot(page, "portfolio-home")

    page.goto(page.base + "/planning/")
    page.get_by_label("Name").fill("Too much at once")
    page.get_by_role("button", name="Create scenario").click()
    for item in ("checkout-v2", "loyalty", "self-serve-onboarding", "fraud-scoring"):
        page.get_by_text("Make an initiative mandatory, or leave it out").click()
        page.get_by_label("Initiative").select_option(label=item)
        page.get_by_role("button", name="Save rule").click()
    for period in ("Q1", "Q2", "Q3", "Q4"):
        page.get_by_text("Change a team's capacity").click()
        page.get_by_label("Team").select_option(label="payments")
        page.get_by_label("Period").select_option(label=period)
        page.get_by_label("Person-weeks in this scenario").fill("12")
        page.get_by_role("button", name="Save capacity change").click()
    page.get_by_label("Time limit (seconds)").fill("5")
    page.get_by_role("button", name="Run the optimiser").click()
    page.get_by_role("heading", name="No plan keeps every rule").wait_for(timeout=60_000)
    assert page.locator(".infeasible li", has_text="payments").count() >= 1
    shot(page, "planning-conflict")
