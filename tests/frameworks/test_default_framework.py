"""The default framework file, and how the schema reports a broken framework."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from leadshift.files import InputError
from leadshift.frameworks.schema import (
    Framework,
    default_framework,
    load_framework_file,
    load_framework_text,
)

SHIFTS = ["scope", "focus", "decisions", "team", "stakeholders"]
CAPABILITIES = [
    "visionary_thinking",
    "strategic_planning",
    "leadership_team_development",
    "stakeholder_management",
    "adaptability_learning",
    "decision_making_risk",
    "cultural_leadership",
]
TRACKS = [
    "expand_strategic_thinking",
    "build_leadership_skills",
    "strengthen_stakeholder_relationships",
    "focus_long_term_vision",
    "embrace_continuous_learning",
    "develop_risk_management",
]
ROLES_BY_SENIORITY = ["senior_pm", "group_pm", "director_product", "vp_product", "cpo"]


@pytest.fixture(scope="module")
def fw() -> Framework:
    return default_framework()


# The default file -------------------------------------------------------------------


def test_the_default_framework_loads_with_its_identity(fw: Framework) -> None:
    assert fw.schema_ == "leadshift/framework@1"
    assert fw.key == "product_leadership"
    assert fw.version == "1.1.0"


def test_it_has_the_five_shifts_of_the_seed_in_order(fw: Framework) -> None:
    assert [s.id for s in fw.shifts] == SHIFTS


def test_every_shift_asks_three_questions_of_four_or_five_options(fw: Framework) -> None:
    for shift in fw.shifts:
        assert len(shift.questions) == 3, shift.id
        for q in shift.questions:
            assert 4 <= len(q.options) <= 5, q.id


def test_every_question_runs_from_the_pm_end_to_the_leader_end(fw: Framework) -> None:
    for shift in fw.shifts:
        for q in shift.questions:
            positions = [o.position for o in q.options]
            assert positions[0] == 0 and positions[-1] == 100, q.id
            assert positions == sorted(set(positions)), q.id


def test_question_ids_are_unique_across_the_framework(fw: Framework) -> None:
    ids = [q.id for s in fw.shifts for q in s.questions]
    assert len(ids) == len(set(ids))


def test_it_has_the_seven_capabilities_each_with_five_levels(fw: Framework) -> None:
    assert [c.id for c in fw.capabilities] == CAPABILITIES
    for c in fw.capabilities:
        assert [lv.level for lv in c.levels] == [1, 2, 3, 4, 5], c.id


def test_level_names_are_the_same_in_every_capability(fw: Framework) -> None:
    names = {tuple(lv.name for lv in c.levels) for c in fw.capabilities}
    assert names == {("Foundational", "Developing", "Proficient", "Advanced", "Leading")}


def test_every_level_has_three_or_four_behaviours(fw: Framework) -> None:
    for c in fw.capabilities:
        for lv in c.levels:
            assert 3 <= len(lv.behaviours) <= 4, (c.id, lv.level)


def test_it_has_the_six_tracks_with_at_least_six_actions_each(fw: Framework) -> None:
    assert [t.id for t in fw.tracks] == TRACKS
    for t in fw.tracks:
        assert len(t.actions) >= 6, t.id


def test_every_capability_is_the_main_capability_of_at_least_three_actions(
    fw: Framework,
) -> None:
    mains = Counter(a.capabilities[0] for t in fw.tracks for a in t.actions)
    assert {c: mains[c] for c in CAPABILITIES if mains[c] < 3} == {}


def test_every_action_takes_between_one_and_twenty_days(fw: Framework) -> None:
    for t in fw.tracks:
        for a in t.actions:
            assert 1 <= a.effort_days <= 20, a.id


def test_every_action_can_be_found_by_its_id(fw: Framework) -> None:
    for t in fw.tracks:
        for a in t.actions:
            assert fw.action(a.id) == (t, a)


def test_the_roles_run_from_senior_pm_to_cpo(fw: Framework) -> None:
    assert [r.id for r in fw.roles] == ROLES_BY_SENIORITY


def test_no_capability_is_expected_lower_of_a_more_senior_role(fw: Framework) -> None:
    for junior, senior in zip(fw.roles, fw.roles[1:], strict=False):
        for cid in CAPABILITIES:
            assert senior.expected[cid] >= junior.expected[cid], (senior.id, cid)


def test_each_more_senior_role_expects_more_in_total(fw: Framework) -> None:
    totals = [sum(r.expected.values()) for r in fw.roles]
    assert totals == sorted(set(totals))


def test_every_role_sits_further_along_every_shift_than_the_role_below(fw: Framework) -> None:
    for r in fw.roles:
        assert set(r.shifts) == set(SHIFTS), r.id
    for junior, senior in zip(fw.roles, fw.roles[1:], strict=False):
        for sid in SHIFTS:
            assert senior.shifts[sid] > junior.shifts[sid], (senior.id, sid)


def test_the_group_pm_expects_mostly_level_three_and_the_cpo_four_or_five(
    fw: Framework,
) -> None:
    group = Counter(fw.role("group_pm").expected.values())
    assert group[3] > len(CAPABILITIES) / 2
    assert set(fw.role("cpo").expected.values()) <= {4, 5}


# Error messages of the schema -------------------------------------------------------

SMALL = """\
schema: leadshift/framework@1
key: small
name: Small
version: "1.0"
description: A framework small enough to break on purpose.
shifts:
  - id: scope
    name: Scope
    pm_pole: One product
    leader_pole: A portfolio
    description: How much is owned.
    questions:
      - id: scope_products
        text: How many products?
        options:
          - {label: One, position: 0}
          - {label: Many, position: 100}
capabilities:
  - id: vision
    name: Vision
    description: Seeing ahead.
    levels:
      - {level: 1, name: Low, summary: Follows., behaviours: [Reads the vision, Repeats it]}
      - {level: 2, name: High, summary: Sets., behaviours: [Writes the vision, Presents it]}
  - id: planning
    name: Planning
    description: Turning direction into a plan.
    levels:
      - {level: 1, name: Low, summary: Follows., behaviours: [Uses the plan, Tracks it]}
      - {level: 2, name: High, summary: Sets., behaviours: [Writes the plan, Defends it]}
tracks:
  - id: strategy
    name: Strategy
    description: Think wider.
    actions:
      - id: market_map
        title: Map the market
        description: Put the market on one page.
        capabilities: [vision]
        evidence: A one-page market map
      - id: write_plan
        title: Write a plan
        description: Write a one-year plan.
        capabilities: [planning, vision]
        evidence: A written plan
        effort_days: 3
roles:
  - id: lead
    name: Lead
    description: Leads.
    expected: {vision: 2, planning: 1}
    shifts: {scope: 80}
"""


def line_of(text: str, fragment: str, occurrence: int = 1) -> int:
    """1-based line of the n-th line containing `fragment`, so tests say what they point at."""
    hits = [n for n, line in enumerate(text.splitlines(), 1) if fragment in line]
    return hits[occurrence - 1]


def broken(old: str, new: str, count: int = 1) -> str:
    assert SMALL.count(old) >= count, old
    return SMALL.replace(old, new, count)


def problems_of(text: str) -> list[str]:
    with pytest.raises(InputError) as info:
        load_framework_text(text, "fw.yaml")
    return str(info.value).splitlines()


def test_the_small_framework_used_below_is_valid() -> None:
    assert load_framework_text(SMALL, "fw.yaml").action("write_plan")[1].effort_days == 3


def test_an_unknown_capability_in_an_action_is_named_with_file_line_and_path() -> None:
    text = broken("capabilities: [planning, vision]", "capabilities: [x, vision]")
    line = line_of(text, "capabilities: [x, vision]")
    assert problems_of(text) == [
        f"fw.yaml:{line}: tracks[0].actions[1].capabilities[0]: unknown capability 'x'"
    ]


def test_a_duplicate_capability_id_points_at_the_second_one() -> None:
    text = broken("  - id: planning", "  - id: vision")
    line = line_of(text, "  - id: vision", occurrence=2)
    problems = problems_of(text)
    assert problems[0] == f"fw.yaml:{line}: capabilities[1].id: the id 'vision' is used twice"
    # The references to the capability that is now gone are reported too.
    assert any("unknown capability 'planning'" in p for p in problems[1:])


def test_an_action_id_used_in_two_actions_is_reported() -> None:
    text = broken("id: write_plan", "id: market_map")
    line = line_of(text, "id: market_map", occurrence=2)
    assert problems_of(text) == [
        f"fw.yaml:{line}: tracks[0].actions[1].id: the action id 'market_map' is used twice"
    ]


def test_a_role_level_beyond_the_capability_levels_is_out_of_range() -> None:
    text = broken("expected: {vision: 2, planning: 1}", "expected: {vision: 7, planning: 1}")
    line = line_of(text, "expected:")
    assert problems_of(text) == [
        f"fw.yaml:{line}: roles[0].expected.vision: level 7 is outside 1 to 2"
    ]


def test_a_role_missing_a_capability_is_reported() -> None:
    text = broken("expected: {vision: 2, planning: 1}", "expected: {vision: 2}")
    line = line_of(text, "expected:")
    assert problems_of(text) == [
        f"fw.yaml:{line}: roles[0].expected: no expected level for capability 'planning'"
    ]


def test_a_missing_field_points_at_the_mapping_it_is_missing_from() -> None:
    text = broken("        evidence: A written plan\n", "")
    line = line_of(text, "- id: write_plan")
    assert problems_of(text) == [
        f"fw.yaml:{line}: tracks[0].actions[1].evidence: this field is required"
    ]


def test_an_unknown_field_is_reported_where_it_is() -> None:
    text = broken("        effort_days: 3", "        effort_days: 3\n        owner: me")
    line = line_of(text, "owner: me")
    assert problems_of(text) == [f"fw.yaml:{line}: tracks[0].actions[1].owner: unknown field"]


def test_a_position_beyond_100_is_reported_on_its_option() -> None:
    text = broken("{label: Many, position: 100}", "{label: Many, position: 120}")
    line = line_of(text, "position: 120")
    (problem,) = problems_of(text)
    assert problem.startswith(f"fw.yaml:{line}: shifts[0].questions[0].options[1].position: ")


def test_a_yaml_syntax_error_names_the_file_and_line() -> None:
    text = broken("capabilities: [vision]", "capabilities: [vision")
    (problem,) = problems_of(text)
    assert problem.startswith("fw.yaml:")
    assert "not valid YAML" in problem
    reported = int(problem.split(":")[1])
    assert line_of(text, "capabilities: [vision") <= reported <= line_of(text, "- id: write_plan")


def test_a_duplicate_key_is_a_placed_error() -> None:
    text = broken("    name: Vision\n", "    name: Vision\n    name: Sight\n")
    assert problems_of(text) == [f"fw.yaml:{line_of(text, 'name: Sight')}: duplicate key 'name'"]


def test_a_wrong_schema_id_is_rejected() -> None:
    text = broken("schema: leadshift/framework@1", "schema: leadshift/framework@2")
    assert problems_of(text) == ["fw.yaml:1: schema: must be 'leadshift/framework@1'"]


def test_every_reference_problem_is_reported_at_once() -> None:
    text = broken("capabilities: [vision]", "capabilities: [y]")
    text = text.replace("shifts: {scope: 80}", "shifts: {reach: 80}")
    problems = problems_of(text)
    assert len(problems) == 2
    assert "tracks[0].actions[0].capabilities[0]: unknown capability 'y'" in problems[0]
    assert "roles[0].shifts.reach: unknown shift 'reach'" in problems[1]


def test_a_top_level_list_is_not_a_framework() -> None:
    assert problems_of("- a\n- b\n") == [
        "fw.yaml:1: a framework file must be a mapping at the top level"
    ]


def test_a_framework_file_on_disk_is_named_by_its_path(tmp_path: Path) -> None:
    path = tmp_path / "fw.yaml"
    path.write_text(broken("capabilities: [vision]", "capabilities: [z]"), encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_framework_file(path)
    assert str(info.value).startswith(f"{path}:{line_of(path.read_text(), '[z]')}: tracks[0]")


def test_a_missing_framework_file_is_named() -> None:
    with pytest.raises(InputError, match=r"nowhere\.yaml: no such file"):
        load_framework_file("nowhere.yaml")
