"""Run the installed `leadshift` as a user would: a subprocess with a plain environment (no
DJANGO_SETTINGS_MODULE, no PYTHONPATH, no DATABASE_URL), a fresh data folder, and a
working folder holding docs/examples/ so that documented paths work as typed."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.user_shell import user_env

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = REPO / "docs" / "examples"
LEADSHIFT = Path(sys.executable).with_name("leadshift")
DEMO_PM = "sam.rivera@northwind.example"
DEMO_LEADER = "maya.okafor@northwind.example"
DEMO_ORG = "northwind-labs"


@dataclass(frozen=True)
class Ran:
    code: int
    stdout: str
    stderr: str

    def __str__(self) -> str:  # shown when an assertion about the run fails
        return f"exit {self.code}\n--- stdout\n{self.stdout[-3000:]}\n--- stderr\n{self.stderr[-3000:]}"


RunLeadshift = Callable[..., Ran]


def _once_per_suite() -> None:
    # The commands run on SQLite in a data folder, as a user's do; `make test`'s PostgreSQL
    # pass (DATABASE_URL set) would only run them again the same way.
    if os.environ.get("DATABASE_URL"):
        pytest.skip("run in the SQLite pass: the commands get a user's environment")


def runner(data_dir: Path, cwd: Path) -> RunLeadshift:
    def run(*args: str | Path, timeout: float = 600, env: dict[str, str] | None = None) -> Ran:
        done = subprocess.run(
            [str(LEADSHIFT), *map(str, args)],
            cwd=cwd,
            env=user_env(data_dir) | (env or {}),
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        return Ran(done.returncode, done.stdout, done.stderr)

    return run


def working_folder(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    shutil.copytree(EXAMPLES, path / "docs" / "examples")
    return path


@dataclass(frozen=True)
class DemoSetUp:
    data: Path
    migrate: Ran  # what `leadshift migrate` said in the fresh folder
    demo: Ran  # and `leadshift demo` after it


@pytest.fixture(scope="session")
def demo_set_up(tmp_path_factory: pytest.TempPathFactory) -> DemoSetUp:
    """A fresh data folder set up by `leadshift migrate` and `leadshift demo`, once per session."""
    _once_per_suite()
    data = tmp_path_factory.mktemp("demo") / "data"
    run = runner(data, working_folder(tmp_path_factory.mktemp("demo-work")))
    migrated = run("migrate")
    assert migrated.code == 0, migrated
    demo = run("demo")
    assert demo.code == 0, demo
    return DemoSetUp(data, migrated, demo)


@pytest.fixture(scope="session")
def demo_data(demo_set_up: DemoSetUp) -> Path:
    """The data folder with the demo loaded; copy it before writing (run_leadshift does)."""
    return demo_set_up.data


@pytest.fixture
def run_leadshift(tmp_path: Path, demo_data: Path) -> RunLeadshift:
    """`leadshift …` against a private copy of the demo; returns exit code, stdout, stderr.
    Its working folder (with docs/examples/) is `tmp_path / "work"`."""
    data = tmp_path / "data"
    shutil.copytree(demo_data, data)
    return runner(data, working_folder(tmp_path / "work"))


@pytest.fixture(scope="session")
def empty_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data folder with the tables made and nothing in them, once per session."""
    _once_per_suite()
    data = tmp_path_factory.mktemp("empty") / "data"
    ran = runner(data, working_folder(tmp_path_factory.mktemp("empty-work")))("migrate")
    assert ran.code == 0, ran
    return data


@pytest.fixture
def run_empty(tmp_path: Path, empty_data: Path) -> RunLeadshift:
    """`leadshift …` against a private copy of an empty, migrated database."""
    data = tmp_path / "empty-data"
    shutil.copytree(empty_data, data)
    return runner(data, working_folder(tmp_path / "empty-work"))


@pytest.fixture
def run_fresh(tmp_path: Path) -> RunLeadshift:
    """`leadshift …` against an empty data folder (no database yet)."""
    _once_per_suite()
    return runner(tmp_path / "fresh-data", working_folder(tmp_path / "fresh-work"))
