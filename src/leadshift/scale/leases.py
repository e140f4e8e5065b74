"""Leases on background runs: a worker doing a run writes a heartbeat; a run whose heartbeat
stopped (its worker was killed, or its machine went away) is queued again or marked failed.

A leased model has `status` (queued/running/done/failed), `started_at`, `heartbeat_at`,
`attempts`, `task_id`, `error` and `finished_at`, and names the task that does it.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import OperationalError, close_old_connections, connection, models, transaction
from django.db.models import F
from django.utils import timezone

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Leased:
    """A kind of background run: its model and how to queue it again."""

    model: type[models.Model]
    enqueue: Callable[[int], str]  # queue the run's task; returns the task's id
    what: str  # "optimiser run", "simulation": for messages


class LeaseFields(models.Model):
    """What a leased model holds beside its `status` (queued/running/done/failed)."""

    task_id = models.CharField(max_length=64, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    started_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True


def lease_seconds() -> float:
    return float(getattr(settings, "LEADSHIFT_TASK_LEASE", 30))


def max_attempts() -> int:
    return int(getattr(settings, "LEADSHIFT_TASK_ATTEMPTS", 2))


def leased_kinds() -> list[Leased]:
    # Imported here: each app's tasks module imports its services, which import this one.
    from leadshift.outbox.tasks import LEASED as mail
    from leadshift.planning.tasks import LEASED as runs
    from leadshift.planning.tasks import SWEEPS as sweeps
    from leadshift.reports.tasks import LEASED as renderings
    from leadshift.risk.tasks import LEASED as simulations
    from leadshift.uploads.tasks import LEASED as uploads

    return [runs, simulations, sweeps, renderings, mail, uploads]


def claim(model: type[models.Model], pk: int) -> bool:
    """Take a queued run for this worker; False when it is gone or someone else has it."""
    now = timezone.now()
    taken = model._default_manager.filter(pk=pk, status="queued").update(
        status="running", started_at=now, heartbeat_at=now, attempts=F("attempts") + 1
    )
    return bool(taken)


@contextmanager
def heartbeat(model: type[models.Model], pk: int) -> Iterator[None]:
    """Write the run's heartbeat every third of the lease while the body runs."""
    stop = threading.Event()
    every = max(0.2, lease_seconds() / 3)

    def beat() -> None:
        try:
            while not stop.wait(every):
                try:
                    model._default_manager.filter(pk=pk, status="running").update(
                        heartbeat_at=timezone.now()
                    )
                except OperationalError:  # busy past the timeout: beat again next time
                    log.warning("could not write the heartbeat of %s %s", model.__name__, pk)
        finally:
            connection.close()

    thread = threading.Thread(target=beat, name=f"heartbeat-{pk}", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()


@contextmanager
def leased(model: type[models.Model], pk: int) -> Iterator[bool]:
    """Claim the run and keep its lease while the body does it; yields False if not claimed."""
    if not claim(model, pk):
        log.info("%s %s is gone or taken: nothing to do", model.__name__, pk)
        yield False
        return
    try:
        with heartbeat(model, pk):
            yield True
    except Exception as exc:
        # Whatever the run's own code did not catch ends the run as failed, with its reason.
        model._default_manager.filter(pk=pk, status="running").update(
            status="failed", error=f"{type(exc).__name__}: {exc}", finished_at=timezone.now()
        )
        raise


def _fail_task_row(task_id: str, reason: str) -> None:
    from django_tasks_db.models import DBTaskResult

    if task_id:
        DBTaskResult.objects.filter(id=task_id, status="RUNNING").update(
            status="FAILED",
            finished_at=timezone.now(),
            exception_class_path="leadshift.scale.leases.WorkerLost",
            traceback=reason,
        )


def reap(now: dt.datetime | None = None) -> dict[str, int]:
    """Queue again, or fail, every run whose worker stopped sending heartbeats."""
    now = now or timezone.now()
    cutoff = now - dt.timedelta(seconds=lease_seconds())
    counts = {"requeued": 0, "failed": 0, "skipped": 0}
    for kind in leased_kinds():
        manager = kind.model._default_manager
        for row in manager.filter(status="running", heartbeat_at__lt=cutoff):
            counts[_reap_one(kind, row, cutoff, now)] += 1
    return counts


def _reap_one(kind: Leased, row: Any, cutoff: dt.datetime, now: dt.datetime) -> str:
    manager = kind.model._default_manager
    lost = (
        f"the worker doing this {kind.what} stopped "
        f"(no heartbeat since {row.heartbeat_at:%Y-%m-%d %H:%M:%S} UTC)"
    )
    with transaction.atomic():
        still_lost = manager.filter(pk=row.pk, status="running", heartbeat_at__lt=cutoff)
        _fail_task_row(row.task_id, lost)
        if row.attempts < max_attempts():
            if not still_lost.update(status="queued", heartbeat_at=None):
                return "skipped"  # it beat again, or another watchman took it
            task_id = kind.enqueue(row.pk)
            manager.filter(pk=row.pk).update(task_id=task_id)
            log.warning("%s %s: %s; queued again", kind.what, row.pk, lost)
            return "requeued"
        tries = "once" if row.attempts == 1 else f"{row.attempts} times"
        if not still_lost.update(
            status="failed", error=f"{lost}; tried {tries}, giving up", finished_at=now
        ):
            return "skipped"
        log.warning("%s %s: %s; marked failed", kind.what, row.pk, lost)
        return "failed"


def reap_forever(stop: threading.Event) -> None:
    """The worker's watchman: look for lost runs every half lease until told to stop."""
    try:
        while not stop.wait(max(0.2, lease_seconds() / 2)):
            try:
                reap()
            except Exception:  # a database hiccup must not kill the watchman
                log.exception("looking for lost runs failed")
                close_old_connections()
    finally:
        connection.close()
