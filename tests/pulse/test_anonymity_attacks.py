"""Attacks on the pulse's anonymity: the leader, their manager and an admin try to read one
respondent, a small team, or the difference between two pulses."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from leadshift.outbox.headers import HIDE_HEADER, parse_ids
from leadshift.outbox.services import do_store_messages, readable
from leadshift.people.services import do_create_api_token
from leadshift.pulse import services
from leadshift.pulse.models import Respondent, Response, Result
from tests.pulse.conftest import answer, mailed_links, scores

pytestmark = pytest.mark.django_db

SECRET = "only-gamma-wrote-this"


def send(culture, days=7):
    return services.do_send_pulse(
        culture["leader"], closes_on=timezone.localdate() + dt.timedelta(days=days)
    )


@pytest.fixture
def released(culture):
    """Everyone answers: Alpha and Beta 4, Gamma (a team of two) 1 with a telling comment."""
    pulse = send(culture)
    for email, token in mailed_links().items():
        if email.startswith("gamma"):
            answer(token, 1, SECRET if email.startswith("gamma0") else "")
        else:
            answer(token, 4)
    services.do_close(pulse, culture["leader"])
    pulse.refresh_from_db()
    return pulse


def identities(culture):
    return [p.name for team in culture["people"].values() for p in team] + [
        p.email for team in culture["people"].values() for p in team
    ]


def pages_and_endpoints(pulse):
    return [
        reverse("pulse_index"),
        reverse("pulse_detail", args=[pulse.id]),
        reverse("person_detail", args=[pulse.leader_id]),
        "/api/v1/pulses",
        f"/api/v1/pulses/{pulse.id}",
        f"/api/v1/pulses/{pulse.id}/results",
        f"/api/v1/people/{pulse.leader_id}/pulse-trend",
    ]


def fetch_all(client, person, pulse):
    client.force_login(person.user)
    _, raw = do_create_api_token(person)
    bodies = {}
    for url in pages_and_endpoints(pulse):
        if "/api/" in url:
            r = client.get(url, HTTP_AUTHORIZATION=f"Bearer {raw}")
        else:
            r = client.get(url)
        bodies[url] = (r.status_code, r.content.decode())
    return bodies


@pytest.mark.parametrize("who", ["leader", "boss", "admin"])
def test_no_respondent_small_team_or_its_comment_shows_anywhere(client, culture, released, who):
    bodies = fetch_all(client, culture[who], released)
    for url, (_, body) in bodies.items():
        for identity in identities(culture):
            assert identity not in body, (who, url, identity)
        assert "Gamma" not in body, (who, url)
    if who == "admin":
        # The admin is not above the leader: the pulse does not exist for them.
        assert bodies[reverse("pulse_detail", args=[released.id])][0] == 404
        assert bodies[f"/api/v1/pulses/{released.id}/results"][0] == 404
        assert json.loads(bodies["/api/v1/pulses"][1]) == []
        return
    status, body = bodies[f"/api/v1/pulses/{released.id}/results"]
    assert status == 200
    data = json.loads(body)
    # Alpha and Beta both pass the threshold, but showing both would give Gamma as the rest.
    assert len(data["teams"]) == 1 and data["teams"][0]["team"] in {"Alpha", "Beta"}
    assert data["answered"] == 10
    assert SECRET in data["comments"]  # a comment is shown, never its team or its writer
    assert "team" not in json.dumps(data["comments"])


def test_an_answer_is_kept_without_its_respondent(culture, released):
    fields = {f.name for f in Response._meta.get_fields()}
    assert fields == {"id", "pulse", "team_name", "scores", "comment"}
    # The link's token is kept only as its hash.
    tokens = mailed_links().values()
    hashes = set(Respondent.objects.values_list("token_hash", flat=True))
    assert not hashes & set(tokens) and len(hashes) == 10


def test_nothing_in_the_tables_lines_an_answer_up_with_its_respondent(culture, released):
    # No time of answering on the respondent, and no order of arrival in the answers' ids.
    respondent_fields = {f.name for f in Respondent._meta.get_fields()}
    assert not {n for n in respondent_fields if n.endswith(("_at", "_on"))} - {"invited_at"}
    assert Response._meta.pk.get_internal_type() == "UUIDField"
    assert Respondent.objects.filter(answered=True).count() == Response.objects.count()


def test_below_the_threshold_the_page_the_api_and_the_data_refuse_and_reveal_nothing(
    client, culture
):
    pulse = send(culture)
    links = mailed_links()
    answer(links["alpha0@acme.example"], 5, "a lonely comment")
    answer(links["beta0@acme.example"], 1)
    services.do_close(pulse, culture["leader"])
    client.force_login(culture["leader"].user)
    page = client.get(reverse("pulse_detail", args=[pulse.id])).content.decode()
    refusal = services.withheld_message(3)
    assert refusal in page
    assert "a lonely comment" not in page and "2 of" not in page
    _, raw = do_create_api_token(culture["boss"])
    r = client.get(f"/api/v1/pulses/{pulse.id}/results", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert r.status_code == 403 and r.json()["detail"] == refusal
    stored = Result.objects.get(pulse=pulse).data
    assert set(stored) == {"opened_at", "closed_at", "threshold", "asked", "shown"}
    assert services.trend(culture["leader"])[0]["overall"] is None


def test_while_open_fewer_than_the_threshold_answered_is_all_anyone_is_told(client, culture):
    pulse = send(culture)
    links = mailed_links()
    answer(links["alpha0@acme.example"], 5)
    assert services.answer_count(pulse)["answered"] is None
    client.force_login(culture["leader"].user)
    page = client.get(reverse("pulse_detail", args=[pulse.id])).content.decode()
    assert "fewer than 3 have answered" in page


def test_differencing_two_pulses_that_differ_by_one_person_shows_nothing(culture, released):
    second = send(culture)
    for email, token in mailed_links().items():
        if email != "alpha3@acme.example":
            answer(token, 2)
    services.do_close(second, culture["leader"])
    with pytest.raises(services.Withheld):
        services.result_data(second)
    trend = services.trend(culture["leader"])
    assert [r["shown"] for r in trend] == [True, False]


def test_differencing_a_team_against_its_earlier_self_withholds_only_that_team(culture):
    first = send(culture)
    links = mailed_links()
    # Alpha 3, Beta 4, Gamma none: both teams shown (the rest is empty).
    for email, token in links.items():
        if email.startswith("beta") or email in {f"alpha{i}@acme.example" for i in range(3)}:
            answer(token, 3)
    services.do_close(first, culture["leader"])
    assert {t["team"] for t in services.result_data(first)["teams"]} == {"Alpha", "Beta"}
    mail.outbox.clear()
    second = send(culture)
    # Everyone now: Alpha has one more than before, so Alpha beside its earlier self would
    # give that one's answers.
    for token in mailed_links().values():
        answer(token, 4)
    services.do_close(second, culture["leader"])
    data = services.result_data(second)
    assert {t["team"] for t in data["teams"]} == {"Beta"}


def test_the_results_do_not_move_with_query_filters(client, culture, released):
    _, raw = do_create_api_token(culture["leader"])
    auth = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    url = f"/api/v1/pulses/{released.id}/results"
    plain = client.get(url, **auth).content
    for query in ("?team=Gamma", "?threshold=1", "?teams=Alpha,Beta", "?min=1"):
        assert client.get(url + query, **auth).content == plain
    client.force_login(culture["leader"].user)
    page = reverse("pulse_detail", args=[released.id])

    def without_csrf(body: bytes) -> str:
        return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", body.decode())

    assert without_csrf(client.get(page + "?team=Gamma").content) == without_csrf(
        client.get(page).content
    )


def test_the_links_are_kept_in_the_outbox_from_everyone_above_the_respondent(culture):
    send(culture)
    gamma = culture["people"]["Gamma"][0]
    message = next(m for m in mail.outbox if m.to == [gamma.email])
    assert parse_ids(message.extra_headers[HIDE_HEADER]) == [gamma.id]
    do_store_messages(mail.outbox)
    links_for = {
        who: sum(1 for m in readable(culture[who]) if "/pulse/a/pl_" in m.body_text)
        for who in ("leader", "boss", "admin")
    }
    assert links_for == {"leader": 0, "boss": 0, "admin": 10}


def test_a_late_answer_after_release_changes_nothing(client, culture, released):
    before = services.result_data(released)
    token = mailed_links()["alpha0@acme.example"]
    url = reverse("pulse_answer", args=[token])
    page = client.get(url).content.decode()
    assert "Thank you" in page and "Send my answers" not in page
    r = client.post(
        f"/api/v1/pulse-answers/{token}",
        {"scores": scores(1)},
        content_type="application/json",
    )
    assert r.status_code == 400
    Response.objects.filter(pulse=released).update(scores=scores(1))
    services.release_due(now=timezone.now() + dt.timedelta(days=365))
    assert services.result_data(released) == before


def test_one_answer_per_link_and_a_wrong_link_names_no_one(client, culture):
    send(culture)
    token = mailed_links()["beta1@acme.example"]
    answer(token, 4)
    with pytest.raises(services.Invalid):
        answer(token, 1)
    r = client.get(reverse("pulse_answer", args=["pl_not-a-real-token"]))
    assert r.status_code == 404 and "Beta" not in r.content.decode()


def test_a_released_pulse_is_evidence_of_measuring_the_culture_and_names_no_one(culture, released):
    from leadshift.behaviours.evidence import QUERIES, Period

    today = timezone.localdate()
    found = QUERIES["culture_pulse"](
        culture["leader"], Period(today - dt.timedelta(days=365), today + dt.timedelta(days=60))
    )
    assert [r.url for r in found.records] == [reverse("pulse_detail", args=[released.pk])]
    assert "@" not in found.records[0].label
