"""Helpers for tests of background tasks done by a real worker."""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

from django.utils import timezone
from django_tasks_db.models import DBTaskResult


def wait_for(check: Any, timeout: float = 60.0) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"still waiting after {timeout:g} s")


def finished(model: Any, pk: int) -> Any:
    row = model.objects.get(pk=pk)
    return row if row.status in ("done", "failed") else None


def killed_mid_task(model: Any, pk: int) -> None:
    """What a worker killed mid-task leaves: its task running, and the row running with a
    heartbeat long stopped."""
    row = model.objects.get(pk=pk)
    DBTaskResult.objects.filter(id=row.task_id).update(status="RUNNING")
    model.objects.filter(pk=pk).update(
        status="running", attempts=1, heartbeat_at=timezone.now() - dt.timedelta(minutes=5)
    )
