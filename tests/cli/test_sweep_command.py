"""`leadshift sweep`, typed as the docs show: the example sweep of the example portfolio on
two local processes, its JSON, and a bad sweep file refused with every problem placed."""

from __future__ import annotations

import json
from pathlib import Path

from .conftest import RunLeadshift


def test_the_documented_sweep_prints_each_variant_beside_the_base(
    run_fresh: RunLeadshift, tmp_path: Path
):
    ran = run_fresh(
        "sweep",
        "docs/examples/portfolio.yaml",
        "docs/examples/sweep.yaml",
        env={"LEADSHIFT_SWEEP_PROCESSES": "2"},
    )
    assert ran.code == 0, ran
    assert "7 variants on 2 processes on this machine" in ran.stderr
    lines = ran.stdout.splitlines()
    assert lines[0].split()[:4] == ["variant", "status", "value", "gain"] and "P50" in lines[0]
    assert lines[1].startswith("Base ") and "+0.0" in lines[1]
    skip = next(line for line in lines if line.startswith("Skip the database migration"))
    assert "-migrate-db" in skip and "-fraud-scoring" in skip and "-partner-api" in skip
    assert not (tmp_path / "fresh-data").exists(), "an engine command needs no database"


def test_the_sweep_as_json_is_the_same_inline_as_on_processes(run_fresh: RunLeadshift):
    args = ("sweep", "docs/examples/portfolio.yaml", "docs/examples/sweep.yaml", "--json")
    inline = run_fresh(*args, "--processes", "0")
    fanned = run_fresh(*args, "--processes", "2")
    assert inline.code == fanned.code == 0, (inline, fanned)
    table = json.loads(inline.stdout)
    assert json.loads(fanned.stdout) == table
    kept = next(r for r in table if r["name"] == "Skip it, no precedence")
    # Nothing waits for the migration: fraud-scoring stays in.
    assert "migrate-db" in kept["went_out"] and "fraud-scoring" not in kept["went_out"]
    assert kept["delivered_p50"] is not None


def test_a_bad_sweep_file_is_refused_with_file_line_and_field(
    run_fresh: RunLeadshift, tmp_path: Path
):
    (tmp_path / "fresh-work" / "bad.yaml").write_text(
        "variants:\n  - name: Fewer\n    capacity: [{team: platfrom, delta: -4}]\n"
    )
    ran = run_fresh("sweep", "docs/examples/portfolio.yaml", "bad.yaml")
    assert ran.code == 2, ran
    assert "bad.yaml:3: variants[0].capacity[0].team: unknown team 'platfrom'" in ran.stderr
    assert "Traceback" not in ran.stderr


def test_an_unreachable_scheduler_ends_the_sweep_with_a_message(run_fresh: RunLeadshift):
    ran = run_fresh(
        "sweep",
        "docs/examples/portfolio.yaml",
        "docs/examples/sweep.yaml",
        env={"LEADSHIFT_DASK_SCHEDULER": "tcp://127.0.0.1:9", "LEADSHIFT_DASK_TIMEOUT": "2"},
    )
    assert ran.code == 1, ran
    assert "the Dask scheduler at tcp://127.0.0.1:9 cannot be reached" in ran.stderr
    assert "Traceback" not in ran.stderr


def test_a_node_limit_stops_each_variant_the_same_way_inline_and_on_processes(
    run_fresh: RunLeadshift, tmp_path: Path
):
    from benchmarks.bench_sweep import portfolio

    work = tmp_path / "fresh-work"
    (work / "hard.json").write_text(json.dumps(portfolio(25, 3, seed=5)))
    (work / "grid.yaml").write_text("time_limit: 120\ngrid: {teams: [team-00], percent: [10]}\n")
    args = ("sweep", "hard.json", "grid.yaml", "--node-limit", "2")
    inline = run_fresh(*args, "--json", "--processes", "0")
    fanned = run_fresh(*args, "--json", "--processes", "2")
    assert inline.code == fanned.code == 0, (inline, fanned)
    table = json.loads(inline.stdout)
    assert json.loads(fanned.stdout) == table
    assert any(r["message"].startswith("stopped at the node limit (2 nodes)") for r in table)
    shown = run_fresh(*args, "--processes", "0")
    assert "stopped at the node limit (2 nodes)" in shown.stdout
