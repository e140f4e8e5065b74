from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture(autouse=True)
def _runs_inline(settings: Any) -> None:
    # The test database lives in one transaction; a solver thread could not see it.
    settings.LEADSHIFT_RUNS_IN_BACKGROUND = False


@pytest.fixture
def portfolio(team: dict[str, Any]) -> dict[str, Any]:
    from tests.portfolio.helpers import load_example

    load_example(team["org"], team["head"])
    return team
