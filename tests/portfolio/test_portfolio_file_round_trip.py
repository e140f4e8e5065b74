"""The one portfolio file from a plain shell: export, then allocate, simulate and import it.

Runs the installed `leadshift` as a user would: no DJANGO_SETTINGS_MODULE, no PYTHONPATH,
a fresh LEADSHIFT_DATA_DIR with the demo loaded once for the module.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
import yaml

from tests.user_shell import user_env

ROOT = Path(__file__).resolve().parents[2]
LEADSHIFT = Path(sys.executable).with_name("leadshift")
SCHEMA = json.loads((ROOT / "docs" / "portfolio.schema.json").read_text())


def run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        [str(LEADSHIFT), *args], env=env, capture_output=True, text=True, timeout=600
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done


@pytest.fixture(scope="module")
def shell(demo_copy: Path) -> dict[str, str]:
    return user_env(demo_copy)


def test_export_then_allocate_simulate_and_import_round_trip_the_demo(shell, tmp_path):
    first = tmp_path / "northwind.yaml"
    run(shell, "portfolio", "export", "--org", "northwind-labs", "-o", str(first))
    doc = yaml.safe_load(first.read_text())
    jsonschema.validate(doc, SCHEMA)
    planned = [i["id"] for i in doc["initiatives"] if "start" in i]
    assert planned and doc["risks"] and doc["drivers"]

    allocated = json.loads(run(shell, "allocate", str(first), "--time-limit", "3", "--json").stdout)
    assert allocated["status"] in ("optimal", "feasible") and allocated["selected"]

    simulated = run(shell, "simulate", str(first), "--trials", "500", "--json")
    result = json.loads(simulated.stdout)
    assert result["plan"]["from"] == "file"
    assert sorted(result["plan"]["starts"]) == sorted(planned)
    assert result["tornado"], "the exported risks drive the spread"
    assert "simulating the plan in the file" in simulated.stderr

    run(shell, "portfolio", "import", str(first), "--org", "northwind-labs")
    second = tmp_path / "again.yaml"
    run(shell, "portfolio", "export", "--org", "northwind-labs", "-o", str(second))
    assert yaml.safe_load(second.read_text()) == doc


def test_simulate_plans_a_file_without_starts_first_and_says_so(shell):
    example = ROOT / "docs" / "examples" / "portfolio.yaml"
    done = run(shell, "simulate", str(example), "--trials", "500")
    assert "the file has no plan (no start on any initiative): planned it first" in done.stdout
    assert "checkout-v2" in done.stdout


def test_simulate_takes_the_plan_and_risks_of_the_example_as_written(shell):
    example = ROOT / "docs" / "examples" / "plan-with-risks.yaml"
    done = run(shell, "simulate", str(example), "--trials", "500", "--json")
    result = json.loads(done.stdout)
    assert result["plan"]["from"] == "file"
    assert result["plan"]["starts"]["checkout-v2"] == "Q2"
    assert "ai-assistant" not in result["plan"]["starts"]
    assert {b["id"] for b in result["tornado"]} >= {"payments-lead-leaves"}
