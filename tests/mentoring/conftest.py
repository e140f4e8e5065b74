from __future__ import annotations

from typing import Any

import pytest

from tests.mentoring.helpers import release_360


@pytest.fixture
def mentoring_org(team: dict[str, Any], make_person: Any, make_org: Any) -> dict[str, Any]:
    """Hana leads Gus (who leads Pia) and Pete; Mo sits under Pete, outside Pia's line.
    Pia is weak in everything; Gus (her manager), Mo and Pete are strong; Olga is strong
    but works for another organisation."""
    org = team["org"]
    mo = make_person(org, "Mo Mentor", manager=team["peer"], email="mo@acme.example")
    other = make_org("Globex", admin_email="olga@globex.example")
    release_360(team["pm"], 2, tag="pia")
    release_360(team["group"], 5, tag="gus")
    release_360(mo, 5, tag="mo")
    release_360(team["peer"], 4, tag="pete")
    release_360(other, 5, tag="olga")
    return {**team, "mo": mo, "olga": other}
