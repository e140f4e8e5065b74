from __future__ import annotations

import datetime as dt

from django.db import models

from leadshift.core.versioning import Versioned
from leadshift.stakeholders.health import Contact, StakeholderState


class Stance(models.TextChoices):
    CHAMPION = "champion", "Champion"
    SUPPORTER = "supporter", "Supporter"
    NEUTRAL = "neutral", "Neutral"
    SCEPTIC = "sceptic", "Sceptic"
    BLOCKER = "blocker", "Blocker"


# The design system's stance tokens (app.css): white text on each passes WCAG AA.
STANCE_COLORS = {
    "champion": "#18794e",
    "supporter": "#0f766e",
    "neutral": "#52606d",
    "sceptic": "#9a5b00",
    "blocker": "#b42318",
}


class Stakeholder(Versioned):
    """Someone whose support a person (or leader) needs, on that person's map."""

    owner = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="stakeholders"
    )
    name = models.CharField(max_length=200)
    role = models.CharField(max_length=200, blank=True)
    internal = models.BooleanField(default=True, help_text="Inside the organisation")
    person = models.ForeignKey(
        "people.Person",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="as_stakeholder",
        help_text="The person in LeadShift, for someone inside the organisation",
    )
    company = models.CharField(max_length=200, blank=True, help_text="For someone outside")
    influence = models.PositiveSmallIntegerField(default=3)
    interest = models.PositiveSmallIntegerField(default=3)
    stance = models.CharField(max_length=12, choices=Stance.choices, default=Stance.NEUTRAL)
    cares_about = models.TextField(blank=True)
    concerns = models.CharField(
        max_length=500,
        blank=True,
        help_text="Other things that concern them (e.g. the annual plan), comma-separated",
    )
    # What concerns them among what LeadShift holds, all of the owner's organisation.
    products = models.ManyToManyField("portfolio.Product", blank=True, related_name="stakeholders")
    initiatives = models.ManyToManyField(
        "portfolio.Initiative", blank=True, related_name="stakeholders"
    )
    decisions = models.ManyToManyField(
        "decisions.Decision", blank=True, related_name="stakeholders"
    )
    cadence_days = models.PositiveSmallIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-influence", "name"]

    def __str__(self) -> str:
        return self.name

    @property
    def concern_tags(self) -> list[str]:
        return [t.strip() for t in self.concerns.split(",") if t.strip()]

    @property
    def stance_color(self) -> str:
        return STANCE_COLORS.get(self.stance, STANCE_COLORS["neutral"])

    def contacts(self) -> tuple[Contact, ...]:
        return tuple(Contact(on=i.date, tone=i.tone) for i in self.interactions.all())

    def state(self) -> StakeholderState:
        return StakeholderState(
            key=self.id,
            name=self.name,
            role=self.role,
            influence=self.influence,
            stance=self.stance,
            cadence_days=self.cadence_days,
            since=self.created_at.date() if self.created_at else dt.date.today(),
            contacts=self.contacts(),
        )


class Interaction(models.Model):
    class Kind(models.TextChoices):
        ONE_ON_ONE = "one_on_one", "1:1"
        MEETING = "meeting", "Meeting"
        PRESENTATION = "presentation", "Presentation or review"
        CALL = "call", "Call"
        EMAIL = "email", "E-mail or message"
        SOCIAL = "social", "Informal"

    stakeholder = models.ForeignKey(
        Stakeholder, on_delete=models.CASCADE, related_name="interactions"
    )
    date = models.DateField()
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.MEETING)
    note = models.TextField(blank=True)
    tone = models.SmallIntegerField(help_text="How it went, −2 (badly) to +2 (very well)")
    logged_by = models.ForeignKey(
        "people.Person", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["date", "id"]

    def __str__(self) -> str:
        return f"{self.date} {self.kind} ({self.tone:+})"


class Brief(Versioned):
    """An executive brief as edited before sharing: a titled document of sections."""

    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="briefs")
    title = models.CharField(max_length=200)
    sections = models.JSONField(default=list, help_text="[{key, heading, body}]")
    created_by = models.ForeignKey(
        "people.Person", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at", "-id"]

    def __str__(self) -> str:
        return self.title
