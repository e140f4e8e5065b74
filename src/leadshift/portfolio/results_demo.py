"""The demo's key results with monthly actuals (logo churn clearly behind its line), the
initiatives' statuses and tracker keys, a planned hire and expected attrition. Written
after the plan of record was made: the hire and the attrition are news it has not seen."""

from __future__ import annotations

import datetime as dt

from leadshift.people.models import Organisation, Person, Team
from leadshift.portfolio.models import Initiative, Objective, Period
from leadshift.portfolio.services import (
    do_record_actual,
    do_save_key_result,
    do_set_capacity_changes,
    do_set_status,
)

# objective, key, name, unit, baseline, target, share of the way reached by each month
# (None: not measured that month). Churn stalls: it is the one behind its trajectory.
KEY_RESULTS = [
    ("revenue", "arr", "Annual recurring revenue", "€ k", 8400, 10000, [0.1, 0.2, 0.32, 0.41]),
    ("revenue", "new-logos", "New customers a month", "customers", 120, 180, [0.12, 0.2, 0.3, 0.4]),
    ("retention", "grr", "Gross revenue retention", "%", 89, 93, [0.1, 0.25, 0.3, 0.38]),
    ("retention", "churn", "Monthly logo churn", "%", 2.4, 1.6, [0.05, 0.0, 0.0, -0.05]),
    (
        "efficiency",
        "tickets",
        "Support tickets per customer",
        "tickets",
        0.42,
        0.3,
        [0.1, 0.22, 0.31, 0.36],
    ),
    (
        "platform",
        "integrations",
        "Partner integrations live",
        "integrations",
        12,
        30,
        [0.06, 0.17, 0.28, 0.39],
    ),
]
NOTES = {("retention", "churn", 3): "Two mid-market accounts left after the price change."}

# initiative, status, its tracker key; done and dropped ones finished this many days ago.
STATUSES = [
    ("sca-compliance", "done", "SHOP-101", 20),
    ("refund-automation", "done", "SHOP-104", 9),
    ("checkout-v2", "in_progress", "SHOP-102", None),
    ("wallets", "in_progress", "SHOP-103", None),
    ("fraud-scoring", "planned", "SHOP-105", None),
    ("invoice-pay", "planned", "SHOP-106", None),
    ("seller-onboarding", "in_progress", "MKT-12", None),
    ("seller-payouts", "planned", "MKT-13", None),
    ("cross-border", "dropped", "MKT-19", 30),
    ("push-personal", "in_progress", "MOB-41", None),
    ("app-clips", "planned", "MOB-42", None),
    ("storefront-freeze", "done", "WEB-7", 45),
    ("storefront-migration", "planned", "WEB-8", None),
]


def load_results(org: Organisation, leader: Person, today: dt.date) -> None:
    start = today - dt.timedelta(days=120)
    due = start + dt.timedelta(days=365)
    objectives = {o.key: o for o in Objective.objects.filter(organisation=org)}
    for okey, key, name, unit, baseline, target, shares in KEY_RESULTS:
        kr = do_save_key_result(
            objectives[okey],
            leader,
            key=key,
            name=name,
            unit=unit,
            baseline=baseline,
            target=target,
            starts_on=start,
            due_on=due,
        )
        for month, share in enumerate(shares):
            on = start + dt.timedelta(days=30 * (month + 1))
            value = baseline + (target - baseline) * share
            value = round(value) if unit in ("customers", "integrations") else round(value, 2)
            note = NOTES.get((okey, key, month), "")
            do_record_actual(kr, leader, on=min(on, today), value=value, note=note)
    items = {i.key: i for i in Initiative.objects.filter(organisation=org)}
    for key, status, external, days_ago in STATUSES:
        if key not in items:
            continue
        finished = today - dt.timedelta(days=days_ago) if days_ago is not None else None
        do_set_status(
            items[key], leader, status=status, finished_on=finished, external_key=external
        )
    teams = {t.name: t for t in Team.objects.filter(organisation=org)}
    periods = list(Period.objects.filter(organisation=org))
    if len(periods) >= 4 and "Data platform" in teams and "Mobile" in teams:
        do_set_capacity_changes(
            org,
            leader,
            {
                (teams["Data platform"].id, periods[2].id): (12.0, 0.0),
                (teams["Mobile"].id, periods[3].id): (0.0, 6.0),
            },
        )
