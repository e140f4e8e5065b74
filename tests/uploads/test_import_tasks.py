"""An import uploaded on the web is checked at once (problems shown, placed by line, nothing
written) and then written by the task worker in one transaction, all or nothing."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from leadshift.people.models import Person, Team
from leadshift.portfolio.models import Initiative
from leadshift.scale.leases import reap
from leadshift.scale.worker import worker_in_thread
from leadshift.uploads.models import Upload
from tests.scale.background import finished, killed_mid_task, wait_for

pytestmark = pytest.mark.django_db(transaction=True)
EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "examples"


@pytest.fixture
def admin(client, team):
    for name in ("Payments", "Onboarding", "Search"):
        Team.objects.create(organisation=team["org"], name=name)
    client.force_login(team["admin"].user)
    return team["admin"]


def upload_people(client, text: bytes | None = None):
    body = text if text is not None else (EXAMPLES / "people.csv").read_bytes()
    return client.post("/people/import/", {"file": SimpleUploadedFile("people.csv", body)})


def test_a_people_file_is_checked_at_once_then_written_by_the_worker(client, team, admin):
    r = upload_people(client)
    upload = Upload.objects.get()
    assert r.status_code == 302 and r["Location"] == f"/imports/{upload.id}/"
    assert Person.objects.filter(organisation=team["org"]).count() == 5, "nothing written yet"
    page = client.get(r["Location"]).content.decode()
    assert "Being imported" in page and "Waiting for a worker" in page
    assert client.get(f"/imports/{upload.id}/status").json()["status"] == "queued"

    with worker_in_thread():
        done = wait_for(lambda: finished(Upload, upload.pk))
    assert done.status == "done", done.error
    assert done.counts == {"added": 20, "updated": 0}
    assert Person.objects.filter(organisation=team["org"]).count() == 25
    r = client.get(f"/imports/{upload.id}/", follow=True)
    assert r.redirect_chain[-1][0] == "/people/"
    assert "Imported people.csv: 20 added, 0 updated." in r.content.decode()


def test_a_people_file_with_problems_shows_them_at_once_and_queues_nothing(client, admin):
    r = upload_people(client, b"email,name,manager\nann@acme.example,Ann,nobody@acme.example\n")
    html = r.content.decode()
    assert r.status_code == 200 and "Nothing was imported" in html
    assert "people.csv:2: manager:" in html
    assert not Upload.objects.exists() and not DBTaskResult.objects.exists()


def test_someone_elses_import_is_not_found(client, team, admin):
    upload_people(client)
    upload = Upload.objects.get()
    client.force_login(team["head"].user)
    assert client.get(f"/imports/{upload.id}/").status_code == 404
    assert client.get(f"/imports/{upload.id}/status").status_code == 404


def test_a_file_that_no_longer_fits_when_the_worker_writes_it_fails_and_writes_nothing(
    client, team, admin
):
    upload_people(client)
    upload = Upload.objects.get()
    Team.objects.filter(organisation=team["org"], name="Search").delete()  # meanwhile
    with worker_in_thread():
        failed = wait_for(lambda: finished(Upload, upload.pk))
    assert failed.status == "failed"
    assert "(it changed while the import waited); nothing was imported" in failed.error
    assert any("team: unknown team 'Search'" in p for p in failed.problems)
    assert Person.objects.filter(organisation=team["org"]).count() == 5, "all or nothing"
    page = client.get(f"/imports/{upload.id}/").content.decode()
    assert "Nothing was imported" in page and "unknown team" in page


def test_an_import_whose_uploader_was_removed_while_it_waited_fails_saying_so(client, team, admin):
    upload_people(client)
    upload = Upload.objects.get()
    Upload.objects.filter(pk=upload.pk).update(uploaded_by=None)  # as deleting them does
    with worker_in_thread():
        failed = wait_for(lambda: finished(Upload, upload.pk))
    assert failed.status == "failed"
    assert failed.error == (
        "The person who uploaded the file was removed while it waited; nothing was imported."
    )
    assert Person.objects.filter(organisation=team["org"]).count() == 5


def test_an_import_whose_organisation_was_deleted_while_it_waited_fails_saying_so(
    client, team, admin
):
    upload_people(client)
    upload = Upload.objects.get()
    team["org"].delete()
    with worker_in_thread():
        failed = wait_for(lambda: finished(Upload, upload.pk))
    assert failed.status == "failed" and failed.organisation is None
    assert failed.error == (
        "The organisation was deleted while the import waited; nothing was imported."
    )


def test_an_import_whose_worker_was_killed_is_written_once_by_the_next_worker(client, team, admin):
    upload_people(client)
    upload = Upload.objects.get()
    killed_mid_task(Upload, upload.pk)
    assert reap()["requeued"] == 1
    with worker_in_thread():
        done = wait_for(lambda: finished(Upload, upload.pk))
    assert done.status == "done" and done.attempts == 2
    assert Person.objects.filter(organisation=team["org"]).count() == 25


def test_a_portfolio_file_is_checked_at_once_then_written_by_the_worker(client, team):
    client.force_login(team["head"].user)
    body = (EXAMPLES / "portfolio.yaml").read_bytes()
    r = client.post(
        "/portfolio/import/", {"file": SimpleUploadedFile("portfolio.yaml", body), "kind": ""}
    )
    upload = Upload.objects.get()
    assert r.status_code == 302 and r["Location"] == f"/imports/{upload.id}/"
    assert not Initiative.objects.exists()
    with worker_in_thread():
        done = wait_for(lambda: finished(Upload, upload.pk))
    assert done.status == "done", done.error
    assert done.counts["initiatives"] == Initiative.objects.filter(organisation=team["org"]).count()
    r = client.get(f"/imports/{upload.id}/", follow=True)
    assert "Nothing else was changed." in r.content.decode()


def test_a_portfolio_file_with_problems_shows_them_at_once_and_queues_nothing(client, team):
    client.force_login(team["head"].user)
    bad = b"periods: [Q1]\ninitiatives:\n  - {id: x, value: -3}\n"
    r = client.post("/portfolio/import/", {"file": SimpleUploadedFile("bad.yaml", bad), "kind": ""})
    assert r.status_code == 400 and "bad.yaml" in r.content.decode()
    assert not Upload.objects.exists() and not DBTaskResult.objects.exists()


def test_finished_imports_older_than_a_day_are_removed_with_their_text(client, team, admin):
    upload_people(client, b"email,name\nann@acme.example,Ann\n")
    old = Upload.objects.get()
    Upload.objects.filter(pk=old.pk).update(
        status="done", created_at=timezone.now() - dt.timedelta(hours=25)
    )
    upload_people(client, b"email,name\nbob@acme.example,Bob\n")
    assert [u.text for u in Upload.objects.all()] == ["email,name\nbob@acme.example,Bob\n"]
