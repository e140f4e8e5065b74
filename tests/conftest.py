from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, settings

from tests.user_shell import PG_TEMPLATE, DemoSetUp, copy_data, demo_folder, migrated_folder

# Property tests check what is generated, not how fast: on a loaded 2-core CI machine a
# slow draw is the machine, not the code.
settings.register_profile("leadshift", suppress_health_check=[HealthCheck.too_slow], deadline=None)
settings.load_profile("leadshift")

os.environ.setdefault(
    "LEADSHIFT_DATA_DIR", os.path.join(os.path.dirname(__file__), "..", ".tmp", "data")
)


# Fixtures under which a test reaches the Django database (pytest-django's, and the fixtures
# that open it for a whole module).
DATABASE_FIXTURES = frozenset(
    {
        "db",
        "transactional_db",
        "django_db_reset_sequences",
        "django_db_serialized_rollback",
        "django_db_setup",  # a module's fixture that opens the database with django_db_blocker
        "live_server",
    }
)


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark `database` every test that reaches the test run's database. Only those can differ
    between SQLite and PostgreSQL, so `make test`'s PostgreSQL pass runs only them; engines,
    files and the installed command in a user's environment (SQLite in its data folder) run
    once, in the SQLite pass."""
    for item in items:
        names = set(getattr(item, "fixturenames", ()))
        if names & DATABASE_FIXTURES or item.get_closest_marker("django_db"):
            item.add_marker(pytest.mark.database)


def pytest_configure(config: Any) -> None:
    """The tests serve the app as `make run` does, over plain HTTP on this machine; the
    production defaults (HTTPS only) are tested in tests/core/test_deployment.py."""
    from django.conf import settings

    settings.SECURE_SSL_REDIRECT = False
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = False
    settings.SECURE_HSTS_SECONDS = 0
    settings.SECRET_KEY_MISSING = False


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix: None) -> None:
    """On PostgreSQL, when `make test` made a migrated template database for the run
    (LEADSHIFT_TEST_PG_TEMPLATE, tests/user_shell.pg_template), each test process's database
    is created from it: Django's migrate then finds every migration applied."""
    from django.db import connection

    template = os.environ.get(PG_TEMPLATE)
    if template and connection.vendor == "postgresql":
        connection.settings_dict["TEST"]["TEMPLATE"] = template


@pytest.fixture(scope="session")
def django_db_keepdb(
    request: pytest.FixtureRequest, django_db_modify_db_settings: None
) -> Iterator[bool]:
    """On SQLite, the test database starts as a copy of the one `leadshift migrate` made in
    `migrated_folder` (set up once per run or test process for the subprocess tests anyway),
    and Django keeps it, finding every migration applied, instead of migrating a database of
    its own again: seconds per test process. The migrations still run, in the command; the
    PostgreSQL pass migrates its database as Django does."""
    from django.db import connection

    if request.config.getvalue("reuse_db") or connection.vendor != "sqlite":
        yield bool(request.config.getvalue("reuse_db"))
        return
    test_db = str(connection.settings_dict["TEST"]["NAME"])
    template = str(migrated_folder()[0] / "leadshift.sqlite3")
    copied = [Path(test_db + end) for end in ("", "-wal", "-shm")]
    for path in copied:
        path.unlink(missing_ok=True)
    for end in ("", "-wal"):  # the write-ahead log, if the command left one, holds rows too
        if os.path.exists(template + end):
            shutil.copyfile(template + end, test_db + end)
    yield True
    # Kept, Django leaves it behind: it goes as Django's own would.
    connection.close()
    for path in copied:
        path.unlink(missing_ok=True)


@pytest.fixture(scope="session")
def migrated_data() -> Path:
    """A data folder where `leadshift migrate` made the tables, nothing in them; once per test
    process. Copy it before writing (`copy_data`)."""
    return migrated_folder()[0]


@pytest.fixture(scope="session")
def demo_set_up() -> DemoSetUp:
    """A fresh data folder set up as a user does, `leadshift migrate` then `leadshift demo`;
    once per test process, for every test that runs the command against the demo (and the
    rows the in-process tests copy, tests/demo_snapshot.py). Copy it before writing
    (`copy_data`, or the `demo_copy` fixture)."""
    return demo_folder()


@pytest.fixture(scope="module")
def demo_copy(demo_set_up: DemoSetUp, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A module's own copy of the demo's data folder, to run the command against."""
    return copy_data(demo_set_up.data, tmp_path_factory.mktemp("demo-copy") / "data")


@pytest.fixture
def make_org(db: Any) -> Callable[..., Any]:
    """An organisation with an admin, from the real signup service."""
    from leadshift.people.services import do_create_organisation

    counter = {"n": 0}

    def make(name: str = "Acme", admin_email: str | None = None) -> Any:
        counter["n"] += 1
        email = admin_email or f"admin{counter['n']}@{name.lower()}.example"
        return do_create_organisation(
            name=name, admin_name=f"{name} Admin", admin_email=email, password="s3cret-pass!"
        )

    return make


@pytest.fixture
def make_person(db: Any) -> Callable[..., Any]:
    from leadshift.people.services import do_add_person

    counter = {"n": 0}

    def make(org: Any, name: str | None = None, manager: Any = None, **kwargs: Any) -> Any:
        counter["n"] += 1
        name = name or f"Person {counter['n']}"
        email = kwargs.pop("email", f"p{counter['n']}@{org.slug}.example")
        return do_add_person(
            org,
            name=name,
            email=email,
            manager=manager,
            password=kwargs.pop("password", "s3cret-pass!"),
            **kwargs,
        )

    return make


@pytest.fixture
def team(make_org: Callable[..., Any], make_person: Callable[..., Any]) -> dict[str, Any]:
    """A head of product, a group PM reporting to them, a PM under the group PM, and a peer."""
    admin = make_org("Acme")
    org = admin.organisation
    head = make_person(org, "Hana Head", email="hana@acme.example")
    group = make_person(org, "Gus Group", manager=head, email="gus@acme.example")
    pm = make_person(org, "Pia PM", manager=group, email="pia@acme.example")
    peer = make_person(org, "Pete Peer", manager=head, email="pete@acme.example")
    return {"org": org, "admin": admin, "head": head, "group": group, "pm": pm, "peer": peer}


def full_answers(framework: Any, level: int = 2, choice: int = 1) -> Any:
    from leadshift.assessments.readiness import Answers

    return Answers(
        shift_choices={
            (s.id, q.id): min(choice, len(q.options) - 1)
            for s in framework.shifts
            for q in s.questions
        },
        capability_levels={c.id: level for c in framework.capabilities},
    )


@pytest.fixture
def completed_assessment(team: dict[str, Any]) -> Any:
    from leadshift.assessments.services import do_submit_assessment
    from leadshift.frameworks.schema import default_framework

    pm = team["pm"]
    return do_submit_assessment(pm, pm, "group_pm", full_answers(default_framework()))


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: Any) -> None:
    # Real hashing is deliberately slow; tests create many accounts and check no hash strength.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def sign_in(client: Any, email: str, password: str) -> bool:
    """Sign in through the sign-in page, as a person does (and as the throttle sees it)."""
    from django.urls import reverse

    r = client.post(reverse("login"), {"username": email, "password": password})
    return bool(r.status_code == 302)
