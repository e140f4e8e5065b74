"""In the browser: a calendar becomes a weekly chart; a stakeholder map with a logged contact
shows health and whom to see; the brief is edited and downloaded as a PDF."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import go, sign_in

pytestmark = pytest.mark.django_db(transaction=True)
DATA = Path(__file__).resolve().parents[1] / "timeuse" / "data"


@pytest.fixture
def pia(make_org, make_person):
    admin = make_org("Acme")
    head = make_person(
        admin.organisation, "Hana Head", email="hana@acme.example", title="VP of Product"
    )
    return make_person(admin.organisation, "Pia PM", manager=head, email="pia@acme.example")


def test_a_calendar_upload_becomes_a_weekly_chart(page, shot, pia, tmp_path):
    sign_in(page, pia.email, "s3cret-pass!")
    go(page, "Growth", "Time use")
    bad = tmp_path / "mars.ics"
    bad.write_text(
        "BEGIN:VCALENDAR\nVERSION:2.0\nBEGIN:VEVENT\nDTSTART;TZID=Mars/Olympus:20260101T090000\n"
        "DTEND:20260101T100000Z\nSUMMARY:x\nEND:VEVENT\nEND:VCALENDAR\n"
    )
    page.get_by_label("Calendar files (.ics)").set_input_files(str(bad))
    page.get_by_role("button", name="Import").click()
    assert "mars.ics:4: unknown time zone" in page.get_by_role("alert").inner_text()
    shot(page, "timeuse-bad-file")
    page.get_by_label("Calendar files (.ics)").set_input_files(
        [str(DATA / "google_export.ics"), str(DATA / "outlook_export.ics")]
    )
    page.get_by_role("button", name="Import").click()
    page.wait_for_selector("text=Only weekly totals are kept")
    assert page.locator("#weekly-chart svg.chart rect").count() > 10
    expect(page.get_by_role("heading", name="The trend over months")).to_be_visible()
    shot(page, "timeuse")
    page.get_by_role("link", name="See and edit the rules").click()
    page.get_by_label("Rules (YAML)").fill(
        "version: 1\nrules:\n  - id: a\n    poles: {nowhere: 1}\n"
    )
    page.get_by_role("button", name="Save rules").click()
    assert "rules.yaml:" in page.get_by_role("alert").inner_text()
    shot(page, "timeuse-rules-error")


def test_a_stakeholder_map_with_a_contact_shows_health_and_whom_to_see(page, shot, pia):
    sign_in(page, pia.email, "s3cret-pass!")
    go(page, "Growth", "Stakeholders")
    page.get_by_label("Name").fill("Dana Finch")
    page.get_by_label("Role").fill("CFO")
    page.locator("input[name=influence][value='5']").check()
    page.locator("input[name=interest][value='4']").check()
    page.get_by_label("Sceptic").check()
    page.get_by_label("What they care about").fill("Payback within a year")
    page.get_by_label("See them every … days").fill("14")
    page.get_by_role("button", name="Add stakeholder").click()
    page.wait_for_selector("text=Added Dana Finch")
    assert "you have not met yet" in page.locator(".suggestions").inner_text()
    page.get_by_role("link", name="Dana Finch").first.click()
    page.get_by_label("Note").fill("Walked through the pricing pilot; wants a payback model.")
    page.locator("input[name=tone][value='-1']").check()
    page.get_by_role("button", name="Log contact").click()
    page.wait_for_selector("text=Logged the contact")
    assert re.search(r"\d+ of 100", page.locator("#h-health + p").inner_text())
    assert page.locator("svg.chart").count() >= 1
    shot(page, "stakeholder-detail")
    page.get_by_role("link", name="your map").click()
    assert page.locator("svg.chart circle").count() >= 1
    shot(page, "stakeholder-map")
    page.set_viewport_size({"width": 390, "height": 844})
    shot(page, "stakeholder-map-phone")


def test_the_brief_is_edited_and_downloaded_as_a_pdf(page, shot, pia):
    sign_in(page, pia.email, "s3cret-pass!")
    page.goto(page.base + f"/people/{pia.id}/brief/")
    expect(page.get_by_role("heading", name="Stakeholder alignment").first).to_be_visible()
    page.get_by_label("Title").first.fill("Board brief, Q3")
    page.get_by_label("Text for “Asks”").fill("- Approve the pricing pilot\n- One more designer")
    page.get_by_role("button", name="Save this brief").click()
    page.wait_for_selector("text=Brief saved")
    expect(page.locator("li", has_text="Approve the pricing pilot").first).to_be_visible()
    shot(page, "brief")
    with page.expect_download() as info:
        page.get_by_role("link", name="Download PDF").click()
    path = info.value.path()
    assert Path(path).read_bytes().startswith(b"%PDF")


def test_the_demo_leaders_stakeholders_concern_real_things_and_her_brief_uses_them(
    demo, page, shot
):
    from leadshift.demo import DEMO_PASSWORD, LEADER_EMAIL

    sign_in(page, LEADER_EMAIL, DEMO_PASSWORD)
    go(page, "Growth", "Stakeholders")
    expect(page.get_by_role("columnheader", name="Concerned with")).to_be_visible()
    shot(page, "stakeholder-map-concerns")
    page.get_by_role("link", name="Ravi Menon").first.click()
    concerns = page.locator(".concern-list").first
    assert "Warehouse migration" in concerns.inner_text()
    assert concerns.get_by_role("link", name="Move the data platform to a managed warehouse?")
    shot(page, "stakeholder-detail-concerns")
    page.get_by_text("Edit Ravi Menon").click()
    page.get_by_label("Products").select_option(label="Insights")
    page.get_by_role("button", name="Save", exact=True).click()
    page.wait_for_selector("text=Saved.")
    assert "Insights" in page.locator(".concern-list").first.inner_text()

    page.get_by_role("link", name="your map").click()
    page.get_by_role("link", name="Executive brief").click()
    for heading in (
        "Objectives and progress",
        "Portfolio and plan of record",
        "Decisions taken and pending",
        "Top risks and mitigations",
    ):
        expect(page.get_by_role("heading", name=heading).first).to_be_visible()
    expect(page.get_by_text("Plan of record: “Next four quarters”").first).to_be_visible()
    shot(page, "brief-leader")
    page.set_viewport_size({"width": 390, "height": 844})
    shot(page, "brief-leader-phone")
