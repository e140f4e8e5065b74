"""A 1:1's agenda, built from what LeadShift knows about the person coached.

Plain Python: the app gathers the evidence through the other apps' own functions and hands it
here as dataclasses; this module only decides what is worth talking about, and in what order.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from leadshift.core.dates import day


@dataclass(frozen=True)
class ActionDue:
    title: str
    due_on: dt.date


@dataclass(frozen=True)
class DecisionDue:
    question: str
    review_on: dt.date


@dataclass(frozen=True)
class StakeholderOverdue:
    name: str
    overdue_days: int


@dataclass(frozen=True)
class ReadinessChange:
    verdict_before: str
    verdict_after: str
    readiness_before: float
    readiness_after: float
    moved: list[tuple[str, float | None, float | None]] = field(default_factory=list)
    """(capability name, level before, level after) for the capabilities that moved."""


@dataclass(frozen=True)
class OwnItem:
    author: str
    text: str


@dataclass(frozen=True)
class Perspective:
    """One capability as the person, their manager and the 360 see it."""

    capability: str
    name: str
    self_level: float | None
    manager: float | None
    estimate: float | None

    @property
    def spread(self) -> float:
        seen = [v for v in (self.self_level, self.manager, self.estimate) if v is not None]
        return max(seen) - min(seen) if len(seen) > 1 else 0.0


def by_disagreement(views: list[Perspective]) -> list[Perspective]:
    """Where the views differ most comes first: the first thing to talk about."""
    return sorted(views, key=lambda v: -v.spread)


@dataclass(frozen=True)
class Evidence:
    """What LeadShift knows about the person coached, as of the meeting's date."""

    meeting_on: dt.date
    actions_open: list[ActionDue] = field(default_factory=list)
    last_confidence: int | None = None
    last_checkin_on: dt.date | None = None
    blind_spots: list[str] = field(default_factory=list)
    hidden_strengths: list[str] = field(default_factory=list)
    decisions_due: list[DecisionDue] = field(default_factory=list)
    stakeholders_overdue: list[StakeholderOverdue] = field(default_factory=list)
    readiness: ReadinessChange | None = None
    disagreement: Perspective | None = None
    own_items: list[OwnItem] = field(default_factory=list)


@dataclass(frozen=True)
class AgendaItem:
    kind: str  # plan, checkin, feedback, decisions, stakeholders, readiness, own
    title: str
    details: list[str] = field(default_factory=list)


# Actions due within this many days of the meeting are worth raising at it.
SOON_DAYS = 7


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _num(v: float | None) -> str:
    return "–" if v is None else f"{v:g}"


def build_agenda(ev: Evidence) -> list[AgendaItem]:
    """The agenda: overdue work first, then the feedback, the wider signals, then own items."""
    items: list[AgendaItem] = []
    d = ev.disagreement
    if d is not None and d.spread >= 1:
        items.append(
            AgendaItem(
                "views",
                f"Where you see {d.name.lower()} differently",
                [
                    f"self {_num(d.self_level)}, manager {_num(d.manager)}, "
                    f"360 estimate {_num(d.estimate)}"
                ],
            )
        )
    overdue = sorted(
        (a for a in ev.actions_open if a.due_on < ev.meeting_on), key=lambda a: a.due_on
    )
    soon = sorted(
        (
            a
            for a in ev.actions_open
            if ev.meeting_on <= a.due_on <= ev.meeting_on + dt.timedelta(days=SOON_DAYS)
        ),
        key=lambda a: a.due_on,
    )
    if overdue:
        items.append(
            AgendaItem(
                "plan",
                f"{_plural(len(overdue), 'plan action')} overdue",
                [f"{a.title} (due {day(a.due_on)})" for a in overdue],
            )
        )
    if soon:
        items.append(
            AgendaItem(
                "plan",
                f"{_plural(len(soon), 'plan action')} due this week",
                [f"{a.title} (due {day(a.due_on)})" for a in soon],
            )
        )
    if ev.last_confidence is not None:
        low = ev.last_confidence <= 2
        items.append(
            AgendaItem(
                "checkin",
                f"Confidence at the last check-in: {ev.last_confidence}/5"
                + (" — what is in the way?" if low else ""),
                [f"check-in of {day(ev.last_checkin_on)}"] if ev.last_checkin_on else [],
            )
        )
    if ev.blind_spots:
        items.append(
            AgendaItem(
                "feedback",
                "360 blind spots: rated higher by self than by others",
                list(ev.blind_spots),
            )
        )
    if ev.hidden_strengths:
        items.append(
            AgendaItem(
                "feedback",
                "360 hidden strengths: others see more than self",
                list(ev.hidden_strengths),
            )
        )
    if ev.decisions_due:
        items.append(
            AgendaItem(
                "decisions",
                f"{_plural(len(ev.decisions_due), 'decision review')} due",
                [f"{d.question} (review {day(d.review_on)})" for d in ev.decisions_due],
            )
        )
    if ev.stakeholders_overdue:
        worst = sorted(ev.stakeholders_overdue, key=lambda s: -s.overdue_days)
        items.append(
            AgendaItem(
                "stakeholders",
                f"{_plural(len(worst), 'stakeholder')} overdue for contact",
                [f"{s.name} ({s.overdue_days} days overdue)" for s in worst],
            )
        )
    r = ev.readiness
    if r is not None and (r.moved or r.verdict_before != r.verdict_after):
        details = [f"{name}: {_num(before)} → {_num(after)}" for name, before, after in r.moved]
        items.append(
            AgendaItem(
                "readiness",
                f"Readiness since the last assessment: {r.readiness_before:.0f}% → "
                f"{r.readiness_after:.0f}% ({r.verdict_before} → {r.verdict_after})",
                details,
            )
        )
    items.extend(AgendaItem("own", o.text, [f"added by {o.author}"]) for o in ev.own_items)
    return items
