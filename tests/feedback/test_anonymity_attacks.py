"""Attacks on the anonymity promise: the subject and their managers try to read one rater."""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
import secrets

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from leadshift.feedback import services
from leadshift.feedback.delivery import HIDE_FROM_HEADER
from leadshift.feedback.models import LINK_GRACE, Rater, RaterAnswer, Result
from leadshift.outbox.headers import parse_ids
from leadshift.people.services import do_create_api_token
from tests.feedback.conftest import CAPS, answer_all, answers, mailed_link, rater_rows

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
    # Two reports: how many answered is told nowhere, not even as the withheld count.
    assert data["withheld_raters"] is None and "report" not in data["answered"]
    assert data["invited"] == {"manager": 1, "peer": 3, "others": 2}
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
    theirs = services.do_open_cycle(
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


# --- the rater's link is the rater's alone ---------------------------------------------------

# The subject, a manager who opens the cycle, the subject's manager, and an admin in the line.
SIDES = ["pm", "head", "group", "admin_in_line"]


def side(team, who):
    if who == "admin_in_line":
        team["head"].is_admin = True
        team["head"].save(update_fields=["is_admin"])
        return team["head"]
    return team[who]


def no_link_in(text, where):
    assert "fb_" not in text and "/r/" not in text, where


def as_side(client, person):
    client.force_login(person.user)
    return {"HTTP_AUTHORIZATION": f"Bearer {do_create_api_token(person)[1]}"}


@pytest.mark.parametrize("who", SIDES)
def test_no_response_to_the_subject_s_side_carries_a_rater_s_link(client, team, who, caplog):
    """The original attack: the owner took every rater's link from the opening response and
    answered two peers' forms. Now no response, page, mail or log line they see has one."""
    caplog.set_level(logging.DEBUG)
    actor = side(team, who)
    if who == "group":
        actor = team["group"]
    opener = team["pm"] if who in ("pm",) else actor
    auth = as_side(client, opener)
    payload = {
        "person_id": team["pm"].id,
        "closes_on": (timezone.localdate() + dt.timedelta(days=10)).isoformat(),
        "raters": [
            {"name": r.name, "email": r.email, "relationship": r.relationship}
            for r in rater_rows(n_peers=3)
        ],
    }
    bodies = {}
    r = client.post("/api/v1/feedback/cycles", payload, content_type="application/json", **auth)
    assert r.status_code == 201, r.content
    bodies["open (API)"] = r.content.decode()
    cycle_id = r.json()["id"]
    more = {"raters": [{"name": "Late Peer", "email": "late@else.example", "relationship": "peer"}]}
    for url, body in [
        (f"/api/v1/feedback/cycles/{cycle_id}/raters", more),
        (f"/api/v1/feedback/cycles/{cycle_id}/raters/resend", {"email": "peer0@acme.example"}),
        (f"/api/v1/feedback/cycles/{cycle_id}/remind", None),
    ]:
        r = client.post(url, body or {}, content_type="application/json", **auth)
        assert r.status_code == 200, (url, r.content)
        bodies[url] = r.content.decode()
    page_form = {
        "person": team["pm"].id,
        "closes_on": (timezone.localdate() + dt.timedelta(days=10)).isoformat(),
        "name_1": "Some Peer",
        "email_1": "some@else.example",
    }
    for url in [
        reverse("feedback_cycle", args=[cycle_id]),
        reverse("feedback_index"),
        reverse("home"),
        reverse("feedback_asked"),
        "/api/v1/feedback/cycles",
        f"/api/v1/feedback/cycles/{cycle_id}",
        "/api/v1/feedback/asked",
    ]:
        r = client.get(url, **auth) if "/api/" in url else client.get(url)
        bodies[url] = r.content.decode()
    r = client.post(reverse("feedback_add_raters", args=[cycle_id]), page_form, follow=True)
    bodies["add raters (page)"] = r.content.decode()
    r = client.post(
        reverse("feedback_resend", args=[cycle_id]), {"email": "peer1@acme.example"}, follow=True
    )
    bodies["resend (page)"] = r.content.decode()
    assert "A fresh invitation went to peer1@acme.example alone" in bodies["resend (page)"]
    for where, text in bodies.items():
        no_link_in(text, where)
    for record in caplog.records:
        no_link_in(record.getMessage(), "log")
    # The mail did carry links, to the raters alone, each hidden from the subject's side.
    hidden = {p.id for p in (team["pm"], team["group"], team["head"])}
    for message in mail.outbox:
        assert len(message.to) == 1
        if message.to == [team["group"].email]:
            # The manager's own notice, as the manager: no link in it.
            assert "/r/fb_" not in message.body
        else:
            assert hidden <= set(parse_ids(message.extra_headers[HIDE_FROM_HEADER]))
    assert any("/r/fb_" in m.body for m in mail.outbox)


@pytest.mark.parametrize(
    "opener, rater, relationship",
    [
        ("pm", "group", "peer"),  # the subject's manager hidden among the peers
        ("pm", "head", "stakeholder"),  # a manager above them as a stakeholder
        ("head", "head", "peer"),  # whoever opens the cycle, among the raters
        ("group", "head", "report"),
    ],
)
def test_the_subject_s_side_cannot_hide_among_the_anonymous_raters(
    team, completed_assessment, opener, rater, relationship
):
    person = team[rater]
    rows = [
        services.RaterIn(person.name, person.email.upper(), relationship),
        *rater_rows(n_peers=3, manager=False),
    ]
    with pytest.raises(services.Invalid, match="management line or opens this cycle"):
        services.do_open_cycle(
            team["pm"],
            team[opener],
            closes_on=timezone.localdate() + dt.timedelta(days=7),
            raters=rows,
        )
    assert not Rater.objects.exists() and not mail.outbox
    # Nor added later to an open cycle.
    cycle = services.do_open_cycle(
        team["pm"],
        team[opener],
        closes_on=timezone.localdate() + dt.timedelta(days=7),
        raters=rater_rows(n_peers=3, manager=False),
    )
    with pytest.raises(services.Invalid, match="management line"):
        services.do_add_raters(cycle, team[opener], rows[:1])


def test_a_rater_who_joins_the_subject_s_line_before_release_no_longer_counts(team, open_cycle):
    # Pete answers as a peer; before the cycle closes he becomes Pia's manager, so her side
    # now knows one of three peer answers: the other two must not be solvable.
    rows = [
        services.RaterIn("Pete Peer", "pete@acme.example", "peer"),
        *rater_rows(n_peers=2, manager=False),
    ]
    cycle, tokens = open_cycle(rows)
    answer_all(tokens, lambda e: 1 if e.startswith("pete") else 4, comment="note")
    pm = team["pm"]
    pm.manager = team["peer"]
    pm.save(update_fields=["manager"])
    services.do_close_and_release(cycle, team["peer"])
    data = services.result_data(cycle)
    assert data["groups"] == [] and data["withheld_raters"] == 3
    for cap in data["capabilities"]:
        assert cap["cells"] == {} and cap["comments"] == []


def test_polling_a_link_never_tells_who_has_answered(client, team, open_cycle):
    cycle, tokens = open_cycle(rater_rows(n_peers=3, n_stakeholders=1))
    stake = tokens["stake0@acme.example"]
    url = f"/api/v1/feedback/cycles/{cycle.id}/rate/{stake}"
    before = client.get(url).json()
    r = client.put(
        url,
        {"answers": {c: {"level": 3} for c in CAPS}, "submit": True},
        content_type="application/json",
    )
    key = r.json()["rater_key"]
    # A copy of the link, polled: the same answer before and after the rater sent.
    after = client.get(url).json()
    assert before == after and after["submitted"] is None
    assert client.get(url, HTTP_X_RATER_KEY="guess").json()["submitted"] is None
    assert client.get(url, HTTP_X_RATER_KEY=key).json()["submitted"] is True
    # The lone stakeholder is counted with no group of their own, and not counted at all.
    for who in ("pm", "group"):
        auth = as_side(client, team[who])
        counts = client.get(f"/api/v1/feedback/cycles/{cycle.id}", **auth).json()["counts"]
        assert {c["relationship"] for c in counts} == {"manager", "peer", "others"}
        others = next(c for c in counts if c["relationship"] == "others")
        assert others == {
            "relationship": "others",
            "label": "Others",
            "invited": 1,
            "answered": None,
        }
        page = client.get(reverse("feedback_cycle", args=[cycle.id])).content.decode()
        assert '<th scope="row">Stakeholder' not in page
        assert "not counted: fewer than 3" in page


def test_a_copied_link_cannot_lock_the_real_rater_out(client, team, open_cycle):
    _, tokens = open_cycle()
    copied = tokens["peer0@acme.example"]
    url = reverse("feedback_rate", args=[copied])
    # Someone holding a copy answers first, and sends.
    attacker = client.__class__()
    form = {f"level_{c}": "1" for c in CAPS} | {f"comment_{CAPS[0]}": "KNOWN", "go": "submit"}
    assert attacker.post(url, form).status_code == 302
    assert Rater.objects.get(email="peer0@acme.example").submitted_at is not None
    # The real rater is told, and asks for a fresh link: it reaches their address alone.
    rater_browser = client.__class__()
    page = rater_browser.get(url).content.decode()
    assert "saved from another browser" in page
    mail.outbox.clear()
    r = rater_browser.post(url, {"go": "fresh_link"})
    assert "on its way to your e-mail" in r.content.decode()
    (message,) = mail.outbox
    assert message.to == ["peer0@acme.example"]
    fresh = mailed_link("peer0@acme.example")
    # The copy opens nothing now, and what was sent from it no longer counts.
    assert attacker.get(url).status_code == 404
    rater = Rater.objects.get(email="peer0@acme.example")
    assert rater.submitted_at is None
    # The rater sees the draft left from the copy, replaces it and sends their own.
    fresh_url = reverse("feedback_rate", args=[fresh])
    assert "KNOWN" in rater_browser.get(fresh_url).content.decode()
    own = {f"level_{c}": "4" for c in CAPS} | {f"comment_{CAPS[0]}": "", "go": "submit"}
    assert rater_browser.post(fresh_url, own).status_code == 302
    assert {a.level for a in RaterAnswer.objects.filter(rater=rater)} == {4}
    assert not RaterAnswer.objects.filter(rater=rater, comment="KNOWN").exists()
    assert attacker.post(fresh_url, form).status_code == 400


def test_a_colleague_opens_their_form_from_home_whoever_saved_from_a_copy(client, team, open_cycle):
    cycle, tokens = open_cycle()
    gus = team["group"]
    # Gus's form waits on his home page; nobody else's home shows it.
    client.force_login(team["pm"].user)
    assert "Feedback asked of you" not in client.get(reverse("home")).content.decode()
    client.force_login(gus.user)
    home = client.get(reverse("home")).content.decode()
    assert "Feedback asked of you (1)" in home and "Pia PM" in home
    rater = Rater.objects.get(cycle=cycle, email="gus@acme.example")
    # Pia cannot open Gus's form by its number.
    client.force_login(team["pm"].user)
    assert client.post(reverse("feedback_open_form", args=[rater.id])).status_code == 404
    # A browser holding an older link of Gus's saves first ...
    copy = client.__class__()
    copy.post(
        reverse("feedback_rate", args=[tokens["gus@acme.example"]]),
        {f"level_{CAPS[0]}": "1", "go": "save"},
    )
    # ... and Gus, signed in, still opens his form; the older link stops.
    client.force_login(gus.user)
    r = client.post(reverse("feedback_open_form", args=[rater.id]))
    assert r.status_code == 302 and r.url.startswith("/r/fb_")
    page = client.get(r.url).content.decode()
    assert "Feedback for Pia PM" in page and "another browser" not in page
    form = {f"level_{c}": "4" for c in CAPS} | {"go": "submit"}
    assert client.post(r.url, form).status_code == 302
    assert copy.get(reverse("feedback_rate", args=[tokens["gus@acme.example"]])).status_code == 404
    rater.refresh_from_db()
    assert rater.submitted_at is not None


def test_no_secret_link_or_rater_address_reaches_the_log_or_the_console(
    team, completed_assessment, settings, capsys, caplog
):
    settings.EMAIL_BACKEND = "leadshift.core.consolemail.EmailBackend"
    caplog.set_level(logging.DEBUG)
    cycle = services.do_open_cycle(
        team["pm"],
        team["pm"],
        closes_on=timezone.localdate() + dt.timedelta(days=7),
        raters=rater_rows(n_peers=3),
    )
    services.do_remind(cycle, team["pm"])
    services.do_add_raters(
        cycle, team["pm"], [services.RaterIn("Late Peer", "late@else.example", "peer")]
    )
    services.do_resend_invitation(cycle, team["pm"], "late@else.example")
    # A request line for a rater's link, as the development server logs it.
    logging.getLogger("django.server").info('"GET /r/%s/ HTTP/1.1" 200 512', "fb_" + "x" * 43)
    printed = capsys.readouterr()
    text = printed.out + printed.err + "\n".join(r.getMessage() for r in caplog.records)
    assert "E-mail not delivered" in text and "Pia PM asks for your feedback" in text
    assert "fb_x" not in text and not re.search(r"fb_[\w-]{20}", text), text
    for r in Rater.objects.filter(cycle=cycle):
        assert r.email not in text and r.name not in text


def test_an_owner_adds_raters_and_resends_without_learning_who_answered(client, team, open_cycle):
    cycle, tokens = open_cycle(rater_rows(n_peers=3))
    answer_all({"peer0@acme.example": tokens["peer0@acme.example"]}, lambda e: 3)
    auth = as_side(client, team["pm"])
    url = f"/api/v1/feedback/cycles/{cycle.id}/raters"
    new = [
        {"name": f"Extra {i}", "email": f"extra{i}@else.example", "relationship": "peer"}
        for i in range(9)
    ]
    r = client.post(url, {"raters": new}, content_type="application/json", **auth)
    assert r.status_code == 200, r.content
    peers = next(c for c in r.json()["counts"] if c["relationship"] == "peer")
    assert peers["invited"] == 12  # any number per group
    assert all(mailed_link(f"extra{i}@else.example") for i in range(9))
    twice = client.post(url, {"raters": new[:1]}, content_type="application/json", **auth)
    assert twice.status_code == 400 and "invited twice" in twice.json()["detail"]
    manager = [{"name": "Another", "email": "boss@else.example", "relationship": "manager"}]
    r = client.post(url, {"raters": manager}, content_type="application/json", **auth)
    assert r.status_code == 400 and "one manager" in r.json()["detail"]
    # Resending to one who answered and to one who did not looks the same to the owner.
    resend = f"/api/v1/feedback/cycles/{cycle.id}/raters/resend"
    answers_ = [
        client.post(resend, {"email": e}, content_type="application/json", **auth)
        for e in ("peer0@acme.example", "peer1@acme.example")
    ]
    assert [a.json() for a in answers_] == [{"resent": True}] * 2
    with pytest.raises(services.NotFound):
        services.rater_for_token(tokens["peer1@acme.example"])
    fresh = mailed_link("peer1@acme.example")
    assert fresh != tokens["peer1@acme.example"]
    assert services.rater_for_token(fresh).email == "peer1@acme.example"
    r = client.post(
        resend, {"email": "nobody@else.example"}, content_type="application/json", **auth
    )
    assert r.status_code == 400 and "not invited" in r.json()["detail"]
