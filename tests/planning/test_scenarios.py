"""Scenarios, runs with their stored results, infeasibility in words, the plan of record."""

from __future__ import annotations

import pytest

from leadshift.core.errors import Invalid, NotAllowed
from leadshift.people.models import Team
from leadshift.planning.models import Scenario
from leadshift.planning.services import (
    do_adopt,
    do_create_scenario,
    do_set_scenario_capacity,
    do_set_scenario_mix,
    do_set_scenario_rule,
    do_start_run,
    execute_run,
    plan_of_record,
    scenario_document,
)
from leadshift.portfolio.models import Initiative, Period

pytestmark = pytest.mark.django_db


def test_a_run_stores_the_plan_the_baselines_and_the_gain(portfolio):
    s = do_create_scenario(portfolio["org"], portfolio["head"], name="Base")
    run = do_start_run(s, portfolio["head"], time_limit=10)
    assert run.status == "done"
    result = run.result
    assert result["status"] == "optimal"
    assert "migrate-db" in {x["id"] for x in result["selected"]}
    assert set(run.baselines) == {"rice", "wsjf", "value-per-effort"}
    assert all(result["objective"] >= b["objective"] - 1e-6 for b in run.baselines.values())
    assert result["marginal_value"]["platform"].keys() == {"Q1", "Q2", "Q3", "Q4"}
    assert run.progress, "progress samples are stored"


def test_scenario_overrides_change_the_document_and_say_so(portfolio):
    org, head = portfolio["org"], portfolio["head"]
    s = do_create_scenario(org, head, name="More mobile")
    mobile = Team.objects.get(organisation=org, name="mobile")
    q3 = Period.objects.get(organisation=org, name="Q3")
    do_set_scenario_capacity(s, head, team=mobile, period=q3, person_weeks=40)
    do_set_scenario_rule(
        s,
        head,
        initiative=Initiative.objects.get(organisation=org, key="migrate-db"),
        rule="excluded",
    )
    do_set_scenario_mix(
        s,
        head,
        override=True,
        target={"core": 50, "adjacent": 30, "transformational": 20},
        tolerance=20,
    )
    data, notes = scenario_document(s)
    ids = {i["id"] for i in data["initiatives"]}
    assert "migrate-db" not in ids
    # What waited for it is out too.
    assert "fraud-scoring" not in ids and "partner-api" not in ids
    mob = next(t for t in data["teams"] if t["id"] == "mobile")
    assert mob["capacity"]["Q3"] == 40 and mob["capacity"]["Q1"] == 16
    assert data["horizon_mix"]["target"]["core"] == 0.5
    assert any("mobile has 40 person-weeks in Q3 (usually 16)" in n for n in notes)


def test_conflicting_rules_are_explained_in_words_not_just_infeasible(portfolio):
    org, head = portfolio["org"], portfolio["head"]
    s = do_create_scenario(org, head, name="Everything now")
    payments = Team.objects.get(organisation=org, name="payments")
    for p in Period.objects.filter(organisation=org):
        do_set_scenario_capacity(s, head, team=payments, period=p, person_weeks=12)
    for key in ("checkout-v2", "loyalty", "self-serve-onboarding", "fraud-scoring"):
        do_set_scenario_rule(
            s, head, initiative=Initiative.objects.get(organisation=org, key=key), rule="mandatory"
        )
    run = do_start_run(s, head, time_limit=10)
    assert run.result["status"] == "infeasible"
    text = " ".join(run.result["conflicts"])
    assert "payments" in text and "mandatory" in text
    with pytest.raises(Invalid, match="no plan that keeps every rule"):
        do_adopt(s, head)


def test_a_mandatory_item_that_cannot_fit_alone_is_named(portfolio):
    org, head = portfolio["org"], portfolio["head"]
    s = do_create_scenario(org, head, name="Tiny platform")
    platform = Team.objects.get(organisation=org, name="platform")
    for p in Period.objects.filter(organisation=org):
        do_set_scenario_capacity(s, head, team=platform, period=p, person_weeks=5)
    run = do_start_run(s, head, time_limit=5)
    assert run.result["status"] == "infeasible"
    assert "mandatory 'migrate-db' cannot fit" in run.result["conflicts"][0]


def test_adopting_makes_one_plan_of_record_that_everyone_in_the_org_reads(portfolio):
    org, head = portfolio["org"], portfolio["head"]
    a = do_create_scenario(org, head, name="A")
    b = do_create_scenario(org, head, name="B", copy_from=a)
    with pytest.raises(Invalid, match="run the optimiser"):
        do_adopt(a, head)
    do_start_run(a, head, time_limit=5)
    do_start_run(b, head, time_limit=5)
    do_adopt(a, head)
    do_adopt(b, head)
    assert list(Scenario.objects.filter(organisation=org, is_plan_of_record=True)) == [b]
    assert plan_of_record(org, portfolio["pm"]) == b


def test_only_leaders_change_scenarios_and_nobody_crosses_organisations(portfolio, make_org):
    org, head = portfolio["org"], portfolio["head"]
    with pytest.raises(NotAllowed):
        do_create_scenario(org, portfolio["pm"], name="Mine")
    s = do_create_scenario(org, head, name="Ours")
    outsider = make_org("Globex")
    with pytest.raises(NotAllowed):
        do_start_run(s, outsider, time_limit=5)
    with pytest.raises(NotAllowed):
        plan_of_record(org, outsider)


def test_bad_run_settings_are_refused(portfolio):
    s = do_create_scenario(portfolio["org"], portfolio["head"], name="X")
    with pytest.raises(Invalid, match="time limit"):
        do_start_run(s, portfolio["head"], time_limit=0)
    with pytest.raises(Invalid, match="gap"):
        do_start_run(s, portfolio["head"], time_limit=5, gap=2)


def test_a_stored_run_can_be_executed_again_from_its_document(portfolio):
    s = do_create_scenario(portfolio["org"], portfolio["head"], name="Again")
    run = do_start_run(s, portfolio["head"], time_limit=5)
    first = run.result["objective"]
    execute_run(run.id)
    run.refresh_from_db()
    assert run.result["objective"] == pytest.approx(first)
