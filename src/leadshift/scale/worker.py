"""The task worker: django-tasks-db's worker loop, with a watchman that finds runs whose
worker was lost (leases.py)."""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

from django.db import OperationalError, close_old_connections, connection
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction, is_locked_database_exception

from leadshift.scale.leases import reap, reap_forever


def worker_id() -> str:
    return f"{socket.gethostname()}-{os.getpid()}"[:64]


class TaskWorker(Worker):
    """django-tasks-db's worker loop, changed in two ways. It looks for ready tasks with a
    plain read before it takes the write lock to claim one, so idle workers do not hold
    SQLite's lock every second; and a database busy past its timeout (a long import) makes
    it wait and look again instead of ending the worker."""

    def _claim_next(self) -> DBTaskResult | None:
        tasks = DBTaskResult.objects.ready().filter(
            backend_name=self.backend_name, queue_name__in=self.queue_names
        )
        if not tasks.exists():
            return None
        with exclusive_transaction(tasks.db):
            task_result = tasks.get_locked()
            if task_result is not None:
                task_result.claim(self.worker_id)
        return task_result

    def run(self) -> None:
        while self.running:
            close_old_connections()
            try:
                task_result = self._claim_next()
            except OperationalError as exc:
                if not is_locked_database_exception(exc):
                    raise
                task_result = None
            if task_result is not None:
                self.run_task(task_result)
            elif self.batch:
                return
            close_old_connections()
            if self.running and task_result is None:
                time.sleep(self.interval)


def make_worker(*, interval: float = 1.0, batch: bool = False, name: str = "") -> TaskWorker:
    return TaskWorker(
        queue_names=["default"],
        interval=interval,
        batch=batch,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id=name or worker_id(),
        excluded_queue_names=[],
    )


def run_worker(*, interval: float = 1.0, batch: bool = False) -> None:
    """Work until a signal stops it (Ctrl-C/SIGTERM: finish the task in hand; twice: now)."""
    reap()  # what a worker that died before this one left behind
    stop = threading.Event()
    watchman = threading.Thread(target=reap_forever, args=(stop,), daemon=True)
    watchman.start()
    worker = make_worker(interval=interval, batch=batch)
    worker.configure_signals()
    try:
        worker.run()
    finally:
        stop.set()
        watchman.join(timeout=5)
        connection.close()


@contextmanager
def worker_in_thread(interval: float = 0.05) -> Iterator[TaskWorker]:
    """A worker in a thread of this process, for tests that need tasks really done."""
    worker = make_worker(interval=interval, name=f"thread-{worker_id()}")

    def main() -> None:
        try:
            worker.run()
        finally:
            connection.close()

    thread = threading.Thread(target=main, name="task-worker", daemon=True)
    thread.start()
    try:
        yield worker
    finally:
        worker.running = False
        thread.join(timeout=60)
