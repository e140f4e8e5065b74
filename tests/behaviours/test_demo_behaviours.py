"""The demo organisation's checklists, Sam's evidence and Sam's plan, loaded once."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from leadshift.assessments.services import latest_two_complete
from leadshift.behaviours.models import Tick
from leadshift.behaviours.profile import CONTRADICTED, EVIDENCED, behaviour_profile

# Sam's current plan in the demo (seed 7): goals by capability, each with its actions'
# framework ids in order ("" for the action agreed in a 1:1). A change here is a change in
# how plans are made: check it is meant, then update.
SAMS_PLAN = [
    (
        "visionary_thinking",
        ["write_a_future_press_release", "map_your_market", "draft_product_principles", ""],
    ),
    (
        "leadership_team_development",
        ["run_a_pre_mortem", "collect_360_feedback", "mentor_a_product_manager"],
    ),
    (
        "decision_making_risk",
        ["set_pivot_triggers", "write_a_stop_list", "propose_a_reallocation"],
    ),
]


@pytest.mark.django_db
def test_the_demo_has_ticked_checklists_evidence_a_contradiction_and_sams_pinned_plan(client):
    from tests.demo_snapshot import loaded_demo

    result = loaded_demo(seed=7)
    sam, maya = result.pm, result.leader

    # Everyone assessed (all but the head of product) ticked checklists, whose rule gives the
    # level recorded.
    ticked = set(Tick.objects.values_list("assessment__person", flat=True))
    assessed = set(
        sam.organisation.people.filter(assessments__isnull=False).values_list("id", flat=True)
    )
    assert ticked == assessed and len(ticked) == result.people - 1
    latest, _ = latest_two_complete(sam)
    levels = latest.answers().capability_levels
    rows = behaviour_profile(latest, timezone.localdate())
    assert {c.id: c.result.level for c in rows} == levels

    # Some of Sam's behaviours are evidenced by records, one is contradicted.
    marks = [(r.key, r.status) for c in rows for r in c.rows]
    assert ("decision_making_risk.3.1", EVIDENCED) in marks
    assert [k for k, s in marks if s == CONTRADICTED] == ["decision_making_risk.3.2"]

    # Sam's plan, goals and actions in order.
    plan = sam.plans.first()
    assert [
        (g.capability, [a.source_action for a in g.actions.all()]) for g in plan.goals.all()
    ] == SAMS_PLAN

    # The framework page shows which capability raters disagree on most.
    client.force_login(maya.user)
    page = client.get(reverse("framework")).content.decode()
    assert 'id="agreement-table"' in page
    assert "Raters disagree most on the first" in page

    # The readiness report carries the same marks, with links to the records; the portfolio
    # report the key results against their trajectory (the demo's churn is behind).
    client.force_login(sam.user)
    report = client.get(reverse("report", args=["readiness", sam.id])).content.decode()
    assert "Behaviours and their evidence" in report and "<strong>Contradicted</strong>" in report
    data = client.get(reverse("report", args=["readiness", sam.id]), {"format": "json"}).json()
    statuses = {b["key"]: b["status"] for c in data["behaviours"] for b in c["behaviours"]}
    assert statuses["decision_making_risk.3.2"] == CONTRADICTED
    client.force_login(maya.user)
    data = client.get(reverse("report", args=["portfolio", maya.id]), {"format": "json"}).json()
    off = [
        k["key"] for o in data["health"]["objectives"] for k in o["key_results"] if k["off_track"]
    ]
    assert (
        off
        and "off its trajectory"
        in client.get(reverse("report", args=["portfolio", maya.id])).content.decode()
    )
