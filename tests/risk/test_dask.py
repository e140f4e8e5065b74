"""A simulation's trials fan out over a Dask cluster when LEADSHIFT_DASK_SCHEDULER names one,
with the same seeded result as on local processes or the worker's own threads; a scheduler that cannot be
reached ends the simulation with a message, or falls back where asked."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from distributed import LocalCluster

from leadshift.risk.models import Simulation
from leadshift.risk.services import RiskIn, do_save_risk, do_start_simulation
from tests.portfolio.helpers import load_example

pytestmark = pytest.mark.django_db

UNREACHABLE = "tcp://127.0.0.1:9"  # the discard port: nothing listens there


@pytest.fixture(scope="module")
def cluster() -> Iterator[LocalCluster]:
    """A scheduler and two workers in this process."""
    with LocalCluster(
        n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None
    ) as c:
        yield c


@pytest.fixture
def org(team: dict[str, Any]) -> Any:
    load_example(team["org"], team["head"])
    do_save_risk(team["org"], team["head"], RiskIn("Slip", 0.4, delay_periods=1))
    return team["org"]


def simulate(org: Any, head: Any, **kw: Any) -> Simulation:
    sim = do_start_simulation(org, head, trials=20_000, seed=11, background=False, **kw)
    sim.refresh_from_db()
    return sim


def test_a_simulation_on_a_dask_cluster_gives_the_same_result_as_on_one_machine(
    org, team, cluster, settings
):
    here = simulate(org, team["head"])
    settings.LEADSHIFT_DASK_SCHEDULER = cluster.scheduler_address
    there = simulate(org, team["head"])
    assert here.status == there.status == "done", there.error
    assert there.result == here.result
    assert there.result["trials"] == 20_000


def test_the_risk_adjusted_plan_and_a_mitigation_are_the_same_on_the_cluster(
    org, team, cluster, settings
):
    risk = do_save_risk(
        org,
        team["head"],
        RiskIn("Lead leaves", 0.6, delay_periods=1, mitigated_probability=0.1),
    )
    kw = {"mitigation_of": risk, "risk_adjusted": True}
    here = simulate(org, team["head"], **kw)
    settings.LEADSHIFT_DASK_SCHEDULER = cluster.scheduler_address
    there = simulate(org, team["head"], **kw)
    assert there.status == "done", there.error
    assert there.result["mitigation"] == here.result["mitigation"]
    assert there.result["risk_adjusted"] == here.result["risk_adjusted"]


def test_local_processes_give_the_same_result_as_the_workers_own_threads(org, team, settings):
    settings.LEADSHIFT_SIMULATION_PROCESSES = 0
    threads = simulate(org, team["head"])
    settings.LEADSHIFT_SIMULATION_PROCESSES = 2
    processes = simulate(org, team["head"])
    assert threads.status == processes.status == "done", processes.error
    assert processes.result == threads.result


def test_an_unreachable_scheduler_fails_the_simulation_saying_so(org, team, settings):
    settings.LEADSHIFT_DASK_SCHEDULER = UNREACHABLE
    settings.LEADSHIFT_DASK_TIMEOUT = 2
    sim = simulate(org, team["head"])
    assert sim.status == "failed" and sim.result is None
    assert f"the Dask scheduler at {UNREACHABLE} cannot be reached" in sim.error


def test_an_unreachable_scheduler_falls_back_to_this_machine_when_asked(org, team, settings):
    settings.LEADSHIFT_SIMULATION_PROCESSES = 2
    here = simulate(org, team["head"])
    settings.LEADSHIFT_DASK_SCHEDULER = UNREACHABLE
    settings.LEADSHIFT_DASK_TIMEOUT = 2
    settings.LEADSHIFT_DASK_FALLBACK = True
    sim = simulate(org, team["head"])
    assert sim.status == "done", sim.error
    assert sim.result == here.result
