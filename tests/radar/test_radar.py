"""The pivot radar through its providers, pages, API and next steps, as a leader uses it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from leadshift.decisions.services import DecisionIn, do_create_decision, do_record_outcome
from leadshift.planning.models import Scenario
from leadshift.planning.services import do_adopt, do_create_scenario, do_start_run
from leadshift.portfolio.models import Initiative, Objective
from leadshift.portfolio.services import do_add_snapshot, do_save_product
from leadshift.radar.models import Dismissal
from leadshift.radar.services import radar_for
from leadshift.risk.models import ObjectiveTarget, Risk
from leadshift.risk.services import RiskIn, do_save_risk, do_start_simulation
from leadshift.stakeholders.services import do_add_stakeholder, do_log_interaction
from tests.conftest import sign_in
from tests.portfolio.helpers import load_example
from tests.reports.test_reports import read_pdf

pytestmark = pytest.mark.django_db
TODAY = dt.date.today()


@pytest.fixture(autouse=True)
def _runs_inline(settings):
    settings.LEADSHIFT_RUNS_IN_BACKGROUND = False


def kinds(leader, viewer=None):
    return sorted({s.kind for s in radar_for(leader, viewer or leader, TODAY).active})


def keys(leader):
    return [s.key for s in radar_for(leader, leader, TODAY).active]


def fired_risk(team, title="Payments lead leaves", **extra):
    data = RiskIn(title, 0.6, trigger="No replacement in a month", trigger_fired_on=TODAY, **extra)
    return do_save_risk(team["org"], team["head"], data)


def page(client, person, url):
    assert sign_in(client, person.email, "s3cret-pass!")
    return client.get(url)


# --- Each provider fires and stays quiet ----------------------------------------------------


def test_a_fired_trigger_fires_and_a_closed_or_unfired_risk_stays_quiet(team):
    head = team["head"]
    assert kinds(head) == []
    do_save_risk(team["org"], head, RiskIn("Vendor slips", 0.3, trigger="Two weeks late"))
    closed = RiskIn("Old", 0.3, trigger="x", trigger_fired_on=TODAY, status="closed")
    do_save_risk(team["org"], head, closed)
    assert kinds(head) == []
    risk = fired_risk(team)
    [s] = radar_for(head, head, TODAY).active
    assert s.kind == "risk_trigger" and "No replacement in a month" in s.why
    assert s.evidence[0].url == reverse("risk_edit", args=[risk.id])


@pytest.fixture
def adopted(team):
    load_example(team["org"], team["head"])
    scenario = do_create_scenario(team["org"], team["head"], name="Next year")
    do_start_run(scenario, team["head"], time_limit=10)
    do_adopt(scenario, team["head"])
    return scenario


def test_an_objective_under_the_leaders_threshold_fires_from_the_last_simulation(team, adopted):
    head, org = team["head"], team["org"]
    revenue = Objective.objects.get(organisation=org, key="revenue")
    retention = Objective.objects.get(organisation=org, key="retention")
    ObjectiveTarget.objects.create(objective=revenue, target=1e9)  # out of reach
    ObjectiveTarget.objects.create(objective=retention, target=1)  # certain
    do_start_simulation(org, head, trials=300, seed=3, background=False)
    [s] = radar_for(head, head, TODAY).active
    assert s.kind == "objective_odds" and s.key == f"objective_odds:{revenue.id}"
    assert "0% likely" in s.why and "threshold of 50%" in s.why
    assert "checkout-v2" in s.initiatives and "offline-mode" not in s.initiatives


def test_no_simulation_means_no_objective_signal(team, adopted):
    ObjectiveTarget.objects.create(
        objective=Objective.objects.get(organisation=team["org"], key="revenue"), target=1e9
    )
    assert kinds(team["head"]) == []


def test_a_product_whose_latest_snapshot_changed_its_advice_fires(team):
    head, org = team["head"], team["org"]
    leading = {"market_growth": 0.2, "relative_share": 1.4, "margin": 0.3}
    steady = do_save_product(org, head, key="steady", name="Steady")
    turned = do_save_product(org, head, key="turned", name="Turned")
    for k, d in enumerate((dt.date(2026, 3, 31), dt.date(2026, 6, 30), dt.date(2026, 9, 30))):
        do_add_snapshot(steady, head, taken_on=d, metrics=leading)
        lost = {**leading, "relative_share": 0.6} if k == 2 else leading
        do_add_snapshot(turned, head, taken_on=d, metrics=lost)
    [s] = radar_for(head, head, TODAY).active
    assert s.key == f"lifecycle:{turned.id}" and "from scale to develop" in s.why
    assert s.title == "Turned: now develop, was scale"


def _decision(owner, kind, forecast, outcome, n):
    d = do_create_decision(
        owner,
        DecisionIn(
            question=f"{kind} {n}?",
            kind=kind,
            forecast=forecast,
            decided_on=TODAY - dt.timedelta(days=90),
            review_on=TODAY - dt.timedelta(days=5),
        ),
    )
    do_record_outcome(d, owner, outcome=outcome, lesson="", on=TODAY - dt.timedelta(days=5))


def test_decisions_of_one_kind_failing_more_than_forecast_fire_and_a_calibrated_kind_does_not(
    team,
):
    head = team["head"]
    for n, outcome in enumerate(("failed", "failed", "succeeded")):
        _decision(head, "pricing", 0.85, outcome, n)
        _decision(head, "hiring", 0.6, "succeeded" if n < 2 else "failed", n)
    [s] = radar_for(head, head, TODAY).active
    assert s.key == "decision_kind:pricing" and s.decision_kind == "pricing"
    assert "you forecast 85% success on average, 33% succeeded" in s.why


def test_a_linked_stakeholder_turned_blocker_fires_and_an_unlinked_one_does_not(team):
    head, org = team["head"], team["org"]
    product = do_save_product(org, head, key="wallets", name="Wallets")
    linked = do_add_stakeholder(
        head, head, {"name": "Dana CFO", "stance": "blocker", "product_ids": [product.id]}
    )
    do_add_stakeholder(head, head, {"name": "Eli Elsewhere", "stance": "blocker"})
    do_add_stakeholder(
        head, head, {"name": "Flo Friend", "stance": "champion", "product_ids": [product.id]}
    )
    do_log_interaction(linked, head, date=TODAY, kind="meeting", note="Vetoed it.", tone=-2)
    [s] = radar_for(head, head, TODAY).active
    assert s.key == f"stakeholder_blocker:{linked.id}"
    assert "Dana CFO is now a blocker of Wallets" in s.why and "“Vetoed it.”" in s.why


# --- Who may see it -------------------------------------------------------------------------


def test_a_pm_may_not_see_a_radar_not_even_their_own(client, team):
    fired_risk(team)
    assert page(client, team["pm"], reverse("radar")).status_code == 404
    head = team["head"]
    assert client.get(reverse("radar") + f"?person={head.id}").status_code == 404
    assert client.get("/api/v1/radar").status_code == 404


def test_a_leader_sees_a_leader_below_but_not_above_nor_another_organisation(
    client, team, make_org
):
    fired_risk(team)
    other = make_org("Globex")
    head, group = team["head"], team["group"]
    assert page(client, head, reverse("radar") + f"?person={group.id}").status_code == 200
    client.logout()
    assert page(client, group, reverse("radar") + f"?person={head.id}").status_code == 404
    client.logout()
    assert page(client, other, reverse("radar") + f"?person={head.id}").status_code == 404
    assert client.get(f"/api/v1/radar?person={head.id}").status_code == 404


# --- The page, dismissals, the threshold ---------------------------------------------------


def test_the_page_lists_a_signal_with_why_evidence_and_both_next_steps(client, team):
    risk = fired_risk(team)
    html = page(client, team["head"], reverse("radar")).content.decode()
    assert "Trigger fired: Payments lead leaves" in html
    assert reverse("risk_edit", args=[risk.id]) in html
    assert "Open a decision record" in html and "Dismiss this signal" in html


def test_a_dismissal_keeps_who_when_and_why_and_new_evidence_brings_the_signal_back(client, team):
    risk = fired_risk(team)
    head = team["head"]
    page(client, head, reverse("radar"))
    key = f"risk_trigger:{risk.id}"
    r = client.post(reverse("radar_dismiss"), {"key": key, "reason": "  "})
    assert r.status_code == 400 and "say why" in r.content.decode()
    assert not Dismissal.objects.exists()
    r = client.post(reverse("radar_dismiss"), {"key": key, "reason": "Second engineer hired"})
    assert r.status_code == 302
    d = Dismissal.objects.get()
    assert (d.dismissed_by, d.reason, d.key) == (head, "Second engineer hired", key)
    html = client.get(reverse("radar")).content.decode()
    assert "Signals (0)" in html and "Dismissed (1)" in html and "Second engineer hired" in html
    Risk.objects.filter(pk=risk.pk).update(trigger_fired_on=TODAY + dt.timedelta(days=1))
    html = client.get(reverse("radar")).content.decode()
    assert "Signals (1)" in html and "Back on the radar with new evidence" in html


def test_the_threshold_form_takes_a_percentage_and_refuses_nonsense(client, team):
    head = team["head"]
    page(client, head, reverse("radar"))
    r = client.post(reverse("radar_threshold"), {"objective_threshold": "150"})
    assert r.status_code == 400 and "between 0 and 100" in r.content.decode()
    assert (
        client.post(reverse("radar_threshold"), {"objective_threshold": "35 %"}).status_code == 302
    )
    assert radar_for(head, head).threshold == pytest.approx(0.35)


# --- Next steps -----------------------------------------------------------------------------


def test_a_signal_opens_a_decision_record_filled_in_with_why_and_the_evidence(client, team):
    risk = fired_risk(team)
    [s] = radar_for(team["head"], team["head"], TODAY).active
    from leadshift.radar.services import decision_url

    html = page(client, team["head"], decision_url(s)).content.decode()
    assert "What do we change now that trigger fired: Payments lead leaves?" in html
    assert "No replacement in a month" in html
    assert reverse("risk_edit", args=[risk.id]) in html


def test_a_signal_runs_a_scenario_without_its_initiatives_beside_the_plan_of_record(
    client, team, adopted
):
    checkout = Initiative.objects.get(organisation=team["org"], key="checkout-v2")
    fired_risk(team, initiative=checkout.id)
    page(client, team["head"], reverse("radar"))
    r = client.post(reverse("radar_scenario"), {"key": keys(team["head"])[0]})
    made = Scenario.objects.get(name="Without Payments lead leaves")
    assert [(x.initiative.key, x.rule) for x in made.rules.all()] == [("checkout-v2", "excluded")]
    assert r.status_code == 302 and r["Location"].endswith(f"?a={adopted.id}&b={made.id}")
    html = client.get(r["Location"]).content.decode()
    assert "What changes from “Next year” to “Without Payments lead leaves”" in html


def test_a_signal_without_initiatives_offers_no_scenario(client, team):
    fired_risk(team)
    html = page(client, team["head"], reverse("radar")).content.decode()
    assert "Run a scenario without" not in html
    r = client.post(reverse("radar_scenario"), {"key": keys(team["head"])[0]})
    assert r.status_code == 400 and "affects no initiative" in r.content.decode()


# --- Where else it shows --------------------------------------------------------------------


def test_the_leaders_home_brief_and_portfolio_report_show_the_signals(client, team, tmp_path):
    fired_risk(team)
    head = team["head"]
    home = page(client, head, reverse("home")).content.decode()
    assert "Pivot radar (1)" in home and reverse("radar") in home
    brief = client.get(reverse("brief", args=[head.id])).content.decode()
    assert "Signals to pivot" in brief and "Trigger fired: Payments lead leaves" in brief
    report = client.get(reverse("report", args=["portfolio", head.id])).content.decode()
    assert "Pivot radar" in report and "Trigger fired: Payments lead leaves" in report
    data = client.get(reverse("report", args=["portfolio", head.id]) + "?format=json").json()
    assert [s["kind"] for s in data["radar"]] == ["risk_trigger"]
    pdf = client.get(reverse("report_pdf", args=["portfolio", head.id]))
    text, _ = read_pdf(pdf.content, tmp_path)
    assert "Pivot radar" in text and "Trigger fired: Payments lead leaves" in text


# --- The API --------------------------------------------------------------------------------


def test_the_api_lists_dismisses_with_a_reason_and_sets_the_threshold(client, team):
    risk = fired_risk(team)
    page(client, team["head"], reverse("radar"))
    data = client.get("/api/v1/radar").json()
    assert [s["key"] for s in data["signals"]] == [f"risk_trigger:{risk.id}"]
    r = client.post(
        "/api/v1/radar/dismissals",
        {"key": f"risk_trigger:{risk.id}", "reason": "Hired a second lead"},
        content_type="application/json",
    )
    assert r.status_code == 201
    assert r.json()["dismissed"][0]["dismissal"]["reason"] == "Hired a second lead"
    r = client.post(
        "/api/v1/radar/dismissals",
        {"key": "risk_trigger:999999", "reason": "x"},
        content_type="application/json",
    )
    assert r.status_code == 404
    r = client.put(
        "/api/v1/radar/settings", {"objective_threshold": 2}, content_type="application/json"
    )
    assert r.status_code == 400 and r.json()["field"] == "objective_threshold"
    r = client.put(
        "/api/v1/radar/settings", {"objective_threshold": 0.4}, content_type="application/json"
    )
    assert r.json() == {"objective_threshold": 0.4}


def test_a_key_result_behind_its_line_fires_and_one_on_its_line_does_not(team):
    from leadshift.portfolio.services import do_record_actual, do_save_key_result

    head = team["head"]
    load_example(team["org"], head)
    objective = Objective.objects.get(organisation=team["org"], key="retention")

    def key_result(key, value):
        kr = do_save_key_result(
            objective,
            head,
            key=key,
            name=key.capitalize(),
            unit="%",
            baseline=3.0,
            target=2.0,
            starts_on=TODAY - dt.timedelta(days=180),
            due_on=TODAY + dt.timedelta(days=180),
        )
        do_record_actual(kr, head, on=TODAY - dt.timedelta(days=1), value=value)
        return kr

    behind = key_result("churn", 2.95)
    key_result("refunds", 2.5)
    signals = [s for s in radar_for(head, head, TODAY).active if s.kind == "key_result"]
    assert [s.key for s in signals] == [f"key_result:{behind.id}"]
    assert "behind the line" in signals[0].why and signals[0].initiatives
