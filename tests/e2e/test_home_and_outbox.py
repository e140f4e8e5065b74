"""The home page by role and the outbox, in the browser: a new organisation's checklist, a
leader's home (Maya in the demo), and a rater's link passed on from the outbox by an admin
outside the subject's line, while the subject's manager sees it withheld."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from leadshift.assessments.services import do_submit_assessment
from leadshift.frameworks.schema import default_framework
from leadshift.outbox.delivery import OUTBOX_BACKEND
from leadshift.people.services import do_add_person, do_create_organisation
from tests.conftest import full_answers
from tests.e2e.helpers import go, sign_in, sign_out

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "a-long-passphrase"


def open_account_menu_link(page, name):
    page.locator("#mainnav .nav-account .nav-group-toggle").click()
    page.get_by_role("navigation", name="Main").get_by_role("link", name=name).click()


def test_a_new_organisation_gets_a_getting_started_checklist(page, shot, settings):
    settings.EMAIL_BACKEND = OUTBOX_BACKEND  # as under `make run`: signed in at once
    page.goto(page.base + "/signup/")
    page.get_by_label("Your name").fill("Grace Hopper")
    page.get_by_label("Work e-mail").fill("grace@cobol.example")
    page.get_by_label("Your role today").fill("Head of product")
    page.get_by_label("Organisation").fill("Compilers Inc")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Create my account").click()
    page.wait_for_url(page.base + "/")
    checklist = page.locator("[data-checklist]")
    expect(checklist.get_by_role("heading", name="Getting started")).to_be_visible()
    steps = checklist.locator("[data-step]")
    assert steps.count() == 5
    assert checklist.locator("[data-done=yes]").count() == 0
    texts = " ".join(steps.all_inner_texts())
    for text in ("Invite people", "Set managers", "Take the self-assessment", "Open a 360"):
        assert text in texts
    shot(page, "home-getting-started")
    checklist.get_by_role("link", name="Enter the portfolio").click()
    page.wait_for_url(page.base + "/portfolio/")


@pytest.fixture
def org(settings):
    settings.EMAIL_BACKEND = OUTBOX_BACKEND
    olga = do_create_organisation(
        name="Analytical Engines",
        admin_name="Olga Ops",
        admin_email="olga@ae.example",
        password=PASSWORD,
        title="Operations",
    )
    org = olga.organisation
    hedy = do_add_person(
        org, name="Hedy Head", email="hedy@ae.example", password=PASSWORD, title="VP of Product"
    )
    hedy.is_admin = True
    hedy.save(update_fields=["is_admin"])
    ada = do_add_person(
        org,
        name="Ada Lovelace",
        email="ada@ae.example",
        manager=hedy,
        target_role="group_pm",
        password=PASSWORD,
    )
    do_submit_assessment(ada, ada, "group_pm", full_answers(default_framework(), level=3))
    return org


def test_an_admin_outside_the_line_passes_on_a_raters_link_the_manager_cannot_see(page, shot, org):
    sign_in(page, "ada@ae.example", PASSWORD)
    go(page, "Growth", "360 feedback")
    page.get_by_role("link", name="Open a feedback cycle").click()
    page.get_by_label("Closes on").fill((timezone.localdate() + dt.timedelta(days=10)).isoformat())
    page.get_by_label("Name of rater 1").fill("Peer One")
    page.get_by_label("E-mail of rater 1").fill("one@outside.example")
    page.get_by_label("Relationship of rater 1").select_option(label="Peer")
    page.get_by_role("button", name="Open the cycle and send the invitations").click()
    page.get_by_text("Invitations sent: 1 by e-mail").wait_for()
    assert "In the outbox for 1 person (no mail server is set up)" in page.content()
    assert "/r/fb_" not in page.content()
    sign_out(page)

    # Ada's manager is an admin, but a rater's link is not hers to hold.
    sign_in(page, "hedy@ae.example", PASSWORD)
    open_account_menu_link(page, "Outbox")
    page.wait_for_selector("h1:has-text('Outbox')")
    assert "1 message withheld: it holds a personal feedback link for a rater" in (
        page.locator("[data-withheld]").inner_text()
    )
    assert "one@outside.example" not in page.content() and "/r/fb_" not in page.content()
    shot(page, "outbox-withheld")
    sign_out(page)

    # Olga, outside Ada's line, reads it and the link works.
    sign_in(page, "olga@ae.example", PASSWORD)
    open_account_menu_link(page, "Outbox")
    page.get_by_label("Recipient").fill("one@")
    page.get_by_role("button", name="Search").click()
    page.get_by_role("link", name="Ada Lovelace asks for your feedback").click()
    assert page.locator("[data-to]").inner_text() == "one@outside.example"
    shot(page, "outbox")
    page.locator("[data-mail-body] a[href*='/r/fb_']").click()
    page.wait_for_selector("h1:has-text('Feedback for Ada Lovelace')")


def test_maya_sees_what_needs_her_now(demo, page, shot):
    from leadshift.demo import DEMO_PASSWORD, LEADER_EMAIL

    sign_in(page, LEADER_EMAIL, DEMO_PASSWORD)
    now = page.locator("[data-leader-home]")
    expect(now.get_by_role("heading", name="Needs you now")).to_be_visible()
    text = now.inner_text()
    for heading in (
        "Pivot radar",
        "Risks flagged",
        "Stakeholders overdue",
        "Open 360 cycles",
        "readiness",
    ):
        assert heading in text, heading
    assert "Sam Rivera" in now.locator("[data-cycles]").inner_text()
    assert "Trigger fired: Processor raises fees" in now.locator("[data-radar]").inner_text()
    assert "6–12 months" in now.locator("[data-readiness]").inner_text()
    expect(page.get_by_role("heading", name="Decisions to review")).to_be_visible()
    assert page.locator("[data-checklist]").count() == 0
    shot(page, "home-leader")
    now.get_by_role("link", name="Who is ready for what").click()
    page.wait_for_selector("figure.team-heatmap svg")
