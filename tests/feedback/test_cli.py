"""The feedback commands print released aggregates only, and fail cleanly."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from leadshift.cli import main
from leadshift.feedback import services
from tests.feedback.conftest import answer_all, rater_rows

pytestmark = pytest.mark.django_db


def test_results_team_and_cycles_from_the_command_line(team, open_cycle):
    cycle, tokens = open_cycle(rater_rows(n_peers=3, n_reports=1))
    answer_all(tokens, lambda e: 2, comment="Good")
    runner = CliRunner()
    r = runner.invoke(main, ["feedback", "results", "pia@acme.example"])
    assert r.exit_code == 2 and "no released feedback" in r.output
    r = runner.invoke(main, ["feedback", "cycles", "pia@acme.example"])
    assert r.exit_code == 0 and "Peer 3/3" in r.output
    # The lone report is counted as "others", and whether they answered is not told.
    assert "Others –/1" in r.output and "Direct report" not in r.output
    services.do_close_and_release(cycle, team["pm"])
    r = runner.invoke(main, ["feedback", "results", "pia@acme.example", "--json"])
    assert r.exit_code == 0, r.output
    data = json.loads(r.output)
    assert {g["id"] for g in data["groups"]} == {"manager", "peer"}
    assert data["withheld_raters"] is None and "report" not in data["answered"]
    text = runner.invoke(main, ["feedback", "results", "pia@acme.example"]).output
    assert "Peers" in text and "Good peer0" in text
    assert "report0" not in text and "Good report0" not in text
    r = runner.invoke(main, ["feedback", "team", "hana@acme.example", "--json"])
    assert any(
        p["name"] == "Pia PM" and p["source"] == "360" for p in json.loads(r.output)["people"]
    )
    assert runner.invoke(main, ["feedback", "release-due"]).output.strip() == "released 0 cycles"
