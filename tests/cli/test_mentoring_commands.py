"""`leadshift mentors` and `leadshift digest send`, run as a user runs them: the installed
command against a private copy of the demo (tests/cli/conftest.py)."""

from __future__ import annotations

import json

from tests.cli.conftest import DEMO_LEADER, DEMO_ORG, DEMO_PM, RunLeadshift


def test_mentors_lists_the_demo_s_two_pairs_and_who_has_no_one(run_leadshift: RunLeadshift):
    r = run_leadshift("mentors", DEMO_LEADER)
    assert r.code == 0, r.stderr
    assert "Mentoring pairs under Maya Okafor (2)" in r.stdout
    assert r.stdout.count(" mentors ") == 2
    assert "No mentor yet (" in r.stdout and "Sam Rivera" in r.stdout


def test_mentors_json_has_each_pair_with_its_series(run_leadshift: RunLeadshift):
    data = json.loads(run_leadshift("mentors", DEMO_LEADER, "--json").stdout)
    assert len(data["pairs"]) == 2 and all(p["series"] for p in data["pairs"])
    mentees = {p["mentee"]["id"] for p in data["pairs"]}
    assert not mentees & {p["id"] for p in data["without_mentor"]}


def test_mentors_of_a_person_who_does_not_exist_is_a_clear_message_and_exit_2(
    run_leadshift: RunLeadshift,
):
    r = run_leadshift("mentors", "nobody@northwind.example")
    assert r.code == 2
    assert "no person 'nobody@northwind.example'" in r.stderr
    assert "Traceback" not in r.stderr


def test_digest_send_dry_run_then_send_then_nothing_twice(run_leadshift: RunLeadshift):
    dry = run_leadshift("digest", "send", "--org", DEMO_ORG, "--dry-run")
    assert dry.code == 0, dry.stderr
    assert f"Would send to {DEMO_PM}:" in dry.stdout
    assert "3 turned off" in dry.stdout
    sent = run_leadshift("digest", "send")
    assert sent.code == 0, sent.stderr
    assert f"Sent to {DEMO_PM}:" in sent.stdout and "wait in the outbox" in sent.stdout
    outbox = run_leadshift("outbox", "list", "--to", DEMO_PM)
    assert "Your week in LeadShift" in outbox.stdout
    again = run_leadshift("digest", "send")
    assert again.stdout.startswith("Sent 0 digests;") and "already sent this week" in again.stdout


def test_digest_send_for_an_unknown_organisation_is_exit_2(run_leadshift: RunLeadshift):
    r = run_leadshift("digest", "send", "--org", "nowhere")
    assert r.code == 2 and "no organisation 'nowhere'" in r.stderr
    assert "Traceback" not in r.stderr
