"""Culture pulses: every write is a named `do_…` function that checks who is acting.

Anonymity is the 360's (`feedback/`): links without accounts whose tokens are kept only as
hashes (`core/tokens.py`), each e-mailed to its respondent alone and withheld in the outbox
from everyone above them (`pulse/delivery.py`), the organisation's threshold, and no
differencing between pulses or teams (`pulse/stats.py`). An answer is stored without its
respondent, so no page, export or log can tie one to a person.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from leadshift.core.closing import closing_time
from leadshift.core.errors import Invalid, NotAllowed, NotFound
from leadshift.core.tokens import hash_secret, new_token
from leadshift.feedback.anonymity import MIN_THRESHOLD
from leadshift.feedback.services import MAX_DAYS_OPEN, rater_key
from leadshift.people.models import Person
from leadshift.pulse import delivery
from leadshift.pulse.items import ITEM_IDS, ITEMS, SCALE
from leadshift.pulse.models import Cadence, Pulse, Respondent, Response, Result
from leadshift.pulse.stats import NO_TEAM, PulseView, overall, pulse_view
from leadshift.pulse.stats import Response as ResponseIn

log = logging.getLogger("leadshift.pulse")

TOKEN_PREFIX = "pl_"
BAD_LINK = (
    "This pulse link is not valid. Check that you copied all of it; each pulse e-mails a "
    "new link to everyone it asks."
)
EXPIRED_LINK = "This pulse link has expired: the pulse it belongs to has closed."
MAX_COMMENT = 2000


def threshold_of(leader: Person) -> int:
    return max(MIN_THRESHOLD, leader.organisation.anonymity_threshold)


def withheld_message(threshold: int) -> str:
    """The one refusal for every withheld pulse: it does not say which rule withheld it."""
    return (
        f"The results of this pulse are withheld: showing them would rest on fewer than "
        f"{threshold} people, or differ by fewer than {threshold} people from results shown "
        "before. Nothing of them is shown."
    )


class Withheld(NotAllowed):
    """A pulse whose results may not be shown."""


# --- access ---------------------------------------------------------------------------


def visible_pulses(viewer: Person) -> QuerySet[Pulse]:
    """Pulses of the viewer and of the leaders below them: never one of a leader above."""
    return (
        Pulse.objects.filter(leader__in=Person.objects.visible_to(viewer))
        .select_related("leader", "leader__organisation")
        .order_by("-opened_at", "-id")
    )


def visible_pulse(viewer: Person, pulse_id: int) -> Pulse:
    pulse = visible_pulses(viewer).filter(pk=pulse_id).first()
    if pulse is None:
        raise NotFound("no such pulse")
    return pulse


def audience(leader: Person) -> list[Person]:
    """Everyone below the leader who is still active: their product organisation."""
    return list(
        Person.objects.visible_to(leader)
        .active()
        .exclude(pk=leader.pk)
        .select_related("team")
        .order_by("id")
    )


def open_pulse(leader: Person) -> Pulse | None:
    return leader.pulses.filter(status=Pulse.Status.OPEN).first()


# --- sending ------------------------------------------------------------------------------


@transaction.atomic
def do_send_pulse(
    leader: Person,
    *,
    closes_on: dt.date | dt.datetime,
    cadence: str = "quarterly",
    now: dt.datetime | None = None,
    base_url: str | None = None,
    notify: bool = True,
) -> Pulse:
    """Open a pulse and e-mail each person below the leader their own link (kept as a hash).

    `notify=False` (the demo's past pulses) sends nothing: those links then reach no one."""
    now = now or timezone.now()
    if cadence not in Cadence.values:
        raise Invalid(f"cadence must be one of {', '.join(Cadence.values)}", field="cadence")
    closes_at = closing_time(closes_on)
    if closes_at <= now:
        raise Invalid("the closing date must be in the future", field="closes_on")
    if closes_at > now + dt.timedelta(days=MAX_DAYS_OPEN):
        raise Invalid(
            f"a pulse stays open at most {MAX_DAYS_OPEN} days; choose an earlier date",
            field="closes_on",
        )
    people = audience(leader)
    t = threshold_of(leader)
    if len(people) < t:
        raise Invalid(
            f"a pulse needs at least {t} people below you (your organisation's anonymity "
            f"threshold); you lead {len(people)}"
        )
    if Pulse.objects.select_for_update().filter(leader=leader, status="open").exists():
        raise Invalid("your pulse is still open; close it before sending the next one")
    pulse = Pulse.objects.create(leader=leader, cadence=cadence, opened_at=now, closes_at=closes_at)
    tokens = [new_token(TOKEN_PREFIX) for _ in people]
    created = Respondent.objects.bulk_create(
        Respondent(
            pulse=pulse,
            person=p,
            email=p.email.lower(),
            team_name=p.team.name if p.team else NO_TEAM,
            token_hash=hashed,
            invited_at=now,
        )
        for p, (_, hashed) in zip(people, tokens, strict=True)
    )
    # Sent last, once every row is written: a refused pulse sends nothing.
    if notify:
        for respondent, (raw, _) in zip(created, tokens, strict=True):
            delivery.send_link(pulse, respondent, raw, base_url=base_url)
    log.info("pulse %s sent to %d people", pulse.pk, len(created))
    return pulse


def answer_count(pulse: Pulse) -> dict[str, Any]:
    """Asked and answered: a count only, and below the threshold not even that."""
    asked = pulse.respondents.count()
    answered = pulse.respondents.filter(answered=True).count()
    t = threshold_of(pulse.leader)
    return {"asked": asked, "answered": answered if answered >= t else None, "threshold": t}


# --- the respondent's side ------------------------------------------------------------------


def respondent_for_token(raw: str, *, now: dt.datetime | None = None) -> Respondent:
    """The respondent a link belongs to, or NotFound; the message never names anyone."""
    if not raw.startswith(TOKEN_PREFIX) or len(raw) > 100:
        raise NotFound(BAD_LINK)
    respondent = (
        Respondent.objects.select_related("pulse", "pulse__leader", "pulse__leader__organisation")
        .filter(token_hash=hash_secret(raw))
        .first()
    )
    if respondent is None:
        raise NotFound(BAD_LINK)
    if (now or timezone.now()) >= respondent.pulse.link_expires_at:
        raise NotFound(EXPIRED_LINK)
    return respondent


@dataclass(frozen=True)
class AnswersIn:
    scores: Mapping[str, int | None]
    comment: str = ""


def _clean(answers: AnswersIn) -> tuple[dict[str, int], str]:
    lo, hi = SCALE
    scores: dict[str, int] = {}
    missing = []
    for item in ITEMS:
        value = answers.scores.get(item.id)
        if value is None:
            missing.append(item.name)
        elif not lo <= value <= hi:
            raise Invalid(f"{item.name}: choose from {lo} to {hi}", field=item.id)
        else:
            scores[item.id] = int(value)
    unknown = sorted(set(answers.scores) - set(ITEM_IDS))
    if unknown:
        raise Invalid(f"unknown item {unknown[0]!r}", field=unknown[0])
    if missing:
        raise Invalid("answer every statement before you send: " + ", ".join(missing), field="form")
    comment = answers.comment.strip()
    if len(comment) > MAX_COMMENT:
        raise Invalid(f"keep the comment under {MAX_COMMENT:,} characters", field="comment")
    return scores, comment


@transaction.atomic
def do_answer(
    respondent: Respondent, answers: AnswersIn, *, now: dt.datetime | None = None
) -> None:
    """Keep the answers without the respondent, and mark the respondent as having answered.

    Once only: nothing ties the answers to their author, so they cannot be changed."""
    now = now or timezone.now()
    respondent = (
        Respondent.objects.select_for_update().select_related("pulse").get(pk=respondent.pk)
    )
    if not respondent.pulse.accepts_answers(now):
        raise Invalid("this pulse has closed")
    if respondent.answered:
        raise Invalid("you have answered this pulse; answers kept without a name cannot change")
    scores, comment = _clean(answers)
    Response.objects.create(
        pulse=respondent.pulse, team_name=respondent.team_name, scores=scores, comment=comment
    )
    respondent.answered = True
    respondent.save(update_fields=["answered"])
    log.info("pulse %s: a response", respondent.pulse_id)


# --- closing and releasing --------------------------------------------------------------


def _earlier_sets(pulse: Pulse) -> list[frozenset[str]]:
    sets: list[frozenset[str]] = []
    for result in Result.objects.filter(
        pulse__leader__organisation_id=pulse.leader.organisation_id
    ):
        sets.extend(frozenset(s) for s in result.shown_sets)
    return sets


def _view(pulse: Pulse) -> PulseView:
    people: dict[str, set[str]] = {}
    for email, team in pulse.respondents.filter(answered=True).values_list("email", "team_name"):
        people.setdefault(team, set()).add(rater_key(email))
    responses = [
        ResponseIn(team=r.team_name, scores=r.scores, comment=r.comment)
        for r in pulse.responses.all()
    ]
    return pulse_view(
        ITEM_IDS,
        responses,
        {team: frozenset(keys) for team, keys in people.items()},
        threshold=threshold_of(pulse.leader),
        earlier=_earlier_sets(pulse),
    )


def _item_json(stat: Any) -> dict[str, Any]:
    return {"id": stat.id, "mean": stat.mean, "low": stat.low, "high": stat.high, "n": stat.n}


def _snapshot(pulse: Pulse, view: PulseView, now: dt.datetime) -> dict[str, Any]:
    data: dict[str, Any] = {
        "opened_at": pulse.opened_at.isoformat(),
        "closed_at": min(pulse.closes_at, now).isoformat(),
        "threshold": view.threshold,
        "asked": pulse.respondents.count(),
        "shown": view.shown,
    }
    if view.shown:
        data.update(
            {
                "answered": view.n,
                "items": [_item_json(s) for s in view.items],
                "overall": overall(view.items),
                "teams": [
                    {"team": tv.team, "n": tv.n, "items": [_item_json(s) for s in tv.items]}
                    for tv in view.teams
                ],
                "comments": view.comments,
            }
        )
    return data


def _release(pulse: Pulse, now: dt.datetime) -> None:
    view = _view(pulse)
    Result.objects.create(
        pulse=pulse,
        data=_snapshot(pulse, view, now),
        shown_sets=[sorted(s) for s in view.shown_sets],
        released_at=now,
    )
    pulse.status = Pulse.Status.RELEASED
    pulse.released_at = now
    pulse.save(update_fields=["status", "released_at"])
    log.info("pulse %s released (%s)", pulse.pk, "shown" if view.shown else "withheld")


@transaction.atomic
def do_close(pulse: Pulse, actor: Person, *, now: dt.datetime | None = None) -> Pulse:
    """Close the pulse now and release its results, frozen from this moment (its leader or
    anyone above them)."""
    if not actor.can_view(pulse.leader):
        raise NotFound("no such pulse")
    pulse = (
        Pulse.objects.select_for_update().select_related("leader__organisation").get(pk=pulse.pk)
    )
    if not pulse.is_open:
        raise Invalid("this pulse is closed and its results are released")
    now = now or timezone.now()
    if pulse.closes_at > now:
        pulse.closes_at = now
        pulse.save(update_fields=["closes_at"])
    _release(pulse, now)
    return pulse


@transaction.atomic
def release_due(*, now: dt.datetime | None = None) -> list[Pulse]:
    """Release every open pulse whose closing date has passed, oldest first (so each is
    checked against the ones released before it)."""
    now = now or timezone.now()
    due = list(
        Pulse.objects.select_for_update()
        .select_related("leader__organisation")
        .filter(status=Pulse.Status.OPEN, closes_at__lte=now)
        .order_by("closes_at", "id")
    )
    for pulse in due:
        _release(pulse, now)
    return due


# --- results ------------------------------------------------------------------------------


def result_data(pulse: Pulse) -> dict[str, Any]:
    """The released results as stored, or a refusal: Withheld reveals nothing of them."""
    result = Result.objects.filter(pulse=pulse).first()
    if result is None:
        raise NotFound("the results are released when the pulse closes")
    if not result.data.get("shown"):
        raise Withheld(withheld_message(result.data["threshold"]))
    return dict(result.data)


def trend(leader: Person) -> list[dict[str, Any]]:
    """The leader's released pulses, oldest first: each shown one's item means and overall
    mean; a withheld one is a gap, with no number."""
    rows = []
    for result in Result.objects.filter(pulse__leader=leader).order_by(
        "pulse__opened_at", "pulse_id"
    ):
        d = result.data
        rows.append(
            {
                "opened_on": d["opened_at"][:10],
                "shown": bool(d.get("shown")),
                "answered": d.get("answered"),
                "asked": d["asked"],
                "overall": d.get("overall"),
                "items": {i["id"]: i["mean"] for i in d.get("items", [])},
            }
        )
    return rows


def pulse_json(pulse: Pulse) -> dict[str, Any]:
    return {
        "id": pulse.pk,
        "leader": {"id": pulse.leader_id, "name": pulse.leader.name},
        "status": pulse.status,
        "cadence": pulse.cadence,
        "opened_at": pulse.opened_at,
        "closes_at": pulse.closes_at,
        "released_at": pulse.released_at,
        "next_due_on": pulse.next_due_on,
        "counts": answer_count(pulse),
    }
