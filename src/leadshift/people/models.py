from __future__ import annotations

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models.expressions import RawSQL


class Organisation(models.Model):
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=80, unique=True)
    framework = models.ForeignKey(
        "frameworks.FrameworkVersion",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The framework new assessments use.",
    )
    anonymity_threshold = models.PositiveSmallIntegerField(
        default=3,
        validators=[MinValueValidator(3)],
        help_text="Fewest raters a 360 group (other than the manager) needs to be shown; "
        "never below 3.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(anonymity_threshold__gte=3), name="anonymity_threshold_min_3"
            )
        ]

    def __str__(self) -> str:
        return self.name


class TeamQuerySet(models.QuerySet["Team"]):
    def current(self) -> TeamQuerySet:
        return self.filter(archived=False)


class Team(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="teams")
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    lead = models.ForeignKey(
        "Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="teams_led"
    )
    # Archived teams keep their history (capacity, products, members' records) but leave pickers.
    archived = models.BooleanField(default=False)

    objects = TeamQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="unique_team_name")
        ]

    def __str__(self) -> str:
        return self.name


class PersonQuerySet(models.QuerySet["Person"]):
    def visible_to(self, viewer: Person) -> PersonQuerySet:
        """People whose assessments and plans `viewer` may see: self and everyone below them."""
        return self.filter(organisation_id=viewer.organisation_id, id__in=viewer.reach())

    def active(self) -> PersonQuerySet:
        """People who can still be picked: deactivated people keep their history, not a place
        in pickers."""
        return self.filter(is_active=True)


class Person(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="people")
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person",
    )
    name = models.CharField(max_length=200)
    email = models.EmailField()
    title = models.CharField(max_length=200, blank=True)
    team = models.ForeignKey(
        Team, null=True, blank=True, on_delete=models.SET_NULL, related_name="members"
    )
    manager = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="reports"
    )
    # The roles (people/roles.py says what each may do); everyone is also a member.
    is_admin = models.BooleanField(default=False)
    is_leader = models.BooleanField(default=False)
    is_active = models.BooleanField(default=True)
    deactivated_at = models.DateTimeField(null=True, blank=True)
    target_role = models.SlugField(max_length=60, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = PersonQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "email"], name="unique_person_email")
        ]

    def __str__(self) -> str:
        return self.name

    def reach(self) -> RawSQL:
        """Self plus direct and indirect reports as one SQL subquery, for `id__in=` filters: the
        database walks the line, so no page binds thousands of ids."""
        return RawSQL(_BELOW.format(table=Person._meta.db_table), [self.id, self.organisation_id])

    def self_and_reports_ids(self) -> set[int]:
        """Self plus direct and indirect reports, in one query (for callers that need a set)."""
        return set(Person.objects.filter(id__in=self.reach()).values_list("id", flat=True))

    def can_view(self, other: Person) -> bool:
        """Whether `other` is self or below self: the managers already loaded are walked in
        memory (no query), the rest of the line up in one query."""
        if other.organisation_id != self.organisation_id:
            return False
        node = other
        for _ in range(_WALKED_IN_MEMORY):
            if node.id == self.id or node.manager_id == self.id:
                return True
            if node.manager_id is None:
                return False
            if not Person.manager.is_cached(node):
                break
            node = node.manager
        above = RawSQL(_ABOVE.format(table=Person._meta.db_table), [node.manager_id])
        return Person.objects.filter(pk=self.id, id__in=above).exists()

    @property
    def has_reports(self) -> bool:
        return self.reports.exists()

    @property
    def initials(self) -> str:
        parts = [p for p in self.name.split() if p]
        return "".join(p[0] for p in parts[:2]).upper() or "?"


# Both walks use UNION, not UNION ALL: a row already in the line is not added again, so a
# manager loop (which services and imports refuse, but a raw edit could leave) ends the walk
# instead of running forever. Recursive CTEs in a subquery work on SQLite and PostgreSQL;
# PostgreSQL wants the first row typed as the id column is.
_BELOW = """
    WITH RECURSIVE line(id) AS (
        SELECT CAST(%s AS BIGINT)
        UNION
        SELECT p.id FROM {table} p JOIN line ON p.manager_id = line.id
        WHERE p.organisation_id = %s
    )
    SELECT id FROM line"""
_ABOVE = """
    WITH RECURSIVE line(id) AS (
        SELECT CAST(%s AS BIGINT)
        UNION
        SELECT p.manager_id FROM {table} p JOIN line ON p.id = line.id
        WHERE p.manager_id IS NOT NULL
    )
    SELECT id FROM line"""
# A loop among loaded objects must not hold the walk; past this many it goes to the database.
_WALKED_IN_MEMORY = 50


class ApiToken(models.Model):
    """A personal API token. Only a hash of the token is kept."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100)
    prefix = models.CharField(max_length=12)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class Invitation(models.Model):
    """An invitation to join an organisation. Only a SHA-256 hash of the link's token is kept;
    resending replaces it, which voids the link sent before."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField()
    manager = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    team = models.ForeignKey(
        Team, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    is_admin = models.BooleanField(default=False)
    is_leader = models.BooleanField(default=False)
    invited_by = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="invitations_sent"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="invitations"
    )

    class Meta:
        ordering = ["-sent_at"]

    def __str__(self) -> str:
        return f"invitation of {self.email}"

    @property
    def pending(self) -> bool:
        return self.accepted_at is None and self.revoked_at is None
