"""``leadshift sweep PORTFOLIO SWEEP``: variants of a portfolio file optimised side by side,
over a Dask cluster when LEADSHIFT_DASK_SCHEDULER names one, else local processes. Needs no
database."""

from __future__ import annotations

import dataclasses
import json
import sys
from pathlib import Path

import click

from leadshift.files import InputError


@click.command("sweep")
@click.argument("portfolio", type=click.Path(dir_okay=False, path_type=Path))
@click.argument("sweep", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--processes",
    type=click.IntRange(min=0),
    default=None,
    help="Local processes (default LEADSHIFT_SWEEP_PROCESSES, one per core; 0: this one).",
)
@click.option(
    "--node-limit",
    type=click.IntRange(min=1, max=10_000_000),
    default=None,
    help="Stop each variant's optimiser after N branch-and-bound nodes, not by the clock: "
    "the same table on any machine (overrides the file's node_limit).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the table as JSON.")
def sweep_command(
    portfolio: Path, sweep: Path, processes: int | None, node_limit: int | None, as_json: bool
) -> None:
    """Optimise each variant of SWEEP (capacity changes, rule sets) of the PORTFOLIO file."""
    from leadshift.allocation.sweep import read_sweep, rows, run_sweep
    from leadshift.files import read_document
    from leadshift.scale.fanout import SchedulerUnreachable, configured, from_environment

    try:
        base = read_document(portfolio).data
        from leadshift.allocation.problem import read_portfolio

        read_portfolio(portfolio)  # the base must be a valid portfolio before any variant
        spec = read_sweep(sweep, base)
        if node_limit is not None:
            spec = dataclasses.replace(spec, node_limit=node_limit)
    except InputError as exc:
        click.secho(exc.describe(), fg="red", err=True)
        sys.exit(2)
    settings = from_environment()
    if processes is not None:
        settings.LEADSHIFT_SWEEP_PROCESSES = processes
    n = len(spec.variants)
    try:
        with (
            configured(settings, "LEADSHIFT_SWEEP_PROCESSES") as where,
            click.progressbar(length=n, label="Solving variants", file=sys.stderr) as bar,
        ):
            results = run_sweep(
                base,
                spec,
                executor=where.executor,
                in_flight=where.workers,
                progress=lambda done, total: bar.update(1),
            )
    except SchedulerUnreachable as exc:
        click.secho(f"error: {exc}", fg="red", err=True)
        sys.exit(1)
    table = rows(results)
    if as_json:
        click.echo(json.dumps([dataclasses.asdict(r) for r in table], indent=2))
        return
    click.echo(f"{n} variants on {where.where}", err=True)
    p50 = spec.trials > 0
    head = f"{'variant':<34} {'status':<11} {'value':>9} {'gain':>8}"
    click.echo(head + (f" {'P50':>9}" if p50 else "") + "  in / out")
    for r in table:
        line = f"{r.name[:34]:<34} {r.status:<11} {r.value:>9,.1f} {r.gain:>+8,.1f}"
        if p50:
            line += f" {r.delivered_p50:>9,.1f}" if r.delivered_p50 is not None else f" {'-':>9}"
        moves = [f"+{i}" for i in r.came_in] + [f"-{i}" for i in r.went_out]
        click.echo(f"{line}  {' '.join(moves) or '-'}")
        if r.message and r.status != "optimal":
            click.echo(f"    {r.message}")
