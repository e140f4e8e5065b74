from __future__ import annotations

from datetime import datetime, timedelta

from django.db import models
from django.utils import timezone

# Long enough to notice a slip and come back to it, short enough that a snapshot of deleted
# records does not outlive the reason for keeping it.
UNDO_WINDOW = timedelta(minutes=30)


class Deletion(models.Model):
    """A snapshot of what one delete removed, kept a while so its author can put it back."""

    organisation = models.ForeignKey(
        "people.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    actor = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")
    what = models.CharField(max_length=300, help_text="What was deleted, in words.")
    back_to = models.CharField(
        max_length=300, blank=True, help_text="Where the restored record lives."
    )
    rows = models.JSONField(help_text="Every deleted row, serialised, parents first.")
    relinks = models.JSONField(default=list, help_text="Links the delete set to empty.")
    created_at = models.DateTimeField(default=timezone.now)
    restored_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.what

    @property
    def expires_at(self) -> datetime:
        return self.created_at + UNDO_WINDOW

    def restorable(self, now: datetime | None = None) -> bool:
        return self.restored_at is None and (now or timezone.now()) < self.expires_at
