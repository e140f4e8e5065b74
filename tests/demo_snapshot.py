"""The demo organisation in a browser test's database: built by `load_demo` the first time in
a test process, then copied back from a snapshot of its rows (milliseconds, where building
it takes seconds of ORM work). The copy is row for row what `load_demo` wrote, ids included.

Only for tests whose database commits (the browser tests' `transactional_db`) on SQLite:
ATTACH is refused inside a transaction. Elsewhere it builds the demo every time."""

from __future__ import annotations

import tempfile
from dataclasses import replace
from pathlib import Path
from typing import Any

# Made by migrations and post_migrate again after each flush, with ids of their own.
NOT_COPIED = frozenset({"django_migrations", "django_content_type", "auth_permission"})

_snapshots: dict[int, tuple[Path, Any]] = {}


def loaded_demo(seed: int = 7) -> Any:
    """`leadshift.demo.load_demo(seed=seed)`, fast after the first time."""
    from django.db import connection

    from leadshift.demo import load_demo

    if connection.vendor != "sqlite" or connection.in_atomic_block:
        return load_demo(seed=seed)
    if seed in _snapshots:
        path, result = _snapshots[seed]
        if _restore(path):
            return _refetched(result)
    result = load_demo(seed=seed)
    path = Path(tempfile.mkdtemp(prefix="demo-snapshot-")) / "demo.sqlite3"
    with connection.cursor() as cursor:
        cursor.execute("VACUUM INTO %s", [str(path)])
    _snapshots[seed] = (path, result)
    return result


def _restore(path: Path) -> bool:
    """Copy the snapshot's rows into the test database, if every table they go to is empty."""
    from django.db import connection, transaction

    with connection.cursor() as cursor:
        cursor.execute("ATTACH DATABASE %s AS demo_snapshot", [str(path)])
        try:
            cursor.execute("SELECT name FROM demo_snapshot.sqlite_master WHERE type = 'table'")
            tables = [
                name
                for (name,) in cursor.fetchall()
                if name not in NOT_COPIED and not name.startswith("sqlite_")
            ]
            for name in tables:
                cursor.execute(f'SELECT 1 FROM main."{name}" LIMIT 1')
                if cursor.fetchone():
                    return False  # the test wrote first: build the demo beside its rows
            # Foreign keys are checked at commit (Django makes them deferrable), so the order
            # of the tables does not matter.
            with transaction.atomic():
                for name in tables:
                    cursor.execute(
                        f'INSERT INTO main."{name}" SELECT * FROM demo_snapshot."{name}"'
                    )
        finally:
            cursor.execute("DETACH DATABASE demo_snapshot")
    return True


def _refetched(result: Any) -> Any:
    """The first load's result, its model instances read again from the restored rows."""
    from leadshift.people.models import Organisation, Person

    return replace(
        result,
        organisation=Organisation.objects.get(pk=result.organisation.pk),
        leader=Person.objects.get(pk=result.leader.pk),
        pm=Person.objects.get(pk=result.pm.pk),
    )
