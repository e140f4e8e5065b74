"""The demo leader's radar: a stakeholder who turned blocker after the planning review, and
a product whose interim snapshot moved its lifecycle advice.

The other signals come from what the demo already holds: the risk whose trigger fired, the
objective the demo simulation puts out of reach, and the kind of decision that failed more
often than forecast.
"""

from __future__ import annotations

import datetime as dt

from leadshift.people.models import Person
from leadshift.portfolio.models import Product
from leadshift.portfolio.services import do_add_snapshot
from leadshift.stakeholders.models import Stakeholder, Stance
from leadshift.stakeholders.services import do_log_interaction

TURNED = "Daniel Price"


def load_radar(leader: Person, today: dt.date) -> None:
    _blocker(leader, today)
    _interim_snapshot(leader, today)


def _interim_snapshot(leader: Person, today: dt.date) -> None:
    """Partner API caught up with the market leader: develop becomes scale."""
    product = Product.objects.filter(organisation_id=leader.organisation_id, key="partner-api")
    last = product[0].snapshots.order_by("taken_on").last() if product else None
    if last is None or last.taken_on >= today - dt.timedelta(days=2):
        return
    metrics = {**last.metrics(), "relative_share": 1.12}
    metrics["revenue"] = round(metrics.get("revenue", 0) * 1.04, -3)
    do_add_snapshot(
        product[0], leader, taken_on=today - dt.timedelta(days=2), label="interim", metrics=metrics
    )


def _blocker(leader: Person, today: dt.date) -> None:
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
