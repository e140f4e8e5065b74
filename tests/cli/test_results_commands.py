"""`leadshift portfolio actuals|sync|health` as a user types them, against the demo."""

from __future__ import annotations

import json
from pathlib import Path

from .conftest import DEMO_ORG, RunLeadshift


def test_health_shows_the_demo_churn_off_its_trajectory_and_actuals_move_it(
    run_leadshift: RunLeadshift, tmp_path: Path
):
    ran = run_leadshift("portfolio", "health", "--org", DEMO_ORG)
    assert ran.code == 0, ran
    assert "Monthly logo churn" in ran.stdout and "(OFF TRACK)" in ran.stdout
    assert ran.stdout.count("OFF TRACK") == 1, "the demo has one key result behind"
    ran = run_leadshift("portfolio", "health", "--org", DEMO_ORG, "--json")
    assert ran.code == 0, ran
    data = json.loads(ran.stdout)
    assert data["value"]["has_plan"] and data["value"]["planned"] > data["value"]["delivered"] > 0
    assert {o["key"] for o in data["objectives"]} >= {"revenue", "retention"}
    for o in data["objectives"]:
        assert 1 <= len(o["key_results"]) <= 3 and o["series"]

    ran = run_leadshift("portfolio", "actuals", "docs/examples/actuals.csv", "--org", DEMO_ORG)
    assert ran.code == 0, ran
    assert "Recorded 4 actuals in Northwind Labs." in ran.stdout

    bad = tmp_path / "work" / "bad.csv"
    bad.write_text(
        "objective,key_result,date,value\nretention,churn,2025-10-31,2.2\nsales,arr,2025-10-31,3\n"
    )
    ran = run_leadshift("portfolio", "actuals", "bad.csv", "--org", DEMO_ORG)
    assert ran.code == 2, ran
    assert ran.stderr.strip() == "bad.csv:3:1: objective: no objective 'sales' in Northwind Labs"


def test_sync_reads_the_jira_and_linear_examples_and_refuses_unknown_keys(
    run_leadshift: RunLeadshift, tmp_path: Path
):
    jira = "docs/examples/jira-export.csv"
    ran = run_leadshift("portfolio", "sync", jira, "--org", DEMO_ORG, "--from", "jira")
    assert ran.code == 0, ran
    assert "Synced 7 initiatives from Jira" in ran.stdout
    linear = "docs/examples/linear-export.csv"
    ran = run_leadshift("portfolio", "sync", linear, "--org", DEMO_ORG, "--from", "linear")
    assert ran.code == 0, ran
    assert "Synced 3 initiatives from Linear" in ran.stdout
    health = json.loads(run_leadshift("portfolio", "health", "--org", DEMO_ORG, "--json").stdout)
    assert health["value"]["initiatives_by_status"]["done"] >= 5

    wrong = tmp_path / "work" / "unknown.csv"
    wrong.write_text("Issue key,Status,Resolved\nSHOP-102,Done,\nNOPE-1,Done,\nSHOP-102,Done,\n")
    ran = run_leadshift("portfolio", "sync", "unknown.csv", "--org", DEMO_ORG, "--from", "jira")
    assert ran.code == 2, ran
    assert ran.stderr.strip().splitlines() == [
        "unknown.csv:4:1: SHOP-102 is listed twice (also on line 2)",
    ]
    wrong.write_text("Issue key,Status,Resolved\nNOPE-1,Done,\n")
    ran = run_leadshift("portfolio", "sync", "unknown.csv", "--org", DEMO_ORG, "--from", "jira")
    assert ran.code == 2, ran
    assert "unknown.csv:2: NOPE-1: no initiative has this external key in Northwind Labs" in (
        ran.stderr
    )
