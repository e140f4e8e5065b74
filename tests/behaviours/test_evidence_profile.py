"""The profile marks each ticked behaviour claimed, evidenced or contradicted, with links."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from leadshift.assessments.services import do_submit_assessment
from leadshift.behaviours.evidence import QUERIES
from leadshift.behaviours.profile import CLAIMED, CONTRADICTED, EVIDENCED, behaviour_profile
from leadshift.decisions.services import DecisionIn, do_create_decision, do_record_outcome
from leadshift.frameworks.schema import default_framework
from tests.conftest import full_answers

FW = default_framework()
CAP = FW.capability("decision_making_risk")
RECORDS = "decision_making_risk.3.1"  # records decisions with a review date
REVIEWS = "decision_making_risk.3.2"  # reviews each decision by its review date
PREMORTEM = "decision_making_risk.3.3"  # no evidence query


def test_every_evidence_query_the_framework_names_is_registered() -> None:
    named = {b.evidence for c in FW.capabilities for _, _, b in c.behaviours() if b.evidence}
    named |= {a.done_when for t in FW.tracks for a in t.actions if a.done_when}
    assert named and named <= set(QUERIES)


def _assess(person, ticks):
    answers = full_answers(FW)
    answers = type(answers)(
        shift_choices=answers.shift_choices,
        capability_levels=answers.capability_levels,
        behaviours={CAP.id: frozenset(ticks)},
    )
    return do_submit_assessment(person, person, "group_pm", answers)


def _decision(person, question, *, decided, review):
    return do_create_decision(
        person, DecisionIn(question=question, decided_on=decided, review_on=review)
    )


@pytest.fixture
def pm_with_decisions(team):
    pm = team["pm"]
    today = timezone.localdate()
    overdue = _decision(
        pm,
        "Sunset the legacy exporter?",
        decided=today - dt.timedelta(days=60),
        review=today - dt.timedelta(days=10),
    )
    reviewed = _decision(
        pm,
        "Price the team plan per seat?",
        decided=today - dt.timedelta(days=90),
        review=today - dt.timedelta(days=30),
    )
    do_record_outcome(reviewed, pm, outcome="succeeded", lesson="Seats sell", on=today)
    ticks = [*CAP.behaviour_keys(1), *CAP.behaviour_keys(2), RECORDS, REVIEWS, PREMORTEM]
    return _assess(pm, ticks), overdue, reviewed


@pytest.mark.django_db
def test_it_marks_each_ticked_behaviour_by_what_the_records_say(pm_with_decisions) -> None:
    a, overdue, reviewed = pm_with_decisions
    (cap,) = behaviour_profile(a, timezone.localdate())
    rows = {r.key: r for r in cap.rows}
    assert cap.result.level == 3
    assert rows[RECORDS].status == EVIDENCED
    assert {r.label for r in rows[RECORDS].records} == {str(overdue), str(reviewed)}
    assert rows[REVIEWS].status == CONTRADICTED
    assert [r.url for r in rows[REVIEWS].records] == [reverse("decision_detail", args=[overdue.pk])]
    assert "1 decision past the review date" in rows[REVIEWS].why
    assert rows[PREMORTEM].status == CLAIMED


@pytest.mark.django_db
def test_a_ticked_behaviour_whose_query_finds_nothing_stays_claimed(team) -> None:
    a = _assess(team["peer"], [*CAP.behaviour_keys(1), *CAP.behaviour_keys(2)])
    (cap,) = behaviour_profile(a, timezone.localdate())
    row = next(r for r in cap.rows if r.key == "decision_making_risk.2.1")
    assert row.status == CLAIMED and row.why == "no records found"


@pytest.mark.django_db
def test_the_profile_page_links_evidenced_and_contradicted_behaviours(client, pm_with_decisions):
    a, overdue, _ = pm_with_decisions
    client.force_login(a.person.user)
    page = client.get(reverse("assessment_profile", args=[a.id])).content.decode()
    assert "Behaviours and their evidence" in page
    assert 'class="badge behaviour-contradicted"' in page
    assert 'class="badge behaviour-evidenced"' in page
    assert f'href="{reverse("decision_detail", args=[overdue.pk])}"' in page
    assert "three quarters" in page


@pytest.mark.django_db
def test_a_manager_sees_the_same_marks_and_a_peer_may_not_see_them(client, team, pm_with_decisions):
    a, *_ = pm_with_decisions
    client.force_login(team["group"].user)
    assert (
        "behaviour-contradicted"
        in client.get(reverse("assessment_profile", args=[a.id])).content.decode()
    )
    client.force_login(team["peer"].user)
    assert client.get(reverse("assessment_profile", args=[a.id])).status_code == 404
