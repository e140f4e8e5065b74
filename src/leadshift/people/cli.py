"""`leadshift people …` and `leadshift teams …`: the organisation's people and teams.

The main `leadshift` group registers these; each command sets Django up before it imports
anything that touches the models.
"""

from __future__ import annotations

import json
from functools import wraps
from pathlib import Path
from typing import Any

import click

from leadshift.files import InputError, Problem


def _setup() -> None:
    from leadshift.cli import _django

    _django()


def _fails_cleanly(fn: Any) -> Any:
    # Imported when run: leadshift.cli imports this module to register its commands.
    @wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from leadshift.cli import fails_cleanly

        return fails_cleanly(fn)(*args, **kwargs)

    return wrapper


def _org(slug: str) -> Any:
    _setup()
    from leadshift.core.errors import NotFound
    from leadshift.people.models import Organisation

    org = Organisation.objects.filter(slug=slug).first()
    if org is None:
        raise NotFound(f"no organisation {slug!r}")
    return org


def _member(org: Any, email: str, what: str) -> Any:
    from leadshift.core.errors import Invalid
    from leadshift.people.models import Person

    person = Person.objects.filter(email=email.strip().lower()).first()
    if person is None or person.organisation_id != org.id:
        where = "another organisation" if person is not None else org.name
        raise Invalid(
            f"--{what}: no person {email!r} in {org.name}"
            + (f" ({email} is in {where})" if person is not None else "")
        )
    return person


def _team(org: Any, name: str) -> Any:
    from leadshift.core.errors import Invalid
    from leadshift.people.models import Team

    team = Team.objects.filter(organisation=org, name__iexact=name.strip()).first()
    if team is None:
        raise Invalid(f"--team: {org.name} has no team {name!r}")
    return team


def _print_json(data: Any) -> None:
    click.echo(json.dumps(data, indent=2, ensure_ascii=False))


@click.group("people")
def people() -> None:
    """The organisation's people: import, list, invite, deactivate."""


@people.command("import")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--org", "org_slug", required=True, help="The organisation's short name (slug).")
@click.option("--json", "as_json", is_flag=True)
@_fails_cleanly
def people_import(file: Path, org_slug: str, as_json: bool) -> None:
    """Add or update people from a CSV or YAML file (by e-mail): all or nothing."""
    try:
        text = file.read_text(encoding="utf-8")
    except (FileNotFoundError, IsADirectoryError):
        raise InputError([Problem("no such file")], str(file)) from None
    except UnicodeDecodeError:
        raise InputError([Problem("the file is not UTF-8 text")], str(file)) from None
    org = _org(org_slug)
    from leadshift.people.services import do_import_people

    counts = do_import_people(None, org, text, str(file))
    if as_json:
        _print_json({"organisation": org.slug, **counts})
    else:
        click.echo(
            f"Imported into {org.name}: {counts['added']} added, {counts['updated']} updated."
        )


@people.command("list")
@click.option("--org", "org_slug", required=True, help="The organisation's short name (slug).")
@click.option("--json", "as_json", is_flag=True)
@_fails_cleanly
def people_list(org_slug: str, as_json: bool) -> None:
    """Everyone in the organisation: e-mail, name, title, manager, team, roles, active."""
    org = _org(org_slug)
    from leadshift.people.models import Person
    from leadshift.people.services import person_json

    rows = [
        person_json(p)
        for p in Person.objects.filter(organisation=org).select_related("manager", "team")
    ]
    if as_json:
        _print_json(rows)
        return
    for r in rows:
        state = "" if r["active"] else "  (deactivated)"
        click.echo(
            f"{r['email']:<36} {r['name']:<24} {r['title'] or '-':<28} "
            f"manager {r['manager'] or '-':<34} team {r['team'] or '-':<16} "
            f"{','.join(r['roles'])}{state}"
        )


@people.command("invite")
@click.argument("email")
@click.option("--org", "org_slug", required=True, help="The organisation's short name (slug).")
@click.option("--manager", help="The manager's e-mail.")
@click.option("--team", help="The team's name.")
@click.option(
    "--role",
    "role_names",
    multiple=True,
    type=click.Choice(["admin", "leader", "member"]),
    help="A role on top of member; repeat for several.",
)
@_fails_cleanly
def people_invite(
    email: str, org_slug: str, manager: str | None, team: str | None, role_names: tuple[str, ...]
) -> None:
    """E-mail a one-time link to join (the link is not printed: it is the invitee's alone)."""
    org = _org(org_slug)
    from leadshift.people.invitations import INVITATION_DAYS, do_invite

    inv = do_invite(
        None,
        org,
        email,
        manager=_member(org, manager, "manager") if manager else None,
        team=_team(org, team) if team else None,
        role_names=set(role_names),
    )
    from leadshift.outbox.delivery import describe

    click.echo(
        f"Invitation to join {org.name} (the link works once, for {INVITATION_DAYS} days). "
        + describe(inv.email).text
    )


@people.command("deactivate")
@click.argument("email")
@click.option("--org", "org_slug", help="Needed only if the e-mail is in several organisations.")
@_fails_cleanly
def people_deactivate(email: str, org_slug: str | None) -> None:
    """They can no longer sign in and leave the pickers; their history stays."""
    _setup()
    from leadshift.people.services import do_deactivate_person, find_person

    person = find_person(email, _org(org_slug) if org_slug else None)
    do_deactivate_person(None, person)
    click.echo(f"{person.name} ({person.email}) is deactivated; their history stays.")


@click.group("teams")
def teams() -> None:
    """The organisation's teams (people and portfolio capacity share them)."""


@teams.command("list")
@click.option("--org", "org_slug", required=True, help="The organisation's short name (slug).")
@click.option("--json", "as_json", is_flag=True)
@_fails_cleanly
def teams_list(org_slug: str, as_json: bool) -> None:
    """Each team with its lead and the number of active members."""
    org = _org(org_slug)
    from leadshift.people.services import team_json, teams_with_counts

    rows = [team_json(t) for t in teams_with_counts(org)]
    if as_json:
        _print_json(rows)
        return
    for r in rows:
        state = "  (archived)" if r["archived"] else ""
        click.echo(f"{r['name']:<24} lead {r['lead'] or '-':<36} {r['members']} members{state}")


@teams.command("add")
@click.argument("name")
@click.option("--org", "org_slug", required=True, help="The organisation's short name (slug).")
@click.option("--lead", help="The lead's e-mail.")
@_fails_cleanly
def teams_add(name: str, org_slug: str, lead: str | None) -> None:
    """Create a team."""
    org = _org(org_slug)
    from leadshift.people.services import do_create_team

    team = do_create_team(None, org, name, _member(org, lead, "lead") if lead else None)
    click.echo(f"Team {team.name} created in {org.name}.")
