"""What is kept of a calendar: hours per shift pole per ISO week, and a record of each import.

No meeting, title or attendee is stored; deleting an import deletes the weeks it brought.
"""

from __future__ import annotations

from django.db import models


class TimeUseRules(models.Model):
    """A person's own classification rules, as the YAML text they wrote."""

    person = models.OneToOneField(
        "people.Person", on_delete=models.CASCADE, related_name="timeuse_rules"
    )
    text = models.TextField()
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"rules of {self.person}"


class CalendarImport(models.Model):
    person = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="calendar_imports"
    )
    files = models.CharField(max_length=500)
    created_at = models.DateTimeField(auto_now_add=True)
    meetings = models.PositiveIntegerField(default=0)
    hours = models.FloatField(default=0.0)
    first_week = models.CharField(max_length=8, blank=True)
    last_week = models.CharField(max_length=8, blank=True)
    timezone = models.CharField(max_length=64, default="UTC")

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.files} ({self.first_week}–{self.last_week})"


class WeekUse(models.Model):
    """Hours per shift pole in one ISO week (a meeting can count on several shifts)."""

    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="week_uses")
    source = models.ForeignKey(CalendarImport, on_delete=models.CASCADE, related_name="weeks")
    week = models.CharField(max_length=8, help_text="ISO week, e.g. 2026-W05")
    week_start = models.DateField(help_text="The Monday of the week")
    meetings = models.PositiveIntegerField(default=0)
    total_hours = models.FloatField(default=0.0)
    unclassified_hours = models.FloatField(default=0.0)
    hours = models.JSONField(default=dict, help_text="shift:pole -> hours")

    class Meta:
        ordering = ["week_start"]
        constraints = [
            models.UniqueConstraint(fields=["person", "week"], name="unique_person_week")
        ]

    def __str__(self) -> str:
        return f"{self.person} {self.week}"
