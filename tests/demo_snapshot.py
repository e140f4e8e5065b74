"""The demo organisation in an in-process test's database, copied row for row (ids included)
from the data folder where `leadshift demo` ran once in this test process (the one the
subprocess tests copy, tests/user_shell.demo_folder): milliseconds, where `load_demo` takes
seconds of ORM work, and one build of the demo per test process instead of one per test.

Into a database whose demo tables are empty: on SQLite the rows as they are; on PostgreSQL
(`make test`'s second pass) each row read through its model's fields from the SQLite file and
written as the field writes it, then the id sequences moved past the copied ids. A test that
wrote first gets the demo built beside its rows with `load_demo`."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path
from typing import Any

from tests.user_shell import DemoSetUp, demo_folder

# Made by migrations and post_migrate, with ids of their own in each database.
NOT_COPIED = frozenset({"django_migrations", "django_content_type", "auth_permission"})
LOADED = re.compile(r"Loaded .*?: (\d+) people, (\d+) assessments, (\d+) plans\.")


def loaded_demo(seed: int = 7) -> Any:
    """`leadshift.demo.load_demo(seed=seed)`, copied from the command's database."""
    from django.db import connection

    from leadshift.demo import load_demo

    if connection.vendor not in {"sqlite", "postgresql"}:
        return load_demo(seed=seed)
    built = demo_folder(seed)
    restore = _restore if connection.vendor == "sqlite" else _restore_through_models
    if not restore(built.data / "leadshift.sqlite3"):
        return load_demo(seed=seed)
    return _result(built)


def _restore(path: Path) -> bool:
    """Copy the demo database's rows into the test database, if every table they go to is
    empty. Read through a connection of its own, so it works inside the test's transaction
    (where ATTACH is refused)."""
    from django.db import connection, transaction

    source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        tables = [
            name
            for (name,) in source.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            if name not in NOT_COPIED and not name.startswith("sqlite_")
        ]
        with connection.cursor() as cursor:
            for name in tables:
                cursor.execute(f'SELECT 1 FROM "{name}" LIMIT 1')
                if cursor.fetchone():
                    return False  # the test wrote first: build the demo beside its rows
            # Foreign keys are checked at commit (Django makes them deferrable), so the order
            # of the tables does not matter.
            with transaction.atomic():
                for name in tables:
                    rows = source.execute(f'SELECT * FROM "{name}"')
                    columns = ", ".join(f'"{d[0]}"' for d in rows.description)
                    marks = ", ".join(["%s"] * len(rows.description))
                    cursor.executemany(
                        f'INSERT INTO "{name}" ({columns}) VALUES ({marks})', rows.fetchall()
                    )
    finally:
        source.close()
    return True


def _restore_through_models(path: Path) -> bool:
    """`_restore` for another database: SQLite keeps booleans as 0/1, dates and JSON as text,
    so each value is read with the SQLite backend's converters into the Python value the
    field holds, then prepared for this database by the field, as the ORM would save it."""
    from django.apps import apps
    from django.core.management.color import no_style
    from django.db import connection, transaction
    from django.db.backends.sqlite3.base import DatabaseWrapper

    models = [
        m
        for m in apps.get_models(include_auto_created=True)
        if m._meta.managed and not m._meta.proxy and m._meta.db_table not in NOT_COPIED
    ]
    with connection.cursor() as cursor:
        for model in models:
            cursor.execute(
                f"SELECT 1 FROM {connection.ops.quote_name(model._meta.db_table)} LIMIT 1"
            )
            if cursor.fetchone():
                return False  # the test wrote first: build the demo beside its rows
    # Read-only, as _restore reads it: other test processes copy the same folder meanwhile.
    source = DatabaseWrapper(
        {**connection.settings_dict, "NAME": f"file:{path}?mode=ro", "OPTIONS": {}}
    )
    try:
        _no_table_left_out(source, models)
        with transaction.atomic(), connection.cursor() as cursor:
            for model in models:
                fields = [f for f in model._meta.local_concrete_fields if not f.generated]
                query = model._base_manager.values_list(*(f.attname for f in fields)).query
                rows = [
                    [f.get_db_prep_save(v, connection) for f, v in zip(fields, row, strict=True)]
                    for row in query.get_compiler(connection=source).results_iter()
                ]
                if rows:
                    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
                    marks = ", ".join(["%s"] * len(fields))
                    table = connection.ops.quote_name(model._meta.db_table)
                    cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", rows)
            for sql in connection.ops.sequence_reset_sql(no_style(), models):
                cursor.execute(sql)
    finally:
        source.close()
    return True


def _no_table_left_out(source: Any, models: list[Any]) -> None:
    # A table the demo fills with no model to read it through would be silently missing.
    with source.cursor() as cursor:
        tables = source.introspection.table_names(cursor)
        modelled = {m._meta.db_table for m in models} | NOT_COPIED
        for name in sorted(set(tables) - modelled):
            cursor.execute(f'SELECT 1 FROM "{name}" LIMIT 1')
            assert not cursor.fetchone(), f"the demo fills {name}, which no model reads"


def _result(built: DemoSetUp) -> Any:
    """What `load_demo` returned, read from the copied rows and what the command printed."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password

    from leadshift.demo import DEMO_PASSWORD, LEADER_EMAIL, PM_EMAIL, DemoResult
    from leadshift.feedback.models import Cycle
    from leadshift.people.models import Person

    leader = Person.objects.select_related("organisation", "user").get(email=LEADER_EMAIL)
    org = leader.organisation
    # The command hashed the demo password with the real hasher; this test run checks
    # passwords with its own (tests/conftest.py), as a `load_demo` here would have hashed it.
    get_user_model().objects.filter(password=leader.user.password).update(
        password=make_password(DEMO_PASSWORD)
    )
    loaded = LOADED.search(built.demo.stdout)
    assert loaded, built.demo
    people, assessments, plans = map(int, loaded.groups())
    return DemoResult(
        organisation=org,
        people=people,
        assessments=assessments,
        plans=plans,
        leader=Person.objects.get(pk=leader.pk),
        pm=Person.objects.get(email=PM_EMAIL),
        feedback_cycles=Cycle.objects.filter(subject__organisation=org).count(),
    )
