import json

from click.testing import CliRunner

from leadshift.risk.command import simulate_command

from .test_scenario_file import GOOD


def test_the_command_prints_json_with_value_percentiles_and_deadlines(tmp_path):
    path = tmp_path / "plan.yaml"
    path.write_text(GOOD)
    out = CliRunner().invoke(
        simulate_command, [str(path), "--trials", "500", "--seed", "3", "--json"]
    )
    assert out.exit_code == 0, out.output
    data = json.loads(out.stdout)
    assert data["trials"] == 500 and data["seed"] == 3
    assert {"mean", "p10", "p50", "p90"} <= set(data["value"])
    search = next(i for i in data["initiatives"] if i["id"] == "search")
    assert {"p50", "p80", "p90"} <= set(search["finish"]) and search["p_deadline"] is not None


def test_the_command_names_the_line_of_a_bad_file(tmp_path):
    path = tmp_path / "plan.yaml"
    path.write_text(GOOD.replace("probability: 0.5", "probability: -0.1"))
    out = CliRunner().invoke(simulate_command, [str(path)])
    assert out.exit_code == 1
    assert "plan.yaml:23: risks[0].probability: must be a probability between 0 and 1" in out.output


def test_the_text_report_lists_each_initiative(tmp_path):
    path = tmp_path / "plan.yaml"
    path.write_text(GOOD)
    out = CliRunner().invoke(simulate_command, [str(path), "--trials", "300"])
    assert out.exit_code == 0, out.output
    assert "search" in out.stdout and "delivered value" in out.stdout
