"""Every documented command, typed into a plain shell against the demo."""

from __future__ import annotations

import json
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

from .conftest import (
    DEMO_LEADER,
    DEMO_ORG,
    DEMO_PM,
    LEADSHIFT,
    DemoSetUp,
    RunLeadshift,
    user_env,
)

FRAMEWORK = Path(__file__).resolve().parents[2] / "src/leadshift/frameworks/data/default.yaml"


def test_migrate_and_demo_set_up_an_empty_data_folder(
    demo_set_up: DemoSetUp, run_leadshift: RunLeadshift
):
    # The session fixture ran `leadshift migrate`, then `leadshift demo`, in a fresh data folder.
    assert "Database is up to date" in demo_set_up.migrate.stdout, demo_set_up.migrate
    assert "Loaded Northwind Labs: 60 people" in demo_set_up.demo.stdout, demo_set_up.demo
    assert DEMO_PM in demo_set_up.demo.stdout and DEMO_LEADER in demo_set_up.demo.stdout
    assert (demo_set_up.data / "leadshift.sqlite3").exists()
    ran = run_leadshift("demo", "--seed", "7")
    assert ran.code == 0 and "already loaded" in ran.stdout, ran
    ran = run_leadshift("migrate", "--verbose")
    assert ran.code == 0 and "Database is up to date" in ran.stdout, ran


def test_profile_plan_and_token_work_in_a_plain_shell(run_leadshift: RunLeadshift):
    ran = run_leadshift("profile", DEMO_PM)
    assert ran.code == 0 and "Sam Rivera — assessment of" in ran.stdout, ran
    assert "settings are not configured" not in ran.stderr
    data = json.loads(run_leadshift("profile", DEMO_PM, "--json").stdout)
    assert data["person"]["email"] == DEMO_PM and data["changes"] is not None
    ran = run_leadshift("plan", DEMO_PM)
    assert ran.code == 0 and "90-day plan" in ran.stdout, ran
    ran = run_leadshift("plan", DEMO_PM, "--generate", "--json")
    assert ran.code == 0 and json.loads(ran.stdout)["goals"], ran
    ran = run_leadshift("token", "create", DEMO_PM, "--name", "laptop")
    assert ran.code == 0 and ran.stdout.startswith("ls_"), ran


def test_assess_records_the_documented_answers_file_and_names_the_line_of_a_mistake(
    run_leadshift: RunLeadshift, tmp_path: Path
):
    ran = run_leadshift("assess", "--answers", "docs/examples/answers.yaml", "--json")
    assert ran.code == 0, ran
    profile = json.loads(ran.stdout)
    assert profile["person"] == DEMO_PM
    assert profile["profile"]["target_role"]["id"] == "group_pm"
    bad = tmp_path / "work" / "answers.yaml"
    bad.write_text((tmp_path / "work/docs/examples/answers.yaml").read_text() + "  charisma: 3\n")
    ran = run_leadshift("assess", "--answers", "answers.yaml")
    assert ran.code == 2, ran
    assert ran.stderr.startswith(
        "answers.yaml:36: capabilities.charisma: unknown capability 'charisma' (one of "
    ), ran
    # The example's decision-making checklist gives level 3; a tick for a behaviour the
    # framework version does not have is refused, its line named, nothing recorded.
    caps = {c["id"]: c for c in profile["profile"]["capabilities"]}
    assert caps["decision_making_risk"]["level"] == 3
    example = (tmp_path / "work/docs/examples/answers.yaml").read_text()
    bad.write_text(example.replace("3.1, 3.2, 3.4]", "3.1, 3.2, 3.9]"))
    ran = run_leadshift("assess", "--answers", "answers.yaml")
    assert ran.code == 2, ran
    assert ran.stderr.startswith(
        "answers.yaml:34: capabilities.decision_making_risk.behaviours[8]: 3.9 is not a "
        "behaviour of 'decision_making_risk' in Product manager to product leader v1.1.0"
    ), ran
    ran = run_leadshift("framework", "show")
    assert "3.2 Reviews each recorded decision" in ran.stdout
    assert "[evidence: decision_reviews]" in ran.stdout


def test_framework_validate_show_and_install(run_leadshift: RunLeadshift, tmp_path: Path):
    own = tmp_path / "work" / "ladder.yaml"
    own.write_text(FRAMEWORK.read_text().replace('version: "1.1.0"', 'version: "1.2.0"'))
    ran = run_leadshift("framework", "validate", "ladder.yaml")
    assert ran.code == 0 and "valid" in ran.stdout, ran
    ran = run_leadshift("framework", "show")
    assert ran.code == 0 and "Shifts" in ran.stdout, ran
    data = json.loads(run_leadshift("framework", "show", "--json", "--file", "ladder.yaml").stdout)
    assert data["version"] == "1.2.0"
    ran = run_leadshift("framework", "install", "ladder.yaml", "--org", DEMO_ORG)
    assert ran.code == 0 and "now assesses with" in ran.stdout, ran


def test_engine_commands_need_no_database_and_leave_no_data_folder(
    run_fresh: RunLeadshift, tmp_path: Path
):
    ran = run_fresh("score", "docs/examples/ratings.csv", "--json")
    assert ran.code == 0, ran
    assert {r["rater"] for r in json.loads(ran.stdout)["raters"]} >= {"eve", "fay"}
    ran = run_fresh("score", "docs/examples/ratings.csv", "--method", "mean")
    assert ran.code == 0, ran
    ran = run_fresh("allocate", "docs/examples/portfolio.yaml", "--time-limit", "10", "--json")
    assert ran.code == 0 and json.loads(ran.stdout)["status"] == "optimal", ran
    ran = run_fresh(
        "simulate", "docs/examples/plan-with-risks.yaml", "--trials", "500", "--seed", "1"
    )
    assert ran.code == 0 and "delivered value" in ran.stdout, ran
    # The same seed gives the same result to the last digit on any number of threads.
    results = []
    for workers in ("1", "3"):
        ran = run_fresh(
            "simulate", "docs/examples/plan-with-risks.yaml", "--trials", "3000", "--json",
            "--workers", workers,
        )  # fmt: skip
        assert ran.code == 0, ran
        results.append(json.loads(ran.stdout))
    assert results[0] == results[1] and results[0]["trials"] == 3000
    ran = run_fresh("framework", "validate", str(FRAMEWORK))
    assert ran.code == 0, ran
    assert not (tmp_path / "fresh-data").exists()


def test_score_refuses_ratings_the_model_cannot_fit_without_a_traceback(
    run_fresh: RunLeadshift, tmp_path: Path
):
    thin = tmp_path / "fresh-work" / "thin.csv"
    thin.write_text(
        "subject,rater,relationship,capability,score\n"
        "ann,ann,self,vision,4\nann,bob,peer,vision,3\nbob,bob,self,vision,3\n"
        "bob,ann,peer,vision,3\nann,dee,manager,vision,3\nbob,dee,manager,vision,\n"
    )
    ran = run_fresh("score", "thin.csv")
    assert ran.code in (0, 2), ran
    assert "Traceback" not in ran.stderr


def test_feedback_cycles_results_team_and_release(run_leadshift: RunLeadshift):
    ran = run_leadshift("feedback", "cycles", DEMO_PM)
    assert ran.code == 0 and "released" in ran.stdout and "open" in ran.stdout, ran
    ran = run_leadshift("feedback", "results", DEMO_PM)
    assert ran.code == 0 and "360 feedback for Sam Rivera" in ran.stdout, ran
    data = json.loads(run_leadshift("feedback", "results", DEMO_PM, "--json").stdout)
    assert data["threshold"] >= 3
    ran = run_leadshift("feedback", "team", DEMO_LEADER, "--json")
    assert ran.code == 0 and json.loads(ran.stdout)["people"], ran
    ran = run_leadshift("feedback", "release-due")
    assert ran.code == 0 and ran.stdout.startswith("released "), ran


def test_portfolio_import_export_and_products(run_leadshift: RunLeadshift, tmp_path: Path):
    ran = run_leadshift("portfolio", "products", "--org", DEMO_ORG)
    assert ran.code == 0 and "Checkout" in ran.stdout, ran
    ran = run_leadshift("portfolio", "export", "--org", DEMO_ORG, "-o", "portfolio-export.yaml")
    assert ran.code == 0, ran
    ran = run_leadshift("allocate", "portfolio-export.yaml", "--time-limit", "10")
    assert ran.code == 0, ran
    ran = run_leadshift("portfolio", "import", "docs/examples/portfolio.yaml", "--org", DEMO_ORG)
    assert ran.code == 0 and "Imported into Northwind Labs" in ran.stdout, ran


def test_timeuse_reads_a_calendar_and_keeps_weekly_totals_for_a_person(
    run_leadshift: RunLeadshift,
):
    ran = run_leadshift("timeuse", "docs/examples/calendar.ics")
    assert ran.code == 0 and "meetings" in ran.stdout, ran
    ran = run_leadshift("timeuse", "read", "docs/examples/calendar.ics", "--json")
    assert ran.code == 0 and json.loads(ran.stdout), ran
    ran = run_leadshift("timeuse", "import", "docs/examples/calendar.ics", "--person", DEMO_PM)
    assert ran.code == 0 and "Only weekly totals are kept" in ran.stdout, ran
    ran = run_leadshift("timeuse", "show", DEMO_PM)
    assert ran.code == 0 and "Sam Rivera" in ran.stdout, ran
    ran = run_leadshift("timeuse", "delete", DEMO_PM)
    assert ran.code == 0 and ran.stdout.startswith("Deleted "), ran
    ran = run_leadshift("timeuse", "show", DEMO_PM)
    assert "No calendar imported" in ran.stdout, ran


def test_decisions_list_export_and_calibration(run_leadshift: RunLeadshift, tmp_path: Path):
    ran = run_leadshift("decisions", "list", DEMO_LEADER, "--due", "--json")
    assert ran.code == 0, ran
    first = json.loads(ran.stdout)[0]["id"]
    ran = run_leadshift("decisions", "export", str(first), "--format", "md", "-o", "d.md")
    assert ran.code == 0 and (tmp_path / "work" / "d.md").read_text().startswith("#"), ran
    ran = run_leadshift("decisions", "calibration", DEMO_LEADER)
    assert ran.code == 0 and "Brier" in ran.stdout, ran


def test_report_writes_a_pdf_and_refuses_a_viewer_who_may_not_see(
    run_leadshift: RunLeadshift, tmp_path: Path
):
    ran = run_leadshift(
        "report", "readiness", DEMO_PM, "--as", DEMO_LEADER, "--format", "pdf", "--out", "r.pdf"
    )
    assert ran.code == 0, ran
    assert (tmp_path / "work" / "r.pdf").read_bytes().startswith(b"%PDF")
    ran = run_leadshift("report", "readiness", DEMO_LEADER, "--as", DEMO_PM)
    assert ran.code == 2 and "no such person" in ran.stderr, ran


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_serve_answers_on_its_port(run_leadshift: RunLeadshift, tmp_path: Path):
    port = _free_port()
    server = subprocess.Popen(
        [str(LEADSHIFT), "serve", "--port", str(port), "--no-demo"],
        cwd=tmp_path / "work",
        # As `make run` serves it: local mode (production mode wants a secret key).
        env={**user_env(tmp_path / "data"), "LEADSHIFT_LOCAL": "1"},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/login/") as page:
                    assert page.status == 200 and b"LeadShift" in page.read()
                    break
            except OSError:
                assert server.poll() is None, server.communicate()
                assert time.monotonic() < deadline, "the server did not answer in 120 s"
                time.sleep(0.5)
    finally:
        server.terminate()
        out, _ = server.communicate(timeout=30)
    assert f"LeadShift is running at http://localhost:{port}/" in out


def test_every_command_said_to_need_no_database_exists():
    from leadshift.cli import NO_DATABASE, leaf_commands, main

    assert set(leaf_commands(main)) >= NO_DATABASE


def test_worker_does_what_is_queued_and_stops_when_asked_to(run_leadshift: RunLeadshift):
    ran = run_leadshift("worker", "--batch")
    assert ran.code == 0, ran
    assert "Traceback" not in ran.stderr
