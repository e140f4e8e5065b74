"""Hostile files given to the installed `leadshift` command: a placed message and exit 2, never
a traceback, and never a wait without end. Run as a user runs it: no Django settings or
PYTHONPATH in the environment, a fresh data folder."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import pytest

from tests.user_shell import user_env

LEADSHIFT = Path(sys.executable).parent / "leadshift"


def leadshift(*args: str | Path, data_dir: Path) -> subprocess.CompletedProcess[str]:
    env = user_env(data_dir)
    return subprocess.run(
        [str(LEADSHIFT), *map(str, args)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    folder.mkdir()
    return folder


def test_allocate_refuses_deeply_nested_json_with_a_message(tmp_path, data_dir):
    path = tmp_path / "deep.json"
    path.write_text("[" * 50_000 + "]" * 50_000)
    done = leadshift("allocate", path, data_dir=data_dir)
    assert done.returncode == 2, done.stderr
    assert done.stderr.strip() == f"{path}: nested more than 64 levels deep"


def test_allocate_refuses_a_yaml_file_that_is_not_utf8_with_its_line(tmp_path, data_dir):
    path = tmp_path / "latin1.yaml"
    path.write_bytes("periods: [Q1]\nteams: []\nname: Malmö\n".encode("latin-1"))
    done = leadshift("allocate", path, data_dir=data_dir)
    assert done.returncode == 2, done.stderr
    assert done.stderr.strip() == f"{path}:3: the file is not UTF-8 text"


def test_portfolio_import_refuses_a_file_that_is_not_utf8_before_the_database(tmp_path, data_dir):
    path = tmp_path / "latin1.yaml"
    path.write_bytes("name: Malmö\n".encode("latin-1"))
    done = leadshift("portfolio", "import", path, "--org", "acme", data_dir=data_dir)
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr
    assert done.stderr.strip() == f"{path}:1: the file is not UTF-8 text"


def test_allocate_refuses_nested_aliases_at_their_line(tmp_path, data_dir):
    from tests.test_files import BILLION_LAUGHS

    path = tmp_path / "laughs.yaml"
    path.write_text(BILLION_LAUGHS)
    done = leadshift("allocate", path, data_dir=data_dir)
    assert done.returncode == 2, done.stderr
    assert done.stderr.startswith(f"{path}:5: aliases (*name) repeat more than 10,000 values")


def test_timeuse_refuses_a_secondly_series_in_words(tmp_path, data_dir):
    path = tmp_path / "secondly.ics"
    path.write_text(
        "BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:t\nBEGIN:VEVENT\nUID:s\n"
        "DTSTART:20260101T090000Z\nDTEND:20260101T090001Z\nRRULE:FREQ=SECONDLY\n"
        "END:VEVENT\nEND:VCALENDAR\n"
    )
    done = leadshift("timeuse", path, data_dir=data_dir)
    assert done.returncode == 2, done.stderr
    assert done.stderr.startswith(f"{path}:8: the calendar holds more than 50,000 occurrences")


def test_timeuse_states_how_far_it_counted_a_series_without_an_end(tmp_path, data_dir):
    start = dt.date.today() - dt.timedelta(days=20)
    path = tmp_path / "weekly.ics"
    path.write_text(
        "BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:t\nBEGIN:VEVENT\nUID:w\nSUMMARY:1:1 with Tom\n"
        f"DTSTART:{start:%Y%m%d}T090000Z\nDTEND:{start:%Y%m%d}T093000Z\nRRULE:FREQ=WEEKLY\n"
        "END:VEVENT\nEND:VCALENDAR\n"
    )
    done = leadshift("timeuse", path, data_dir=data_dir)
    assert done.returncode == 0, done.stderr
    until = dt.date.today() + dt.timedelta(days=1)
    assert f"1 series without an end counted up to {until:%Y-%m-%d}" in done.stdout
