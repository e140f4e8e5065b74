"""`leadshift portfolio actuals|sync|health`: key-result actuals from CSV, initiative status
from Jira or Linear exports, and the portfolio's health."""

from __future__ import annotations

from pathlib import Path

import click

from leadshift.cli import _org, _print_json, fails_cleanly

ORG = click.option("--org", "org_slug", required=True, help="The organisation's short name (slug).")


@click.command("actuals")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@ORG
@fails_cleanly
def actuals_command(file: Path, org_slug: str) -> None:
    """Record key-result actuals from a CSV file (objective,key_result,date,value,note): all
    or nothing, every problem named by file:line:column."""
    from leadshift.files import read_text

    text = read_text(file)
    org = _org(org_slug)
    from leadshift.portfolio.services import do_import_actuals

    n = do_import_actuals(org, None, text, str(file))
    click.echo(f"Recorded {n} actual{'s' if n != 1 else ''} in {org.name}.")


@click.command("sync")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@ORG
@click.option(
    "--from", "source", type=click.Choice(["jira", "linear"]), required=True, help="The tracker."
)
@click.option(
    "--reason", default="", help="Why statuses may go back (e.g. reopened in Jira); kept."
)
@fails_cleanly
def sync_command(file: Path, org_slug: str, source: str, reason: str) -> None:
    """Initiative status and actual finish from a Jira or Linear CSV export, matched by the
    initiatives' external keys: all or nothing, problems named by line."""
    from leadshift.files import read_text

    text = read_text(file)
    org = _org(org_slug)
    from leadshift.portfolio.services import do_sync

    got = do_sync(org, None, text, str(file), source, reason=reason)
    click.echo(
        f"Synced {got['rows']} initiatives from {source.capitalize()}: "
        f"{got['changed']} changed status or finish."
    )


def _pct(x: float | None) -> str:
    return "–" if x is None else f"{100 * x:.0f}%"


@click.command("health")
@ORG
@click.option("--json", "as_json", is_flag=True, help="Print the health as JSON.")
@fails_cleanly
def health_command(org_slug: str, as_json: bool) -> None:
    """Planned against delivered value, and each objective's key-result progress."""
    org = _org(org_slug)
    from leadshift.portfolio.services import health_json, health_of

    data = health_json(health_of(org, None))
    if as_json:
        _print_json(data)
        return
    v = data["value"]
    click.secho(f"Portfolio health of {org.name} on {data['today']}", bold=True)
    if v["has_plan"]:
        click.echo(
            f"Value: {v['delivered_in_plan']:g} of the plan's {v['planned']:g} delivered "
            f"({v['delivered']:g} in all), {v['in_progress']:g} in progress, "
            f"{v['dropped_from_plan']:g} dropped"
        )
    else:
        click.echo(f"Value: {v['delivered']:g} delivered; no plan of record to compare with")
    counts = ", ".join(f"{n} {s.replace('_', ' ')}" for s, n in v["initiatives_by_status"].items())
    click.echo(f"Initiatives: {counts or 'none'}")
    for o in data["objectives"]:
        click.secho(f"{o['name']}: {_pct(o['progress'])}", bold=True)
        for k in o["key_results"]:
            mark = "OFF TRACK" if k["off_track"] else "on track"
            click.echo(f"  - {k['name']}: {_pct(k['progress'])} ({mark}) — {k['reason']}")
