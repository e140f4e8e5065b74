"""Where a simulation's chunks of trials are computed: on a Dask cluster when one is named
(LEADSHIFT_DASK_SCHEDULER), else in processes on this machine (or this process's threads).
Plain Python: no Django."""

from __future__ import annotations

import multiprocessing
import os
import threading
import time
from collections.abc import Iterator
from concurrent.futures import Executor, ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass


class SchedulerUnreachable(Exception):
    """The named Dask scheduler did not answer."""


@dataclass(frozen=True)
class Fanout:
    executor: Executor | None  # None: this process's threads
    workers: int  # chunks in flight at once
    where: str  # for the page: "2 Dask workers at tcp://…", "this machine"


def _end_with(owner: int) -> None:
    """Run in each process of the pool: end when the process that started the pool is gone,
    so a task worker killed with SIGKILL leaves none of its processes behind."""

    def watch() -> None:
        while True:
            time.sleep(1)
            try:
                os.kill(owner, 0)
            except ProcessLookupError:
                os._exit(1)

    threading.Thread(target=watch, daemon=True).start()


_pools: dict[int, ProcessPoolExecutor] = {}
_pools_lock = threading.Lock()


def local_processes(n: int) -> Fanout:
    """``n`` processes on this machine (0: this process's threads). The pool is started once
    and kept for the next simulation; its processes only import the engine (forkserver: a
    worker's threads and database connections are not forked)."""
    if n < 1:
        return Fanout(None, 0, "this machine")
    with _pools_lock:
        pool = _pools.get(n)
        if pool is None:
            context = multiprocessing.get_context("forkserver")
            pool = _pools[n] = ProcessPoolExecutor(
                max_workers=n, mp_context=context, initializer=_end_with, initargs=(os.getpid(),)
            )
    return Fanout(pool, 2 * n, f"{n} processes on this machine")


@contextmanager
def fanout(
    scheduler: str, *, timeout: float = 10.0, fallback: bool = False, processes: int = 0
) -> Iterator[Fanout]:
    """The executor for a simulation's chunks: the named Dask scheduler's, else ``processes``
    local processes. An unreachable scheduler raises SchedulerUnreachable, or (fallback)
    leaves the work to the local processes."""
    if not scheduler:
        yield local_processes(processes)
        return
    from distributed import Client

    try:
        client = Client(scheduler, timeout=timeout, set_as_default=False)
    except (OSError, TimeoutError) as exc:
        if not fallback:
            raise SchedulerUnreachable(
                f"the Dask scheduler at {scheduler} cannot be reached ({exc})"
            ) from exc
        here = local_processes(processes)
        yield Fanout(
            here.executor,
            here.workers,
            f"{here.where} (the Dask scheduler at {scheduler} did not answer)",
        )
        return
    try:
        n = max(1, sum(w.get("nthreads", 1) for w in client.scheduler_info()["workers"].values()))
        yield Fanout(client.get_executor(), 2 * n, f"{n} Dask worker threads at {scheduler}")
    finally:
        client.close()
