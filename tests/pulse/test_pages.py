"""A pulse as people use it: sent from the page, answered through a link, read as results,
and shown as evidence on the leader's profile and in their readiness report."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from leadshift.people.services import do_create_api_token
from leadshift.pulse import services
from leadshift.pulse.items import ITEMS
from tests.pulse.conftest import answer, mailed_links
from tests.reports.test_reports import read_pdf

pytestmark = pytest.mark.django_db


def closes_on(days=7):
    return (timezone.localdate() + dt.timedelta(days=days)).isoformat()


def test_a_leader_sends_a_pulse_and_each_person_gets_their_own_link(client, culture):
    client.force_login(culture["leader"].user)
    page = client.get(reverse("pulse_index")).content.decode()
    assert "Send the pulse to 10 people" in page
    r = client.post(reverse("pulse_index"), {"cadence": "monthly", "closes_on": closes_on()})
    assert r.status_code == 302
    pulse = culture["leader"].pulses.get()
    links = mailed_links()
    assert len(links) == 10 == len(set(links.values()))
    assert all(len(m.to) == 1 for m in mail.outbox)
    page = client.get(r.url).content.decode()
    assert "10 people asked" in page and "fewer than 3 have answered" in page
    assert f"next due {pulse.next_due_on:%-d %b %Y}" in page
    assert "pl_" not in page  # no link is ever shown to the leader
    again = client.post(reverse("pulse_index"), {"cadence": "monthly", "closes_on": closes_on()})
    assert again.status_code == 400 and "still open" in again.content.decode()


def test_a_leader_with_fewer_people_than_the_threshold_cannot_send(client, culture):
    gamma = culture["people"]["Gamma"][0]
    with pytest.raises(services.Invalid, match="at least 3 people below you"):
        services.do_send_pulse(gamma, closes_on=timezone.localdate() + dt.timedelta(days=3))
    assert not mail.outbox


def test_a_respondent_answers_through_the_link_without_an_account(client, culture):
    services.do_send_pulse(culture["leader"], closes_on=timezone.localdate() + dt.timedelta(days=3))
    token = mailed_links()["beta2@acme.example"]
    url = reverse("pulse_answer", args=[token])
    page = client.get(url).content.decode()
    assert all(i.statement in page for i in ITEMS) and "Lea Leader" in page
    partial = client.post(url, {"score_safety": "4"})
    assert partial.status_code == 400
    assert "answer every statement before you send: Room to experiment" in partial.content.decode()
    full = {f"score_{i.id}": "4" for i in ITEMS} | {"comment": "Good quarter."}
    assert client.post(url, full).status_code == 302
    assert "Thank you" in client.get(url).content.decode()


def test_the_results_show_items_with_intervals_teams_comments_and_the_trend(client, culture):
    pulse = services.do_send_pulse(
        culture["leader"], closes_on=timezone.localdate() + dt.timedelta(days=3)
    )
    for k, token in enumerate(mailed_links().values()):
        answer(token, 2 + k % 3, f"comment {k}" if k < 3 else "")
    client.force_login(culture["leader"].user)
    r = client.post(reverse("pulse_close", args=[pulse.id]))
    page = client.get(r.url).content.decode()
    assert "10 of 10 people answered" in page and "95% interval" in page
    assert all(f"comment {k}" in page for k in range(3))
    assert "Culture pulse over time" in page  # the trend chart
    data = services.result_data(pulse)
    assert {i["id"] for i in data["items"]} == {i.id for i in ITEMS}
    assert all(i["low"] <= i["mean"] <= i["high"] for i in data["items"])


def test_the_trend_is_evidence_on_the_leaders_profile_and_in_the_readiness_report(
    client, culture, tmp_path
):
    leader = culture["leader"]
    pulse = services.do_send_pulse(leader, closes_on=timezone.localdate() + dt.timedelta(days=3))
    for token in mailed_links().values():
        answer(token, 4)
    services.do_close(pulse, leader)
    client.force_login(culture["boss"].user)
    profile = client.get(reverse("person_detail", args=[leader.id])).content.decode()
    assert "Evidence for cultural leadership" in profile and "4.00" in profile
    report = client.get(reverse("report", args=["readiness", leader.id])).content.decode()
    assert "Evidence for cultural leadership" in report
    data = client.get(reverse("report", args=["readiness", leader.id]), {"format": "json"}).json()
    assert data["pulse_trend"][0]["overall"] == 4.0
    text, _ = read_pdf(
        client.get(reverse("report_pdf", args=["readiness", leader.id])).content, tmp_path
    )
    assert "culture pulse" in text.lower()
    # Someone below the leader sees none of it: the leader is not theirs to see.
    client.force_login(culture["people"]["Alpha"][0].user)
    assert client.get(reverse("person_detail", args=[leader.id])).status_code == 404


def test_the_api_sends_answers_and_reads_results(client, culture):
    _, raw = do_create_api_token(culture["leader"])
    auth = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    r = client.post(
        "/api/v1/pulses",
        {"closes_on": closes_on(), "cadence": "monthly"},
        content_type="application/json",
        **auth,
    )
    assert r.status_code == 201, r.content
    pulse_id = r.json()["id"]
    for token in mailed_links().values():
        form = client.get(f"/api/v1/pulse-answers/{token}").json()
        assert len(form["items"]) == len(ITEMS)
        posted = client.post(
            f"/api/v1/pulse-answers/{token}",
            {"scores": {i.id: 3 for i in ITEMS}},
            content_type="application/json",
        )
        assert posted.status_code == 201
    assert client.get(f"/api/v1/pulses/{pulse_id}/results", **auth).status_code == 404
    assert client.post(f"/api/v1/pulses/{pulse_id}/close", **auth).status_code == 200
    results = client.get(f"/api/v1/pulses/{pulse_id}/results", **auth).json()
    assert results["answered"] == 10 and results["overall"] == 3.0
