"""A real `leadshift worker`, killed with SIGKILL while it writes a large people import: the
import's one transaction leaves nothing written, and the next worker fails it with the
reason (no tries left) instead of leaving it running for ever."""

from __future__ import annotations

import signal
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from leadshift.people.models import Person
from leadshift.uploads.models import Upload
from tests.scale.background import finished, wait_for
from tests.scale.test_worker import start_worker

pytestmark = pytest.mark.django_db(transaction=True)

PEOPLE = 3000
"""Enough rows that writing them takes the worker seconds: it is reliably killed midway."""


def many_people(n: int, manager: str | None = None) -> bytes:
    """A people file of ``n`` PMs under ``manager``, or under a head of product it adds."""
    lines = ["email,name,title,manager"]
    if manager is None:
        manager = "chief@big.example"
        lines.append(f"{manager},Chris Chief,Head of Product,")
    lines += [f"pm{k:05}@big.example,PM {k},Product Manager,{manager}" for k in range(n)]
    return ("\n".join(lines) + "\n").encode()


def test_a_worker_killed_while_it_writes_an_import_leaves_nothing_and_the_next_fails_it(
    client, team, tmp_path: Path
):
    org = team["org"]
    client.force_login(team["admin"].user)
    before = Person.objects.filter(organisation=org).count()
    r = client.post(
        "/people/import/", {"file": SimpleUploadedFile("many.csv", many_people(PEOPLE))}
    )
    upload = Upload.objects.get()
    assert r.status_code == 302 and upload.status == "queued"
    tries = {"LEADSHIFT_TASK_LEASE": "2", "LEADSHIFT_TASK_ATTEMPTS": "1"}

    first = start_worker(tmp_path, "first", **tries)
    try:
        # Its stored progress moves to the write: the worker is inside the transaction.
        wait_for(lambda: Upload.objects.get(pk=upload.pk).stage.startswith("Writing"), 120)
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=10)
    finally:
        if first.poll() is None:
            first.kill()
    killed = Upload.objects.get(pk=upload.pk)
    assert killed.status == "running", "killed while it wrote, not after"
    assert Person.objects.filter(organisation=org).count() == before, "nothing half-written"

    second = start_worker(tmp_path, "second", **tries)
    try:
        failed = wait_for(lambda: finished(Upload, upload.pk), timeout=120)
    finally:
        second.send_signal(signal.SIGINT)
        second.wait(timeout=30)
    assert failed.status == "failed" and failed.counts in (None, {})
    assert "the worker doing this import stopped (no heartbeat since" in failed.error
    assert Person.objects.filter(organisation=org).count() == before
    status = client.get(f"/imports/{upload.id}/status").json()
    assert status["status"] == "failed"
