"""`leadshift mentors` and `leadshift digest send`, run as a user runs them: the installed
command, a fresh data folder with the demo loaded once."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.user_shell import user_env as shell_env

LEADSHIFT = Path(sys.executable).parent / "leadshift"
MAYA = "maya.okafor@northwind.example"
SAM = "sam.rivera@northwind.example"


@pytest.fixture(scope="module")
def user_env(tmp_path_factory):
    env = shell_env(tmp_path_factory.mktemp("data"))
    subprocess.run([LEADSHIFT, "migrate"], env=env, check=True, capture_output=True)
    subprocess.run([LEADSHIFT, "demo"], env=env, check=True, capture_output=True)
    return env


def run(env, *args):
    return subprocess.run([LEADSHIFT, *args], env=env, capture_output=True, text=True)


def test_mentors_lists_the_demo_s_two_pairs_and_who_has_no_one(user_env):
    r = run(user_env, "mentors", MAYA)
    assert r.returncode == 0, r.stderr
    assert "Mentoring pairs under Maya Okafor (2)" in r.stdout
    assert r.stdout.count(" mentors ") == 2
    assert "No mentor yet (" in r.stdout and "Sam Rivera" in r.stdout


def test_mentors_json_has_each_pair_with_its_series(user_env):
    data = json.loads(run(user_env, "mentors", MAYA, "--json").stdout)
    assert len(data["pairs"]) == 2 and all(p["series"] for p in data["pairs"])
    mentees = {p["mentee"]["id"] for p in data["pairs"]}
    assert not mentees & {p["id"] for p in data["without_mentor"]}


def test_mentors_of_a_person_who_does_not_exist_is_a_clear_message_and_exit_2(user_env):
    r = run(user_env, "mentors", "nobody@northwind.example")
    assert r.returncode == 2
    assert "no person 'nobody@northwind.example'" in r.stderr
    assert "Traceback" not in r.stderr


def test_digest_send_dry_run_then_send_then_nothing_twice(user_env):
    dry = run(user_env, "digest", "send", "--org", "northwind-labs", "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert f"Would send to {SAM}:" in dry.stdout
    assert "3 turned off" in dry.stdout
    sent = run(user_env, "digest", "send")
    assert sent.returncode == 0, sent.stderr
    assert f"Sent to {SAM}:" in sent.stdout and "wait in the outbox" in sent.stdout
    outbox = run(user_env, "outbox", "list", "--to", SAM)
    assert "Your week in LeadShift" in outbox.stdout
    again = run(user_env, "digest", "send")
    assert again.stdout.startswith("Sent 0 digests;") and "already sent this week" in again.stdout


def test_digest_send_for_an_unknown_organisation_is_exit_2(user_env):
    r = run(user_env, "digest", "send", "--org", "nowhere")
    assert r.returncode == 2 and "no organisation 'nowhere'" in r.stderr
    assert "Traceback" not in r.stderr
