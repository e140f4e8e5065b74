"""Who could mentor whom in one capability: people whose 360 estimate is strong where the
mentee is weak, outside the mentee's own reporting line. Plain Python: typed in, typed out."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

# A mentor's estimate must clear this level and beat the mentee's by this margin: a mentor
# half a level ahead has little to pass on.
STRONG_LEVEL = 3.0
MARGIN = 1.0
PROPOSALS = 3


@dataclass(frozen=True)
class Estimate:
    value: float
    low: float | None = None
    high: float | None = None

    def text(self) -> str:
        if self.low is None or self.high is None:
            return f"{self.value:.1f}"
        return f"{self.value:.1f} [{self.low:.1f}–{self.high:.1f}]"


@dataclass(frozen=True)
class Candidate:
    """A colleague and their estimate in the capability from their latest released 360."""

    person_id: int
    name: str
    estimate: Estimate
    cycle_label: str  # "May 2026": when that 360 was held


@dataclass(frozen=True)
class Mentee:
    person_id: int
    capability_id: str
    capability_name: str
    level: float | None  # their own estimate (360, else manager, else self); None: unknown
    level_source: str = "360"  # where `level` comes from, said in the reason unless the 360
    # Their managers (all the way up) and everyone below them: never proposed.
    reporting_line: frozenset[int] = frozenset()


@dataclass(frozen=True)
class Match:
    person_id: int
    name: str
    estimate: Estimate
    cycle_label: str
    reason: str  # as the mentee reads it
    mentor_reason: str  # as the proposed mentor reads it: nothing of the mentee's levels


def _you(mentee: Mentee) -> str:
    if mentee.level is None:
        return "you have no estimate yet"
    source = "" if mentee.level_source == "360" else f" ({mentee.level_source})"
    return f"you {mentee.level:.1f}{source}"


def propose(
    mentee: Mentee,
    candidates: Sequence[Candidate],
    *,
    limit: int = PROPOSALS,
    strong: float = STRONG_LEVEL,
    margin: float = MARGIN,
) -> list[Match]:
    """The strongest eligible colleagues first, by the lower end of their interval (an
    estimate from few raters counts for less), then the estimate, then the name."""
    eligible = [
        c
        for c in candidates
        if c.person_id != mentee.person_id
        and c.person_id not in mentee.reporting_line
        and c.estimate.value >= strong
        and (mentee.level is None or c.estimate.value - mentee.level >= margin)
    ]
    eligible.sort(
        key=lambda c: (
            -(c.estimate.low if c.estimate.low is not None else c.estimate.value),
            -c.estimate.value,
            c.name,
            c.person_id,
        )
    )
    what = mentee.capability_name.lower()
    return [
        Match(
            person_id=c.person_id,
            name=c.name,
            estimate=c.estimate,
            cycle_label=c.cycle_label,
            # A colleague's 360 is theirs and their managers' to read: the mentee learns that
            # it is strong where they are weak, never its figures.
            reason=(
                f"strong on {what} in their 360 of {c.cycle_label}, a level or more above you; "
                f"{_you(mentee)}"
            ),
            mentor_reason=f"your {c.estimate.text()} on {what} in the 360 of {c.cycle_label}",
        )
        for c in eligible[:limit]
    ]
