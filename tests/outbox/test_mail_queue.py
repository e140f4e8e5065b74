"""With a mail server set up, a page's message is queued and the task worker sends it; a
failing server is tried again with a growing wait, and the final failure is kept with its
reason for the operator."""

from __future__ import annotations

import socket
import subprocess

import pytest
from django.core.mail import EmailMessage
from django_tasks_db.models import DBTaskResult

from leadshift.outbox.headers import outbox_headers
from leadshift.outbox.models import Message, Outgoing
from leadshift.scale.leases import reap
from leadshift.scale.worker import worker_in_thread
from tests.scale.background import finished, killed_mid_task, wait_for
from tests.scale.test_worker import LEADSHIFT, shared_database_url, user_env

pytestmark = pytest.mark.django_db(transaction=True)
QUEUED = "leadshift.outbox.backend.QueuedSmtpBackend"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def mail_server(settings):
    """A real SMTP server on this machine, and the settings that send to it."""
    controller_module = pytest.importorskip("aiosmtpd.controller")
    received: list[str] = []

    class Handler:
        async def handle_DATA(self, server, session, envelope):
            received.append(envelope.content.decode())
            return "250 OK"

    port = free_port()
    controller = controller_module.Controller(Handler(), hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = QUEUED
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    yield received
    controller.stop()


def invitation(team, to="new@acme.example") -> EmailMessage:
    return EmailMessage(
        "You are invited",
        "Join us: http://testserver/invite/x",
        "leadshift@acme.example",
        [to],
        headers=outbox_headers(organisation_id=team["org"].id, kind="invitation"),
    )


def test_a_message_is_queued_and_the_worker_sends_it_without_leadshifts_own_headers(
    team, mail_server
):
    assert invitation(team).send() == 1
    queued = Outgoing.objects.get()
    assert queued.status == "queued" and mail_server == [], "nothing sent in the request"
    assert (queued.organisation, queued.kind) == (team["org"], "invitation")

    with worker_in_thread():
        sent = wait_for(lambda: finished(Outgoing, queued.pk))
    assert sent.status == "done" and sent.sends == 1 and sent.error == ""
    assert bytes(sent.raw) == b"", "the body is not kept once sent"
    assert len(mail_server) == 1
    assert "Subject: You are invited" in mail_server[0] and "X-LeadShift" not in mail_server[0]
    assert not Message.objects.exists(), "not kept in the outbox"


def test_a_failing_mail_server_is_tried_again_with_a_growing_wait_then_the_failure_is_kept(
    team, settings, tmp_path
):
    settings.EMAIL_BACKEND = QUEUED
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()  # nobody listens
    settings.LEADSHIFT_EMAIL_TRIES = 3
    settings.LEADSHIFT_EMAIL_BACKOFF = 0.3
    invitation(team, to="lost@acme.example").send()
    queued = Outgoing.objects.get()

    with worker_in_thread():
        failed = wait_for(lambda: finished(Outgoing, queued.pk))
    assert failed.status == "failed" and failed.sends == 3
    assert failed.error.startswith("not sent after 3 tries; the last said ConnectionRefusedError")
    tries = list(DBTaskResult.objects.order_by("enqueued_at"))
    assert len(tries) == 3
    waits = [(t.run_after - t.enqueued_at).total_seconds() for t in tries[1:]]
    assert waits == pytest.approx([0.3, 0.6], abs=0.05)  # the base, then twice the base

    # The operator sees it from a shell (the installed command, as a user runs it).
    out = subprocess.run(
        [LEADSHIFT, "outbox", "queue", "--failed"],
        env=user_env(tmp_path, DATABASE_URL=shared_database_url()),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 0, out.stderr
    assert "lost@acme.example" in out.stdout and "failed" in out.stdout
    assert "not sent after 3 tries" in out.stdout


def test_a_message_whose_worker_was_killed_is_sent_by_the_next_worker(team, mail_server):
    invitation(team).send()
    queued = Outgoing.objects.get()
    killed_mid_task(Outgoing, queued.pk)
    assert reap()["requeued"] == 1
    with worker_in_thread():
        sent = wait_for(lambda: finished(Outgoing, queued.pk))
    assert sent.status == "done" and sent.attempts == 2 and len(mail_server) == 1


def test_without_a_mail_server_a_message_goes_straight_to_the_outbox(team):
    invitation(team).send()
    assert Message.objects.get().subject == "You are invited"
    assert not Outgoing.objects.exists() and not DBTaskResult.objects.exists()


def test_the_outbox_queue_command_says_when_nothing_waits(tmp_path):
    out = subprocess.run(
        [LEADSHIFT, "outbox", "queue"],
        env=user_env(tmp_path, DATABASE_URL=shared_database_url()),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "No mail has been queued for a mail server."
