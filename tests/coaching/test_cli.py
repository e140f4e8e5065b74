"""`leadshift oneonones`, run as a user runs it: the installed command, the demo in a fresh data folder."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.user_shell import user_env as shell_env

LEADSHIFT = Path(sys.executable).parent / "leadshift"


@pytest.fixture(scope="module")
def user_env(demo_copy):
    return shell_env(demo_copy)


def run(env, *args):
    return subprocess.run([LEADSHIFT, *args], env=env, capture_output=True, text=True)


def test_it_prints_sams_series_with_their_agendas(user_env):
    r = run(user_env, "oneonones", "sam.rivera@northwind.example")
    assert r.returncode == 0, r.stderr
    assert "Maya Okafor and Sam Rivera · monthly" in r.stdout
    assert "How do I get more exposure to the executive team?" in r.stdout


def test_json_shows_shared_notes_but_no_private_one(user_env):
    r = run(user_env, "oneonones", "maya.okafor@northwind.example", "--json")
    assert r.returncode == 0, r.stderr
    rows = json.loads(r.stdout)
    assert {row["cadence"] for row in rows} == {"weekly", "monthly"}
    notes = [n for row in rows for m in row["past"] for n in m["notes"]]
    assert notes and not any(n["private"] for n in notes)
    assert "Seems stretched" not in r.stdout


def test_a_person_who_does_not_exist_is_a_clear_message_and_exit_2(user_env):
    r = run(user_env, "oneonones", "nobody@northwind.example")
    assert r.returncode == 2
    assert "no person 'nobody@northwind.example'" in r.stderr
    assert "Traceback" not in r.stderr


def test_sams_plan_grows_visionary_thinking_from_where_the_others_see_it(user_env):
    plan = json.loads(run(user_env, "plan", "sam.rivera@northwind.example", "--json").stdout)
    profile = json.loads(run(user_env, "profile", "sam.rivera@northwind.example", "--json").stdout)
    caps = profile.get("profile", profile)["capabilities"]
    own = next(c["level"] for c in caps if c["id"] == "visionary_thinking")
    vision = [g for g in plan["goals"] if g["capability"] == "visionary_thinking"]
    assert vision, "the manager and the 360 put visionary thinking low; the plan must grow it"
    assert vision[0]["from_level"] < own
