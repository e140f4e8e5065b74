from __future__ import annotations

from django.db import models

from leadshift.assessments.readiness import Answers, ReadinessProfile, readiness_profile
from leadshift.core.dates import day


class Assessment(models.Model):
    """A self-assessment against one framework version, for one target role."""

    class Status(models.TextChoices):
        DRAFT = "draft", "In progress"
        COMPLETE = "complete", "Complete"

    person = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="assessments"
    )
    framework = models.ForeignKey(
        "frameworks.FrameworkVersion", on_delete=models.PROTECT, related_name="assessments"
    )
    target_role = models.SlugField(max_length=60)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    started_at = models.DateTimeField()
    completed_at = models.DateTimeField(null=True, blank=True)
    readiness = models.FloatField(null=True, blank=True)
    """The profile's readiness (0–100), kept when the assessment is completed (its answers
    and framework version never change after that), so lists sort and count in SQL."""
    verdict = models.CharField(max_length=20, blank=True)

    class Meta:
        ordering = ["-started_at"]
        # Each person's latest complete assessment, looked up for every person of a list.
        indexes = [
            models.Index(fields=["person", "status", "-completed_at"], name="latest_complete")
        ]

    def __str__(self) -> str:
        return f"{self.person} — {day(self.started_at)}"

    @property
    def is_complete(self) -> bool:
        return self.status == self.Status.COMPLETE

    def answers(self) -> Answers:
        return Answers(
            shift_choices={(a.shift, a.question): a.choice for a in self.shift_answers.all()},
            capability_levels={r.capability: r.level for r in self.capability_ratings.all()},
            evidence={
                r.capability: r.evidence for r in self.capability_ratings.all() if r.evidence
            },
            behaviours=self.ticked(),
        )

    def ticked(self) -> dict[str, frozenset[str]]:
        """The ticked behaviours per capability; empty for a level picked without a checklist."""
        out: dict[str, set[str]] = {}
        for t in self.ticks.all():
            out.setdefault(t.capability, set()).add(t.key)
        return {c: frozenset(keys) for c, keys in out.items()}

    def profile(self) -> ReadinessProfile:
        return readiness_profile(self.framework.data, self.answers(), self.target_role)


class ShiftAnswer(models.Model):
    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="shift_answers"
    )
    shift = models.SlugField(max_length=60)
    question = models.SlugField(max_length=60)
    choice = models.PositiveSmallIntegerField(help_text="Index of the chosen option, from 0.")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "shift", "question"], name="one_answer_per_question"
            )
        ]

    def __str__(self) -> str:
        return f"{self.shift}.{self.question} = {self.choice}"

    @classmethod
    def choices_by_assessment(cls, ids: list[int]) -> dict[int, dict[tuple[str, str], int]]:
        """Each assessment's chosen options by (shift, question), in one query."""
        found: dict[int, dict[tuple[str, str], int]] = {}
        for aid, shift, question, choice in cls.objects.filter(assessment_id__in=ids).values_list(
            "assessment_id", "shift", "question", "choice"
        ):
            found.setdefault(aid, {})[(shift, question)] = choice
        return found


class CapabilityRating(models.Model):
    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="capability_ratings"
    )
    capability = models.SlugField(max_length=60)
    level = models.PositiveSmallIntegerField()
    evidence = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "capability"], name="one_rating_per_capability"
            )
        ]

    def __str__(self) -> str:
        return f"{self.capability} = {self.level}"


class Standing(models.Model):
    """A person's readiness verdict as the leader's pages count it (feedback/team.py: from
    their latest released 360 where there is one, else their latest self-assessment), kept
    with what it was worked out from. Those inputs change in many places (a target role edited,
    an organisation's framework replaced, results released), so a page compares them in SQL
    and works out again only the rows that no longer match, rather than trusting every writer
    to remember this table."""

    person = models.OneToOneField(
        "people.Person", on_delete=models.CASCADE, primary_key=True, related_name="standing"
    )
    verdict = models.CharField(max_length=20)
    self_readiness = models.FloatField(null=True, blank=True)
    self_verdict = models.CharField(max_length=20, blank=True)
    self_role_name = models.CharField(max_length=200, blank=True)
    """The latest complete assessment's own readiness, verdict and role (My team's columns)."""
    rated = models.JSONField(default=list, blank=True)
    below = models.JSONField(default=list, blank=True)
    """The capabilities the heatmap has an estimate for, and those more than half a level
    below the role's expectation (the team's common gaps count them)."""
    from_framework = models.BigIntegerField(default=0)
    from_role = models.SlugField(max_length=60, blank=True)
    """The person's own target role when it was worked out ('' for none)."""
    from_assessment = models.BigIntegerField(default=0)
    """The latest complete assessment's id, 0 for none (ids, not keys: a deleted one must
    not read as 'none' and match)."""
    from_result = models.BigIntegerField(default=0)
    """The latest released 360 result's id, 0 for none."""

    def __str__(self) -> str:
        return f"{self.person_id}: {self.verdict}"
