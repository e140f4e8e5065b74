"""A pulse link reaches its respondent alone.

Each message carries the outbox's hide header naming the respondent, so nobody above them
(their leader who sent the pulse included) can read it among kept mail; the 360's helpers
place the link on the site.
"""

from __future__ import annotations

from django.core.mail import EmailMessage
from django.urls import reverse

from leadshift.feedback.delivery import site
from leadshift.outbox.headers import outbox_headers
from leadshift.pulse.items import ITEMS
from leadshift.pulse.models import Pulse, Respondent


def answer_path(token: str) -> str:
    return reverse("pulse_answer", args=[token])


def send_link(pulse: Pulse, respondent: Respondent, token: str, *, base_url: str | None) -> None:
    leader = pulse.leader
    url = site(base_url) + answer_path(token)
    t = max(3, leader.organisation.anonymity_threshold)
    body = (
        f"Hello,\n\n"
        f"{leader.name} asks how working in the product organisation feels: {len(ITEMS)} short "
        f"statements to agree or disagree with, and room for a comment. It takes two minutes.\n\n"
        f"Your personal link (it works only for you; no one else ever receives it):\n{url}\n\n"
        f"Answer by {pulse.closes_at:%d %B %Y}. Your answers are kept without your name. "
        f"{leader.name} sees averages only, of at least {t} people, and comments without "
        f"names in a random order.\n"
    )
    hidden = {respondent.person_id} if respondent.person_id is not None else {leader.id}
    EmailMessage(
        f"{leader.name} asks: how is it to work here?",
        body,
        None,
        [respondent.email],
        headers=outbox_headers(
            organisation_id=leader.organisation_id, hide_from=hidden, kind="pulse-invitation"
        ),
    ).send()
