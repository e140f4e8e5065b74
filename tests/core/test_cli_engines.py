"""The engine commands: plain input files in, JSON out, placed errors on bad input."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from leadshift.cli import main

EXAMPLE = Path(__file__).resolve().parents[2] / "docs" / "examples" / "portfolio.yaml"


def test_allocate_prints_status_objective_bound_and_selected():
    r = CliRunner().invoke(main, ["allocate", str(EXAMPLE), "--time-limit", "10", "--json"])
    assert r.exit_code == 0, r.output
    data = json.loads(r.output[r.output.index("{") :])
    assert data["status"] == "optimal"
    assert data["objective"] >= data["baselines"]["rice"]["objective"]
    assert {"id": "migrate-db", "start": "Q1"}.items() <= next(
        s for s in data["selected"] if s["id"] == "migrate-db"
    ).items()


def test_allocate_names_the_unknown_team_and_its_line(tmp_path):
    bad = tmp_path / "p.yaml"
    bad.write_text(
        "periods: [Q1]\nteams:\n  - {id: a, capacity: 5}\ninitiatives:\n  - {id: x, value: 3, effort: {b: 2}}\n"
    )
    r = CliRunner().invoke(main, ["allocate", str(bad)])
    assert r.exit_code == 2
    assert "p.yaml:5" in r.output and "unknown team 'b'" in r.output


def test_score_reads_a_ratings_file_and_reports_rater_severity(tmp_path):
    f = tmp_path / "r.csv"
    f.write_text(
        "subject,rater,relationship,capability,score\n"
        "ann,bob,peer,vision,3\nann,cid,peer,vision,4\nann,ann,self,vision,5\n"
        "bob,ann,peer,vision,2\nbob,cid,peer,vision,3\nbob,dee,manager,vision,\n"
    )
    r = CliRunner().invoke(main, ["score", str(f), "--json"])
    assert r.exit_code == 0, r.output
    data = json.loads(r.output[r.output.index("{") :])
    ann = next(s for s in data["subjects"] if s["subject"] == "ann")
    assert ann["self"] == 5 and ann["low"] <= ann["estimate"] <= ann["high"]
    assert {x["rater"] for x in data["raters"]} >= {"bob", "cid"}


def test_score_refuses_a_duplicate_row_with_its_line(tmp_path):
    f = tmp_path / "r.csv"
    f.write_text(
        "subject,rater,relationship,capability,score\nann,bob,peer,v,3\nann,bob,peer,v,4\n"
    )
    r = CliRunner().invoke(main, ["score", str(f)])
    assert r.exit_code == 2 and "r.csv:3" in r.output
