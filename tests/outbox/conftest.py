from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from leadshift.feedback import services as feedback
from leadshift.outbox.delivery import OUTBOX_BACKEND


@pytest.fixture(autouse=True)
def _outbox_mail(settings: Any) -> None:
    """Mail goes where `make run` sends it when no mail server is set up."""
    settings.EMAIL_BACKEND = OUTBOX_BACKEND


def make_admin(person: Any) -> Any:
    person.is_admin = True
    person.save(update_fields=["is_admin"])
    return person


@pytest.fixture
def pia_cycle(team: dict[str, Any]) -> Any:
    """Pia (under Gus, under Hana) asks three peers and Gus for feedback; the links are mailed."""
    pm = team["pm"]
    return feedback.do_open_cycle(
        pm,
        pm,
        closes_on=timezone.now() + dt.timedelta(days=14),
        raters=[
            feedback.RaterIn("Gus Group", "gus@acme.example", "manager"),
            *(feedback.RaterIn(f"Peer {i}", f"peer{i}@outside.example", "peer") for i in range(3)),
        ],
        base_url="http://testserver",
    )
