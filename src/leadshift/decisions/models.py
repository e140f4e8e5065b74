from __future__ import annotations

import datetime as dt

from django.db import models

from leadshift.core.versioning import Versioned
from leadshift.decisions import record as rec


class Decision(Versioned):
    """A decision record: the question, options and criteria, the choice, the forecast, and
    later the outcome and the lesson. It belongs to the person who keeps it (its owner)."""

    class Kind(models.TextChoices):
        PRODUCT_BET = "product_bet", "Product bet"
        HIRING = "hiring", "Hiring"
        PRICING = "pricing", "Pricing"
        TECHNOLOGY = "technology", "Technology"
        MARKET_ENTRY = "market_entry", "Market entry"
        ORGANISATION = "organisation", "Organisation"
        OTHER = "other", "Other"

    class Outcome(models.TextChoices):
        SUCCEEDED = "succeeded", "Succeeded"
        PARTLY = "partly", "Partly succeeded"
        FAILED = "failed", "Failed"

    organisation = models.ForeignKey(
        "people.Organisation", on_delete=models.CASCADE, related_name="decisions"
    )
    owner = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="decisions")
    question = models.CharField(max_length=300)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.PRODUCT_BET)
    starter = models.SlugField(max_length=60, blank=True, help_text="The framework it began from.")
    context = models.TextField(blank=True)
    rationale = models.TextField(blank=True, help_text="The choice and why.")
    reversible = models.BooleanField(default=True, help_text="A two-way door.")
    decided_on = models.DateField()
    decided_by = models.ManyToManyField("people.Person", blank=True, related_name="+")
    consulted = models.ManyToManyField("people.Person", blank=True, related_name="+")
    informed = models.ManyToManyField("people.Person", blank=True, related_name="+")
    risks_accepted = models.TextField(blank=True)
    premortem = models.TextField(blank=True)
    forecast = models.FloatField(null=True, blank=True, help_text="Probability of success, 0 to 1.")
    forecast_by = models.DateField(null=True, blank=True, help_text="Success by when.")
    review_on = models.DateField(null=True, blank=True)
    outcome = models.CharField(max_length=12, choices=Outcome.choices, blank=True)
    lesson = models.TextField(blank=True)
    reviewed_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-decided_on", "-id"]

    def __str__(self) -> str:
        return self.question

    def review_due(self, today: dt.date) -> bool:
        return not self.outcome and self.review_on is not None and self.review_on <= today

    @property
    def chosen(self) -> DecisionOption | None:
        return next((o for o in self.options.all() if o.chosen), None)

    def record(self) -> rec.Record:
        criteria = list(self.criteria.all())
        options = list(self.options.all())
        scores = {
            (s.option_id, s.criterion_id): s.value
            for s in Score.objects.filter(option__decision=self)
        }
        return rec.Record(
            id=self.id,
            question=self.question,
            kind=self.kind,
            context=self.context,
            criteria=tuple(rec.Criterion(c.name, c.weight) for c in criteria),
            options=tuple(
                rec.Option(o.name, o.description, tuple(scores.get((o.id, c.id)) for c in criteria))
                for o in options
            ),
            chosen=next((i for i, o in enumerate(options) if o.chosen), None),
            rationale=self.rationale,
            reversible=self.reversible,
            decided_on=self.decided_on,
            decided_by=tuple(p.name for p in self.decided_by.all()),
            consulted=tuple(p.name for p in self.consulted.all()),
            informed=tuple(p.name for p in self.informed.all()),
            risks_accepted=self.risks_accepted,
            premortem=self.premortem,
            forecast=self.forecast,
            forecast_by=self.forecast_by,
            review_on=self.review_on,
            outcome=self.outcome,
            lesson=self.lesson,
            reviewed_on=self.reviewed_on,
            links=tuple(str(link) for link in self.links.all()),
        )


class Criterion(models.Model):
    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="criteria")
    name = models.CharField(max_length=200)
    weight = models.FloatField(default=1)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.name


class DecisionOption(models.Model):
    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="options")
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    chosen = models.BooleanField(default=False)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.name


class Score(models.Model):
    option = models.ForeignKey(DecisionOption, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="scores")
    value = models.FloatField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["option", "criterion"], name="unique_option_score")
        ]

    def __str__(self) -> str:
        return f"{self.value:g}"


class DecisionLink(models.Model):
    """What a decision concerns: a product, an initiative, a risk or a scenario."""

    class Target(models.TextChoices):
        PRODUCT = "product", "Product"
        INITIATIVE = "initiative", "Initiative"
        RISK = "risk", "Risk"
        SCENARIO = "scenario", "Scenario"

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="links")
    target = models.CharField(max_length=12, choices=Target.choices)
    label = models.CharField(max_length=300)
    product = models.ForeignKey(
        "portfolio.Product", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    initiative = models.ForeignKey(
        "portfolio.Initiative", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    risk = models.ForeignKey(
        "risk.Risk", null=True, blank=True, on_delete=models.SET_NULL, related_name="decisions"
    )
    scenario = models.ForeignKey(
        "planning.Scenario", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["target", "label", "id"]

    def __str__(self) -> str:
        return f"{self.get_target_display()}: {self.label}"
