"""A sweep's variants of a portfolio: read with every problem placed, applied to a copy of
the portfolio, and solved with the same table inline, on local processes or on a Dask
cluster."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from benchmarks.bench_sweep import portfolio
from distributed import LocalCluster

from leadshift.allocation.sweep import (
    BASE,
    CapacityChange,
    Variant,
    apply,
    read_sweep,
    rows,
    run_sweep,
    sweep_from_document,
)
from leadshift.files import Document, InputError, parse_text, read_document
from leadshift.scale.fanout import SchedulerUnreachable, fanout

DOCS = Path(__file__).resolve().parents[2] / "docs" / "examples"
BASE_DOC = read_document(DOCS / "portfolio.yaml").data
# A limit far above the seconds each proof takes, so that a busy machine still proves every
# variant (the tables are equal only when each is proven optimal).
SMALL = """
time_limit: 60
simulate: {trials: 500, seed: 3}
variants:
  - name: Platform -6 in Q2
    capacity: [{team: platform, period: Q2, delta: -6}]
  - name: No migration
    excluded: [migrate-db]
  - name: Retention first
    weights: {retention: 3}
"""


def sweep_of(text: str, name: str = "sweep.yaml"):
    return sweep_from_document(parse_text(text, name), BASE_DOC)


@pytest.fixture(scope="module")
def cluster() -> Iterator[LocalCluster]:
    """A scheduler and two workers in this process."""
    with LocalCluster(
        n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None
    ) as c:
        yield c


@pytest.fixture(scope="module")
def inline_table() -> list:
    return rows(run_sweep(BASE_DOC, sweep_of(SMALL)))


def test_the_documented_example_reads_with_the_base_first_and_the_grid_spelled_out():
    sweep = read_sweep(DOCS / "sweep.yaml", BASE_DOC)
    names = [v.name for v in sweep.variants]
    assert names[0] == BASE
    assert names[1:3] == ["mobile -40%", "mobile +20%"]
    assert names[3:] == [
        "Platform loses a contractor in Q2",
        "Retention first",
        "Skip the database migration",
        "Skip it, no precedence",
    ]
    assert sweep.trials == 2000 and sweep.seed == 7 and sweep.time_limit == 5


def test_a_variant_changes_a_copy_of_the_portfolio_and_leaves_the_base_alone():
    v = Variant(
        "v",
        capacity=(
            CapacityChange("platform", "Q2", delta=-6),
            CapacityChange("payments", percent=-50),
        ),
        excluded=("migrate-db",),
        mandatory=("loyalty",),
        weights=(("retention", 3.0),),
    )
    data = apply(BASE_DOC, v)
    teams = {t["id"]: t["capacity"] for t in data["teams"]}
    assert teams["platform"] == {"Q1": 20, "Q2": 14, "Q3": 30, "Q4": 30}
    assert teams["payments"] == dict.fromkeys(["Q1", "Q2", "Q3", "Q4"], 12)
    ids = {i["id"] for i in data["initiatives"]}
    # What waits for a left-out initiative goes with it.
    assert "migrate-db" not in ids and "fraud-scoring" not in ids and "partner-api" not in ids
    assert next(i for i in data["initiatives"] if i["id"] == "loyalty")["mandatory"] is True
    assert {o["id"]: o["weight"] for o in data["objectives"]}["retention"] == 3
    assert {t["id"]: t["capacity"] for t in BASE_DOC["teams"]}["payments"] == 24


def test_without_precedence_nothing_waits_and_nothing_is_dragged_out():
    data = apply(BASE_DOC, Variant("v", excluded=("migrate-db",), precedence=False))
    ids = {i["id"] for i in data["initiatives"]}
    assert "fraud-scoring" in ids and all("after" not in i for i in data["initiatives"])


def test_the_table_says_what_each_variant_gains_and_which_initiatives_come_in_or_go_out(
    inline_table,
):
    base, less, no_migration, retention = inline_table
    assert base.name == BASE and base.gain == 0 and base.status == "optimal"
    assert base.delivered_p50 is not None and base.delivered_p50 > 0
    assert less.value <= base.value and less.gain == pytest.approx(less.value - base.value)
    # What waits for the migration goes with it.
    assert no_migration.went_out == ("fraud-scoring", "migrate-db", "partner-api")
    assert no_migration.came_in == () and no_migration.gain < 0
    assert no_migration.changes == ("'migrate-db' left out",)
    assert retention.changes == ("objective 'retention' weighs 3",)


def test_local_processes_and_a_dask_cluster_give_the_same_table_as_inline(inline_table, cluster):
    with fanout("", processes=2) as here:
        local = rows(
            run_sweep(BASE_DOC, sweep_of(SMALL), executor=here.executor, in_flight=here.workers)
        )
    with fanout(cluster.scheduler_address) as there:
        dask = rows(
            run_sweep(BASE_DOC, sweep_of(SMALL), executor=there.executor, in_flight=there.workers)
        )
    assert local == inline_table
    assert dask == inline_table


def test_progress_counts_the_variants_done():
    seen: list[tuple[int, int]] = []
    run_sweep(
        BASE_DOC,
        sweep_of("variants: [{name: No AI, excluded: [ai-assistant]}]\ntime_limit: 2"),
        progress=lambda done, total: seen.append((done, total)),
    )
    assert seen == [(1, 2), (2, 2)]


def test_a_variant_whose_rules_cannot_hold_is_reported_not_raised():
    table = rows(
        run_sweep(
            BASE_DOC,
            sweep_of(
                "time_limit: 2\nvariants:\n  - name: No platform\n"
                "    capacity: [{team: platform, percent: -100}]\n"
            ),
        )
    )
    assert table[1].status == "infeasible" and "migrate-db" in table[1].message


def test_an_unreachable_scheduler_says_so():
    with (
        pytest.raises(SchedulerUnreachable, match="cannot be reached"),
        fanout("tcp://127.0.0.1:9", timeout=2),
    ):
        pass


def test_a_bad_sweep_file_lists_every_problem_with_its_line_and_field():
    text = """time_limit: 500
variants:
  - name: Lopsided
    capacity:
      - {team: nobody, period: Q9, delta: -6}
      - {team: mobile}
    mandatory: [no-such-thing]
    precedence: maybe
    weights: {growth: 2}
  - colour: red
grid: {percent: [-20, abc]}
"""
    with pytest.raises(InputError) as caught:
        sweep_of(text)
    described = str(caught.value)
    assert "sweep.yaml:1: time_limit: must be between 1 and 120, got 500" in described
    assert "sweep.yaml:5: variants[0].capacity[0].team: unknown team 'nobody'" in described
    assert "variants[0].capacity[0].period: unknown period 'Q9'" in described
    assert "sweep.yaml:6: variants[0].capacity[1]: a capacity change needs delta" in described
    assert "sweep.yaml:7: variants[0].mandatory[0]: unknown initiative 'no-such-thing'" in (
        described
    )
    assert "sweep.yaml:8: variants[0].precedence: expected true or false" in described
    assert "variants[0].weights.growth: unknown field" in described
    assert "variants[1].colour: unknown field" in described
    assert "grid.percent[1]: expected a number, got 'abc'" in described


def test_a_sweep_needs_a_variant_and_unique_names():
    with pytest.raises(InputError, match="at least one variant"):
        sweep_of("time_limit: 5")
    with pytest.raises(InputError, match="another variant is also called 'A'"):
        sweep_of("variants: [{name: A, precedence: false}, {name: A, precedence: false}]")


# 25 initiatives over 3 teams that branch and bound does not prove within two nodes (each
# variant takes about a second): what a node limit stops, the same way everywhere.
HARD = portfolio(25, 3, seed=5)
BY_NODES = {
    "time_limit": 120,
    "node_limit": 2,
    "grid": {"teams": ["team-00"], "percent": [-10, 10]},
}


def test_a_node_limit_gives_the_same_table_inline_on_local_processes_and_on_dask(cluster):
    sweep = sweep_from_document(Document(BY_NODES, "sweep"), HARD)
    assert sweep.node_limit == 2
    inline = rows(run_sweep(HARD, sweep))
    stopped = [r for r in inline if r.message.startswith("stopped at the node limit (2 nodes)")]
    assert stopped and all(r.status == "feasible" for r in stopped)
    with fanout("", processes=2) as here:
        local = rows(run_sweep(HARD, sweep, executor=here.executor, in_flight=here.workers))
    with fanout(cluster.scheduler_address) as there:
        dask = rows(run_sweep(HARD, sweep, executor=there.executor, in_flight=there.workers))
    assert local == inline
    assert dask == inline


def test_a_node_limit_must_be_a_whole_number_of_nodes():
    for bad, said in [
        ("0", "must be between 1 and 10,000,000, got 0"),
        ("2.5", "expected a whole number, got 2.5"),
        ("lots", "expected a number, got 'lots'"),
    ]:
        with pytest.raises(InputError) as caught:
            sweep_of(f"node_limit: {bad}\nvariants: [{{name: A, precedence: false}}]")
        assert f"sweep.yaml:1: node_limit: {said}" in str(caught.value)
