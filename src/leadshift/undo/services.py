"""Deleting with a way back: every delete that offers undo goes through `do_delete_with_undo`,
which records what Django's own cascade is about to remove and removes it; `do_undo` puts
the same rows back, with the same ids, in one transaction, or explains why it cannot."""

from __future__ import annotations

import json
from typing import Any

from django.apps import apps
from django.core import serializers
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, connection, models, router, transaction
from django.db.models.deletion import Collector
from django.utils import timezone

from leadshift.core.errors import Invalid, NotFound
from leadshift.people.models import Person
from leadshift.undo.models import UNDO_WINDOW, Deletion


class _EveryRow(Collector):
    """Django's cascade, made to load every row it would otherwise delete by query, so each
    can be written down first."""

    def can_fast_delete(self, *args: Any, **kwargs: Any) -> bool:
        return False


def _snapshot(obj: models.Model) -> tuple[list[dict[str, Any]], list[list[Any]]]:
    collector = _EveryRow(using=router.db_for_write(type(obj)))
    collector.collect([obj])
    collector.sort()
    rows: list[dict[str, Any]] = []
    # Deletion order is children first; restoring goes parents first.
    for model, instances in reversed(list(collector.data.items())):
        m2m = {f.name for f in model._meta.many_to_many}
        for row in serializers.serialize("python", sorted(instances, key=lambda i: i.pk)):
            # Many-to-many links come back through their own through rows, collected above.
            for name in m2m:
                row["fields"].pop(name, None)
            rows.append(row)
    relinks: list[list[Any]] = []
    for (field, _value), batches in collector.field_updates.items():
        for batch in batches:
            for inst in batch:
                relinks.append(
                    [inst._meta.label_lower, inst.pk, field.attname, getattr(inst, field.attname)]
                )
    # Through JSON once, so dates and decimals are stored the way they are read back.
    return json.loads(json.dumps(rows, cls=DjangoJSONEncoder)), json.loads(
        json.dumps(relinks, cls=DjangoJSONEncoder)
    )


@transaction.atomic
def do_delete_with_undo(
    obj: models.Model, actor: Person | None, what: str, back_to: str = ""
) -> Deletion | None:
    """Delete `obj` and all that cascades from it, keeping a snapshot its actor may restore.
    A delete with no person behind it (a command, an import) has nobody to offer undo to."""
    if actor is None:
        obj.delete()
        return None
    Deletion.objects.filter(
        organisation_id=actor.organisation_id, created_at__lt=timezone.now() - UNDO_WINDOW
    ).delete()
    rows, relinks = _snapshot(obj)
    deletion = Deletion.objects.create(
        organisation_id=actor.organisation_id,
        actor=actor,
        what=what[:300],
        back_to=back_to[:300],
        rows=rows,
        relinks=relinks,
    )
    obj.delete()
    return deletion


def restorable_for(actor: Person, deletion_id: int) -> Deletion:
    deletion = Deletion.objects.filter(pk=deletion_id, actor=actor).first()
    if deletion is None:
        raise NotFound("there is nothing of yours to undo under that number")
    if not deletion.restorable():
        raise Invalid(
            f"“{deletion.what}” can no longer be undone: undo lasts "
            f"{int(UNDO_WINDOW.total_seconds() // 60)} minutes and only once"
        )
    return deletion


@transaction.atomic
def do_undo(actor: Person, deletion_id: int) -> Deletion:
    deletion = restorable_for(actor, deletion_id)

    changed = Invalid(
        f"“{deletion.what}” cannot be put back: something it belonged to has changed or "
        "gone since it was deleted"
    )
    tables: set[str] = set()
    try:
        with transaction.atomic():
            for obj in serializers.deserialize("python", deletion.rows):
                model = type(obj.object)
                # A raw save of an id in use would overwrite that row; never do that.
                if model._default_manager.filter(pk=obj.object.pk).exists():
                    raise changed
                obj.save()
                tables.add(model._meta.db_table)
            for label, pk, attname, value in deletion.relinks:
                apps.get_model(label).objects.filter(pk=pk).update(**{attname: value})
            # Foreign keys are checked at commit; check now, while the error can be told.
            connection.check_constraints(table_names=sorted(tables))
    except IntegrityError as exc:
        raise changed from exc
    deletion.restored_at = timezone.now()
    deletion.save(update_fields=["restored_at"])
    return deletion
