"""Each recurrence case, written by hand as an ICS file, with counts and hours worked out."""

from datetime import UTC, date, datetime

from leadshift.timeuse.ics import read_calendar

OWNER = "maya@acme.com"


def starts(read):
    return [m.start for m in read.meetings]


def test_it_leaves_out_an_excluded_date_of_a_weekly_series(data):
    read = read_calendar(data / "weekly_exdate.ics", owner=OWNER)
    # COUNT=6 Mondays from 2 March, 16 March excluded: 5 half hours.
    assert len(read.meetings) == 5
    assert read.meeting_hours == 2.5
    assert datetime(2026, 3, 16, 8, 0, tzinfo=UTC) not in starts(read)


def test_it_keeps_a_weekly_meeting_at_nine_local_across_the_european_clock_change(data):
    read = read_calendar(data / "weekly_exdate.ics", owner=OWNER)
    # 09:00 in Berlin is 08:00 UTC before 29 March and 07:00 UTC after it.
    assert [m.start.hour for m in read.meetings] == [8, 8, 8, 7, 7]
    assert all(m.recurring for m in read.meetings)


def test_it_moves_an_occurrence_to_its_new_time_and_length(data):
    read = read_calendar(data / "moved_occurrence.ics", owner=OWNER)
    assert starts(read) == [
        datetime(2026, 1, 6, 14, tzinfo=UTC),
        datetime(2026, 1, 15, 10, tzinfo=UTC),
        datetime(2026, 1, 20, 14, tzinfo=UTC),
        datetime(2026, 1, 27, 14, tzinfo=UTC),
    ]
    assert read.meeting_hours == 4.5
    assert read.meetings[1].title == "Feature review (moved)"


def test_it_skips_a_cancelled_occurrence_and_counts_it(data):
    read = read_calendar(data / "cancelled_occurrence.ics")
    # Wednesdays 4, 11, 18, 25 February until the 25th; the 18th is cancelled.
    assert [m.start.day for m in read.meetings] == [4, 11, 25]
    assert read.skipped == {"cancelled": 1}
    assert read.meeting_hours == 3.0


def test_it_honours_count_until_and_an_extra_rdate(data):
    read = read_calendar(data / "count_until_rdate.ics")
    scrum = [m for m in read.meetings if m.title == "Daily scrum"]
    review = [m for m in read.meetings if m.title == "Portfolio review"]
    # Seven weekdays from Monday 6 April: 6-10 and 13-14 April.
    assert [m.start.day for m in scrum] == [6, 7, 8, 9, 10, 13, 14]
    # First Thursday monthly until 1 June (2 April, 7 May) plus the RDATE on 21 May.
    assert [(m.start.month, m.start.day) for m in review] == [(4, 2), (5, 7), (5, 21)]
    assert read.meeting_hours == 7 * 0.25 + 3 * 2.0


def test_it_keeps_a_new_york_meeting_at_nine_across_the_march_change(data):
    read = read_calendar(data / "dst_new_york.ics")
    # 09:00 EST is 14:00 UTC; after 8 March 09:00 EDT is 13:00 UTC.
    assert starts(read) == [
        datetime(2026, 2, 27, 14, tzinfo=UTC),
        datetime(2026, 3, 6, 14, tzinfo=UTC),
        datetime(2026, 3, 13, 13, tzinfo=UTC),
    ]
    assert read.timezone_name == "America/New_York"


def test_it_counts_all_day_events_apart_from_meeting_hours(data):
    read = read_calendar(data / "all_day.ics")
    assert [m.title for m in read.meetings] == ["OKR draft"]
    assert read.meeting_hours == 2.0
    assert [(m.title, m.duration_hours) for m in read.all_day] == [
        ("Leadership offsite", 48.0),
        ("Easter Monday", 24.0),
    ]
    assert all(m.all_day for m in read.all_day)


def test_it_skips_what_the_owner_declined_even_one_occurrence_of_a_series(data):
    read = read_calendar(data / "declined.ics", owner="Maya@ACME.com")
    assert [(m.title, m.start.day) for m in read.meetings] == [
        ("Maya / Tom 1:1", 11),
        ("Pricing decision", 13),
        ("Maya / Tom 1:1", 25),
    ]
    assert read.skipped == {"declined": 2}
    assert read.meetings[1].owner_status == "tentative"
    assert read.meeting_hours == 0.5 + 1.5 + 0.5


def test_it_counts_declined_invitations_when_no_owner_is_known(data):
    read = read_calendar(data / "declined.ics")
    assert len(read.meetings) == 5
    assert read.skipped == {}


def test_it_skips_cancelled_events_and_cancelled_series(data):
    read = read_calendar(data / "cancelled_event.ics")
    assert [m.title for m in read.meetings] == ["Spec review"]
    assert read.skipped == {"cancelled": 4}


def test_it_reads_only_the_window_asked_for(data):
    read = read_calendar(
        data / "count_until_rdate.ics", start=date(2026, 4, 7), end=date(2026, 4, 10)
    )
    assert [m.start.day for m in read.meetings] == [7, 8, 9, 10]


def test_it_reads_the_same_file_from_bytes(data):
    raw = (data / "moved_occurrence.ics").read_bytes()
    read = read_calendar(raw, filename="upload.ics")
    assert read.meeting_hours == 4.5
    assert read.files == ["upload.ics"]


def test_it_expands_an_open_ended_series_up_to_the_window_end():
    text = (
        "BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:t\nBEGIN:VEVENT\nUID:open\n"
        "DTSTART:20260105T090000Z\nDTEND:20260105T100000Z\nRRULE:FREQ=WEEKLY\n"
        "SUMMARY:Open\nEND:VEVENT\nEND:VCALENDAR\n"
    )
    read = read_calendar(text.encode(), start=date(2026, 1, 1), end=date(2026, 3, 31))
    # Mondays from 5 January to 30 March 2026.
    assert len(read.meetings) == 13
