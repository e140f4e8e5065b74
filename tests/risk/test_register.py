"""The risk register, its pages and API, and simulations of the stored plan."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.urls import reverse

from leadshift.core.errors import Invalid, NotAllowed
from leadshift.portfolio.models import Initiative, Objective, Product
from leadshift.portfolio.services import do_import
from leadshift.risk import bridge
from leadshift.risk.models import Risk, RiskDriver, Simulation
from leadshift.risk.presentation import flagged, flagged_of
from leadshift.risk.services import (
    RiskIn,
    do_fire_trigger,
    do_save_driver,
    do_save_risk,
    do_set_target,
    do_start_simulation,
    register,
)

EXAMPLE = Path(__file__).resolve().parents[2] / "docs" / "examples" / "portfolio.yaml"
pytestmark = pytest.mark.django_db


@pytest.fixture
def org(team):
    org = team["org"]
    do_import(org, None, EXAMPLE.read_text(), "portfolio.yaml")
    return org


def initiative(org, key):
    return Initiative.objects.get(organisation=org, key=key)


def login(client, person):
    client.force_login(person.user)
    return client


def test_a_risk_is_saved_with_its_impacts_and_bands(org, team):
    driver = do_save_driver(org, team["head"], name="Key engineer leaves", probability=0.2)
    payments = initiative(org, "checkout-v2").efforts.get(team__name="payments").team
    r = do_save_risk(
        org,
        team["head"],
        RiskIn(
            title="Card network changes rules",
            probability=0.6,
            initiative=initiative(org, "checkout-v2").id,
            driver=driver.id,
            delay_periods=1,
            value_loss_share=0.2,
            efforts={payments.id: 0.3},
            owner=team["group"].id,
        ),
    )
    assert r.overall_probability == pytest.approx(0.12)
    assert r.likelihood_band == 2  # 12 %: unlikely
    assert r.impact_band == 3  # one period, a fifth of the value, 30 % more effort
    assert r.scope_label == "Initiative: checkout-v2"


@pytest.mark.parametrize(
    "change, field",
    [
        ({"probability": 1.5}, "probability"),
        ({"probability": -0.2}, "probability"),
        ({"value_loss_share": 2.0}, "value_loss_share"),
        ({"delay_periods": -1.0}, "delay_periods"),
        ({"initiative": 999_999}, "initiative"),
        ({"mitigated_probability": 3.0}, "mitigated_probability"),
        ({"title": ""}, "title"),
    ],
)
def test_bad_risks_name_their_field_and_save_nothing(org, team, change, field):
    data = {"title": "Vendor slips", "probability": 0.3, **change}
    with pytest.raises(Invalid) as err:
        do_save_risk(org, team["head"], RiskIn(**data))
    assert err.value.field == field
    assert Risk.objects.count() == 0


def test_a_risk_on_another_organisations_initiative_is_unknown(org, team, make_org):
    other = make_org("Other").organisation
    do_import(other, None, EXAMPLE.read_text(), "portfolio.yaml")
    theirs = initiative(other, "loyalty")
    with pytest.raises(Invalid) as err:
        do_save_risk(org, team["head"], RiskIn("x", 0.3, initiative=theirs.id))
    assert err.value.field == "initiative"


def test_only_leaders_change_the_register(org, team):
    with pytest.raises(NotAllowed):
        do_save_risk(org, team["pm"], RiskIn("x", 0.3))


def test_overdue_reviews_and_fired_triggers_are_flagged(org, team, client):
    r = do_save_risk(
        org,
        team["head"],
        RiskIn("Churn spikes", 0.4, trigger="churn above 3 %", review_on=dt.date(2020, 1, 1)),
    )
    do_fire_trigger(r, team["head"])
    page = login(client, team["head"]).get(reverse("risk_register")).content.decode()
    assert "Needs attention (1)" in page
    assert "trigger fired" in page and "review overdue" in page
    assert "<svg" in page and "Risks by likelihood and impact" in page


def test_the_dashboard_reads_the_same_flagged_risks_as_the_register(org, team):
    head, today = team["head"], dt.date(2026, 6, 1)
    fired = do_save_risk(org, head, RiskIn("Supplier goes under", 0.3))
    do_fire_trigger(fired, head)
    do_save_risk(org, head, RiskIn("Launch slips", 0.4, review_on=dt.date(2026, 5, 1)))
    do_save_risk(org, head, RiskIn("Calm and reviewed", 0.1, review_on=dt.date(2026, 7, 1)))
    do_save_risk(org, head, RiskIn("Reviewed today", 0.1, review_on=today))
    gone = do_save_risk(org, head, RiskIn("Closed long ago", 0.2, review_on=dt.date(2020, 1, 1)))
    Risk.objects.filter(pk=gone.pk).update(status=Risk.Status.CLOSED)
    expected = flagged(register(org), today)
    assert {r.title for r in expected} == {"Launch slips", "Supplier goes under"}
    assert flagged_of(org, today) == expected


def test_the_plan_maps_onto_the_simulation_engine(org, team):
    product = Product.objects.create(organisation=org, key="shop", name="Shop")
    Initiative.objects.filter(organisation=org, key__in=["checkout-v2", "loyalty"]).update(
        product=product
    )
    do_save_risk(
        org,
        team["head"],
        RiskIn("On checkout", 0.5, initiative=initiative(org, "checkout-v2").id, delay_periods=1),
    )
    do_save_risk(
        org, team["head"], RiskIn("On the shop", 0.3, product=product.id, value_loss_share=0.1)
    )
    revenue = Objective.objects.get(organisation=org, key="revenue")
    do_save_risk(
        org, team["head"], RiskIn("On revenue", 0.2, objective=revenue.id, value_loss_amount=30)
    )
    do_save_risk(org, team["head"], RiskIn("On everything", 0.1, delay_periods=0.5))
    do_set_target(revenue, team["head"], 150)
    stored = bridge.load(org, None)
    starts = {"checkout-v2": 0, "fraud-scoring": 1, "migrate-db": 0, "offline-mode": 0}
    mapped = bridge.simulation_scenario(org, stored, starts)
    hits = {mapped.risks[r.id].title: r.initiatives for r in mapped.scenario.risks}
    assert hits["On checkout"] == ("checkout-v2",)
    assert hits["On the shop"] == ("checkout-v2",)  # loyalty is not in the plan
    assert set(hits["On revenue"]) == {"checkout-v2", "fraud-scoring"}
    assert set(hits["On everything"]) == set(starts)
    loss = next(r for r in mapped.scenario.risks if mapped.risks[r.id].title == "On revenue")
    assert loss.value_loss_share == pytest.approx(30 / (120 + 90))
    goal = next(o for o in mapped.scenario.objectives if o.id == "revenue")
    assert goal.target == 150


def test_a_simulation_stores_percentiles_tornado_and_mitigation_value(org, team, client):
    driver = RiskDriver.objects.create(
        organisation=org, name="Key engineer leaves", probability=0.5
    )
    hit = do_save_risk(
        org,
        team["head"],
        RiskIn(
            "Payments lead leaves",
            0.8,
            initiative=initiative(org, "checkout-v2").id,
            driver=driver.id,
            value_loss_share=0.5,
            mitigated_probability=0.1,
            mitigation_cost=10,
        ),
    )
    sim = do_start_simulation(
        org,
        team["head"],
        trials=2000,
        seed=3,
        mitigation_of=hit,
        risk_adjusted=True,
        background=False,
    )
    sim.refresh_from_db()
    assert sim.status == Simulation.Status.DONE, sim.error
    res = sim.result
    assert res["trials"] == 2000
    assert {i["id"] for i in res["initiatives"]} >= {"checkout-v2", "migrate-db"}
    assert res["tornado"][0]["id"] in {hit.sim_id, f"driver-{driver.id}"}
    assert res["mitigation"]["mean_gain"] > 0
    adj = res["risk_adjusted"]
    assert adj["expected_values"]["checkout-v2"] < 120
    assert adj["point_plan"]["selected"] and adj["risk_plan"]["selected"]
    page = (
        login(client, team["head"])
        .get(reverse("simulation_detail", args=[sim.id]))
        .content.decode()
    )
    for text in ("P50", "P90", "What drives the spread", "Payments lead leaves", "risk-adjusted"):
        assert text in page, text


def test_the_same_seed_gives_the_same_result(org, team):
    do_save_risk(org, team["head"], RiskIn("Slip", 0.4, delay_periods=1))
    a = do_start_simulation(org, team["head"], trials=1000, seed=9, background=False)
    b = do_start_simulation(org, team["head"], trials=1000, seed=9, background=False)
    a.refresh_from_db()
    b.refresh_from_db()
    assert a.result == b.result


def test_the_web_form_adds_a_risk_and_keeps_input_on_error(org, team, client):
    login(client, team["head"])
    init = initiative(org, "loyalty")
    bad = client.post(
        reverse("risk_new"),
        {"title": "Partner pulls out", "scope": f"initiative:{init.id}", "probability": "150"},
    )
    assert bad.status_code == 400
    page = bad.content.decode()
    assert "likelihood: enter a percentage between 0 and 100, got 150" in page
    assert 'value="Partner pulls out"' in page
    assert Risk.objects.count() == 0
    ok = client.post(
        reverse("risk_new"),
        {
            "title": "Partner pulls out",
            "scope": f"initiative:{init.id}",
            "probability": "35",
            "delay_periods": "1",
        },
    )
    assert ok.status_code == 302
    assert Risk.objects.get().initiative == init


def test_the_simulation_page_starts_a_run_and_reports_progress(org, team, client, settings):
    settings.LEADSHIFT_RUNS_IN_BACKGROUND = False
    login(client, team["head"])
    resp = client.post(reverse("simulations"), {"trials": "500", "seed": "1"})
    sim = Simulation.objects.get()
    assert resp["Location"] == reverse("simulation_detail", args=[sim.id])
    status = client.get(reverse("simulation_status", args=[sim.id])).json()
    assert status["status"] == "done" and status["percent"] == 100
    bad = client.post(reverse("simulations"), {"trials": "0", "seed": "1"})
    assert bad.status_code == 400 and "trials run from 1" in bad.content.decode()


@pytest.mark.parametrize("who, status", [("head", 200), ("group", 200), ("pm", 404)])
def test_risk_pages_are_for_leaders(org, team, client, who, status):
    r = do_save_risk(org, team["head"], RiskIn("Slip", 0.4))
    sim = do_start_simulation(org, team["head"], trials=200, background=False)
    login(client, team[who])
    for url in (
        reverse("risk_register"),
        reverse("risk_edit", args=[r.id]),
        reverse("simulations"),
        reverse("simulation_detail", args=[sim.id]),
        "/api/v1/risks",
        f"/api/v1/simulations/{sim.id}",
    ):
        assert client.get(url).status_code == status, url


def test_nothing_of_the_register_crosses_organisations(org, team, client, make_org):
    r = do_save_risk(org, team["head"], RiskIn("Slip", 0.4))
    sim = do_start_simulation(org, team["head"], trials=200, background=False)
    login(client, make_org("Other"))
    for url in (
        reverse("risk_edit", args=[r.id]),
        reverse("simulation_detail", args=[sim.id]),
        reverse("simulation_status", args=[sim.id]),
        f"/api/v1/risks/{r.id}",
        f"/api/v1/simulations/{sim.id}",
    ):
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("risk_trigger", args=[r.id])).status_code == 404


# --- deleting an initiative keeps its risks ------------------------------------------------


@pytest.fixture
def two_risks(org, team):
    target = initiative(org, "dark-mode").id
    for title in ("Contrast fails accessibility review", "Designers pulled to checkout"):
        do_save_risk(org, team["head"], RiskIn(title=title, probability=0.3, initiative=target))
    return org


def test_deleting_an_initiative_in_the_page_asks_and_keeps_its_risks(client, team, two_risks):
    item = initiative(two_risks, "dark-mode")
    url = reverse("portfolio_initiative_delete", args=[item.id])
    page = login(client, team["head"]).post(url)
    body = page.content.decode()
    assert page.status_code == 200 and "2 risks attached" in body
    assert "Contrast fails accessibility review" in body and "Designers pulled to checkout" in body
    assert Initiative.objects.filter(pk=item.id).exists()  # nothing deleted by asking
    r = client.post(url, {"risks": "keep"}, follow=True)
    assert "Its 2 risks were kept, detached." in r.content.decode()
    assert not Initiative.objects.filter(pk=item.id).exists()
    kept = Risk.objects.filter(title__in=["Contrast fails accessibility review"])
    assert kept.count() == 1 and kept.get().initiative is None
    assert Risk.objects.count() == 2


def test_deleting_an_initiative_in_the_page_can_move_its_risks(client, team, two_risks):
    item, other = initiative(two_risks, "dark-mode"), initiative(two_risks, "loyalty")
    url = reverse("portfolio_initiative_delete", args=[item.id])
    login(client, team["head"])
    r = client.post(url, {"risks": "move"})
    assert r.status_code == 400 and "choose the initiative to move the risks to" in (
        r.content.decode()
    )
    assert Initiative.objects.filter(pk=item.id).exists()
    client.post(url, {"risks": "move", "to": other.id})
    assert {r.initiative_id for r in Risk.objects.all()} == {other.id}


def test_the_api_refuses_to_delete_an_initiative_with_risks_unless_told(client, team, two_risks):
    from leadshift.people.services import do_create_api_token

    auth = {"HTTP_AUTHORIZATION": f"Bearer {do_create_api_token(team['head'])[1]}"}
    url = "/api/v1/portfolio/initiatives/dark-mode"
    r = client.delete(url, **auth)
    assert r.status_code == 409
    assert sorted(x["title"] for x in r.json()["risks"]) == [
        "Contrast fails accessibility review",
        "Designers pulled to checkout",
    ]
    assert "keep them" in r.json()["detail"]
    assert client.delete(url + "?risks=move&to=no-such", **auth).status_code == 400
    assert client.delete(url + "?risks=move&to=loyalty", **auth).status_code == 204
    assert {r.initiative.key for r in Risk.objects.all()} == {"loyalty"}
    r = client.delete("/api/v1/portfolio/initiatives/loyalty?risks=keep", **auth)
    assert r.status_code == 204
    assert Risk.objects.count() == 2 and not Risk.objects.filter(initiative__isnull=False).exists()
