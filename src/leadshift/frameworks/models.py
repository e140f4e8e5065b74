from __future__ import annotations

from django.db import models

from leadshift.frameworks.schema import Framework as FrameworkData
from leadshift.frameworks.schema import (
    default_framework,
    default_framework_text,
    load_framework_text,
)


class FrameworkVersion(models.Model):
    """One version of a framework, stored whole. Assessments point at the version they used."""

    organisation = models.ForeignKey(
        "people.Organisation",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="frameworks",
    )
    key = models.SlugField(max_length=60)
    name = models.CharField(max_length=200)
    version = models.CharField(max_length=20)
    source = models.TextField(help_text="The YAML text, as loaded.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "key", "version"], name="unique_framework_version"
            )
        ]
        ordering = ["key", "-created_at"]

    def __str__(self) -> str:
        return f"{self.name} v{self.version}"

    @property
    def data(self) -> FrameworkData:
        cache = getattr(self, "_data", None)
        if cache is None:
            cache = _parsed(self.source)
            self._data = cache
        return cache


_cache: dict[int, FrameworkData] = {}


def _parsed(source: str) -> FrameworkData:
    key = hash(source)
    if key not in _cache:
        # The default framework is already parsed once per process; do not parse it again.
        default = source == default_framework_text()
        _cache[key] = default_framework() if default else load_framework_text(source)
    return _cache[key]
