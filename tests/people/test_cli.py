"""`leadshift people …` and `leadshift teams …`, run as a user types them: the installed
command in a plain environment (no DJANGO_SETTINGS_MODULE, no PYTHONPATH, a fresh data folder),
against the module's copy of the demo (tests/conftest.py)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.user_shell import user_env

EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "examples"
LEADSHIFT = str(Path(sys.executable).parent / "leadshift")
ORG = "northwind-labs"


@pytest.fixture(scope="module")
def data_dir(demo_copy):
    return demo_copy


def run(data_dir: Path, *args: str, **extra_env: str) -> subprocess.CompletedProcess[str]:
    env = user_env(data_dir, **extra_env)
    return subprocess.run(
        [LEADSHIFT, *args], capture_output=True, text=True, env=env, cwd=data_dir, timeout=300
    )


@pytest.fixture
def snapshot(data_dir, tmp_path):
    """A copy of the demo database to restore after a test that writes."""
    db = data_dir / "leadshift.sqlite3"
    copy = tmp_path / db.name
    shutil.copy(db, copy)
    yield
    shutil.copy(copy, db)


def people(data_dir: Path) -> dict[str, dict]:
    r = run(data_dir, "people", "list", "--org", ORG, "--json")
    assert r.returncode == 0, r.stderr
    return {p["email"]: p for p in json.loads(r.stdout)}


def test_the_documented_import_brings_in_the_example_file_and_list_shows_it(data_dir, snapshot):
    before = len(people(data_dir))
    r = run(data_dir, "teams", "add", "Search", "--org", ORG)
    assert r.returncode == 2 and "already has a team 'Search'" in r.stderr
    r = run(data_dir, "people", "import", str(EXAMPLES / "people.csv"), "--org", ORG)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == "Imported into Northwind Labs: 20 added, 0 updated."
    got = people(data_dir)
    assert len(got) == before + 20
    assert got["ravi.menon@lumen.example"] == got["ravi.menon@lumen.example"] | {
        "name": "Ravi Menon",
        "manager": "tomas.ferreira@lumen.example",
        "team": "Payments",
        "roles": ["member"],
        "active": True,
    }
    assert got["maya.okafor@northwind.example"]["roles"] == ["admin", "leader", "member"]
    assert got["sam.rivera@northwind.example"]["roles"] == ["member"]
    r = run(data_dir, "people", "import", str(EXAMPLES / "people.yaml"), "--org", ORG, "--json")
    assert json.loads(r.stdout) == {"organisation": ORG, "added": 0, "updated": 20}
    r = run(data_dir, "people", "list", "--org", ORG)
    assert "ravi.menon@lumen.example" in r.stdout and "member" in r.stdout


def test_a_bad_people_file_exits_2_with_placed_problems_and_writes_nothing(data_dir, tmp_path):
    bad = tmp_path / "people.csv"
    bad.write_text(
        "email,name,title,manager,team,target_role,roles\n"
        "a@lumen.example,A,,zoe@lumen.example,Nowhere,,boss\n"
    )
    before = people(data_dir)
    r = run(data_dir, "people", "import", str(bad), "--org", ORG)
    assert r.returncode == 2
    assert f"{bad}:2: manager: unknown manager zoe@lumen.example" in r.stderr
    assert f"{bad}:2: team: unknown team 'Nowhere'" in r.stderr
    assert f"{bad}:2: roles: unknown role 'boss'" in r.stderr
    assert people(data_dir) == before
    r = run(data_dir, "people", "import", str(tmp_path / "missing.csv"), "--org", ORG)
    assert r.returncode == 2 and "missing.csv: no such file" in r.stderr
    r = run(data_dir, "people", "list", "--org", "nowhere")
    assert r.returncode == 2 and "no organisation 'nowhere'" in r.stderr


def test_teams_add_and_list(data_dir, snapshot):
    r = run(
        data_dir, "teams", "add", "Billing", "--org", ORG, "--lead", "sam.rivera@northwind.example"
    )
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == "Team Billing created in Northwind Labs."
    r = run(data_dir, "teams", "list", "--org", ORG, "--json")
    teams = {t["name"]: t for t in json.loads(r.stdout)}
    assert teams["Billing"] == teams["Billing"] | {
        "lead": "sam.rivera@northwind.example",
        "members": 0,
    }
    assert teams["Payments"]["members"] > 0 and teams["Payments"]["lead"]
    r = run(data_dir, "teams", "add", "Ops", "--org", ORG, "--lead", "nobody@northwind.example")
    assert r.returncode == 2 and "--lead: no person 'nobody@northwind.example'" in r.stderr


def test_invite_says_it_was_sent_and_prints_no_link(data_dir, snapshot):
    r = run(
        data_dir,
        "people",
        "invite",
        "new.pm@northwind.example",
        "--org",
        ORG,
        "--manager",
        "sam.rivera@northwind.example",
        "--team",
        "Payments",
        # Mail going nowhere: whatever shows is the command's own output.
        LEADSHIFT_EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend",
    )
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith("Invitation to join Northwind Labs")
    assert "/invite/" not in r.stdout + r.stderr
    r = run(data_dir, "people", "invite", "maya.okafor@northwind.example", "--org", ORG)
    assert r.returncode == 2 and "already has an account" in r.stderr


def test_deactivate_keeps_the_person_listed_as_inactive(data_dir, snapshot):
    r = run(data_dir, "people", "deactivate", "sam.rivera@northwind.example")
    assert r.returncode == 0, r.stderr
    assert "Sam Rivera (sam.rivera@northwind.example) is deactivated" in r.stdout
    assert people(data_dir)["sam.rivera@northwind.example"]["active"] is False
    r = run(data_dir, "people", "deactivate", "nobody@northwind.example")
    assert r.returncode == 2 and "no person 'nobody@northwind.example'" in r.stderr
