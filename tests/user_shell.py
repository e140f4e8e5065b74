"""The environment a user's shell gives the installed `leadshift`: none of the test run's
Django settings, import paths, database or LeadShift settings; a data folder of its own.

Data folders set up by the command itself (`leadshift migrate`, `leadshift demo`) are made
once per test process (`migrated_folder` and `demo_folder`, which the `migrated_data` and
`demo_set_up` fixtures in tests/conftest.py return) and copied for each module or test that writes: copying a SQLite file takes milliseconds,
loading the demo many seconds."""

from __future__ import annotations

import atexit
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

LEADSHIFT = Path(sys.executable).with_name("leadshift")


def user_env(data_dir: Path, **extra: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DJANGO_SETTINGS_MODULE", "PYTHONPATH", "DATABASE_URL"}
        and not k.startswith(("LEADSHIFT_", "PYTEST_"))
    }
    return {**env, "LEADSHIFT_DATA_DIR": str(data_dir), **extra}


@dataclass(frozen=True)
class Ran:
    code: int
    stdout: str
    stderr: str

    def __str__(self) -> str:  # shown when an assertion about the run fails
        return f"exit {self.code}\n--- stdout\n{self.stdout[-3000:]}\n--- stderr\n{self.stderr[-3000:]}"


def run_in(data_dir: Path, *args: str | Path, timeout: float = 600) -> Ran:
    done = subprocess.run(
        [str(LEADSHIFT), *map(str, args)],
        env=user_env(data_dir),
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    return Ran(done.returncode, done.stdout, done.stderr)


@dataclass(frozen=True)
class DemoSetUp:
    data: Path  # never written: copy it with copy_data
    migrate: Ran  # what `leadshift migrate` said in the fresh folder
    demo: Ran  # and `leadshift demo` after it


def _scratch(prefix: str) -> Path:
    home = Path(tempfile.mkdtemp(prefix=prefix))
    atexit.register(shutil.rmtree, home, ignore_errors=True)
    return home / "data"


_migrated: list[tuple[Path, Ran]] = []
_demo_folders: dict[int, DemoSetUp] = {}


def migrated_folder() -> tuple[Path, Ran]:
    """A fresh data folder where `leadshift migrate` made the tables, nothing in them, and what
    it said; once per test process. Never write to it: copy it (`copy_data`)."""
    if not _migrated:
        data, ran = _prebuilt("migrated") or _migrate(_scratch("leadshift-migrated-"))
        assert ran.code == 0, ran
        _migrated.append((data, ran))
    return _migrated[0]


def demo_folder(seed: int = 7) -> DemoSetUp:
    """A data folder set up as a user does, `leadshift migrate` then `leadshift demo` (in a
    copy of `migrated_folder`): once per test process (and seed), for the subprocess tests
    (the `demo_set_up` fixture) and the in-process ones alike (tests/demo_snapshot.py copies
    its rows). Never write to it: copy it (`copy_data`)."""
    if seed not in _demo_folders:
        empty, migrated = migrated_folder()
        data, demo = _prebuilt(f"demo-{seed}") or _demo(empty, _scratch("leadshift-demo-"), seed)
        assert demo.code == 0, demo
        _demo_folders[seed] = DemoSetUp(data, migrated, demo)
    return _demo_folders[seed]


def _migrate(data: Path) -> tuple[Path, Ran]:
    return data, run_in(data, "migrate")


def _demo(migrated: Path, data: Path, seed: int) -> tuple[Path, Ran]:
    copy_data(migrated, data)
    return data, run_in(data, "demo", *(["--seed", str(seed)] if seed != 7 else []))


# `make test` (scripts/test.sh) sets up the migrated and the demo folder once for the whole run,
# beside ruff, mypy and the first tests, and names their folder here: the test processes (two
# xdist workers, then the PostgreSQL pass's) copy those instead of each running `leadshift
# migrate` and `leadshift demo` again, waiting for them while `BUILDING` is there. Unset
# (pytest run by hand), each process sets up its own, as above.
PREBUILT = "LEADSHIFT_TEST_PREBUILT"
BUILDING = "building"  # made by scripts/test.sh before it starts `prebuild`, removed by it


def _prebuilt(name: str) -> tuple[Path, Ran] | None:
    home = os.environ.get(PREBUILT)
    if not home:
        return None
    said = Path(home) / f"{name}.json"
    waited = 0.0
    while not said.exists() and (Path(home) / BUILDING).exists() and waited < 900:
        time.sleep(0.2)
        waited += 0.2
    if not said.exists():
        return None
    return said.with_suffix("") / "data", Ran(**json.loads(said.read_text()))


def prebuild(home: Path, database_url: str | None = None) -> None:
    """Set up the migrated folder and the demo's (seed 7) under `home`, each with what the
    command said in NAME.json, written last (the folder is ready when it exists); given a
    PostgreSQL server's URL, the migrated template database there too (`pg_template`)."""
    try:
        (home / "migrated").mkdir(parents=True, exist_ok=True)
        empty, migrated = _migrate(home / "migrated" / "data")
        _said(home / "migrated.json", migrated)
        if migrated.code == 0:
            _, demo = _demo(empty, home / "demo-7" / "data", 7)
            _said(home / "demo-7.json", demo)
        if database_url:
            _said(home / f"{PG_TEMPLATE_NAME}.json", pg_template(database_url, home / "pg"))
    finally:
        (home / BUILDING).unlink(missing_ok=True)


# The PostgreSQL pass's test databases are made from this one (CREATE DATABASE … TEMPLATE, the
# `django_db_modify_db_settings` fixture in tests/conftest.py), where `leadshift migrate` made
# the tables once for the run, as in the SQLite pass's copied database: each test process then
# finds every migration applied instead of running them all again in its own database.
PG_TEMPLATE = "LEADSHIFT_TEST_PG_TEMPLATE"
PG_TEMPLATE_NAME = "leadshift_test_template"


def pg_template(database_url: str, data: Path) -> Ran:
    """Create the template database on the server of `database_url` and migrate it with the
    installed command."""
    import psycopg

    server = database_url.rsplit("/", 1)[0]
    with psycopg.connect(server + "/postgres", autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{PG_TEMPLATE_NAME}"')
    done = subprocess.run(
        [str(LEADSHIFT), "migrate"],
        env=user_env(data, DATABASE_URL=f"{server}/{PG_TEMPLATE_NAME}"),
        capture_output=True,
        text=True,
        timeout=600,
    )
    return Ran(done.returncode, done.stdout, done.stderr)


def _said(path: Path, ran: Ran) -> None:
    # Renamed into place, so a reader never sees half of it.
    path.with_suffix(".part").write_text(json.dumps(asdict(ran)))
    path.with_suffix(".part").rename(path)


def copy_data(template: Path, to: Path) -> Path:
    """A private copy of a data folder (the database, the local secret key), modes kept."""
    shutil.copytree(template, to, dirs_exist_ok=True)
    to.chmod(template.stat().st_mode)
    return to


if __name__ == "__main__":
    prebuild(Path(sys.argv[1]), *sys.argv[2:3])
