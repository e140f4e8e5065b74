"""An admin erases a person on request: their personal data goes, others' records stay whole."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from leadshift.decisions.services import DecisionIn, OptionIn, do_create_decision
from leadshift.feedback.models import RaterAnswer
from leadshift.feedback.services import RaterIn, do_open_cycle
from leadshift.growth.services import do_generate_plan, do_record_checkin
from leadshift.people.erasure import ERASED_NAME
from leadshift.people.models import Person
from leadshift.people.services import do_create_api_token
from leadshift.stakeholders.models import Stakeholder
from leadshift.stakeholders.services import do_add_stakeholder
from leadshift.timeuse.models import CalendarImport, WeekUse

pytestmark = pytest.mark.django_db


@pytest.fixture
def pia(team, completed_assessment):
    """Pia PM, with something of everything LeadShift keeps about a person."""
    pm, head = team["pm"], team["head"]
    rating = completed_assessment.capability_ratings.first()
    rating.evidence = "Ran the Q3 pricing review with finance"
    rating.save()
    plan = do_generate_plan(completed_assessment, pm)
    do_record_checkin(
        plan, pm, date=timezone.localdate(), note="Worried about my move", confidence=3
    )
    do_create_api_token(pm)
    imp = CalendarImport.objects.create(person=pm, files="cal.ics")
    WeekUse.objects.create(
        person=pm, source=imp, week="2026-W05", week_start=dt.date(2026, 1, 26), total_hours=9
    )
    decision = do_create_decision(
        head,
        DecisionIn(
            question="Merge the two mobile teams?",
            criteria=[("Cost", 1.0)],
            options=[OptionIn("Yes", "", [7])],
            chosen=0,
            decided_on=dt.date(2026, 1, 5),
            decided_by=[head.id, pm.id],
        ),
    )
    do_add_stakeholder(
        head,
        head,
        {"name": "Pia PM", "internal": True, "person_id": pm.id, "cares_about": "Her promotion"},
    )
    cycle = do_open_cycle(
        team["peer"],
        head,
        closes_on=timezone.localdate() + dt.timedelta(days=10),
        raters=[RaterIn("Pia PM", pm.email, "peer")],
        notify=False,
    )
    rater = cycle.raters.get()
    RaterAnswer.objects.create(rater=rater, capability="visionary_thinking", level=3, comment="ok")
    return {"pm": pm, "decision": decision, "rater": rater, "plan": plan}


def test_erasing_removes_the_personal_data_and_keeps_others_records(team, pia):
    from leadshift.people.erasure import do_erase_person

    pm = pia["pm"]
    email, user_id = pm.email, pm.user_id
    do_erase_person(pm, team["admin"])
    pm.refresh_from_db()
    assert pm.name == ERASED_NAME and pm.title == "" and email not in pm.email
    assert not get_user_model().objects.filter(pk=user_id).exists()
    assert not pm.api_tokens.exists() and not WeekUse.objects.filter(person=pm).exists()
    assert not pm.assessments.get().capability_ratings.exclude(evidence="").exists()
    assert pia["plan"].checkins.get().note == ""
    # Others' records, whole: the decision still has both deciders, one of them erased.
    deciders = sorted(p.name for p in pia["decision"].decided_by.all())
    assert deciders == sorted([ERASED_NAME, team["head"].name])
    entry = Stakeholder.objects.get(person=pm)
    assert entry.name == ERASED_NAME and entry.cares_about == ""
    rater = pia["rater"]
    rater.refresh_from_db()
    assert rater.name == ERASED_NAME and email not in rater.email
    assert rater.answers.get().level == 3  # the answer still counts, anonymously
    assert not Person.objects.filter(email=email).exists()


def test_an_admin_erases_from_the_page_after_confirming(client, team, pia):
    pm = pia["pm"]
    client.force_login(team["admin"].user)
    url = reverse("person_erase", args=[pm.id])
    assert pm.email in client.get(url).content.decode()
    wrong = client.post(url, {"confirm": "someone else"})
    assert wrong.status_code == 400
    pm.refresh_from_db()
    assert pm.name == "Pia PM"
    assert client.post(url, {"confirm": pm.email}).status_code == 302
    pm.refresh_from_db()
    assert pm.name == ERASED_NAME


def test_only_an_admin_of_the_organisation_may_erase(client, team, pia, make_org):
    pm = pia["pm"]
    url = reverse("person_erase", args=[pm.id])
    client.force_login(team["head"].user)  # the manager's manager, not an admin
    assert client.get(url).status_code == 404
    assert client.post(url, {"confirm": pm.email}).status_code == 404
    other = make_org("Other")
    client.force_login(other.user)
    assert client.post(url, {"confirm": pm.email}).status_code == 404
    pm.refresh_from_db()
    assert pm.name == "Pia PM"


def test_the_api_erases_for_an_admin_and_answers_404_to_anyone_else(client, team, pia):
    pm = pia["pm"]
    _, head_token = do_create_api_token(team["head"])
    r = client.post(f"/api/v1/people/{pm.id}/erase", HTTP_AUTHORIZATION=f"Bearer {head_token}")
    assert r.status_code == 404
    _, admin_token = do_create_api_token(team["admin"])
    r = client.post(f"/api/v1/people/{pm.id}/erase", HTTP_AUTHORIZATION=f"Bearer {admin_token}")
    assert r.status_code == 200
    erased = r.json()["erased"]
    assert erased["api_tokens"] == 1 and erased["time_use_weeks"] == 1
    assert erased["assessment_evidence"] == 1 and erased["feedback_invitations"] == 1
