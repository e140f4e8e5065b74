"""`leadshift pulse results LEADER`: a leader's latest released pulse and their trend.

The command line has no viewer; it prints only what the results page shows, and refuses a
withheld pulse the way the page does.
"""

from __future__ import annotations

import sys

import click

from leadshift.cli import _person, _print_json, fails_cleanly


@click.group("pulse")
def pulse() -> None:
    """Culture pulses: anonymous, averaged results only."""


@pulse.command("results")
@click.argument("leader_ref", metavar="LEADER")
@click.option("--json", "as_json", is_flag=True, help="Print the results and trend as JSON.")
@fails_cleanly
def results(leader_ref: str, as_json: bool) -> None:
    """The latest released pulse of LEADER (e-mail), per item and team, and the trend."""
    leader = _person(leader_ref)
    from leadshift.pulse import services
    from leadshift.pulse.trend import NAMES

    services.release_due()
    latest = leader.pulses.filter(status="released").order_by("-opened_at", "-id").first()
    if latest is None:
        click.echo(f"{leader.name} has no released pulse yet.", err=True)
        sys.exit(2)
    try:
        data = services.result_data(latest)
    except services.Withheld as exc:
        click.echo(f"Pulse of {latest.opened_at:%d %b %Y}: {exc.message}", err=True)
        sys.exit(2)
    trend = services.trend(leader)
    if as_json:
        _print_json(
            {"leader": {"name": leader.name, "email": leader.email}, **data, "trend": trend}
        )
        return
    click.secho(
        f"Culture pulse of {leader.name}, {latest.opened_at:%d %b %Y}: "
        f"{data['answered']} of {data['asked']} answered",
        bold=True,
    )
    for i in data["items"]:
        click.echo(f"  {NAMES[i['id']]:<24} {i['mean']:.2f}  ({i['low']:.2f}–{i['high']:.2f})")
    for t in data["teams"]:
        means = " ".join(f"{i['mean']:.2f}" for i in t["items"])
        click.echo(f"  team {t['team']} ({t['n']}): {means}")
    if data["comments"]:
        click.echo("Comments (no names, random order):")
        for c in data["comments"]:
            click.echo(f"  - {c}")
    click.echo("Trend (all items):")
    for r in trend:
        shown = f"{r['overall']:.2f}" if r["shown"] else "withheld"
        click.echo(f"  {r['opened_on']}  {shown}")
