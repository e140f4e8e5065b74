"""In the browser: a leader sends a culture pulse, three people answer it through their own
links (on a phone), and the leader closes it and reads the results and the trend."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from leadshift.people.models import Team
from tests.e2e.helpers import go, sign_in

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "s3cret-pass!"


@pytest.fixture
def lea(make_org, make_person):
    admin = make_org("Acme")
    org = admin.organisation
    lea = make_person(org, "Lea Leader", email="lea@acme.example", is_leader=True)
    team = Team.objects.create(organisation=org, name="Payments")
    for i in range(3):
        make_person(org, f"Member {i}", manager=lea, team=team, email=f"m{i}@acme.example")
    return lea


def fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def answer(browser, link, value, comment, shot=None):
    context = browser.new_context(viewport={"width": 390, "height": 860})
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(link)
    expect(page.get_by_role("heading", name="How is it to work here?")).to_be_visible()
    for radio in page.locator(f"input[type=radio][value='{value}']").all():
        radio.check()
    if comment:
        page.get_by_label(re.compile("Anything else")).fill(comment)
    if shot:
        assert fits(page)
        shot(page, "pulse-answer-390")
    page.get_by_role("button", name="Send my answers").click()
    page.wait_for_selector("text=kept without your name")
    context.close()


def test_a_pulse_from_sending_to_answers_to_results(page, browser, shot, lea):
    sign_in(page, lea.email, PASSWORD)
    go(page, "Leading", "Culture pulse")
    page.get_by_label("Cadence").select_option("monthly")
    page.get_by_label("Answers until").fill(
        (timezone.localdate() + dt.timedelta(days=5)).isoformat()
    )
    page.get_by_role("button", name="Send the pulse to 3 people").click()
    page.wait_for_selector("text=3 people asked")
    assert "fewer than 3 have answered" in page.content()
    shot(page, "pulse-sent")

    links = {m.to[0]: re.search(r"http\S+/pulse/a/\S+/", m.body)[0] for m in mail.outbox}
    assert len(links) == 3
    for k, link in enumerate(links.values()):
        answer(
            browser,
            link,
            4 - k % 2,
            "Retros lead to real changes." if k == 0 else "",
            shot if k == 0 else None,
        )

    page.reload()
    assert "3 have answered" in page.content()
    page.get_by_role("button", name="Close now and release the results").click()
    page.wait_for_selector("h2:has-text('Results')")
    body = page.content()
    assert "3 of 3 people answered" in body and "Retros lead to real changes." in body
    assert "m0@acme.example" not in body and "Member 0" not in body
    expect(page.get_by_role("heading", name="Trend over pulses")).to_be_visible()
    shot(page, "pulse-results")
    page.set_viewport_size({"width": 390, "height": 860})
    assert fits(page)
    shot(page, "pulse-results-390")
