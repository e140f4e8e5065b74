"""The decision pages and API: the form, templates, outcome, export, calibration, access."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from leadshift.decisions.models import Decision
from leadshift.decisions.services import DecisionIn, OptionIn, do_create_decision

pytestmark = pytest.mark.django_db


def login(client, person):
    client.force_login(person.user)
    return client


def form(**kw):
    data = {
        "question": "Should we raise prices 10%?",
        "kind": "pricing",
        "decided_on": "2026-02-01",
        "reversible": "yes",
        "crit-name-0": "Revenue",
        "crit-weight-0": "3",
        "crit-name-1": "Churn risk",
        "crit-weight-1": "2",
        "opt-name-0": "Raise",
        "score-0-0": "8",
        "score-0-1": "4",
        "opt-name-1": "Hold",
        "score-1-0": "3",
        "score-1-1": "9",
        "chosen": "0",
        "forecast": "70",
        "review_on": "2026-08-01",
    }
    data.update(kw)
    return data


@pytest.fixture
def decision(team):
    return do_create_decision(
        team["pm"],
        DecisionIn(
            question="Sunset the legacy app?",
            kind="product_bet",
            criteria=[("Cost", 1.0)],
            options=[OptionIn("Yes", "", [7])],
            chosen=0,
            decided_on=dt.date(2026, 1, 5),
            forecast=0.8,
            review_on=dt.date(2026, 2, 1),
        ),
    )


def test_the_form_records_a_decision_with_its_weighted_totals(client, team):
    login(client, team["head"])
    resp = client.post(reverse("decision_new"), form())
    d = Decision.objects.get()
    assert resp.status_code == 302 and resp["Location"] == reverse("decision_detail", args=[d.id])
    assert d.forecast == pytest.approx(0.7)
    page = client.get(reverse("decision_detail", args=[d.id])).content.decode()
    assert "6.40" in page and "5.40" in page  # (3*8+2*4)/5, (3*3+2*9)/5


@pytest.mark.parametrize(
    "change, message",
    [
        (
            {"forecast": "140"},
            "Chance of success: enter a percentage from 0 to 100 (you entered 140 %).",
        ),
        ({"review_on": ""}, "needs a review date"),
        ({"crit-weight-0": "lots"}, "enter a number"),
        ({"score-1-1": "12"}, "score runs from 0 to 10"),
    ],
)
def test_bad_input_shows_the_message_keeps_what_was_typed_and_saves_nothing(
    client, team, change, message
):
    login(client, team["head"])
    resp = client.post(reverse("decision_new"), form(**change))
    assert resp.status_code == 400
    page = resp.content.decode()
    assert message in page
    assert 'value="Should we raise prices 10%?"' in page
    assert Decision.objects.count() == 0


def test_each_template_opens_the_form_prefilled(client, team):
    login(client, team["head"])
    assert "Pre-mortem" in client.get(reverse("decision_new")).content.decode()
    page = client.get(reverse("decision_new") + "?template=weighted-criteria").content.decode()
    assert 'value="Impact on company objectives"' in page
    page = client.get(reverse("decision_new") + "?template=pre-mortem").content.decode()
    assert "It is a year from now and this failed" in page


def test_recording_the_outcome_moves_it_out_of_reviews_due(client, team, decision):
    login(client, team["pm"])
    assert "Sunset the legacy app?" in client.get(reverse("home")).content.decode()
    resp = client.post(
        reverse("decision_outcome", args=[decision.id]),
        {
            "outcome": "succeeded",
            "lesson": "Users moved faster than feared",
            "reviewed_on": "2026-02-02",
        },
    )
    assert resp.status_code == 302
    decision.refresh_from_db()
    assert decision.outcome == "succeeded"
    assert "Decisions to review" not in client.get(reverse("home")).content.decode()
    page = client.get(reverse("decision_calibration")).content.decode()
    assert "Brier score" in page and "0.040" in page


def test_an_outcome_must_be_chosen(client, team, decision):
    login(client, team["pm"])
    resp = client.post(reverse("decision_outcome", args=[decision.id]), {"lesson": "x"})
    assert resp.status_code == 400
    assert "say whether it succeeded" in resp.content.decode()


def test_the_markdown_download(client, team, decision):
    login(client, team["pm"])
    resp = client.get(reverse("decision_markdown", args=[decision.id]))
    assert resp["Content-Type"].startswith("text/markdown")
    assert "attachment" in resp["Content-Disposition"]
    assert resp.content.decode().startswith("# Sunset the legacy app?")


@pytest.mark.parametrize("who, status", [("pm", 200), ("group", 200), ("head", 200), ("peer", 404)])
def test_a_decision_is_seen_by_its_owner_and_their_managers_only(
    client, team, decision, who, status
):
    login(client, team[who])
    for name in ("decision_detail", "decision_edit", "decision_markdown"):
        assert client.get(reverse(name, args=[decision.id])).status_code == status, name
    api = client.get(f"/api/v1/decisions/{decision.id}")
    assert api.status_code == status


def test_nothing_crosses_organisations(client, team, decision, make_org):
    outsider = make_org("Other")
    login(client, outsider)
    assert client.get(reverse("decision_detail", args=[decision.id])).status_code == 404
    assert client.get(f"/api/v1/decisions/{decision.id}").status_code == 404
    assert client.get(f"/api/v1/decisions?person={team['pm'].id}").status_code == 404
    assert (
        client.get(f"{reverse('decision_calibration')}?person={team['pm'].id}").status_code == 404
    )
    assert (
        client.post(
            reverse("decision_outcome", args=[decision.id]), {"outcome": "failed"}
        ).status_code
        == 404
    )


def test_the_api_creates_reviews_and_scores_decisions(client, team):
    login(client, team["head"])
    body = {
        "question": "Hire a second designer?",
        "kind": "hiring",
        "template": "weighted-criteria",
        "forecast": 0.9,
        "review_on": "2026-03-01",
        "decided_on": "2026-01-01",
    }
    resp = client.post("/api/v1/decisions", body, content_type="application/json")
    assert resp.status_code == 201, resp.content
    d = resp.json()
    assert d["criteria"][0]["name"] == "Impact on company objectives"
    bad = client.post(
        "/api/v1/decisions", {**body, "forecast": 1.5}, content_type="application/json"
    )
    assert bad.status_code == 400 and bad.json()["field"] == "forecast"
    no_review = client.post(
        "/api/v1/decisions", {**body, "review_on": None}, content_type="application/json"
    )
    assert no_review.status_code == 400 and no_review.json()["field"] == "review_on"
    due = client.get("/api/v1/decisions?due=true").json()
    assert [x["id"] for x in due] == [d["id"]]
    r = client.post(
        f"/api/v1/decisions/{d['id']}/outcome",
        {"outcome": "failed", "lesson": "Hired too late"},
        content_type="application/json",
    )
    assert r.status_code == 200 and r.json()["outcome"] == "failed"
    cal = client.get("/api/v1/decisions/calibration").json()
    assert cal["groups"][0]["brier"] == pytest.approx(0.81)
    md = client.get(f"/api/v1/decisions/{d['id']}/markdown")
    assert md.content.decode().startswith("# Hire a second designer?")
    assert client.get("/api/v1/decision-templates").json()[0]["slug"] == "weighted-criteria"
    assert Decision.objects.count() == 1


# --- what a decision may link to: only what its author may see -------------------------------


@pytest.fixture
def leader_only(team):
    from leadshift.planning.models import Scenario
    from leadshift.portfolio.models import Initiative
    from leadshift.risk.models import Risk

    org = team["org"]
    Risk.objects.create(organisation=org, title="Key engineer may leave", probability=0.3)
    Scenario.objects.create(organisation=org, name="Cut the mobile app")
    Initiative.objects.create(
        organisation=org, key="secret-bet", name="Secret bet", value_likely=10
    )
    Scenario.objects.create(organisation=org, name="Plan 2026", is_plan_of_record=True)


LEADER_ONLY = ("Key engineer may leave", "Cut the mobile app", "Secret bet")


def test_a_pm_s_decision_form_offers_only_what_they_may_see(client, team, leader_only):
    blank = reverse("decision_new") + "?template=blank"
    page = login(client, team["pm"]).get(blank).content.decode()
    for name in LEADER_ONLY:
        assert name not in page
    assert "Plan 2026" in page  # the plan of record is everyone's
    page = login(client, team["head"]).get(blank).content.decode()
    for name in LEADER_ONLY:
        assert name in page


@pytest.mark.parametrize(
    "target, hidden",
    [
        ("risk", "Key engineer may leave"),
        ("scenario", "Cut the mobile app"),
        ("initiative", "secret-bet"),
    ],
)
def test_linking_by_name_is_no_oracle_for_what_exists(client, team, leader_only, target, hidden):
    login(client, team["pm"])

    def attempt(label):
        r = client.post(
            reverse("decision_new"), form(**{"link-target-0": target, "link-label-0": label})
        )
        assert r.status_code == 400
        return r.context["error"].replace(label, "NAME")

    assert attempt(hidden) == attempt("no-such-thing-at-all")
    assert f"unknown {target}" in attempt(hidden)
    # Over the API too, and nothing is saved.
    from leadshift.people.services import do_create_api_token

    auth = {"HTTP_AUTHORIZATION": f"Bearer {do_create_api_token(team['pm'])[1]}"}
    bodies = []
    for label in (hidden, "no-such-thing-at-all"):
        r = client.post(
            "/api/v1/decisions",
            {"question": "Q?", "kind": "other", "links": [[target, label]]},
            content_type="application/json",
            **auth,
        )
        assert r.status_code == 400
        bodies.append(r.content.decode().replace(label, "NAME"))
    assert bodies[0] == bodies[1]
    assert not Decision.objects.exists()
    # A leader links to it.
    login(client, team["head"])
    r = client.post(
        reverse("decision_new"), form(**{"link-target-0": target, "link-label-0": hidden})
    )
    assert r.status_code == 302


def test_the_markdown_export_carries_user_text_not_html(client, team):
    evil = '<img src=x onerror="alert(1)"><script>steal()</script>'
    d = do_create_decision(
        team["pm"],
        DecisionIn(
            question=f"Ship it? {evil}",
            kind="other",
            context=evil,
            criteria=[(f"Cost {evil}", 1.0)],
            options=[OptionIn(f"Yes {evil}", evil, [7])],
            chosen=0,
            rationale=evil,
            risks_accepted=evil,
            premortem=evil,
        ),
    )
    md = login(client, team["pm"]).get(reverse("decision_markdown", args=[d.id])).content.decode()
    assert "<" not in md and ">" not in md
    assert "&lt;script&gt;steal()&lt;/script&gt;" in md
    assert md.startswith("# Ship it? &lt;img")
