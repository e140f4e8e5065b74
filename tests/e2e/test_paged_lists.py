"""A list longer than a page, in the browser at phone width: the pager is a navigation
landmark, the current page is marked, and the next page keeps the sort chosen."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import sign_in
from tests.e2e.test_every_page import AXE, check

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_demo_leader_pages_through_her_team_with_the_sort_kept(demo, page, shot):
    from leadshift.demo import DEMO_PASSWORD

    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, "maya.okafor@northwind.example", DEMO_PASSWORD)
    page.goto(page.base + "/team/")
    pager = page.get_by_role("navigation", name="Team pages")
    expect(pager).to_be_visible()
    expect(pager.locator("[aria-current=page]")).to_have_text("Page 1")
    expect(page.locator(".list-count")).to_contain_text("Showing 1–50 of")
    assert check(page, Path(AXE).read_text()) == []

    pager.get_by_role("link", name="Next page").click()
    page.wait_for_url("**/team/?page=2")
    expect(pager.locator("[aria-current=page]")).to_have_text("Page 2")
    expect(page.locator(".list-count")).to_contain_text("Showing 51–")
    shot(page, "team-page-two")

    # Sorted by name descending, page 2 continues the same order.
    page.goto(page.base + "/team/?sort=-name")
    last_on_first = page.locator("table.team tbody th a").last.inner_text()
    page.get_by_role("navigation", name="Team pages").get_by_role("link", name="Next page").click()
    page.wait_for_url("**/team/?sort=-name&page=2")
    first_on_second = page.locator("table.team tbody th a").first.inner_text()
    assert first_on_second.casefold() <= last_on_first.casefold()
    expect(page.get_by_role("link", name="Previous page")).to_be_visible()
