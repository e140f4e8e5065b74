"""The portfolio a leader keeps: periods, objectives, products, team capacity, initiatives.

Everything belongs to one organisation (directly or through its parent). Teams are the
organisation's people.Team; their capacity per planning period is ``TeamCapacity``.
Keys (``key`` fields) are the short names the portfolio file format uses as ``id``.
"""

from __future__ import annotations

from django.core.validators import MinValueValidator
from django.db import models

from leadshift.core.versioning import Versioned

HORIZONS = ("core", "adjacent", "transformational")
HORIZON_CHOICES = [(h, h.capitalize()) for h in HORIZONS]

RECOMMENDATIONS = ("develop", "scale", "sustain", "sunset")
RECOMMENDATION_CHOICES = [(r, r.capitalize()) for r in RECOMMENDATIONS]

# Metric snapshot fields, in display order: (field, label, unit).
METRICS = (
    ("revenue", "Revenue", "per quarter"),
    ("growth", "Revenue growth", "fraction per year"),
    ("margin", "Margin", "fraction"),
    ("active_users", "Active users", "people"),
    ("satisfaction", "Satisfaction", "0–10 (e.g. CSAT or NPS rescaled)"),
    ("market_growth", "Market growth", "fraction per year"),
    ("relative_share", "Relative market share", "ours ÷ largest competitor's"),
    ("strategic_fit", "Strategic fit", "0–1"),
)
METRIC_FIELDS = tuple(m[0] for m in METRICS)

# An initiative's life, in order; going back (or leaving done/dropped) needs a reason.
STATUSES = ("proposed", "planned", "in_progress", "done", "dropped")
STATUS_CHOICES = [(s, s.replace("_", " ").capitalize()) for s in STATUSES]
FINAL = ("done", "dropped")


def goes_backwards(old: str, new: str) -> bool:
    """Back along proposed → planned → in progress → done, or out of done or dropped."""
    if old == new:
        return False
    if old in FINAL:
        return True
    return new not in FINAL and STATUSES.index(new) < STATUSES.index(old)


class PortfolioSettings(models.Model):
    """Per-organisation settings a leader can change: lifecycle thresholds, horizon mix."""

    organisation = models.OneToOneField(
        "people.Organisation", on_delete=models.CASCADE, related_name="portfolio_settings"
    )
    thresholds = models.JSONField(
        default=dict,
        blank=True,
        help_text="Lifecycle thresholds by name; missing names take the engine's defaults.",
    )
    horizon_target = models.JSONField(
        default=dict,
        blank=True,
        help_text='Target share per horizon, e.g. {"core": 0.7, "adjacent": 0.2, '
        '"transformational": 0.1}; empty for no horizon rule.',
    )
    horizon_tolerance = models.FloatField(default=0.1, validators=[MinValueValidator(0.0)])
    horizon_basis = models.CharField(
        max_length=10, default="effort", choices=[("effort", "Effort"), ("value", "Value")]
    )
    updated_by = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Portfolio settings of {self.organisation}"


class Period(models.Model):
    """A planning period (e.g. a quarter). ``position`` orders them."""

    organisation = models.ForeignKey(
        "people.Organisation", on_delete=models.CASCADE, related_name="periods"
    )
    name = models.CharField(max_length=40)
    position = models.PositiveIntegerField(default=0)
    starts_on = models.DateField(null=True, blank=True)
    ends_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="unique_period_name")
        ]

    def __str__(self) -> str:
        return self.name


class Objective(Versioned):
    organisation = models.ForeignKey(
        "people.Organisation", on_delete=models.CASCADE, related_name="objectives"
    )
    key = models.SlugField(max_length=60)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    weight = models.FloatField(default=1.0, validators=[MinValueValidator(0.0)])
    periods = models.ManyToManyField(
        Period,
        blank=True,
        related_name="objectives",
        help_text="The periods it covers; none means all of them.",
    )
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "key"], name="unique_objective_key")
        ]

    def __str__(self) -> str:
        return self.name or self.key


class Product(Versioned):
    organisation = models.ForeignKey(
        "people.Organisation", on_delete=models.CASCADE, related_name="products"
    )
    key = models.SlugField(max_length=60)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    owner = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="products"
    )
    team = models.ForeignKey(
        "people.Team", null=True, blank=True, on_delete=models.SET_NULL, related_name="products"
    )
    stage = models.CharField(
        max_length=10,
        choices=RECOMMENDATION_CHOICES,
        blank=True,
        help_text="The lifecycle stage the product is managed in today.",
    )
    # The leader's decision when they overrule the recommendation; the reason is kept.
    override = models.CharField(max_length=10, choices=RECOMMENDATION_CHOICES, blank=True)
    override_reason = models.TextField(blank=True)
    override_by = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    override_at = models.DateTimeField(null=True, blank=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "key"], name="unique_product_key")
        ]

    def __str__(self) -> str:
        return self.name


class MetricSnapshot(models.Model):
    """A product's metrics at one point in time; any metric may be left blank."""

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="snapshots")
    taken_on = models.DateField()
    label = models.CharField(max_length=40, blank=True, help_text="e.g. 2025-Q3")
    revenue = models.FloatField(null=True, blank=True)
    growth = models.FloatField(null=True, blank=True)
    margin = models.FloatField(null=True, blank=True)
    active_users = models.FloatField(null=True, blank=True)
    satisfaction = models.FloatField(null=True, blank=True)
    market_growth = models.FloatField(null=True, blank=True)
    relative_share = models.FloatField(null=True, blank=True)
    strategic_fit = models.FloatField(null=True, blank=True)

    class Meta:
        ordering = ["product", "taken_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["product", "taken_on"], name="unique_snapshot_date")
        ]

    def __str__(self) -> str:
        return f"{self.product} {self.label or self.taken_on}"

    def metrics(self) -> dict[str, float]:
        return {f: getattr(self, f) for f in METRIC_FIELDS if getattr(self, f) is not None}


class TeamCapacity(models.Model):
    """Person-weeks a team has for planned work in one period."""

    team = models.ForeignKey("people.Team", on_delete=models.CASCADE, related_name="capacities")
    period = models.ForeignKey(Period, on_delete=models.CASCADE, related_name="capacities")
    person_weeks = models.FloatField(validators=[MinValueValidator(0.0)])
    # Person-weeks planned hires add and expected attrition takes away in this period; the
    # optimiser plans on person_weeks + hires − attrition.
    hires = models.FloatField(default=0.0, validators=[MinValueValidator(0.0)])
    attrition = models.FloatField(default=0.0, validators=[MinValueValidator(0.0)])

    class Meta:
        ordering = ["team__name", "period__position"]
        constraints = [
            models.UniqueConstraint(fields=["team", "period"], name="unique_team_capacity"),
            models.CheckConstraint(
                condition=models.Q(person_weeks__gte=0), name="capacity_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.team} {self.period}: {self.person_weeks:g}"

    @property
    def effective(self) -> float:
        return max(0.0, self.person_weeks + self.hires - self.attrition)


class Initiative(Versioned):
    organisation = models.ForeignKey(
        "people.Organisation", on_delete=models.CASCADE, related_name="initiatives"
    )
    key = models.SlugField(max_length=80)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    product = models.ForeignKey(
        Product, null=True, blank=True, on_delete=models.SET_NULL, related_name="initiatives"
    )
    # Value: a number (likely alone) or a low/likely/high range.
    value_likely = models.FloatField(validators=[MinValueValidator(0.0)])
    value_low = models.FloatField(null=True, blank=True)
    value_high = models.FloatField(null=True, blank=True)
    duration = models.PositiveSmallIntegerField(default=1, help_text="Periods it runs.")
    earliest_start = models.ForeignKey(
        Period, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    latest_start = models.ForeignKey(
        Period, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    deadline = models.ForeignKey(
        Period,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The period it must be finished in (sets the latest start).",
    )
    horizon = models.CharField(max_length=20, choices=HORIZON_CHOICES, blank=True)
    mandatory = models.BooleanField(default=False)
    after = models.ManyToManyField(
        "self",
        symmetrical=False,
        blank=True,
        related_name="before",
        help_text="Initiatives that must finish before this one starts.",
    )
    # Optional scoring fields (RICE and WSJF); blanks take the documented defaults.
    reach = models.FloatField(null=True, blank=True)
    impact = models.FloatField(null=True, blank=True)
    confidence = models.FloatField(null=True, blank=True)
    cost_of_delay = models.FloatField(null=True, blank=True)
    job_size = models.FloatField(null=True, blank=True)
    position = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(max_length=12, choices=STATUS_CHOICES, default="proposed")
    status_reason = models.TextField(
        blank=True, help_text="Why the status last went backwards (or left done or dropped)."
    )
    finished_on = models.DateField(null=True, blank=True, help_text="The actual finish.")
    external_key = models.CharField(
        max_length=60, blank=True, help_text="Its key in Jira or Linear (e.g. SHOP-142)."
    )

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "key"], name="unique_initiative_key"),
            models.UniqueConstraint(
                fields=["organisation", "external_key"],
                condition=~models.Q(external_key=""),
                name="unique_initiative_external_key",
            ),
        ]

    def __str__(self) -> str:
        return self.name or self.key

    @property
    def has_range(self) -> bool:
        return self.value_low is not None and self.value_high is not None


class InitiativeObjective(models.Model):
    """An objective an initiative serves; ``share`` of its value (all given or all blank)."""

    initiative = models.ForeignKey(
        Initiative, on_delete=models.CASCADE, related_name="objective_links"
    )
    objective = models.ForeignKey(
        Objective, on_delete=models.CASCADE, related_name="initiative_links"
    )
    share = models.FloatField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["initiative", "objective"], name="unique_initiative_objective"
            )
        ]

    def __str__(self) -> str:
        return f"{self.initiative} → {self.objective}"


class InitiativeEffort(models.Model):
    """Person-weeks a team gives an initiative in each period it runs (number or range)."""

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="efforts")
    team = models.ForeignKey("people.Team", on_delete=models.CASCADE, related_name="efforts")
    likely = models.FloatField(validators=[MinValueValidator(0.0)])
    low = models.FloatField(null=True, blank=True)
    high = models.FloatField(null=True, blank=True)

    class Meta:
        ordering = ["team__name"]
        constraints = [
            models.UniqueConstraint(fields=["initiative", "team"], name="unique_initiative_effort")
        ]

    def __str__(self) -> str:
        return f"{self.initiative} × {self.team}: {self.likely:g}"

    @property
    def has_range(self) -> bool:
        return self.low is not None and self.high is not None


class KeyResult(Versioned):
    """A measurable result of an objective: from ``baseline`` (on ``starts_on``) to ``target``
    by ``due_on``; a target below the baseline is a result to bring down."""

    objective = models.ForeignKey(Objective, on_delete=models.CASCADE, related_name="key_results")
    key = models.SlugField(max_length=60)
    name = models.CharField(max_length=200)
    unit = models.CharField(max_length=30, blank=True, help_text="e.g. %, users, € k")
    baseline = models.FloatField()
    target = models.FloatField()
    starts_on = models.DateField()
    due_on = models.DateField()
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["objective", "key"], name="unique_key_result_key")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def direction(self) -> str:
        return "increase" if self.target >= self.baseline else "decrease"


class KeyResultActual(models.Model):
    """A measured value of a key result on a date (one per date; a new one replaces it)."""

    key_result = models.ForeignKey(KeyResult, on_delete=models.CASCADE, related_name="actuals")
    taken_on = models.DateField()
    value = models.FloatField()
    note = models.CharField(max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["key_result", "taken_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["key_result", "taken_on"], name="unique_actual_date")
        ]

    def __str__(self) -> str:
        return f"{self.key_result} {self.taken_on}: {self.value:g}"
