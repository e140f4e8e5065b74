"""`leadshift pulse results`, run as a user runs it: the installed command, a fresh data
folder with the demo."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.user_shell import user_env as shell_env

LEADSHIFT = Path(sys.executable).parent / "leadshift"
MAYA = "maya.okafor@northwind.example"


@pytest.fixture(scope="module")
def user_env(demo_copy):
    """A user's environment on this module's copy of the demo (built once per test process)."""
    return shell_env(demo_copy)


def run(env, *args):
    return subprocess.run([LEADSHIFT, *args], env=env, capture_output=True, text=True)


def test_it_prints_mayas_latest_pulse_and_her_trend(user_env):
    r = run(user_env, "pulse", "results", MAYA)
    assert r.returncode == 0, r.stderr
    assert "Culture pulse of Maya Okafor" in r.stdout
    assert "Psychological safety" in r.stdout and "Trend (all items):" in r.stdout
    assert "withheld" not in r.stdout


def test_json_holds_items_teams_and_a_rising_trend_and_no_one(user_env):
    r = run(user_env, "pulse", "results", MAYA, "--json")
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    assert len(data["items"]) == 6 and data["teams"]
    assert all(t["n"] >= data["threshold"] for t in data["teams"])
    trend = data["trend"]
    assert len(trend) == 3 and all(row["shown"] for row in trend)
    assert trend[0]["overall"] < trend[-1]["overall"]
    assert "@northwind.example" not in json.dumps({**data, "leader": None})


def test_a_pulse_below_the_threshold_is_a_clear_refusal_with_exit_2(user_env):
    rows = json.loads(run(user_env, "people", "list", "--org", "northwind-labs", "--json").stdout)
    directors = [p["email"] for p in rows if p.get("title") == "Director of Product"]
    outcomes = [run(user_env, "pulse", "results", email) for email in directors]
    refused = [r for r in outcomes if "withheld" in r.stderr]
    assert len(refused) == 1, [r.stderr for r in outcomes]
    r = refused[0]
    assert r.returncode == 2 and r.stdout == "" and "Traceback" not in r.stderr
    assert "fewer than 3 people" in r.stderr


def test_a_person_who_does_not_exist_is_a_clear_message_and_exit_2(user_env):
    r = run(user_env, "pulse", "results", "nobody@northwind.example")
    assert r.returncode == 2
    assert "no person 'nobody@northwind.example'" in r.stderr
    assert "Traceback" not in r.stderr
