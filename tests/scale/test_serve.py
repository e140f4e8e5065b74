"""`leadshift serve` runs several web processes and a task worker, and Ctrl-C stops them all;
processes share one SQLite database without "database is locked"."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import textwrap
import time
import urllib.request
from pathlib import Path
from typing import Any

import pytest

from tests.scale.test_worker import LEADSHIFT, user_env, wait_for
from tests.user_shell import copy_data


@pytest.fixture(scope="module")
def migrated(tmp_path_factory: Any, migrated_data: Path) -> Path:
    """A fresh installation's data folder, migrated (a copy of the session's)."""
    return copy_data(migrated_data, tmp_path_factory.mktemp("serve") / "data")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def group(pgid: int) -> list[str]:
    # -ww: whole command lines; cut at 80 columns, a clone in a longer folder lost "serve".
    out = subprocess.run(
        ["ps", "-ww", "-o", "args=", "-g", str(pgid)], capture_output=True, text=True
    ).stdout
    return [line for line in out.splitlines() if line.strip() and "<defunct>" not in line]


def health(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=5) as r:
            return r.status == 200
    except OSError:
        return False


def test_serve_runs_two_web_processes_and_a_worker_and_ctrl_c_stops_every_one(migrated):
    port = free_port()
    assert LEADSHIFT
    server = subprocess.Popen(
        [LEADSHIFT, "serve", "--no-demo", "--workers", "2", "--port", str(port)],
        # As `make run` serves: local mode (production mode wants a secret key).
        env=user_env(migrated, LEADSHIFT_LOCAL="1"),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,  # its own process group, as a terminal gives it
    )
    try:
        wait_for(lambda: health(port), timeout=180)
        processes = wait_for(lambda: (p := group(server.pid)) and len(p) >= 4 and p)
        assert sum(" worker" in p for p in processes) == 1, processes
        assert sum("serve" in p for p in processes) == 3, "gunicorn's master and two workers"
        os.killpg(server.pid, signal.SIGINT)  # what Ctrl-C in the terminal does
        server.wait(timeout=60)
        wait_for(lambda: not group(server.pid), timeout=30)
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGKILL)
    out = server.stdout.read() if server.stdout else ""
    assert "2 web processes, a task worker" in out
    assert "Traceback" not in out, out


WRITER = textwrap.dedent(
    """
    import os, sys
    os.environ["DJANGO_SETTINGS_MODULE"] = "leadshift.settings"
    import django
    django.setup()
    from leadshift.people.services import do_add_person, do_create_organisation
    name = sys.argv[1]
    admin = do_create_organisation(
        name=name, admin_name="Admin", admin_email=f"admin@{name}.example", password="s3cret-pass!"
    )
    for i in range(int(sys.argv[2])):
        do_add_person(admin.organisation, name=f"P{i}", email=f"p{i}@{name}.example")
    print("wrote", sys.argv[2])
    """
)


def test_two_processes_writing_at_once_share_sqlite_without_database_is_locked(migrated):
    env = user_env(migrated)
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, name, "150"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        for name in ("north", "south")
    ]
    started = time.monotonic()
    outputs = [w.communicate(timeout=300)[0] for w in writers]
    assert time.monotonic() - started < 300
    for w, out in zip(writers, outputs, strict=True):
        assert w.returncode == 0, out
        assert "database is locked" not in out
        assert "wrote 150" in out


def test_the_large_demo_builds_a_scaled_down_organisation_once(migrated):
    assert LEADSHIFT
    env = user_env(migrated, LEADSHIFT_LARGE_DEMO_FRACTION="0.02")
    first = subprocess.run(
        [LEADSHIFT, "demo", "--size", "large"], env=env, capture_output=True, text=True, timeout=600
    )
    assert first.returncode == 0, first.stderr
    assert "Loaded Contoso at scale: 40 people, 39 assessments, 39 plans" in first.stdout
    assert "100 initiatives, 6 risks and a finished simulation" in first.stdout
    for part in ("people:", "360 feedback:", "plan of record and simulation:"):
        assert part in first.stderr
    again = subprocess.run(
        [LEADSHIFT, "demo", "--size", "large"], env=env, capture_output=True, text=True, timeout=300
    )
    assert "already loaded" in again.stdout


@pytest.mark.django_db
def test_serve_warns_when_postgresql_has_fewer_connections_left_than_its_processes_may_hold():
    from django.db import connection

    from leadshift.scale.server import connection_shortfall

    if connection.vendor == "sqlite":
        # A file, not a server: no connection limit to warn about, however many processes.
        assert connection_shortfall(64, 8, True) is None
        return
    assert connection_shortfall(2, 4, True) is None
    warning = connection_shortfall(40, 4, True) or ""
    assert "40 web processes × 4 threads and a task worker may hold 163 PostgreSQL" in warning
    assert "(max_connections)" in warning
