"""When a round that collects answers closes (a 360 cycle, a pulse), and what is written once
it has: shared by every such round."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import models
from django.utils import timezone

from leadshift.core.errors import Invalid


def closing_time(closes_on: dt.date | dt.datetime) -> dt.datetime:
    """A closing date means the end of that day (23:59, local time)."""
    if isinstance(closes_on, dt.datetime):
        return closes_on if timezone.is_aware(closes_on) else timezone.make_aware(closes_on)
    return timezone.make_aware(dt.datetime.combine(closes_on, dt.time(23, 59)))


def parse_closing_date(raw: str) -> dt.date:
    """A closing date as typed in a form."""
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        raise Invalid(
            "give the closing date as a date, e.g. 2026-12-15", field="closes_on"
        ) from None


# An invitation link still opens (to say the window has closed) this long after the close;
# answers are accepted only until the close itself.
LINK_GRACE = dt.timedelta(days=7)


class AnswerWindow:
    """What a 360 cycle and a pulse share: open until `closes_at`, links a week longer. The
    model holds `status` (with "open") and `closes_at`."""

    status: str
    closes_at: dt.datetime

    @property
    def is_open(self) -> bool:
        return self.status == "open"

    def accepts_answers(self, now: dt.datetime | None = None) -> bool:
        return self.is_open and (now or timezone.now()) < self.closes_at

    @property
    def link_expires_at(self) -> dt.datetime:
        return self.closes_at + LINK_GRACE


class ImmutableError(RuntimeError):
    pass


class WrittenOnce(models.Model):
    """Released results: written once at release, never changed nor deleted one by one."""

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and type(self).objects.filter(pk=self.pk).exists():
            raise ImmutableError("released results never change")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise ImmutableError("released results are kept")
