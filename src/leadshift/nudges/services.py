from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone

from leadshift.nudges.digest import Digest
from leadshift.nudges.gather import digest_for, feedback_subjects
from leadshift.nudges.models import DigestSetting
from leadshift.outbox.headers import outbox_headers
from leadshift.people.models import Organisation, Person

# A weekly digest: a second run within the week (cron retried, run by hand) sends nothing new.
RESEND_AFTER = dt.timedelta(days=6)


def setting_of(person: Person) -> DigestSetting:
    return DigestSetting.objects.filter(person=person).first() or DigestSetting(person=person)


@transaction.atomic
def do_set_digest(person: Person, *, weekly: bool) -> DigestSetting:
    setting, _ = DigestSetting.objects.get_or_create(person=person)
    setting.weekly_digest = weekly
    setting.save(update_fields=["weekly_digest"])
    return setting


@dataclass
class DigestRun:
    sent: list[tuple[Person, Digest]] = field(default_factory=list)
    empty: int = 0
    turned_off: int = 0
    already_sent: int = 0


@transaction.atomic
def do_send_digest(person: Person, digest: Digest, today: dt.date) -> None:
    """Send one digest and remember the day; a failing send keeps no mark."""
    setting, _ = DigestSetting.objects.select_for_update().get_or_create(person=person)
    EmailMessage(
        digest.subject(),
        digest.text(),
        None,
        [person.email],
        headers=outbox_headers(
            organisation_id=person.organisation_id,
            hide_from=feedback_subjects(person),
            kind="weekly-digest",
        ),
    ).send()
    setting.last_sent_on = today
    setting.save(update_fields=["last_sent_on"])


def send_digests(
    organisation: Organisation | None = None,
    *,
    today: dt.date | None = None,
    dry_run: bool = False,
) -> DigestRun:
    """Everyone's weekly digest (of one organisation, or all): not to those who turned it off,
    not an empty one, not twice in a week. A dry run builds them and sends nothing."""
    today = today or timezone.localdate()
    people = (
        Person.objects.active()
        .select_related("organisation")
        .order_by("organisation_id", "name", "id")
    )
    if organisation is not None:
        people = people.filter(organisation=organisation)
    settings = {s.person_id: s for s in DigestSetting.objects.filter(person__in=people)}
    run = DigestRun()
    for person in people:
        setting = settings.get(person.id)
        if setting is not None and not setting.weekly_digest:
            run.turned_off += 1
            continue
        if (
            setting is not None
            and setting.last_sent_on
            and today - setting.last_sent_on < RESEND_AFTER
        ):
            run.already_sent += 1
            continue
        digest = digest_for(person, today)
        if digest.is_empty:
            run.empty += 1
            continue
        if not dry_run:
            do_send_digest(person, digest, today)
        run.sent.append((person, digest))
    return run
