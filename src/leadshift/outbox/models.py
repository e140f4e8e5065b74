from __future__ import annotations

from django.db import models
from django.utils import timezone

from leadshift.people.models import Organisation, Person
from leadshift.scale.leases import LeaseFields


class Message(models.Model):
    """An e-mail LeadShift would have sent, kept because no mail server is set up."""

    organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="outbox_messages",
        help_text="Whose admins may read it; empty when it could not be placed.",
    )
    kind = models.SlugField(max_length=60, blank=True)
    from_email = models.CharField(max_length=320, blank=True)
    to = models.TextField(help_text="Every recipient (to, cc, bcc), comma-separated.")
    subject = models.CharField(max_length=998, blank=True)
    body_text = models.TextField(blank=True)
    body_html = models.TextField(blank=True)
    hidden_from = models.ManyToManyField(
        Person,
        blank=True,
        related_name="+",
        help_text="People who must not read it; everyone above them is kept out too.",
    )
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["organisation", "-created_at"], name="outbox_org_newest")]

    def __str__(self) -> str:
        return f"{self.subject} → {self.to}"

    @property
    def recipients(self) -> list[str]:
        return [a for a in self.to.split(", ") if a]


class Outgoing(LeaseFields):
    """A message on its way to the mail server: queued by the request, sent by the task worker,
    tried again with a growing wait when the server fails, and kept with the reason when it
    could not be sent at all."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Sending"
        DONE = "done", "Sent"
        FAILED = "failed", "Failed"

    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    kind = models.SlugField(max_length=60, blank=True)
    from_email = models.CharField(max_length=320)
    to = models.TextField(help_text="Every recipient (to, cc, bcc), comma-separated.")
    subject = models.CharField(max_length=998, blank=True)
    raw = models.BinaryField(help_text="The message as it goes to the server.")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    sends = models.PositiveSmallIntegerField(default=0, help_text="Tries at the mail server.")
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.subject} → {self.to} ({self.status})"

    @property
    def recipients(self) -> list[str]:
        return [a for a in self.to.split(", ") if a]
