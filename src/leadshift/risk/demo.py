"""A demo risk register on the demo organisation's portfolio (about 12 risks, two shared
drivers, several with mitigations and triggers)."""

from __future__ import annotations

import datetime as dt

from leadshift.people.models import Organisation, Person
from leadshift.planning.presentation import objective_values
from leadshift.planning.services import plan_of_record
from leadshift.portfolio.document import engine_portfolio
from leadshift.portfolio.models import Initiative, Objective, Product
from leadshift.risk.models import ObjectiveTarget
from leadshift.risk.services import RiskIn, do_save_driver, do_save_risk


def load_risks(org: Organisation, leader: Person, owners: list[Person], today: dt.date) -> int:
    initiatives = list(
        Initiative.objects.filter(organisation=org).prefetch_related("efforts__team")
    )
    if not initiatives:
        return 0
    attrition = do_save_driver(
        org,
        None,
        name="A key engineer leaves",
        probability=0.3,
        description="Two senior engineers carry most of the platform knowledge.",
    )
    vendor = do_save_driver(
        org,
        None,
        name="Payments vendor changes terms",
        probability=0.25,
        description="Our processor is renegotiating its contracts this year.",
    )

    def init(k: int) -> Initiative:
        return initiatives[k % len(initiatives)]

    def team_of(i: Initiative) -> int | None:
        e = next(iter(i.efforts.all()), None)
        return e.team_id if e else None

    def effort(i: Initiative, share: float) -> dict[int, float]:
        t = team_of(i)
        return {t: share} if t else {}

    product = Product.objects.filter(organisation=org).first()
    objective = Objective.objects.filter(organisation=org).first()
    owner = [p.id for p in owners] or [leader.id]
    rows = [
        RiskIn(
            "Platform lead leaves mid-migration",
            0.7,
            initiative=init(1).id,
            driver=attrition.id,
            delay_periods=1,
            efforts=effort(init(1), 0.4),
            mitigation="Pair a second engineer on the migration; write the runbook now.",
            mitigation_cost=6,
            mitigated_probability=0.25,
            trigger="Resignation or a two-week absence of the platform lead",
        ),
        RiskIn(
            "Mobile specialist leaves",
            0.5,
            initiative=init(3).id,
            driver=attrition.id,
            delay_periods=1,
            value_loss_share=0.1,
            mitigation="Cross-train one web engineer on the mobile stack.",
            mitigation_cost=4,
            mitigated_probability=0.2,
        ),
        RiskIn(
            "Fraud model knowledge walks out",
            0.4,
            initiative=init(2).id,
            driver=attrition.id,
            value_loss_share=0.3,
            efforts=effort(init(2), 0.3),
        ),
        RiskIn(
            "Processor raises fees",
            0.8,
            initiative=init(0).id,
            driver=vendor.id,
            value_loss_share=0.25,
            mitigation="Sign a second processor as a fallback.",
            mitigation_cost=8,
            mitigated_impact=0.4,
            trigger="Fee notice above 0.2 points",
        ),
        RiskIn(
            "Processor API deprecation",
            0.5,
            initiative=init(2).id,
            driver=vendor.id,
            delay_periods=1,
            efforts=effort(init(2), 0.25),
        ),
        RiskIn(
            "Checkout redesign lowers conversion",
            0.3,
            initiative=init(0).id,
            value_loss_share=0.4,
            trigger="Conversion down 2 points for two weeks in the A/B test: roll back and pivot",
            mitigation="Ship behind a flag to 10 % first.",
            mitigation_cost=2,
            mitigated_impact=0.3,
        ),
        RiskIn(
            "AI assistant quality below bar",
            0.45,
            initiative=init(5).id,
            value_loss_share=0.6,
            trigger="Answer acceptance under 60 % after the beta: stop and rethink",
        ),
        RiskIn(
            "Offline sync conflicts harder than thought",
            0.35,
            initiative=init(3).id,
            efforts=effort(init(3), 0.5),
            delay_periods=0.5,
        ),
        RiskIn("Partner API adoption slow", 0.4, initiative=init(7).id, value_loss_share=0.35),
        RiskIn(
            "Regulatory review of data residency",
            0.15,
            delay_periods=1,
            mitigation="Early meeting with the DPO and outside counsel.",
            mitigation_cost=3,
            mitigated_probability=0.05,
        ),
        RiskIn(
            "Loyalty programme cannibalises margin",
            0.3,
            initiative=init(4).id,
            value_loss_amount=25,
        ),
        RiskIn(
            "Competitor launches first",
            0.25,
            objective=objective.id if objective else None,
            product=None,
            value_loss_share=0.15,
        ),
    ]
    if product is not None:
        rows.append(
            RiskIn(
                "Legacy product outage during the quarter",
                0.2,
                product=product.id,
                delay_periods=0.5,
                status="mitigating",
            )
        )
    for k, data in enumerate(rows):
        data.owner = owner[k % len(owner)]
        data.review_on = today + dt.timedelta(days=14 * (k % 5) - 20)
        if k == 3:
            data.trigger_fired_on = today - dt.timedelta(days=4)
        if k == 9:
            data.status = "mitigating"
        do_save_risk(org, None, data)
    _set_targets(org, leader)
    return len(rows)


def _set_targets(org: Organisation, leader: Person) -> None:
    """Targets around what the plan of record delivers to each objective, some a stretch and
    some within reach, so the simulation has odds worth reading."""
    scenario = plan_of_record(org, leader)
    run = scenario.adopted_run if scenario is not None else None
    if run is None or not run.result:
        return
    engine = engine_portfolio(dict(run.document.get("portfolio", {})), "plan of record")
    delivered = objective_values(engine, run.result)
    stretch = (0.9, 1.08, 0.95, 0.85)
    for k, o in enumerate(Objective.objects.filter(organisation=org).order_by("id")):
        value = delivered.get(o.key, 0.0)
        if value:
            ObjectiveTarget.objects.update_or_create(
                objective=o, defaults={"target": round(stretch[k % len(stretch)] * value)}
            )
