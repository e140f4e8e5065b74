"""A leader sweeps variants of a scenario from its page: the sweep runs (inline here, by the
worker in tests/planning/test_sweep_worker.py), its page shows the table and chart, a variant
becomes a scenario, and bad input ends in a message with nothing written."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from benchmarks.bench_sweep import portfolio as hard_portfolio
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from leadshift.core.errors import NotAllowed, NotFound
from leadshift.planning.models import Scenario, ScenarioInitiative, Sweep
from leadshift.planning.services import (
    do_create_scenario,
    do_scenario_from_variant,
    do_start_sweep,
    scenario_document,
)
from leadshift.portfolio.services import do_import

pytestmark = pytest.mark.django_db

EXAMPLE = Path(__file__).resolve().parents[2] / "docs" / "examples" / "sweep.yaml"
UNREACHABLE = "tcp://127.0.0.1:9"  # the discard port: nothing listens there
TWO = """time_limit: 3
variants:
  - name: Platform -6 in Q2
    capacity: [{team: platform, period: Q2, delta: -6}]
  - name: Loyalty, no AI, no precedence
    mandatory: [loyalty]
    excluded: [ai-assistant]
    precedence: false
    weights: {retention: 3}
"""


@pytest.fixture(autouse=True)
def _here(settings: Any) -> None:
    settings.LEADSHIFT_SWEEP_PROCESSES = 0  # the variants in this process: the test's database


@pytest.fixture
def base(portfolio: dict[str, Any]) -> Scenario:
    return do_create_scenario(portfolio["org"], portfolio["head"], name="Base plan")


def signed_in(client: Any, person: Any) -> Any:
    client.force_login(person.user)
    return client


def test_a_leader_sweeps_a_scenario_from_its_page_and_reads_the_table(client, base, portfolio):
    c = signed_in(client, portfolio["head"])
    page = c.get(reverse("planning_scenario", args=[base.id]))
    assert b"Run the sweep" in page.content
    r = c.post(reverse("planning_scenario_sweep", args=[base.id]), {"sweep": TWO})
    sweep = Sweep.objects.get()
    assert r.status_code == 302 and r.url == reverse("planning_sweep", args=[sweep.id])
    assert sweep.status == "done" and sweep.done == sweep.total == 3
    page = c.get(r.url).content.decode()
    assert "Each variant beside the base" in page and "<svg" in page
    assert "Platform -6 in Q2" in page and "Loyalty, no AI, no precedence" in page
    assert "&#x27;ai-assistant&#x27; left out" in page and "precedence ignored" in page
    assert "Make a scenario" in page
    status = c.get(reverse("planning_sweep_status", args=[sweep.id])).json()
    assert status["status"] == "done" and status["progress"] == "3 of 3 variants done"


def test_the_sweep_file_can_be_uploaded_and_simulates_each_variant(client, base, portfolio):
    c = signed_in(client, portfolio["head"])
    with EXAMPLE.open("rb") as f:
        r = c.post(reverse("planning_scenario_sweep", args=[base.id]), {"file": f})
    sweep = Sweep.objects.get()
    assert r.status_code == 302, r.content.decode()[:500]
    assert sweep.status == "done", sweep.error
    rows = sweep.result
    assert len(rows) == sweep.total == 7
    assert all(row["delivered_p50"] is not None for row in rows if row["status"] != "infeasible")
    assert "Delivered P50" in c.get(r.url).content.decode()


def test_a_bad_sweep_file_answers_with_placed_errors_and_writes_nothing(client, base, portfolio):
    c = signed_in(client, portfolio["head"])
    bad = "variants:\n  - name: X\n    capacity: [{team: nobody, delta: 1}]\n"
    r = c.post(reverse("planning_scenario_sweep", args=[base.id]), {"sweep": bad})
    assert r.status_code == 400
    assert "sweep:3: variants[0].capacity[0].team: unknown team &#x27;nobody&#x27;" in (
        r.content.decode()
    )
    assert not Sweep.objects.exists()


def test_a_variant_becomes_a_scenario_that_plans_the_same(client, base, portfolio):
    sweep = do_start_sweep(base, portfolio["head"], TWO)
    c = signed_in(client, portfolio["head"])
    r = c.post(reverse("planning_sweep_scenario", args=[sweep.id, 2]))
    made = Scenario.objects.get(name="Base plan: Loyalty, no AI, no precedence")
    assert r.status_code == 302 and r.url == reverse("planning_scenario", args=[made.id])
    assert made.ignore_precedence and made.objective_weights == {"retention": 3.0}
    rules = {(x.initiative.key, x.rule) for x in ScenarioInitiative.objects.filter(scenario=made)}
    assert rules == {("loyalty", "mandatory"), ("ai-assistant", "excluded")}
    # Swept again, the new scenario's plan is the variant's.
    again = do_start_sweep(made, portfolio["head"], "variants: [{name: same, precedence: false}]")
    assert again.result[0]["value"] == sweep.result[2]["value"]
    assert again.result[0]["starts"] == sweep.result[2]["starts"]

    made_cap = do_scenario_from_variant(sweep, 1, portfolio["head"])
    caps = {(c.team.name, c.period.name): c.person_weeks for c in made_cap.capacities.all()}
    assert caps == {("platform", "Q2"): 14.0}
    data, notes = scenario_document(made)
    assert "precedence is ignored" in notes and all("after" not in i for i in data["initiatives"])


def test_the_base_variant_and_unknown_variants_cannot_become_scenarios(client, base, portfolio):
    sweep = do_start_sweep(base, portfolio["head"], TWO)
    c = signed_in(client, portfolio["head"])
    assert c.post(reverse("planning_sweep_scenario", args=[sweep.id, 0])).status_code == 404
    assert c.post(reverse("planning_sweep_scenario", args=[sweep.id, 9])).status_code == 404


def test_a_sweep_is_not_shown_outside_its_organisation_nor_to_a_pm(
    client, base, portfolio, make_org
):
    sweep = do_start_sweep(base, portfolio["head"], TWO)
    c = signed_in(client, make_org("Other"))  # the other organisation's admin, a leader there
    assert c.get(reverse("planning_sweep", args=[sweep.id])).status_code == 404
    assert c.get(reverse("planning_sweep_status", args=[sweep.id])).status_code == 404
    assert c.post(reverse("planning_sweep_scenario", args=[sweep.id, 1])).status_code == 404
    c = signed_in(client, portfolio["pm"])
    assert c.get(reverse("planning_sweep", args=[sweep.id])).status_code == 404
    with pytest.raises(NotAllowed):
        do_start_sweep(base, portfolio["pm"], TWO)


def test_the_sweep_page_makes_the_same_queries_for_two_variants_as_for_twenty(
    client, base, portfolio
):
    many = "time_limit: 2\ngrid: {percent: [-30, -20, -10, 10, 20, 30]}\n"
    small = do_start_sweep(base, portfolio["head"], TWO)
    large = do_start_sweep(base, portfolio["head"], many)
    assert large.total == 19
    c = signed_in(client, portfolio["head"])
    counts = []
    for sweep in (small, large):
        with CaptureQueriesContext(connection) as q:
            assert c.get(reverse("planning_sweep", args=[sweep.id])).status_code == 200
        counts.append(len(q))
    assert counts[0] == counts[1]


def test_an_unreachable_scheduler_fails_the_sweep_saying_so(base, portfolio, settings):
    settings.LEADSHIFT_DASK_SCHEDULER = UNREACHABLE
    settings.LEADSHIFT_DASK_TIMEOUT = 2
    sweep = do_start_sweep(base, portfolio["head"], TWO)
    assert sweep.status == "failed" and sweep.result is None
    assert f"the Dask scheduler at {UNREACHABLE} cannot be reached" in sweep.error


def test_an_unreachable_scheduler_falls_back_to_this_machine_when_asked(base, portfolio, settings):
    here = do_start_sweep(base, portfolio["head"], TWO)
    settings.LEADSHIFT_DASK_SCHEDULER = UNREACHABLE
    settings.LEADSHIFT_DASK_TIMEOUT = 2
    settings.LEADSHIFT_DASK_FALLBACK = True
    there = do_start_sweep(base, portfolio["head"], TWO)
    assert there.status == "done", there.error
    assert there.result == here.result
    assert "did not answer" in there.where


def test_a_failed_sweep_page_shows_the_reason(client, base, portfolio, settings):
    settings.LEADSHIFT_DASK_SCHEDULER = UNREACHABLE
    settings.LEADSHIFT_DASK_TIMEOUT = 2
    sweep = do_start_sweep(base, portfolio["head"], TWO)
    page = signed_in(client, portfolio["head"]).get(reverse("planning_sweep", args=[sweep.id]))
    assert "The sweep failed: the Dask scheduler at" in page.content.decode()


def test_a_sweep_of_a_scenario_of_another_organisation_is_refused(base, make_org):
    with pytest.raises((NotAllowed, NotFound)):
        do_start_sweep(base, make_org("Other"), TWO)
    assert not Sweep.objects.exists()


def test_a_variant_stopped_by_the_node_limit_says_so_on_the_page(client, team, settings):
    settings.LEADSHIFT_SWEEP_PROCESSES = 0
    head = team["head"]
    do_import(team["org"], head, json.dumps(hard_portfolio(25, 3, seed=5)), "hard.json")
    scenario = do_create_scenario(team["org"], head, name="Hard")
    sweep = do_start_sweep(
        scenario, head, "time_limit: 120\nnode_limit: 2\ngrid: {teams: [team-00], percent: [10]}"
    )
    assert sweep.status == "done", sweep.error
    assert sweep.spec["node_limit"] == 2
    page = signed_in(client, head).get(reverse("planning_sweep", args=[sweep.id])).content
    assert b"(stopped at the node limit)" in page
