"""The `leadshift timeuse` command."""

import json

from click.testing import CliRunner

from leadshift.timeuse.cli import timeuse_command


def run(*args):
    return CliRunner().invoke(timeuse_command, [str(a) for a in args])


def test_it_prints_total_hours_by_shift_and_weeks_as_json(data):
    result = run(data / "google_export.ics", "--reports", "tom@acme.com", "--json")
    assert result.exit_code == 0, result.output
    summary = json.loads(result.output)
    assert summary["total_hours"] == 7.25
    assert summary["by_shift"]["team"] == {"pm": 0.0, "leader": 2.0}
    assert list(summary["weeks"]) == ["2026-W10", "2026-W11", "2026-W12", "2026-W13", "2026-W14"]


def test_it_limits_the_window_with_from_and_to(data):
    result = run(data / "google_export.ics", "--from", "2026-03-09", "--to", "2026-03-15", "--json")
    summary = json.loads(result.output)
    assert summary["total_hours"] == 2.0
    assert list(summary["weeks"]) == ["2026-W11"]


def test_it_skips_what_the_owner_named_with_owner_declined(data):
    with_owner = json.loads(run(data / "declined.ics", "--owner", "maya@acme.com", "--json").output)
    without = json.loads(run(data / "declined.ics", "--json").output)
    assert with_owner["skipped"] == {"declined": 2}
    assert without["total_hours"] == with_owner["total_hours"] + 1.5


def test_it_prints_a_readable_table(data):
    result = run(data / "outlook_export.ics", "--owner", "jane.doe@contoso.com")
    assert result.exit_code == 0
    assert "5 meetings, 7.0 h" in result.output
    assert "stakeholders" in result.output
    assert "2026-W16" in result.output


def test_it_reads_a_folder(data):
    result = run(data, "--owner", "maya@acme.com", "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["meetings"] > 30


def test_it_ends_with_a_placed_message_on_bad_input(tmp_path):
    bad = tmp_path / "bad.ics"
    bad.write_text(
        "BEGIN:VCALENDAR\nVERSION:2.0\nBEGIN:VEVENT\nnonsense\nEND:VEVENT\nEND:VCALENDAR\n"
    )
    result = run(bad)
    assert result.exit_code == 2
    assert f"{bad}:4: broken line" in result.output


def test_it_shows_the_rules_it_uses(data):
    rules = json.loads(run(data / "google_export.ics", "--show-rules").output)
    assert rules[0]["id"] == "personal-time"
    assert all("description" in r for r in rules)


def test_it_uses_a_persons_own_rule_file(data, tmp_path):
    mine = tmp_path / "rules.yaml"
    mine.write_text(
        "rules:\n  - id: all-strategy\n    description: Everything is strategy.\n"
        "    poles: {focus:leader: 1}\n"
    )
    summary = json.loads(run(data / "google_export.ics", "--rules", mine, "--json").output)
    assert summary["by_shift"]["focus"] == {"pm": 0.0, "leader": 7.25}
