"""In the browser: a leader starts a 1:1 series, reads the agenda that built itself, adds an
item, writes a shared and a private note, agrees an action that lands in the plan, and holds
the meeting so the next one is scheduled."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from leadshift.core.dates import day
from tests.conftest import full_answers
from tests.e2e.helpers import go, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def gus_and_pia(make_org, make_person):
    from leadshift.assessments.services import do_submit_assessment
    from leadshift.frameworks.schema import default_framework
    from leadshift.growth.services import do_generate_plan, do_record_checkin

    admin = make_org("Acme")
    gus = make_person(admin.organisation, "Gus Group", email="gus@acme.example")
    pia = make_person(admin.organisation, "Pia PM", manager=gus, email="pia@acme.example")
    a = do_submit_assessment(pia, pia, "group_pm", full_answers(default_framework()))
    plan = do_generate_plan(a, pia, starts_on=timezone.localdate() - dt.timedelta(days=40))
    do_record_checkin(plan, pia, date=timezone.localdate(), note="Busy", confidence=2)
    return gus, pia, plan


def test_a_one_on_one_from_agenda_to_notes_to_a_plan_action(page, shot, gus_and_pia):
    gus, _pia, plan = gus_and_pia
    sign_in(page, gus.email, "s3cret-pass!")
    go(page, "Growth", "1:1s")
    page.get_by_label("Person").select_option(label="Pia PM")
    page.get_by_label("Cadence").select_option("weekly")
    page.get_by_role("button", name="Start a 1:1 series").click()
    page.wait_for_selector("h1:has-text('Gus Group and Pia PM')")
    agenda = page.locator("ol.agenda").inner_text()
    assert "plan action" in agenda and "overdue" in agenda
    assert "Confidence at the last check-in: 2/5" in agenda
    page.get_by_label("Your item").fill("Your path to group PM")
    page.get_by_role("button", name="Add to the agenda").click()
    assert "Your path to group PM" in page.locator("ol.agenda").inner_text()
    shot(page, "oneonone-agenda")

    page.get_by_label("Note", exact=True).fill("Agreed to pair on the portfolio review.")
    page.get_by_role("button", name="Save the note").click()
    page.get_by_label("Note", exact=True).fill("Check on workload quietly.")
    page.get_by_label("Private: only I will see it").check()
    page.get_by_role("button", name="Save the note").click()
    assert page.locator(".note.private").count() == 1

    due = timezone.localdate() + dt.timedelta(days=14)
    page.get_by_label("Action", exact=True).fill("Lead the next portfolio review")
    page.get_by_label("Due").fill(due.isoformat())
    page.get_by_role("button", name="Add to the plan").click()
    assert "Added to the development plan" in page.get_by_role("status").inner_text()
    shot(page, "oneonone-notes")
    assert "Lead the next portfolio review" in [a.title for a in plan.all_actions()]

    page.get_by_role("button", name="Mark this 1:1 held").click()
    nxt = timezone.localdate() + dt.timedelta(days=7)
    assert f"{day(nxt)}" in page.get_by_role("status").inner_text()
    assert "Agreed: Lead the next portfolio review" in page.locator(".past-meeting").inner_text()
    shot(page, "oneonone-held")
    page.goto(page.base + f"/plans/{plan.id}/")
    assert page.get_by_text("Lead the next portfolio review").count() >= 1


def test_a_manager_assessment_beside_self_and_the_first_thing_to_talk_about(
    page, shot, gus_and_pia
):
    gus, pia, _plan = gus_and_pia
    sign_in(page, gus.email, "s3cret-pass!")
    go(page, "My team")
    page.get_by_role("link", name="Pia PM").first.click()
    page.get_by_role("link", name="Manager's assessment").click()
    page.get_by_label("Level of Visionary thinking").select_option("4")
    page.get_by_label("Evidence for Visionary thinking").fill("Owns the two-year vision deck")
    page.get_by_role("button", name="Save the assessment").click()
    assert "is saved" in page.get_by_role("status").inner_text()
    first = page.locator("table.views-table tbody tr").first.inner_text()
    assert "Visionary thinking" in first and "talk about this first" in first
    shot(page, "oneonone-manager-assessment")
    # The next 1:1 opens on it.
    go(page, "Growth", "1:1s")
    page.get_by_role("button", name="Start a 1:1 series").click()
    agenda = page.locator("ol.agenda li").first.inner_text()
    assert "Where you see visionary thinking differently" in agenda
    assert pia.name in page.locator("h1").inner_text()
