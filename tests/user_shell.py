"""The environment a user's shell gives the installed `leadshift`: none of the test run's
Django settings, import paths, database or LeadShift settings; a data folder of its own.

Data folders set up by the command itself (`leadshift migrate`, `leadshift demo`) are made
once per test process (the `migrated_data` and `demo_set_up` fixtures in tests/conftest.py)
and copied for each module or test that writes: copying a SQLite file takes milliseconds,
loading the demo many seconds."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
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


def copy_data(template: Path, to: Path) -> Path:
    """A private copy of a data folder (the database, the local secret key), modes kept."""
    shutil.copytree(template, to, dirs_exist_ok=True)
    to.chmod(template.stat().st_mode)
    return to
