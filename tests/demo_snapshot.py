"""The demo organisation in an in-process test's database, copied row for row (ids included)
from the data folder where `leadshift demo` ran once in this test process (the one the
subprocess tests copy, tests/user_shell.demo_folder): milliseconds, where `load_demo` takes
seconds of ORM work, and one build of the demo per test process instead of one per test.

On SQLite only, into a database whose demo tables are empty; elsewhere (PostgreSQL, or a test
that wrote first) it builds the demo with `load_demo`."""

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

    if connection.vendor != "sqlite":
        return load_demo(seed=seed)
    built = demo_folder(seed)
    if not _restore(built.data / "leadshift.sqlite3"):
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
