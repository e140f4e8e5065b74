"""Background work is queued in the database and done by a real worker: in a thread of the
test, or `leadshift worker` as a subprocess, killed mid-run and replaced."""

from __future__ import annotations

import datetime as dt
import shutil
import signal
import subprocess
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from leadshift.planning.models import Run
from leadshift.planning.services import do_create_scenario, do_start_run
from leadshift.risk.models import Simulation
from leadshift.risk.services import do_start_simulation
from leadshift.scale.leases import reap
from leadshift.scale.worker import worker_in_thread
from tests.portfolio.helpers import load_example
from tests.scale.background import finished, wait_for
from tests.user_shell import user_env as shell_env

pytestmark = pytest.mark.django_db(transaction=True)

LEADSHIFT = shutil.which("leadshift", path=str(Path(__file__).resolve().parents[2] / ".venv/bin"))


@pytest.fixture
def portfolio(team: dict[str, Any]) -> dict[str, Any]:
    load_example(team["org"], team["head"])
    return team


def test_a_run_queued_while_no_worker_runs_is_done_when_one_starts(portfolio):
    s = do_create_scenario(portfolio["org"], portfolio["head"], name="Base")
    run = do_start_run(s, portfolio["head"], time_limit=5, background=True)
    sim = do_start_simulation(portfolio["org"], portfolio["head"], trials=500, background=True)
    assert Run.objects.get(pk=run.pk).status == "queued"
    assert Simulation.objects.get(pk=sim.pk).status == "queued"
    assert DBTaskResult.objects.filter(status="READY").count() == 2

    with worker_in_thread():
        done_run = wait_for(lambda: finished(Run, run.pk))
        done_sim = wait_for(lambda: finished(Simulation, sim.pk))

    assert done_run.status == "done", done_run.error
    assert done_run.result["status"] == "optimal" and done_run.attempts == 1
    assert done_sim.status == "done", done_sim.error
    assert done_sim.result["trials"] == 500 and done_sim.started_at is not None
    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {"SUCCESSFUL"}


def test_a_simulation_whose_scenario_was_deleted_while_it_waited_fails_saying_so(portfolio):
    org, head = portfolio["org"], portfolio["head"]
    s = do_create_scenario(org, head, name="Short-lived")
    sim = do_start_simulation(org, head, scenario=s, trials=200, background=True)
    s.delete()
    with worker_in_thread():
        done = wait_for(lambda: finished(Simulation, sim.pk))
    assert done.status == "failed"
    assert "deleted while it waited" in done.error


def test_a_run_deleted_while_it_waited_is_skipped_and_its_task_ends_quietly(portfolio):
    s = do_create_scenario(portfolio["org"], portfolio["head"], name="Gone")
    run = do_start_run(s, portfolio["head"], time_limit=5, background=True)
    task_id = run.task_id
    s.delete()  # takes its runs with it
    with worker_in_thread():
        wait_for(lambda: DBTaskResult.objects.get(id=task_id).status == "SUCCESSFUL")
    assert not Run.objects.exists()


def lost(model: Any, pk: int, attempts: int) -> None:
    """What a worker killed mid-run leaves: running, with a heartbeat long stopped."""
    model.objects.filter(pk=pk).update(
        status="running",
        attempts=attempts,
        heartbeat_at=timezone.now() - dt.timedelta(minutes=5),
    )


def test_a_run_whose_worker_stopped_is_queued_again_then_failed_with_the_reason(
    portfolio, settings
):
    settings.LEADSHIFT_TASK_ATTEMPTS = 2
    s = do_create_scenario(portfolio["org"], portfolio["head"], name="Base")
    run = do_start_run(s, portfolio["head"], time_limit=5, background=True)
    first_task = run.task_id
    DBTaskResult.objects.filter(id=first_task).update(status="RUNNING")
    lost(Run, run.pk, attempts=1)

    assert reap() == {"requeued": 1, "failed": 0, "skipped": 0}
    again = Run.objects.get(pk=run.pk)
    assert again.status == "queued" and again.task_id != first_task
    assert DBTaskResult.objects.get(id=first_task).status == "FAILED"
    assert DBTaskResult.objects.get(id=again.task_id).status == "READY"

    lost(Run, run.pk, attempts=2)
    assert reap() == {"requeued": 0, "failed": 1, "skipped": 0}
    failed = Run.objects.get(pk=run.pk)
    assert failed.status == "failed" and failed.result is None
    assert "stopped (no heartbeat since" in failed.error and "tried 2 times" in failed.error


def test_a_run_with_a_fresh_heartbeat_is_left_alone(portfolio):
    s = do_create_scenario(portfolio["org"], portfolio["head"], name="Base")
    run = do_start_run(s, portfolio["head"], time_limit=5, background=True)
    Run.objects.filter(pk=run.pk).update(status="running", attempts=1, heartbeat_at=timezone.now())
    assert reap() == {"requeued": 0, "failed": 0, "skipped": 0}
    assert Run.objects.get(pk=run.pk).status == "running"


def user_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    return shell_env(tmp_path / "data", **extra)


def shared_database_url() -> str:
    """The URL of the database this test writes to, for a worker subprocess to share."""
    s = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{s['NAME']}"
    return f"postgres://{s['USER']}:{s['PASSWORD']}@{s['HOST']}:{s['PORT']}/{s['NAME']}"


def start_worker(tmp_path: Path, name: str, **env: str) -> subprocess.Popen[str]:
    assert LEADSHIFT, "the installed leadshift command"
    return subprocess.Popen(
        [LEADSHIFT, "worker", "--interval", "0.1"],
        env=user_env(tmp_path, DATABASE_URL=shared_database_url(), **env),
        stdout=open(tmp_path / f"{name}.out", "w"),
        stderr=subprocess.STDOUT,
        text=True,
    )


def processes_in(folder: Path) -> list[int]:
    """The processes whose data folder is `folder`: the workers and every process they started."""
    found = []
    for environ in Path("/proc").glob("[0-9]*/environ"):
        try:
            if f"LEADSHIFT_DATA_DIR={folder}\0".encode() in environ.read_bytes():
                found.append(int(environ.parent.name))
        except OSError:
            continue  # gone meanwhile, or not ours to read
    return found


def test_a_worker_killed_mid_simulation_leaves_it_to_the_next_worker_which_finishes_it(
    portfolio, tmp_path
):
    org, head = portfolio["org"], portfolio["head"]
    sim = do_start_simulation(org, head, trials=200_000, seed=4, background=True)
    lease = {"LEADSHIFT_TASK_LEASE": "2"}
    first = start_worker(tmp_path, "first", **lease)
    try:
        wait_for(lambda: Simulation.objects.get(pk=sim.pk).done > 0, timeout=120)
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=10)
    finally:
        if first.poll() is None:
            first.kill()
    killed = Simulation.objects.get(pk=sim.pk)
    assert killed.status == "running" and killed.result is None, "nothing half-written"

    second = start_worker(tmp_path, "second", **lease)
    try:
        done = wait_for(lambda: finished(Simulation, sim.pk), timeout=180)
    finally:
        second.send_signal(signal.SIGINT)
        second.wait(timeout=30)
    assert done.status == "done", done.error
    assert done.attempts == 2 and done.result["trials"] == 200_000
    assert second.returncode == 0, (tmp_path / "second.out").read_text()
    tasks = dict(DBTaskResult.objects.values_list("status", "traceback"))
    assert set(tasks) == {"FAILED", "SUCCESSFUL"}
    assert "stopped (no heartbeat since" in tasks["FAILED"]
    # The killed worker's simulation processes ended with it; the second's when it stopped.
    wait_for(lambda: not processes_in(tmp_path), timeout=30)
