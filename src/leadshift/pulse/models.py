"""Culture pulses: a leader's pulse, the people asked, their answers (kept without who gave
them), and the released results."""

from __future__ import annotations

import datetime as dt
import uuid

from django.db import models
from django.utils import timezone

from leadshift.core.closing import AnswerWindow, WrittenOnce


class Cadence(models.TextChoices):
    MONTHLY = "monthly", "Monthly"
    QUARTERLY = "quarterly", "Quarterly"


CADENCE_DAYS = {Cadence.MONTHLY: 30, Cadence.QUARTERLY: 91}


class Pulse(AnswerWindow, models.Model):
    """One round of the pulse, sent by a leader to everyone below them."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        RELEASED = "released", "Released"

    leader = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="pulses")
    cadence = models.CharField(max_length=10, choices=Cadence.choices, default=Cadence.QUARTERLY)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    opened_at = models.DateTimeField()
    closes_at = models.DateTimeField()
    released_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-opened_at", "-id"]

    def __str__(self) -> str:
        return f"pulse #{self.pk} of {self.leader}"

    @property
    def next_due_on(self) -> dt.date:
        """When the next pulse is due by the cadence."""
        days = CADENCE_DAYS[Cadence(self.cadence)]
        return timezone.localdate(self.opened_at) + dt.timedelta(days=days)


class Respondent(models.Model):
    """A person asked to answer. Only a hash of their link's token is kept, and nothing ties
    them to an answer: `answered` says only that they did, with no time that could be lined
    up with the answers."""

    pulse = models.ForeignKey(Pulse, on_delete=models.CASCADE, related_name="respondents")
    person = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    email = models.EmailField()
    team_name = models.CharField(max_length=200, blank=True, help_text="Their team when asked.")
    token_hash = models.CharField(max_length=64, unique=True)
    invited_at = models.DateTimeField()
    answered = models.BooleanField(default=False)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["pulse", "email"], name="one_pulse_link_per_person")
        ]

    def __str__(self) -> str:
        # Deliberately no name or e-mail: this string can end up in logs and error pages.
        return f"respondent #{self.pk} of pulse #{self.pulse_id}"


class Response(models.Model):
    """One set of answers, with the team it came from and no respondent, time or order: a
    random id, so not even the order of arrival can be read from the table."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    pulse = models.ForeignKey(Pulse, on_delete=models.CASCADE, related_name="responses")
    team_name = models.CharField(max_length=200, blank=True)
    scores = models.JSONField(help_text="Item id -> 1 to 5.")
    comment = models.TextField(blank=True)

    def __str__(self) -> str:
        return f"a response to pulse #{self.pulse_id}"


class Result(WrittenOnce):
    """The released results of a pulse: written once at release, never changed."""

    pulse = models.OneToOneField(Pulse, on_delete=models.CASCADE, related_name="result")
    data = models.JSONField(help_text="What the results pages show; no respondent identity.")
    shown_sets = models.JSONField(
        default=list,
        help_text="Hashed people sets behind each shown view, for differencing checks of "
        "later pulses. Never shown.",
    )
    released_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"results of pulse #{self.pulse_id}"
