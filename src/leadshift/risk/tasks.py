"""Simulations as background tasks, done by `leadshift worker`."""

from __future__ import annotations

from django_tasks import task

from leadshift.risk.models import Simulation
from leadshift.scale.leases import Leased, leased


@task()
def simulate_plan(sim_id: int) -> None:
    from leadshift.risk.services import run_simulation

    with leased(Simulation, sim_id) as mine:
        if mine:
            run_simulation(sim_id)


def enqueue(sim_id: int) -> str:
    return str(simulate_plan.enqueue(sim_id).id)


LEASED = Leased(Simulation, enqueue, "simulation")
