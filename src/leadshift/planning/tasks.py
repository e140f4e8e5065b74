"""The optimiser as a background task, done by `leadshift worker`."""

from __future__ import annotations

from django_tasks import task

from leadshift.planning.models import Run, Sweep
from leadshift.scale.leases import Leased, leased


@task()
def solve_run(run_id: int) -> None:
    from leadshift.planning.services import execute_run

    with leased(Run, run_id) as mine:
        if mine:
            execute_run(run_id)


def enqueue(run_id: int) -> str:
    return str(solve_run.enqueue(run_id).id)


LEASED = Leased(Run, enqueue, "optimiser run")


@task()
def sweep_task(sweep_id: int) -> None:
    from leadshift.planning.services import execute_sweep

    with leased(Sweep, sweep_id) as mine:
        if mine:
            execute_sweep(sweep_id)


def enqueue_sweep(sweep_id: int) -> str:
    return str(sweep_task.enqueue(sweep_id).id)


SWEEPS = Leased(Sweep, enqueue_sweep, "sweep")
