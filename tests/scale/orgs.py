"""Organisations of a chosen size, built through the services, for the query-count tests:
each grower adds `n` of one thing a page lists."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from leadshift.assessments.services import do_submit_assessment
from leadshift.decisions.services import DecisionIn, OptionIn, do_create_decision
from leadshift.feedback import services as feedback
from leadshift.frameworks.services import framework_for
from leadshift.growth.services import do_generate_plan, do_record_checkin
from leadshift.people.models import Person, Team
from leadshift.people.services import do_add_person
from leadshift.portfolio.services import do_import
from leadshift.risk.services import RiskIn, do_save_risk
from leadshift.stakeholders.services import do_add_stakeholder, do_log_interaction
from tests.conftest import full_answers


def people(org: Any, head: Any, n: int, start: int = 0, *, with_360: bool = False) -> list[Any]:
    """n product managers in teams of two under a group PM each, every one with an
    assessment and a plan with a check-in, and (with_360) released 360 feedback."""
    fw = framework_for(org).data
    made = []
    now = timezone.now()
    for i in range(start, start + n):
        if i % 2 == 0:
            team = Team.objects.create(organisation=org, name=f"Team {i // 2}")
            group = do_add_person(
                org, name=f"Group {i // 2}", email=f"g{i // 2}@{org.slug}.example", manager=head
            )
        else:
            team = Team.objects.get(organisation=org, name=f"Team {i // 2}")
            group = Person.objects.get(organisation=org, email=f"g{i // 2}@{org.slug}.example")
        pm = do_add_person(
            org,
            name=f"PM {i:04}",
            email=f"pm{i}@{org.slug}.example",
            manager=group,
            team=team,
            target_role="senior_pm",
        )
        made.append(pm)
        a = do_submit_assessment(pm, pm, "senior_pm", full_answers(fw, level=1 + i % 3))
        plan = do_generate_plan(a, pm)
        do_record_checkin(plan, pm, date=plan.starts_on, confidence=3, note="on track")
        if not with_360:
            continue
        raters = [
            feedback.RaterIn(f"Rater {k}", f"r{k}-{i}@{org.slug}.example", "peer") for k in range(3)
        ]
        cycle = feedback.do_open_cycle(
            pm, head, closes_on=now + dt.timedelta(days=7), raters=raters, notify=False
        )
        for rater in cycle.raters.all():
            answers = {c.id: feedback.AnswerIn(2, "") for c in fw.capabilities}
            feedback.do_save_answers(rater, answers, submit=True)
        feedback.do_close_and_release(cycle, head)
    return made


def initiatives(org: Any, head: Any, n: int) -> None:
    """n initiatives over four quarters and a few teams, imported as a portfolio file."""
    teams = max(1, n // 10)
    lines = ["periods: [Q1, Q2, Q3, Q4]", "teams:"]
    lines += [f"  - {{id: squad-{t}, capacity: 30}}" for t in range(teams)]
    lines += ["objectives:", "  - {id: revenue, weight: 2}", "initiatives:"]
    lines += [
        f"  - {{id: item-{i}, value: {10 + i % 50}, effort: {{squad-{i % teams}: {2 + i % 5}}}, "
        f"horizon: core, objectives: [revenue]}}"
        for i in range(n)
    ]
    do_import(org, head, "\n".join(lines) + "\n", "portfolio.yaml")


def risks(org: Any, head: Any, n: int) -> None:
    from leadshift.portfolio.models import Initiative

    items = list(Initiative.objects.filter(organisation=org).values_list("id", flat=True))
    for i in range(n):
        do_save_risk(
            org,
            head,
            RiskIn(
                f"Risk {i}",
                0.1 + (i % 8) / 10,
                initiative=items[i % len(items)] if items else None,
                delay_periods=1,
                owner=head.id,
                mitigation="watch it",
            ),
        )


def decisions(owner: Any, n: int) -> None:
    for i in range(n):
        do_create_decision(
            owner,
            DecisionIn(
                question=f"Decision {i}?",
                kind="product_bet",
                criteria=[("Cost", 1.0)],
                options=[OptionIn("Yes", "", [7]), OptionIn("No", "", [3])],
                chosen=0,
                decided_on=dt.date(2026, 1, 5),
                forecast=0.6,
                review_on=dt.date(2026, 2, 1) if i % 2 else dt.date(2099, 1, 1),
            ),
        )


def stakeholders(owner: Any, n: int) -> None:
    for i in range(n):
        s = do_add_stakeholder(
            owner,
            owner,
            {
                "name": f"Stakeholder {i}",
                "internal": False,
                "company": "Client",
                "influence": 1 + i % 5,
            },
        )
        do_log_interaction(
            s, owner, date=dt.date.today() - dt.timedelta(days=i), kind="meeting", note="", tone=1
        )
