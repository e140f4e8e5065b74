"""The culture pulse as evidence for the leader's cultural leadership: the framework's
behaviour "measures the product culture" names this query (behaviours/evidence.py)."""

from __future__ import annotations

from django.urls import reverse

from leadshift.behaviours.evidence import Finding, Period, Record, evidence_query
from leadshift.people.models import Person
from leadshift.pulse.models import Pulse


@evidence_query("culture_pulse")
def culture_pulse(person: Person, period: Period) -> Finding:
    """Pulses the person sent whose results were released in the period; only the release is
    evidence, never the answers."""
    released = Pulse.objects.filter(
        leader=person,
        released_at__date__gte=period.since,
        released_at__date__lte=period.until,
    ).order_by("released_at")
    return Finding(
        records=[
            Record(
                f"Culture pulse released {p.released_at:%d %b %Y}",
                reverse("pulse_detail", args=[p.pk]),
                p.released_at.date(),
            )
            for p in released
            if p.released_at is not None
        ]
    )
