"""360 feedback: cycles, raters with their invitation, rater answers, released results."""

from __future__ import annotations

from django.db import models

from leadshift.core.closing import LINK_GRACE as LINK_GRACE
from leadshift.core.closing import AnswerWindow, WrittenOnce

# ImmutableError stays importable from here, where the 360's callers find it.
from leadshift.core.closing import ImmutableError as ImmutableError
from leadshift.core.dates import day


class Relationship(models.TextChoices):
    MANAGER = "manager", "Manager"
    PEER = "peer", "Peer"
    REPORT = "report", "Direct report"
    STAKEHOLDER = "stakeholder", "Stakeholder"


class Cycle(AnswerWindow, models.Model):
    """One round of 360 feedback on one person."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        RELEASED = "released", "Released"

    subject = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="feedback_cycles"
    )
    opened_by = models.ForeignKey(
        "people.Person", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    framework = models.ForeignKey(
        "frameworks.FrameworkVersion", on_delete=models.PROTECT, related_name="+"
    )
    assessment = models.ForeignKey(
        "assessments.Assessment",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="feedback_cycles",
        help_text="The self-assessment shown beside the others' view.",
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    opened_at = models.DateTimeField()
    closes_at = models.DateTimeField()
    released_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-opened_at", "-id"]

    def __str__(self) -> str:
        return f"360 on {self.subject} ({day(self.opened_at)})"


class Rater(models.Model):
    """An invited rater. Only a SHA-256 hash of their link's token is kept."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="raters")
    name = models.CharField(max_length=200)
    email = models.EmailField()
    relationship = models.CharField(max_length=12, choices=Relationship.choices)
    person = models.ForeignKey(
        "people.Person",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="feedback_asked",
        help_text="The colleague with this e-mail when invited: they open the form from their "
        "own LeadShift home instead of an e-mailed link.",
    )
    token_hash = models.CharField(max_length=64, unique=True)
    claim_hash = models.CharField(
        max_length=64,
        blank=True,
        help_text="Hash of the browser key set when the rater first saved; saved answers "
        "are shown again only to that browser.",
    )
    invited_at = models.DateTimeField()
    reminded_at = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "email"], name="one_invitation_per_rater")
        ]

    def __str__(self) -> str:
        # Deliberately no name or e-mail: this string can end up in logs and error pages.
        return f"rater #{self.pk} of cycle #{self.cycle_id}"


class RaterAnswer(models.Model):
    rater = models.ForeignKey(Rater, on_delete=models.CASCADE, related_name="answers")
    capability = models.SlugField(max_length=60)
    level = models.PositiveSmallIntegerField(null=True, blank=True, help_text="Empty: can't say.")
    comment = models.TextField(blank=True)
    behaviours = models.JSONField(
        default=list,
        blank=True,
        help_text="The behaviour keys the rater ticked; the level follows from them. Never "
        "shown: results show only the aggregated level estimate.",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["rater", "capability"], name="one_answer_per_rater")
        ]

    def __str__(self) -> str:
        return f"answer #{self.pk}"


class Result(WrittenOnce):
    """The released results of a cycle: written once at release, never changed."""

    cycle = models.OneToOneField(Cycle, on_delete=models.CASCADE, related_name="result")
    data = models.JSONField(help_text="What the results pages show; no rater identity.")
    shown_sets = models.JSONField(
        default=dict,
        help_text="Capability -> hashed rater sets behind each shown cell, for differencing "
        "checks of later cycles. Never shown.",
    )
    contributions = models.JSONField(
        default=list, help_text="The shown ratings (hashed rater), for the scoring model."
    )
    released_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"results of cycle #{self.cycle_id}"
