"""A leader's radar settings and the signals they dismissed, with who, when and why."""

from __future__ import annotations

from django.db import models

from leadshift.radar.judgement import DEFAULT_OBJECTIVE_THRESHOLD


class RadarSettings(models.Model):
    """The leader's own thresholds for their radar."""

    leader = models.OneToOneField(
        "people.Person", on_delete=models.CASCADE, related_name="radar_settings"
    )
    objective_threshold = models.FloatField(
        default=DEFAULT_OBJECTIVE_THRESHOLD,
        help_text="P(objective reaches its target) under which the radar speaks, 0 to 1.",
    )
    updated_by = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Radar settings of {self.leader}"


class Dismissal(models.Model):
    """A signal the leader set aside, kept with its reason. It holds while the signal's
    evidence (its fingerprint) stays the same; new evidence brings the signal back."""

    leader = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="radar_dismissals"
    )
    key = models.CharField(max_length=200)
    fingerprint = models.CharField(max_length=200, blank=True)
    title = models.CharField(max_length=300, help_text="The signal's title when dismissed.")
    reason = models.TextField()
    dismissed_by = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    dismissed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["dismissed_at", "id"]
        indexes = [models.Index(fields=["leader", "key"])]

    def __str__(self) -> str:
        return f"{self.title}: {self.reason}"
