"""In the browser: a PM asks for a mentor, reads the proposals and why, asks one; the mentor
accepts, and the pair's 1:1 series appears for both."""

from __future__ import annotations

import pytest

from tests.e2e.helpers import go, sign_in, sign_out
from tests.mentoring.helpers import release_360

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def pia_and_mo(make_org, make_person):
    admin = make_org("Acme")
    org = admin.organisation
    head = make_person(org, "Hana Head", email="hana@acme.example")
    gus = make_person(org, "Gus Group", manager=head, email="gus@acme.example")
    pia = make_person(org, "Pia PM", manager=gus, email="pia@acme.example")
    pete = make_person(org, "Pete Peer", manager=head, email="pete@acme.example")
    mo = make_person(org, "Mo Mentor", manager=pete, email="mo@acme.example")
    release_360(pia, 2, tag="pia")
    release_360(gus, 5, tag="gus")
    release_360(mo, 5, tag="mo")
    return pia, mo


def test_a_pm_finds_a_mentor_who_accepts_and_their_one_on_ones_begin(page, shot, pia_and_mo):
    pia, mo = pia_and_mo
    sign_in(page, pia.email, "s3cret-pass!")
    go(page, "Growth", "Mentors")
    page.get_by_label("Capability").select_option(label="Stakeholder management")
    page.get_by_label("What you hope to learn").fill("Updates the executives trust")
    page.get_by_role("button", name="Find a mentor").click()
    proposals = page.locator("ol.proposals").inner_text()
    assert "Mo Mentor" in proposals and "Gus Group" not in proposals, "Gus manages Pia"
    assert "strong on stakeholder management in their 360 of" in proposals and "; you " in proposals
    shot(page, "mentor-proposals")
    page.get_by_role("button", name="Ask Mo Mentor").click()
    assert "waiting for an answer" in page.locator(".mentor-request").inner_text()
    sign_out(page)

    sign_in(page, mo.email, "s3cret-pass!")
    go(page, "Growth", "Mentors")
    asked = page.locator(".mentor-ask").inner_text()
    assert "Pia PM asks you to mentor them in Stakeholder management" in asked
    assert "; you " not in asked
    shot(page, "mentor-asked")
    page.get_by_role("button", name="Accept").click()
    page.wait_for_selector("h1:has-text('Mo Mentor and Pia PM')")
    assert "Mentoring" in page.locator("p.lead").inner_text()
    agenda = page.locator("ol.agenda").inner_text()
    assert "Mentoring in Stakeholder management: Updates the executives trust" in agenda
    assert page.get_by_role("button", name="Add to the plan").count() == 0
    page.set_viewport_size({"width": 390, "height": 860})
    shot(page, "mentor-series-390")
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_out(page)

    sign_in(page, pia.email, "s3cret-pass!")
    go(page, "Growth", "1:1s")
    assert "with Mo Mentor" in page.locator("#h-coached + ul").inner_text()
    go(page, "Growth", "Mentors")
    assert "matched" in page.locator(".mentor-request").inner_text()
    shot(page, "mentor-matched")
