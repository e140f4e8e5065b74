"""Relationship health, contact cadence and whom to see next: plain functions, no Django.

Health of a relationship on a day (0–100, None before the first contact) is

    health = 100 × tone × recency

- tone (0–1) is the recency-weighted mean of how the contacts went, each mapped from −2..+2
  to 0..1 by (t + 2) / 4 and weighted w = 2^(−age / 60 days), shrunk toward neutral (0.5) by
  one imaginary neutral contact of weight 1: tone = (Σ w·t' + 0.5) / (Σ w + 1). One good
  meeting is encouraging, not conclusive; a run of good ones is.
- recency (0–1) is 1 while the last contact is within the cadence (c days; 30 when none is
  set), then halves with every further c days: recency = 2^(−max(0, g − c) / c), g the days
  since the last contact.

So a relationship with only neutral contacts kept on cadence sits at 50, one with consistently
good contacts approaches 100, and any relationship left alone fades toward 0.

Whom to see next: for each stakeholder

    score = (overdue + drop / 25) × influence / 5 × (1.25 if sceptic or blocker else 1)

where overdue is the days past due divided by the cadence (1 for someone never met), and drop
is how many health points were lost over the last 30 days. Stakeholders with a score of 0 (on
cadence, health not falling) are not suggested.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

HALF_LIFE_DAYS = 60.0
DEFAULT_CADENCE_DAYS = 30
PRIOR_WEIGHT = 1.0
DROP_WINDOW_DAYS = 30
DROP_SCALE = 25.0
WARY_STANCES = ("sceptic", "blocker")


@dataclass(frozen=True)
class Contact:
    on: dt.date
    tone: int  # −2 (went badly) … +2 (went very well)


def _tone_part(contacts: Sequence[Contact], as_of: dt.date) -> float:
    total = weight = 0.0
    for c in contacts:
        w = 2.0 ** (-(as_of - c.on).days / HALF_LIFE_DAYS)
        total += w * (max(-2, min(2, c.tone)) + 2) / 4
        weight += w
    return (total + PRIOR_WEIGHT * 0.5) / (weight + PRIOR_WEIGHT)


def _recency_part(last: dt.date, as_of: dt.date, cadence_days: int) -> float:
    gap = (as_of - last).days
    return 2.0 ** (-max(0, gap - cadence_days) / cadence_days)


def health(
    contacts: Sequence[Contact], as_of: dt.date, cadence_days: int | None = None
) -> float | None:
    """Health on `as_of` from the contacts up to that day; None before the first one."""
    seen = [c for c in contacts if c.on <= as_of]
    if not seen:
        return None
    cadence = cadence_days or DEFAULT_CADENCE_DAYS
    last = max(c.on for c in seen)
    return 100.0 * _tone_part(seen, as_of) * _recency_part(last, as_of, cadence)


def health_trend(
    contacts: Sequence[Contact],
    as_of: dt.date,
    *,
    cadence_days: int | None = None,
    points: int = 12,
    step_days: int = 30,
) -> list[tuple[dt.date, float | None]]:
    """Health at `points` days `step_days` apart, the last one on `as_of`."""
    days = [as_of - dt.timedelta(days=step_days * k) for k in range(points - 1, -1, -1)]
    return [(d, health(contacts, d, cadence_days)) for d in days]


@dataclass(frozen=True)
class Due:
    cadence_days: int | None
    last_contact: dt.date | None
    due_on: dt.date | None  # None when no cadence is set
    overdue_days: int  # 0 when not overdue

    @property
    def is_overdue(self) -> bool:
        return self.overdue_days > 0


def due(
    contacts: Sequence[Contact], as_of: dt.date, cadence_days: int | None, since: dt.date
) -> Due:
    """When the next contact is due; someone never met is due from the day they were added."""
    seen = [c.on for c in contacts if c.on <= as_of]
    last = max(seen) if seen else None
    if not cadence_days:
        return Due(None, last, None, 0)
    due_on = last + dt.timedelta(days=cadence_days) if last else since
    return Due(cadence_days, last, due_on, max(0, (as_of - due_on).days))


@dataclass(frozen=True)
class StakeholderState:
    key: int | str
    name: str
    role: str
    influence: int  # 1–5
    stance: str
    cadence_days: int | None
    since: dt.date  # when they were added to the map
    contacts: tuple[Contact, ...] = ()


@dataclass(frozen=True)
class Suggestion:
    key: int | str
    name: str
    score: float
    text: str
    reasons: list[str] = field(default_factory=list)


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def suggest(states: Sequence[StakeholderState], as_of: dt.date, limit: int = 5) -> list[Suggestion]:
    """Whom to see next and why, most pressing first."""
    out = []
    for s in states:
        d = due(s.contacts, as_of, s.cadence_days, s.since)
        never = d.last_contact is None
        now = health(s.contacts, as_of, s.cadence_days)
        before = health(s.contacts, as_of - dt.timedelta(days=DROP_WINDOW_DAYS), s.cadence_days)
        drop = max(0.0, (before or 0.0) - (now or 0.0)) if before is not None else 0.0
        if never:
            overdue = 1.0
        elif d.is_overdue and d.cadence_days:
            overdue = d.overdue_days / d.cadence_days
        else:
            overdue = 0.0
        wary = 1.25 if s.stance in WARY_STANCES else 1.0
        score = (overdue + drop / DROP_SCALE) * max(1, min(5, s.influence)) / 5 * wary
        if score <= 0:
            continue
        reasons = []
        if never:
            reasons.append("you have not met yet")
        elif d.is_overdue:
            reasons.append(
                f"{_plural(d.overdue_days, 'day')} overdue on a {d.cadence_days}-day cadence"
            )
        reasons.append(f"influence {s.influence} of 5")
        if drop >= 1 and before is not None and now is not None:
            reasons.append(f"health fell from {before:.0f} to {now:.0f} in {DROP_WINDOW_DAYS} days")
        seen = [c for c in s.contacts if c.on <= as_of]
        if seen and max(seen, key=lambda c: c.on).tone < 0:
            reasons.append("the last contact went badly")
        if wary > 1:
            reasons.append(f"a {s.stance}")
        who = f"{s.name} ({s.role})" if s.role else s.name
        out.append(
            Suggestion(
                key=s.key,
                name=s.name,
                score=round(score, 3),
                text=f"See {who}: " + "; ".join(reasons) + ".",
                reasons=reasons,
            )
        )
    out.sort(key=lambda x: (-x.score, x.name))
    return out[:limit]
