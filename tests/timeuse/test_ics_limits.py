"""Calendars that would cost the server without bound are refused in words before expanding,
and finite series are read whole, however far they run past today."""

from __future__ import annotations

import datetime as dt

import pytest

from leadshift.files import InputError
from leadshift.timeuse.ics import MAX_EVENTS, MAX_OCCURRENCES, read_calendar


def calendar(*events: str) -> bytes:
    body = "".join(f"BEGIN:VEVENT\n{e.strip()}\nEND:VEVENT\n" for e in events)
    return f"BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:t\n{body}END:VCALENDAR\n".encode()


def event(uid: str, start: str, end: str, *more: str) -> str:
    return "\n".join((f"UID:{uid}", f"DTSTART:{start}", f"DTEND:{end}", *more))


def refused(source: bytes, **kwargs) -> InputError:
    with pytest.raises(InputError) as caught:
        read_calendar(source, filename="cal.ics", **kwargs)
    return caught.value


# --- hostile calendars --------------------------------------------------------------------


def test_a_secondly_series_without_an_end_is_refused_in_words_with_its_line():
    start = (dt.datetime.now(dt.UTC) - dt.timedelta(days=30)).strftime("%Y%m%dT%H%M%SZ")
    error = refused(calendar(event("s", start, start, "RRULE:FREQ=SECONDLY")))
    assert error.problems[0].line == 8
    assert f"more than {MAX_OCCURRENCES:,} occurrences" in str(error)
    assert "read a shorter period" in str(error)


def test_a_series_of_a_billion_occurrences_is_refused_before_it_is_expanded():
    error = refused(
        calendar(
            event("c", "20300101T090000Z", "20300101T100000Z", "RRULE:FREQ=DAILY;COUNT=1000000000")
        )
    )
    assert error.problems[0].line == 8
    assert "occurrences" in error.problems[0].message


def test_a_dense_series_long_before_the_window_is_refused_not_stepped_through_forever():
    error = refused(
        calendar(event("m", "20000101T090000Z", "20000101T090100Z", "RRULE:FREQ=MINUTELY")),
        start=dt.date(2026, 1, 5),
        end=dt.date(2026, 1, 6),
    )
    assert "repeats more than" in str(error) and "COUNT or UNTIL" in str(error)


def test_a_file_of_too_many_events_is_refused_at_the_first_event_over_the_limit():
    events = [event(f"e{i}", "20260105T090000Z", "20260105T100000Z") for i in range(MAX_EVENTS + 1)]
    error = refused(calendar(*events))
    assert f"more than {MAX_EVENTS:,} events" in str(error)
    assert error.problems[0].line == 4 + MAX_EVENTS * 5


# --- the default window -------------------------------------------------------------------


def test_a_weekly_count_series_running_past_today_and_every_date_written_is_read_whole():
    read = read_calendar(
        calendar(
            event("w", "20301202T090000Z", "20301202T100000Z", "RRULE:FREQ=WEEKLY;COUNT=20"),
            event("one", "20301210T090000Z", "20301210T100000Z"),
        )
    )
    assert len(read.meetings) == 21
    assert read.endless_until is None


def test_a_daily_count_series_is_read_whole():
    read = read_calendar(
        calendar(event("d", "20301129T090000Z", "20301129T100000Z", "RRULE:FREQ=DAILY;COUNT=10"))
    )
    assert len(read.meetings) == 10


def test_a_series_without_an_end_stops_at_the_stated_default_beside_a_longer_finite_one():
    today = dt.datetime.now(dt.UTC).date()
    first = (today - dt.timedelta(days=9)).strftime("%Y%m%dT090000Z")
    first_end = (today - dt.timedelta(days=9)).strftime("%Y%m%dT093000Z")
    read = read_calendar(
        calendar(
            event("daily", first, first_end, "RRULE:FREQ=DAILY"),
            event("weekly", first, first_end, "RRULE:FREQ=WEEKLY;COUNT=20"),
        )
    )
    assert read.endless_series == 1
    assert read.endless_until is not None and read.endless_until.date() == today + dt.timedelta(1)
    daily = [m for m in read.meetings if m.uid == "daily"]
    assert all(m.start < read.endless_until for m in daily)
    assert len(daily) in (10, 11)  # today's 09:00 may be still to come
    assert len([m for m in read.meetings if m.uid == "weekly"]) == 20


# --- events written in ways that used to mislead --------------------------------------------


def test_two_events_sharing_a_uid_without_recurrence_id_are_both_counted():
    read = read_calendar(
        calendar(
            event("same", "20260105T090000Z", "20260105T100000Z"),
            event("same", "20260106T090000Z", "20260106T163000Z"),
        )
    )
    assert len(read.meetings) == 2
    assert read.meeting_hours == 8.5
    assert {m.uid for m in read.meetings} == {"same"}


def test_an_event_with_two_dtstart_lines_is_refused_at_the_second():
    error = refused(
        calendar(event("x", "20260105T090000Z", "20260105T100000Z", "DTSTART:20260106T090000Z"))
    )
    assert str(error) == (
        "cal.ics:8: DTSTART appears twice in one event (first on line 6); an event has one"
    )


def test_an_empty_rrule_line_is_refused_with_its_line():
    error = refused(calendar(event("x", "20260105T090000Z", "20260105T100000Z", "RRULE:")))
    assert str(error) == "cal.ics:8: RRULE is empty; write a value or drop the line"


def test_an_rdate_of_dates_beside_a_date_time_start_is_refused_in_plain_words():
    error = refused(
        calendar(event("x", "20260105T090000Z", "20260105T100000Z", "RDATE;VALUE=DATE:20260107"))
    )
    assert str(error) == (
        "cal.ics:8: RDATE holds a date but DTSTART is a date-time; write both the same way"
    )


def test_an_exdate_time_beside_an_all_day_start_is_refused_in_plain_words():
    error = refused(
        calendar(
            "UID:x\nDTSTART;VALUE=DATE:20260105\nRRULE:FREQ=DAILY;COUNT=3\nEXDATE:20260106T000000Z"
        )
    )
    assert error.problems[0].line == 8
    assert "EXDATE holds a date-time but DTSTART is a date" in str(error)


def test_an_rdate_period_of_dates_is_refused_not_counted_as_a_day_long_meeting():
    error = refused(
        calendar(
            event(
                "x",
                "20260105T090000Z",
                "20260105T100000Z",
                "RDATE;VALUE=PERIOD:20260107/20260108",
            )
        )
    )
    assert error.problems[0].line == 8
    assert "period of dates" in str(error)


def test_a_zone_written_with_a_leading_slash_is_the_olson_zone():
    read = read_calendar(
        calendar(
            "UID:x\nDTSTART;TZID=/Europe/Stockholm:20260105T090000\n"
            "DTEND;TZID=/Europe/Stockholm:20260105T100000"
        )
    )
    assert [m.start for m in read.meetings] == [dt.datetime(2026, 1, 5, 8, tzinfo=dt.UTC)]
