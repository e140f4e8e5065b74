"""The portfolio and planning API, and `leadshift portfolio import/export/products`."""

from __future__ import annotations

import json

import pytest
import yaml
from click.testing import CliRunner

from leadshift.cli import main
from leadshift.people.services import do_create_api_token
from leadshift.portfolio.models import Initiative
from tests.portfolio.helpers import EXAMPLE, PRODUCTS

pytestmark = pytest.mark.django_db


def bearer(person):
    _, raw = do_create_api_token(person)
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def test_the_leaders_flow_through_the_api(client, team):
    auth = bearer(team["head"])
    r = client.post(
        "/api/v1/portfolio/import",
        {"text": EXAMPLE.read_text() + PRODUCTS, "filename": "p.yaml"},
        content_type="application/json",
        **auth,
    )
    assert r.status_code == 200, r.content
    assert r.json()["imported"]["initiatives"] == 9
    products = client.get("/api/v1/portfolio/products", **auth).json()
    assert {p["key"]: p["recommendation"] for p in products} == {
        "checkout": "scale",
        "legacy": "sunset",
    }
    r = client.put(
        "/api/v1/portfolio/products/legacy/override",
        {"recommendation": "sustain", "reason": "Contract until 2027"},
        content_type="application/json",
        **auth,
    )
    assert (
        r.json()["decision"] == "sustain"
        and r.json()["override"]["reason"] == "Contract until 2027"
    )
    r = client.post(
        "/api/v1/portfolio/initiatives",
        [
            {
                "id": "wallet",
                "value": {"low": 10, "likely": 30, "high": 60},
                "effort": {"payments": 4},
                "horizon": "core",
            }
        ],
        content_type="application/json",
        **auth,
    )
    assert r.json() == {"saved": 1}
    r = client.post("/api/v1/scenarios", {"name": "Base"}, content_type="application/json", **auth)
    sid = r.json()["id"]
    r = client.post(
        f"/api/v1/scenarios/{sid}/capacity",
        {"team": "mobile", "period": "Q2", "person_weeks": 30},
        content_type="application/json",
        **auth,
    )
    assert r.json()["capacity"] == [{"team": "mobile", "period": "Q2", "person_weeks": 30.0}]
    r = client.post(
        f"/api/v1/scenarios/{sid}/runs",
        {"time_limit": 5, "wait": True},
        content_type="application/json",
        **auth,
    )
    assert r.status_code == 202
    run = r.json()
    assert run["status"] == "done" and run["result"]["status"] == "optimal"
    assert set(run["baselines"]) == {"rice", "wsjf", "value-per-effort"}
    assert client.get(f"/api/v1/runs/{run['id']}/status", **auth).json()["outcome"] == "optimal"
    r = client.post(f"/api/v1/scenarios/{sid}/adopt", {}, content_type="application/json", **auth)
    assert r.json()["plan_of_record"] is True
    pm_view = client.get("/api/v1/plan-of-record", **bearer(team["pm"]))
    assert pm_view.status_code == 200 and pm_view.json()["scenario"]["name"] == "Base"


def test_api_bad_input_is_a_400_naming_line_and_rule_and_nothing_is_saved(client, team):
    auth = bearer(team["head"])
    bad = EXAMPLE.read_text().replace("{id: mobile, capacity: 16}", "{id: mobile, capacity: -1}")
    r = client.post(
        "/api/v1/portfolio/import",
        {"text": bad, "filename": "bad.yaml"},
        content_type="application/json",
        **auth,
    )
    assert r.status_code == 400
    assert "bad.yaml:6: teams[2].capacity: must be at least 0" in r.json()["detail"]
    assert not Initiative.objects.filter(organisation=team["org"]).exists()


def test_api_refuses_pms_and_other_organisations_with_404(client, team, make_org):
    client.post(
        "/api/v1/portfolio/import",
        {"text": EXAMPLE.read_text(), "filename": "p.yaml"},
        content_type="application/json",
        **bearer(team["head"]),
    )
    sid = client.post(
        "/api/v1/scenarios", {"name": "S"}, content_type="application/json", **bearer(team["head"])
    ).json()["id"]
    pm = bearer(team["pm"])
    for url in (
        "/api/v1/portfolio",
        "/api/v1/portfolio/products",
        "/api/v1/scenarios",
        f"/api/v1/scenarios/{sid}",
    ):
        assert client.get(url, **pm).status_code == 404, url
    assert (
        client.post(
            "/api/v1/scenarios", {"name": "Mine"}, content_type="application/json", **pm
        ).status_code
        == 404
    )
    outsider = bearer(make_org("Globex"))
    assert client.get(f"/api/v1/scenarios/{sid}", **outsider).status_code == 404
    assert (
        client.post(
            f"/api/v1/scenarios/{sid}/runs", {}, content_type="application/json", **outsider
        ).status_code
        == 404
    )
    assert "migrate-db" not in json.dumps(client.get("/api/v1/portfolio", **outsider).json())
    assert client.get("/api/v1/plan-of-record", **outsider).status_code == 404


def test_cli_import_export_and_products(tmp_path, team):
    org = team["org"]
    runner = CliRunner()
    f = tmp_path / "p.yaml"
    f.write_text(EXAMPLE.read_text() + PRODUCTS)
    r = runner.invoke(main, ["portfolio", "import", str(f), "--org", org.slug])
    assert r.exit_code == 0, r.output
    assert "9 initiatives" in r.output
    r = runner.invoke(main, ["portfolio", "export", "--org", org.slug])
    data = yaml.safe_load(r.output)
    assert len(data["initiatives"]) == 9 and data["products"][0]["id"] == "checkout"
    out = tmp_path / "out.json"
    r = runner.invoke(main, ["portfolio", "export", "--org", org.slug, "--json", "-o", str(out)])
    assert json.loads(out.read_text())["periods"] == ["Q1", "Q2", "Q3", "Q4"]
    r = runner.invoke(main, ["allocate", str(out), "--time-limit", "5", "--json"])
    assert json.loads(r.stdout)["status"] == "optimal"
    r = runner.invoke(main, ["portfolio", "products", "--org", org.slug])
    assert "Legacy: sunset" in r.output


def test_cli_bad_file_exits_2_naming_line_and_unknown_org(tmp_path, team):
    runner = CliRunner()
    f = tmp_path / "i.csv"
    f.write_text("id,name,value,effort:payments,after\nx,X,1,2,y\n")
    r = runner.invoke(main, ["portfolio", "import", str(f), "--org", team["org"].slug])
    assert r.exit_code == 2
    assert "i.csv" in r.output and "unknown" in r.output
    r = runner.invoke(main, ["portfolio", "export", "--org", "nope"])
    assert r.exit_code == 2 and "no organisation 'nope'" in r.output
