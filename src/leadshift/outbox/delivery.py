"""Where a message went, in words a page can show after it "sent" something."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import conditional_escape, format_html

OUTBOX_BACKEND = "leadshift.outbox.backend.OutboxBackend"


def in_outbox() -> bool:
    return bool(settings.EMAIL_BACKEND == OUTBOX_BACKEND)


@dataclass(frozen=True)
class Delivery:
    text: str
    outbox_url: str | None
    """Set when the message waits in the outbox: where an admin reads it."""

    @property
    def html(self) -> str:
        """The text with the outbox's address as a link, for the template include."""
        if not self.outbox_url:
            return conditional_escape(self.text)
        before, _, after = self.text.partition(self.outbox_url)
        return format_html(
            '{}<a href="{}">{}</a>{}', before, self.outbox_url, self.outbox_url, after
        )


def _who(recipients: Sequence[str]) -> str:
    if len(recipients) <= 3:
        return ", ".join(recipients)
    return f"{len(recipients)} people"


def describe(
    recipients: str | Sequence[str] | int,
    request: HttpRequest | None = None,
    *,
    private: bool = False,
) -> Delivery:
    """ "sent to x@y", or where the message waits when no mail server is set up.

    `recipients`: the addresses, or how many when the page must not name them (reminders
    would tell a 360's subject who has not answered). `private`: the message holds a link
    only its recipient may hold (a 360 rater's), so the admin who passes it on must be
    outside the subject's management line.
    """
    if isinstance(recipients, int):
        who = f"{recipients} {'person' if recipients == 1 else 'people'}"
        many = recipients != 1
    else:
        rs = [recipients] if isinstance(recipients, str) else list(recipients)
        who, many = _who(rs), len(rs) != 1
    if not in_outbox():
        return Delivery(f"Sent to {who}.", None)
    path = reverse("outbox")
    url = request.build_absolute_uri(path) if request is not None else path
    them = "them" if many else "it"
    reader = (
        f"an admin who is neither the subject nor above them can read {them} at {url} "
        f"and pass {them} on"
        if private
        else f"an admin can read {them} at {url}"
    )
    return Delivery(f"In the outbox for {who} (no mail server is set up): {reader}.", url)
