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

    class Meta:
        ordering = ["-started_at"]

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
