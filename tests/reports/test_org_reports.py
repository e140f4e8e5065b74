"""The portfolio and allocation report, the risk report and the decision log: pages, PDFs
(rendered to text and images and read back), JSON, the CLI, and who may see which."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from click.testing import CliRunner
from django.urls import reverse

from leadshift.cli import main
from leadshift.decisions.services import DecisionIn, OptionIn, do_create_decision, do_record_outcome
from leadshift.planning.services import do_adopt, do_create_scenario, do_start_run
from leadshift.reports.charts import HEAT
from leadshift.risk.models import Risk
from leadshift.risk.services import RiskIn, do_save_risk, do_start_simulation
from tests.portfolio.helpers import load_example
from tests.reports.test_reports import pixels_near, read_pdf

pytestmark = pytest.mark.django_db
TODAY = dt.date.today()


@pytest.fixture(autouse=True)
def _runs_inline(settings):
    settings.LEADSHIFT_RUNS_IN_BACKGROUND = False


@pytest.fixture
def adopted(team):
    load_example(team["org"], team["head"])
    scenario = do_create_scenario(team["org"], team["head"], name="Next year")
    run = do_start_run(scenario, team["head"], time_limit=10)
    do_adopt(scenario, team["head"])
    return run


@pytest.fixture
def simulated(team, adopted):
    org, head = team["org"], team["head"]
    do_save_risk(
        org,
        head,
        RiskIn(
            "Payments lead leaves",
            0.6,
            value_loss_share=0.5,
            trigger="No replacement in a month",
            trigger_fired_on=TODAY - dt.timedelta(days=2),
        ),
    )
    do_save_risk(
        org,
        head,
        RiskIn("Vendor slips", 0.3, delay_periods=1, review_on=TODAY - dt.timedelta(days=9)),
    )
    return do_start_simulation(org, head, trials=500, seed=4, background=False)


@pytest.fixture
def decisions(team):
    pm = team["pm"]
    made = []
    for k, (question, forecast, outcome) in enumerate(
        [
            ("Sunset the legacy app?", 0.8, "succeeded"),
            ("Price the API per call?", 0.7, "failed"),
            ("Open a Nordic office?", 0.6, ""),
        ]
    ):
        d = do_create_decision(
            pm,
            DecisionIn(
                question=question,
                criteria=[("Cost", 1.0)],
                options=[OptionIn("Yes", "", [7]), OptionIn("Not now", "", [4])],
                chosen=k % 2,
                rationale="Cheapest path to the objective",
                reversible=k != 1,
                decided_on=TODAY - dt.timedelta(days=60 - k),
                forecast=forecast,
                review_on=TODAY - dt.timedelta(days=5),
            ),
        )
        if outcome:
            do_record_outcome(d, pm, outcome=outcome, lesson="Ask sales first", on=TODAY)
        made.append(d)
    return made


def pdf_of(client, kind, person, tmp_path):
    r = client.get(reverse("report_pdf", args=[kind, person.id]))
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    return read_pdf(r.content, tmp_path)


def test_the_portfolio_pdf_holds_the_plan_its_charts_and_the_products(
    client, team, adopted, tmp_path
):
    head = team["head"]
    client.force_login(head.user)
    page = client.get(reverse("report", args=["portfolio", head.id]))
    assert page.status_code == 200 and page.content.count(b"<svg") >= 4
    text, images = pdf_of(client, "portfolio", head, tmp_path)
    result = adopted.result
    for words in (
        "Portfolio and allocation",
        "The plan of record",
        "Next year",
        f"Planned value {result['objective']:.1f}",
        "Initiatives by period and team",
        "Utilisation",
        "score-and-sort",
        "Left out, and why",
        "Products: develop, scale, sustain or sunset",
        "Checkout",
        "Legacy",
        "sunset",
    ):
        assert words in text, words
    assert len(result["selected"]) >= 3
    assert pixels_near(images, "#2f6fde") > 200  # utilisation bars and the value bars
    data = client.get(reverse("report", args=["portfolio", head.id]), {"format": "json"}).json()
    assert data["plan_of_record"]["plan"]["objective"] == result["objective"]
    assert {p["key"] for p in data["products"]} == {"checkout", "legacy"}


def test_a_pm_gets_the_plan_of_record_but_not_the_products(client, team, adopted, tmp_path):
    pm = team["pm"]
    client.force_login(pm.user)
    text, _ = pdf_of(client, "portfolio", pm, tmp_path)
    assert "Initiatives by period and team" in text and "Products:" not in text
    data = client.get(reverse("report", args=["portfolio", pm.id]), {"format": "json"}).json()
    assert data["plan_of_record"] and "products" not in data


def test_without_a_plan_of_record_a_pm_gets_404_and_a_leader_is_told(client, team):
    client.force_login(team["pm"].user)
    assert client.get(reverse("report", args=["portfolio", team["pm"].id])).status_code == 404
    client.force_login(team["head"].user)
    page = client.get(reverse("report", args=["portfolio", team["head"].id]))
    assert b"No plan of record yet" in page.content


def test_the_risk_pdf_holds_the_register_heatmap_flags_and_simulation(
    client, team, simulated, tmp_path
):
    head = team["head"]
    client.force_login(head.user)
    page = client.get(reverse("report", args=["risk", head.id]))
    assert page.status_code == 200 and page.content.count(b"<svg") >= 3
    text, images = pdf_of(client, "risk", head, tmp_path)
    value = simulated.result["value"]
    for words in (
        "Risk report",
        "Needs attention (2)",
        "trigger fired",
        "review overdue",
        "Likelihood × impact",
        "The register (2 risks)",
        "Payments lead leaves",
        "Vendor slips",
        "Simulation of the plan",
        "500 trials",
        f"{value['p10']:.0f}",
        f"{value['p50']:.0f}",
        f"{value['p90']:.0f}",
        "What drives the spread",
        "When initiatives finish",
        "Value distribution per objective",
    ):
        assert words in text, words
    names = [o["id"] for o in simulated.result["objectives"]]
    assert names and all(text.count(n) >= 2 for n in names)  # its row and its histogram
    assert sum(pixels_near(images, c, tolerance=12) for c in HEAT) > 2000  # the heatmap
    assert pixels_near(images, "#6393e6") > 100  # the histogram: PRIMARY at 75 % opacity
    data = client.get(reverse("report", args=["risk", head.id]), {"format": "json"}).json()
    assert {r["title"] for r in data["risks"]} == {"Payments lead leaves", "Vendor slips"}
    assert len(data["flagged"]) == 2
    assert data["simulation"]["result"]["value"]["p50"] == value["p50"]
    assert client.get(f"/api/v1/reports/risk/{head.id}").json()["flagged"] == data["flagged"]
    assert client.get(f"/api/v1/reports/risk/{head.id}/pdf").content.startswith(b"%PDF")


def test_the_risk_report_without_a_simulation_says_how_to_get_one(client, team):
    do_save_risk(team["org"], None, RiskIn("Slip", 0.4))
    client.force_login(team["group"].user)  # leads Pia: a leader
    page = client.get(reverse("report", args=["risk", team["group"].id])).content.decode()
    assert "Slip" in page and "No finished simulation yet" in page


def test_the_decision_log_pdf_holds_each_record_and_the_calibration(
    client, team, decisions, tmp_path
):
    pm = team["pm"]
    client.force_login(team["head"].user)  # her manager's manager may see her decisions
    text, images = pdf_of(client, "decisions", pm, tmp_path)
    for words in (
        "Decision log",
        "Pia PM",
        "Calibration",
        "Brier score",
        "Sunset the legacy app?",
        "Price the API per call?",
        "Open a Nordic office?",
        "one-way door",
        "two-way door",
        "Succeeded",
        "Failed",
        "Ask sales first",
        "80 % that it works",
        "1 review due",
    ):
        assert words in text, words
    assert pixels_near(images, "#2f6fde") > 50  # the reliability chart
    data = client.get(reverse("report", args=["decisions", pm.id]), {"format": "json"}).json()
    assert data["decisions"][0]["question"] == "Open a Nordic office?"
    assert data["calibration"]["count"] == 2


@pytest.mark.parametrize(
    "kind,who",
    [("risk", "pm"), ("risk", "peer"), ("portfolio", "peer"), ("decisions", "peer")],
)
def test_what_a_viewer_may_not_see_is_404_on_page_pdf_and_api(
    client, team, simulated, decisions, kind, who
):
    viewer = team[who]
    subject = team["pm"] if kind == "decisions" else viewer
    if kind == "portfolio":
        subject = team["head"]  # an org report asked for someone else
    client.force_login(viewer.user)
    assert client.get(reverse("report", args=[kind, subject.id])).status_code == 404
    assert client.get(reverse("report_pdf", args=[kind, subject.id])).status_code == 404
    assert client.get(f"/api/v1/reports/{kind}/{subject.id}").status_code == 404


def test_another_organisation_sees_nothing_of_ours(client, team, simulated, decisions, make_org):
    other = make_org("Globex")  # their admin: a leader there
    client.force_login(other.user)
    for kind, subject in (("risk", team["head"]), ("portfolio", team["head"])):
        assert client.get(reverse("report", args=[kind, subject.id])).status_code == 404
    assert client.get(reverse("report", args=["decisions", team["pm"].id])).status_code == 404
    theirs = client.get(reverse("report", args=["risk", other.id]), {"format": "json"}).json()
    assert theirs["risks"] == [] and theirs["simulation"] is None
    page = client.get(reverse("report", args=["portfolio", other.id])).content.decode()
    assert "No plan of record yet" in page and "Checkout" not in page
    assert Risk.objects.filter(organisation=team["org"]).count() == 2


def test_the_reports_index_and_the_pages_link_to_the_new_reports(client, team, adopted, decisions):
    head = team["head"]
    client.force_login(head.user)
    index = client.get(reverse("reports")).content.decode()
    for kind in ("portfolio", "risk", "decisions"):
        assert reverse("report", args=[kind, head.id]) in index
    for name, kind in (
        ("risk_register", "risk"),
        ("plan_of_record", "portfolio"),
        ("decision_list", "decisions"),
    ):
        page = client.get(reverse(name)).content.decode()
        assert reverse("report_pdf", args=[kind, head.id]) in page, name
    client.force_login(team["pm"].user)
    index = client.get(reverse("reports")).content.decode()
    assert reverse("report", args=["portfolio", team["pm"].id]) in index
    assert reverse("report", args=["risk", team["pm"].id]) not in index


def test_the_cli_writes_each_new_report_and_refuses_what_the_viewer_may_not_see(
    team, simulated, decisions, tmp_path
):
    head, pm = team["head"], team["pm"]
    for kind, who in (("portfolio", head), ("risk", head), ("decisions", pm)):
        out = tmp_path / f"{kind}.pdf"
        r = CliRunner().invoke(
            main, ["report", kind, "--as", who.email, "--format", "pdf", "--out", str(out)]
        )
        assert r.exit_code == 0, r.output
        assert out.read_bytes().startswith(b"%PDF")
    r = CliRunner().invoke(main, ["report", "risk", "--as", head.email, "--format", "json"])
    assert json.loads(r.output)["simulation"]["trials"] == 500
    r = CliRunner().invoke(main, ["report", "risk", "--as", pm.email, "--format", "json"])
    assert r.exit_code == 2 and "leaders and admins" in r.output
    r = CliRunner().invoke(main, ["report", "portfolio", pm.email, "--as", head.email])
    assert r.exit_code == 2 and "ask for it as yourself" in r.output
    r = CliRunner().invoke(main, ["report", "decisions", pm.email, "--as", team["peer"].email])
    assert r.exit_code == 2 and "may see" in r.output
