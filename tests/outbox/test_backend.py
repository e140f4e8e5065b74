"""With no mail server set up, every message LeadShift would send is kept in the outbox."""

from __future__ import annotations

import os
import socket
import subprocess
import sys

import pytest
from django.core.mail import EmailMessage, EmailMultiAlternatives, get_connection

from leadshift.outbox.headers import HIDE_HEADER, outbox_headers
from leadshift.outbox.models import Message

pytestmark = pytest.mark.django_db


def test_the_backend_keeps_a_message_with_its_recipients_text_and_html(team):
    email = EmailMultiAlternatives(
        "Welcome to Acme",
        "Join us at http://testserver/join/abc",
        "leadshift@acme.example",
        ["pia@acme.example"],
        cc=["gus@acme.example"],
        headers={"X-LeadShift-Kind": "invitation"},
    )
    email.attach_alternative(
        '<p>Join us <a href="http://testserver/join/abc">here</a></p>', "text/html"
    )
    assert email.send() == 1
    m = Message.objects.get()
    assert m.recipients == ["pia@acme.example", "gus@acme.example"]
    assert m.subject == "Welcome to Acme" and m.kind == "invitation"
    assert m.body_text == "Join us at http://testserver/join/abc"
    assert 'href="http://testserver/join/abc"' in m.body_html
    assert m.organisation == team["org"]


def test_a_message_to_people_of_no_organisation_is_kept_unplaced(team):
    EmailMessage("Hello", "Hi", None, ["someone@elsewhere.example"]).send()
    assert Message.objects.get().organisation is None


def test_the_org_header_places_a_message_to_outsiders_and_is_not_kept(team, make_org):
    other = make_org("Globex")
    EmailMessage(
        "Hello",
        "Hi",
        None,
        ["pia@acme.example"],
        headers=outbox_headers(organisation_id=other.organisation_id),
    ).send()
    assert Message.objects.get().organisation == other.organisation


def test_the_hide_from_header_is_stored_as_people(team):
    EmailMessage(
        "Your link",
        "http://testserver/r/fb_x",
        None,
        ["peer@outside.example"],
        headers=outbox_headers(
            organisation_id=team["org"].id, hide_from=[team["pm"].id], kind="feedback-invitation"
        ),
    ).send()
    m = Message.objects.get()
    assert list(m.hidden_from.all()) == [team["pm"]]


def test_a_malformed_hide_from_header_keeps_nothing_of_the_batch(team):
    good = EmailMessage("One", "1", None, ["pia@acme.example"])
    bad = EmailMessage("Two", "2", None, ["pia@acme.example"], headers={HIDE_HEADER: "pia"})
    with get_connection() as connection, pytest.raises(ValueError, match="not a person id"):
        connection.send_messages([good, bad])
    assert not Message.objects.exists()


def test_a_hide_from_header_naming_nobody_we_know_is_refused(team):
    email = EmailMessage(
        "Your link",
        "http://testserver/r/fb_x",
        None,
        ["x@outside.example"],
        headers={HIDE_HEADER: "999999"},
    )
    with pytest.raises(ValueError, match="no person 999999"):
        email.send()
    assert not Message.objects.exists()


def test_the_smtp_backend_sends_without_the_outbox_headers(team, settings):
    aiosmtpd = pytest.importorskip("aiosmtpd.controller")
    received = []

    class Handler:
        async def handle_DATA(self, server, session, envelope):
            received.append(envelope.content.decode())
            return "250 OK"

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    controller = aiosmtpd.Controller(Handler(), hostname="127.0.0.1", port=port)
    controller.start()
    try:
        connection = get_connection(
            "leadshift.outbox.backend.SmtpBackend", host="127.0.0.1", port=port
        )
        EmailMessage(
            "Your link",
            "http://testserver/r/fb_x",
            "leadshift@acme.example",
            ["peer@outside.example"],
            headers={**outbox_headers(hide_from=[team["pm"].id]), "X-Other": "kept"},
            connection=connection,
        ).send()
    finally:
        controller.stop()
    assert len(received) == 1
    assert "X-Other: kept" in received[0] and "X-LeadShift" not in received[0]
    assert not Message.objects.exists()


def _backend_with(env: dict[str, str]) -> str:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("LEADSHIFT_EMAIL")}
    out = subprocess.run(
        [
            sys.executable,
            "-c",
            "from django.conf import settings; print(settings.EMAIL_BACKEND)",
        ],
        env={**clean, "DJANGO_SETTINGS_MODULE": "leadshift.settings", **env},
        capture_output=True,
        text=True,
        check=True,
    )
    return out.stdout.strip()


def test_without_a_mail_server_mail_goes_to_the_outbox_and_with_one_by_smtp():
    assert _backend_with({}) == "leadshift.outbox.backend.OutboxBackend"
    assert _backend_with({"LEADSHIFT_EMAIL_HOST": "smtp.example"}) == (
        "leadshift.outbox.backend.QueuedSmtpBackend"
    )
