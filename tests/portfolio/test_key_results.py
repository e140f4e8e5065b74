"""Key results with actuals (pages, CSV, API), initiative status and tracker sync, hires and
attrition, and the portfolio file carrying all of it."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
import yaml
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from leadshift.core.errors import Invalid
from leadshift.files import InputError
from leadshift.people.services import do_create_api_token
from leadshift.portfolio.document import build_document, engine_portfolio
from leadshift.portfolio.models import Initiative, KeyResult, KeyResultActual, Objective, Period
from leadshift.portfolio.services import (
    do_import,
    do_import_actuals,
    do_record_actual,
    do_save_key_result,
    do_set_capacity_changes,
    do_set_status,
    do_sync,
    export_document,
)
from leadshift.portfolio.sync_file import STATUS_MAP
from tests.portfolio.helpers import load_example

pytestmark = pytest.mark.django_db
EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "examples"
TODAY = timezone.localdate()


def login(client, person):
    client.force_login(person.user)
    return client


@pytest.fixture
def churn(portfolio):
    """Retention's churn key result: 3 % down to 2 % over a year that is half gone."""
    o = Objective.objects.get(organisation=portfolio["org"], key="retention")
    kr = do_save_key_result(
        o,
        portfolio["head"],
        key="churn",
        name="Monthly churn",
        unit="%",
        baseline=3.0,
        target=2.0,
        starts_on=TODAY - dt.timedelta(days=180),
        due_on=TODAY + dt.timedelta(days=180),
    )
    return {**portfolio, "objective": o, "kr": kr}


@pytest.fixture
def other(make_org):
    """Another organisation with its own objective and key result."""
    admin = make_org("Globex", admin_email="ada@globex.example")
    load_example(admin.organisation, admin)
    o = Objective.objects.get(organisation=admin.organisation, key="revenue")
    kr = do_save_key_result(
        o,
        admin,
        key="arr",
        name="ARR",
        baseline=1,
        target=2,
        starts_on=TODAY - dt.timedelta(days=10),
        due_on=TODAY + dt.timedelta(days=10),
    )
    return {"admin": admin, "org": admin.organisation, "kr": kr}


# --- Pages ---------------------------------------------------------------------------------


def test_a_leader_adds_a_key_result_and_records_an_actual_that_puts_it_behind(client, portfolio):
    login(client, portfolio["head"])
    o = Objective.objects.get(organisation=portfolio["org"], key="revenue")
    page = reverse("portfolio_objective", args=[o.id])
    r = client.post(
        reverse("portfolio_key_result_save", args=[o.id]),
        {
            "key": "arr",
            "name": "Annual recurring revenue",
            "unit": "€ k",
            "baseline": "1,000",
            "target": "2000",
            "starts_on": (TODAY - dt.timedelta(days=100)).isoformat(),
            "due_on": (TODAY + dt.timedelta(days=100)).isoformat(),
        },
    )
    assert r.status_code == 302 and r["Location"] == page
    kr = KeyResult.objects.get(objective=o, key="arr")
    r = client.post(
        reverse("portfolio_actual_add", args=[kr.id]),
        {"on": TODAY.isoformat(), "value": "1100", "note": "slow quarter"},
        follow=True,
    )
    text = r.content.decode()
    assert "Recorded 1100 for “Annual recurring revenue”" in text
    assert "off its trajectory" in text
    assert "40% of the way behind the line" in text
    assert KeyResultActual.objects.get(key_result=kr).note == "slow quarter"


def test_a_key_result_whose_target_is_its_baseline_is_refused_on_the_page(client, portfolio):
    login(client, portfolio["head"])
    o = Objective.objects.get(organisation=portfolio["org"], key="revenue")
    r = client.post(
        reverse("portfolio_key_result_save", args=[o.id]),
        {
            "key": "flat",
            "name": "Flat",
            "baseline": "5",
            "target": "5",
            "starts_on": "2026-01-01",
            "due_on": "2026-06-30",
        },
    )
    assert r.status_code == 400
    assert "the target equals the baseline" in r.content.decode()
    assert not KeyResult.objects.filter(key="flat").exists()


def test_another_organisations_objective_key_result_and_actual_pages_answer_404(
    client, churn, other
):
    login(client, churn["head"])
    theirs = other["kr"]
    assert client.get(reverse("portfolio_objective", args=[theirs.objective_id])).status_code == 404
    r = client.post(reverse("portfolio_actual_add", args=[theirs.id]), {"on": TODAY, "value": "9"})
    assert r.status_code == 404
    assert not KeyResultActual.objects.filter(key_result=theirs).exists()


def test_the_health_page_shows_the_charts_and_the_key_result_off_track(client, churn):
    do_record_actual(churn["kr"], churn["head"], on=TODAY, value=2.95)
    login(client, churn["head"])
    r = client.get(reverse("portfolio_health"))
    text = r.content.decode()
    assert r.status_code == 200
    assert "<svg" in text and "Key-result progress per objective" in text
    assert "Planned against delivered value" in text
    assert 'data-testid="kr-retention-churn"' in text and "off its trajectory" in text


def test_a_pm_gets_404_for_health_objectives_and_sync(client, churn):
    login(client, churn["pm"])
    for url in (
        reverse("portfolio_health"),
        reverse("portfolio_objective", args=[churn["objective"].id]),
        reverse("portfolio_sync"),
    ):
        assert client.get(url).status_code == 404, url


# --- Actuals by CSV ---------------------------------------------------------------------


def test_a_csv_of_actuals_is_recorded_whole(churn):
    text = "objective,key_result,date,value,note\nretention,churn,2025-10-31,2.8,first\n"
    assert do_import_actuals(churn["org"], churn["head"], text, "a.csv") == 1
    assert KeyResultActual.objects.get(key_result=churn["kr"]).value == 2.8


def test_a_bad_csv_names_every_problem_by_file_line_and_column_and_records_nothing(churn):
    text = (
        "objective,key_result,date,value,note\n"
        "retention,churn,2025-10-31,2.8,fine\n"
        "retention,churn,31/10/2025,2.7,\n"
        "retention,churn,2025-11-30,lots,\n"
        "retention,nps,2025-11-30,40,\n"
        "growth,churn,2025-11-30,2.5,\n"
    )
    with pytest.raises(InputError) as caught:
        do_import_actuals(churn["org"], churn["head"], text, "actuals.csv")
    assert caught.value.describe().splitlines() == [
        "actuals.csv:3:3: date: expected YYYY-MM-DD, got '31/10/2025'",
        "actuals.csv:4:4: value: expected a number, got 'lots'",
    ]
    text = text.replace("31/10/2025", "2025-10-30").replace("lots", "2.6")
    with pytest.raises(InputError) as caught:
        do_import_actuals(churn["org"], churn["head"], text, "actuals.csv")
    assert caught.value.describe().splitlines() == [
        "actuals.csv:5:2: key_result: objective 'retention' has no key result 'nps'",
        "actuals.csv:6:1: objective: no objective 'growth' in Acme",
    ]
    assert not KeyResultActual.objects.exists()


def test_a_csv_naming_another_organisations_objective_is_refused_and_nothing_written(churn, other):
    text = "objective,key_result,date,value\nretention,churn,2025-10-31,2.8\nrevenue,arr,2025-10-31,1.5\n"
    with pytest.raises(
        InputError, match=r"a.csv:3:2: key_result: objective 'revenue' has no key result 'arr'"
    ):
        do_import_actuals(churn["org"], churn["head"], text, "a.csv")
    assert not KeyResultActual.objects.exists()


def test_the_health_page_upload_lists_the_problems_and_records_nothing(client, churn):
    login(client, churn["head"])
    bad = SimpleUploadedFile(
        "mine.csv", b"objective,key_result,date,value\nretention,churn,2025-10-31,x\n"
    )
    r = client.post(reverse("portfolio_actuals_import"), {"file": bad})
    assert r.status_code == 400
    assert "mine.csv:2:4: value: expected a number, got &#x27;x&#x27;" in r.content.decode()
    assert not KeyResultActual.objects.exists()


# --- API --------------------------------------------------------------------------------


def auth(person):
    _, raw = do_create_api_token(person)
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def test_the_api_records_an_actual_and_reports_the_trajectory(client, churn):
    r = client.post(
        "/api/v1/portfolio/objectives/retention/key-results/churn/actuals",
        {"date": TODAY.isoformat(), "value": 2.9, "note": "api"},
        content_type="application/json",
        **auth(churn["head"]),
    )
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["direction"] == "decrease"
    assert body["trajectory"]["off_track"] is True
    assert body["trajectory"]["behind_by"] == pytest.approx(0.4, abs=0.01)
    health = client.get("/api/v1/portfolio/health", **auth(churn["head"])).json()
    (retention,) = [o for o in health["objectives"] if o["key"] == "retention"]
    assert retention["key_results"][0]["off_track"] is True


def test_the_api_answers_404_for_another_organisations_key_result_and_writes_nothing(
    client, churn, other
):
    r = client.post(
        "/api/v1/portfolio/objectives/revenue/key-results/arr/actuals",
        {"date": TODAY.isoformat(), "value": 1.5},
        content_type="application/json",
        **auth(churn["head"]),
    )
    assert r.status_code == 404
    assert "No key result revenue/arr in your organisation" in r.json()["detail"]
    assert not KeyResultActual.objects.filter(key_result=other["kr"]).exists()


def test_the_api_import_of_actuals_answers_400_with_the_places(client, churn):
    r = client.post(
        "/api/v1/portfolio/actuals/import",
        {
            "text": "objective,key_result,date,value\nretention,churn,tomorrow,2\n",
            "filename": "x.csv",
        },
        content_type="application/json",
        **auth(churn["head"]),
    )
    assert r.status_code == 400
    assert r.json()["detail"] == "x.csv:2:3: date: expected YYYY-MM-DD, got 'tomorrow'"


# --- Initiative status ------------------------------------------------------------------


def test_status_moves_forward_freely_and_back_only_with_a_reason(portfolio):
    head = portfolio["head"]
    item = Initiative.objects.get(organisation=portfolio["org"], key="checkout-v2")
    do_set_status(item, head, status="in_progress")
    do_set_status(item, head, status="done", finished_on=TODAY - dt.timedelta(days=2))
    assert item.finished_on == TODAY - dt.timedelta(days=2)
    with pytest.raises(
        Invalid, match="“checkout-v2” would go back from done to in progress: say why"
    ):
        do_set_status(item, head, status="in_progress")
    item.refresh_from_db()
    assert item.status == "done"
    do_set_status(item, head, status="in_progress", reason="Reopened: refunds broke in Safari")
    item.refresh_from_db()
    assert item.status == "in_progress" and item.finished_on is None
    assert item.status_reason == "Reopened: refunds broke in Safari"


def test_the_status_form_refuses_a_step_back_without_a_reason(client, portfolio):
    item = Initiative.objects.get(organisation=portfolio["org"], key="loyalty")
    do_set_status(item, portfolio["head"], status="in_progress")
    item.refresh_from_db()
    login(client, portfolio["head"])
    r = client.post(
        reverse("portfolio_initiative_status", args=[item.id]),
        {"status": "proposed", "version": item.version, "external_key": ""},
        follow=True,
    )
    assert "would go back from in progress to proposed: say why" in r.content.decode()
    item.refresh_from_db()
    assert item.status == "in_progress"


# --- Sync from Jira and Linear ----------------------------------------------------------

JIRA = "Summary,Issue key,Status,Resolution,Resolved\n"


def keyed(portfolio):
    head = portfolio["head"]
    items = {i.key: i for i in Initiative.objects.filter(organisation=portfolio["org"])}
    for key, ext in (("checkout-v2", "PAY-1"), ("loyalty", "PAY-2"), ("dark-mode", "MOB-9")):
        do_set_status(items[key], head, status="planned", external_key=ext)
    return items


def test_a_jira_export_sets_status_and_actual_finish_by_key(portfolio):
    keyed(portfolio)
    text = (
        JIRA
        + "Checkout,PAY-1,Done,Done,12/Oct/25 4:10 PM\n"
        + "Loyalty,PAY-2,Done,Won't Do,13/Oct/25 9:00 AM\n"
    )
    assert do_sync(portfolio["org"], portfolio["head"], text, "jira.csv", "jira") == {
        "rows": 2,
        "changed": 2,
    }
    items = {i.key: i for i in Initiative.objects.filter(organisation=portfolio["org"])}
    assert (items["checkout-v2"].status, items["checkout-v2"].finished_on) == (
        "done",
        dt.date(2025, 10, 12),
    )
    assert items["loyalty"].status == "dropped"


def test_the_example_exports_read_as_documented():
    from leadshift.portfolio.sync_file import read_sync

    jira = read_sync((EXAMPLES / "jira-export.csv").read_text(), "jira-export.csv", "jira")
    assert [(r.key, r.status) for r in jira][:5] == [
        ("SHOP-101", "done"),
        ("SHOP-102", "done"),
        ("SHOP-103", "in_progress"),
        ("SHOP-105", "in_progress"),
        ("SHOP-106", "dropped"),
    ]
    linear = read_sync((EXAMPLES / "linear-export.csv").read_text(), "linear.csv", "linear")
    assert [(r.key, r.status, r.finished) for r in linear] == [
        ("MOB-41", "done", dt.date(2025, 10, 27)),
        ("MOB-42", "in_progress", None),
        ("WEB-8", "planned", None),
    ]


def test_unknown_and_duplicate_keys_are_named_by_line_and_nothing_is_written(portfolio):
    keyed(portfolio)
    text = (
        JIRA
        + "Checkout,PAY-1,Done,Done,12/Oct/25 4:10 PM\n"
        + "Mystery,PAY-404,In Progress,,\n"
        + "Checkout again,PAY-1,In Progress,,\n"
        + "Dark,MOB-9,Blocked,,\n"
    )
    with pytest.raises(InputError) as caught:
        do_sync(portfolio["org"], portfolio["head"], text, "jira.csv", "jira")
    assert caught.value.describe().splitlines() == [
        "jira.csv:4:2: PAY-1 is listed twice (also on line 2)",
        "jira.csv:5:3: MOB-9: unknown status 'Blocked' (known: "
        + ", ".join(sorted(STATUS_MAP))
        + ")",
    ]
    text = JIRA + "Checkout,PAY-1,Done,Done,12/Oct/25 4:10 PM\nMystery,PAY-404,In Progress,,\n"
    with pytest.raises(
        InputError, match=r"jira\.csv:3: PAY-404: no initiative has this external key in Acme"
    ):
        do_sync(portfolio["org"], portfolio["head"], text, "jira.csv", "jira")
    assert (
        Initiative.objects.get(organisation=portfolio["org"], key="checkout-v2").status == "planned"
    )


def test_a_sync_that_moves_a_status_back_needs_a_reason(portfolio):
    items = keyed(portfolio)
    do_set_status(items["checkout-v2"], portfolio["head"], status="done")
    text = "ID,Status,Completed\nPAY-1,In Progress,\n"
    with pytest.raises(
        InputError,
        match=r"linear.csv:2: PAY-1: .* would go back from done to in progress: say why .*\(or give a reason for the sync\)",
    ):
        do_sync(portfolio["org"], portfolio["head"], text, "linear.csv", "linear")
    do_sync(portfolio["org"], portfolio["head"], text, "linear.csv", "linear", reason="Reopened")
    assert Initiative.objects.get(pk=items["checkout-v2"].pk).status_reason == "Reopened"


def test_a_file_from_the_other_tracker_is_refused_by_name(portfolio):
    with pytest.raises(InputError, match="not a Jira export: no 'Issue key' column"):
        do_sync(
            portfolio["org"],
            portfolio["head"],
            (EXAMPLES / "linear-export.csv").read_text(),
            "linear-export.csv",
            "jira",
        )


def test_the_sync_page_uploads_an_export(client, portfolio):
    keyed(portfolio)
    login(client, portfolio["head"])
    export = SimpleUploadedFile("jira.csv", (JIRA + "Checkout,PAY-1,In Progress,,\n").encode())
    r = client.post(reverse("portfolio_sync"), {"file": export, "source": "jira"}, follow=True)
    assert "Synced 1 initiatives: 1 changed status or finish." in r.content.decode()
    unknown = SimpleUploadedFile("jira.csv", (JIRA + "X,NOPE-1,Done,,\n").encode())
    r = client.post(reverse("portfolio_sync"), {"file": unknown, "source": "jira"})
    assert (
        r.status_code == 400 and "NOPE-1: no initiative has this external key" in r.content.decode()
    )


# --- Hires and attrition ----------------------------------------------------------------


def test_the_optimiser_plans_on_capacity_plus_hires_minus_attrition(client, portfolio):
    org, head = portfolio["org"], portfolio["head"]
    q3 = Period.objects.get(organisation=org, name="Q3")
    team = org.teams.get(name="mobile")
    login(client, head)
    r = client.post(
        reverse("portfolio_capacity_changes"),
        {f"hires-{team.id}-{q3.id}": "6", f"attrition-{team.id}-{q3.id}": "2"},
    )
    assert r.status_code == 302
    doc = build_document(org, full=False)
    (mobile,) = [t for t in doc["teams"] if t["id"] == "mobile"]
    assert mobile["capacity"] == 16
    assert mobile["hires"] == {"Q1": 0, "Q2": 0, "Q3": 6, "Q4": 0}
    engine = engine_portfolio(doc)
    (planned,) = [t for t in engine.teams if t.id == "mobile"]
    assert planned.capacity == (16, 16, 20, 16)
    assert "plans on 20" in client.get(reverse("portfolio_home")).content.decode()


def test_attrition_beyond_the_team_leaves_nothing_and_negative_numbers_are_refused(portfolio):
    org, head = portfolio["org"], portfolio["head"]
    q1 = Period.objects.get(organisation=org, name="Q1")
    team = org.teams.get(name="mobile")
    with pytest.raises(Invalid, match="not negative"):
        do_set_capacity_changes(org, head, {(team.id, q1.id): (-1.0, 0.0)})
    do_set_capacity_changes(org, head, {(team.id, q1.id): (0.0, 40.0)})
    (planned,) = [t for t in engine_portfolio(build_document(org)).teams if t.id == "mobile"]
    assert planned.capacity[0] == 0


# --- The portfolio file ----------------------------------------------------------------


def test_key_results_status_and_hires_round_trip_through_the_portfolio_file(churn, make_org):
    org, head = churn["org"], churn["head"]
    do_record_actual(churn["kr"], head, on=TODAY - dt.timedelta(days=3), value=2.7, note="ok")
    item = Initiative.objects.get(organisation=org, key="migrate-db")
    do_set_status(item, head, status="done", finished_on=TODAY, external_key="PLAT-7")
    do_set_status(item, head, status="in_progress", reason="Rollback")
    team = org.teams.get(name="platform")
    do_set_capacity_changes(
        org, head, {(team.id, Period.objects.get(organisation=org, name="Q2").id): (5.0, 1.0)}
    )
    doc = export_document(org, head)
    text = yaml.safe_dump(doc, sort_keys=False, allow_unicode=True)
    fresh = make_org("Initech", admin_email="ian@initech.example")
    do_import(fresh.organisation, fresh, text, "acme.yaml")
    again = export_document(fresh.organisation, fresh)
    assert {k: v for k, v in again.items() if k != "name"} == {
        k: v for k, v in doc.items() if k != "name"
    }
    (retention,) = [o for o in again["objectives"] if o["id"] == "retention"]
    assert retention["key_results"][0]["actuals"] == [
        {"date": (TODAY - dt.timedelta(days=3)).isoformat(), "value": 2.7, "note": "ok"}
    ]
    (migrate,) = [i for i in again["initiatives"] if i["id"] == "migrate-db"]
    assert migrate["status"] == "in_progress" and migrate["status_reason"] == "Rollback"
    assert migrate["external_key"] == "PLAT-7"


def test_a_file_moving_a_status_back_without_a_reason_is_refused_with_its_line(portfolio):
    org, head = portfolio["org"], portfolio["head"]
    do_set_status(Initiative.objects.get(organisation=org, key="loyalty"), head, status="done")
    doc = export_document(org, head)
    for item in doc["initiatives"]:
        if item["id"] == "loyalty":
            item["status"] = "planned"
            item.pop("finished")
    with pytest.raises(
        InputError,
        match=r"initiatives\[\d+\]\.status: goes back from done to planned: give status_reason",
    ):
        do_import(org, head, json.dumps(doc, indent=1), "back.json")
    assert Initiative.objects.get(organisation=org, key="loyalty").status == "done"


def test_a_bad_key_result_in_the_file_is_placed(portfolio):
    org, head = portfolio["org"], portfolio["head"]
    doc = export_document(org, head)
    doc["objectives"][0]["key_results"] = [
        {
            "id": "x",
            "name": "X",
            "baseline": 1,
            "target": 1,
            "start": "2026-01-01",
            "due": "2025-01-01",
            "actuals": [{"date": "soon", "value": "a lot"}],
        }
    ]
    with pytest.raises(InputError) as caught:
        do_import(org, head, json.dumps(doc, indent=1), "kr.json")
    text = caught.value.describe()
    assert "objectives[0].key_results[0].target: the target equals the baseline" in text
    assert "objectives[0].key_results[0].due: the due date must come after the start" in text
    assert "objectives[0].key_results[0].actuals[0].date: an actual needs a date" in text
    assert "objectives[0].key_results[0].actuals[0].value: expected a number, got 'a lot'" in text
    assert not KeyResult.objects.filter(objective__organisation=org).exists()


def test_the_api_sets_a_status_and_syncs_an_export_all_or_nothing(client, portfolio):
    keyed(portfolio)
    headers = auth(portfolio["head"])
    r = client.put(
        "/api/v1/portfolio/initiatives/checkout-v2/status",
        {"status": "done", "finished": TODAY.isoformat()},
        content_type="application/json",
        **headers,
    )
    assert r.status_code == 200, r.content
    assert r.json()["status"] == "done" and r.json()["external_key"] == "PAY-1"
    r = client.put(
        "/api/v1/portfolio/initiatives/checkout-v2/status",
        {"status": "planned"},
        content_type="application/json",
        **headers,
    )
    assert r.status_code == 400 and "say why" in r.json()["detail"]
    r = client.post(
        "/api/v1/portfolio/sync",
        {"text": "ID,Status\nPAY-2,In Progress\nPAY-2,Done\n", "source": "linear"},
        content_type="application/json",
        **headers,
    )
    assert r.status_code == 400
    assert r.json()["detail"] == "request.csv:3:1: PAY-2 is listed twice (also on line 2)"
    assert Initiative.objects.get(organisation=portfolio["org"], key="loyalty").status == "planned"
