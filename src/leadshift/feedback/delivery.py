"""How a rater's invitation reaches the rater, and only the rater.

A colleague (a person of the organisation) gets a notice without any link: the form waits
in their own LeadShift home, where a link is made for them when they open it. An outsider
gets their personal link by e-mail. Every message carries `HIDE_FROM_HEADER`, the ids of the
people who must never read it (the subject, everyone in the subject's management line and
the cycle's owner), for mail stores that admins can read, such as the outbox.
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django.urls import reverse

from leadshift.feedback.models import Cycle, Rater
from leadshift.outbox.headers import HIDE_HEADER, outbox_headers
from leadshift.people.models import Person

# The outbox keeps these messages from everyone named here and everyone above them.
HIDE_FROM_HEADER = HIDE_HEADER


def management_line(subject: Person) -> list[Person]:
    """The subject's manager, their manager, and so on up (a loop stops the walk)."""
    line: list[Person] = []
    seen = {subject.id}
    node = subject.manager
    while node is not None and node.id not in seen:
        line.append(node)
        seen.add(node.id)
        node = node.manager
    return line


def subject_side(cycle: Cycle) -> set[int]:
    """Ids of the people who could put a rater's answers to use against their anonymity."""
    ids = {cycle.subject_id, *(p.id for p in management_line(cycle.subject))}
    if cycle.opened_by_id is not None:
        ids.add(cycle.opened_by_id)
    return ids


def site(base_url: str | None) -> str:
    return (base_url or settings.SITE_URL).rstrip("/")


def _mail(cycle: Cycle, rater: Rater, subject_line: str, body: str, *, reminder: bool) -> None:
    hidden = subject_side(cycle)
    if rater.person_id is not None:
        # A colleague's notice holds no link: they may read their own (as the manager may).
        hidden.discard(rater.person_id)
    EmailMessage(
        subject_line,
        body,
        None,
        [rater.email],
        headers=outbox_headers(
            organisation_id=cycle.subject.organisation_id,
            hide_from=hidden,
            kind="feedback-reminder" if reminder else "feedback-invitation",
        ),
    ).send()


def send_invitation(
    cycle: Cycle, rater: Rater, url: str | None, *, reminder: bool, base_url: str | None = None
) -> None:
    """The invitation (or reminder) for one rater: their link if an outsider, else a notice."""
    subject = cycle.subject
    first = "A reminder: " if reminder else ""
    if rater.person_id is not None:
        where = (
            "Sign in to LeadShift: the form waits under “Feedback asked of you” on your home "
            f"page ({site(base_url)}{reverse('feedback_asked')})."
        )
    else:
        where = f"Your personal link (no account needed; it works only for you):\n{url}"
    body = (
        f"Hello {rater.name},\n\n"
        f"{first}{subject.name} asked for your feedback on how they work as a product leader: "
        f"seven short questions, each with a few described levels to choose from, "
        f"“can't say”, and room for a comment.\n\n"
        f"{where}\n\n"
        f"You can save and come back until {cycle.closes_at:%d %B %Y}. {subject.name} will see "
        f"only aggregates of at least {subject.organisation.anonymity_threshold} people per "
        f"group (a manager's answers are shown as the manager's), and comments without names. "
        f"No one but you ever receives this link.\n"
    )
    _mail(
        cycle,
        rater,
        f"Reminder: feedback for {subject.name}"
        if reminder
        else f"{subject.name} asks for your feedback",
        body,
        reminder=reminder,
    )
