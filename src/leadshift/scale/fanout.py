"""Where independent pieces of work are computed (a simulation's chunks of trials, a sweep's
variants): on a Dask cluster when one is named (LEADSHIFT_DASK_SCHEDULER), else in processes
on this machine (or this process's threads). Plain Python: no Django."""

from __future__ import annotations

import multiprocessing
import os
import threading
from collections.abc import Iterator
from concurrent.futures import Executor, ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

from leadshift.core.lifetime import end_with


class SchedulerUnreachable(Exception):
    """The named Dask scheduler did not answer."""


@dataclass(frozen=True)
class Fanout:
    executor: Executor | None  # None: this process's threads
    workers: int  # pieces in flight at once
    where: str  # for the page: "2 Dask workers at tcp://…", "this machine"


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
                max_workers=n, mp_context=context, initializer=end_with, initargs=(os.getpid(),)
            )
    return Fanout(pool, 2 * n, f"{n} processes on this machine")


@contextmanager
def fanout(
    scheduler: str, *, timeout: float = 10.0, fallback: bool = False, processes: int = 0
) -> Iterator[Fanout]:
    """The executor for the pieces of work: the named Dask scheduler's, else ``processes``
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


def configured(settings: Any, processes: str = "LEADSHIFT_SIMULATION_PROCESSES") -> Any:
    """``fanout`` as the settings say (Django's, or ``from_environment()`` outside Django):
    LEADSHIFT_DASK_SCHEDULER, _TIMEOUT and _FALLBACK, and the named count of local processes."""
    return fanout(
        getattr(settings, "LEADSHIFT_DASK_SCHEDULER", ""),
        fallback=getattr(settings, "LEADSHIFT_DASK_FALLBACK", False),
        timeout=getattr(settings, "LEADSHIFT_DASK_TIMEOUT", 10),
        processes=getattr(settings, processes, 0),
    )


def from_environment() -> SimpleNamespace:
    """The fan-out settings read from the environment as settings.py reads them, for commands
    that run without Django."""
    from leadshift.conf import env_bool, env_int, env_str

    cores = os.cpu_count() or 1
    return SimpleNamespace(
        LEADSHIFT_DASK_SCHEDULER=env_str("LEADSHIFT_DASK_SCHEDULER", ""),
        LEADSHIFT_DASK_FALLBACK=env_bool("LEADSHIFT_DASK_FALLBACK", False),
        LEADSHIFT_DASK_TIMEOUT=env_int("LEADSHIFT_DASK_TIMEOUT", 10),
        LEADSHIFT_SIMULATION_PROCESSES=env_int("LEADSHIFT_SIMULATION_PROCESSES", cores),
        LEADSHIFT_SWEEP_PROCESSES=env_int("LEADSHIFT_SWEEP_PROCESSES", cores),
    )
