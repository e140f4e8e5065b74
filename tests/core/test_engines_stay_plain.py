from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src" / "leadshift"
ENGINES = [
    "files.py",
    "frameworks/schema.py",
    "assessments/readiness.py",
    "assessments/answers_file.py",
    "growth/planning.py",
    "reports/charts.py",
    "stakeholders/health.py",
    "timeuse/synthetic.py",
    "timeuse/charts.py",
    "timeuse/aggregate.py",
    "timeuse/rules.py",
    "timeuse/ics.py",
    "risk/scenario.py",
    "risk/scenario_file.py",
    "risk/simulation.py",
    "risk/engine.py",
    "risk/sampling.py",
    "risk/histogram.py",
    "risk/mixture.py",
    "decisions/calibration.py",
    "decisions/record.py",
    "portfolio/lifecycle.py",
    "portfolio/trajectory.py",
    "portfolio/actuals_file.py",
    "portfolio/sync_file.py",
    "portfolio/health.py",
    "planning/presentation.py",
    "feedback/anonymity.py",
    "assessments/scoring.py",
    "coaching/agenda.py",
    "radar/judgement.py",
    "mentoring/matching.py",
    "nudges/digest.py",
    "pulse/items.py",
    "pulse/stats.py",
    "assessments/mixed_model.py",
    "assessments/effect_blocks.py",
    "assessments/reduced_equations.py",
    "allocation/sweep.py",
    "allocation/race.py",
    "scale/fanout.py",
    "core/lifetime.py",
]


@pytest.mark.parametrize("module", ENGINES)
def test_engine_modules_do_not_import_django(module):
    tree = ast.parse((SRC / module).read_text())
    for node in ast.walk(tree):
        names = []
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module]
        for name in names:
            assert not name.startswith("django"), f"{module} imports {name}"
