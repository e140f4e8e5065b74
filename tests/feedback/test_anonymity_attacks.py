"""Attacks on the anonymity promise: the subject and their managers try to read one rater."""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
import secrets

import pytest
from django.urls import reverse
from django.utils import timezone

from leadshift.feedback import services
from leadshift.feedback.models import LINK_GRACE, Rater, RaterAnswer, Result
from leadshift.people.services import do_create_api_token
from tests.feedback.conftest import CAPS, answer_all, answers, rater_rows

pytestmark = pytest.mark.django_db

# Two reports rate far from everyone else and write a telling comment: a group of two, so
# nothing of theirs may show anywhere.
SECRET_COMMENT = "only-the-reports-wrote-this"


def level_of(email):
    if email.startswith("report"):
        return 1
    return 4 if email.startswith("gus") else 3


@pytest.fixture
def released(team, open_cycle):
    cycle, tokens = open_cycle(rater_rows(n_peers=3, n_reports=2))
    for email, token in tokens.items():
        rater = services.rater_for_token(token)
        comment = SECRET_COMMENT if email.startswith("report") else f"peer says {email[:5]}"
        services.do_save_answers(
            rater,
            answers(level_of(email), comment if not email.startswith("gus") else ""),
            submit=True,
        )
    services.do_close_and_release(cycle, team["pm"])
    cycle.refresh_from_db()
    return cycle, tokens


def identities(cycle):
    out = []
    for r in Rater.objects.filter(cycle=cycle).exclude(relationship="manager"):
        out += [r.name, r.email]
    return out


def every_page_and_endpoint(cycle):
    return [
        reverse("feedback_index"),
        reverse("feedback_cycle", args=[cycle.id]),
        reverse("feedback_results", args=[cycle.id]),
        reverse("feedback_team"),
        reverse("person_detail", args=[cycle.subject_id]),
        reverse("home"),
        "/api/v1/feedback/cycles",
        f"/api/v1/feedback/cycles/{cycle.id}",
        f"/api/v1/feedback/cycles/{cycle.id}/results",
        "/api/v1/feedback/team",
    ]


def fetch_all(client, person, cycle):
    client.force_login(person.user)
    _, raw = do_create_api_token(person)
    bodies = {}
    for url in every_page_and_endpoint(cycle):
        r = (
            client.get(url, HTTP_AUTHORIZATION=f"Bearer {raw}")
            if "/api/" in url
            else client.get(url)
        )
        if r.status_code == 200:
            bodies[url] = r.content.decode()
    return bodies


@pytest.mark.parametrize("who", ["pm", "group", "head"])
def test_the_subject_and_their_managers_find_no_rater_and_no_small_group_anywhere(
    client, team, released, who
):
    cycle, _ = released
    bodies = fetch_all(client, team[who], cycle)
    assert reverse("feedback_results", args=[cycle.id]) in bodies
    for url, body in bodies.items():
        for identity in identities(cycle):
            assert identity not in body, (url, identity)
        assert SECRET_COMMENT not in body, url
    data = json.loads(bodies[f"/api/v1/feedback/cycles/{cycle.id}/results"])
    assert {g["id"] for g in data["groups"]} == {"manager", "peer"}
    assert data["withheld_raters"] == 2
    for cap in data["capabilities"]:
        assert set(cap["cells"]) == {"manager", "peer"}
        # The reports' 1s are nowhere in the others' view: (4 + 3*3) / 4.
        assert cap["others_view"] == 3.25
        assert all(SECRET_COMMENT not in c for c in cap["comments"])


def test_the_manager_cannot_read_one_peer_or_report_in_any_response(client, team, released):
    cycle, _ = released
    for url, body in fetch_all(client, team["group"], cycle).items():
        for answer in RaterAnswer.objects.filter(rater__cycle=cycle).exclude(
            rater__relationship="manager"
        ):
            assert f"rater #{answer.rater_id}" not in body
        assert '"rater"' not in body and "rater_key" not in body, url


def test_the_results_do_not_move_with_query_filters(client, team, released):
    cycle, _ = released
    auth = {"HTTP_AUTHORIZATION": f"Bearer {do_create_api_token(team['pm'])[1]}"}
    url = f"/api/v1/feedback/cycles/{cycle.id}/results"
    plain = client.get(url, **auth).content
    for query in (
        "?group=report",
        "?relationship=report",
        "?groups=peer,report",
        "?threshold=1",
        "?capability=" + CAPS[0],
    ):
        assert client.get(url + query, **auth).content == plain
    client.force_login(team["pm"].user)
    page = reverse("feedback_results", args=[cycle.id])

    def without_csrf(body: bytes) -> str:
        return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", body.decode())

    assert without_csrf(client.get(page + "?group=report").content) == without_csrf(
        client.get(page).content
    )


def test_differencing_two_cycles_that_differ_by_one_rater_shows_nothing_new(
    team, open_cycle, released
):
    __ = released
    # Same manager and peers, plus one new peer: comparing peer means would give the new one.
    rows = [*rater_rows(n_peers=3), services.RaterIn("New Peer", "newpeer@acme.example", "peer")]
    cycle, tokens = open_cycle(rows)
    answer_all(tokens, lambda e: 5 if e.startswith("newpeer") else level_of(e))
    services.do_close_and_release(cycle, team["pm"])
    data = services.result_data(cycle)
    for cap in data["capabilities"]:
        assert cap["cells"]["peer"]["mean"] is None and cap["cells"]["peer"]["withheld"]
        assert cap["others_view"] == 4  # the manager alone
    # Nor does the model estimate take the new peer's 5 in.
    contributions = Result.objects.get(cycle=cycle).contributions
    assert all(rel == "manager" for _, rel, _, _ in contributions)


def test_differencing_by_a_can_t_say_is_caught_too(team, open_cycle, released):
    # The same four raters; one peer says "can't say" on one capability only.
    cycle, tokens = open_cycle(rater_rows(n_peers=3))
    target = CAPS[2]
    for email, token in tokens.items():
        levels = answers(level_of(email))
        if email == "peer0@acme.example":
            levels[target] = services.AnswerIn(None)
        services.do_save_answers(services.rater_for_token(token), levels, submit=True)
    services.do_close_and_release(cycle, team["pm"])
    caps = {c["id"]: c for c in services.result_data(cycle)["capabilities"]}
    assert caps[target]["cells"]["peer"]["mean"] is None
    assert caps[CAPS[0]]["cells"]["peer"]["mean"] == 3


def test_a_late_answer_after_release_changes_nothing(client, team, released):
    cycle, tokens = released
    before = services.result_data(cycle)
    late_token = tokens["peer1@acme.example"]
    url = reverse("feedback_rate", args=[late_token])
    assert "This feedback round has closed" in client.get(url).content.decode()
    r = client.post(url, {f"level_{c}": "1" for c in CAPS} | {"go": "submit"})
    assert r.status_code == 400
    r = client.put(
        f"/api/v1/feedback/cycles/{cycle.id}/rate/{late_token}",
        {"answers": {c: {"level": 1} for c in CAPS}, "submit": True},
        content_type="application/json",
    )
    assert r.status_code == 400 and "closed" in r.json()["detail"]
    # Even an answer slipped into the database behind the services' back changes nothing.
    rater = Rater.objects.get(cycle=cycle, email="peer1@acme.example")
    RaterAnswer.objects.filter(rater=rater).update(level=1)
    services.release_due(now=timezone.now() + dt.timedelta(days=365))
    assert services.result_data(cycle) == before
    client.force_login(team["pm"].user)
    assert client.get(reverse("feedback_results", args=[cycle.id])).status_code == 200
    assert services.result_data(cycle) == before


def test_a_rater_link_works_only_for_its_own_cycle(client, team, open_cycle, completed_assessment):
    # The same person is a rater for the PM and for the peer.
    mine, my_tokens = open_cycle()
    theirs, _their_tokens = services.do_open_cycle(
        team["peer"],
        team["peer"],
        closes_on=timezone.now() + dt.timedelta(days=7),
        raters=rater_rows(n_peers=3),
    )
    token = my_tokens["peer0@acme.example"]
    r = client.put(
        f"/api/v1/feedback/cycles/{theirs.id}/rate/{token}",
        {"answers": {CAPS[0]: {"level": 5}}},
        content_type="application/json",
    )
    assert r.status_code == 404
    assert client.get(f"/api/v1/feedback/cycles/{theirs.id}/rate/{token}").status_code == 404
    client.post(reverse("feedback_rate", args=[token]), {f"level_{CAPS[0]}": "5", "go": "save"})
    assert RaterAnswer.objects.filter(rater__cycle=mine).count() == 1
    assert not RaterAnswer.objects.filter(rater__cycle=theirs).exists()


def test_a_rater_link_stops_after_the_cycle_and_its_grace(client, team, open_cycle):
    cycle, tokens = open_cycle(days=3)
    token = tokens["peer0@acme.example"]
    after_close = cycle.closes_at + dt.timedelta(hours=1)
    rater = services.rater_for_token(token, now=after_close)
    with pytest.raises(services.Invalid, match="closed"):
        services.do_save_answers(rater, answers(3), now=after_close)
    with pytest.raises(services.NotFound, match="expired"):
        services.rater_for_token(token, now=cycle.closes_at + LINK_GRACE)


@pytest.mark.parametrize(
    "guess",
    [
        "",
        "fb_",
        "fb_" + "A" * 43,
        "ls_" + secrets.token_urlsafe(32),
        "fb_" + secrets.token_urlsafe(32),
        "../admin",
    ],
    ids=["empty", "prefix-only", "well-formed", "other-prefix", "random", "path"],
)
def test_a_guessed_token_opens_nothing_and_says_nothing(client, team, open_cycle, guess):
    open_cycle()
    if not guess or "/" in guess:
        with pytest.raises(services.NotFound):
            services.rater_for_token(guess)
        return
    r = client.get(reverse("feedback_rate", args=[guess]))
    assert r.status_code == 404
    body = r.content.decode()
    assert "not valid" in body and "Pia" not in body and "@acme" not in body


def test_the_subject_holding_a_copied_link_cannot_read_what_the_rater_saved(
    client, team, open_cycle
):
    cycle, tokens = open_cycle()
    token = tokens["peer0@acme.example"]
    rater_browser = client.__class__()
    rater_browser.post(
        reverse("feedback_rate", args=[token]),
        {f"level_{CAPS[0]}": "1", f"comment_{CAPS[0]}": "private draft note", "go": "save"},
    )
    assert (
        "private draft note"
        in rater_browser.get(reverse("feedback_rate", args=[token])).content.decode()
    )
    client.force_login(team["pm"].user)
    page = client.get(reverse("feedback_rate", args=[token])).content.decode()
    assert "private draft note" not in page and "another browser" in page
    r = client.post(reverse("feedback_rate", args=[token]), {f"level_{CAPS[0]}": "5", "go": "save"})
    assert r.status_code == 400
    assert RaterAnswer.objects.get(rater__email="peer0@acme.example", capability=CAPS[0]).level == 1
    # The API never returns saved answers at all.
    api = client.get(f"/api/v1/feedback/cycles/{cycle.id}/rate/{token}").content.decode()
    assert "private draft note" not in api


def test_pages_and_api_of_another_organisation_answer_404(client, team, released, make_org):
    cycle, _ = released
    stranger = make_org("Other")
    for person in (stranger, team["peer"]):
        client.force_login(person.user)
        auth = {"HTTP_AUTHORIZATION": f"Bearer {do_create_api_token(person)[1]}"}
        for url in every_page_and_endpoint(cycle):
            if "cycles/" in url or (url.startswith("/feedback/") and str(cycle.id) in url):
                r = client.get(url, **auth) if "/api/" in url else client.get(url)
                assert r.status_code == 404, (person, url)
        assert client.post(f"/api/v1/feedback/cycles/{cycle.id}/close", **auth).status_code == 404


def test_logs_and_error_messages_never_name_a_rater(client, team, open_cycle, caplog):
    caplog.set_level(logging.DEBUG)
    cycle, tokens = open_cycle(rater_rows(n_peers=3, n_reports=1))
    names = identities(cycle)
    errors = []
    for _email, token in tokens.items():
        rater = services.rater_for_token(token)
        for bad in ({CAPS[0]: services.AnswerIn(9)}, {"nope": services.AnswerIn(1)}):
            try:
                services.do_save_answers(rater, bad)
            except services.Invalid as exc:
                errors.append(exc.message)
        try:
            services.do_save_answers(rater, {CAPS[0]: services.AnswerIn(2)}, submit=True)
        except services.Invalid as exc:
            errors.append(exc.message)
    answer_all(tokens, lambda e: 3)
    services.do_remind(cycle, team["pm"])
    services.do_close_and_release(cycle, team["pm"])
    for token in tokens.values():
        r = client.post(reverse("feedback_rate", args=[token]), {"go": "submit"})
        errors.append(r.content.decode())
        r = client.put(
            f"/api/v1/feedback/cycles/{cycle.id}/rate/{token}",
            {"answers": {}},
            content_type="application/json",
        )
        errors.append(r.content.decode())
    errors.append(client.get(reverse("feedback_rate", args=["fb_guess"])).content.decode())
    text = "\n".join(errors) + "\n".join(r.getMessage() for r in caplog.records)
    text += "\n".join(str(r) for r in Rater.objects.all())
    assert caplog.records, "the flow logs something"
    for identity in names:
        assert identity not in text
    # Nor do they carry the links' tokens (request warnings included): a token is a key.
    for token in tokens.values():
        assert token not in "\n".join(r.getMessage() for r in caplog.records)
