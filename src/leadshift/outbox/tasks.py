"""Sending queued mail as background tasks, done by `leadshift worker`."""

from __future__ import annotations

import datetime as dt

from django_tasks import task

from leadshift.outbox.models import Outgoing
from leadshift.scale.leases import Leased, leased


@task()
def send_mail(outgoing_id: int) -> None:
    from leadshift.outbox.queue import send_outgoing

    with leased(Outgoing, outgoing_id) as mine:
        if mine:
            send_outgoing(outgoing_id)


def enqueue(outgoing_id: int, after: dt.datetime | None = None) -> str:
    queued = send_mail.using(run_after=after) if after is not None else send_mail
    return str(queued.enqueue(outgoing_id).id)


LEASED = Leased(Outgoing, enqueue, "e-mail")
