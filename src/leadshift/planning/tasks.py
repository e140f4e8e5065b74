"""The optimiser as a background task, done by `leadshift worker`."""

from __future__ import annotations

from django_tasks import task

from leadshift.planning.models import Run
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
