"""Ticking behaviours by form, API and file: the level follows from the rule, and a tick for a
behaviour not in the person's framework version is refused with nothing written."""

from __future__ import annotations

import pytest
from django.urls import reverse

from leadshift.assessments.answers_file import answers_from_document
from leadshift.assessments.models import Assessment, CapabilityRating
from leadshift.behaviours.models import Tick
from leadshift.files import InputError, parse_text
from leadshift.frameworks.schema import default_framework
from leadshift.people.services import do_create_api_token

FW = default_framework()
CAP = FW.capability("stakeholder_management")
STEP = len(FW.shifts) + [c.id for c in FW.capabilities].index(CAP.id) + 1
TO_LEVEL_2 = [*CAP.behaviour_keys(1), *CAP.behaviour_keys(2)]


@pytest.fixture
def draft(client, team):
    client.force_login(team["pm"].user)
    client.post(reverse("assessment_start"), {"target_role": "group_pm"})
    return Assessment.objects.latest("id")


def _post_ticks(client, a, ticks, **headers):
    return client.post(
        reverse("assessment_step", args=[a.id, STEP]),
        {"checklist": "1", "behaviour": ticks, "evidence": "QBR deck"},
        **headers,
    )


@pytest.mark.django_db
def test_the_form_shows_each_level_as_a_checklist_with_the_rule(client, draft) -> None:
    page = client.get(reverse("assessment_step", args=[draft.id, STEP])).content.decode()
    for key in CAP.behaviour_keys(3):
        assert f'value="{key}"' in page
    assert "three quarters" in page and "Level from your ticks" in page


@pytest.mark.django_db
def test_ticking_behaviours_on_the_form_records_the_level_the_rule_gives(client, draft) -> None:
    r = _post_ticks(client, draft, TO_LEVEL_2)
    assert r.status_code == 302
    rating = CapabilityRating.objects.get(assessment=draft, capability=CAP.id)
    assert rating.level == 2 and rating.evidence == "QBR deck"
    assert set(draft.ticked()[CAP.id]) == set(TO_LEVEL_2)


@pytest.mark.django_db
def test_autosave_answers_with_the_level_and_its_counts(client, draft) -> None:
    r = _post_ticks(client, draft, TO_LEVEL_2[:4], HTTP_X_AUTOSAVE="1")
    body = r.json()
    assert body["saved"] and body["level"] == 1 and body["level_name"] == "Foundational"
    assert body["explanation"].startswith("level 1: 3 of 3 (needs 3); level 2: 1 of 3")


@pytest.mark.django_db
def test_the_form_refuses_a_behaviour_from_another_capability_and_writes_nothing(
    client, draft
) -> None:
    _post_ticks(client, draft, TO_LEVEL_2)
    foreign = FW.capability("visionary_thinking").behaviour_keys(1)[0]
    r = _post_ticks(client, draft, [*TO_LEVEL_2[:2], foreign])
    assert r.status_code == 200
    assert f"&#x27;{foreign}&#x27; is not a behaviour of this capability" in r.content.decode()
    assert set(draft.ticked()[CAP.id]) == set(TO_LEVEL_2)
    assert CapabilityRating.objects.get(assessment=draft, capability=CAP.id).level == 2


def _bearer(person):
    _, raw = do_create_api_token(person)
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


@pytest.mark.django_db
def test_the_api_takes_ticks_and_refuses_one_not_in_the_framework_version(client, team) -> None:
    auth = _bearer(team["pm"])
    a = client.post(
        "/api/v1/assessments", {"target_role": "group_pm"}, content_type="application/json", **auth
    ).json()
    url = f"/api/v1/assessments/{a['id']}/capabilities/{CAP.id}"
    r = client.put(
        url, {"behaviours": ["1.1", "1.2", "1.3"]}, content_type="application/json", **auth
    )
    assert r.status_code == 200, r.content
    r = client.put(url, {"behaviours": ["1.1", "7.1"]}, content_type="application/json", **auth)
    assert r.status_code == 400
    assert "'stakeholder_management.7.1' is not a behaviour" in r.json()["detail"]
    assert Tick.objects.filter(assessment_id=a["id"]).count() == 3


@pytest.mark.django_db
def test_a_whole_submission_with_a_bad_tick_writes_no_assessment(client, team) -> None:
    auth = _bearer(team["pm"])
    body = {
        "target_role": "group_pm",
        "shifts": {s.id: {q.id: 2 for q in s.questions} for s in FW.shifts},
        "capabilities": {c.id: {"level": 2} for c in FW.capabilities},
    }
    body["capabilities"][CAP.id] = {"behaviours": ["1.1", "1.2", "1.4"]}
    r = client.post("/api/v1/assessments/submit", body, content_type="application/json", **auth)
    assert r.status_code == 400
    assert "'stakeholder_management.1.4' is not a behaviour" in r.json()["detail"]
    assert not Assessment.objects.filter(person=team["pm"]).exists()
    assert not Tick.objects.exists()


def test_an_answers_file_names_the_line_of_a_tick_not_in_the_framework() -> None:
    text = (
        "target_role: group_pm\n"
        "capabilities:\n"
        "  stakeholder_management:\n"
        "    behaviours: [1.1, 1.2, 9.9]\n"
    )
    with pytest.raises(InputError) as err:
        answers_from_document(parse_text(text, "answers.yaml"), FW)
    assert (
        "answers.yaml:4: capabilities.stakeholder_management.behaviours[2]: 9.9 is not a "
        "behaviour of 'stakeholder_management'" in err.value.describe()
    )


def test_an_answers_file_gives_the_level_the_ticks_earn() -> None:
    text = (
        "target_role: group_pm\n"
        "capabilities:\n"
        "  stakeholder_management:\n"
        "    behaviours: [1.1, 1.2, 1.3, 2.1, 2.2, 2.3]\n"
    )
    read = answers_from_document(parse_text(text, "answers.yaml"), FW)
    assert read.answers.capability_levels[CAP.id] == 2
    assert read.answers.behaviours[CAP.id] == frozenset(TO_LEVEL_2)


@pytest.mark.django_db
def test_a_manager_ticks_behaviours_and_the_rule_gives_their_level(client, team) -> None:
    from leadshift.coaching.models import ManagerRating

    client.force_login(team["group"].user)
    url = reverse("coaching_manager_assessment", args=[team["pm"].id])
    assert "three quarters" in client.get(url).content.decode()
    r = client.post(url, {f"behaviour_{CAP.id}": TO_LEVEL_2, f"level_{CAP.id}": "4"})
    assert r.status_code == 302
    rating = ManagerRating.objects.get(assessment__person=team["pm"], capability=CAP.id)
    assert rating.level == 2
    assert Tick.objects.filter(manager_assessment=rating.assessment).count() == 6


@pytest.mark.django_db
def test_a_manager_tick_outside_the_framework_version_saves_nothing(client, team) -> None:
    from leadshift.coaching.models import ManagerAssessment

    client.force_login(team["group"].user)
    url = reverse("coaching_manager_assessment", args=[team["pm"].id])
    r = client.post(
        url, {f"behaviour_{CAP.id}": [*TO_LEVEL_2, "stakeholder_management.2.9"]}, follow=True
    )
    assert "&#x27;stakeholder_management.2.9&#x27; is not a behaviour" in r.content.decode()
    assert not ManagerAssessment.objects.exists() and not Tick.objects.exists()
