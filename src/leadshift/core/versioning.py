"""Optimistic locking: every editable record carries a version, and a write says which one
it read. The UPDATE is made `... SET version = n + 1 WHERE id = ? AND version = n`, so of two
writers who read version n only the first succeeds; the second gets `Conflict` instead of
silently overwriting the first one's change."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.http import HttpRequest

from leadshift.core.errors import Conflict


def _conflict(obj: models.Model, yours: int | None) -> Conflict:
    current = type(obj)._default_manager.filter(pk=obj.pk).first()
    now = getattr(current, "version", None)
    return Conflict(
        f"this {obj._meta.verbose_name} was changed by someone else since you read it "
        f"(you had version {yours}, it is now version {now}); reload it and apply your change "
        "again",
        current=current,
        yours=yours,
    )


class Versioned(models.Model):
    """Mixin for editable records: `save()` of an existing row succeeds only if the row still
    has the version this instance was read at (or was told with `expect_version`)."""

    version = models.PositiveIntegerField(
        default=1, editable=False, help_text="Raised by one on every save; for optimistic locking."
    )

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self._state.adding or self.pk is None:
            super().save(*args, **kwargs)
            return
        expected = self.version
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "version"}
        self.version = expected + 1
        self._expected_version = expected
        try:
            super().save(*args, **kwargs)
        except BaseException:
            self.version = expected
            raise
        finally:
            del self._expected_version

    def _do_update(
        self,
        base_qs: models.QuerySet[Any],
        using: Any,
        pk_val: Any,
        values: Any,
        update_fields: Any,
        forced_update: Any,
        *args: Any,
    ) -> bool:
        expected = getattr(self, "_expected_version", None)
        if expected is None:
            return bool(
                super()._do_update(
                    base_qs, using, pk_val, values, update_fields, forced_update, *args
                )
            )
        updated = super()._do_update(
            base_qs.filter(version=expected),
            using,
            pk_val,
            values,
            update_fields,
            forced_update,
            *args,
        )
        if not updated and base_qs.filter(pk=pk_val).exists():
            raise _conflict(self, expected)
        return bool(updated)


def expect_version(obj: Versioned, version: int | None) -> None:
    """The writer read `version` (None: they did not say, the version loaded now is used).
    A stale one is refused at once; a race after this check is caught by the UPDATE."""
    if version is None:
        return
    if version != obj.version:
        raise _conflict(obj, version)


def posted_version(request: HttpRequest) -> int | None:
    """The version a web form carried in its hidden `version` field."""
    raw = request.POST.get("version", "").strip()
    return int(raw) if raw.isdigit() else None
