from __future__ import annotations

import json
import re

import pytest
from click.testing import CliRunner

from leadshift.cli import main
from leadshift.frameworks.schema import default_framework

FW = default_framework()


def answers_yaml(person: str, level: int = 3, cap_override: str = "") -> str:
    lines = [f"person: {person}", "target_role: group_pm", "shifts:"]
    for s in FW.shifts:
        lines.append(f"  {s.id}:")
        lines += [f"    {q.id}: 2" for q in s.questions]
    lines.append("capabilities:")
    for c in FW.capabilities:
        lines.append(f"  {c.id}: {level}")
    if cap_override:
        lines.append(cap_override)
    return "\n".join(lines) + "\n"


def test_framework_validate_accepts_the_default_and_names_the_place_of_a_mistake(tmp_path):
    runner = CliRunner()
    from leadshift.frameworks.schema import default_framework_text

    good = tmp_path / "fw.yaml"
    good.write_text(default_framework_text())
    r = runner.invoke(main, ["framework", "validate", str(good)])
    assert r.exit_code == 0 and "valid" in r.output
    bad = tmp_path / "bad.yaml"
    bad.write_text(re.sub(r"(?m)^version: .*$", "version: one", default_framework_text()))
    r = runner.invoke(main, ["framework", "validate", str(bad)])
    assert r.exit_code == 2
    assert "bad.yaml:" in r.output and "version" in r.output


def test_framework_show_prints_json():
    r = CliRunner().invoke(main, ["framework", "show", "--json"])
    data = json.loads(r.output)
    assert len(data["shifts"]) == 5 and len(data["capabilities"]) == 7


@pytest.mark.django_db
def test_assess_profile_and_plan_from_the_command_line(tmp_path, team):
    runner = CliRunner()
    f = tmp_path / "answers.yaml"
    f.write_text(answers_yaml("pia@acme.example"))
    r = runner.invoke(main, ["assess", "--answers", str(f)])
    assert r.exit_code == 0, r.output
    assert "Readiness" in r.output
    r = runner.invoke(main, ["profile", "pia@acme.example", "--json"])
    assert r.exit_code == 0, r.output
    assert json.loads(r.output)["profile"]["target_role"]["id"] == "group_pm"
    r = runner.invoke(main, ["plan", "pia@acme.example", "--generate", "--json"])
    assert r.exit_code == 0, r.output
    plan = json.loads(r.output)
    assert len(plan["goals"]) == 3
    r = runner.invoke(main, ["plan", "pia@acme.example"])
    assert "[ ]" in r.output


@pytest.mark.django_db
def test_a_malformed_answers_file_names_the_line_and_writes_nothing(tmp_path, team):
    f = tmp_path / "answers.yaml"
    f.write_text(answers_yaml("pia@acme.example", cap_override="  charisma: 3"))
    r = CliRunner().invoke(main, ["assess", "--answers", str(f)])
    assert r.exit_code == 2
    n_lines = len(f.read_text().splitlines())
    assert f"answers.yaml:{n_lines}: capabilities.charisma: unknown capability" in r.output
    assert team["pm"].assessments.count() == 0


@pytest.mark.django_db
def test_a_level_outside_the_framework_names_the_line(tmp_path, team):
    f = tmp_path / "answers.yaml"
    f.write_text(answers_yaml("pia@acme.example", level=7))
    r = CliRunner().invoke(main, ["assess", "--answers", str(f)])
    assert r.exit_code == 2
    assert "level 7 is outside" in r.output and "answers.yaml:" in r.output


@pytest.mark.django_db
def test_answers_for_another_person_are_refused(tmp_path, team):
    f = tmp_path / "answers.yaml"
    f.write_text(answers_yaml("pia@acme.example"))
    r = CliRunner().invoke(main, ["assess", "--answers", str(f), "--person", "gus@acme.example"])
    assert r.exit_code == 2
    assert "cannot be recorded" in r.output
    assert team["group"].assessments.count() == 0


def test_a_broken_yaml_file_names_its_line(tmp_path):
    f = tmp_path / "answers.yaml"
    f.write_text("person: a@b.c\nshifts: [unclosed\n")
    r = CliRunner().invoke(main, ["assess", "--answers", str(f)])
    assert r.exit_code == 2
    assert "answers.yaml:" in r.output and "not valid YAML" in r.output


@pytest.mark.django_db
def test_the_demo_builds_a_believable_organisation():
    from leadshift.demo import load_demo
    from leadshift.growth.models import CheckIn
    from leadshift.people.models import Person

    result = load_demo(seed=3)
    assert 55 <= result.people <= 65
    assert Person.objects.filter(reports__isnull=False).distinct().count() >= 10
    assert result.assessments >= 2 * (result.people - 1)
    assert CheckIn.objects.exists()
    assert result.pm.assessments.count() == 2
    # A year of Sam's calendar, as weekly aggregates, moving toward the leader's end.
    from leadshift.timeuse.services import summary_for

    use = summary_for(result.pm)
    assert len(use.weeks) >= 50
    assert all(t.direction == "toward leader" for t in use.trend.values())
    # Stakeholder maps with logged contacts for Sam and Maya.
    for person in (result.pm, result.leader):
        assert person.stakeholders.count() >= 5
        assert person.stakeholders.filter(interactions__isnull=False).exists()
