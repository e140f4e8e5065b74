from __future__ import annotations

import datetime as dt

from django.db import models

from leadshift.core.versioning import Versioned
from leadshift.growth.planning import PlanProgress, plan_progress


class Plan(Versioned):
    """A development plan, generated from an assessment's gaps and then the person's own."""

    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="plans")
    assessment = models.ForeignKey(
        "assessments.Assessment",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="plans",
    )
    title = models.CharField(max_length=200)
    starts_on = models.DateField()
    ends_on = models.DateField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_on", "-id"]

    def __str__(self) -> str:
        return self.title

    def all_actions(self) -> list[Action]:
        return [a for g in self.goals.all() for a in g.actions.all()]

    def progress(self, today: dt.date) -> PlanProgress:
        actions = self.all_actions()
        return plan_progress(
            starts_on=self.starts_on,
            ends_on=self.ends_on,
            done_dates=[a.done_on for a in actions],
            today=today,
        )


class Goal(Versioned):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="goals")
    capability = models.SlugField(max_length=60)
    title = models.CharField(max_length=300)
    from_level = models.PositiveSmallIntegerField(null=True, blank=True)
    to_level = models.PositiveSmallIntegerField(null=True, blank=True)
    target_behaviour = models.TextField(blank=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.title


class Action(Versioned):
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="actions")
    title = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    track = models.SlugField(max_length=60, blank=True)
    source_action = models.SlugField(
        max_length=60, blank=True, help_text="The framework action this came from, if any."
    )
    evidence = models.TextField(blank=True)
    due_on = models.DateField()
    done_on = models.DateField(null=True, blank=True)
    done_by_evidence = models.JSONField(
        default=list,
        blank=True,
        help_text="The records that ticked the action itself ({label, url}); empty when ticked "
        "by hand.",
    )
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_done(self) -> bool:
        return self.done_on is not None


class CheckIn(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="checkins")
    date = models.DateField()
    note = models.TextField()
    confidence = models.PositiveSmallIntegerField(help_text="1 (low) to 5 (high)")
    done_count = models.PositiveIntegerField(default=0)
    total_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["date", "id"]

    def __str__(self) -> str:
        return f"{self.date}: {self.confidence}/5"


def plan_json(plan: Plan, today: dt.date) -> dict:
    """The plan as plain JSON data, the one shape the API and the CLI print."""
    progress = plan.progress(today)
    return {
        "id": plan.id,
        "version": plan.version,
        "person": {"id": plan.person_id, "name": plan.person.name, "email": plan.person.email},
        "title": plan.title,
        "starts_on": plan.starts_on.isoformat(),
        "ends_on": plan.ends_on.isoformat(),
        "assessment": plan.assessment_id,
        "progress": {
            "done": progress.done,
            "total": progress.total,
            "expected_done": round(progress.expected_done, 1),
            "status": progress.status,
        },
        "goals": [
            {
                "id": g.id,
                "version": g.version,
                "capability": g.capability,
                "title": g.title,
                "from_level": g.from_level,
                "to_level": g.to_level,
                "target_behaviour": g.target_behaviour,
                "actions": [
                    {
                        "id": a.id,
                        "version": a.version,
                        "title": a.title,
                        "description": a.description,
                        "track": a.track,
                        "source_action": a.source_action,
                        "evidence": a.evidence,
                        "due_on": a.due_on.isoformat(),
                        "done_on": a.done_on.isoformat() if a.done_on else None,
                        "done_by_evidence": a.done_by_evidence,
                    }
                    for a in g.actions.all()
                ],
            }
            for g in plan.goals.prefetch_related("actions")
        ],
        "checkins": [
            {
                "date": c.date.isoformat(),
                "note": c.note,
                "confidence": c.confidence,
                "done": c.done_count,
                "total": c.total_count,
            }
            for c in plan.checkins.all()
        ],
    }
