"""The web server: gunicorn with N processes, and beside it a task worker, stopped together."""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from typing import Any

from gunicorn.app.base import BaseApplication


class WebServer(BaseApplication):
    """gunicorn run from inside `leadshift serve`, with the options it is given."""

    def __init__(self, options: dict[str, Any]):
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> Any:
        from leadshift.wsgi import application

        return application


def default_workers() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def _die_with_parent() -> None:
    # Linux: the worker gets SIGTERM if `leadshift serve` itself is killed, so none is orphaned.
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


@contextlib.contextmanager
def task_worker_beside() -> Iterator[subprocess.Popen[bytes]]:
    """`leadshift worker` as a child process, stopped when the block ends however it ends."""
    child = subprocess.Popen(
        [sys.executable, "-m", "leadshift", "worker"], preexec_fn=_die_with_parent
    )
    try:
        yield child
    finally:
        if child.poll() is None:
            # Ctrl-C in a terminal reached it too and it is finishing its task; a second
            # signal stops it now (the lease queues the run again for the next worker).
            child.send_signal(signal.SIGTERM)
            try:
                child.wait(timeout=10)
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()


def serve_forever(host: str, port: int, workers: int, threads: int) -> None:
    WebServer(
        {
            "bind": f"{host}:{port}",
            "workers": workers,
            "threads": threads,
            "worker_class": "gthread" if threads > 1 else "sync",
            "accesslog": None,
            "errorlog": "-",
            "loglevel": "warning",
            "timeout": 120,  # a PDF of a large report can take a while
            "graceful_timeout": 10,
            # Longer than a browser's pause between pages: a connection the server has just
            # dropped as idle would otherwise be reused by the client and reset.
            "keepalive": 30,
            "proc_name": "leadshift",
        }
    ).run()


TASK_WORKER_CONNECTIONS = 3
"""What a task worker holds at most: its task, its lease reaper, and one while it reconnects."""


def connection_shortfall(workers: int, threads: int, with_worker: bool) -> str | None:
    """On PostgreSQL, a warning when the web processes (one persistent connection per thread)
    and the task worker could hold more connections than the server has left, else None."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT current_setting('max_connections')::int"
            " - current_setting('superuser_reserved_connections')::int"
            " - (SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend')"
        )
        left = int(cursor.fetchone()[0]) + 1  # this connection is closed before serving
    need = workers * threads + (TASK_WORKER_CONNECTIONS if with_worker else 0)
    if need <= left:
        return None
    return (
        f"warning: {workers} web processes × {threads} threads"
        f"{' and a task worker' if with_worker else ''} may hold {need} PostgreSQL connections "
        f"at once, and the server has {left} left (max_connections): fewer --workers or "
        "--threads, LEADSHIFT_CONN_MAX_AGE=0 (a connection per request) or a larger "
        "max_connections"
    )
