"""Asking for a mentor, the proposals and their reasons, both saying yes, the pair's 1:1s,
and what a mentor may and may not see."""

from __future__ import annotations

import pytest
from django.urls import reverse

from leadshift.core.errors import Invalid, NotAllowed, NotFound
from leadshift.mentoring import services
from leadshift.mentoring.models import Proposal
from tests.conftest import sign_in
from tests.mentoring.helpers import STAKEHOLDERS

pytestmark = pytest.mark.django_db


def _matched(org):
    request = services.do_request_mentor(org["pm"], STAKEHOLDERS)
    proposal = request.proposals.get(mentor=org["mo"])
    services.do_ask(proposal, org["pm"])
    return services.do_answer(proposal, org["mo"], accept=True)


def test_it_proposes_strong_colleagues_outside_the_line_with_the_reason(mentoring_org):
    request = services.do_request_mentor(mentoring_org["pm"], STAKEHOLDERS)
    proposals = list(request.proposals.select_related("mentor"))
    names = [p.mentor.name for p in proposals]
    assert set(names) == {"Mo Mentor", "Pete Peer"}, "Gus manages Pia; Olga is of Globex"
    assert names[0] == "Mo Mentor"
    reason = proposals[0].reason
    assert reason.startswith("strong on stakeholder management in their 360 of ")
    assert "[" not in reason.split("; you ")[0] and "; you " in reason
    assert request.state == "open"


def test_a_mentor_from_another_organisation_is_no_one(mentoring_org):
    with pytest.raises(NotFound, match="no such person"):
        services.do_request_mentor(mentoring_org["pm"], STAKEHOLDERS, mentor=mentoring_org["olga"])
    assert not mentoring_org["pm"].mentor_requests.exists()


def test_a_mentor_inside_the_reporting_line_is_refused(mentoring_org):
    for inside in ("group", "head"):
        with pytest.raises(NotAllowed, match="own reporting line"):
            services.do_request_mentor(
                mentoring_org["pm"], STAKEHOLDERS, mentor=mentoring_org[inside]
            )
    with pytest.raises(NotAllowed, match="own reporting line"):
        services.do_request_mentor(mentoring_org["group"], STAKEHOLDERS, mentor=mentoring_org["pm"])
    assert not Proposal.objects.exists()


def test_an_unknown_capability_and_a_second_open_request_are_refused(mentoring_org):
    with pytest.raises(Invalid, match="unknown capability"):
        services.do_request_mentor(mentoring_org["pm"], "juggling")
    services.do_request_mentor(mentoring_org["pm"], STAKEHOLDERS)
    with pytest.raises(Invalid, match="already asked"):
        services.do_request_mentor(mentoring_org["pm"], STAKEHOLDERS)


def test_both_say_yes_and_the_pair_gets_a_series_the_mentor_leads(mentoring_org):
    proposal = _matched(mentoring_org)
    assert proposal.status == "accepted" and proposal.request.state == "matched"
    series = proposal.series
    assert series.leader == mentoring_org["mo"] and series.person == mentoring_org["pm"]
    assert series.mentoring and series.upcoming() is not None


def test_a_declined_request_opens_again_and_the_mentee_asks_someone_else(mentoring_org):
    pm = mentoring_org["pm"]
    request = services.do_request_mentor(pm, STAKEHOLDERS)
    first, second = request.proposals.all()
    services.do_ask(first, pm)
    with pytest.raises(Invalid, match="wait for the answer"):
        services.do_ask(second, pm)
    services.do_answer(first, first.mentor, accept=False)
    assert request.state == "open"
    services.do_ask(second, pm)
    assert request.state == "asked"


def test_the_mentor_asked_gets_a_notice_without_anyone_s_levels(mentoring_org):
    from django.core import mail

    mail.outbox.clear()  # the 360 invitations of the set-up
    request = services.do_request_mentor(mentoring_org["pm"], STAKEHOLDERS)
    assert mail.outbox == [], "proposals alone tell no one"
    services.do_ask(request.proposals.get(mentor=mentoring_org["mo"]), mentoring_org["pm"])
    [notice] = mail.outbox
    assert notice.to == ["mo@acme.example"]
    assert notice.subject == "Pia PM asks you to be their mentor"
    assert "Stakeholder management" in notice.body and "/mentoring/" in notice.body
    assert "360 of" not in notice.body
    assert notice.extra_headers["X-LeadShift-Kind"] == "mentor-request"


def test_naming_a_mentor_asks_them_at_once(mentoring_org):
    from django.core import mail

    mail.outbox.clear()  # the 360 invitations of the set-up
    request = services.do_request_mentor(
        mentoring_org["pm"], STAKEHOLDERS, mentor=mentoring_org["peer"]
    )
    first = request.proposals.first()
    assert first.mentor == mentoring_org["peer"] and first.status == "asked"
    assert first.reason.startswith("asked by name; ")
    assert request.state == "asked" and [m.to for m in mail.outbox] == [["pete@acme.example"]]


def test_only_the_person_asked_answers(mentoring_org):
    request = services.do_request_mentor(mentoring_org["pm"], STAKEHOLDERS)
    proposal = request.proposals.get(mentor=mentoring_org["mo"])
    with pytest.raises(Invalid):
        services.do_answer(proposal, mentoring_org["mo"], accept=True)  # not asked yet
    services.do_ask(proposal, mentoring_org["pm"])
    with pytest.raises(NotAllowed):
        services.do_answer(proposal, mentoring_org["peer"], accept=True)


def test_a_one_on_one_with_someone_neither_led_nor_mentored_is_refused(mentoring_org):
    from leadshift.coaching.services import do_start_series

    with pytest.raises(NotAllowed, match="someone you lead or mentor"):
        do_start_series(mentoring_org["mo"], mentoring_org["pm"], cadence="monthly")
    assert not mentoring_org["pm"].coached.exists()


def test_the_mentor_sees_the_series_and_shared_notes_but_not_the_plan_or_the_360(
    client, mentoring_org, completed_assessment
):
    from leadshift.coaching.services import do_add_note
    from leadshift.growth.services import do_generate_plan

    pm = mentoring_org["pm"]
    plan = do_generate_plan(completed_assessment, pm)
    series = _matched(mentoring_org).series
    meeting = series.upcoming()
    do_add_note(meeting, pm, "What I am reading on influence.", private=False)
    do_add_note(meeting, pm, "Nervous about this.", private=True)
    assert sign_in(client, "mo@acme.example", "s3cret-pass!")
    page = client.get(reverse("coaching_series", args=[series.id])).content.decode()
    assert "What I am reading on influence." in page
    assert "Nervous about this." not in page
    assert plan.title not in page and "Add to the plan" not in page
    assert "blind spot" not in page.lower() and "Self, manager and 360" not in page
    cycle = pm.feedback_cycles.first()
    for url in (
        reverse("plan_detail", args=[plan.id]),
        reverse("feedback_results", args=[cycle.id]),
        reverse("coaching_manager_assessment", args=[pm.id]),
        reverse("person_detail", args=[pm.id]),
    ):
        assert client.get(url).status_code == 404, url


def test_the_mentee_still_adds_agreed_actions_to_their_own_plan(
    mentoring_org, completed_assessment
):
    import datetime as dt

    from leadshift.coaching.services import do_agree_action
    from leadshift.growth.services import do_generate_plan

    pm, mo = mentoring_org["pm"], mentoring_org["mo"]
    do_generate_plan(completed_assessment, pm)
    meeting = _matched(mentoring_org).series.upcoming()
    due = dt.date.today() + dt.timedelta(days=10)
    with pytest.raises(NotAllowed, match="development plan"):
        do_agree_action(meeting, mo, title="Shadow Mo's board prep", due_on=due)
    action = do_agree_action(meeting, pm, title="Shadow Mo's board prep", due_on=due)
    assert action.goal.plan.person == pm


def test_pages_ask_propose_accept_and_show_the_series(client, mentoring_org):
    assert sign_in(client, "pia@acme.example", "s3cret-pass!")
    r = client.post(reverse("mentoring_ask"), {"capability": STAKEHOLDERS, "note": "Exec updates"})
    assert r.status_code == 302
    page = client.get(reverse("mentoring_index")).content.decode()
    assert "Mo Mentor" in page and "in their 360 of" in page and "choose whom to ask" in page
    proposal = Proposal.objects.get(mentor=mentoring_org["mo"])
    client.post(reverse("mentoring_ask_mentor", args=[proposal.id]))
    assert "waiting for an answer" in client.get(reverse("mentoring_index")).content.decode()

    assert sign_in(client, "mo@acme.example", "s3cret-pass!")
    page = client.get(reverse("mentoring_index")).content.decode()
    assert "Pia PM" in page and "asks you to mentor them" in page
    assert "; you " not in page, "the mentor never reads the mentee's level"
    r = client.post(reverse("mentoring_answer", args=[proposal.id]), {"answer": "accept"})
    proposal.refresh_from_db()
    assert r.status_code == 302 and r["Location"] == reverse(
        "coaching_series", args=[proposal.series_id]
    )
    assert "Mentoring" in client.get(r["Location"]).content.decode()


def test_someone_else_s_proposal_is_not_found(client, mentoring_org):
    request = services.do_request_mentor(mentoring_org["pm"], STAKEHOLDERS)
    proposal = request.proposals.get(mentor=mentoring_org["mo"])
    assert sign_in(client, "mo@acme.example", "s3cret-pass!")
    # Merely ranked, not asked: the proposal does not exist for Mo yet.
    assert (
        client.post(
            reverse("mentoring_answer", args=[proposal.id]), {"answer": "accept"}
        ).status_code
        == 404
    )
    assert client.post(reverse("mentoring_ask_mentor", args=[proposal.id])).status_code == 404
    proposal.refresh_from_db()
    assert proposal.status == "proposed"


def test_a_leader_sees_who_mentors_whom_and_who_has_no_one(client, mentoring_org):
    _matched(mentoring_org)
    data = services.overview(mentoring_org["head"])
    assert [(r["mentor"]["name"], r["mentee"]["name"]) for r in data["pairs"]] == [
        ("Mo Mentor", "Pia PM")
    ]
    assert {p["name"] for p in data["without_mentor"]} == {"Gus Group", "Pete Peer", "Mo Mentor"}
    assert sign_in(client, "hana@acme.example", "s3cret-pass!")
    page = client.get(reverse("mentoring_overview")).content.decode()
    assert "Mo Mentor" in page and "Stakeholder management" in page
    assert sign_in(client, "pia@acme.example", "s3cret-pass!")
    assert client.get(reverse("mentoring_overview")).status_code == 404


def test_erasing_the_mentee_removes_what_they_wrote_in_their_requests(mentoring_org):
    from leadshift.people.erasure import do_erase_person

    pm = mentoring_org["pm"]
    services.do_request_mentor(pm, STAKEHOLDERS, note="I freeze in front of the board")
    erased = do_erase_person(pm, mentoring_org["admin"])
    assert erased["mentor_request_notes"] == 1
    assert pm.mentor_requests.get().note == ""
