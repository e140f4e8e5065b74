"""`leadshift radar LEADER`: the signals that the strategy may need to change."""

from __future__ import annotations

import click

from leadshift.cli import _django, _person, _print_json, fails_cleanly


def _check_migrated(ref: str) -> None:
    """A data folder without the tables (never migrated, or from before the radar) ends with
    what to do, not a database error."""
    _django()
    from django.db import connection

    from leadshift.core.errors import Invalid, NotFound

    tables = set(connection.introspection.table_names())
    if "people_person" not in tables:
        raise NotFound(f"no person {ref!r}: the database is not set up; run `leadshift migrate`")
    if not {"radar_dismissal", "radar_radarsettings"} <= tables:
        raise Invalid("the database is from before the pivot radar; run `leadshift migrate`")


@click.command("radar")
@click.argument("leader_ref", metavar="LEADER")
@click.option("--json", "as_json", is_flag=True, help="Print the radar as JSON.")
@fails_cleanly
def radar(leader_ref: str, as_json: bool) -> None:
    """A leader's pivot radar (LEADER by e-mail or id): each signal, why it fired, its evidence."""
    _check_migrated(leader_ref)
    leader = _person(leader_ref)
    from leadshift.radar.services import radar_for, radar_json

    data = radar_json(radar_for(leader, None))
    if as_json:
        _print_json(data)
        return
    signals, dismissed = data["signals"], data["dismissed"]
    click.echo(
        f"{leader.name}'s pivot radar: {len(signals)} signal{'s' * (len(signals) != 1)}, "
        f"{len(dismissed)} dismissed (objective threshold {data['objective_threshold']:.0%})"
    )
    for s in signals:
        click.secho(f"- [{s['kind_label']}] {s['title']}", bold=True)
        click.echo(f"    why: {s['why']}")
        for e in s["evidence"]:
            click.echo(f"    evidence: {e['label']} ({e['url']})")
        if s["dismissed_before"]:
            d = s["dismissed_before"]
            click.echo(
                f"    back with new evidence; dismissed by {d['by']} on {d['on']}: {d['reason']}"
            )
    for s in dismissed:
        d = s["dismissal"]
        click.echo(f"dismissed: {s['title']} (by {d['by']} on {d['on']}: {d['reason']})")
