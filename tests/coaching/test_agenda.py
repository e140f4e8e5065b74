"""The agenda engine: plain dataclasses in, agenda items out."""

from __future__ import annotations

import datetime as dt

from leadshift.coaching.agenda import (
    ActionDue,
    DecisionDue,
    Evidence,
    OwnItem,
    ReadinessChange,
    StakeholderOverdue,
    build_agenda,
)

DAY = dt.date(2026, 11, 30)


def test_an_empty_record_gives_an_empty_agenda():
    assert build_agenda(Evidence(meeting_on=DAY)) == []


def test_overdue_actions_come_first_and_later_ones_are_left_out():
    ev = Evidence(
        meeting_on=DAY,
        actions_open=[
            ActionDue("Due next month", DAY + dt.timedelta(days=30)),
            ActionDue("Due in three days", DAY + dt.timedelta(days=3)),
            ActionDue("Late by a week", DAY - dt.timedelta(days=7)),
        ],
        own_items=[OwnItem("Pia PM", "My promotion case")],
    )
    items = build_agenda(ev)
    assert [i.title for i in items] == [
        "1 plan action overdue",
        "1 plan action due this week",
        "My promotion case",
    ]
    assert items[0].details == ["Late by a week (due 23 Nov 2026)"]
    assert all("Due next month" not in d for i in items for d in i.details)


def test_a_low_confidence_check_in_asks_what_is_in_the_way():
    items = build_agenda(Evidence(meeting_on=DAY, last_confidence=2))
    assert items[0].kind == "checkin" and "what is in the way" in items[0].title
    assert (
        "what is in the way"
        not in build_agenda(Evidence(meeting_on=DAY, last_confidence=4))[0].title
    )


def test_feedback_decisions_stakeholders_and_readiness_each_become_an_item():
    ev = Evidence(
        meeting_on=DAY,
        blind_spots=["Visionary thinking"],
        hidden_strengths=["Cultural leadership"],
        decisions_due=[DecisionDue("Sunset the legacy app?", DAY - dt.timedelta(days=2))],
        stakeholders_overdue=[StakeholderOverdue("CFO", 5), StakeholderOverdue("CTO", 20)],
        readiness=ReadinessChange("Not yet", "Ready in 6–12 months", 40, 55, [("Vision", 2, 3)]),
    )
    items = build_agenda(ev)
    assert [i.kind for i in items] == [
        "feedback",
        "feedback",
        "decisions",
        "stakeholders",
        "readiness",
    ]
    assert items[0].details == ["Visionary thinking"]
    assert items[3].details[0].startswith("CTO")  # the longest overdue first
    assert items[4].title == (
        "Readiness since the last assessment: 40% → 55% (Not yet → Ready in 6–12 months)"
    )
    assert items[4].details == ["Vision: 2 → 3"]


def test_an_unchanged_readiness_is_not_worth_an_item():
    same = ReadinessChange("Not yet", "Not yet", 40, 40, [])
    assert build_agenda(Evidence(meeting_on=DAY, readiness=same)) == []
