from __future__ import annotations

from django.db import models

from leadshift.scale.leases import LeaseFields


class Upload(LeaseFields):
    """A file uploaded for import: checked whole in the request, written whole by the task
    worker (one transaction), with the outcome kept for the page that follows it."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Writing"
        DONE = "done", "Imported"
        FAILED = "failed", "Failed"

    class Kind(models.TextChoices):
        PEOPLE = "people", "People"
        PORTFOLIO = "portfolio", "Portfolio"

    # Kept (emptied) when the organisation or the uploader goes, so the task can say so.
    organisation = models.ForeignKey(
        "people.Organisation", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_by = models.ForeignKey(
        "people.Person", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    file_kind = models.CharField(max_length=40, blank=True, help_text="A portfolio file's kind.")
    filename = models.CharField(max_length=255)
    text = models.TextField()
    rows = models.PositiveIntegerField(default=0, help_text="Records in the file.")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0, help_text="Per cent done.")
    stage = models.CharField(max_length=100, blank=True)
    counts = models.JSONField(null=True, blank=True)
    problems = models.JSONField(default=list, blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    def __str__(self) -> str:
        return f"{self.kind} {self.filename} ({self.status})"

    @property
    def pending(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)
