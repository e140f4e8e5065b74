"""In the browser: a delete asks in the page and can be undone; lists search, sort and
filter; the navigation's search finds what the person may see."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import sign_in

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def leader(make_org, make_person):
    from leadshift.decisions.services import DecisionIn, OptionIn, do_create_decision

    admin = make_org("Northwind")
    org = admin.organisation
    head = make_person(
        org, "Maya Okafor", email="maya@northwind.example", password="a-long-passphrase"
    )
    make_person(org, "Sam Rivera", manager=head, email="sam@northwind.example")
    make_person(org, "Lee Chen", manager=head, email="lee@northwind.example")
    for question, kind in (
        ("Enter Germany in Q2?", "market_entry"),
        ("Raise prices 10%?", "pricing"),
    ):
        do_create_decision(
            head,
            DecisionIn(
                question=question,
                kind=kind,
                criteria=[("Revenue", 1.0)],
                options=[OptionIn("Yes", "", [7])],
                chosen=0,
                decided_on=dt.date.today() - dt.timedelta(days=30),
                forecast=0.7,
                review_on=dt.date.today() + dt.timedelta(days=60),
            ),
        )
    return head


def test_a_delete_asks_in_the_page_and_undo_brings_it_back(page, shot, leader):
    sign_in(page, "maya@northwind.example", "a-long-passphrase")
    page.goto(page.base + "/decisions/")
    page.get_by_role("link", name="Raise prices 10%?").click()
    page.get_by_role("button", name="Delete this decision").click()
    dialog = page.get_by_role("dialog", name="Delete this decision record?")
    expect(dialog).to_be_visible()
    assert "undo this for 30 minutes" in dialog.inner_text()
    shot(page, "confirm-delete-decision")
    dialog.get_by_role("button", name="Cancel").click()
    assert page.get_by_role("dialog").count() == 0
    assert "/decisions/" in page.url
    expect(page.get_by_role("heading", name="Raise prices 10%?")).to_be_visible()

    page.get_by_role("button", name="Delete this decision").click()
    page.get_by_role("dialog").get_by_role("button", name="Delete this decision").click()
    page.wait_for_url(page.base + "/decisions/")
    assert page.get_by_role("link", name="Raise prices 10%?").count() == 0
    shot(page, "undo-offered")
    page.get_by_role("button", name="Undo").click()
    expect(page.get_by_role("heading", name="Raise prices 10%?")).to_be_visible()
    assert "Put back" in page.locator(".messages").inner_text()


def test_a_list_searches_and_filters_and_the_nav_search_finds_a_person(page, shot, leader):
    sign_in(page, "maya@northwind.example", "a-long-passphrase")
    page.goto(page.base + "/decisions/")
    page.get_by_label("Kind").select_option(label="Pricing (1)")
    page.get_by_role("button", name="Show").click()
    page.wait_for_url("**f_kind=Pricing**")
    expect(page.get_by_role("link", name="Raise prices 10%?")).to_be_visible()
    assert page.get_by_role("link", name="Enter Germany in Q2?").count() == 0
    assert "1 of 2 shown" in page.locator(".list-count").inner_text()
    shot(page, "list-filtered")

    page.get_by_role("searchbox", name="Search", exact=True).fill("lee")
    page.keyboard.press("Enter")
    page.get_by_role("link", name="Lee Chen").click()
    assert "Lee Chen" in page.get_by_role("heading", level=1).inner_text()
