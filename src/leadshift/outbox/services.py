"""Keeping messages in the outbox, and who may read them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import QuerySet
from django.db.models.expressions import RawSQL
from django.db.models.functions import Lower
from django.utils.html import strip_tags

from leadshift.core.errors import NotFound
from leadshift.outbox.headers import HIDE_HEADER, KIND_HEADER, ORG_HEADER, parse_ids, split_headers
from leadshift.outbox.models import Message
from leadshift.people.models import Organisation, Person

WITHHELD_REASONS = {
    "feedback": "it holds a personal feedback link for a rater",
    "pulse": "it holds a personal pulse link for a respondent",
}
WITHHELD_DEFAULT = "it holds a personal link meant only for its recipient"


def _html_of(email: EmailMessage) -> str:
    for alt in getattr(email, "alternatives", None) or ():
        content, mimetype = alt[0], alt[1]
        if mimetype == "text/html":
            return str(content)
    if email.content_subtype == "html":
        return str(email.body)
    return ""


def _organisation(value: str | None, recipients: Sequence[str]) -> Organisation | None:
    if value:
        org = Organisation.objects.filter(pk=int(value)).first() if value.isdigit() else None
        org = org or Organisation.objects.filter(slug=value).first()
        if org is not None:
            return org
    wanted = {r.strip().lower() for r in recipients}
    org_ids = set(
        Person.objects.annotate(address=Lower("email"))
        .filter(address__in=wanted)
        .values_list("organisation_id", flat=True)
    )
    if len(org_ids) == 1:
        return Organisation.objects.get(pk=org_ids.pop())
    return None


@transaction.atomic
def do_store_messages(emails: Sequence[EmailMessage]) -> list[Message]:
    """Keep each message; all or none, so a batch is never half kept."""
    kept = []
    for email in emails:
        ours, _ = split_headers(dict(email.extra_headers))
        hidden = parse_ids(ours.get(HIDE_HEADER, ""))
        recipients = [str(r) for r in email.recipients()]
        html = _html_of(email)
        text = str(email.body) if email.content_subtype != "html" else strip_tags(html)
        message = Message.objects.create(
            organisation=_organisation(ours.get(ORG_HEADER), recipients),
            kind=ours.get(KIND_HEADER, "")[:60],
            from_email=str(email.from_email or ""),
            to=", ".join(recipients),
            subject=str(email.subject or ""),
            body_text=text,
            body_html=html,
        )
        if hidden:
            people = list(Person.objects.filter(pk__in=hidden))
            missing = sorted(set(hidden) - {p.id for p in people})
            if missing:
                # Refused rather than kept readable: the sender meant to keep it from someone.
                raise ValueError(f"{HIDE_HEADER}: no person {', '.join(map(str, missing))}")
            message.hidden_from.set(people)
        kept.append(message)
    return kept


# --- reading -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Withheld:
    count: int
    reasons: list[str]

    @property
    def text(self) -> str:
        noun = "message" if self.count == 1 else "messages"
        return f"{self.count} {noun} withheld: " + "; ".join(self.reasons)


def _kept_out(viewer: Person) -> RawSQL:
    """The people whose private mail the viewer may not read: self and everyone below."""
    return viewer.reach()


def readable(viewer: Person) -> QuerySet[Message]:
    """The organisation's messages the viewer may read (the caller checks they are an admin)."""
    return (
        Message.objects.filter(organisation_id=viewer.organisation_id)
        .exclude(hidden_from__in=_kept_out(viewer))
        .distinct()
    )


def withheld(viewer: Person) -> Withheld:
    rows = (
        Message.objects.filter(
            organisation_id=viewer.organisation_id, hidden_from__in=_kept_out(viewer)
        )
        .values_list("id", "kind")
        .distinct()
    )
    kinds = dict(rows)
    reasons = sorted(
        {WITHHELD_REASONS.get(k.split("-")[0], WITHHELD_DEFAULT) for k in kinds.values()}
    )
    return Withheld(len(kinds), reasons)


def readable_message(viewer: Person, message_id: int) -> Message:
    message = readable(viewer).filter(pk=message_id).first()
    if message is None:
        raise NotFound("no such message")
    return message


def search(messages: QuerySet[Message], recipient: str) -> QuerySet[Message]:
    recipient = recipient.strip()
    return messages.filter(to__icontains=recipient) if recipient else messages
