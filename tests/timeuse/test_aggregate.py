"""Hours per shift pole per week and month, leader share and its trend."""

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from leadshift.timeuse.aggregate import aggregate, summary_json, time_use, week_key
from leadshift.timeuse.ics import Meeting, read_calendar
from leadshift.timeuse.rules import (
    POLES,
    SHIFTS,
    Classification,
    Context,
    classify,
    load_rules,
)

RULES = load_rules()


def meeting(start, hours):
    return Meeting(
        uid=f"m{start.isoformat()}",
        title="m",
        start=start,
        end=start + timedelta(hours=hours),
        duration_hours=hours,
        all_day=False,
        organiser=None,
        attendees=(),
        attendee_count=1,
        recurring=False,
        owner_status=None,
    )


def google_use(data):
    read = read_calendar(data / "google_export.ics")
    context = Context.of(
        owner=read.owner, reports=["tom@acme.com"], executives=["ceo@acme.com", "cfo@acme.com"]
    )
    return time_use(read, RULES, context)


def test_it_sums_a_google_calendar_into_hours_per_shift_pole(data):
    summary = summary_json(google_use(data))
    assert summary["total_hours"] == 7.25
    assert summary["meetings"] == 9
    assert summary["unclassified_hours"] == 0.0
    # Sprint planning 3 h (execution), portfolio review 1.5 h with executives,
    # 1:1s with an own PM 2 h, customer call 0.75 h.
    assert summary["by_shift"] == {
        "scope": {"pm": 3.0, "leader": 1.5},
        "focus": {"pm": 3.0, "leader": 1.5},
        "decisions": {"pm": 3.0, "leader": 1.5},
        "team": {"pm": 0.0, "leader": 2.0},
        "stakeholders": {"pm": 0.75, "leader": 1.5},
    }
    assert summary["leader_share"]["team"] == 1.0
    assert summary["leader_share"]["focus"] == round(1.5 / 4.5, 4)


def test_it_splits_the_google_calendar_into_iso_weeks_in_the_persons_zone(data):
    weeks = summary_json(google_use(data))["weeks"]
    assert {k: v["total_hours"] for k, v in weeks.items()} == {
        "2026-W10": 1.5,  # sprint planning, 1:1
        "2026-W11": 2.0,  # portfolio review, moved 1:1
        "2026-W12": 1.75,  # sprint planning, customer call (1:1 on the 19th excluded)
        "2026-W13": 0.5,  # 1:1
        "2026-W14": 1.5,  # sprint planning 30 March, 1:1 2 April
    }
    assert weeks["2026-W11"]["by_shift"]["stakeholders"] == {"pm": 0.0, "leader": 1.5}


def test_it_classifies_the_outlook_and_apple_exports(data):
    read = read_calendar(data / "outlook_export.ics", owner="jane.doe@contoso.com")
    context = Context.of(owner=read.owner, reports=["ravi@contoso.com", "ana@contoso.com"])
    summary = summary_json(time_use(read, RULES, context))
    assert summary["by_shift"]["team"] == {"pm": 0.0, "leader": 3.0}
    assert summary["by_shift"]["stakeholders"] == {"pm": 0.0, "leader": 3.0}
    assert summary["by_shift"]["decisions"] == {"pm": 0.0, "leader": 4.0}
    assert summary["all_day_events"] == 1

    read = read_calendar(data / "apple_export.ics", owner="sam@example.org")
    summary = summary_json(time_use(read, RULES))
    assert summary["unclassified_hours"] == 1.0  # lunch
    assert summary["by_shift"]["focus"] == {"pm": 1.75, "leader": 1.75}
    assert summary["by_shift"]["stakeholders"] == {"pm": 0.5, "leader": 0.0}
    assert {k: v["total_hours"] for k, v in summary["weeks"].items()} == {
        "2026-W44": 2.0,
        "2026-W45": 2.0,
        "2026-W46": 1.0,
    }
    assert summary["all_day_days"] == 3.0


def test_it_keeps_no_title_or_attendee_in_the_summary(data):
    text = str(summary_json(google_use(data)))
    assert "Tom" not in text and "acme.com" not in text and "Globex" not in text


def test_it_uses_the_local_date_for_the_week():
    berlin = ZoneInfo("Europe/Berlin")
    # Sunday 23:30 UTC is already Monday in Berlin.
    assert week_key(datetime(2026, 3, 8, 23, 30, tzinfo=UTC), berlin) == "2026-W11"
    assert week_key(datetime(2026, 3, 8, 23, 30, tzinfo=UTC), UTC) == "2026-W10"
    assert week_key(datetime(2027, 1, 1, 12, tzinfo=UTC), UTC) == "2026-W53"


def test_it_finds_time_moving_toward_the_leader_end_over_months():
    meetings, found = [], []
    for month, leader_share in ((1, 0.2), (2, 0.4), (3, 0.6), (4, 0.8)):
        start = datetime(2026, month, 10, 9, tzinfo=UTC)
        meetings += [meeting(start, 1.0), meeting(start + timedelta(days=1), 1.0)]
        found += [
            Classification({"focus:leader": leader_share, "focus:pm": 1 - leader_share}, "a"),
            Classification({"focus:leader": leader_share, "focus:pm": 1 - leader_share}, "a"),
        ]
    use = aggregate(meetings, found, UTC)
    trend = use.trend["focus"]
    assert abs(trend.slope_per_month - 0.2) < 1e-9
    assert trend.direction == "toward leader"
    assert trend.months == 4
    assert use.trend["team"].slope_per_month is None
    assert use.trend["team"].direction == "not enough data"


def test_it_finds_a_steady_share_steady():
    meetings = [meeting(datetime(2026, m, 3, 9, tzinfo=UTC), 2.0) for m in (1, 2, 3)]
    found = [Classification({"team:leader": 0.5, "team:pm": 0.5}, "a")] * 3
    assert aggregate(meetings, found, UTC).trend["team"].direction == "steady"


pole_shares = st.dictionaries(
    st.sampled_from(SHIFTS),
    st.tuples(st.floats(0, 1), st.floats(0, 1)),
    max_size=5,
).map(
    lambda d: {
        f"{shift}:{end}": share
        for shift, (a, b) in d.items()
        for end, share in (("pm", a * (1 - b)), ("leader", a * b))
        if share > 0
    }
)

meetings_and_classes = st.lists(
    st.tuples(
        st.datetimes(
            min_value=datetime(2025, 1, 1), max_value=datetime(2027, 12, 31), timezones=st.just(UTC)
        ),
        st.floats(min_value=0.1, max_value=8.0),
        pole_shares,
    ),
    max_size=40,
)


@settings(max_examples=60, deadline=None)
@given(meetings_and_classes, st.sampled_from(["UTC", "Europe/Berlin", "America/New_York"]))
def test_hours_per_pole_never_exceed_meeting_hours_and_weeks_add_up(items, zone_name):
    zone = UTC if zone_name == "UTC" else ZoneInfo(zone_name)
    meetings = [meeting(start, hours) for start, hours, _ in items]
    found = [Classification(poles, "r" if poles else None) for _, _, poles in items]
    use = aggregate(meetings, found, zone)
    total = use.total_hours
    for shift in SHIFTS:
        on_shift = use.total.by_pole[f"{shift}:pm"] + use.total.by_pole[f"{shift}:leader"]
        assert on_shift <= total + 1e-9
        share = use.total.leader_share(shift)
        assert share is None or 0 <= share <= 1
    assert abs(sum(w.total_hours for w in use.weeks.values()) - total) < 1e-6
    assert abs(sum(m.total_hours for m in use.months.values()) - total) < 1e-6
    assert sum(w.meetings for w in use.weeks.values()) == len(meetings)
    for pole in POLES:
        weekly = sum(w.by_pole[pole] for w in use.weeks.values())
        assert abs(weekly - use.total.by_pole[pole]) < 1e-6
    summary = summary_json(use)
    assert set(summary) >= {"total_hours", "by_shift", "weeks"}


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(
                ["Stand-up", "Portfolio review", "Board prep", "Lunch", "Sync", "1:1", "Misc"]
            ),
            st.lists(
                st.sampled_from(["tom@acme.com", "ceo@acme.com", "x@globex.com", "peer@acme.com"]),
                max_size=3,
                unique=True,
            ),
        ),
        min_size=1,
        max_size=20,
    )
)
def test_default_rules_never_put_more_than_a_meeting_on_one_shift(items):
    context = Context.of(
        owner="maya@acme.com", reports=["tom@acme.com"], executives=["ceo@acme.com"]
    )
    for title, people in items:
        m = replace(
            meeting(datetime(2026, 5, 4, 9, tzinfo=UTC), 1.0),
            title=title,
            organiser="maya@acme.com",
            attendees=tuple(people),
            attendee_count=len(people) + 1,
        )
        poles = classify(m, RULES, context).poles
        for shift in SHIFTS:
            assert poles.get(f"{shift}:pm", 0) + poles.get(f"{shift}:leader", 0) <= 1 + 1e-9
