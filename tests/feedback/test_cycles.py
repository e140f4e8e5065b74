"""Opening a cycle, inviting, answering, reminding, extending, releasing: pages, API, mail."""

from __future__ import annotations

import datetime as dt
import hashlib
import re

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from leadshift.core.errors import Invalid
from leadshift.feedback import services
from leadshift.feedback.delivery import HIDE_FROM_HEADER
from leadshift.feedback.models import Cycle, ImmutableError, Rater, RaterAnswer, Result
from leadshift.people.services import do_create_api_token
from tests.feedback.conftest import CAPS, answer_all, answers, mailed_link, rater_rows, up_to

pytestmark = pytest.mark.django_db


def bearer(person):
    _, raw = do_create_api_token(person)
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def test_opening_a_cycle_e_mails_each_outsider_a_link_and_keeps_only_its_hash(team, open_cycle):
    cycle, tokens = open_cycle()
    assert len(mail.outbox) == 4
    hidden = {team["pm"].id, team["group"].id, team["head"].id}
    for message in mail.outbox:
        (email,) = message.to
        assert "Pia PM" in message.subject
        hide = {int(i) for i in message.extra_headers[HIDE_FROM_HEADER].split(",")}
        assert hide == (hidden - {team["group"].id} if email == "gus@acme.example" else hidden)
        if email == "gus@acme.example":
            # A colleague's invitation carries no link: the form waits in their home.
            assert "/r/fb_" not in message.body and "/feedback/asked/" in message.body
        else:
            assert tokens[email] in message.body
    for rater in cycle.raters.all():
        token = tokens[rater.email]
        assert rater.token_hash == hashlib.sha256(token.encode()).hexdigest()
        assert token not in {getattr(rater, f.attname) for f in Rater._meta.fields}
    assert len(set(tokens.values())) == 4 and all(len(t) > 40 for t in tokens.values())


def test_the_cycle_uses_the_framework_of_the_self_assessment(
    team, open_cycle, completed_assessment
):
    cycle, _ = open_cycle()
    assert cycle.framework_id == completed_assessment.framework_id
    assert cycle.assessment_id == completed_assessment.id


@pytest.mark.parametrize(
    "raters, message",
    [
        ([], "at least one rater"),
        ([services.RaterIn("A", "not-an-email", "peer")], "not an e-mail"),
        ([services.RaterIn("A", "a@x.example", "boss")], "choose manager"),
        ([services.RaterIn("Me", "pia@acme.example", "peer")], "self-assessment"),
        (
            [
                services.RaterIn("A", "a@x.example", "peer"),
                services.RaterIn("B", "A@x.example", "peer"),
            ],
            "twice",
        ),
        (
            [
                services.RaterIn("A", "a@x.example", "manager"),
                services.RaterIn("B", "b@x.example", "manager"),
            ],
            "one manager",
        ),
    ],
)
def test_bad_rater_lists_are_refused_with_a_message(team, completed_assessment, raters, message):
    with pytest.raises(Invalid, match=message):
        services.do_open_cycle(
            team["pm"],
            team["pm"],
            closes_on=timezone.localdate() + dt.timedelta(days=7),
            raters=raters,
        )
    assert not Cycle.objects.exists() and not mail.outbox


def test_a_closing_date_in_the_past_or_too_far_is_refused(team, open_cycle):
    with pytest.raises(Invalid, match="future"):
        open_cycle(days=-1)
    with pytest.raises(Invalid, match="at most"):
        open_cycle(days=400)


def test_a_peer_or_another_organisation_cannot_open_a_cycle_for_someone(
    team, make_org, completed_assessment
):
    stranger = make_org("Other")
    for actor in (team["peer"], stranger):
        with pytest.raises(services.NotFound):
            services.do_open_cycle(
                team["pm"],
                actor,
                closes_on=timezone.localdate() + dt.timedelta(days=7),
                raters=rater_rows(),
            )


def test_the_manager_may_open_a_cycle_for_their_report(team, completed_assessment):
    cycle = services.do_open_cycle(
        team["pm"],
        team["head"],
        closes_on=timezone.localdate() + dt.timedelta(days=7),
        raters=rater_rows(),
    )
    assert cycle.subject == team["pm"] and cycle.opened_by == team["head"]


def test_a_rater_saves_comes_back_and_sends_in_the_browser(client, team, open_cycle):
    cycle, tokens = open_cycle()
    url = reverse("feedback_rate", args=[tokens["peer0@acme.example"]])
    page = client.get(url)
    assert page.status_code == 200 and "Feedback for Pia PM" in page.content.decode()
    first = CAPS[0]
    seen = {f"behaviour_{first}": up_to(first, 4)}
    r = client.post(url, seen | {f"comment_{first}": "Sets a clear direction", "go": "save"})
    assert r.status_code == 302
    again = client.get(url).content.decode()
    assert "Sets a clear direction" in again
    assert re.search(rf'value="{first}\.4\.1"\s+checked', again)
    # Sending with answers missing says which.
    r = client.post(url, seen | {"go": "submit"})
    assert r.status_code == 400 and "answer every capability" in r.content.decode()
    form = {f"behaviour_{c}": up_to(c, 3) for c in CAPS if c != CAPS[1]}
    form |= {f"level_{CAPS[1]}": "cant_say", "go": "submit"}
    assert client.post(url, form).status_code == 302
    rater = Rater.objects.get(email="peer0@acme.example")
    assert rater.submitted_at is not None
    assert RaterAnswer.objects.get(rater=rater, capability=CAPS[1]).level is None
    assert services.answer_counts(cycle)[1] == {
        "relationship": "peer",
        "label": "Peer",
        "invited": 3,
        "answered": 1,
    }


def test_a_level_outside_the_framework_is_refused(team, open_cycle):
    _, tokens = open_cycle()
    rater = services.rater_for_token(tokens["peer0@acme.example"])
    with pytest.raises(Invalid, match="choose a level from 1 to 5"):
        services.do_save_answers(rater, {CAPS[0]: services.AnswerIn(9)})
    with pytest.raises(Invalid, match="unknown capability"):
        services.do_save_answers(rater, {"charisma": services.AnswerIn(3)})


def test_the_subject_sees_counts_reminds_and_extends(client, team, open_cycle):
    cycle, tokens = open_cycle()
    answer_all({"peer0@acme.example": tokens["peer0@acme.example"]}, lambda e: 3)
    client.force_login(team["pm"].user)
    page = client.get(reverse("feedback_cycle", args=[cycle.id])).content.decode()
    assert "Who has answered" in page and "Peer" in page
    mail.outbox.clear()
    client.post(reverse("feedback_remind", args=[cycle.id]))
    assert sorted(m.to[0] for m in mail.outbox) == [
        "gus@acme.example",
        "peer1@acme.example",
        "peer2@acme.example",
    ]
    # The reminded raters' old links stop; the new one in the mail works.
    with pytest.raises(services.NotFound):
        services.rater_for_token(tokens["peer1@acme.example"])
    fresh = re.search(
        r"/r/(\S+)/", next(m for m in mail.outbox if m.to == ["peer1@acme.example"]).body
    )[1]
    assert services.rater_for_token(fresh).email == "peer1@acme.example"
    new_close = (cycle.closes_at + dt.timedelta(days=7)).date()
    r = client.post(
        reverse("feedback_extend", args=[cycle.id]), {"closes_on": new_close.isoformat()}
    )
    assert r.status_code == 302
    cycle.refresh_from_db()
    assert cycle.closes_at.date() == new_close
    r = client.post(
        reverse("feedback_extend", args=[cycle.id]), {"closes_on": "2001-01-01"}, follow=True
    )
    assert "choose a date after the current close" in r.content.decode()


def test_opening_in_the_browser_shows_no_link_and_keeps_what_was_typed(
    client, team, completed_assessment
):
    client.force_login(team["pm"].user)
    close = (timezone.localdate() + dt.timedelta(days=10)).isoformat()
    form = {
        "person": team["pm"].id,
        "closes_on": close,
        "name_1": "Gus",
        "email_1": "gus@acme.example",
        "relationship_1": "manager",
        "name_2": "Typed Name",
        "email_2": "broken",
        "relationship_2": "peer",
    }
    r = client.post(reverse("feedback_new"), form)
    assert r.status_code == 400
    body = r.content.decode()
    assert "rater 2: broken is not an e-mail address" in body and 'value="Typed Name"' in body
    form["email_2"] = "typed@acme.example"
    r = client.post(reverse("feedback_new"), form, follow=True)
    assert r.status_code == 200
    body = r.content.decode()
    assert "Invitations sent: 1 by e-mail" in body and "1 in their own LeadShift home" in body
    assert "/r/fb_" not in body and len(mail.outbox) == 2
    assert mailed_link("typed@acme.example") and not mailed_link("gus@acme.example")


def test_closing_releases_frozen_results_that_nothing_changes(team, open_cycle):
    cycle, tokens = open_cycle(rater_rows(n_peers=3))
    answer_all(tokens, lambda e: 2 if e.startswith("peer") else 4, comment="Note")
    services.do_close_and_release(cycle, team["pm"])
    result = Result.objects.get(cycle=cycle)
    data = services.result_data(cycle)
    vision = data["capabilities"][0]
    assert vision["cells"]["manager"]["mean"] == 4 and vision["cells"]["peer"] == {
        "mean": 2,
        "n": 3,
        "withheld": False,
    }
    assert vision["self"] == 2 and vision["estimate"] is not None
    result.data = {"tampered": True}
    with pytest.raises(ImmutableError):
        result.save()
    with pytest.raises(ImmutableError):
        result.delete()
    with pytest.raises(Invalid, match="already released"):
        services.do_close_and_release(cycle, team["pm"])


def test_a_cycle_past_its_date_is_released_when_next_looked_at(client, team, open_cycle):
    past = timezone.now() - dt.timedelta(days=20)
    cycle, tokens = open_cycle(now=past, days=5)
    for _email, token in tokens.items():
        rater = services.rater_for_token(token, now=past)
        services.do_save_answers(rater, answers(3), submit=True, now=past + dt.timedelta(days=1))
    client.force_login(team["pm"].user)
    r = client.get(reverse("feedback_results", args=[cycle.id]))
    assert r.status_code == 200 and "Blind spots" in r.content.decode()


def test_only_one_cycle_per_person_is_open_at_a_time(team, open_cycle):
    open_cycle()
    with pytest.raises(Invalid, match="already has an open"):
        open_cycle()


def test_the_organisation_threshold_is_never_below_three(team):
    org = team["org"]
    assert org.anonymity_threshold == 3
    org.anonymity_threshold = 2
    with pytest.raises(ValidationError):
        org.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        org.save()


def test_a_raised_threshold_applies_to_results(team, open_cycle):
    team["org"].anonymity_threshold = 4
    team["org"].save()
    cycle, tokens = open_cycle(rater_rows(n_peers=3))
    answer_all(tokens, lambda e: 3)
    services.do_close_and_release(cycle, team["pm"])
    data = services.result_data(cycle)
    assert [g["id"] for g in data["groups"]] == ["manager"] and data["withheld_raters"] is None
    assert data["answered"] == {"manager": 1} and data["invited"] == {"manager": 1, "others": 3}


def test_the_api_walks_a_whole_cycle(client, team, completed_assessment):
    auth = bearer(team["pm"])
    close = (timezone.localdate() + dt.timedelta(days=10)).isoformat()
    payload = {
        "person_id": team["pm"].id,
        "closes_on": close,
        "raters": [
            {"name": r.name, "email": r.email, "relationship": r.relationship} for r in rater_rows()
        ],
    }
    r = client.post("/api/v1/feedback/cycles", payload, content_type="application/json", **auth)
    assert r.status_code == 201, r.content
    body = r.json()
    cycle_id = body["id"]
    assert "fb_" not in r.content.decode()
    # Gus, a colleague, finds the form in his own LeadShift; the others follow their e-mail.
    (asked,) = client.get("/api/v1/feedback/asked", **bearer(team["group"])).json()
    assert asked["subject"] == "Pia PM" and asked["cycle"] == cycle_id
    gus_link = client.post(f"/api/v1/feedback/asked/{asked['id']}/link", **bearer(team["group"]))
    tokens = {"gus@acme.example": gus_link.json()["token"]}
    tokens |= {f"peer{i}@acme.example": mailed_link(f"peer{i}@acme.example") for i in range(3)}
    for email, token in tokens.items():
        rate = f"/api/v1/feedback/cycles/{cycle_id}/rate/{token}"
        assert client.get(rate).json()["subject"] == "Pia PM"
        level = 4 if email.startswith("gus") else 2
        answers_json = {
            "answers": {c: {"level": level, "comment": ""} for c in CAPS},
            "submit": True,
        }
        put = client.put(rate, answers_json, content_type="application/json")
        assert put.status_code == 200 and put.json()["submitted"], put.content
    assert client.get(f"/api/v1/feedback/cycles/{cycle_id}/results", **auth).status_code == 404
    detail = client.get(f"/api/v1/feedback/cycles/{cycle_id}", **auth).json()
    assert {c["relationship"]: c["answered"] for c in detail["counts"]} == {"manager": 1, "peer": 3}
    assert client.post(f"/api/v1/feedback/cycles/{cycle_id}/remind", **auth).json() == {
        "reminded": 0
    }
    new_close = (timezone.localdate() + dt.timedelta(days=20)).isoformat()
    r = client.post(
        f"/api/v1/feedback/cycles/{cycle_id}/extend",
        {"closes_on": new_close},
        content_type="application/json",
        **auth,
    )
    assert r.status_code == 200
    r = client.post(
        f"/api/v1/feedback/cycles/{cycle_id}/extend",
        {"closes_on": "2000-01-01"},
        content_type="application/json",
        **auth,
    )
    assert r.status_code == 400
    assert (
        client.post(f"/api/v1/feedback/cycles/{cycle_id}/close", **auth).json()["status"]
        == "released"
    )
    results = client.get(f"/api/v1/feedback/cycles/{cycle_id}/results", **auth).json()
    assert results["capabilities"][0]["cells"]["peer"]["mean"] == 2
    assert [c["id"] for c in client.get("/api/v1/feedback/cycles", **auth).json()] == [cycle_id]
    head = client.get("/api/v1/feedback/team", **bearer(team["head"])).json()
    pia = next(p for p in head["people"] if p["name"] == "Pia PM")
    assert pia["source"] == "360" and pia["cells"][CAPS[0]]["estimate"] is not None


def test_the_team_heatmap_page_draws_people_by_capability(client, team, open_cycle):
    cycle, tokens = open_cycle()
    answer_all(tokens, lambda e: 2)
    services.do_close_and_release(cycle, team["pm"])
    client.force_login(team["head"].user)
    body = client.get(reverse("feedback_team")).content.decode()
    assert "<svg" in body and "Pia PM" in body and "Common gaps" in body
    assert "Not yet" in body or "Ready" in body


def test_the_page_takes_any_number_of_raters_and_more_while_the_cycle_is_open(
    client, team, completed_assessment
):
    client.force_login(team["pm"].user)
    page = client.get(reverse("feedback_new") + "?rows=16").content.decode()
    assert 'name="name_16"' in page and "More rows" in page
    form = {
        "person": team["pm"].id,
        "closes_on": (timezone.localdate() + dt.timedelta(days=10)).isoformat(),
    }
    for i in range(1, 15):
        form |= {f"name_{i}": f"Peer {i}", f"email_{i}": f"p{i}@else.example"}
        form[f"relationship_{i}"] = "peer"
    r = client.post(reverse("feedback_new"), form, follow=True)
    assert "Invitations sent: 14 by e-mail" in r.content.decode()
    cycle = Cycle.objects.get()
    assert cycle.raters.count() == 14 and len(mail.outbox) == 14
    r = client.post(
        reverse("feedback_add_raters", args=[cycle.id]),
        {"name_1": "Late Report", "email_1": "late@else.example", "relationship_1": "report"},
        follow=True,
    )
    assert "Invitations sent: 1 by e-mail" in r.content.decode()
    assert mailed_link("late@else.example")
    r = client.post(
        reverse("feedback_add_raters", args=[cycle.id]),
        {"name_1": "Pia", "email_1": "pia@acme.example", "relationship_1": "peer"},
        follow=True,
    )
    assert "self-assessment" in r.content.decode() and cycle.raters.count() == 15
