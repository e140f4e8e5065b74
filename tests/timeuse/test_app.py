"""Time use in the app: imports keep weekly aggregates only, rules per person, access, CLI, API."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from leadshift.cli import main
from leadshift.timeuse.models import CalendarImport, TimeUseRules, WeekUse

pytestmark = pytest.mark.django_db


def upload(client, person, *files):
    client.force_login(person.user)
    return client.post(
        reverse("timeuse_upload", args=[person.id]),
        {"calendar": [SimpleUploadedFile(n, b, "text/calendar") for n, b in files]},
    )


def ics(data, name):
    return (name, (data / name).read_bytes())


def test_an_uploaded_calendar_is_kept_as_weekly_hours_per_shift_pole_only(client, team, data):
    pm = team["pm"]
    r = upload(client, pm, ics(data, "google_export.ics"))
    assert r.status_code == 302
    weeks = list(WeekUse.objects.filter(person=pm))
    assert [w.week for w in weeks] == ["2026-W10", "2026-W11", "2026-W12", "2026-W13", "2026-W14"]
    stored = json.dumps([w.hours for w in weeks]) + CalendarImport.objects.get().files
    assert "Board" not in stored and "@" not in stored  # no titles, no attendees
    page = client.get(reverse("timeuse_person", args=[pm.id]))
    assert b"Time per shift per week" in page.content and b"<svg" in page.content


def test_several_files_import_together_and_a_later_import_replaces_its_weeks(client, team, data):
    pm = team["pm"]
    upload(client, pm, ics(data, "google_export.ics"), ics(data, "outlook_export.ics"))
    assert CalendarImport.objects.count() == 1
    first = WeekUse.objects.filter(person=pm).count()
    upload(client, pm, ics(data, "google_export.ics"))
    assert WeekUse.objects.filter(person=pm).count() == first
    assert CalendarImport.objects.count() == 2


@pytest.mark.parametrize(
    "content, words",
    [
        (b"hello, not a calendar", "bad.ics:1: this is not a calendar"),
        (
            b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nDTSTART;TZID=Mars/Olympus:20260101T090000\r\n"
            b"DTEND:20260101T100000Z\r\nSUMMARY:x\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
            "bad.ics:4: unknown time zone",
        ),
        (
            b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART:20260101T090000Z\r\nthis line is broken\r\n"
            b"END:VEVENT\r\nEND:VCALENDAR\r\n",
            "bad.ics:4",
        ),
    ],
)
def test_a_bad_calendar_says_where_and_nothing_is_half_imported(client, team, data, content, words):
    pm = team["pm"]
    r = upload(client, pm, ics(data, "google_export.ics"), ("bad.ics", content))
    assert r.status_code == 400
    assert words in r.content.decode()
    assert not WeekUse.objects.exists() and not CalendarImport.objects.exists()


def test_the_person_can_delete_an_import_or_everything(client, team, data):
    pm = team["pm"]
    upload(client, pm, ics(data, "google_export.ics"))
    record = CalendarImport.objects.get()
    client.post(reverse("timeuse_delete_import", args=[pm.id, record.id]))
    assert not WeekUse.objects.exists()
    upload(client, pm, ics(data, "google_export.ics"))
    client.post(reverse("timeuse_delete_all", args=[pm.id]))
    assert not CalendarImport.objects.exists() and not WeekUse.objects.exists()


def test_rules_are_visible_editable_and_errors_name_the_line(client, team, data):
    pm = team["pm"]
    client.force_login(pm.user)
    url = reverse("timeuse_rules", args=[pm.id])
    assert b"personal-time" in client.get(url).content
    bad = "version: 1\nrules:\n  - id: x\n    poles: {nowhere:pm: 1}\n"
    r = client.post(url, {"rules": bad})
    assert r.status_code == 400 and "rules.yaml:" in r.content.decode()
    assert bad.split("\n")[0] in r.content.decode()  # what was typed stays
    good = "version: 1\nrules:\n  - id: all-strategy\n    description: everything\n    poles: {focus:leader: 1}\n"
    assert client.post(url, {"rules": good}).status_code == 302
    assert TimeUseRules.objects.get(person=pm).text == good
    upload(client, pm, ics(data, "google_export.ics"))
    hours = [w.hours for w in WeekUse.objects.filter(person=pm)]
    assert all(set(h) == {"focus:leader"} for h in hours)


@pytest.mark.parametrize(
    "who, status", [("pm", 200), ("group", 200), ("head", 200), ("peer", 404), ("admin", 404)]
)
def test_a_person_and_their_managers_see_the_time_use_and_no_one_else(
    client, team, data, who, status
):
    upload(client, team["pm"], ics(data, "google_export.ics"))
    client.force_login(team[who].user)
    pm = team["pm"]
    for url in (reverse("timeuse_person", args=[pm.id]), reverse("timeuse_rules", args=[pm.id])):
        assert client.get(url).status_code == status, url
    assert client.get(f"/api/v1/people/{pm.id}/timeuse").status_code == status


def test_another_organisation_sees_nothing_and_a_manager_cannot_import(
    client, team, make_org, data
):
    pm = team["pm"]
    outsider = make_org("Globex")
    client.force_login(outsider.user)
    assert client.get(reverse("timeuse_person", args=[pm.id])).status_code == 404
    r = upload(client, team["head"], ("c.ics", (data / "google_export.ics").read_bytes()))
    assert r.status_code == 302  # their own import is fine
    client.force_login(team["head"].user)
    r = client.post(
        reverse("timeuse_upload", args=[pm.id]),
        {"calendar": [SimpleUploadedFile("c.ics", (data / "google_export.ics").read_bytes())]},
    )
    assert r.status_code == 403
    assert not WeekUse.objects.filter(person=pm).exists()


def test_the_profile_shows_calendar_evidence_beside_the_ratings(client, completed_assessment, data):
    pm = completed_assessment.person
    url = reverse("assessment_profile", args=[completed_assessment.id])
    client.force_login(pm.user)
    assert b"Evidence from your calendar" not in client.get(url).content
    upload(client, pm, ics(data, "google_export.ics"))
    page = client.get(url).content.decode()
    assert "Evidence from your calendar" in page and "Calendar: leader share" in page


def test_the_cli_imports_shows_and_deletes_for_a_person(team, data):
    pm = team["pm"]
    r = CliRunner().invoke(
        main, ["timeuse", "import", str(data / "google_export.ics"), "--person", pm.email]
    )
    assert r.exit_code == 0, r.output
    assert "Only weekly totals are kept" in r.output
    shown = CliRunner().invoke(main, ["timeuse", "show", pm.email, "--json"])
    assert len(json.loads(shown.output)["weeks"]) == 5
    bad = CliRunner().invoke(
        main,
        [
            "timeuse",
            "import",
            str(data / "google_export.ics"),
            str(data / "nope.ics"),
            "--person",
            pm.email,
        ],
    )
    assert bad.exit_code == 2 and "nope.ics" in bad.output
    assert CliRunner().invoke(main, ["timeuse", "delete", pm.email]).exit_code == 0
    assert not WeekUse.objects.exists()


def test_the_engine_command_still_reads_files_without_a_database(data):
    r = CliRunner().invoke(main, ["timeuse", str(data / "google_export.ics"), "--json"])
    assert r.exit_code == 0 and json.loads(r.output)["total_hours"] == 7.25


def test_the_api_imports_shows_and_edits_rules(client, team, data):
    pm = team["pm"]
    client.force_login(pm.user)
    r = client.post(
        f"/api/v1/people/{pm.id}/timeuse/imports",
        {"calendar": [SimpleUploadedFile("g.ics", (data / "google_export.ics").read_bytes())]},
    )
    assert r.status_code == 201, r.content
    assert len(client.get(f"/api/v1/people/{pm.id}/timeuse").json()["weeks"]) == 5
    r = client.put(
        f"/api/v1/people/{pm.id}/timeuse/rules",
        data=json.dumps({"text": "version: 1\nrules: [{id: a, poles: {bad: 1}}]"}),
        content_type="application/json",
    )
    assert r.status_code == 400 and "rules.yaml:" in r.json()["detail"]
    assert client.delete(f"/api/v1/people/{pm.id}/timeuse").status_code == 204
