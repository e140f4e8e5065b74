"""360 feedback: every write is a named `do_…` function that checks who is acting.

Anonymity is kept here and in `anonymity.py`: no function returns an individual non-manager
rater's answers to anyone but that rater, results exist only after release and never change,
and log lines and error messages name cycles and rater numbers, never raters. A rater's link
is made for the rater alone (`delivery.py`): no function that the cycle's owner or the
subject's line calls returns one.
"""

from __future__ import annotations

import datetime as dt
import logging
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from leadshift.assessments.models import Assessment
from leadshift.assessments.scoring import Rating, ScoringResult
from leadshift.assessments.scoring import score as run_score
from leadshift.assessments.standing import do_store_standings
from leadshift.behaviours.checklist import level_from_ticks, unknown_ticks
from leadshift.core.closing import closing_time
from leadshift.core.dates import day
from leadshift.core.errors import Invalid, NotAllowed, NotFound
from leadshift.core.tokens import hash_secret, new_token
from leadshift.feedback import delivery
from leadshift.feedback.anonymity import (
    GROUP_LABELS,
    MIN_THRESHOLD,
    Aggregate,
    CapabilitySpec,
    Submission,
    aggregate,
)
from leadshift.feedback.models import Cycle, Rater, RaterAnswer, Relationship, Result
from leadshift.frameworks.schema import Framework
from leadshift.frameworks.services import framework_for
from leadshift.people.models import Organisation, Person

log = logging.getLogger("leadshift.feedback")

TOKEN_PREFIX = "fb_"
MAX_DAYS_OPEN = 120
BAD_LINK = (
    "This feedback link is not valid. Check that you copied all of it, or ask the person who "
    "invited you for a new one."
)
EXPIRED_LINK = "This feedback link has expired: the feedback round it belongs to has closed."


_hash = hash_secret


def _new_token() -> tuple[str, str]:
    return new_token(TOKEN_PREFIX)


def rater_key(email: str) -> str:
    """An opaque key for a rater across cycles (differencing checks, rater severity)."""
    return _hash("rater:" + email.strip().lower())


def person_key(person_id: int) -> str:
    return f"person:{person_id}"


def rating_path(token: str) -> str:
    return reverse("feedback_rate", args=[token])


@dataclass(frozen=True)
class RaterIn:
    name: str
    email: str
    relationship: str


@dataclass(frozen=True)
class OpenedForm:
    """A fresh link for the signed-in rater, never for anyone else."""

    rater: Rater
    token: str


@dataclass(frozen=True)
class AnswerIn:
    level: int | None
    """None: can't say."""
    comment: str = ""
    behaviours: tuple[str, ...] = ()
    """The behaviours ticked; when any are, the level follows from the checklist rule."""


# --- access ---------------------------------------------------------------------------


def visible_cycles(viewer: Person) -> QuerySet[Cycle]:
    return (
        Cycle.objects.filter(subject__in=Person.objects.visible_to(viewer))
        .select_related("subject", "framework", "subject__organisation")
        .order_by("-opened_at", "-id")
    )


def visible_cycle(viewer: Person, cycle_id: int) -> Cycle:
    cycle = visible_cycles(viewer).filter(pk=cycle_id).first()
    if cycle is None:
        raise NotFound("no such feedback cycle")
    return cycle


def _check_manager(cycle_or_subject: Cycle | Person, actor: Person) -> Person:
    subject = cycle_or_subject.subject if isinstance(cycle_or_subject, Cycle) else cycle_or_subject
    if not actor.can_view(subject):
        raise NotFound("no such person")
    return subject


# --- opening, reminding, extending ---------------------------------------------------


_closing = closing_time


def _clean_raters(
    subject: Person,
    owners: Sequence[Person | None],
    raters: Sequence[RaterIn],
    *,
    invited: Sequence[Rater] = (),
) -> list[RaterIn]:
    clean: list[RaterIn] = []
    seen: set[str] = {r.email.lower() for r in invited}
    # Whose answers the subject's side knows: as an anonymous rater, theirs could be
    # subtracted from a group's mean. They may answer only as the (named) manager.
    side = {
        p.email.lower(): p for p in [*delivery.management_line(subject), *owners] if p is not None
    }
    for i, r in enumerate(raters, start=1):
        name, email = r.name.strip(), r.email.strip().lower()
        if not name and not email:
            continue
        where = f"rater {i}"
        if not name:
            raise Invalid(f"{where}: give the rater's name", field=f"raters.{i}.name")
        try:
            validate_email(email)
        except ValidationError:
            raise Invalid(
                f"{where}: {email or 'the e-mail'} is not an e-mail address",
                field=f"raters.{i}.email",
            ) from None
        if r.relationship not in Relationship.values:
            raise Invalid(
                f"{where}: choose manager, peer, direct report or stakeholder",
                field=f"raters.{i}.relationship",
            )
        if email == subject.email.lower():
            raise Invalid(
                f"{where}: {subject.name}'s own view comes from their self-assessment; "
                "invite other people",
                field=f"raters.{i}.email",
            )
        if email in seen:
            raise Invalid(f"{where}: {email} is invited twice", field=f"raters.{i}.email")
        if email in side and r.relationship != Relationship.MANAGER:
            raise Invalid(
                f"{where}: {side[email].name} is in {subject.name}'s management line or opens "
                "this cycle, so their answers cannot stay anonymous in a group; invite them "
                "as the manager or not at all",
                field=f"raters.{i}.relationship",
            )
        seen.add(email)
        clean.append(RaterIn(name, email, r.relationship))
    if not clean:
        raise Invalid("invite at least one rater", field="raters")
    relationships = [r.relationship for r in clean] + [r.relationship for r in invited]
    if relationships.count(Relationship.MANAGER) > 1:
        raise Invalid(
            "invite one manager; other leaders can answer as stakeholders", field="raters"
        )
    return clean


@transaction.atomic
def do_open_cycle(
    subject: Person,
    actor: Person,
    *,
    closes_on: dt.date | dt.datetime,
    raters: Sequence[RaterIn],
    now: dt.datetime | None = None,
    base_url: str | None = None,
    notify: bool = True,
) -> Cycle:
    """Open a cycle and invite its raters. Each link goes to its rater only (`delivery`);
    only its hash is kept, and nothing is returned to the caller."""
    _check_manager(subject, actor)
    now = now or timezone.now()
    closes_at = _closing(closes_on)
    if closes_at <= now:
        raise Invalid("the closing date must be in the future", field="closes_on")
    if closes_at > now + dt.timedelta(days=MAX_DAYS_OPEN):
        raise Invalid(
            f"a cycle stays open at most {MAX_DAYS_OPEN} days; choose an earlier date",
            field="closes_on",
        )
    clean = _clean_raters(subject, [actor], raters)
    if Cycle.objects.filter(subject=subject, status=Cycle.Status.OPEN).exists():
        raise Invalid(
            f"{subject.name} already has an open feedback cycle; close it before opening another"
        )
    latest = (
        subject.assessments.filter(status=Assessment.Status.COMPLETE)
        .select_related("framework")
        .order_by("-completed_at")
        .first()
    )
    cycle = Cycle.objects.create(
        subject=subject,
        opened_by=actor,
        framework=latest.framework if latest else framework_for(subject.organisation),
        assessment=latest,
        opened_at=now,
        closes_at=closes_at,
    )
    _invite(cycle, clean, now, base_url=base_url, notify=notify)
    log.info("feedback cycle %s opened with %d raters", cycle.pk, len(clean))
    return cycle


def _colleagues(cycle: Cycle, emails: Sequence[str]) -> dict[str, Person]:
    org = cycle.subject.organisation_id
    q = Q()
    for e in emails:
        q |= Q(email__iexact=e)
    found = Person.objects.filter(q, organisation_id=org) if emails else Person.objects.none()
    return {p.email.lower(): p for p in found}


def _invite(
    cycle: Cycle,
    clean: Sequence[RaterIn],
    now: dt.datetime,
    *,
    base_url: str | None,
    notify: bool,
) -> list[Rater]:
    colleagues = _colleagues(cycle, [r.email for r in clean])
    tokens = [_new_token() for _ in clean]
    created = Rater.objects.bulk_create(
        Rater(
            cycle=cycle,
            name=r.name,
            email=r.email,
            relationship=r.relationship,
            person=colleagues.get(r.email),
            token_hash=hashed,
            invited_at=now,
        )
        for r, (_, hashed) in zip(clean, tokens, strict=True)
    )
    if notify:
        # Sent last, once every row is written: a refused cycle sends nothing.
        for rater, (raw, _) in zip(created, tokens, strict=True):
            url = delivery.site(base_url) + rating_path(raw)
            delivery.send_invitation(cycle, rater, url, reminder=False, base_url=base_url)
    return created


def _rotate(rater: Rater, now: dt.datetime, base_url: str | None, *, reminder: bool) -> None:
    """A fresh link to the rater alone; the old one stops."""
    raw, hashed = _new_token()
    rater.token_hash = hashed
    rater.claim_hash = ""
    rater.reminded_at = now
    rater.save(update_fields=["token_hash", "claim_hash", "reminded_at"])
    url = delivery.site(base_url) + rating_path(raw)
    delivery.send_invitation(rater.cycle, rater, url, reminder=reminder, base_url=base_url)


@transaction.atomic
def do_add_raters(
    cycle: Cycle,
    actor: Person,
    raters: Sequence[RaterIn],
    *,
    now: dt.datetime | None = None,
    base_url: str | None = None,
) -> int:
    """Invite more raters to an open cycle, under the rules of opening it."""
    subject = _check_manager(cycle, actor)
    now = now or timezone.now()
    _check_open(cycle, now)
    clean = _clean_raters(
        subject, [actor, cycle.opened_by], raters, invited=list(cycle.raters.all())
    )
    _invite(cycle, clean, now, base_url=base_url, notify=True)
    log.info("feedback cycle %s: %d raters added", cycle.pk, len(clean))
    return len(clean)


@transaction.atomic
def do_resend_invitation(
    cycle: Cycle,
    actor: Person,
    email: str,
    *,
    now: dt.datetime | None = None,
    base_url: str | None = None,
) -> None:
    """A fresh invitation to one rater (the old link stops). The owner never sees the link,
    and the answer is the same whether or not the rater has answered."""
    _check_manager(cycle, actor)
    now = now or timezone.now()
    _check_open(cycle, now)
    rater = cycle.raters.filter(email__iexact=email.strip()).first()
    if rater is None:
        raise Invalid(f"{email.strip() or 'that address'} is not invited to this cycle")
    _rotate(rater, now, base_url, reminder=True)
    log.info("feedback cycle %s: invitation resent to rater #%s", cycle.pk, rater.pk)


def _check_open(cycle: Cycle, now: dt.datetime) -> None:
    if not cycle.accepts_answers(now):
        raise Invalid("this feedback cycle has closed")


@transaction.atomic
def do_remind(
    cycle: Cycle, actor: Person, *, now: dt.datetime | None = None, base_url: str | None = None
) -> int:
    """E-mail a fresh link to every rater who has not answered yet; their old link stops."""
    _check_manager(cycle, actor)
    now = now or timezone.now()
    _check_open(cycle, now)
    waiting = list(cycle.raters.filter(submitted_at__isnull=True))
    for rater in waiting:
        _rotate(rater, now, base_url, reminder=True)
    log.info("feedback cycle %s: %d reminders sent", cycle.pk, len(waiting))
    return len(waiting)


@transaction.atomic
def do_extend(
    cycle: Cycle, actor: Person, closes_on: dt.date | dt.datetime, *, now: dt.datetime | None = None
) -> Cycle:
    _check_manager(cycle, actor)
    now = now or timezone.now()
    if not cycle.is_open:
        raise Invalid("this cycle's results are released; open a new cycle instead")
    closes_at = _closing(closes_on)
    if closes_at <= max(cycle.closes_at, now):
        raise Invalid(
            f"choose a date after the current close ({day(cycle.closes_at)})",
            field="closes_on",
        )
    if closes_at > cycle.opened_at + dt.timedelta(days=MAX_DAYS_OPEN):
        raise Invalid(
            f"a cycle stays open at most {MAX_DAYS_OPEN} days after it opened", field="closes_on"
        )
    cycle.closes_at = closes_at
    cycle.save(update_fields=["closes_at"])
    log.info("feedback cycle %s extended", cycle.pk)
    return cycle


def answer_counts(cycle: Cycle, *, now: dt.datetime | None = None) -> list[dict[str, Any]]:
    """Invited and answered per relationship: counts only, never who.

    A group smaller than the threshold (other than the manager) is counted with the other
    small ones as "others", as its answers would be: a count of one would name its rater.
    Below the threshold even together, how many of them answered is not told (None).
    """
    threshold = max(MIN_THRESHOLD, cycle.subject.organisation.anonymity_threshold)
    raters = list(cycle.raters.all())
    now = now or timezone.now()
    groups: dict[str, list[Rater]] = {}
    for r in raters:
        groups.setdefault(r.relationship, []).append(r)
    small: list[Rater] = [
        r
        for value, group in groups.items()
        if value != Relationship.MANAGER and len(group) < threshold
        for r in group
    ]
    rows = []
    for value, label in [*Relationship.choices, ("others", GROUP_LABELS["others"])]:
        group = small if value == "others" else groups.get(value, [])
        if value not in ("others", Relationship.MANAGER) and len(group) < threshold:
            continue
        if group:
            answered: int | None = sum(
                1 for r in group if r.submitted_at is not None and r.submitted_at <= now
            )
            if value == "others" and len(group) < threshold:
                answered = None  # too few to count without pointing at someone
            rows.append(
                {
                    "relationship": value,
                    "label": label,
                    "invited": len(group),
                    "answered": answered,
                }
            )
    return rows


# --- the rater's side ------------------------------------------------------------------


def rater_for_token(raw: str, *, now: dt.datetime | None = None) -> Rater:
    """The rater a link belongs to, or NotFound; the message never names anyone."""
    if not raw.startswith(TOKEN_PREFIX) or len(raw) > 100:
        raise NotFound(BAD_LINK)
    rater = (
        Rater.objects.select_related(
            "cycle", "cycle__subject", "cycle__framework", "cycle__subject__organisation"
        )
        .filter(token_hash=_hash(raw))
        .first()
    )
    if rater is None:
        raise NotFound(BAD_LINK)
    if (now or timezone.now()) >= rater.cycle.link_expires_at:
        raise NotFound(EXPIRED_LINK)
    return rater


def claim_matches(rater: Rater, raw_claim: str | None) -> bool:
    """Whether this browser may see the rater's saved answers (the one that saved them)."""
    if not rater.claim_hash:
        return True
    return bool(raw_claim) and secrets.compare_digest(rater.claim_hash, _hash(raw_claim or ""))


def saved_answers(rater: Rater) -> dict[str, RaterAnswer]:
    return {a.capability: a for a in rater.answers.all()}


def _from_ticks(fw: Framework, cap_id: str, a: AnswerIn) -> AnswerIn:
    """The answer with its level from the checklist rule where behaviours are ticked."""
    if not fw.has_capability(cap_id):
        raise Invalid(f"unknown capability {cap_id!r}", field=cap_id)
    if not a.behaviours:
        return a
    ticks = tuple(dict.fromkeys(a.behaviours))
    unknown = unknown_ticks(fw, cap_id, ticks)
    if unknown:
        raise Invalid(
            f"{', '.join(repr(k) for k in unknown)} "
            f"{'is' if len(unknown) == 1 else 'are'} not a behaviour of "
            f"{fw.capability(cap_id).name} in {fw.label}",
            field=cap_id,
        )
    return AnswerIn(level_from_ticks(fw.capability(cap_id), ticks).level, a.comment, ticks)


@transaction.atomic
def do_save_answers(
    rater: Rater,
    answers: Mapping[str, AnswerIn],
    *,
    submit: bool = False,
    claim: str | None = None,
    now: dt.datetime | None = None,
) -> str | None:
    """Save a rater's answers; submit counts them. Returns a new browser key on first save.

    The first browser to save keeps the right to see the saved answers again, so a copied
    link in someone else's hands does not show them.
    """
    now = now or timezone.now()
    cycle = rater.cycle
    _check_open(cycle, now)
    if not claim_matches(rater, claim):
        raise NotAllowed(
            "these answers were saved from another browser; ask for a fresh link by e-mail "
            "to continue here"
        )
    fw = cycle.framework.data
    answers = {cap_id: _from_ticks(fw, cap_id, a) for cap_id, a in answers.items()}
    for cap_id, a in answers.items():
        cap = fw.capability(cap_id)
        if a.level is not None and not cap.min_level <= a.level <= cap.max_level:
            raise Invalid(
                f"{cap.name}: choose a level from {cap.min_level} to {cap.max_level}, "
                "or “can't say”",
                field=cap_id,
            )
        if len(a.comment) > 4000:
            raise Invalid(f"{cap.name}: keep the comment under 4,000 characters", field=cap_id)
    existing = {a.capability: a for a in rater.answers.all()}
    changed, added = [], []
    for cap_id, a in answers.items():
        row = existing.get(cap_id)
        ticks = list(a.behaviours)
        if row is None:
            added.append(
                RaterAnswer(
                    rater=rater,
                    capability=cap_id,
                    level=a.level,
                    comment=a.comment.strip(),
                    behaviours=ticks,
                )
            )
        elif (row.level, row.comment, row.behaviours) != (a.level, a.comment.strip(), ticks):
            row.level, row.comment, row.behaviours = a.level, a.comment.strip(), ticks
            row.updated_at = now
            changed.append(row)
    RaterAnswer.objects.bulk_create(added)
    RaterAnswer.objects.bulk_update(changed, ["level", "comment", "behaviours", "updated_at"])
    fields = []
    if submit:
        have = set(existing) | set(answers)
        missing = [c.name for c in fw.capabilities if c.id not in have]
        if missing:
            raise Invalid(
                "answer every capability before you send (choose “can't say” where you have "
                "not seen enough): " + ", ".join(missing),
                field="form",
            )
        if rater.submitted_at is None:
            rater.submitted_at = now
            fields.append("submitted_at")
    new_claim = None
    if not rater.claim_hash:
        new_claim = secrets.token_urlsafe(24)
        rater.claim_hash = _hash(new_claim)
        fields.append("claim_hash")
    if fields:
        rater.save(update_fields=fields)
    log.info(
        "feedback cycle %s: rater #%s saved%s", cycle.pk, rater.pk, " and sent" if submit else ""
    )
    return new_claim


@transaction.atomic
def do_send_fresh_link(
    rater: Rater,
    *,
    claim: str | None = None,
    now: dt.datetime | None = None,
    base_url: str | None = None,
) -> None:
    """A new link to the rater alone (never shown on screen); the old one stops.

    Asked for from a browser that did not save the answers, it also withdraws their sending:
    whoever saved them from a copied link cannot have them counted once the real rater,
    who alone receives the fresh link, is back in control (they see the draft and send it,
    or change it). So a copied link never locks the rater out.
    """
    now = now or timezone.now()
    _check_open(rater.cycle, now)
    if not claim_matches(rater, claim) and rater.submitted_at is not None:
        rater.submitted_at = None
        rater.save(update_fields=["submitted_at"])
    _rotate(rater, now, base_url, reminder=True)
    log.info("feedback cycle %s: fresh link for rater #%s", rater.cycle_id, rater.pk)


def asked_of(person: Person, *, now: dt.datetime | None = None) -> list[Rater]:
    """The forms waiting for this person as a rater, in cycles still taking answers."""
    return list(
        Rater.objects.filter(
            person=person,
            cycle__status=Cycle.Status.OPEN,
            cycle__closes_at__gt=now or timezone.now(),
        )
        .select_related("cycle", "cycle__subject")
        .order_by("cycle__closes_at", "id")
    )


@transaction.atomic
def do_open_form(person: Person, rater_id: int, *, now: dt.datetime | None = None) -> OpenedForm:
    """A fresh link for the signed-in rater: their account says they are the rater, so it
    opens their saved answers in whichever browser uses it first; every earlier link stops
    (so a copied one never locks them out)."""
    rater = next((r for r in asked_of(person, now=now) if r.pk == rater_id), None)
    if rater is None:
        raise NotFound("no such feedback form waiting for you")
    raw, hashed = _new_token()
    rater.token_hash, rater.claim_hash = hashed, ""
    rater.save(update_fields=["token_hash", "claim_hash"])
    log.info("feedback cycle %s: rater #%s opened their form", rater.cycle_id, rater.pk)
    return OpenedForm(rater, raw)


# --- closing and releasing --------------------------------------------------------------


def _specs(fw: Framework) -> list[CapabilitySpec]:
    return [CapabilitySpec(c.id, c.name, c.max_level) for c in fw.capabilities]


def _self_levels(cycle: Cycle) -> dict[str, int]:
    if cycle.assessment is None:
        return {}
    return {r.capability: r.level for r in cycle.assessment.capability_ratings.all()}


def _submissions(cycle: Cycle, now: dt.datetime) -> list[Submission]:
    # Judged at release, not at invitation: a rater may since have become the subject's
    # manager, and then their answers are known to the subject's side.
    side = Person.objects.filter(pk__in=delivery.subject_side(cycle))
    known = {p.email.lower() for p in side} | set(side.values_list("id", flat=True))
    out = []
    for rater in cycle.raters.filter(
        submitted_at__isnull=False, submitted_at__lte=now
    ).prefetch_related("answers"):
        answers = list(rater.answers.all())
        out.append(
            Submission(
                rater=rater_key(rater.email),
                relationship=rater.relationship,
                levels={a.capability: a.level for a in answers},
                comments={a.capability: a.comment for a in answers if a.comment},
                known=rater.email.lower() in known or rater.person_id in known,
            )
        )
    return out


def _earlier_sets(subject: Person) -> dict[str, list[frozenset[str]]]:
    sets: dict[str, list[frozenset[str]]] = {}
    for result in Result.objects.filter(cycle__subject=subject):
        for cap, groups in result.shown_sets.items():
            sets.setdefault(cap, []).extend(frozenset(g) for g in groups)
    return sets


def released_ratings(
    organisation: Organisation,
    *,
    exclude_subjects: set[int] = frozenset(),  # type: ignore[assignment]
) -> list[Rating]:
    """The shown ratings of each person's latest released cycle in the organisation."""
    latest: dict[int, Result] = {}
    for result in (
        Result.objects.filter(cycle__subject__organisation=organisation)
        .select_related("cycle")
        .order_by("released_at", "id")
    ):
        latest[result.cycle.subject_id] = result
    ratings = []
    for subject_id, result in sorted(latest.items()):
        if subject_id in exclude_subjects:
            continue
        for rater, relationship, cap, level in result.contributions:
            ratings.append(Rating(person_key(subject_id), rater, relationship, cap, level))
    return ratings


def _fit(ratings: list[Rating], fw: Framework) -> ScoringResult | None:
    if not ratings:
        return None
    lo = min(c.min_level for c in fw.capabilities)
    hi = max(c.max_level for c in fw.capabilities)
    try:
        return run_score(ratings, "model", min_level=lo, max_level=hi)
    except ValueError:
        log.warning("the scoring model could not be fitted", exc_info=False)
        return None


def _round(v: float | None, digits: int = 2) -> float | None:
    return None if v is None else round(v, digits)


def _snapshot(
    cycle: Cycle, agg: Aggregate, fit: ScoringResult | None, now: dt.datetime
) -> dict[str, Any]:
    fw = cycle.framework.data
    # Counts pooled as while the cycle was open: never a group of one's "1 answered".
    counts = answer_counts(cycle, now=now)
    small = next((c for c in counts if c["relationship"] == "others"), None)
    withheld = None if small is not None and small["answered"] is None else agg.withheld_raters
    key = person_key(cycle.subject_id)
    caps = []
    for c in agg.capabilities:
        est = None
        if fit is not None:
            try:
                est = fit.get(key, c.id)
            except KeyError:
                est = None
        caps.append(
            {
                "id": c.id,
                "name": c.name,
                "max_level": fw.capability(c.id).max_level,
                "self": c.self_level,
                "cells": {
                    g: {"mean": _round(cell.mean), "n": cell.n, "withheld": cell.withheld}
                    for g, cell in c.cells.items()
                },
                "others_view": _round(c.others_view),
                "others_n": c.others_n,
                "flag": c.flag,
                "estimate": _round(est.display_estimate if est else None),
                "low": _round(est.display_low if est else None),
                "high": _round(est.display_high if est else None),
                "comments": c.comments,
            }
        )
    return {
        "cycle": cycle.pk,
        "subject": {"id": cycle.subject_id, "name": cycle.subject.name},
        "framework": fw.label,
        "threshold": agg.threshold,
        "opened_at": cycle.opened_at.isoformat(),
        "closed_at": min(cycle.closes_at, now).isoformat(),
        "invited": {c["relationship"]: c["invited"] for c in counts},
        "answered": {c["relationship"]: c["answered"] for c in counts if c["answered"]},
        "withheld_raters": withheld,
        "groups": [{"id": g.id, "label": g.label, "raters": g.raters} for g in agg.groups],
        "capabilities": caps,
        "blind_spots": [c.id for c in agg.blind_spots],
        "hidden_strengths": [c.id for c in agg.hidden_strengths],
        "interval": fit.interval if fit else None,
    }


def _release(cycles: Sequence[Cycle], now: dt.datetime) -> list[Cycle]:
    cycles = [c for c in cycles if c.is_open]
    if not cycles:
        return []
    aggs: dict[int, Aggregate] = {}
    for cycle in cycles:
        threshold = max(MIN_THRESHOLD, cycle.subject.organisation.anonymity_threshold)
        aggs[cycle.pk] = aggregate(
            _specs(cycle.framework.data),
            _self_levels(cycle),
            _submissions(cycle, now),
            threshold=threshold,
            earlier=_earlier_sets(cycle.subject),
        )
    by_org: dict[int, list[Cycle]] = {}
    for cycle in cycles:
        by_org.setdefault(cycle.subject.organisation_id, []).append(cycle)
    for org_cycles in by_org.values():
        org = org_cycles[0].subject.organisation
        subjects = {c.subject_id for c in org_cycles}
        ratings = released_ratings(org, exclude_subjects=subjects)
        for cycle in org_cycles:
            ratings += [
                Rating(person_key(cycle.subject_id), rater, rel, cap, level)
                for rater, rel, cap, level in aggs[cycle.pk].contributions
            ]
        fit = _fit(ratings, org_cycles[0].framework.data)
        for cycle in org_cycles:
            agg = aggs[cycle.pk]
            Result.objects.create(
                cycle=cycle,
                data=_snapshot(cycle, agg, fit, now),
                shown_sets={cap: [sorted(s) for s in sets] for cap, sets in agg.shown_sets.items()},
                contributions=[list(c) for c in agg.contributions],
                released_at=now,
            )
            cycle.status = Cycle.Status.RELEASED
            cycle.released_at = now
            cycle.save(update_fields=["status", "released_at"])
            log.info("feedback cycle %s released", cycle.pk)
        do_store_standings(org, subjects)
    return list(cycles)


@transaction.atomic
def do_close_and_release(cycle: Cycle, actor: Person, *, now: dt.datetime | None = None) -> Cycle:
    """Close the cycle now and release its results, frozen from this moment."""
    _check_manager(cycle, actor)
    cycle = (
        Cycle.objects.select_for_update().select_related("subject__organisation").get(pk=cycle.pk)
    )
    if not cycle.is_open:
        raise Invalid("this cycle's results are already released")
    now = now or timezone.now()
    if cycle.closes_at > now:
        cycle.closes_at = now
        cycle.save(update_fields=["closes_at"])
    _release([cycle], now)
    return cycle


@transaction.atomic
def release_due(*, now: dt.datetime | None = None) -> list[Cycle]:
    """Release every open cycle whose closing date has passed (one model fit per org)."""
    now = now or timezone.now()
    due = list(
        Cycle.objects.select_for_update()
        .select_related("subject__organisation", "framework")
        .filter(status=Cycle.Status.OPEN, closes_at__lte=now)
        .order_by("id")
    )
    return _release(due, now)


def release_if_due(cycle: Cycle, *, now: dt.datetime | None = None) -> Cycle:
    now = now or timezone.now()
    if cycle.is_open and cycle.closes_at <= now:
        with transaction.atomic():
            locked = (
                Cycle.objects.select_for_update()
                .select_related("subject__organisation", "framework")
                .get(pk=cycle.pk)
            )
            _release([locked], now)
        cycle.refresh_from_db()
    return cycle


def result_data(cycle: Cycle) -> dict[str, Any]:
    """The released results, as stored at release."""
    result = Result.objects.filter(cycle=cycle).first()
    if result is None:
        raise NotFound("the results are released when the cycle closes")
    # The snapshot's ids are those of the database it was taken in: after a restore from a
    # backup (leadshift org import) the cycle and its subject have new ones.
    return {
        **result.data,
        "cycle": cycle.pk,
        "subject": {**result.data.get("subject", {}), "id": cycle.subject_id},
    }


def cycle_json(cycle: Cycle) -> dict[str, Any]:
    return {
        "id": cycle.pk,
        "subject": {"id": cycle.subject_id, "name": cycle.subject.name},
        "status": cycle.status,
        "opened_at": cycle.opened_at,
        "closes_at": cycle.closes_at,
        "released_at": cycle.released_at,
        "framework": cycle.framework.data.label,
        "counts": answer_counts(cycle),
    }


def group_label(group: str) -> str:
    return GROUP_LABELS.get(group, group)
