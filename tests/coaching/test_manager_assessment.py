"""The manager's assessment: rated outside any 360, shown beside self and the 360, and used to
make the plan."""

from __future__ import annotations

import pytest
from django.urls import reverse

from leadshift.coaching import services
from leadshift.coaching.models import ManagerAssessment
from leadshift.core.errors import Invalid, NotAllowed
from leadshift.growth.planning import blended_levels
from leadshift.growth.services import do_generate_plan

pytestmark = pytest.mark.django_db

BOUNDS = {"vision": (1, 5), "culture": (1, 5)}


def test_blended_levels_average_the_views_and_round_halves_toward_growth():
    assert blended_levels({"vision": 4}, [{"vision": 2}, {"vision": 2.3}], BOUNDS) == {"vision": 3}
    assert blended_levels({"vision": 3}, [{"vision": 2}], BOUNDS) == {"vision": 2}
    assert blended_levels({"culture": 3}, [], BOUNDS) == {"culture": 3}
    assert blended_levels({}, [{"culture": 9.0}], BOUNDS) == {"culture": 5}


def test_only_someone_above_may_assess_and_bad_levels_are_named(team):
    with pytest.raises(NotAllowed):
        services.do_record_manager_assessment(
            team["peer"], team["pm"], {"visionary_thinking": (2, "")}
        )
    with pytest.raises(NotAllowed):
        services.do_record_manager_assessment(
            team["pm"], team["pm"], {"visionary_thinking": (2, "")}
        )
    with pytest.raises(Invalid) as exc:
        services.do_record_manager_assessment(team["group"], team["pm"], {"charisma": (2, "")})
    assert exc.value.field == "capabilities.charisma"
    with pytest.raises(Invalid, match="between 1 and"):
        services.do_record_manager_assessment(
            team["group"], team["pm"], {"visionary_thinking": (9, "")}
        )
    assert not ManagerAssessment.objects.exists()


def test_the_plan_uses_the_managers_view_not_the_self_rating_alone(team, completed_assessment):
    pm = team["pm"]
    alone = do_generate_plan(completed_assessment, pm)
    vision_alone = [g for g in alone.goals.all() if g.capability == "visionary_thinking"]
    services.do_record_manager_assessment(
        team["group"], pm, {"visionary_thinking": (1, "No two-year story yet")}
    )
    plan = do_generate_plan(completed_assessment, pm)
    first = plan.goals.first()
    assert first.capability == "visionary_thinking" and first.from_level == 1
    assert not vision_alone or vision_alone[0].from_level == 2


def test_the_manager_rates_on_the_page_and_the_disagreement_comes_first(
    client, team, completed_assessment
):
    client.force_login(team["head"].user)
    url = reverse("coaching_manager_assessment", args=[team["pm"].id])
    r = client.post(
        url,
        {"level_visionary_thinking": "4", "evidence_visionary_thinking": "Owns the vision deck"},
        follow=True,
    )
    assert b"is saved" in r.content
    body = r.content.decode()
    first_row = body.split("<tbody>")[1].split("</tr>")[0]
    assert "Visionary thinking" in first_row and "talk about this first" in first_row
    profile = client.get(reverse("assessment_profile", args=[completed_assessment.id]))
    assert b"Self, manager and 360 side by side" in profile.content


def test_the_person_sees_the_views_without_a_form_and_a_peer_sees_nothing(client, team):
    url = reverse("coaching_manager_assessment", args=[team["pm"].id])
    client.force_login(team["pm"].user)
    r = client.get(url)
    assert r.status_code == 200 and b"Save the assessment" not in r.content
    assert client.post(url, {"level_visionary_thinking": "5"}).status_code == 404
    client.force_login(team["peer"].user)
    assert client.get(url).status_code == 404
