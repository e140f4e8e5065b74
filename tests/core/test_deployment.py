"""Production mode is secure by default: what `check --deploy` says, a server that will not
start without a secret key, owner-only files, and the Content-Security-Policy header."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

BIN = Path(sys.executable).parent
KEY = "k" * 60


def user_env(data: Path, **extra: str) -> dict[str, str]:
    """What a user's shell has: no DJANGO_SETTINGS_MODULE, no PYTHONPATH, a fresh data folder."""
    env = {"PATH": os.environ["PATH"], "HOME": str(data.parent), "LEADSHIFT_DATA_DIR": str(data)}
    env.update(extra)
    return env


def check_deploy(data: Path, **extra: str) -> str:
    out = subprocess.run(
        [BIN / "python", "-m", "django", "check", "--deploy"],
        env=user_env(data, DJANGO_SETTINGS_MODULE="leadshift.settings", **extra),
        capture_output=True,
        text=True,
    )
    return out.stdout + out.stderr


def test_check_deploy_in_production_mode_has_no_https_or_cookie_warnings(tmp_path):
    said = check_deploy(tmp_path / "data", LEADSHIFT_DEBUG="0", LEADSHIFT_SECRET_KEY=KEY)
    for warning in ("W004", "W008", "W012", "W016", "W005"):
        assert warning not in said, said


def test_a_local_plain_http_run_can_turn_the_https_settings_off(tmp_path):
    said = check_deploy(tmp_path / "data", LEADSHIFT_LOCAL="1", LEADSHIFT_SECRET_KEY=KEY)
    for warning in ("W004", "W008", "W012", "W016"):
        assert warning in said, said


def test_the_server_refuses_to_start_in_production_mode_without_a_secret_key(tmp_path):
    data = tmp_path / "data"
    out = subprocess.run(
        [BIN / "leadshift", "serve", "--no-demo", "--port", "0"],
        env=user_env(data),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 2
    assert "LEADSHIFT_SECRET_KEY" in out.stderr and "LEADSHIFT_LOCAL=1" in out.stderr
    assert not (data / "secret-key").exists()


def test_the_wsgi_application_refuses_too(tmp_path):
    out = subprocess.run(
        [BIN / "python", "-c", "import leadshift.wsgi"],
        env=user_env(tmp_path / "data"),
        capture_output=True,
        text=True,
    )
    assert out.returncode != 0 and "LEADSHIFT_SECRET_KEY" in out.stderr


def test_the_database_and_data_folder_are_owner_only_and_the_local_key_too(tmp_path):
    data = tmp_path / "data"
    out = subprocess.run(
        [BIN / "leadshift", "migrate"],
        env=user_env(data, LEADSHIFT_LOCAL="1"),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert out.returncode == 0, out.stderr
    assert stat.S_IMODE(data.stat().st_mode) == 0o700
    for name in ("leadshift.sqlite3", "secret-key"):
        assert stat.S_IMODE((data / name).stat().st_mode) == 0o600, name
    # The documented way to lift sign-in lockouts runs against that database.
    reset = subprocess.run(
        [BIN / "python", "-m", "django", "axes_reset"],
        env=user_env(data, LEADSHIFT_LOCAL="1", DJANGO_SETTINGS_MODULE="leadshift.settings"),
        capture_output=True,
        text=True,
    )
    assert reset.returncode == 0, reset.stderr


@pytest.mark.django_db
def test_pages_carry_the_content_security_policy(client):
    policy = client.get("/login/")["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "script-src 'self'" in policy
    assert "unsafe-inline" not in policy


def test_no_template_carries_inline_script_or_style():
    root = Path(__file__).resolve().parents[2] / "src" / "leadshift"
    templates = list(root.glob("**/templates/**/*.html"))
    assert len(templates) > 50
    for path in templates:
        text = path.read_text()
        for needle in (" style=", "<style", " onclick=", " onsubmit=", " onchange=", "<script>"):
            assert needle not in text, f"{path}: {needle.strip()}"
