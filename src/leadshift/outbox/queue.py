"""Mail through the task queue: the request stores each message and queues its sending; the
worker sends it to the mail server, tries again with a growing wait when the server fails,
and records the reason when it gives up."""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Sequence

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.utils import timezone

from leadshift.outbox.headers import KIND_HEADER, ORG_HEADER, split_headers
from leadshift.outbox.models import Outgoing
from leadshift.outbox.services import _organisation

SENDER_BACKEND = "leadshift.outbox.backend.SmtpBackend"


def send_tries() -> int:
    return int(getattr(settings, "LEADSHIFT_EMAIL_TRIES", 4))


def backoff(sends: int) -> dt.timedelta:
    """The wait before the next try after `sends` failed ones: the base, doubled each time."""
    base = float(getattr(settings, "LEADSHIFT_EMAIL_BACKOFF", 30))
    return dt.timedelta(seconds=base * 2 ** (sends - 1))


@transaction.atomic
def do_queue_messages(emails: Sequence[EmailMessage]) -> list[Outgoing]:
    """Store each message as it will leave (LeadShift's own headers stripped) and queue its
    sending, in the caller's transaction: a request that fails queues nothing."""
    from leadshift.outbox.tasks import enqueue

    queued = []
    for email in emails:
        ours, rest = split_headers(dict(email.extra_headers))
        recipients = [str(r) for r in email.recipients()]
        if not recipients:
            continue
        leaving = copy.copy(email)
        leaving.extra_headers = rest
        out = Outgoing.objects.create(
            organisation=_organisation(ours.get(ORG_HEADER), recipients),
            kind=ours.get(KIND_HEADER, "")[:60],
            from_email=str(email.from_email or settings.DEFAULT_FROM_EMAIL),
            to=", ".join(recipients),
            subject=str(email.subject or ""),
            raw=leaving.message().as_bytes(linesep="\r\n"),
        )
        out.task_id = enqueue(out.id)
        out.save(update_fields=["task_id"])
        queued.append(out)
    return queued


def send_outgoing(outgoing_id: int) -> None:
    """The worker's part: one try at the mail server; on failure, queue the next try after the
    back-off, or, after the last, mark it failed with the server's reason."""
    out = Outgoing.objects.get(pk=outgoing_id)
    try:
        backend = get_connection(SENDER_BACKEND, fail_silently=False)
        backend.open()
        try:
            assert backend.connection is not None
            backend.connection.sendmail(out.from_email, out.recipients, bytes(out.raw))
        finally:
            backend.close()
    except Exception as exc:  # any failure of the server or the network is a failed try
        _failed_try(out, f"{type(exc).__name__}: {exc}")
        return
    # Sent: the body is not kept (the operator's list shows who, what and when).
    Outgoing.objects.filter(pk=outgoing_id).update(
        status=Outgoing.Status.DONE,
        sends=out.sends + 1,
        error="",
        raw=b"",
        finished_at=timezone.now(),
    )


@transaction.atomic
def _failed_try(out: Outgoing, reason: str) -> None:
    from leadshift.outbox.tasks import enqueue

    sends = out.sends + 1
    if sends >= send_tries():
        Outgoing.objects.filter(pk=out.pk).update(
            status=Outgoing.Status.FAILED,
            sends=sends,
            error=f"not sent after {sends} tries; the last said {reason}",
            finished_at=timezone.now(),
        )
        return
    # Queued again as a fresh lease: the next try is a new task that waits out the back-off.
    Outgoing.objects.filter(pk=out.pk).update(
        status=Outgoing.Status.QUEUED,
        sends=sends,
        attempts=0,
        heartbeat_at=None,
        error=f"try {sends} failed: {reason}",
        task_id=enqueue(out.pk, after=timezone.now() + backoff(sends)),
    )
