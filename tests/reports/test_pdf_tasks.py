"""A report's PDF asked for on the web is made by the task worker: the page follows its
progress and hands it over to the one who asked, checking again that they may see it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from leadshift.reports.models import Rendering
from leadshift.scale.leases import reap
from leadshift.scale.worker import worker_in_thread
from tests.scale.background import finished, killed_mid_task, wait_for

pytestmark = pytest.mark.django_db(transaction=True)


def ask(client, kind, subject_id):
    return client.post(reverse("report_pdf", args=[kind, subject_id]))


def test_a_pdf_is_queued_made_by_the_worker_and_downloaded_by_the_one_who_asked(client, team):
    head = team["head"]
    client.force_login(head.user)
    r = ask(client, "team", head.id)
    assert r.status_code == 202
    first = r.json()
    assert first["status"] == "queued" and first["download_url"] is None
    assert ask(client, "team", head.id).json()["id"] == first["id"], "the same request reused"
    assert Rendering.objects.count() == 1 and DBTaskResult.objects.count() == 1

    with worker_in_thread():
        done = wait_for(lambda: finished(Rendering, first["id"]))
    assert done.status == "done", done.error
    status = client.get(first["status_url"]).json()
    assert status["progress"] == 100 and status["filename"].endswith(".pdf")
    pdf = client.get(status["download_url"])
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert status["filename"] in pdf["Content-Disposition"]

    client.force_login(team["peer"].user)  # someone else: no such PDF
    assert client.get(first["status_url"]).status_code == 404
    assert client.get(status["download_url"]).status_code == 404


def test_a_pdf_of_someone_the_user_may_not_see_is_refused_before_anything_is_queued(client, team):
    client.force_login(team["peer"].user)
    assert ask(client, "stakeholders", team["pm"].id).status_code == 404
    assert not Rendering.objects.exists() and not DBTaskResult.objects.exists()


def test_the_download_checks_again_that_the_person_may_still_see_the_report(client, team):
    group, pm = team["group"], team["pm"]
    client.force_login(group.user)
    asked = ask(client, "stakeholders", pm.id).json()
    with worker_in_thread():
        wait_for(lambda: finished(Rendering, asked["id"]))
    url = client.get(asked["status_url"]).json()["download_url"]
    assert client.get(url).status_code == 200
    pm.manager = team["peer"]  # Pia moves out of Gus's line
    pm.save()
    assert client.get(url).status_code == 404


def test_a_pdf_asked_for_by_someone_removed_while_it_waited_fails_saying_so(client, team):
    group = team["group"]
    client.force_login(group.user)
    asked = ask(client, "stakeholders", team["pm"].id).json()
    Rendering.objects.filter(pk=asked["id"]).update(requested_by=None)  # as deleting them does
    with worker_in_thread():
        done = wait_for(lambda: finished(Rendering, asked["id"]))
    assert done.status == "failed" and done.pdf is None
    assert done.error == (
        "The PDF could not be made: the person who asked for it was removed while it waited."
    )


def test_a_pdf_whose_worker_was_killed_is_queued_again_and_made_by_the_next_worker(
    client, team, settings
):
    settings.LEADSHIFT_TASK_ATTEMPTS = 2
    head = team["head"]
    client.force_login(head.user)
    asked = ask(client, "team", head.id).json()
    first_task = Rendering.objects.get(pk=asked["id"]).task_id
    killed_mid_task(Rendering, asked["id"])
    assert client.get(asked["status_url"]).json()["status"] == "running"

    assert reap() == {"requeued": 1, "failed": 0, "skipped": 0}
    assert DBTaskResult.objects.get(id=first_task).status == "FAILED"
    with worker_in_thread():
        done = wait_for(lambda: finished(Rendering, asked["id"]))
    assert done.status == "done" and done.attempts == 2
    assert bytes(done.pdf).startswith(b"%PDF")


def test_a_pdf_whose_worker_was_killed_twice_fails_with_the_reason(client, team, settings):
    settings.LEADSHIFT_TASK_ATTEMPTS = 1
    client.force_login(team["head"].user)
    asked = ask(client, "team", team["head"].id).json()
    killed_mid_task(Rendering, asked["id"])
    assert reap() == {"requeued": 0, "failed": 1, "skipped": 0}
    status = client.get(asked["status_url"]).json()
    assert status["status"] == "failed" and status["download_url"] is None
    assert "the worker doing this PDF stopped (no heartbeat since" in status["error"]


def test_renderings_older_than_the_keep_time_are_removed(client, team, settings):
    settings.LEADSHIFT_RENDERING_KEEP_HOURS = 24
    client.force_login(team["head"].user)
    old = ask(client, "team", team["head"].id).json()
    Rendering.objects.filter(pk=old["id"]).update(
        status="done", created_at=timezone.now() - dt.timedelta(hours=25)
    )
    new = ask(client, "stakeholders", team["head"].id).json()
    assert list(Rendering.objects.values_list("id", flat=True)) == [new["id"]]
