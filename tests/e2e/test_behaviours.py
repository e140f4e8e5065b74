"""In the browser: ticking behaviours gives a level by the stated rule; the profile links
evidenced and contradicted behaviours to their records; a plan action ticks itself."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone

from leadshift.assessments.services import (
    do_complete_assessment,
    do_record_checklist,
    do_record_shift_answer,
    do_start_assessment,
)
from leadshift.decisions.services import DecisionIn, do_create_decision
from leadshift.frameworks.schema import default_framework
from leadshift.growth.services import do_generate_plan
from tests.e2e.helpers import sign_in

pytestmark = pytest.mark.django_db(transaction=True)
FW = default_framework()
DMR = FW.capability("decision_making_risk")
DMR_STEP = len(FW.shifts) + [c.id for c in FW.capabilities].index(DMR.id) + 1

# The WCAG 2.1 contrast ratio of an element's text on its background, computed in the page.
CONTRAST_JS = """el => {
  const rgb = s => s.match(/\\d+(\\.\\d+)?/g).slice(0, 3).map(Number);
  const lum = c => { const [r, g, b] = c.map(v => { v /= 255;
    return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
  const st = getComputedStyle(el);
  const a = lum(rgb(st.color)), b = lum(rgb(st.backgroundColor));
  return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
}"""


@pytest.fixture
def pia(make_org, make_person):
    """A PM with every step answered but decision-making, and a decision log: one decision
    reviewed on time would evidence, one past its review date contradicts."""
    admin = make_org("Acme")
    head = make_person(admin.organisation, "Hana Head", email="hana@acme.example")
    pia = make_person(admin.organisation, "Pia PM", manager=head, email="pia@acme.example")
    a = do_start_assessment(pia, pia, "group_pm")
    for s in FW.shifts:
        for q in s.questions:
            do_record_shift_answer(a, pia, s.id, q.id, 1)
    for c in FW.capabilities:
        if c.id != DMR.id:
            keys = [*c.behaviour_keys(1), *c.behaviour_keys(2), *c.behaviour_keys(3)]
            do_record_checklist(a, pia, c.id, keys)
    today = timezone.localdate()
    overdue = do_create_decision(
        pia,
        DecisionIn(
            question="Sunset the legacy exporter?",
            decided_on=today - dt.timedelta(days=40),
            review_on=today - dt.timedelta(days=7),
        ),
    )
    return {"person": pia, "assessment": a, "overdue": overdue}


def no_horizontal_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_ticking_evidence_and_a_self_ticking_action(page, shot, pia):
    a, person = pia["assessment"], pia["person"]
    sign_in(page, person.email, "s3cret-pass!")

    # Ticking behaviours: the level and the rule's counts follow each tick, both ways.
    page.goto(f"{page.base}/assessments/{a.id}/step/{DMR_STEP}/")
    result = page.locator("[data-checklist-level]")
    counts = page.locator("[data-checklist-explanation]")
    assert result.inner_text().startswith("1.")
    for key in [*DMR.behaviour_keys(1), "decision_making_risk.2.2", "decision_making_risk.2.3"]:
        page.locator(f"input[value='{key}']").check()
    counts.filter(has_text="level 2: 2 of 3 (needs 3)").wait_for()
    assert result.inner_text() == "1. Foundational"
    written = page.get_by_label(re.compile("Writes the options and trade-offs"))
    written.check()
    result.filter(has_text="2. Developing").wait_for()
    written.uncheck()
    result.filter(has_text="1. Foundational").wait_for()
    page.get_by_label(re.compile("Records important decisions")).check()
    page.get_by_label(re.compile("Reviews each recorded decision")).check()
    counts.filter(has_text="level 3: 2 of 4").wait_for()
    assert result.inner_text() == "1. Foundational"
    assert "three quarters" in page.locator(".checklist-result").inner_text()
    shot(page, "behaviours-checklist")

    # The profile: the decision log evidences one behaviour and contradicts another.
    page.get_by_role("button", name=re.compile("Save and")).click()
    do_complete_assessment(a, person)
    page.goto(f"{page.base}/assessments/{a.id}/")
    records = page.locator("li[data-behaviour='decision_making_risk.3.1']")
    assert "evidenced" in records.locator(".badge").inner_text()
    reviews = page.locator("li[data-behaviour='decision_making_risk.3.2']")
    assert "contradicted" in reviews.locator(".badge").inner_text()
    assert "past the review date" in reviews.inner_text()
    claimed = page.locator("li[data-behaviour='decision_making_risk.2.2'] .badge")
    assert claimed.inner_text() == "claimed"
    for badge in (records.locator(".badge"), reviews.locator(".badge"), claimed):
        assert badge.evaluate(CONTRAST_JS) >= 4.5
    shot(page, "behaviours-profile")
    page.set_viewport_size({"width": 390, "height": 844})
    assert no_horizontal_scroll(page)
    page.set_viewport_size({"width": 1280, "height": 900})
    reviews.get_by_role("link", name="Sunset the legacy exporter?").click()
    page.get_by_role("heading", name="Sunset the legacy exporter?").wait_for()

    # A plan action tied to the decision log ticks itself once a decision is recorded.
    plan = do_generate_plan(a, person, starts_on=timezone.localdate() - dt.timedelta(days=10))
    page.goto(f"{page.base}/plans/{plan.id}/")
    log = page.locator("li.action", has_text="Keep a decision log")
    assert "Ticked itself" not in log.inner_text()
    do_create_decision(
        person,
        DecisionIn(
            question="Split the onboarding squad?",
            decided_on=timezone.localdate() - dt.timedelta(days=2),
            review_on=timezone.localdate() + dt.timedelta(days=60),
        ),
    )
    page.reload()
    assert "Ticked itself from:" in log.inner_text()
    assert log.get_by_role("link", name="Split the onboarding squad?").count() == 1
    assert log.locator("button.check").get_attribute("aria-pressed") == "true"
    shot(page, "behaviours-plan")
    page.set_viewport_size({"width": 390, "height": 844})
    assert no_horizontal_scroll(page)
