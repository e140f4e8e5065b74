"""`leadshift digest send`: the weekly digests, for a cron job."""

from __future__ import annotations

import click

from leadshift.cli import _org, fails_cleanly


@click.group("digest")
def digest() -> None:
    """The weekly digest e-mails."""


@digest.command("send")
@click.option("--org", "org_slug", help="Only this organisation (its slug).")
@click.option("--dry-run", is_flag=True, help="Say who would get one; send nothing.")
@fails_cleanly
def send(org_slug: str | None, dry_run: bool) -> None:
    """Send this week's digest to everyone who has something in it and has not turned it off."""
    org = _org(org_slug) if org_slug else None
    from leadshift.nudges.services import send_digests
    from leadshift.outbox.delivery import in_outbox

    run = send_digests(org, dry_run=dry_run)
    verb = "Would send" if dry_run else "Sent"
    for person, d in run.sent:
        click.echo(f"{verb} to {person.email}: {d.items} item{'s' if d.items != 1 else ''}")
    if run.sent and not dry_run and in_outbox():
        click.echo("No mail server is set up: they wait in the outbox (`leadshift outbox`).")
    click.echo(
        f"{verb} {len(run.sent)} digest{'s' if len(run.sent) != 1 else ''}; "
        f"{run.empty} with nothing this week, {run.turned_off} turned off, "
        f"{run.already_sent} already sent this week."
    )
