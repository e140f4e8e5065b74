"""`leadshift oneonones PERSON`: a person's 1:1 series, each with its next agenda.

The command line has no viewer, so it prints shared notes and never a private one.
"""

from __future__ import annotations

import click

from leadshift.cli import _person, _print_json, fails_cleanly


@click.command("oneonones")
@click.argument("person_ref", metavar="PERSON")
@click.option("--json", "as_json", is_flag=True, help="Print the series as JSON.")
@fails_cleanly
def oneonones(person_ref: str, as_json: bool) -> None:
    """A person's 1:1 series (as leader or coached), the next date and its agenda."""
    person = _person(person_ref)
    from leadshift.coaching.services import series_json, series_of

    rows = [series_json(s, None) for s in series_of(person)]
    if as_json:
        _print_json(rows)
        return
    if not rows:
        click.echo(f"{person.name} has no 1:1 series.")
        return
    for r in rows:
        click.secho(
            f"{r['leader']['name']} and {r['person']['name']} · {r['cadence']} · "
            f"next {r['next_on'] or '–'} · {len(r['past'])} held",
            bold=True,
        )
        for item in (r["upcoming"] or {}).get("agenda", []):
            click.echo(f"  - {item['title']}")
            for d in item["details"]:
                click.echo(f"      {d}")
