"""`leadshift worker`: do queued background work (runs, simulations, sweeps, PDFs, imports, mail)."""

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
    """Do queued background work: optimiser runs, simulations, sweeps, PDFs, imports and mail.

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


def load_large(seed: int) -> None:
    """`leadshift demo --size large`: the large organisation, with the time each part took."""
    import time

    from leadshift.demo import DEMO_PASSWORD
    from leadshift.scale.large_demo import (
        LARGE_LEADER_EMAIL,
        large_demo_exists,
        large_pm_email,
        load_large_demo,
    )

    if large_demo_exists():
        click.echo("The large demo organisation is already loaded.")
    else:
        from leadshift.conf import env_str

        # A fraction of the full size, for a quick look or a test (e.g. 0.02: 40 people).
        f = float(env_str("LEADSHIFT_LARGE_DEMO_FRACTION", "1") or 1)
        started = time.monotonic()
        r = load_large_demo(
            seed=seed,
            people=max(20, round(2000 * f)),
            teams=max(2, round(100 * f)),
            initiatives=max(20, round(5000 * f)),
            risks=max(3, round(300 * f)),
            progress=lambda line: click.echo(f"  {line}", err=True),
        )
        click.echo(
            f"Loaded {r.organisation.name}: {r.people:,} people, {r.assessments:,} assessments, "
            f"{r.plans:,} plans, {r.released_cycles:,} released 360 cycles, "
            f"{r.initiatives:,} initiatives, {r.risks} risks and a finished simulation "
            f"in {time.monotonic() - started:.0f} s."
        )
    click.echo(
        f"Accounts (password {DEMO_PASSWORD}): the leader {LARGE_LEADER_EMAIL}; "
        f"product managers {large_pm_email(0)}, {large_pm_email(1)}, …"
    )
