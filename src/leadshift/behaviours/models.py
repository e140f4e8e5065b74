from __future__ import annotations

from django.db import models


class Tick(models.Model):
    """A behaviour a rater has seen, ticked on a level's checklist. The key names the
    behaviour in the framework version of the assessment it belongs to: a self-assessment or
    a manager's assessment (one of the two; the services set it, and a backup's import sets
    the keys after the rows, so no database check)."""

    assessment = models.ForeignKey(
        "assessments.Assessment",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="ticks",
    )
    manager_assessment = models.ForeignKey(
        "coaching.ManagerAssessment",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="ticks",
    )
    capability = models.SlugField(max_length=60)
    key = models.CharField(max_length=80, help_text="capability.level.n")

    class Meta:
        ordering = ["capability", "key"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "key"], name="one_tick_per_assessment"),
            models.UniqueConstraint(
                fields=["manager_assessment", "key"], name="one_tick_per_manager_assessment"
            ),
        ]

    def __str__(self) -> str:
        return self.key
