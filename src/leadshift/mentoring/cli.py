"""`leadshift mentors LEADER`: who mentors whom among the people a leader leads, and who has
no mentor."""

from __future__ import annotations

import click

from leadshift.cli import _person, _print_json, fails_cleanly


@click.command("mentors")
@click.argument("leader_ref", metavar="LEADER")
@click.option("--json", "as_json", is_flag=True, help="Print the pairs as JSON.")
@fails_cleanly
def mentors(leader_ref: str, as_json: bool) -> None:
    """Mentoring pairs among the people LEADER (e-mail or id) leads, and who has no one."""
    leader = _person(leader_ref)
    from leadshift.frameworks.services import framework_for
    from leadshift.mentoring.services import overview

    data = overview(leader)
    if as_json:
        _print_json(data)
        return
    if not data["pairs"] and not data["without_mentor"]:
        click.echo(f"{leader.name} leads no one.")
        return
    names = {c.id: c.name for c in framework_for(leader.organisation).data.capabilities}
    click.secho(f"Mentoring pairs under {leader.name} ({len(data['pairs'])})", bold=True)
    for r in data["pairs"]:
        cap = names.get(r["capability"], r["capability"])
        click.echo(f"  {r['mentor']['name']} mentors {r['mentee']['name']} in {cap}")
    if not data["pairs"]:
        click.echo("  none yet")
    click.secho(f"No mentor yet ({len(data['without_mentor'])})", bold=True)
    click.echo("  " + ", ".join(p["name"] for p in data["without_mentor"]))
