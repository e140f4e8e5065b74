from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone


@pytest.fixture
def pias_plan(team: dict[str, Any], completed_assessment: Any) -> Any:
    from leadshift.growth.services import do_generate_plan

    return do_generate_plan(completed_assessment, team["pm"])


@pytest.fixture
def series(team: dict[str, Any]) -> Any:
    """Gus leads Pia; their fortnightly 1:1s start in five weeks (so plan actions fall due)."""
    from leadshift.coaching.services import do_start_series

    first = timezone.localdate() + dt.timedelta(days=35)
    return do_start_series(team["group"], team["pm"], cadence="fortnightly", first_on=first)
