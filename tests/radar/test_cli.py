"""`leadshift radar`, run as a user runs it: the installed command, the demo, a fresh data folder."""

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


def test_mayas_radar_shows_each_kind_of_signal_with_why_and_evidence(user_env):
    r = run(user_env, "radar", MAYA)
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith("Maya Okafor's pivot radar: ")
    for label in (
        "[Risk trigger fired]",
        "[Stakeholder turned blocker]",
        "[Objective unlikely to reach its target]",
        "[Lifecycle recommendation changed]",
    ):
        assert label in r.stdout
    assert "Daniel Price is blocking" in r.stdout
    assert "why: " in r.stdout and "evidence: " in r.stdout


def test_json_lists_the_signals_with_their_next_steps(user_env):
    r = run(user_env, "radar", MAYA, "--json")
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    assert data["leader"]["email"] == MAYA and data["objective_threshold"] == 0.5
    kinds = {s["kind"] for s in data["signals"]}
    assert {"risk_trigger", "stakeholder_blocker", "objective_odds", "lifecycle"} <= kinds
    assert all(s["decision_url"].startswith("/decisions/new/?") for s in data["signals"])
    assert data["dismissed"] == []


def test_a_person_who_does_not_exist_is_a_clear_message_and_exit_2(user_env):
    r = run(user_env, "radar", "nobody@example.com")
    assert r.returncode == 2
    assert "no person 'nobody@example.com'" in r.stderr
    assert "Traceback" not in r.stderr


def test_a_pm_has_no_radar(user_env):
    r = run(user_env, "radar", "sam.rivera@northwind.example")
    assert r.returncode == 2 and "not a leader" in r.stderr and "Traceback" not in r.stderr


def test_a_data_folder_never_migrated_says_what_to_do_and_exits_2(tmp_path):
    r = run(shell_env(tmp_path / "data"), "radar", "nobody@example.com")
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert "no person 'nobody@example.com'" in r.stderr and "leadshift migrate" in r.stderr
