"""What every browser journey does: sign in, and move through the grouped navigation bar."""

from __future__ import annotations

from typing import Any


def sign_in(page: Any, email: str, password: str) -> None:
    page.goto(page.base + "/login/")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(page.base + "/", timeout=30_000)


def go(page: Any, *path: str) -> None:
    """Follow the bar: go(page, "Growth", "Time use") opens the Growth menu, then its link."""
    *menus, link = path
    nav = page.get_by_role("navigation", name="Main")
    for menu in menus:
        nav.get_by_role("button", name=menu).click()
    # A click only starts the navigation (and the page may redirect): wait for the new page,
    # so no check reads the old one.
    with page.expect_navigation():
        nav.get_by_role("link", name=link, exact=True).click()


def sign_out(page: Any) -> None:
    page.locator("#mainnav .nav-account .nav-group-toggle").click()
    page.get_by_role("button", name="Sign out").click()
