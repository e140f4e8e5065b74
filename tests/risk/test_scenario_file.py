import pytest

from leadshift.files import InputError
from leadshift.risk.scenario_file import parse_scenario, read_scenario
from leadshift.risk.simulation import simulate

GOOD = """\
periods: [Q1, Q2, Q3, Q4]
teams:
  - {id: platform, capacity: 40}
  - {id: web, capacity: [10, 10, 20, 20]}
initiatives:
  - id: auth
    value: 50
    effort: {platform: {low: 8, likely: 10, high: 15}}
    duration: 1
    start: Q1
  - id: search
    value: {low: 50, likely: 80, high: 120, distribution: pert}
    effort: {platform: 5, web: {low: 2, likely: 3, high: 6}}
    duration: 2
    start: Q2
    after: [auth]
    deadline: Q3
    objectives: [grow]
drivers:
  - {id: attrition, probability: 0.2}
risks:
  - id: key-engineer-leaves
    probability: 0.5
    driver: attrition
    initiatives: [auth, search]
    impact: {delay: 1, value_loss: 0.1, extra_effort: {platform: 0.2}}
    mitigation: {cost: 5, probability: 0.1, impact_factor: 0.5}
objectives:
  - {id: grow, target: 60}
"""


def problems(text: str) -> list[str]:
    with pytest.raises(InputError) as err:
        parse_scenario(text, "plan.yaml")
    return [p.describe("plan.yaml") for p in err.value.problems]


def test_a_whole_file_becomes_a_scenario_that_simulates(tmp_path):
    path = tmp_path / "plan.yaml"
    path.write_text(GOOD)
    s = read_scenario(path)
    assert [x.id for x in s.initiatives] == ["auth", "search"]
    search = s.initiatives[1]
    assert (search.start_period, search.deadline, search.duration) == (1, 2, 2)
    assert search.value.distribution == "pert"
    assert s.teams[1].capacity == (10, 10, 20, 20)
    risk = s.risks[0]
    assert risk.driver == "attrition" and risk.extra_effort == {"platform": 0.2}
    assert risk.mitigation is not None and risk.mitigation.probability_after == 0.1
    result = simulate(s, trials=200, seed=1)
    assert result.objective("grow").target == 60


def test_a_probability_above_one_is_placed_on_its_line():
    text = GOOD.replace("probability: 0.5", "probability: 1.5")
    assert problems(text) == [
        "plan.yaml:23: risks[0].probability: must be a probability between 0 and 1, got 1.5"
    ]


def test_a_low_above_a_high_is_placed_on_its_line():
    text = GOOD.replace("{low: 8, likely: 10, high: 15}", "{low: 18, likely: 10, high: 15}")
    assert problems(text) == [
        "plan.yaml:8: initiatives[0].effort.platform.low: low (18) is above high (15)"
    ]


def test_a_risk_on_an_unknown_initiative_names_it():
    text = GOOD.replace("initiatives: [auth, search]", "initiatives: [auth, serch]")
    assert problems(text) == ["plan.yaml:25: risks[0].initiatives[1]: unknown initiative 'serch'"]


def test_every_problem_is_reported_at_once():
    text = (
        GOOD.replace("driver: attrition", "driver: churn")
        .replace("extra_effort: {platform: 0.2}", "extra_effort: {mobile: 0.2}")
        .replace("start: Q2", "start: Q9")
        .replace("value_loss: 0.1", "value_loss: 2")
    )
    found = problems(text)
    assert any("risks[0].driver: unknown driver 'churn'" in p for p in found)
    assert any("risks[0].impact.extra_effort.mobile: unknown team 'mobile'" in p for p in found)
    assert any("initiatives[1].start: unknown period 'Q9'" in p for p in found)
    assert any("risks[0].impact.value_loss: must be a share between 0 and 1" in p for p in found)


def test_a_dependency_cycle_is_refused():
    text = GOOD.replace("    start: Q1\n", "    start: Q1\n    after: [search]\n", 1)
    found = problems(text)
    assert len(found) == 1
    assert "dependency cycle: auth → search → auth" in found[0]
    assert found[0].startswith("plan.yaml:")
