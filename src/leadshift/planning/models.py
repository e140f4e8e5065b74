"""Scenarios (the portfolio with overrides), solver runs with their stored results, and the
plan of record (at most one adopted scenario per organisation)."""

from __future__ import annotations

from django.db import models

from leadshift.core.versioning import Versioned
from leadshift.scale.leases import LeaseFields

METHOD_CHOICES = [
    ("optimal", "Optimiser"),
    ("rice", "RICE"),
    ("wsjf", "WSJF"),
    ("value-per-effort", "Value per effort"),
]


class Scenario(Versioned):
    """A named variant of the portfolio: capacity changes, forced or excluded items, a horizon
    mix of its own. With no overrides it is the portfolio as it stands."""

    organisation = models.ForeignKey(
        "people.Organisation", on_delete=models.CASCADE, related_name="scenarios"
    )
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    # A horizon mix of its own; when ``mix_override`` is off the organisation's applies.
    mix_override = models.BooleanField(default=False)
    horizon_target = models.JSONField(default=dict, blank=True)
    horizon_tolerance = models.FloatField(default=0.1)
    horizon_basis = models.CharField(max_length=10, default="effort")
    # From a sweep's variant: the plan may ignore `after`, and objectives weigh differently.
    ignore_precedence = models.BooleanField(default=False)
    objective_weights = models.JSONField(default=dict, blank=True)
    is_plan_of_record = models.BooleanField(default=False)
    adopted_run = models.ForeignKey(
        "planning.Run", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    adopted_by = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    adopted_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-is_plan_of_record", "name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="unique_scenario_name"),
            models.UniqueConstraint(
                fields=["organisation"],
                condition=models.Q(is_plan_of_record=True),
                name="one_plan_of_record",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ScenarioCapacity(models.Model):
    """In this scenario the team has ``person_weeks`` in the period instead of its usual."""

    scenario = models.ForeignKey(Scenario, on_delete=models.CASCADE, related_name="capacities")
    team = models.ForeignKey("people.Team", on_delete=models.CASCADE, related_name="+")
    period = models.ForeignKey("portfolio.Period", on_delete=models.CASCADE, related_name="+")
    person_weeks = models.FloatField()

    class Meta:
        ordering = ["team__name", "period__position"]
        constraints = [
            models.UniqueConstraint(
                fields=["scenario", "team", "period"], name="unique_scenario_capacity"
            ),
            models.CheckConstraint(
                condition=models.Q(person_weeks__gte=0), name="scenario_capacity_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.team} {self.period}: {self.person_weeks:g}"


class ScenarioInitiative(models.Model):
    """In this scenario the initiative is made mandatory, or left out."""

    RULES = [("mandatory", "Mandatory"), ("excluded", "Left out")]

    scenario = models.ForeignKey(Scenario, on_delete=models.CASCADE, related_name="rules")
    initiative = models.ForeignKey(
        "portfolio.Initiative", on_delete=models.CASCADE, related_name="scenario_rules"
    )
    rule = models.CharField(max_length=12, choices=RULES)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["scenario", "initiative"], name="unique_scenario_initiative"
            )
        ]

    def __str__(self) -> str:
        return f"{self.initiative}: {self.rule}"


class Run(LeaseFields):
    """One solve of a scenario: the input as sent, progress while it runs, the stored result."""

    STATUSES = [
        ("queued", "Queued"),
        ("running", "Running"),
        ("done", "Done"),
        ("failed", "Failed"),
    ]

    scenario = models.ForeignKey(Scenario, on_delete=models.CASCADE, related_name="runs")
    method = models.CharField(max_length=20, choices=METHOD_CHOICES, default="optimal")
    time_limit = models.FloatField(default=10.0)
    gap = models.FloatField(default=0.0)
    status = models.CharField(max_length=10, choices=STATUSES, default="queued")
    document = models.JSONField(default=dict, help_text="The portfolio document solved.")
    progress = models.JSONField(
        default=list, blank=True, help_text="[{elapsed, incumbent, bound}] while it runs."
    )
    result = models.JSONField(null=True, blank=True, help_text="result_json of the plan.")
    baselines = models.JSONField(
        null=True, blank=True, help_text="Score-and-sort plans by method, same shape."
    )
    error = models.TextField(blank=True)
    created_by = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.scenario} run {self.id} ({self.status})"


class Sweep(LeaseFields):
    """Variants of a scenario (capacity changes, rule sets), each optimised and optionally
    simulated by the task worker, fanned out over local processes or a Dask cluster."""

    STATUSES = Run.STATUSES

    organisation = models.ForeignKey(
        "people.Organisation", on_delete=models.CASCADE, related_name="sweeps"
    )
    # Kept when the scenario goes, so a sweep queued meanwhile fails saying which one it was.
    scenario = models.ForeignKey(
        Scenario, null=True, blank=True, on_delete=models.SET_NULL, related_name="sweeps"
    )
    scenario_name = models.CharField(max_length=200)
    spec = models.JSONField(help_text="The sweep as read: variants, time limit, trials, seed.")
    status = models.CharField(max_length=10, choices=STATUSES, default="queued")
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    result = models.JSONField(null=True, blank=True, help_text="One result per variant.")
    where = models.CharField(max_length=200, blank=True)
    error = models.TextField(blank=True)
    created_by = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"sweep {self.id} of {self.scenario_name} ({self.status})"
