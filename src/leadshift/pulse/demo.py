"""The demo's culture pulses: Maya's three quarterly pulses, improving, and one open now; a
director's small pulse that too few answered, so the refusal has something real to refuse.

No link is e-mailed: the demo answers for its people directly.
"""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone

from leadshift.people.models import Person
from leadshift.pulse.items import ITEMS
from leadshift.pulse.models import Pulse
from leadshift.pulse.services import AnswersIn, do_answer, do_close, do_send_pulse

# Item means of the three past pulses: the culture Maya builds gets better, workload lags.
BASE = {
    "safety": (3.2, 3.6, 3.9),
    "experiment": (2.9, 3.3, 3.7),
    "strategy": (3.0, 3.5, 3.8),
    "vision": (2.6, 3.1, 3.5),
    "trust": (3.3, 3.5, 3.8),
    "workload": (2.7, 2.8, 3.0),
}
COMMENTS = [
    "The strategy offsite helped: I can finally explain why we do what we do.",
    "Too many priorities at once this quarter; something has to give.",
    "Retros are honest now, and things change after them.",
    "I would like to hear how portfolio decisions are made before they are announced.",
    "Trying the pricing experiment without a business case first felt great.",
    "Hiring is behind, and the on-call load falls on the same few people.",
    "The vision deck is clear; the roadmap does not always match it yet.",
    "It is safe to say 'I don't know' in planning now.",
]


def _at(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


def _answer(pulse: Pulse, who: list[int], k: int, rng: random.Random, on: dt.date) -> None:
    for respondent in pulse.respondents.filter(person_id__in=who).order_by("id"):
        scores = {i.id: max(1, min(5, round(rng.gauss(BASE[i.id][k], 0.8)))) for i in ITEMS}
        comment = rng.choice(COMMENTS) if rng.random() < 0.25 else ""
        do_answer(respondent, AnswersIn(scores, comment), now=_at(on, 9 + rng.randint(0, 8)))


def load_pulses(leader: Person, director: Person, rng: random.Random, today: dt.date) -> int:
    """Returns how many pulses. The same people answer the past pulses, and three more join in
    the last: sets that differ by fewer than the threshold would be withheld."""
    from leadshift.pulse.services import audience

    by_team: dict[int | None, list[int]] = {}
    for p in audience(leader):
        by_team.setdefault(p.team_id, []).append(p.id)
    joining = max((t for t in by_team if t is not None), key=lambda t: (len(by_team[t]), t))
    steady: list[int] = []
    joined: list[int] = []
    for team, ids in by_team.items():
        if team is None:
            steady += ids
        elif team == joining:
            steady, joined = steady + ids[:-3], ids[-3:]
        else:
            steady += ids[:-1]  # someone in each team never answers
    count = 0
    for k, weeks_ago in enumerate((40, 27, 14)):
        opened = today - dt.timedelta(weeks=weeks_ago)
        pulse = do_send_pulse(
            leader,
            closes_on=_at(opened + dt.timedelta(days=10), 18),
            cadence="quarterly",
            now=_at(opened, 8),
            notify=False,
        )
        _answer(pulse, steady + (joined if k == 2 else []), k, rng, opened + dt.timedelta(days=2))
        do_close(pulse, leader, now=_at(opened + dt.timedelta(days=10), 18))
        count += 1
    small = do_send_pulse(
        director,
        closes_on=_at(today - dt.timedelta(days=20), 18),
        cadence="monthly",
        now=_at(today - dt.timedelta(days=30), 8),
        notify=False,
    )
    _answer(small, [p.id for p in audience(director)][:2], 1, rng, today - dt.timedelta(days=28))
    do_close(small, director, now=_at(today - dt.timedelta(days=20), 18))
    current = do_send_pulse(
        leader,
        closes_on=today + dt.timedelta(days=7),
        cadence="quarterly",
        now=_at(today - dt.timedelta(days=7), 8),
        notify=False,
    )
    _answer(current, steady[:12], 2, rng, today - dt.timedelta(days=5))
    return count + 2
