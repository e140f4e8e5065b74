"""Demo decision records for the leader: a year of reviewed decisions, some due for review."""

from __future__ import annotations

import datetime as dt
import random

from leadshift.decisions.services import (
    DecisionIn,
    OptionIn,
    do_create_decision,
    do_record_outcome,
)
from leadshift.people.models import Person

QUESTIONS = {
    "product_bet": [
        "Should we build an offline mode for the mobile app?",
        "Do we double down on the marketplace or keep it as an experiment?",
        "Should we sunset the legacy reporting module?",
        "Is self-serve onboarding worth a full quarter of two teams?",
        "Should we bundle fraud scoring into checkout?",
        "Do we rebuild search on the new platform now or after migration?",
        "Should we open a partner API this year?",
        "Do we build a loyalty programme or improve retention emails?",
        "Should we merge the two analytics dashboards into one product?",
    ],
    "hiring": [
        "Hire a group PM for payments or promote from within?",
        "Do we hire a second product designer before a data analyst?",
        "Should we bring in a head of product operations?",
        "Hire senior or junior for the growth PM role?",
        "Do we staff the AI assistant with a dedicated PM?",
    ],
    "pricing": [
        "Raise the Pro plan price by 12 %?",
        "Introduce usage-based pricing for the API?",
        "Offer annual plans at a 20 % discount?",
        "Drop the free tier for new sign-ups?",
        "Charge for premium integrations separately?",
        "Move enterprise customers to seat-based pricing?",
    ],
    "technology": [
        "Move the data platform to a managed warehouse?",
        "Adopt a shared design system across all apps?",
        "Buy a feature-flag service instead of building one?",
        "Rewrite the mobile apps in a cross-platform framework?",
        "Replace the in-house fraud rules with a vendor?",
        "Split the monolith's payments module into a service?",
        "Standardise on one analytics tool across teams?",
    ],
    "market_entry": [
        "Enter the German market in Q2?",
        "Launch in the Nordics through a reseller?",
        "Target mid-market customers with a sales-led motion?",
        "Open a second region for data residency?",
        "Partner with a bank to reach small merchants?",
        "Pilot in the UK public sector?",
    ],
}
CRITERIA = [
    ("Impact on company objectives", 3.0),
    ("Customer value", 3.0),
    ("Cost and effort", 2.0),
    ("Risk", 2.0),
]
LESSONS = {
    "succeeded": [
        "Small pilot first made the bet cheap to test; do that again.",
        "Consulting sales early paid off: no surprises at launch.",
        "The leading indicator we picked moved within six weeks; trust it next time.",
    ],
    "failed": [
        "We underestimated the migration effort by half; ask the team for a range, not a number.",
        "Customers said they wanted it but did not pay for it; test willingness to pay first.",
        "A one-way door treated like a two-way door: should have slowed down.",
        "Key engineer left mid-way; we had no second person on the critical path.",
    ],
    "partly": [
        "Delivered late but the value landed; the deadline was the weak part.",
        "Worked for new customers, not for the installed base.",
    ],
}


def load_decisions(leader: Person, people: list[Person], rng: random.Random, today: dt.date) -> int:
    """About 26 reviewed decisions over the past year (the leader is a little overconfident
    on product bets, well calibrated on hiring), 5 due for review, 4 open."""
    made = 0
    plan: list[tuple[str, str]] = []
    for kind, questions in QUESTIONS.items():
        plan += [(kind, q) for q in questions]
    rng.shuffle(plan)
    others = [p for p in people if p.id != leader.id]
    for n, (kind, question) in enumerate(plan):
        reviewed = n < 26
        due = 26 <= n < 31
        if reviewed:
            decided = today - dt.timedelta(days=rng.randint(120, 380))
            review = decided + dt.timedelta(days=rng.randint(60, 110))
        elif due:
            decided = today - dt.timedelta(days=rng.randint(70, 140))
            review = today - dt.timedelta(days=rng.randint(1, 30))
        else:
            decided = today - dt.timedelta(days=rng.randint(5, 40))
            review = today + dt.timedelta(days=rng.randint(30, 120))
        forecast = rng.choice([0.5, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95])
        options = [
            OptionIn(name, "", [float(rng.randint(3, 9)) for _ in CRITERIA])
            for name in ("Go", "Not now", "Smaller pilot")
        ]
        d = do_create_decision(
            leader,
            DecisionIn(
                question=question,
                kind=kind,
                context="Raised in the quarterly portfolio review.",
                criteria=list(CRITERIA),
                options=options,
                chosen=rng.randrange(len(options)),
                rationale="Best fit with this year's objectives at a cost we can carry.",
                reversible=rng.random() < 0.6,
                decided_on=decided,
                decided_by=[leader.id],
                consulted=[p.id for p in rng.sample(others, k=min(2, len(others)))],
                informed=[p.id for p in rng.sample(others, k=min(3, len(others)))],
                risks_accepted="Some delay to other work while the team ramps up.",
                forecast=forecast,
                forecast_by=review - dt.timedelta(days=7),
                review_on=review,
                starter="weighted-criteria",
            ),
        )
        made += 1
        if reviewed:
            # Overconfident on product bets and pricing, close to calibrated elsewhere.
            bias = 0.2 if kind in ("product_bet", "pricing") else 0.03
            roll = rng.random()
            outcome = "succeeded" if roll < forecast - bias else "failed"
            if rng.random() < 0.1:
                outcome = "partly"
            do_record_outcome(
                d, leader, outcome=outcome, lesson=rng.choice(LESSONS[outcome]), on=review
            )
    return made
