"""A product manager's journey in the browser: sign up, assess, profile, plan, reassess."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from leadshift.frameworks.schema import default_framework
from tests.e2e.helpers import go

FW = default_framework()
pytestmark = pytest.mark.django_db(transaction=True)


def sign_up(page, email="ada@example.com"):
    page.goto(page.base + "/signup/")
    page.get_by_label("Your name").fill("Ada Lovelace")
    page.get_by_label("Work e-mail").fill(email)
    page.get_by_label("Your role today").fill("Senior product manager")
    page.get_by_label("Organisation").fill("Analytical Engines")
    page.get_by_label("Password").fill("a-long-passphrase")
    page.get_by_role("button", name="Create my account").click()
    page.get_by_role("heading", name="Check your e-mail").wait_for()
    # The live server runs in this process: its mail lands in Django's test outbox.
    link = re.search(r"https?://\S+", mail.outbox[-1].body).group(0)
    page.goto(page.base + re.sub(r"^https?://[^/]+", "", link))
    page.wait_for_url(page.base + "/")


def answer_shift_step(page, option_index):
    for fieldset in page.locator("fieldset.choices").all():
        radios = fieldset.locator("input[type=radio]")
        radios.nth(min(option_index, radios.count() - 1)).check()
    page.get_by_role("button", name=re.compile("Save and")).click()


def answer_capability_step(page, level, evidence=""):
    # Tick every behaviour of the levels up to the one wanted: the rule then gives that level.
    for box in page.locator("input[name=behaviour]").all():
        if int(box.get_attribute("value").split(".")[1]) <= level:
            box.check()
    page.locator("[data-checklist-level]").filter(has_text=f"{level}.").wait_for()
    if evidence:
        page.get_by_role("textbox", name="Evidence").fill(evidence)
    page.get_by_role("button", name=re.compile("Save and")).click()


def take_assessment(page, *, role_label, shift_option, level, leave_after=None):
    go(page, "Growth", "Assess")
    page.get_by_label(re.compile(role_label)).check()
    page.get_by_role("button", name="Start").click()
    steps = len(FW.shifts) + len(FW.capabilities)
    for i in range(steps):
        page.wait_for_selector("text=Step")
        if i < len(FW.shifts):
            answer_shift_step(page, shift_option)
        else:
            answer_capability_step(
                page, level, evidence="Ran the Q3 portfolio review" if i == len(FW.shifts) else ""
            )
        if leave_after is not None and i == leave_after:
            # Leave, come back from the dashboard, and find the answers still there.
            page.goto(page.base + "/")
            page.get_by_role("link", name="Continue the assessment").click()
            first = (
                page.locator("fieldset.choices")
                .first.locator("input[type=radio]")
                .nth(shift_option)
            )
            assert first.is_checked()
            page.goto(re.sub(r"/step/\d+/", f"/step/{i + 2}/", page.url))
    page.get_by_role("button", name="Finish and see my profile").click()
    page.wait_for_selector("h1:has-text('readiness')")


def test_a_product_manager_walks_the_whole_shift_journey(page, shot):
    sign_up(page)
    expect(page.locator("a.button.primary", has_text="Take the self-assessment")).to_be_visible()
    # 2. The self-assessment, leaving half-way and coming back.
    take_assessment(
        page, role_label="Group product manager|Group PM", shift_option=1, level=2, leave_after=2
    )

    # 3. The readiness profile.
    assert page.locator("svg.chart").count() >= 2
    expect(page.get_by_role("heading", name="Biggest gaps")).to_be_visible()
    assert page.locator(".verdict").first.inner_text().strip() != ""
    expect(page.get_by_text("Ran the Q3 portfolio review")).to_be_visible()
    shot(page, "profile")
    page.set_viewport_size({"width": 390, "height": 844})
    shot(page, "profile-phone")
    page.set_viewport_size({"width": 1280, "height": 900})

    # 4. The 90-day plan: done, reorder, edit, add, drop, check in.
    page.get_by_role("button", name="Create a 90-day plan from these gaps").click()
    page.wait_for_selector("h2:has-text('Progress')")
    actions = page.locator("li.action")
    assert actions.count() == 9
    first_title = actions.first.locator(".action-title strong").inner_text()
    page.get_by_role("button", name=f"Mark “{first_title}” done").click()
    expect(page.get_by_text("1 of 9").first).to_be_visible()
    second_title = actions.nth(1).locator(".action-title strong").inner_text()
    page.get_by_role("button", name=f"Move “{second_title}” up").click()
    assert (
        page.locator("li.action").first.locator(".action-title strong").inner_text() == second_title
    )
    goal = page.locator("section.goal").first
    goal.locator("summary:has-text('Add an action')").click()
    goal.get_by_label("Title").last.fill("Shadow the VP in a board prep")
    goal.get_by_label("Due").last.fill("2030-01-01")
    goal.get_by_role("button", name="Add action").click()
    assert page.get_by_role("alert").inner_text().startswith("the due date must fall near the plan")
    assert (
        page.locator("section.goal").first.get_by_label("Title").last.input_value()
        == "Shadow the VP in a board prep"
    )
    due = page.locator("section.goal").first.locator("input[type=date]").first.input_value()
    page.locator("section.goal").first.get_by_label("Due").last.fill(due)
    page.locator("section.goal").first.get_by_role("button", name="Add action").click()
    expect(page.get_by_text("Shadow the VP in a board prep")).to_be_visible()
    page.get_by_role("button", name="Drop “Shadow the VP in a board prep”").click()
    # The drop asks in the page first, and says it can be undone.
    dialog = page.get_by_role("dialog", name="Drop “Shadow the VP in a board prep” from the plan?")
    assert "undo" in dialog.inner_text()
    dialog.get_by_role("button").last.click()
    page.get_by_text("Dropped").wait_for()
    expect(page.get_by_role("button", name="Undo")).to_be_visible()
    page.get_by_label("How is it going?").fill(
        "First action done; the memo took longer than planned."
    )
    page.locator("input[name=confidence][value='4']").check()
    page.get_by_role("button", name="Record check-in").click()
    expect(page.get_by_text("confidence 4/5")).to_be_visible()
    shot(page, "plan")

    # 5. Months later, assess again and see what moved.
    go(page, "My shift")
    take_assessment(page, role_label="Group product manager|Group PM", shift_option=3, level=3)
    page.get_by_role("link", name=re.compile("Compare with")).click()
    expect(page.get_by_role("heading", name="What moved")).to_be_visible()
    assert page.locator("td.up").count() >= 7
    shot(page, "compare")


def test_the_navigation_works_from_the_keyboard_at_phone_width(page, shot):
    sign_up(page, "kb@example.com")
    page.set_viewport_size({"width": 390, "height": 844})
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to content"
    menu = page.get_by_role("button", name="Menu")
    menu.focus()
    page.keyboard.press("Enter")
    assert menu.get_attribute("aria-expanded") == "true"
    expect(page.get_by_role("link", name="Assess", exact=True)).to_be_visible()
    shot(page, "dashboard-phone")


def test_the_menus_of_the_bar_open_and_close_from_the_keyboard(page, shot):
    sign_up(page, "menus@example.com")
    growth = page.get_by_role("button", name="Growth")
    time_use = page.get_by_role("link", name="Time use", exact=True)
    expect(time_use).to_be_hidden()
    growth.focus()
    page.keyboard.press("Enter")
    assert growth.get_attribute("aria-expanded") == "true"
    expect(time_use).to_be_visible()
    shot(page, "nav-menu-open", full_page=False)
    page.keyboard.press("Escape")
    assert growth.get_attribute("aria-expanded") == "false"
    expect(time_use).to_be_hidden()
    growth.click()
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.wait_for_url(page.base + "/assessments/**")
    assert page.get_by_role("button", name="Growth").evaluate(
        "b => b.parentElement.classList.contains('current')"
    )


def test_the_demo_pm_signs_in_and_sees_what_moved(demo, page, shot):
    from leadshift.demo import DEMO_PASSWORD, PM_EMAIL

    page.goto(page.base + "/login/")
    page.get_by_label("E-mail").fill(PM_EMAIL)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(page.base + "/")
    expect(page.get_by_role("link", name=re.compile("What moved since"))).to_be_visible()
    shot(page, "demo-dashboard")
