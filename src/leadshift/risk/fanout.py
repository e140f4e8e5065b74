"""Where a simulation's chunks of trials are computed: on a Dask cluster when one is named
(LEADSHIFT_DASK_SCHEDULER), else in this process's threads. Plain Python: no Django."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import Executor
from contextlib import contextmanager
from dataclasses import dataclass


class SchedulerUnreachable(Exception):
    """The named Dask scheduler did not answer."""


@dataclass(frozen=True)
class Fanout:
    executor: Executor | None  # None: this process's threads
    workers: int  # chunks in flight at once
    where: str  # for the page: "2 Dask workers at tcp://…", "this machine"


@contextmanager
def fanout(scheduler: str, *, timeout: float = 10.0, fallback: bool = False) -> Iterator[Fanout]:
    """The executor for a simulation's chunks. An unreachable scheduler raises
    SchedulerUnreachable, or (fallback) leaves the work to this machine."""
    if not scheduler:
        yield Fanout(None, 0, "this machine")
        return
    from distributed import Client

    try:
        client = Client(scheduler, timeout=timeout, set_as_default=False)
    except (OSError, TimeoutError) as exc:
        if not fallback:
            raise SchedulerUnreachable(
                f"the Dask scheduler at {scheduler} cannot be reached ({exc})"
            ) from exc
        yield Fanout(None, 0, f"this machine (the Dask scheduler at {scheduler} did not answer)")
        return
    try:
        n = max(1, sum(w.get("nthreads", 1) for w in client.scheduler_info()["workers"].values()))
        yield Fanout(client.get_executor(), 2 * n, f"{n} Dask worker threads at {scheduler}")
    finally:
        client.close()
