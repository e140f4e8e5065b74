"""360 feedback in the browser: open a cycle, raters answer by link, release, results, team."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from leadshift.assessments.services import do_submit_assessment
from leadshift.frameworks.schema import default_framework
from leadshift.people.services import do_add_person, do_create_organisation
from tests.conftest import full_answers
from tests.e2e.helpers import go, sign_in, sign_out

FW = default_framework()
pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "a-long-passphrase"


@pytest.fixture
def org(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    head = do_create_organisation(
        name="Analytical Engines",
        admin_name="Hedy Head",
        admin_email="hedy@ae.example",
        password=PASSWORD,
        title="VP of Product",
    )
    pm = do_add_person(
        head.organisation,
        name="Ada Lovelace",
        email="ada@ae.example",
        manager=head,
        target_role="group_pm",
        password=PASSWORD,
        title="Senior PM",
    )
    do_submit_assessment(pm, pm, "group_pm", full_answers(FW, level=3))
    return {"head": head, "pm": pm}


RATERS = [
    ("Hedy Head", "hedy@ae.example", "Manager"),
    ("Peer One", "one@ae.example", "Peer"),
    ("Peer Two", "two@ae.example", "Peer"),
    ("Peer Three", "three@ae.example", "Peer"),
    ("Stake Holder", "stake@ae.example", "Stakeholder"),
]


def answer_as_rater(
    browser,
    base,
    link,
    level,
    *,
    comment="",
    leave_and_return=False,
    shot=None,
    signed_in_as=None,
):
    """An outsider follows the link from their e-mail; a colleague (`signed_in_as`) opens the
    form from their own home page, where it waits for them."""
    context = browser.new_context(
        viewport={"width": 390, "height": 860} if shot else {"width": 1280, "height": 900}
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    if signed_in_as:
        page.base = base
        sign_in(page, signed_in_as, PASSWORD)
        expect(
            page.get_by_role("heading", name=re.compile("Feedback asked of you"))
        ).to_be_visible()
        page.get_by_role("button", name="Answer for Ada Lovelace").click()
        link = page.url
    else:
        page.goto(link)
    expect(page.get_by_role("heading", name="Feedback for Ada Lovelace")).to_be_visible()
    for i, cap in enumerate(FW.capabilities):
        if i == len(FW.capabilities) - 1:
            page.locator(f"input[name=level_{cap.id}][value='cant_say']").check()
        else:
            # Every behaviour up to the level: the checklist rule then gives that level.
            for lv in range(1, level + 1):
                for key in cap.behaviour_keys(lv):
                    page.locator(f"input[name=behaviour_{cap.id}][value='{key}']").check()
        if comment and i == 0:
            page.get_by_label(f"Comment on {cap.name.lower()}").fill(comment)
        if leave_and_return and i == 2:
            page.get_by_role("button", name="Save and come back later").click()
            page.wait_for_selector("text=Saved. Come back")
            page.goto(link)
            first = FW.capabilities[0]
            assert page.locator(
                f"input[name=behaviour_{first.id}][value='{first.behaviour_keys(level)[-1]}']"
            ).is_checked()
            if comment:
                assert (
                    page.get_by_label(f"Comment on {FW.capabilities[0].name.lower()}").input_value()
                    == comment
                )
    if shot:
        shot(page, "feedback-rater-form-390")
    page.get_by_role("button", name="Send my feedback").click()
    page.wait_for_selector("text=your feedback is sent")
    context.close()


def test_a_pm_gathers_360_feedback_and_their_leader_sees_the_team(page, browser, shot, org):
    sign_in(page, "ada@ae.example", PASSWORD)
    go(page, "Growth", "360 feedback")
    page.get_by_role("link", name="Open a feedback cycle").click()
    page.get_by_label("Closes on").fill((timezone.localdate() + dt.timedelta(days=10)).isoformat())
    for i, (name, email, rel) in enumerate(RATERS, start=1):
        page.get_by_label(f"Name of rater {i}").fill(name)
        page.get_by_label(f"E-mail of rater {i}").fill(email)
        page.get_by_label(f"Relationship of rater {i}").select_option(label=rel)
    shot(page, "feedback-open-cycle")
    page.get_by_role("button", name="Open the cycle and send the invitations").click()
    page.wait_for_selector("h1:has-text('Your feedback cycle')")
    # No rater's link is shown to Ada: each went to its rater alone.
    expect(page.get_by_text("Invitations sent: 4 by e-mail")).to_be_visible()
    assert "/r/fb_" not in page.content() and len(mail.outbox) == 5
    shot(page, "feedback-invitations-sent")
    links = {m.to[0]: re.search(r"http\S+/r/\S+/", m.body) for m in mail.outbox}
    assert links.pop("hedy@ae.example") is None  # Hedy, a colleague, gets no link by mail
    by_email = {email: found[0] for email, found in links.items()}

    # Hedy answers from her own LeadShift home; the others without an account, by their link;
    # one leaves half-way and comes back.
    answer_as_rater(
        browser,
        page.base,
        None,
        3,
        comment="Clear about where we go",
        signed_in_as="hedy@ae.example",
    )
    answer_as_rater(
        browser,
        page.base,
        by_email["one@ae.example"],
        2,
        comment="Could share the why more",
        leave_and_return=True,
        shot=shot,
    )
    answer_as_rater(
        browser, page.base, by_email["two@ae.example"], 2, comment="A steady hand in reviews"
    )

    # Ada sees counts, not names; reminds and extends.
    page.reload()
    counts = page.locator("table").inner_text()
    assert "Peer" in counts and "Peer One" not in page.content()
    page.get_by_role("button", name="Send reminders").click()
    page.wait_for_selector("text=Reminder sent to 2 raters")
    page.get_by_label("New closing date").fill(
        (timezone.localdate() + dt.timedelta(days=20)).isoformat()
    )
    page.get_by_role("button", name="Extend").click()
    page.wait_for_selector("text=The cycle now closes on")
    shot(page, "feedback-cycle-counts")

    fresh = {m.to[0]: re.search(r"http\S+/r/\S+/", m.body)[0] for m in mail.outbox[5:]}
    answer_as_rater(browser, page.base, fresh["three@ae.example"], 2)

    page.get_by_role("button", name="Close and release the results").click()
    dialog = page.get_by_role("dialog", name="Close this 360 and release the results?")
    dialog.get_by_role("button", name="Close and release").click()
    page.wait_for_selector("h1:has-text('Your 360 feedback')")
    body = page.content()
    assert "Blind spots" in body and "Could share the why more" in body
    assert "Peer One" not in body and "one@ae.example" not in body
    expect(page.get_by_role("columnheader", name=re.compile("Peers"))).to_be_visible()
    shot(page, "feedback-results")
    page.set_viewport_size({"width": 390, "height": 860})
    shot(page, "feedback-results-390")
    page.set_viewport_size({"width": 1280, "height": 900})

    # The late stakeholder's fresh link now says the round has closed; the first one, replaced
    # by the reminder, opens nothing.
    late = page.context.browser.new_context().new_page()
    late.goto(fresh["stake@ae.example"])
    expect(late.get_by_text("This feedback round has closed")).to_be_visible()
    late.goto(by_email["stake@ae.example"])
    expect(late.get_by_text("This feedback link is not valid")).to_be_visible()
    late.context.close()

    # The leader's team view.
    sign_out(page)
    sign_in(page, "hedy@ae.example", PASSWORD)
    page.goto(page.base + "/feedback/")
    page.get_by_role("link", name="Team heatmap").click()
    page.wait_for_selector("svg.chart")
    assert "Ada Lovelace" in page.locator("figure.team-heatmap").inner_html()
    expect(page.get_by_role("heading", name="Common gaps")).to_be_visible()
    shot(page, "feedback-team-heatmap")


def test_the_demo_has_feedback_to_show(demo, page, shot):
    from leadshift.demo import DEMO_PASSWORD

    sign_in(page, "sam.rivera@northwind.example", DEMO_PASSWORD)
    page.goto(page.base + "/feedback/")
    page.get_by_role("link", name="Results").first.click()
    page.wait_for_selector("h1:has-text('Your 360 feedback')")
    shot(page, "feedback-demo-results")
    page.goto(page.base + "/feedback/")
    page.get_by_role("link", name="Who has answered").click()
    expect(page.get_by_role("heading", name="Who has answered")).to_be_visible()
    sign_out(page)
    sign_in(page, "maya.okafor@northwind.example", DEMO_PASSWORD)
    page.goto(page.base + "/feedback/team/")
    page.wait_for_selector("figure.team-heatmap svg")
    shot(page, "feedback-demo-team-heatmap")
