"""Development plans from readiness gaps, and the progress of a plan over time.

Plain Python over the framework data, no Django.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

from leadshift.assessments.readiness import ReadinessProfile
from leadshift.frameworks.schema import Action, Framework, Track

DEFAULT_DAYS = 90


@dataclass(frozen=True)
class PlannedAction:
    source_action: str
    track: str
    track_name: str
    title: str
    description: str
    evidence: str
    capabilities: tuple[str, ...]
    due_on: dt.date


@dataclass(frozen=True)
class PlannedGoal:
    capability: str
    title: str
    from_level: int | None
    to_level: int
    target_behaviour: str
    actions: list[PlannedAction]


@dataclass(frozen=True)
class PlanDraft:
    title: str
    starts_on: dt.date
    ends_on: dt.date
    goals: list[PlannedGoal]

    @property
    def actions(self) -> list[PlannedAction]:
        return [a for g in self.goals for a in g.actions]


def blended_levels(
    own: Mapping[str, int],
    others: Sequence[Mapping[str, float]],
    bounds: Mapping[str, tuple[int, int]],
) -> dict[str, int]:
    """The level each capability is planned from: the self-rating averaged with the others'
    views (the manager's rating, the 360 estimate) where they exist, so a plan does not rest on
    the self-rating alone. Halves round down: when the views split, plan for the growth."""
    out: dict[str, int] = {}
    for cid in set(own) | {c for view in others for c in view}:
        seen = [float(own[cid])] if cid in own else []
        seen += [float(view[cid]) for view in others if cid in view]
        if cid not in bounds or not seen:
            continue
        low, high = bounds[cid]
        out[cid] = min(high, max(low, math.ceil(sum(seen) / len(seen) - 0.5)))
    return out


def _goal_capabilities(
    profile: ReadinessProfile, max_goals: int, focus: Sequence[str] = ()
) -> list[tuple[str, int | None, int]]:
    """(capability, from level, to level) for the goals, biggest gaps first.

    A 90-day plan moves a capability by one level, so the target is the next level, not the
    role's expectation. When there are fewer gaps than goals, the plan stretches the lowest
    capabilities that still have a level above them.
    """
    chosen: list[tuple[str, int | None, int]] = []
    for g in profile.gaps:
        c = profile.capability(g.capability)
        chosen.append((c.id, c.level, min((c.level or 0) + 1, c.max_level)))
    if len(chosen) < max_goals:
        taken = {cid for cid, _, _ in chosen}
        rest = [
            c
            for c in profile.capabilities
            if c.id not in taken
            and c.level is not None
            and c.level < c.max_level
            and (c.gap or 0) > 0
        ]
        rest += [
            c
            for c in sorted(profile.capabilities, key=lambda c: (c.level or 0, -c.expected))
            if c.id not in taken and c.level is not None and c.level < c.max_level and c not in rest
        ]
        for c in rest[: max_goals - len(chosen)]:
            chosen.append((c.id, c.level, (c.level or 0) + 1))
    # What a growth conversation put first leads, where it still has a level above it.
    known = {c.id: c for c in profile.capabilities}
    first = [
        (known[cid].id, known[cid].level, (known[cid].level or 0) + 1)
        for cid in dict.fromkeys(focus)
        if cid in known and (known[cid].level or 0) < known[cid].max_level
    ]
    ids = {cid for cid, _, _ in first}
    return (first + [row for row in chosen if row[0] not in ids])[:max_goals]


def missing_evidence(
    framework: Framework, capability: str, to_level: int, ticked: Collection[str]
) -> set[str]:
    """The evidence queries of the behaviours not yet ticked up to the target level: an action
    that leaves such evidence works on exactly what the checklist is missing."""
    cap = framework.capability(capability)
    return {
        b.evidence
        for key, lv, b in cap.behaviours()
        if lv.level <= to_level and key not in ticked and b.evidence
    }


def _rank_actions(
    framework: Framework,
    capability: str,
    gap_capabilities: set[str],
    used: set[str],
    missing: set[str] = frozenset(),  # type: ignore[assignment]
    others_gaps: Mapping[str, float] | None = None,
) -> list[tuple[Track, Action]]:
    """Actions for one goal, best first: those that leave the evidence of the target level's
    missing behaviours, then by the capabilities they grow (the goal's first, the other goals'
    next), then by how far the manager and the 360 see those capabilities below the role, then
    the least effort."""
    others_gaps = others_gaps or {}
    scored = []
    order = 0
    for track in framework.tracks:
        for action in track.actions:
            order += 1
            if action.id in used or capability not in action.capabilities:
                continue
            score = 3 if action.capabilities[0] == capability else 1
            score += sum(
                1 for c in action.capabilities if c != capability and c in gap_capabilities
            )
            if action.done_when and action.done_when in missing:
                score += 2
            seen_gap = sum(max(others_gaps.get(c, 0.0), 0.0) for c in action.capabilities)
            scored.append((-score, -round(seen_gap, 1), action.effort_days, order, track, action))
    scored.sort(key=lambda t: (t[0], t[1], t[2], t[3]))
    picked: list[tuple[Track, Action]] = []
    tracks_seen: set[str] = set()
    # First pass favours variety across tracks; the second fills what is left.
    for *_, track, action in scored:
        if track.id not in tracks_seen:
            picked.append((track, action))
            tracks_seen.add(track.id)
    for *_, track, action in scored:
        if (track, action) not in picked:
            picked.append((track, action))
    return picked


def spread_due_dates(starts_on: dt.date, days: int, count: int) -> list[dt.date]:
    """Evenly spaced due dates, the last on the final day of the period."""
    return [starts_on + dt.timedelta(days=round(days * (k + 1) / count)) for k in range(count)]


def generate_plan(
    framework: Framework,
    profile: ReadinessProfile,
    *,
    starts_on: dt.date,
    days: int = DEFAULT_DAYS,
    max_goals: int = 3,
    actions_per_goal: int = 3,
    focus: Sequence[str] = (),
    ticked: Mapping[str, Collection[str]] | None = None,
    others_gaps: Mapping[str, float] | None = None,
) -> PlanDraft:
    """``ticked``: the behaviours ticked per capability (checklist assessments);
    ``others_gaps``: how far below the role's level the manager and the 360 see each
    capability. Both only reorder actions; without them the plan is as before."""
    goal_caps = _goal_capabilities(profile, max_goals, focus)
    gap_ids = {cid for cid, _, _ in goal_caps}
    used: set[str] = set()
    chosen: list[list[tuple[Track, Action]]] = []
    for cid, _, to_level in goal_caps:
        missing = (
            missing_evidence(framework, cid, to_level, ticked.get(cid, ()))
            if ticked and cid in ticked
            else set()
        )
        picks = _rank_actions(framework, cid, gap_ids, used, missing, others_gaps)[
            :actions_per_goal
        ]
        # Quick wins first inside a goal, so each goal shows movement early.
        picks.sort(key=lambda ta: ta[1].effort_days)
        used.update(a.id for _, a in picks)
        chosen.append(picks)

    # Interleave goals so every goal has actions due early and late in the period.
    schedule: list[tuple[int, Track, Action]] = []
    for k in range(max((len(p) for p in chosen), default=0)):
        for gi, picks in enumerate(chosen):
            if k < len(picks):
                schedule.append((gi, *picks[k]))
    dues = spread_due_dates(starts_on, days, len(schedule)) if schedule else []
    per_goal: list[list[PlannedAction]] = [[] for _ in goal_caps]
    for (gi, track, action), due in zip(schedule, dues, strict=True):
        per_goal[gi].append(
            PlannedAction(
                source_action=action.id,
                track=track.id,
                track_name=track.name,
                title=action.title,
                description=action.description,
                evidence=action.evidence,
                capabilities=tuple(action.capabilities),
                due_on=due,
            )
        )

    goals = []
    for (cid, from_level, to_level), actions in zip(goal_caps, per_goal, strict=True):
        cap = framework.capability(cid)
        target = cap.level(to_level)
        start_name = cap.level(from_level).name if from_level else "unrated"
        goals.append(
            PlannedGoal(
                capability=cid,
                title=f"Grow {cap.name.lower()} from {start_name} to {target.name}",
                from_level=from_level,
                to_level=to_level,
                target_behaviour="; ".join(b.text for b in target.behaviours),
                actions=actions,
            )
        )
    return PlanDraft(
        title=f"{days}-day plan toward {profile.role_name}",
        starts_on=starts_on,
        ends_on=starts_on + dt.timedelta(days=days),
        goals=goals,
    )


@dataclass(frozen=True)
class PlanProgress:
    total: int
    done: int
    expected_done: float
    """How many actions an even pace would have finished by today."""
    steps: list[tuple[dt.date, int]]
    """Cumulative actions done, one point per day something was done."""

    @property
    def fraction(self) -> float:
        return self.done / self.total if self.total else 0.0

    @property
    def status(self) -> str:
        if self.total == 0:
            return "empty"
        if self.done >= self.total:
            return "complete"
        if self.done + 0.5 >= self.expected_done:
            return "on track"
        return "behind"


def plan_progress(
    *,
    starts_on: dt.date,
    ends_on: dt.date,
    done_dates: Sequence[dt.date | None],
    today: dt.date,
) -> PlanProgress:
    total = len(done_dates)
    done_sorted = sorted(d for d in done_dates if d is not None and d <= today)
    span = max((ends_on - starts_on).days, 1)
    elapsed = min(max((today - starts_on).days, 0), span)
    steps: list[tuple[dt.date, int]] = []
    for i, d in enumerate(done_sorted, start=1):
        if steps and steps[-1][0] == d:
            steps[-1] = (d, i)
        else:
            steps.append((d, i))
    return PlanProgress(
        total=total,
        done=len(done_sorted),
        expected_done=total * elapsed / span,
        steps=steps,
    )
