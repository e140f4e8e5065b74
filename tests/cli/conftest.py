"""Run the installed `leadshift` as a user would: a subprocess with a plain environment (no
DJANGO_SETTINGS_MODULE, no PYTHONPATH, no DATABASE_URL), a fresh data folder, and a
working folder holding docs/examples/ so that documented paths work as typed."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.user_shell import LEADSHIFT, DemoSetUp, Ran, copy_data, user_env

__all__ = ["LEADSHIFT", "DemoSetUp", "Ran", "RunLeadshift", "user_env"]

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = REPO / "docs" / "examples"
DEMO_PM = "sam.rivera@northwind.example"
DEMO_LEADER = "maya.okafor@northwind.example"
DEMO_ORG = "northwind-labs"

RunLeadshift = Callable[..., Ran]


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


@pytest.fixture(scope="session")
def demo_data(demo_set_up: DemoSetUp) -> Path:
    """The data folder with the demo loaded; copy it before writing (run_leadshift does)."""
    return demo_set_up.data


@pytest.fixture
def run_leadshift(tmp_path: Path, demo_data: Path) -> RunLeadshift:
    """`leadshift …` against a private copy of the demo; returns exit code, stdout, stderr.
    Its working folder (with docs/examples/) is `tmp_path / "work"`."""
    return runner(copy_data(demo_data, tmp_path / "data"), working_folder(tmp_path / "work"))


@pytest.fixture
def run_empty(tmp_path: Path, migrated_data: Path) -> RunLeadshift:
    """`leadshift …` against a private copy of an empty, migrated database."""
    data = copy_data(migrated_data, tmp_path / "empty-data")
    return runner(data, working_folder(tmp_path / "empty-work"))


@pytest.fixture
def run_fresh(tmp_path: Path) -> RunLeadshift:
    """`leadshift …` against an empty data folder (no database yet)."""
    return runner(tmp_path / "fresh-data", working_folder(tmp_path / "fresh-work"))
