"""A sweep is a task: queued with the sweep, done by a worker that starts later (a web
restart loses nothing), on the worker's local processes; a sweep whose scenario was deleted
while it waited ends as failed, saying so."""

from __future__ import annotations

import pytest
from django_tasks_db.models import DBTaskResult

from leadshift.planning.models import Sweep
from leadshift.planning.services import do_create_scenario, do_start_sweep
from leadshift.scale.worker import worker_in_thread
from tests.scale.test_worker import finished, wait_for

pytestmark = pytest.mark.django_db(transaction=True)

SWEEP = """time_limit: 3
variants:
  - {name: No AI, excluded: [ai-assistant]}
  - {name: Mobile +50%, capacity: [{team: mobile, percent: 50}]}
"""


def test_a_sweep_queued_while_no_worker_runs_is_done_on_local_processes_when_one_starts(
    portfolio, settings
):
    settings.LEADSHIFT_SWEEP_PROCESSES = 2
    s = do_create_scenario(portfolio["org"], portfolio["head"], name="Base")
    sweep = do_start_sweep(s, portfolio["head"], SWEEP, background=True)
    assert Sweep.objects.get(pk=sweep.pk).status == "queued"
    assert DBTaskResult.objects.get(id=sweep.task_id).status == "READY"
    with worker_in_thread():
        done = wait_for(lambda: finished(Sweep, sweep.pk), timeout=120)
    assert done.status == "done", done.error
    assert done.done == done.total == 3 and done.attempts == 1
    assert done.where == "2 processes on this machine"
    assert [r["name"] for r in done.result] == ["Base", "No AI", "Mobile +50%"]


def test_a_sweep_whose_scenario_was_deleted_while_it_waited_fails_saying_so(portfolio):
    s = do_create_scenario(portfolio["org"], portfolio["head"], name="Short-lived")
    sweep = do_start_sweep(s, portfolio["head"], SWEEP, background=True)
    s.delete()
    with worker_in_thread():
        done = wait_for(lambda: finished(Sweep, sweep.pk))
    assert done.status == "failed" and done.result is None
    assert done.error == "the scenario “Short-lived” it sweeps was deleted while it waited"
