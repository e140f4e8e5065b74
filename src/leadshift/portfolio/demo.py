"""Northwind Labs' portfolio for the demo: objectives, 8 products with quarterly metrics, team
capacity over the next four quarters, ~40 initiatives, a plan of record and a second scenario.
Every write goes through the services, as the leader."""

from __future__ import annotations

import datetime as dt
import random

from leadshift.people.models import Organisation, Person, Team
from leadshift.planning.models import Scenario
from leadshift.planning.services import (
    do_adopt,
    do_create_scenario,
    do_set_scenario_capacity,
    do_set_scenario_rule,
    do_start_run,
)
from leadshift.portfolio.models import Initiative, Objective, Period, Product
from leadshift.portfolio.services import (
    InitiativeInput,
    do_add_period,
    do_add_snapshot,
    do_override_recommendation,
    do_save_horizon_mix,
    do_save_initiative,
    do_save_objective,
    do_save_product,
    do_set_capacity,
)

OBJECTIVES = [
    ("revenue", "Grow recurring revenue", 2.0, "Net new ARR from existing and new customers."),
    ("retention", "Keep the customers we have", 1.5, "Gross revenue retention above 92%."),
    (
        "efficiency",
        "Lower the cost to serve",
        1.0,
        "Support tickets and infrastructure per customer.",
    ),
    ("platform", "A platform partners build on", 1.0, "Partner integrations live and used."),
]

# key, name, team, revenue per quarter at the start, its growth per quarter, and the market:
# (market growth, relative share, margin, strategic fit, satisfaction)
PRODUCTS = [
    ("checkout", "Checkout", "Payments", 4.2e6, 0.012, (0.06, 1.8, 0.34, 0.9, 7.8)),
    ("marketplace", "Marketplace", "Marketplace", 0.9e6, 0.06, (0.22, 0.5, 0.12, 0.85, 7.1)),
    ("mobile-app", "Mobile app", "Mobile", 2.1e6, 0.045, (0.18, 1.3, 0.28, 0.8, 8.1)),
    (
        "classic-storefront",
        "Classic storefront",
        "Search",
        0.6e6,
        -0.035,
        (-0.02, 0.4, 0.02, 0.3, 5.9),
    ),
    ("partner-api", "Partner API", "Integrations", 0.35e6, 0.08, (0.3, 0.8, 0.22, 0.95, 7.4)),
    ("insights", "Insights", "Data platform", 1.1e6, 0.035, (0.15, 1.1, 0.31, 0.75, 7.6)),
    ("referrals", "Referrals", "Growth", 0.12e6, 0.09, None),
    (
        "desktop-reports",
        "Desktop reports",
        "Onboarding",
        0.4e6,
        -0.03,
        (0.01, 0.7, 0.03, 0.35, 6.2),
    ),
]

CAPACITY = {
    "Payments": 16,
    "Onboarding": 12,
    "Search": 10,
    "Mobile": 15,
    "Data platform": 12,
    "Growth": 12,
    "Marketplace": 14,
    "Integrations": 11,
}

# key, name, product, teams, horizon, duration, objectives
INITIATIVES = [
    ("checkout-v2", "Checkout v2", "checkout", ["Payments", "Mobile"], "core", 2, ["revenue"]),
    (
        "wallets",
        "Apple Pay and Google Pay",
        "checkout",
        ["Payments", "Mobile"],
        "core",
        1,
        ["revenue"],
    ),
    (
        "fraud-scoring",
        "Real-time fraud scoring",
        "checkout",
        ["Payments", "Data platform"],
        "adjacent",
        2,
        ["revenue", "efficiency"],
    ),
    (
        "sca-compliance",
        "Strong customer authentication",
        "checkout",
        ["Payments"],
        "core",
        1,
        ["retention"],
    ),
    (
        "invoice-pay",
        "Pay by invoice for B2B",
        "checkout",
        ["Payments", "Integrations"],
        "adjacent",
        2,
        ["revenue"],
    ),
    (
        "refund-automation",
        "Self-serve refunds",
        "checkout",
        ["Payments", "Onboarding"],
        "core",
        1,
        ["efficiency"],
    ),
    (
        "seller-onboarding",
        "Seller onboarding in a day",
        "marketplace",
        ["Marketplace", "Onboarding"],
        "core",
        1,
        ["revenue"],
    ),
    (
        "seller-payouts",
        "Daily seller payouts",
        "marketplace",
        ["Marketplace", "Payments"],
        "core",
        2,
        ["revenue", "retention"],
    ),
    ("reviews", "Verified buyer reviews", "marketplace", ["Marketplace"], "core", 1, ["retention"]),
    (
        "ads-for-sellers",
        "Sponsored listings",
        "marketplace",
        ["Marketplace", "Search", "Data platform"],
        "adjacent",
        2,
        ["revenue"],
    ),
    (
        "cross-border",
        "Cross-border selling",
        "marketplace",
        ["Marketplace", "Payments"],
        "transformational",
        2,
        ["revenue"],
    ),
    ("offline-mode", "Offline mode", "mobile-app", ["Mobile"], "core", 2, ["retention"]),
    (
        "push-personal",
        "Personalised push",
        "mobile-app",
        ["Mobile", "Data platform"],
        "core",
        1,
        ["retention"],
    ),
    (
        "app-clips",
        "App clips for checkout",
        "mobile-app",
        ["Mobile", "Payments"],
        "adjacent",
        1,
        ["revenue"],
    ),
    ("tablet-layout", "Tablet layout", "mobile-app", ["Mobile"], "core", 1, ["retention"]),
    (
        "ar-preview",
        "AR product preview",
        "mobile-app",
        ["Mobile", "Marketplace"],
        "transformational",
        2,
        ["revenue"],
    ),
    (
        "storefront-migration",
        "Move storefront customers to v3",
        "classic-storefront",
        ["Search", "Onboarding"],
        "core",
        2,
        ["efficiency", "retention"],
    ),
    (
        "storefront-freeze",
        "Security patches only for classic",
        "classic-storefront",
        ["Search"],
        "core",
        1,
        ["efficiency"],
    ),
    (
        "semantic-search",
        "Semantic search",
        None,
        ["Search", "Data platform"],
        "adjacent",
        2,
        ["revenue", "retention"],
    ),
    ("search-autocomplete", "Search autocomplete", None, ["Search"], "core", 1, ["retention"]),
    (
        "partner-portal",
        "Partner developer portal",
        "partner-api",
        ["Integrations"],
        "core",
        1,
        ["platform"],
    ),
    (
        "webhooks-v2",
        "Webhooks v2",
        "partner-api",
        ["Integrations", "Data platform"],
        "core",
        1,
        ["platform", "efficiency"],
    ),
    (
        "app-store",
        "Partner app store",
        "partner-api",
        ["Integrations", "Marketplace"],
        "transformational",
        2,
        ["platform", "revenue"],
    ),
    (
        "erp-connectors",
        "ERP connectors",
        "partner-api",
        ["Integrations"],
        "adjacent",
        2,
        ["platform", "revenue"],
    ),
    (
        "oauth-scopes",
        "Fine-grained OAuth scopes",
        "partner-api",
        ["Integrations"],
        "core",
        1,
        ["platform"],
    ),
    (
        "warehouse-migration",
        "Warehouse migration",
        "insights",
        ["Data platform"],
        "core",
        2,
        ["efficiency"],
    ),
    (
        "self-serve-dashboards",
        "Self-serve dashboards",
        "insights",
        ["Data platform", "Onboarding"],
        "core",
        1,
        ["retention"],
    ),
    (
        "forecasting",
        "Demand forecasting",
        "insights",
        ["Data platform"],
        "adjacent",
        2,
        ["revenue"],
    ),
    (
        "ai-analyst",
        "AI analyst",
        "insights",
        ["Data platform", "Growth"],
        "transformational",
        2,
        ["revenue", "retention"],
    ),
    (
        "referral-rewards",
        "Two-sided referral rewards",
        "referrals",
        ["Growth"],
        "core",
        1,
        ["revenue"],
    ),
    (
        "referral-leaderboard",
        "Referral leaderboards",
        "referrals",
        ["Growth", "Mobile"],
        "adjacent",
        1,
        ["revenue"],
    ),
    (
        "lifecycle-emails",
        "Lifecycle e-mails",
        None,
        ["Growth", "Data platform"],
        "core",
        1,
        ["retention"],
    ),
    (
        "pricing-experiments",
        "Pricing experiments",
        None,
        ["Growth", "Payments"],
        "adjacent",
        1,
        ["revenue"],
    ),
    (
        "trial-to-paid",
        "Trial-to-paid nudges",
        None,
        ["Growth", "Onboarding"],
        "core",
        1,
        ["revenue"],
    ),
    (
        "onboarding-checklist",
        "Onboarding checklist",
        None,
        ["Onboarding"],
        "core",
        1,
        ["retention"],
    ),
    (
        "sso",
        "Single sign-on for teams",
        None,
        ["Onboarding", "Integrations"],
        "core",
        1,
        ["retention"],
    ),
    (
        "reports-export",
        "Scheduled report exports",
        "desktop-reports",
        ["Onboarding", "Data platform"],
        "core",
        1,
        ["retention"],
    ),
    (
        "reports-sunset-plan",
        "Move reports users to Insights",
        "desktop-reports",
        ["Onboarding", "Data platform"],
        "core",
        1,
        ["efficiency"],
    ),
    (
        "community",
        "Merchant community",
        None,
        ["Growth", "Marketplace"],
        "transformational",
        2,
        ["retention"],
    ),
    (
        "voice-ordering",
        "Voice ordering",
        None,
        ["Mobile", "Search"],
        "transformational",
        1,
        ["revenue"],
    ),
]

AFTER = {
    "fraud-scoring": ["sca-compliance"],
    "app-clips": ["wallets"],
    "seller-payouts": ["seller-onboarding"],
    "ads-for-sellers": ["semantic-search"],
    "app-store": ["partner-portal", "oauth-scopes"],
    "forecasting": ["warehouse-migration"],
    "ai-analyst": ["warehouse-migration"],
    "referral-leaderboard": ["referral-rewards"],
    "reports-sunset-plan": ["self-serve-dashboards"],
    "cross-border": ["checkout-v2"],
}


def _quarter_start(d: dt.date) -> dt.date:
    return dt.date(d.year, 3 * ((d.month - 1) // 3) + 1, 1)


def _next_quarter(d: dt.date) -> dt.date:
    return dt.date(d.year + (d.month >= 10), (d.month + 2) % 12 + 1, 1)


def _label(d: dt.date) -> str:
    return f"{d.year}-Q{(d.month - 1) // 3 + 1}"


def load_portfolio(
    org: Organisation, leader: Person, rng: random.Random, today: dt.date
) -> Scenario:
    """Write the demo portfolio; returns the plan-of-record scenario."""
    teams = {t.name: t for t in Team.objects.filter(organisation=org)}
    start = _next_quarter(_quarter_start(today))
    periods: list[Period] = []
    q = start
    for _ in range(4):
        periods.append(do_add_period(org, leader, name=_label(q)))
        q = _next_quarter(q)
    for key, name, weight, desc in OBJECTIVES:
        do_save_objective(
            org, leader, key=key, name=name, weight=weight, description=desc, period_ids=[]
        )
    cells: dict[tuple[int, int], float | None] = {}
    for tname, cap in CAPACITY.items():
        for k, p in enumerate(periods):
            # Holidays thin the fourth quarter; hiring fills the second.
            cells[(teams[tname].id, p.id)] = cap - (4 if k == 3 else 0) + (2 if k == 1 else 0)
    do_set_capacity(org, leader, cells)
    do_save_horizon_mix(
        org, leader, target={"core": 70, "adjacent": 20, "transformational": 10}, tolerance=10
    )

    # Quarter-end snapshots: 4 to 6 of them, the last at the end of the quarter before today.
    ends = []
    q = _quarter_start(today)
    for _ in range(6):
        ends.append(q - dt.timedelta(days=1))
        q = _quarter_start(q - dt.timedelta(days=1))
    ends.reverse()
    for pos, (key, name, tname, revenue, growth, market) in enumerate(PRODUCTS):
        product = do_save_product(
            org, leader, key=key, name=name, team_id=teams[tname].id, description=""
        )
        product.position = pos
        product.save(update_fields=["position"])
        n = 4 + pos % 3
        rev = revenue
        for k, end in enumerate(ends[-n:]):
            metrics: dict[str, float | None] = {
                "revenue": round(rev, -3),
                "active_users": round(rev / 38 * (1 + rng.uniform(-0.05, 0.05)), -1),
            }
            if market is not None:
                mg, share, margin, fit, sat = market
                drift = (k - n + 1) * 0.004
                metrics.update(
                    market_growth=round(mg - drift + rng.uniform(-0.01, 0.01), 3),
                    relative_share=round(share * (1 + growth * 0.4 * (k - n + 1)), 2),
                    margin=round(margin + rng.uniform(-0.01, 0.01), 3),
                    strategic_fit=fit,
                    satisfaction=round(sat + rng.uniform(-0.2, 0.2), 1),
                )
            do_add_snapshot(product, leader, taken_on=end, label=_label(end), metrics=metrics)
            rev *= 1 + growth + rng.uniform(-0.01, 0.01)
    reports = Product.objects.get(organisation=org, key="desktop-reports")
    do_override_recommendation(
        reports,
        leader,
        recommendation="sustain",
        reason="Three enterprise contracts rely on it until their renewal; sunset after "
        "the move to Insights, not before.",
    )

    objectives = {o.key: o.id for o in Objective.objects.filter(organisation=org)}
    products = {p.key: p.id for p in Product.objects.filter(organisation=org)}
    ids: dict[str, int] = {}
    horizon_value = {"core": (40, 110), "adjacent": (60, 160), "transformational": (50, 260)}
    for key, name, pkey, tnames, horizon, duration, objs in INITIATIVES:
        lo, hi = horizon_value[horizon]
        likely = round(rng.uniform(lo, hi))
        ranged = horizon != "core" or rng.random() < 0.3
        efforts: dict[int, tuple[float, float | None, float | None]] = {}
        mandatory = key in ("sca-compliance", "storefront-freeze")
        for j, tname in enumerate(tnames):
            # Mandatory work stays small enough to fit any quarter, whatever the seed.
            lead_sizes = [4, 5, 6] if mandatory else [4, 5, 6, 8, 10, 12]
            e = float(rng.choice(lead_sizes if j == 0 else [2, 3, 4, 5]))
            efforts[teams[tname].id] = (e, e * 0.75, e * 1.6) if ranged else (e, None, None)
        data = InitiativeInput(
            key=key,
            name=name,
            value=likely,
            value_low=round(likely * 0.5) if ranged else None,
            value_high=round(likely * (2.2 if horizon == "transformational" else 1.5))
            if ranged
            else None,
            product_id=products.get(pkey) if pkey else None,
            duration=duration,
            horizon=horizon,
            mandatory=mandatory,
            latest_id=periods[1].id if key == "sca-compliance" else None,
            deadline_id=periods[2].id if key == "warehouse-migration" else None,
            earliest_id=periods[1].id if key in ("ai-analyst", "ar-preview") else None,
            after_ids=[ids[a] for a in AFTER.get(key, []) if a in ids],
            objectives=dict.fromkeys((objectives[o] for o in objs), None),
            efforts=efforts,
            reach=float(rng.choice([500, 1000, 2000, 5000, 10000])),
            impact=float(rng.choice([0.5, 1, 2, 3])),
            confidence=round(rng.uniform(0.5, 0.9), 2),
        )
        ids[key] = do_save_initiative(org, leader, data).id

    base = do_create_scenario(
        org,
        leader,
        name="Next four quarters",
        description="The portfolio as it stands, with the 70/20/10 horizon mix.",
    )
    do_start_run(base, leader, time_limit=5.0, gap=0.005, background=False)
    do_adopt(base, leader)
    hire = do_create_scenario(
        org,
        leader,
        name="Two more on Data platform",
        description="Hire two engineers into Data platform from the second quarter, and "
        "commit to the AI analyst.",
        copy_from=base,
    )
    for p in periods[1:]:
        do_set_scenario_capacity(
            hire,
            leader,
            team=teams["Data platform"],
            period=p,
            person_weeks=CAPACITY["Data platform"] + 12,
        )
    do_set_scenario_rule(
        hire,
        leader,
        initiative=Initiative.objects.get(organisation=org, key="ai-analyst"),
        rule="mandatory",
    )
    do_start_run(hire, leader, time_limit=5.0, gap=0.005, background=False)
    from leadshift.portfolio.results_demo import load_results

    load_results(org, leader, today)
    return base
