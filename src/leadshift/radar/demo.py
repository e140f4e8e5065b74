"""The demo leader's radar: a stakeholder who turned blocker after the planning review.

The other signals come from what the demo already holds: the risk whose trigger fired, the
objectives the demo simulation puts out of reach, the products whose latest snapshot moved
their lifecycle advice, and the product bets that failed more often than forecast.
"""

from __future__ import annotations

import datetime as dt

from leadshift.people.models import Person
from leadshift.stakeholders.models import Stakeholder, Stance
from leadshift.stakeholders.services import do_log_interaction

TURNED = "Daniel Price"


def load_radar(leader: Person, today: dt.date) -> None:
    s = Stakeholder.objects.filter(owner=leader, name=TURNED).first()
    if s is None:
        return
    do_log_interaction(
        s,
        leader,
        date=today - dt.timedelta(days=3),
        kind="meeting",
        note="Blocked the cross-border budget at the planning review.",
        tone=-2,
    )
    # A stance changes as the map is edited; the demo sets it as that edit would.
    Stakeholder.objects.filter(pk=s.pk).update(stance=Stance.BLOCKER)
