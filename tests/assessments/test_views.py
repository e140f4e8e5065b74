from __future__ import annotations

import pytest
from django.urls import reverse

from leadshift.assessments.models import Assessment
from leadshift.frameworks.schema import default_framework

FW = default_framework()
N_STEPS = len(FW.shifts) + len(FW.capabilities)


@pytest.fixture
def pm_client(client, team):
    client.force_login(team["pm"].user)
    return client


def start(client, role="group_pm"):
    r = client.post(reverse("assessment_start"), {"target_role": role})
    assert r.status_code == 302
    return Assessment.objects.latest("id")


@pytest.mark.django_db
def test_a_person_walks_every_step_and_gets_a_profile(pm_client):
    a = start(pm_client)
    for i, shift in enumerate(FW.shifts, start=1):
        data = {f"q_{q.id}": "1" for q in shift.questions}
        r = pm_client.post(reverse("assessment_step", args=[a.id, i]), data)
        assert r.status_code == 302
    for j, cap in enumerate(FW.capabilities, start=len(FW.shifts) + 1):
        r = pm_client.post(
            reverse("assessment_step", args=[a.id, j]), {"level": "2", "evidence": f"did {cap.id}"}
        )
        assert r.status_code == 302
    r = pm_client.post(reverse("assessment_review", args=[a.id]))
    assert r.status_code == 302
    a.refresh_from_db()
    assert a.is_complete
    page = pm_client.get(reverse("assessment_profile", args=[a.id])).content.decode()
    assert "<svg" in page and "Biggest gaps" in page
    assert (
        a.capability_ratings.get(capability=FW.capabilities[0].id).evidence
        == f"did {FW.capabilities[0].id}"
    )


@pytest.mark.django_db
def test_an_unanswered_question_keeps_what_was_typed_and_says_what_to_do(pm_client):
    a = start(pm_client)
    step = len(FW.shifts) + 1
    r = pm_client.post(reverse("assessment_step", args=[a.id, step]), {"evidence": "my kept words"})
    assert r.status_code == 200
    body = r.content.decode()
    assert "my kept words" in body
    assert "Choose the answer that fits best" in body


@pytest.mark.django_db
def test_answers_are_saved_as_they_go_by_autosave(pm_client):
    a = start(pm_client)
    q = FW.shifts[0].questions[0]
    r = pm_client.post(
        reverse("assessment_step", args=[a.id, 1]), {f"q_{q.id}": "2"}, HTTP_X_AUTOSAVE="1"
    )
    assert r.json() == {"saved": True}
    assert a.shift_answers.get(question=q.id).choice == 2


@pytest.mark.django_db
def test_a_level_outside_the_framework_is_refused(pm_client):
    a = start(pm_client)
    step = len(FW.shifts) + 1
    r = pm_client.post(reverse("assessment_step", args=[a.id, step]), {"level": "9"})
    assert r.status_code == 200
    assert "outside" in r.content.decode()
    assert not a.capability_ratings.exists()


@pytest.mark.django_db
def test_finishing_with_answers_missing_says_which(pm_client):
    a = start(pm_client)
    r = pm_client.post(reverse("assessment_review", args=[a.id]), follow=True)
    assert "still missing" in r.content.decode()
    a.refresh_from_db()
    assert not a.is_complete


@pytest.mark.django_db
def test_an_unknown_role_is_refused(pm_client):
    r = pm_client.post(reverse("assessment_start"), {"target_role": "emperor"})
    assert r.status_code == 200
    assert "unknown target role" in r.content.decode()
    assert not Assessment.objects.exists()
