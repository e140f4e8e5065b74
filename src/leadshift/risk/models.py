"""The risk register and stored simulations. Engines stay in the plain modules beside this."""

from __future__ import annotations

import datetime as dt

from django.db import models

from leadshift.core.versioning import Versioned
from leadshift.scale.leases import LeaseFields

LIKELIHOOD_BANDS = (0.1, 0.3, 0.5, 0.8)
"""Upper bounds of the first four likelihood bands (rare … likely); above: almost certain."""


class RiskDriver(models.Model):
    """A shared cause (e.g. "key engineer leaves"): risks tied to it fire together."""

    organisation = models.ForeignKey(
        "people.Organisation", on_delete=models.CASCADE, related_name="risk_drivers"
    )
    name = models.CharField(max_length=200)
    probability = models.FloatField(help_text="Chance it happens in the plan's horizon, 0 to 1.")
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="unique_driver_name")
        ]

    def __str__(self) -> str:
        return self.name


class Risk(Versioned):
    class Status(models.TextChoices):
        OPEN = "open", "Open"
        MITIGATING = "mitigating", "Mitigating"
        OCCURRED = "occurred", "Occurred"
        CLOSED = "closed", "Closed"

    organisation = models.ForeignKey(
        "people.Organisation", on_delete=models.CASCADE, related_name="risks"
    )
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    # What it hits: one of these, or none for the whole portfolio.
    initiative = models.ForeignKey(
        "portfolio.Initiative",
        null=True,
        blank=True,
        # Deleting an initiative asks first, and keeps its risks (detached) or moves them:
        # never gone with it (portfolio.services.do_delete_initiative).
        on_delete=models.SET_NULL,
        related_name="risks",
    )
    product = models.ForeignKey(
        "portfolio.Product", null=True, blank=True, on_delete=models.CASCADE, related_name="risks"
    )
    objective = models.ForeignKey(
        "portfolio.Objective", null=True, blank=True, on_delete=models.CASCADE, related_name="risks"
    )
    probability = models.FloatField(help_text="Likelihood, 0 to 1 (given its driver, if any).")
    driver = models.ForeignKey(
        RiskDriver, null=True, blank=True, on_delete=models.SET_NULL, related_name="risks"
    )
    delay_periods = models.FloatField(default=0, help_text="Delay if it happens, in periods.")
    value_loss_share = models.FloatField(default=0, help_text="Share of value lost, 0 to 1.")
    value_loss_amount = models.FloatField(
        default=0, help_text="Value lost as an amount (spread over what it hits)."
    )
    owner = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="risks"
    )
    mitigation = models.TextField(blank=True)
    mitigation_cost = models.FloatField(null=True, blank=True)
    mitigated_probability = models.FloatField(
        null=True, blank=True, help_text="Likelihood once mitigated, 0 to 1."
    )
    mitigated_impact = models.FloatField(
        default=1.0, help_text="Share of the impact left once mitigated (1 = unchanged)."
    )
    trigger = models.TextField(blank=True, help_text="What says it is time to pivot.")
    trigger_fired_on = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.OPEN)
    review_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-probability", "title", "id"]

    def __str__(self) -> str:
        return self.title

    @property
    def sim_id(self) -> str:
        return f"risk-{self.id}"

    @property
    def scope_label(self) -> str:
        if self.initiative_id:
            return f"Initiative: {self.initiative}"
        if self.product_id:
            return f"Product: {self.product}"
        if self.objective_id:
            return f"Objective: {self.objective}"
        return "Whole portfolio"

    @property
    def likelihood_band(self) -> int:
        """1 (rare) to 5 (almost certain), from the overall probability."""
        p = self.overall_probability
        return 1 + sum(p > b for b in LIKELIHOOD_BANDS)

    @property
    def overall_probability(self) -> float:
        if self.driver_id and self.driver is not None:
            return self.probability * self.driver.probability
        return self.probability

    @property
    def impact_band(self) -> int:
        """1 (minor) to 5 (severe): the worst of delay, value lost and extra effort."""
        delay = self.delay_periods
        d = 1 if delay <= 0 else 2 if delay <= 0.5 else 3 if delay <= 1 else 4 if delay <= 2 else 5
        share = self.value_loss_share
        v = (
            1
            if share <= 0.05
            else 2
            if share <= 0.15
            else 3
            if share <= 0.3
            else 4
            if share <= 0.5
            else 5
        )
        extra = max((e.share for e in self.efforts.all()), default=0.0)
        e = (
            1
            if extra <= 0.1
            else 2
            if extra <= 0.25
            else 3
            if extra <= 0.5
            else 4
            if extra <= 1
            else 5
        )
        a = 3 if self.value_loss_amount > 0 else 1
        return max(d, v, e, a)

    def review_overdue(self, today: dt.date) -> bool:
        return (
            self.status not in (self.Status.CLOSED,)
            and self.review_on is not None
            and self.review_on < today
        )

    @property
    def trigger_fired(self) -> bool:
        return self.trigger_fired_on is not None and self.status != self.Status.CLOSED


class RiskEffort(models.Model):
    """Extra effort a team needs on what the risk hits, as a share (0.2 = 20 % more)."""

    risk = models.ForeignKey(Risk, on_delete=models.CASCADE, related_name="efforts")
    team = models.ForeignKey("people.Team", on_delete=models.CASCADE, related_name="+")
    share = models.FloatField()

    class Meta:
        ordering = ["team__name"]
        constraints = [
            models.UniqueConstraint(fields=["risk", "team"], name="unique_risk_team_effort")
        ]

    def __str__(self) -> str:
        return f"{self.team}: +{self.share:.0%}"


class ObjectiveTarget(models.Model):
    """The delivered value an objective should reach, for P(objective reaches target)."""

    objective = models.OneToOneField(
        "portfolio.Objective", on_delete=models.CASCADE, related_name="value_target"
    )
    target = models.FloatField()

    def __str__(self) -> str:
        return f"{self.objective}: {self.target:g}"


class Simulation(LeaseFields):
    """One Monte Carlo run of a scenario (or the plan of record), with its stored result."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    organisation = models.ForeignKey(
        "people.Organisation", on_delete=models.CASCADE, related_name="simulations"
    )
    scenario = models.ForeignKey(
        "planning.Scenario", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    label = models.CharField(max_length=200)
    trials = models.PositiveIntegerField(default=10_000)
    seed = models.PositiveIntegerField(default=0)
    mitigation_of = models.ForeignKey(
        Risk,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Also run with this risk mitigated, to see what the mitigation is worth.",
    )
    risk_adjusted = models.BooleanField(
        default=False, help_text="Also plan on risk-adjusted value and compare the two plans."
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    stage = models.CharField(max_length=100, blank=True)
    scenario_json = models.JSONField(default=dict, blank=True, help_text="What was simulated.")
    result = models.JSONField(null=True, blank=True)
    error = models.TextField(blank=True)
    created_by = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.label} ({self.status})"

    @property
    def percent(self) -> int:
        return int(100 * self.done / self.total) if self.total else 0

    @property
    def passes(self) -> int:
        """How many times the run goes over its trials (the plan, a mitigation's with and
        without, the risk-adjusted plan): progress counts them all."""
        return round(self.total / self.trials) if self.trials else 1
