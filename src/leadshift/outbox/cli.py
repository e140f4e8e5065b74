"""`leadshift outbox list|show`: read the outbox from a shell (the operator sees everything)."""

from __future__ import annotations

from typing import Any

import click

from leadshift.cli import _django, _print_json, fails_cleanly


def _message_json(m: Any, *, body: bool) -> dict[str, Any]:
    data = {
        "id": m.id,
        "created_at": m.created_at.isoformat(),
        "organisation": m.organisation.slug if m.organisation else None,
        "kind": m.kind,
        "from": m.from_email,
        "to": m.recipients,
        "subject": m.subject,
        "hidden_from": sorted(p.id for p in m.hidden_from.all()),
    }
    if body:
        data["body_text"] = m.body_text
        data["body_html"] = m.body_html
    return data


@click.group("outbox")
def outbox() -> None:
    """Messages kept while no mail server is set up."""


@outbox.command("list")
@click.option("--org", "org_slug", help="The organisation's short name (slug); all when left out.")
@click.option("--to", "recipient", default="", help="Only messages to addresses containing this.")
@click.option("--json", "as_json", is_flag=True)
@fails_cleanly
def outbox_list(org_slug: str | None, recipient: str, as_json: bool) -> None:
    """The messages in the outbox, newest first."""
    _django()
    from leadshift.core.errors import NotFound
    from leadshift.outbox.models import Message
    from leadshift.outbox.services import search
    from leadshift.people.models import Organisation

    messages = Message.objects.select_related("organisation").prefetch_related("hidden_from")
    if org_slug:
        org = Organisation.objects.filter(slug=org_slug).first()
        if org is None:
            raise NotFound(f"no organisation {org_slug!r}")
        messages = messages.filter(organisation=org)
    rows = list(search(messages, recipient))
    if as_json:
        _print_json([_message_json(m, body=False) for m in rows])
        return
    if not rows:
        click.echo("The outbox is empty.")
    for m in rows:
        click.echo(f"{m.id:>6}  {m.created_at:%Y-%m-%d %H:%M}  {m.to}  {m.subject}")


@outbox.command("show")
@click.argument("message_id", metavar="ID", type=int)
@click.option("--json", "as_json", is_flag=True)
@fails_cleanly
def outbox_show(message_id: int, as_json: bool) -> None:
    """One message, whole: headers and text, links as they were written."""
    _django()
    from leadshift.core.errors import NotFound
    from leadshift.outbox.models import Message

    m = (
        Message.objects.select_related("organisation")
        .prefetch_related("hidden_from")
        .filter(pk=message_id)
        .first()
    )
    if m is None:
        raise NotFound(f"no message {message_id} in the outbox")
    if as_json:
        _print_json(_message_json(m, body=True))
        return
    click.echo(f"Subject: {m.subject}")
    click.echo(f"To: {m.to}")
    if m.from_email:
        click.echo(f"From: {m.from_email}")
    click.echo(f"Date: {m.created_at:%Y-%m-%d %H:%M %Z}")
    if m.organisation:
        click.echo(f"Organisation: {m.organisation.slug}")
    click.echo("")
    click.echo(m.body_text)


@outbox.command("queue")
@click.option("--failed", "only_failed", is_flag=True, help="Only what could not be sent.")
@click.option("--json", "as_json", is_flag=True)
@fails_cleanly
def outbox_queue(only_failed: bool, as_json: bool) -> None:
    """Mail queued for the mail server, newest first: sent, waiting, or failed and why."""
    _django()
    from leadshift.outbox.models import Outgoing

    rows = Outgoing.objects.select_related("organisation")
    if only_failed:
        rows = rows.filter(status=Outgoing.Status.FAILED)
    if as_json:
        _print_json(
            [
                {
                    "id": m.id,
                    "created_at": m.created_at.isoformat(),
                    "organisation": m.organisation.slug if m.organisation else None,
                    "kind": m.kind,
                    "to": m.recipients,
                    "subject": m.subject,
                    "status": m.get_status_display().lower(),
                    "tries": m.sends,
                    "error": m.error,
                }
                for m in rows
            ]
        )
        return
    if not rows.exists():
        click.echo(
            "No mail has failed." if only_failed else "No mail has been queued for a mail server."
        )
    for m in rows:
        status = m.get_status_display().lower()
        click.echo(f"{m.id:>6}  {m.created_at:%Y-%m-%d %H:%M}  {status:<8} {m.to}  {m.subject}")
        if m.error:
            click.echo(f"        {m.error}")
