"""E-mail backends: the outbox (no mail server set up) and SMTP without LeadShift's headers."""

from __future__ import annotations

import copy
from collections.abc import Sequence

from django.core.mail import EmailMessage
from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.backends.smtp import EmailBackend as DjangoSmtpBackend

from leadshift.outbox.headers import split_headers


class OutboxBackend(BaseEmailBackend):
    """Keeps every message in the outbox, where the organisation's admins can read it."""

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        from leadshift.outbox.services import do_store_messages

        if not email_messages:
            return 0
        try:
            return len(do_store_messages(email_messages))
        except Exception:
            if not self.fail_silently:
                raise
            return 0


class SmtpBackend(DjangoSmtpBackend):
    """Django's SMTP backend; the outbox's headers (person ids) never leave the installation."""

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        clean = []
        for email in email_messages:
            email = copy.copy(email)
            email.extra_headers = split_headers(dict(email.extra_headers))[1]
            clean.append(email)
        return super().send_messages(clean) or 0


class QueuedSmtpBackend(BaseEmailBackend):
    """Stores each message and queues its sending for the task worker (outbox/queue.py), so a
    slow or failing mail server neither holds up a page nor loses a message."""

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        from leadshift.outbox.queue import do_queue_messages

        if not email_messages:
            return 0
        try:
            return len(do_queue_messages(email_messages))
        except Exception:
            if not self.fail_silently:
                raise
            return 0
