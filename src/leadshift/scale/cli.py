"""`leadshift worker`: do queued background work (optimiser runs, simulations)."""

from __future__ import annotations

import logging

import click


@click.command("worker")
@click.option(
    "--interval",
    default=1.0,
    show_default=True,
    type=click.FloatRange(min=0.05),
    help="Seconds between looks at the queue when it is empty.",
)
@click.option("--batch", is_flag=True, help="Do what is queued, then stop.")
def worker_command(interval: float, batch: bool) -> None:
    """Do queued background work: optimiser runs and simulations.

    Run one or more beside the web server (`leadshift serve` starts one). Ctrl-C finishes the
    task in hand and stops; a second Ctrl-C stops at once, and the run is queued again.
    """
    from leadshift.cli import _django, _migrate

    _django()
    _migrate()
    from leadshift.scale.worker import run_worker, worker_id

    logging.getLogger("django_tasks_db").setLevel(logging.INFO)
    logging.getLogger("leadshift.scale").setLevel(logging.INFO)
    click.echo(f"LeadShift worker {worker_id()} is waiting for work (Ctrl+C to stop)", err=True)
    run_worker(interval=interval, batch=batch)
