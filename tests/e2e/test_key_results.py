"""A leader records an actual that puts a key result behind its trajectory, and sees it on
the portfolio's health page, on a laptop and on a phone, and as a signal on the pivot radar
that opens a decision record."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.e2e.helpers import go, sign_in
from tests.portfolio.helpers import load_example

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def leader(make_org):
    from leadshift.portfolio.models import Objective
    from leadshift.portfolio.services import do_record_actual, do_save_key_result

    admin = make_org("Acme", admin_email="ada@acme.example")
    load_example(admin.organisation, admin)
    today = timezone.localdate()
    churn = do_save_key_result(
        Objective.objects.get(organisation=admin.organisation, key="retention"),
        admin,
        key="churn",
        name="Monthly churn",
        unit="%",
        baseline=3.0,
        target=2.0,
        starts_on=today - dt.timedelta(days=180),
        due_on=today + dt.timedelta(days=180),
    )
    do_record_actual(churn, admin, on=today - dt.timedelta(days=30), value=2.55)
    return admin


def test_an_actual_behind_the_line_shows_as_off_its_trajectory_on_health(page, shot, leader):
    sign_in(page, "ada@acme.example", "s3cret-pass!")
    go(page, "Leading", "Portfolio")
    page.get_by_role("link", name="retention", exact=True).click()
    page.get_by_role("heading", name="Monthly churn on track").wait_for()

    page.get_by_label("Value (%)").fill("2.95")
    page.get_by_label("Note").fill("Two mid-market accounts left")
    page.get_by_role("button", name="Record actual for Monthly churn").click()
    page.get_by_text("Recorded 2.95 for “Monthly churn”").wait_for()
    expect(page.get_by_role("heading", name="Monthly churn off its trajectory")).to_be_visible()
    shot(page, "results-objective")

    page.get_by_role("navigation", name="Portfolio").get_by_role("link", name="Health").click()
    row = page.get_by_test_id("kr-retention-churn")
    row.wait_for()
    expect(row.get_by_text("off its trajectory")).to_be_visible()
    assert "45% of the way behind the line" in row.inner_text()
    assert page.locator("svg.chart title", has_text="Key-result progress per objective").count()
    shot(page, "results-health")

    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    wide = page.evaluate("document.documentElement.scrollWidth")
    assert wide <= 390, f"the health page scrolls sideways at 390 px ({wide} px wide)"
    shot(page, "results-health-phone")

    page.get_by_role("link", name="retention", exact=True).click()
    page.get_by_role("heading", name="Monthly churn off its trajectory").wait_for()
    wide = page.evaluate("document.documentElement.scrollWidth")
    assert wide <= 390, f"the objective's page scrolls sideways at 390 px ({wide} px wide)"

    page.set_viewport_size({"width": 1280, "height": 900})
    go(page, "Leading", "Radar")
    signal = page.locator("[data-signal]", has_text="Monthly churn is off its trajectory")
    assert "45% of the way behind the line" in signal.inner_text()
    shot(page, "results-radar-signal")
    signal.get_by_role("link", name="Open a decision record").click()
    assert "monthly churn is off its trajectory" in page.get_by_label("Question").input_value()
    page.get_by_role("button", name="Record decision").click()
    page.wait_for_selector("text=Decision recorded.")
