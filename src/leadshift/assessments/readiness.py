"""Readiness: where a person stands on the shifts and capabilities against a target role.

Plain Python over the framework data, no Django: the web app, the API, the CLI and the
reports all read the same profile.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from leadshift.frameworks.schema import Framework

# A shift position this far below what the role expects counts as a shortfall; smaller
# differences are within what the answers can tell apart.
SHIFT_TOLERANCE = 20


class Verdict(StrEnum):
    READY_NOW = "ready_now"
    READY_SOON = "ready_soon"
    NOT_YET = "not_yet"
    INCOMPLETE = "incomplete"

    @property
    def label(self) -> str:
        return {
            "ready_now": "Ready now",
            "ready_soon": "Ready in 6–12 months",
            "not_yet": "Not yet",
            "incomplete": "Incomplete",
        }[self.value]


@dataclass(frozen=True)
class Answers:
    shift_choices: Mapping[tuple[str, str], int] = field(default_factory=dict)
    """(shift id, question id) -> index of the chosen option, from 0."""
    capability_levels: Mapping[str, int] = field(default_factory=dict)
    evidence: Mapping[str, str] = field(default_factory=dict)
    behaviours: Mapping[str, frozenset[str]] = field(default_factory=dict)
    """Capability id -> the behaviour keys ticked; its level then follows from the checklist
    rule (``leadshift.behaviours.checklist``) instead of ``capability_levels``."""


@dataclass(frozen=True)
class ShiftReading:
    id: str
    name: str
    pm_pole: str
    leader_pole: str
    position: float | None
    """0 is the PM end, 100 the leader end; None until a question is answered."""
    answered: int
    questions: int
    expected: int | None

    @property
    def shortfall(self) -> float | None:
        if self.position is None or self.expected is None:
            return None
        return max(0.0, self.expected - self.position)


@dataclass(frozen=True)
class CapabilityReading:
    id: str
    name: str
    level: int | None
    level_name: str | None
    level_summary: str | None
    expected: int
    expected_name: str
    expected_summary: str
    max_level: int
    evidence: str = ""

    @property
    def gap(self) -> int | None:
        return None if self.level is None else self.expected - self.level


@dataclass(frozen=True)
class Statement:
    capability: str
    name: str
    text: str
    gap: int


@dataclass(frozen=True)
class ReadinessProfile:
    framework: str
    role_id: str
    role_name: str
    shifts: list[ShiftReading]
    capabilities: list[CapabilityReading]
    gaps: list[Statement]
    strengths: list[Statement]
    verdict: Verdict
    verdict_text: str
    completeness: float
    readiness: float
    """Share (0–100) of the role's expected capability levels already reached."""

    def capability(self, capability_id: str) -> CapabilityReading:
        for c in self.capabilities:
            if c.id == capability_id:
                return c
        raise KeyError(capability_id)

    def shift(self, shift_id: str) -> ShiftReading:
        for s in self.shifts:
            if s.id == shift_id:
                return s
        raise KeyError(shift_id)


def shift_position(
    framework: Framework, shift_id: str, choices: Mapping[tuple[str, str], int]
) -> tuple[float | None, int]:
    """The mean position of the answered questions, and how many were answered."""
    shift = framework.shift(shift_id)
    positions = [
        q.options[choices[(shift_id, q.id)]].position
        for q in shift.questions
        if (shift_id, q.id) in choices and 0 <= choices[(shift_id, q.id)] < len(q.options)
    ]
    if not positions:
        return None, 0
    return sum(positions) / len(positions), len(positions)


def readiness_profile(framework: Framework, answers: Answers, role_id: str) -> ReadinessProfile:
    role = framework.role(role_id)
    shifts = []
    for s in framework.shifts:
        position, answered = shift_position(framework, s.id, answers.shift_choices)
        shifts.append(
            ShiftReading(
                id=s.id,
                name=s.name,
                pm_pole=s.pm_pole,
                leader_pole=s.leader_pole,
                position=position,
                answered=answered,
                questions=len(s.questions),
                expected=role.shifts.get(s.id),
            )
        )
    capabilities = []
    for c in framework.capabilities:
        level = answers.capability_levels.get(c.id)
        if level is not None and not c.min_level <= level <= c.max_level:
            raise ValueError(f"{c.id}: level {level} is outside {c.min_level}–{c.max_level}")
        current = c.level(level) if level is not None else None
        expected = c.level(role.expected[c.id])
        capabilities.append(
            CapabilityReading(
                id=c.id,
                name=c.name,
                level=level,
                level_name=current.name if current else None,
                level_summary=current.summary if current else None,
                expected=expected.level,
                expected_name=expected.name,
                expected_summary=expected.summary,
                max_level=c.max_level,
                evidence=answers.evidence.get(c.id, ""),
            )
        )

    questions = sum(s.questions for s in shifts)
    answered = sum(s.answered for s in shifts) + sum(c.level is not None for c in capabilities)
    completeness = answered / (questions + len(capabilities))
    reached = sum(min(c.level or 0, c.expected) for c in capabilities)
    readiness = 100.0 * reached / sum(c.expected for c in capabilities)

    gaps = _gaps(capabilities, role.name)
    strengths = _strengths(capabilities, role.name)
    verdict = _verdict(shifts, capabilities)
    return ReadinessProfile(
        framework=framework.label,
        role_id=role.id,
        role_name=role.name,
        shifts=shifts,
        capabilities=capabilities,
        gaps=gaps,
        strengths=strengths,
        verdict=verdict,
        verdict_text=_verdict_text(verdict, role.name, shifts, capabilities),
        completeness=completeness,
        readiness=readiness,
    )


def _gaps(capabilities: list[CapabilityReading], role_name: str, n: int = 3) -> list[Statement]:
    rated = [c for c in capabilities if c.gap is not None and c.gap > 0]
    rated.sort(key=lambda c: (-(c.gap or 0), capabilities.index(c)))
    return [
        Statement(
            capability=c.id,
            name=c.name,
            gap=c.gap or 0,
            text=(
                f"You are at {c.level_name} ({c.level}); a {role_name} works at "
                f"{c.expected_name} ({c.expected}): {c.expected_summary}"
            ),
        )
        for c in rated[:n]
    ]


def _strengths(
    capabilities: list[CapabilityReading], role_name: str, n: int = 3
) -> list[Statement]:
    rated = [c for c in capabilities if c.gap is not None and c.gap <= 0]
    rated.sort(key=lambda c: (c.gap or 0, -(c.level or 0), capabilities.index(c)))
    out = []
    for c in rated[:n]:
        surplus = -(c.gap or 0)
        against = (
            f"{surplus} level{'s' if surplus > 1 else ''} above what a {role_name} needs"
            if surplus
            else f"what a {role_name} needs"
        )
        out.append(
            Statement(
                capability=c.id,
                name=c.name,
                gap=c.gap or 0,
                text=f"{c.level_name} ({c.level}), {against}: {c.level_summary}",
            )
        )
    return out


def _verdict(shifts: list[ShiftReading], capabilities: list[CapabilityReading]) -> Verdict:
    if any(c.level is None for c in capabilities) or any(s.position is None for s in shifts):
        return Verdict.INCOMPLETE
    deficits = [max(0, c.gap or 0) for c in capabilities]
    short_shifts = sum(1 for s in shifts if (s.shortfall or 0) > SHIFT_TOLERANCE)
    if sum(deficits) == 0 and short_shifts <= 1:
        return Verdict.READY_NOW
    if max(deficits) <= 1 and sum(deficits) <= 3 and short_shifts <= 3:
        return Verdict.READY_SOON
    return Verdict.NOT_YET


def _verdict_text(
    verdict: Verdict,
    role_name: str,
    shifts: list[ShiftReading],
    capabilities: list[CapabilityReading],
) -> str:
    if verdict is Verdict.INCOMPLETE:
        return "Finish the assessment to see a verdict."
    below = [c.name.lower() for c in capabilities if (c.gap or 0) > 0]
    short = [s.name.lower() for s in shifts if (s.shortfall or 0) > SHIFT_TOLERANCE]
    if verdict is Verdict.READY_NOW:
        tail = f", though your work still sits short of the role on {short[0]}" if short else ""
        return f"Ready now for {role_name}: you meet every capability the role expects{tail}."
    if verdict is Verdict.READY_SOON:
        return (
            f"Ready for {role_name} in 6–12 months: one level to grow on "
            f"{_join(below)}"
            + (f", and your work to move on {_join(short)}" if short else "")
            + "."
        )
    big = [c.name.lower() for c in capabilities if (c.gap or 0) >= 2]
    return (
        f"Not yet ready for {role_name}: "
        + (f"two or more levels to grow on {_join(big)}" if big else f"gaps on {_join(below)}")
        + "."
    )


def _join(words: list[str]) -> str:
    if not words:
        return "nothing"
    if len(words) == 1:
        return words[0]
    return ", ".join(words[:-1]) + " and " + words[-1]


@dataclass(frozen=True)
class Movement:
    id: str
    name: str
    before: float | None
    after: float | None

    @property
    def change(self) -> float | None:
        if self.before is None or self.after is None:
            return None
        return self.after - self.before


@dataclass(frozen=True)
class Comparison:
    shifts: list[Movement]
    capabilities: list[Movement]
    verdict_before: Verdict
    verdict_after: Verdict
    readiness_before: float
    readiness_after: float


def compare_profiles(before: ReadinessProfile, after: ReadinessProfile) -> Comparison:
    """What moved between two profiles, matched by id (frameworks may differ in version)."""
    before_shifts = {s.id: s for s in before.shifts}
    before_caps = {c.id: c for c in before.capabilities}
    return Comparison(
        shifts=[
            Movement(
                s.id,
                s.name,
                before_shifts[s.id].position if s.id in before_shifts else None,
                s.position,
            )
            for s in after.shifts
        ],
        capabilities=[
            Movement(
                c.id,
                c.name,
                before_caps[c.id].level if c.id in before_caps else None,
                c.level,
            )
            for c in after.capabilities
        ],
        verdict_before=before.verdict,
        verdict_after=after.verdict,
        readiness_before=before.readiness,
        readiness_after=after.readiness,
    )


def profile_json(profile: ReadinessProfile) -> dict:
    """The profile as plain JSON data, the one shape the API and the CLI print."""
    return {
        "framework": profile.framework,
        "target_role": {"id": profile.role_id, "name": profile.role_name},
        "verdict": profile.verdict.value,
        "verdict_text": profile.verdict_text,
        "readiness": round(profile.readiness, 1),
        "completeness": round(profile.completeness, 3),
        "shifts": [
            {
                "id": s.id,
                "name": s.name,
                "pm_pole": s.pm_pole,
                "leader_pole": s.leader_pole,
                "position": None if s.position is None else round(s.position, 1),
                "expected": s.expected,
                "answered": s.answered,
                "questions": s.questions,
            }
            for s in profile.shifts
        ],
        "capabilities": [
            {
                "id": c.id,
                "name": c.name,
                "level": c.level,
                "level_name": c.level_name,
                "expected": c.expected,
                "expected_name": c.expected_name,
                "gap": c.gap,
                "evidence": c.evidence,
            }
            for c in profile.capabilities
        ],
        "gaps": [
            {"capability": g.capability, "name": g.name, "gap": g.gap, "text": g.text}
            for g in profile.gaps
        ],
        "strengths": [
            {"capability": g.capability, "name": g.name, "gap": g.gap, "text": g.text}
            for g in profile.strengths
        ],
    }


def comparison_json(comparison: Comparison) -> dict:
    def moves(items: list[Movement]) -> list[dict]:
        return [
            {"id": m.id, "name": m.name, "before": m.before, "after": m.after, "change": m.change}
            for m in items
        ]

    return {
        "verdict": {
            "before": comparison.verdict_before.value,
            "after": comparison.verdict_after.value,
        },
        "readiness": {
            "before": round(comparison.readiness_before, 1),
            "after": round(comparison.readiness_after, 1),
        },
        "shifts": moves(comparison.shifts),
        "capabilities": moves(comparison.capabilities),
    }
