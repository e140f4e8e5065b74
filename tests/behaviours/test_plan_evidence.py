"""Plans ranked by the checklist's missing behaviours and the others' gaps; actions that tick
themselves when their evidence appears."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest
from django.urls import reverse
from django.utils import timezone

from leadshift.assessments.services import do_submit_assessment
from leadshift.decisions.services import DecisionIn, do_create_decision
from leadshift.frameworks.schema import default_framework
from leadshift.growth.planning import _rank_actions, missing_evidence
from leadshift.growth.services import do_generate_plan, do_tick_evidenced_actions
from tests.conftest import full_answers

FW = default_framework()
DMR = "decision_making_risk"


def _ranked(**kwargs) -> list[str]:
    return [a.id for _, a in _rank_actions(FW, DMR, {DMR}, set(), **kwargs)]


def test_an_action_that_leaves_the_evidence_of_a_missing_behaviour_ranks_first() -> None:
    ticked = FW.capability(DMR).behaviour_keys(1)
    missing = missing_evidence(FW, DMR, 2, ticked)
    assert missing == {"decision_records"}
    assert _ranked()[0] != "keep_a_decision_log"
    assert _ranked(missing=missing)[0] == "keep_a_decision_log"


def test_the_manager_and_360_gaps_reorder_actions_toward_the_capabilities_seen_short() -> None:
    plain = _ranked()
    seen_short = _ranked(others_gaps={"strategic_planning": 2.0})
    assert plain[0] == "run_a_pre_mortem"
    assert seen_short[0] == "set_pivot_triggers"


def test_between_equals_the_least_effort_comes_first() -> None:
    ranked = _ranked(missing=set())
    efforts = {a.id: a.effort_days for t in FW.tracks for a in t.actions}
    assert efforts[ranked[0]] <= efforts["propose_a_reallocation"]


@pytest.fixture
def plan_with_a_decision_log(team):
    pm = team["pm"]
    # Everything at the group PM's level but decision-making, where only level 1 is ticked.
    answers = full_answers(FW, level=3)
    answers = replace(answers, behaviours={DMR: frozenset(FW.capability(DMR).behaviour_keys(1))})
    a = do_submit_assessment(pm, pm, "group_pm", answers)
    plan = do_generate_plan(a, pm, starts_on=timezone.localdate() - dt.timedelta(days=20))
    return plan


@pytest.mark.django_db
def test_keep_a_decision_log_ticks_itself_once_a_decision_is_recorded_in_the_period(
    client, plan_with_a_decision_log
) -> None:
    plan = plan_with_a_decision_log
    pm = plan.person
    action = next(a for a in plan.all_actions() if a.source_action == "keep_a_decision_log")
    assert do_tick_evidenced_actions(plan) == []
    # A decision from before the plan began does not count.
    do_create_decision(
        pm,
        DecisionIn(
            question="Old call?",
            decided_on=plan.starts_on - dt.timedelta(days=5),
            review_on=plan.starts_on + dt.timedelta(days=60),
        ),
    )
    assert do_tick_evidenced_actions(plan) == []
    d = do_create_decision(
        pm,
        DecisionIn(
            question="Split the onboarding squad?",
            decided_on=plan.starts_on + dt.timedelta(days=3),
            review_on=plan.starts_on + dt.timedelta(days=60),
        ),
    )
    client.force_login(pm.user)
    page = client.get(reverse("plan_detail", args=[plan.id])).content.decode()
    action.refresh_from_db()
    assert action.done_on == d.decided_on
    assert action.done_by_evidence == [
        {"label": str(d), "url": reverse("decision_detail", args=[d.pk])}
    ]
    assert "Ticked itself from:" in page
    assert f'href="{reverse("decision_detail", args=[d.pk])}"' in page


@pytest.mark.django_db
def test_unticking_by_hand_forgets_the_evidence(plan_with_a_decision_log) -> None:
    from leadshift.growth.services import do_set_action_done

    plan = plan_with_a_decision_log
    do_create_decision(
        plan.person,
        DecisionIn(
            question="Drop the beta flag?",
            decided_on=plan.starts_on + dt.timedelta(days=1),
            review_on=plan.starts_on + dt.timedelta(days=40),
        ),
    )
    (action,) = do_tick_evidenced_actions(plan)
    do_set_action_done(action, plan.person, False)
    action.refresh_from_db()
    assert action.done_on is None and action.done_by_evidence == []
