"""The team list's readiness, read as plain values, is each person's latest assessment's own
profile."""

from __future__ import annotations

import pytest

from leadshift.assessments.services import latest_complete_by_person, latest_profiles_by_person
from tests.scale import orgs

pytestmark = pytest.mark.django_db


def test_the_profiles_read_as_values_are_the_assessments_own(team):
    made = orgs.people(team["org"], team["head"], 3)
    ids = [p.id for p in made] + [team["head"].id]
    light = latest_profiles_by_person(ids)
    full = {pid: a.profile() for pid, a in latest_complete_by_person(ids).items()}
    assert light == full and len(light) >= 3
    assert len({p.readiness for p in light.values()}) > 1  # the three differ: a real check
