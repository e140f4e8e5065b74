"""`leadshift outbox list|show`, run as a user runs them: the installed command in a shell
with a fresh data folder and no Django settings in the environment."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.user_shell import copy_data, user_env

LEADSHIFT = Path(sys.executable).with_name("leadshift")

# Sends what a page would send, through Django's default backend: with no mail server named,
# that is the outbox.
SEND = """
import django
django.setup()
from django.core.mail import EmailMessage
from leadshift.outbox.headers import outbox_headers
from leadshift.people.services import do_create_organisation
ada = do_create_organisation(name="Acme", admin_name="Ada Admin", admin_email="ada@acme.example",
                             password="s3cret-pass!")
org = ada.organisation
EmailMessage("Join Acme on LeadShift", "Your link: http://localhost:8000/join/abc", None,
             ["ada@acme.example"]).send()
EmailMessage("Pia asks for your feedback", "http://localhost:8000/r/fb_xyz", None,
             ["peer@outside.example"],
             headers=outbox_headers(organisation_id=org.id, hide_from=[ada.id],
                                    kind="feedback-invitation")).send()
EmailMessage("Lost", "to nobody we know", None, ["who@nowhere.example"]).send()
"""


def leadshift(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(LEADSHIFT), *args], env=env, capture_output=True, text=True, timeout=120
    )


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory, migrated_data: Path) -> dict[str, str]:
    env = user_env(copy_data(migrated_data, tmp_path_factory.mktemp("outbox") / "data"))
    subprocess.run(
        [sys.executable, "-c", SEND],
        env={**env, "DJANGO_SETTINGS_MODULE": "leadshift.settings"},
        check=True,
        timeout=120,
    )
    return env


def test_outbox_list_shows_an_organisations_messages_newest_first(env):
    r = leadshift(env, "outbox", "list", "--org", "acme")
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert len(lines) == 2
    assert "Pia asks for your feedback" in lines[0] and "Join Acme on LeadShift" in lines[1]
    everything = leadshift(env, "outbox", "list", "--json")
    assert {m["subject"] for m in json.loads(everything.stdout)} >= {"Lost"}


def test_outbox_list_json_names_recipients_and_who_may_not_read(env):
    rows = json.loads(leadshift(env, "outbox", "list", "--org", "acme", "--json").stdout)
    assert rows[0]["to"] == ["peer@outside.example"] and len(rows[0]["hidden_from"]) == 1
    assert rows[0]["kind"] == "feedback-invitation" and rows[1]["organisation"] == "acme"
    only = json.loads(
        leadshift(env, "outbox", "list", "--org", "acme", "--to", "ada@", "--json").stdout
    )
    assert [m["subject"] for m in only] == ["Join Acme on LeadShift"]


def test_outbox_show_prints_the_message_with_its_link(env):
    rows = json.loads(leadshift(env, "outbox", "list", "--org", "acme", "--json").stdout)
    r = leadshift(env, "outbox", "show", str(rows[1]["id"]))
    assert r.returncode == 0, r.stderr
    assert "Subject: Join Acme on LeadShift" in r.stdout
    assert "To: ada@acme.example" in r.stdout
    assert "http://localhost:8000/join/abc" in r.stdout


def test_an_unknown_message_or_organisation_fails_cleanly(env):
    r = leadshift(env, "outbox", "show", "999")
    assert r.returncode == 2 and "no message 999 in the outbox" in r.stderr
    r = leadshift(env, "outbox", "list", "--org", "nope")
    assert r.returncode == 2 and "no organisation 'nope'" in r.stderr
