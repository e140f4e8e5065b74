"""Assessments made on framework 1.0.0 with picked levels keep their version and show as before."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.urls import reverse

from leadshift.assessments.services import do_submit_assessment
from leadshift.frameworks.schema import default_framework, load_framework_file
from leadshift.frameworks.services import do_install_framework
from tests.conftest import full_answers

OLD_FILE = Path(__file__).resolve().parents[1] / "frameworks" / "default-1.0.0.yaml"


@pytest.mark.django_db
def test_a_level_picked_on_version_1_0_0_still_shows_with_its_version(client, team) -> None:
    org, pm = team["org"], team["pm"]
    old_version = do_install_framework(org, OLD_FILE.read_text(), "default-1.0.0.yaml")
    old = do_submit_assessment(pm, pm, "group_pm", full_answers(load_framework_file(OLD_FILE), 3))
    # The organisation moves on to the built-in framework, 1.1.0.
    org.framework = None
    org.save(update_fields=["framework"])
    new = do_submit_assessment(pm, pm, "group_pm", full_answers(default_framework(), 2))

    old.refresh_from_db()
    assert old.framework_id == old_version.id and old.framework.data.version == "1.0.0"
    assert new.framework.data.version == "1.1.0"
    assert old.profile().capability("decision_making_risk").level == 3
    client.force_login(pm.user)
    page = client.get(reverse("assessment_profile", args=[old.id])).content.decode()
    assert "v1.0.0" in page
    assert "Behaviours and their evidence" not in page
    # The old wording is still what that version says.
    cap = old.framework.data.capability("leadership_team_development")
    assert "in most cases" in cap.level(2).behaviours[2].text
