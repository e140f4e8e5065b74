"""Portfolio and planning pages: leaders and admins work on them, PMs read the plan of record,
nobody sees another organisation's."""

from __future__ import annotations

import pytest
from django.urls import reverse

from leadshift.planning.services import do_adopt, do_create_scenario, do_start_run
from leadshift.portfolio.models import Initiative, Objective, Product, TeamCapacity

pytestmark = pytest.mark.django_db


def login(client, person):
    client.force_login(person.user)
    return client


@pytest.fixture
def planned(portfolio):
    org, head = portfolio["org"], portfolio["head"]
    s = do_create_scenario(org, head, name="Base")
    run = do_start_run(s, head, time_limit=5)
    do_adopt(s, head)
    return {**portfolio, "scenario": s, "run": run}


def leader_pages(p):
    org = p["org"]
    product = Product.objects.filter(organisation=org).first()
    item = Initiative.objects.filter(organisation=org).first()
    return [
        reverse("portfolio_home"),
        reverse("portfolio_products"),
        reverse("portfolio_product", args=[product.id]),
        reverse("portfolio_initiatives"),
        reverse("portfolio_initiative_new"),
        reverse("portfolio_initiative", args=[item.id]),
        reverse("portfolio_import"),
        reverse("portfolio_export"),
        reverse("planning_home"),
        reverse("planning_scenario", args=[p["scenario"].id]),
        reverse("planning_run", args=[p["run"].id]),
        reverse("planning_run_status", args=[p["run"].id]),
        reverse("planning_compare") + f"?a={p['scenario'].id}&b={p['scenario'].id}",
    ]


@pytest.mark.parametrize("who", ["head", "group", "admin"])
def test_leaders_and_admins_see_every_portfolio_page(client, planned, who):
    login(client, planned[who])
    for url in [*leader_pages(planned), reverse("plan_of_record")]:
        assert client.get(url).status_code == 200, url


def test_a_pm_sees_the_plan_of_record_read_only_and_no_other_portfolio_page(client, planned):
    login(client, planned["pm"])
    for url in leader_pages(planned):
        assert client.get(url).status_code == 404, url
    page = client.get(reverse("plan_of_record"))
    assert page.status_code == 200
    assert b"Read only" in page.content and b"<form" not in page.content.split(b"<main")[1]
    r = client.post(reverse("portfolio_objective_save"), {"key": "x", "name": "X", "weight": "1"})
    assert r.status_code == 404
    assert (
        client.post(reverse("planning_scenario_adopt", args=[planned["scenario"].id])).status_code
        == 404
    )


def test_another_organisations_leader_sees_nothing_of_it(client, planned, make_org):
    outsider = make_org("Globex")
    login(client, outsider)
    for url in leader_pages(planned):
        if "compare" in url or url.endswith(
            (
                "/portfolio/",
                "/products/",
                "/initiatives/",
                "/new/",
                "/import/",
                "/export/",
                "/planning/",
            )
        ):
            continue  # their own (empty) pages
        assert client.get(url).status_code == 404, url
    page = client.get(reverse("plan_of_record"))
    assert planned["scenario"].name.encode() not in page.content
    assert (
        client.get(reverse("planning_compare") + f"?a={planned['scenario'].id}").status_code == 404
    )
    export = client.get(reverse("portfolio_export")).content.decode()
    assert "migrate-db" not in export


def test_the_plan_page_shows_grid_utilisation_left_out_heatmap_and_baselines(client, planned):
    login(client, planned["head"])
    html = client.get(reverse("planning_run", args=[planned["run"].id])).content.decode()
    for text in (
        "Initiatives by period and team",
        "Each team&#x27;s utilisation by period",
        "Left out, and why",
        "Marginal value of one more person-week",
        "score-and-sort under the same rules",
        "The optimiser gains",
        "proven optimal",
    ):
        assert text in html, text


def test_the_products_page_shows_the_map_and_reasons_and_an_override_keeps_its_reason(
    client, planned
):
    login(client, planned["head"])
    html = client.get(reverse("portfolio_products")).content.decode()
    assert "Portfolio map" in html and "<svg" in html
    assert "market growth 18% a year is at or above the 10%" in html
    legacy = Product.objects.get(organisation=planned["org"], key="legacy")
    url = reverse("portfolio_product_override", args=[legacy.id])
    r = client.post(url, {"recommendation": "sustain", "reason": ""})
    assert r.status_code == 400 and "say why" in r.content.decode()
    client.post(url, {"recommendation": "sustain", "reason": "A key account needs it"})
    legacy.refresh_from_db()
    assert (legacy.override, legacy.override_reason) == ("sustain", "A key account needs it")
    assert (
        "Overruled: A key account needs it"
        in client.get(reverse("portfolio_products")).content.decode()
    )


def test_thresholds_are_settings_the_leader_changes(client, planned):
    login(client, planned["head"])
    r = client.post(reverse("portfolio_thresholds"), {"growing_market": "0.25"})
    assert r.status_code == 302
    html = client.get(reverse("portfolio_products")).content.decode()
    assert "below the 25% that counts as growing" in html
    r = client.post(reverse("portfolio_thresholds"), {"growing_market": "fast"})
    assert r.status_code == 400


def test_capacity_objectives_and_negative_capacity_in_the_web_app(client, planned):
    login(client, planned["head"])
    cap = TeamCapacity.objects.filter(team__organisation=planned["org"]).first()
    key = f"cap-{cap.team_id}-{cap.period_id}"
    r = client.post(reverse("portfolio_capacity"), {key: "-3"})
    assert r.status_code == 400 and "cannot be negative" in r.content.decode()
    client.post(reverse("portfolio_capacity"), {key: "33"})
    cap.refresh_from_db()
    assert cap.person_weeks == 33
    client.post(
        reverse("portfolio_objective_save"), {"key": "growth", "name": "Growth", "weight": "3"}
    )
    assert Objective.objects.get(organisation=planned["org"], key="growth").weight == 3


def test_an_initiative_entered_in_the_web_app_and_a_cycle_refused(client, planned):
    login(client, planned["head"])
    org = planned["org"]
    teams = {
        e.team.name: e.team_id
        for e in Initiative.objects.get(organisation=org, key="loyalty").efforts.all()
    }
    after = Initiative.objects.get(organisation=org, key="loyalty").id
    r = client.post(
        reverse("portfolio_initiative_new"),
        {
            "key": "wallet",
            "name": "Wallet",
            "value": "50",
            "value_low": "20",
            "value_high": "90",
            "duration": "1",
            "horizon": "adjacent",
            f"effort-{teams['payments']}": "4",
            "after": [str(after)],
        },
    )
    assert r.status_code == 302, r.content.decode()[:500]
    wallet = Initiative.objects.get(organisation=org, key="wallet")
    assert [a.key for a in wallet.after.all()] == ["loyalty"]
    r = client.post(
        reverse("portfolio_initiative", args=[after]),
        {
            "key": "loyalty",
            "name": "Loyalty",
            "value": "80",
            "duration": "1",
            "after": [str(wallet.id)],
            f"effort-{teams['payments']}": "8",
        },
    )
    assert r.status_code == 400
    html = r.content.decode()
    assert "dependency cycle: wallet → loyalty → wallet" in html
    assert 'value="Loyalty"' in html  # what was typed is kept


def test_a_web_import_lists_line_numbered_problems_and_imports_nothing(client, planned):
    login(client, planned["head"])
    before = Initiative.objects.filter(organisation=planned["org"]).count()
    r = client.post(
        reverse("portfolio_import"),
        {"kind": "initiatives-csv", "text": "id,name,value,effort:nowhere\nx,X,1,2\n"},
    )
    assert r.status_code == 400
    assert "unknown team" in r.content.decode() and "Nothing was imported" in r.content.decode()
    assert Initiative.objects.filter(organisation=planned["org"]).count() == before


def test_running_from_the_web_stores_the_run_and_the_status_endpoint_reports_it(client, planned):
    login(client, planned["head"])
    r = client.post(
        reverse("planning_scenario_run", args=[planned["scenario"].id]),
        {"time_limit": "5", "gap": "0.01"},
    )
    assert r.status_code == 302
    status = client.get(r.url.rstrip("/") + "/status/").json()
    assert status["status"] == "done" and status["outcome"] == "optimal"
