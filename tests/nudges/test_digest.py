"""The weekly digest: what it holds, who gets it, who does not, and the setting that stops it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from leadshift.nudges.gather import digest_for
from leadshift.nudges.services import do_set_digest, send_digests
from tests.conftest import sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def pias_week(team, completed_assessment):
    """Pia has a 1:1 with Gus in two days, plan actions due, and a 360 form waiting from Pete."""
    from leadshift.coaching.services import do_start_series
    from leadshift.feedback import services as feedback
    from leadshift.growth.services import do_generate_plan

    today = timezone.localdate()
    do_generate_plan(completed_assessment, team["pm"], starts_on=today - dt.timedelta(days=60))
    do_start_series(
        team["group"], team["pm"], cadence="weekly", first_on=today + dt.timedelta(days=2)
    )
    feedback.do_open_cycle(
        team["peer"],
        team["peer"],
        closes_on=today + dt.timedelta(days=10),
        raters=[feedback.RaterIn("Pia PM", "pia@acme.example", "peer")],
        notify=False,
    )
    return team


def test_the_digest_holds_the_week_s_one_on_ones_actions_due_and_forms_waiting(pias_week):
    digest = digest_for(pias_week["pm"])
    sections = {s.key: s.lines for s in digest.sections}
    [oneonone] = sections["oneonones"]
    assert "1:1 with Gus Group (agenda)" in oneonone.text
    assert oneonone.url.endswith(
        reverse("coaching_series", args=[pias_week["pm"].coached.get().id])
    )
    assert sections["actions"] and all("due" in a.text for a in sections["actions"])
    assert [f.text.split(",")[0] for f in sections["feedback"]] == ["Feedback for Pete Peer"]
    text = digest.text()
    assert "Your 1:1s this week (1)" in text and "360 forms waiting for you (1)" in text
    assert "Turn this digest off" in text


def test_it_is_sent_by_mail_kept_from_the_360_subject_and_not_twice_a_week(pias_week):
    run = send_digests(pias_week["org"])
    assert [p.name for p, _ in run.sent] == ["Gus Group", "Pia PM"], "both have the 1:1"
    [message] = [m for m in mail.outbox if m.to == ["pia@acme.example"]]
    assert message.subject.startswith("Your week in LeadShift")
    assert "1:1 with Gus Group" in message.body
    assert message.extra_headers["X-LeadShift-Kind"] == "weekly-digest"
    assert message.extra_headers["X-LeadShift-Hide-From"] == str(pias_week["peer"].id)
    again = send_digests(pias_week["org"])
    assert again.sent == [] and again.already_sent == 2


def test_an_empty_digest_is_not_sent(team):
    run = send_digests(team["org"])
    assert run.sent == [] and run.empty == len(team["org"].people.all())
    assert mail.outbox == []


def test_a_person_who_turned_it_off_gets_none_and_a_dry_run_sends_nothing(pias_week):
    dry = send_digests(pias_week["org"], dry_run=True)
    assert [p.name for p, _ in dry.sent] == ["Gus Group", "Pia PM"] and mail.outbox == []
    do_set_digest(pias_week["pm"], weekly=False)
    run = send_digests(pias_week["org"])
    assert [p.name for p, _ in run.sent] == ["Gus Group"] and run.turned_off == 1
    assert [m.to for m in mail.outbox] == [["gus@acme.example"]]


def test_the_settings_page_turns_the_digest_off_and_shows_this_week_s(client, pias_week):
    assert sign_in(client, "pia@acme.example", "s3cret-pass!")
    page = client.get(reverse("settings")).content.decode()
    assert "Send me a weekly digest" in page and "1:1 with Gus Group" in page
    r = client.post(reverse("settings"), {})
    assert r.status_code == 302
    assert pias_week["pm"].digest_setting.weekly_digest is False
    client.post(reverse("settings"), {"weekly_digest": "on"})
    pias_week["pm"].digest_setting.refresh_from_db()
    assert pias_week["pm"].digest_setting.weekly_digest is True


def test_the_weekly_task_sends_them(pias_week):
    from leadshift.nudges.tasks import send_weekly_digests

    result = send_weekly_digests.call(pias_week["org"].slug)
    assert result == 2
    assert sorted(m.to[0] for m in mail.outbox) == ["gus@acme.example", "pia@acme.example"]


def test_an_open_pulse_is_listed_whether_or_not_it_was_answered(team):
    # The digest may be kept in the outbox for admins: it must not tell who has answered.
    from leadshift.pulse import services as pulse
    from tests.pulse.conftest import answer, mailed_links

    pulse.do_send_pulse(team["head"], closes_on=timezone.localdate() + dt.timedelta(days=7))
    answer(mailed_links()["pia@acme.example"], 4)
    for who in ("pm", "peer"):
        (section,) = [s for s in digest_for(team[who]).sections if s.key == "pulses"]
        assert [line.text[:37] for line in section.lines] == [
            "A culture pulse from Hana Head is ope"
        ]
