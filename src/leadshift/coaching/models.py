from __future__ import annotations

import datetime as dt

from django.db import models

from leadshift.core.dates import day

# Private notes are their author's alone: a whole-organisation export or backup must skip them.
NOT_EXPORTED = ["coaching.PrivateNote"]


class Series(models.Model):
    """A recurring 1:1 between a leader and a person they coach."""

    class Cadence(models.TextChoices):
        WEEKLY = "weekly", "Weekly"
        FORTNIGHTLY = "fortnightly", "Fortnightly"
        MONTHLY = "monthly", "Monthly"

    leader = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="coaching")
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="coached")
    cadence = models.CharField(max_length=12, choices=Cadence.choices, default=Cadence.FORTNIGHTLY)
    # A mentor's series: the leader mentors the person from outside their reporting line, so
    # the agenda holds only what the two add (no plan, 360 or other evidence of the mentee).
    mentoring = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["person__name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["leader", "person"], name="one_series_per_pair")
        ]

    def __str__(self) -> str:
        return f"1:1 {self.leader} – {self.person}"

    def has_party(self, person_id: int) -> bool:
        return person_id in (self.leader_id, self.person_id)

    def next_after(self, day: dt.date) -> dt.date:
        days = {"weekly": 7, "fortnightly": 14}.get(self.cadence)
        if days:
            return day + dt.timedelta(days=days)
        month = day.month % 12 + 1
        year = day.year + (day.month == 12)
        for d in (day.day, 30, 29, 28):
            try:
                return dt.date(year, month, d)
            except ValueError:
                continue
        raise AssertionError("unreachable")

    def upcoming(self) -> Meeting | None:
        return self.meetings.filter(done=False).order_by("on", "id").first()


class Meeting(models.Model):
    series = models.ForeignKey(Series, on_delete=models.CASCADE, related_name="meetings")
    on = models.DateField()
    done = models.BooleanField(default=False)

    class Meta:
        ordering = ["-on", "-id"]

    def __str__(self) -> str:
        return f"{self.series} on {self.on}"


class AgendaItem(models.Model):
    """An item either party adds by hand; the rest of the agenda builds itself."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="items")
    author = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")
    text = models.CharField(max_length=500)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.text


class Note(models.Model):
    """A shared note: both parties of the 1:1 read it."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")
    text = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"note by {self.author}"


class PrivateNote(models.Model):
    """Seen by its author only: never by the other party, anyone above them, or an admin."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="private_notes")
    author = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")
    text = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return "a private note"  # never its text: admin lists and logs show this


class AgreedAction(models.Model):
    """An action agreed at a 1:1, kept as the plan action it became."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agreed")
    action = models.ForeignKey("growth.Action", on_delete=models.CASCADE, related_name="+")

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"agreed at {self.meeting}"


class ManagerAssessment(models.Model):
    """A manager's rating of a person against the framework, outside any 360 cycle."""

    person = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="manager_assessments"
    )
    manager = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")
    framework = models.ForeignKey(
        "frameworks.FrameworkVersion", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.manager} on {self.person} ({day(self.created_at)})"

    def levels(self) -> dict[str, int]:
        return {r.capability: r.level for r in self.ratings.all()}


class ManagerRating(models.Model):
    assessment = models.ForeignKey(
        ManagerAssessment, on_delete=models.CASCADE, related_name="ratings"
    )
    capability = models.SlugField(max_length=60)
    level = models.PositiveSmallIntegerField()
    evidence = models.TextField(blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "capability"], name="one_manager_rating_per_capability"
            )
        ]

    def __str__(self) -> str:
        return f"{self.capability}: {self.level}"


class GrowthConversation(models.Model):
    """The longer view, one to two years out: it can set the target role and feeds the next plan."""

    person = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="growth_conversations"
    )
    author = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")
    held_on = models.DateField()
    horizon_years = models.PositiveSmallIntegerField(default=2)
    aspirations = models.TextField()
    target_role = models.SlugField(max_length=60)
    capabilities = models.JSONField(default=list, help_text="Capability ids the role needs most.")
    experiences = models.TextField(blank=True)

    class Meta:
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return f"growth conversation with {self.person} ({self.held_on})"
