"""The environment a user's shell gives the installed `leadshift`: none of the test run's
Django settings, import paths, database or LeadShift settings; a data folder of its own.

Data folders set up by the command itself (`leadshift migrate`, `leadshift demo`) are made
once per test process (`migrated_folder` and `demo_folder`, which the `migrated_data` and
`demo_set_up` fixtures in tests/conftest.py return) and copied for each module or test that writes: copying a SQLite file takes milliseconds,
loading the demo many seconds."""

from __future__ import annotations

import atexit
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
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
        data = _scratch("leadshift-migrated-")
        ran = run_in(data, "migrate")
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
        data = copy_data(empty, _scratch("leadshift-demo-"))
        demo = run_in(data, "demo", *(["--seed", str(seed)] if seed != 7 else []))
        assert demo.code == 0, demo
        _demo_folders[seed] = DemoSetUp(data, migrated, demo)
    return _demo_folders[seed]


def copy_data(template: Path, to: Path) -> Path:
    """A private copy of a data folder (the database, the local secret key), modes kept."""
    shutil.copytree(template, to, dirs_exist_ok=True)
    to.chmod(template.stat().st_mode)
    return to
