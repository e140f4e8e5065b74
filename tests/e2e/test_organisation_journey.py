"""A new organisation adopts LeadShift in the browser: the admin signs up, creates the teams,
imports the 20-person example file, invites two colleagues, and one of them joins from the
e-mail's link and finds the imported people under My team and on the team heatmap."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from leadshift.outbox.delivery import OUTBOX_BACKEND
from tests.e2e.helpers import go, sign_out

EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "examples"
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _no_mail_server(settings):
    settings.EMAIL_BACKEND = OUTBOX_BACKEND


def open_admin(page, tab):
    page.locator("#mainnav .nav-account .nav-group-toggle").click()
    page.get_by_role("link", name="People and teams").click()
    if tab != "People":
        page.get_by_role("navigation", name="Organisation").get_by_role("link", name=tab).click()


def open_account_menu_link(page, name):
    page.locator("#mainnav .nav-account .nav-group-toggle").click()
    page.get_by_role("navigation", name="Main").get_by_role("link", name=name).click()


def invite(page, email, manager=None, team=None):
    page.get_by_label("E-mail").fill(email)
    if manager:
        page.locator("#id_manager").select_option(label=manager)
    if team:
        page.locator("#id_team").select_option(label=team)
    page.get_by_role("button", name="Send invitation").click()
    page.get_by_text(f"In the outbox for {email}").wait_for()


def test_an_admin_brings_a_new_organisation_in_and_a_colleague_joins(page, shot):
    page.goto(page.base + "/signup/")
    page.get_by_label("Your name").fill("Hana Admin")
    page.get_by_label("Work e-mail").fill("hana@lumen.example")
    page.get_by_label("Organisation").fill("Lumen")
    page.get_by_label("Password").fill("a-long-passphrase")
    page.get_by_role("button", name="Create my account").click()
    page.wait_for_url(page.base + "/")

    open_admin(page, "Teams")
    for name in ("Payments", "Onboarding", "Search"):
        page.get_by_label("Name").fill(name)
        page.get_by_role("button", name="Create team").click()
        page.get_by_text(f"Team {name} created.").wait_for()
    shot(page, "org-teams")

    open_admin(page, "Import")
    page.get_by_label("People file").set_input_files(str(EXAMPLES / "people.csv"))
    page.get_by_role("button", name="Check and import").click()
    page.get_by_text("Imported people.csv: 20 added, 0 updated.").wait_for()
    assert page.locator("table.people tbody tr").count() == 21
    shot(page, "org-people")

    open_admin(page, "Invitations")
    invite(page, "ada.lindqvist@lumen.example")
    invite(page, "zoe.park@lumen.example", manager="Ada Lindqvist", team="Search")
    pending = page.locator(".pending-invitations")
    assert "ada.lindqvist@lumen.example" in pending.inner_text()
    assert "zoe.park@lumen.example" in pending.inner_text()
    shot(page, "org-invitations")
    # No mail server: the admin takes the link from the outbox and passes it on.
    open_account_menu_link(page, "Outbox")
    outbox = page.locator("table").inner_text()
    assert "ada.lindqvist@lumen.example" in outbox and "zoe.park@lumen.example" in outbox
    page.get_by_role("row", name="ada.lindqvist@lumen.example").get_by_role("link").click()
    shot(page, "org-outbox-invitation")
    link = page.locator("[data-mail-body] a[href*='/invite/']").get_attribute("href")
    sign_out(page)

    page.goto(link)
    page.get_by_label("Your name").fill("Ada Lindqvist")
    page.get_by_label("Choose a password").fill("ada-long-passphrase")
    shot(page, "org-accept")
    page.get_by_role("button", name="Join").click()
    page.wait_for_url(page.base + "/")
    page.get_by_text("Welcome to Lumen, Ada Lindqvist.").wait_for()
    # Ada leads the imported organisation: her home says what needs her and how ready her
    # team is (no one has assessed yet).
    now = page.locator("[data-leader-home]")
    expect(now.get_by_role("heading", name="Needs you now")).to_be_visible()
    assert "19" in now.locator("[data-readiness]").inner_text()
    shot(page, "org-leader-home")

    go(page, "My team")
    team_html = page.content()
    for name in ("Tomás Ferreira", "Ravi Menon", "Priya Raman", "Kwame Asante"):
        assert name in team_html
    shot(page, "org-my-team")
    page.goto(page.base + "/feedback/team/")
    heatmap = page.locator(".team-heatmap").inner_text()
    assert "Ravi Menon" in page.content() and heatmap
    shot(page, "org-team-heatmap")

    # The link works once.
    sign_out(page)
    page.goto(link)
    page.get_by_text("This invitation has already been used").wait_for()
    shot(page, "org-link-used")
