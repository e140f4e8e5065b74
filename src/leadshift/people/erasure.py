"""Erasure on request: a person's personal data goes, everyone else's records stay whole.

The person's row stays, renamed "Erased person", so that decisions they took part in, plans
and 360 cycles keep their shape; what identifies or describes them is removed: name, e-mail,
title, their sign-in, API tokens, time-use totals, the evidence they wrote in
self-assessments, their check-in notes and mentor requests, their name and notes on others' stakeholder maps, and
their name and address on the 360 invitations they received (the answers they gave stay, in
the anonymous aggregates they were always shown in)."""

from __future__ import annotations

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.db import transaction

from leadshift.assessments.models import CapabilityRating
from leadshift.core.errors import Invalid, NotAllowed
from leadshift.feedback.models import Rater
from leadshift.growth.models import CheckIn
from leadshift.people.models import Person
from leadshift.stakeholders.models import Stakeholder
from leadshift.timeuse.models import CalendarImport, TimeUseRules, WeekUse

ERASED_NAME = "Erased person"
ERASED_DOMAIN = "erased.invalid"


def is_erased(person: Person) -> bool:
    return person.email.endswith(f"@{ERASED_DOMAIN}")


def check_can_erase(person: Person, actor: Person) -> None:
    if not actor.is_admin or actor.organisation_id != person.organisation_id:
        raise NotAllowed("only an admin of the person's organisation may erase them")
    if person.pk == actor.pk:
        raise Invalid("you cannot erase yourself; ask another admin of your organisation")
    if is_erased(person):
        raise Invalid("this person has been erased already")


@transaction.atomic
def do_erase_person(person: Person, actor: Person) -> dict[str, int]:
    """Erase `person`'s personal data; returns how many records of each kind were touched."""
    check_can_erase(person, actor)
    email = person.email
    done: dict[str, int] = {}
    done["api_tokens"] = person.api_tokens.all().delete()[0]
    done["time_use_weeks"] = WeekUse.objects.filter(person=person).delete()[0]
    CalendarImport.objects.filter(person=person).delete()
    TimeUseRules.objects.filter(person=person).delete()
    done["assessment_evidence"] = (
        CapabilityRating.objects.filter(assessment__person=person)
        .exclude(evidence="")
        .update(evidence="")
    )
    done["checkin_notes"] = (
        CheckIn.objects.filter(plan__person=person).exclude(note="").update(note="")
    )
    done["stakeholder_entries"] = Stakeholder.objects.filter(person=person).update(
        name=ERASED_NAME, role="", cares_about=""
    )
    done["mentor_request_notes"] = person.mentor_requests.exclude(note="").update(note="")
    invitations = Rater.objects.filter(
        cycle__subject__organisation_id=person.organisation_id, email__iexact=email
    )
    done["feedback_invitations"] = 0
    for rater in invitations:
        rater.name, rater.email = ERASED_NAME, f"rater-{rater.pk}@{ERASED_DOMAIN}"
        rater.save(update_fields=["name", "email"])
        done["feedback_invitations"] += 1
    # Sign-in attempts are logged by address and the e-mail typed.
    for log in (AccessAttempt, AccessLog, AccessFailureLog):
        log.objects.filter(username__iexact=email).delete()
    user = person.user
    person.user = None
    person.name = ERASED_NAME
    person.email = f"person-{person.pk}@{ERASED_DOMAIN}"
    person.title = ""
    person.target_role = ""
    person.is_admin = False
    person.save()
    if user is not None:
        user.delete()  # their sign-in and sessions end here
    done["account"] = 1 if user is not None else 0
    return done
