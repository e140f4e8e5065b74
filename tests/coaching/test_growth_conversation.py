"""The growth conversation: the longer view sets the target role and leads the next plan."""

from __future__ import annotations

import pytest
from django.urls import reverse

from leadshift.coaching import services
from leadshift.core.errors import Invalid, NotAllowed
from leadshift.growth.services import do_generate_plan

pytestmark = pytest.mark.django_db


def test_its_answers_set_the_target_role_and_lead_the_next_plan(client, team, completed_assessment):
    pm = team["pm"]
    client.force_login(team["group"].user)
    r = client.post(
        reverse("coaching_growth_conversation", args=[pm.id]),
        {
            "horizon_years": "2",
            "aspirations": "Lead a product line within two years",
            "target_role": "director_product",
            "set_target": "on",
            "capabilities": ["cultural_leadership", "stakeholder_management"],
            "experiences": "Run the quarterly business review",
        },
        follow=True,
    )
    assert b"Saved" in r.content and b"Lead a product line" in r.content
    pm.refresh_from_db()
    assert pm.target_role == "director_product"
    plan = do_generate_plan(completed_assessment, pm)
    assert [g.capability for g in plan.goals.all()][:2] == [
        "cultural_leadership",
        "stakeholder_management",
    ]


def test_it_refuses_an_unknown_role_or_capability_and_someone_not_above(team):
    pm = team["pm"]
    with pytest.raises(Invalid) as exc:
        services.do_record_growth_conversation(
            pm, pm, aspirations="x", target_role="emperor", capabilities=[]
        )
    assert exc.value.field == "target_role"
    with pytest.raises(Invalid, match="charisma"):
        services.do_record_growth_conversation(
            pm, pm, aspirations="x", target_role="group_pm", capabilities=["charisma"]
        )
    with pytest.raises(NotAllowed):
        services.do_record_growth_conversation(
            team["peer"], pm, aspirations="x", target_role="group_pm", capabilities=[]
        )
    assert not pm.growth_conversations.exists()


def test_a_peer_gets_a_404(client, team):
    client.force_login(team["peer"].user)
    url = reverse("coaching_growth_conversation", args=[team["pm"].id])
    assert client.get(url).status_code == 404
