"""Evidence queries: the records LeadShift already holds that show a behaviour or an action.

Each query has a name the framework uses (`evidence:` on a behaviour, `done_when:` on an
action) and returns the records that evidence it, with links, or the records that say
otherwise. Register a new one with `@evidence_query("name")` in any module imported at start
(the registry is this module's `QUERIES`); a name the registry does not know reads as no query.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import Q
from django.urls import reverse

from leadshift.coaching.models import Meeting
from leadshift.decisions.models import Decision
from leadshift.people.models import Person
from leadshift.portfolio.models import Product
from leadshift.risk.models import Risk
from leadshift.stakeholders.models import Interaction, Stakeholder
from leadshift.timeuse.models import WeekUse

# A leader's calendar gives at least this share of classified hours to the leader's end of
# the shifts (strategy, people, executives); below it the calendar says otherwise.
LEADER_SHARE = 0.2
# Stakeholders of this influence (1 to 5) or more count as executives.
EXECUTIVE_INFLUENCE = 4


@dataclass(frozen=True)
class Record:
    label: str
    url: str
    on: dt.date | None = None


@dataclass(frozen=True)
class Finding:
    records: list[Record] = field(default_factory=list)
    """What evidences the behaviour."""
    against: list[Record] = field(default_factory=list)
    """What says otherwise, when the query's data exists and contradicts the behaviour."""
    why_against: str = ""


@dataclass(frozen=True)
class Period:
    since: dt.date
    until: dt.date


Query = Callable[[Person, Period], Finding]
QUERIES: dict[str, Query] = {}


def evidence_query(name: str) -> Callable[[Query], Query]:
    def register(fn: Query) -> Query:
        QUERIES[name] = fn
        return fn

    return register


def find(name: str | None, person: Person, period: Period) -> Finding | None:
    """The finding of a named query, or None when there is no such query."""
    query = QUERIES.get(name or "")
    return None if query is None else query(person, period)


def _decision(d: Decision) -> Record:
    return Record(str(d), reverse("decision_detail", args=[d.pk]), d.decided_on)


@evidence_query("decision_records")
def decision_records(person: Person, period: Period) -> Finding:
    found = Decision.objects.filter(
        owner=person,
        review_on__isnull=False,
        decided_on__gte=period.since,
        decided_on__lte=period.until,
    ).order_by("-decided_on", "-id")
    return Finding(records=[_decision(d) for d in found])


@evidence_query("decision_reviews")
def decision_reviews(person: Person, period: Period) -> Finding:
    mine = Decision.objects.filter(owner=person).order_by("review_on", "id")
    overdue = [
        d for d in mine.filter(review_on__lt=period.until, outcome="") if d.review_due(period.until)
    ]
    reviewed = mine.filter(reviewed_on__gte=period.since, reviewed_on__lte=period.until).exclude(
        outcome=""
    )
    return Finding(
        records=[_decision(d) for d in reviewed],
        against=[_decision(d) for d in overdue],
        why_against=f"{len(overdue)} decision{'s' if len(overdue) != 1 else ''} past the "
        "review date without a review"
        if overdue
        else "",
    )


@evidence_query("forecasts_scored")
def forecasts_scored(person: Person, period: Period) -> Finding:
    found = Decision.objects.filter(
        owner=person,
        forecast__isnull=False,
        reviewed_on__gte=period.since,
        reviewed_on__lte=period.until,
    ).exclude(outcome="")
    return Finding(records=[_decision(d) for d in found])


@evidence_query("risk_register")
def risk_register(person: Person, period: Period) -> Finding:
    found = Risk.objects.filter(
        owner=person, created_at__date__gte=period.since, created_at__date__lte=period.until
    ).exclude(mitigation="")
    return Finding(
        records=[
            Record(r.title, reverse("risk_edit", args=[r.pk]), r.created_at.date()) for r in found
        ]
    )


@evidence_query("stakeholder_map")
def stakeholder_map(person: Person, period: Period) -> Finding:
    found = Stakeholder.objects.filter(owner=person, created_at__date__lte=period.until)
    return Finding(
        records=[
            Record(
                f"{s.name} (influence {s.influence}, interest {s.interest})",
                reverse("stakeholder_detail", args=[s.pk]),
            )
            for s in found
        ]
    )


@evidence_query("executive_contacts")
def executive_contacts(person: Person, period: Period) -> Finding:
    found = (
        Interaction.objects.filter(
            stakeholder__owner=person,
            stakeholder__influence__gte=EXECUTIVE_INFLUENCE,
            date__gte=period.since,
            date__lte=period.until,
        )
        .select_related("stakeholder")
        .order_by("-date", "-id")
    )
    return Finding(
        records=[
            Record(
                f"{i.get_kind_display()} with {i.stakeholder.name}",
                reverse("stakeholder_detail", args=[i.stakeholder_id]),
                i.date,
            )
            for i in found
        ]
    )


@evidence_query("calendar_leader_share")
def calendar_leader_share(person: Person, period: Period) -> Finding:
    weeks = list(
        WeekUse.objects.filter(
            person=person, week_start__gte=period.since, week_start__lte=period.until
        )
    )
    leader = sum(float(v) for w in weeks for k, v in w.hours.items() if k.endswith(":leader"))
    pm = sum(float(v) for w in weeks for k, v in w.hours.items() if k.endswith(":pm"))
    if not weeks or leader + pm == 0:
        return Finding()
    share = leader / (leader + pm)
    record = Record(
        f"{round(100 * share)} % of classified hours at the leader's end over {len(weeks)} weeks",
        reverse("timeuse_person", args=[person.pk]),
        weeks[-1].week_start,
    )
    if share >= LEADER_SHARE:
        return Finding(records=[record])
    return Finding(
        against=[record],
        why_against=f"the calendar gives {round(100 * share)} % to the leader's end, "
        f"below {round(100 * LEADER_SHARE)} %",
    )


@evidence_query("one_to_ones")
def one_to_ones(person: Person, period: Period) -> Finding:
    found = (
        Meeting.objects.filter(
            series__leader=person, done=True, on__gte=period.since, on__lte=period.until
        )
        .select_related("series__person")
        .order_by("-on", "-id")
    )
    return Finding(
        records=[
            Record(
                f"1:1 with {m.series.person.name}",
                reverse("coaching_series", args=[m.series_id]),
                m.on,
            )
            for m in found
        ]
    )


@evidence_query("portfolio_review")
def portfolio_review(person: Person, period: Period) -> Finding:
    found = Product.objects.filter(
        Q(owner=person, stage__gt="") | Q(override_by=person, override_at__date__gte=period.since),
        organisation=person.organisation,
    )
    return Finding(
        records=[
            Record(f"{p.name}: {p.override or p.stage}", reverse("portfolio_products"))
            for p in found
        ]
    )
