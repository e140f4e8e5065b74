"""The demo organisation's 1:1s: Maya with a director and with Sam, and Sam with his manager."""

from __future__ import annotations

import datetime as dt

from leadshift.coaching.models import Meeting
from leadshift.coaching.services import (
    do_add_item,
    do_add_note,
    do_agree_action,
    do_finish_meeting,
    do_start_series,
)
from leadshift.people.models import Person

SHARED = [
    "Talked through the quarter's bets; agreed the portfolio review needs a one-page summary.",
    "Went over the team's hiring plan and who could step up as a lead next half.",
    "Reviewed the last decision record: the forecast was too confident; write the pre-mortem first.",
]


def _held(series_meeting: Meeting, leader: Person, person: Person, k: int) -> Meeting:
    do_add_note(series_meeting, leader, SHARED[k % len(SHARED)], private=False)
    if k == 0:
        do_add_note(
            series_meeting,
            leader,
            "Seems stretched; ask about workload before the planning offsite.",
            private=True,
        )
    return do_finish_meeting(series_meeting, leader)


def load_manager_view(sam: Person) -> None:
    """Sam's manager rates him where the 360 put him, and his plan is made again from all three
    views: visionary thinking, well under his self-rating in the 360, becomes a goal."""
    from leadshift.assessments.models import Assessment
    from leadshift.coaching.perspectives import estimate_levels, self_levels
    from leadshift.coaching.services import do_record_manager_assessment
    from leadshift.growth.services import do_generate_plan

    manager = sam.manager
    if manager is None:
        return
    own, estimate = self_levels(sam), estimate_levels(sam)
    ratings = {
        cid: (
            max(1, round(estimate.get(cid, level))),
            "Seen in the quarterly reviews and the roadmap sessions.",
        )
        for cid, level in own.items()
    }
    if "visionary_thinking" in ratings:
        ratings["visionary_thinking"] = (
            max(1, min(ratings["visionary_thinking"][0], own["visionary_thinking"] - 1)),
            "Roadmaps are strong a quarter out; the two-year story is still missing.",
        )
    do_record_manager_assessment(manager, sam, ratings)
    latest = (
        sam.assessments.filter(status=Assessment.Status.COMPLETE).order_by("-completed_at").first()
    )
    if latest is not None:
        do_generate_plan(latest, manager)


def load_coaching(leader: Person, director: Person, sam: Person, today: dt.date) -> int:
    """A few 1:1 series with past meetings and notes; returns how many series."""
    pairs = [
        (leader, director, "weekly", 2),
        (leader, sam, "monthly", 1),
        (sam.manager, sam, "fortnightly", 3),
    ]
    count = 0
    for lead, person, cadence, held in pairs:
        if lead is None:
            continue
        days = {"weekly": 7, "fortnightly": 14, "monthly": 30}[cadence]
        series = do_start_series(
            lead, person, cadence=cadence, first_on=today - dt.timedelta(days=days * held - 3)
        )
        meeting = series.upcoming()
        assert meeting is not None
        for k in range(held):
            meeting = _held(meeting, lead, person, k)
        if lead.id == leader.id and person.id == sam.id and person.plans.exists():
            do_agree_action(
                meeting,
                lead,
                title="Draft a two-year product vision and walk the team through it",
                due_on=today + dt.timedelta(days=21),
            )
        do_add_item(meeting, person, "How do I get more exposure to the executive team?")
        count += 1
    return count
