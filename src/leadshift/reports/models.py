from __future__ import annotations

from django.db import models

from leadshift.scale.leases import LeaseFields


class Rendering(LeaseFields):
    """A report's PDF, made by the task worker for the person who asked for it.

    The PDF is kept in the database, so any web process (on any machine) can hand it over;
    renderings older than LEADSHIFT_RENDERING_KEEP_HOURS are removed.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    organisation = models.ForeignKey(
        "people.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    requested_by = models.ForeignKey(
        "people.Person", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.SlugField(max_length=40)
    subject_id = models.PositiveIntegerField(help_text="A person's id, or a brief's.")
    as_of = models.DateField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0, help_text="Per cent done.")
    stage = models.CharField(max_length=100, blank=True)
    pdf = models.BinaryField(null=True, blank=True)
    filename = models.CharField(max_length=200, blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        indexes = [
            models.Index(
                fields=["requested_by", "kind", "subject_id", "status"], name="rendering_same"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.subject_id} ({self.status})"

    @property
    def pending(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)
