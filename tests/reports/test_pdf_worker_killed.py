"""A real `leadshift worker`, killed with SIGKILL while it lays out a large report's PDF:
no PDF is stored, and the next worker fails the rendering with the reason (no tries left)
instead of leaving it running for ever."""

from __future__ import annotations

import signal
from pathlib import Path

import pytest
from django.urls import reverse

from leadshift.people.services import do_import_people
from leadshift.reports.models import Rendering
from tests.scale.background import finished, wait_for
from tests.scale.test_worker import start_worker
from tests.uploads.test_import_worker_killed import many_people

pytestmark = pytest.mark.django_db(transaction=True)

PEOPLE = 800
"""A team report of that many people takes the worker seconds to lay out: reliably killed
midway."""


def test_a_worker_killed_while_it_lays_out_a_pdf_stores_none_and_the_next_fails_it(
    client, team, tmp_path: Path
):
    head = team["head"]
    do_import_people(None, team["org"], many_people(PEOPLE, head.email).decode(), "many.csv")
    client.force_login(head.user)
    asked = client.post(reverse("report_pdf", args=["team", head.id])).json()
    tries = {"LEADSHIFT_TASK_LEASE": "2", "LEADSHIFT_TASK_ATTEMPTS": "1"}

    first = start_worker(tmp_path, "first", **tries)
    try:
        # Its stored progress moves to the layout: the worker is making the PDF.
        wait_for(lambda: Rendering.objects.get(pk=asked["id"]).progress >= 40, 180)
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=10)
    finally:
        if first.poll() is None:
            first.kill()
    killed = Rendering.objects.get(pk=asked["id"])
    assert killed.status == "running", "killed while it laid out the pages, not after"
    assert killed.pdf is None and killed.stage == "Laying out the pages"

    second = start_worker(tmp_path, "second", **tries)
    try:
        failed = wait_for(lambda: finished(Rendering, asked["id"]), timeout=120)
    finally:
        second.send_signal(signal.SIGINT)
        second.wait(timeout=30)
    assert failed.status == "failed" and failed.pdf is None
    status = client.get(asked["status_url"]).json()
    assert status["status"] == "failed" and status["download_url"] is None
    assert "the worker doing this PDF stopped (no heartbeat since" in status["error"]
