"""A leader's script sweeps a scenario through the REST API: starts the sweep (the form's
sweep text, or the sweep file's content as JSON), polls its progress and reads its table,
under the pages' access rules; a bad sweep is answered 422 with every problem placed."""

from __future__ import annotations

from typing import Any

import pytest
import yaml

from leadshift.people.services import do_create_api_token
from leadshift.planning.models import Scenario, Sweep
from leadshift.planning.services import do_create_scenario
from leadshift.scale.worker import worker_in_thread
from tests.planning.test_sweeps import EXAMPLE, TWO
from tests.scale.background import wait_for


def bearer(person: Any) -> dict[str, str]:
    _, raw = do_create_api_token(person)
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def start(client: Any, scenario: Scenario, auth: dict[str, str], body: dict[str, Any]) -> Any:
    return client.post(
        f"/api/v1/scenarios/{scenario.id}/sweeps", body, content_type="application/json", **auth
    )


@pytest.fixture
def base(portfolio: dict[str, Any], settings: Any) -> Scenario:
    settings.LEADSHIFT_SWEEP_PROCESSES = 0
    return do_create_scenario(portfolio["org"], portfolio["head"], name="Base plan")


@pytest.mark.django_db
def test_a_leader_starts_a_sweep_with_the_forms_text_and_reads_its_table(client, base, portfolio):
    auth = bearer(portfolio["head"])
    r = start(client, base, auth, {"sweep": TWO})
    assert r.status_code == 202, r.content
    started = r.json()
    assert started["scenario"] == base.id and started["total"] == 3
    status = client.get(started["status_url"], **auth).json()
    assert status["status"] == "done" and status["progress"] == "3 of 3 variants done"
    table = client.get(started["result_url"], **auth).json()
    assert [row["name"] for row in table["rows"]] == [
        "Base",
        "Platform -6 in Q2",
        "Loyalty, no AI, no precedence",
    ]
    first, less, _ = table["rows"]
    assert first["gain"] == 0 and first["status"] == "optimal"
    assert less["gain"] == pytest.approx(less["value"] - first["value"])
    assert less["changes"] == ["platform -6 person-weeks in Q2"]
    assert table["time_limit"] == 3 and table["node_limit"] is None


@pytest.mark.django_db
def test_the_sweep_files_content_as_json_gives_the_same_table_as_its_text(client, base, portfolio):
    auth = bearer(portfolio["head"])
    spec = yaml.safe_load(EXAMPLE.read_text())
    by_object = start(client, base, auth, {"spec": spec}).json()
    by_text = start(client, base, auth, {"sweep": EXAMPLE.read_text()}).json()
    rows = [client.get(s["result_url"], **auth).json()["rows"] for s in (by_object, by_text)]
    assert len(rows[0]) == 7 and rows[0] == rows[1]
    assert all(r["delivered_p50"] is not None for r in rows[0] if r["status"] != "infeasible")


@pytest.mark.django_db
def test_a_bad_sweep_is_answered_422_with_each_problem_placed_and_nothing_stored(
    client, base, portfolio
):
    auth = bearer(portfolio["head"])
    bad = "time_limit: 500\nvariants:\n  - name: X\n    capacity: [{team: nobody, delta: 1}]\n"
    r = start(client, base, auth, {"sweep": bad})
    assert r.status_code == 422
    body = r.json()
    assert body["field"] == "sweep.time_limit"
    assert {k: v for k, v in body["problems"][1].items() if k != "message"} == {
        "field": "sweep.variants[0].capacity[0].team",
        "line": 4,
    }
    assert "unknown team 'nobody'" in body["problems"][1]["message"]
    r = start(client, base, auth, {"spec": {"variants": [{"name": "Y", "excluded": ["nope"]}]}})
    assert r.status_code == 422
    assert r.json()["field"] == "spec.variants[0].excluded[0]"
    assert "unknown initiative 'nope'" in r.json()["detail"]
    r = start(client, base, auth, {})
    assert r.status_code == 422 and r.json()["field"] == "sweep"
    assert start(client, base, auth, [None, None]).status_code == 400  # not an object at all
    assert not Sweep.objects.exists()


@pytest.mark.django_db
def test_nobody_but_the_organisations_leaders_sees_or_starts_a_sweep(
    client, base, portfolio, make_org
):
    started = start(client, base, bearer(portfolio["head"]), {"sweep": TWO}).json()
    for outsider in (portfolio["pm"], make_org("Other")):
        auth = bearer(outsider)
        assert start(client, base, auth, {"sweep": TWO}).status_code == 404
        assert client.get(started["status_url"], **auth).status_code == 404
        assert client.get(started["result_url"], **auth).status_code == 404
    assert Sweep.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_queued_sweep_is_polled_until_a_worker_has_done_it(client, portfolio, settings):
    settings.LEADSHIFT_RUNS_IN_BACKGROUND = True
    settings.LEADSHIFT_SWEEP_PROCESSES = 0
    scenario = do_create_scenario(portfolio["org"], portfolio["head"], name="Base")
    auth = bearer(portfolio["head"])
    started = start(client, scenario, auth, {"sweep": TWO}).json()
    assert started["status"] == "queued" and started["progress"] == "0 of 3 variants done"
    assert client.get(started["result_url"], **auth).json()["rows"] is None

    def finished() -> Any:
        got = client.get(started["status_url"], **auth).json()
        return got if got["status"] in ("done", "failed") else None

    with worker_in_thread():
        done = wait_for(finished, timeout=120)
    assert done["status"] == "done", done["error"]
    assert done["progress"] == "3 of 3 variants done"
    rows = client.get(started["result_url"], **auth).json()["rows"]
    assert [r["name"] for r in rows] == [
        "Base",
        "Platform -6 in Q2",
        "Loyalty, no AI, no precedence",
    ]
