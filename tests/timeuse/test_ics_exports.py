"""Exports in the shapes Google Calendar, Outlook and Apple Calendar write."""

from datetime import UTC, datetime

from leadshift.timeuse.ics import read_calendar, read_calendars


def test_it_reads_a_google_export_and_finds_the_owner_in_the_calendar_name(data):
    read = read_calendar(data / "google_export.ics")
    assert read.owner == "maya@acme.com"
    assert read.timezone_name == "Europe/Berlin"
    # 1:1 x4 (EXDATE on 19 March, 12 March moved to the 13th), portfolio review,
    # sprint planning x3 (every other Monday), customer call; marketing sync declined.
    assert len(read.meetings) == 9
    assert read.meeting_hours == 4 * 0.5 + 1.5 + 3 * 1.0 + 0.75
    assert read.skipped == {"declined": 1}
    one_on_ones = [m.start for m in read.meetings if m.title == "Maya / Tom 1:1"]
    assert one_on_ones == [
        datetime(2026, 3, 5, 9, tzinfo=UTC),
        datetime(2026, 3, 13, 10, tzinfo=UTC),
        datetime(2026, 3, 26, 9, tzinfo=UTC),
        datetime(2026, 4, 2, 8, tzinfo=UTC),  # after the clock change, UNTIL included
    ]


def test_it_leaves_rooms_out_of_a_google_meetings_attendees(data):
    read = read_calendar(data / "google_export.ics")
    review = next(m for m in read.meetings if m.title == "Product portfolio review")
    assert review.attendees == ("ceo@acme.com", "cfo@acme.com", "maya@acme.com")
    assert review.attendee_count == 3
    assert review.location == "Berlin-4-Boardroom (12)"


def test_it_reads_an_outlook_export_with_windows_time_zone_names(data):
    read = read_calendar(data / "outlook_export.ics", owner="jane.doe@contoso.com")
    assert read.timezone_name == "Europe/Berlin"
    assert [(m.title, m.start) for m in read.meetings] == [
        ("Weekly PM team meeting", datetime(2026, 4, 7, 8, tzinfo=UTC)),
        ("Board meeting Q2", datetime(2026, 4, 15, 15, tzinfo=UTC)),  # 08:00 PDT
        ("Go/no-go: Checkout v2", datetime(2026, 4, 16, 13, tzinfo=UTC)),
        ("Weekly PM team meeting", datetime(2026, 4, 21, 8, tzinfo=UTC)),
        ("Weekly PM team meeting", datetime(2026, 4, 28, 8, tzinfo=UTC)),
    ]
    assert read.meeting_hours == 7.0
    assert read.skipped == {"cancelled": 1, "declined": 1}
    assert [m.title for m in read.all_day] == ["Public holiday"]
    board = read.meetings[1]
    assert board.organiser == "chair@vcfund.com"
    assert board.owner_status == "accepted"


def test_it_reads_an_apple_export_with_floating_times_and_a_moved_occurrence(data):
    read = read_calendar(data / "apple_export.ics", owner="sam@example.org")
    assert read.timezone_name == "America/Los_Angeles"
    assert [(m.title, m.start, m.duration_hours) for m in read.meetings] == [
        ("Roadmap review", datetime(2026, 10, 28, 18, tzinfo=UTC), 1.0),  # 11:00 PDT
        ("Lunch with Alex", datetime(2026, 10, 29, 19, tzinfo=UTC), 1.0),  # floating 12:00
        ("Roadmap review", datetime(2026, 11, 4, 22, tzinfo=UTC), 1.5),  # moved to 14:00 PST
        ("Customer interview: Initech", datetime(2026, 11, 5, 17, tzinfo=UTC), 0.5),
        ("Roadmap review", datetime(2026, 11, 11, 19, tzinfo=UTC), 1.0),  # 11:00 PST
    ]
    assert read.skipped == {"declined": 1}
    assert [(m.title, m.duration_hours / 24) for m in read.all_day] == [("ProductCon", 3.0)]


def test_it_reads_a_folder_of_calendars_as_one_and_counts_a_shared_event_once(data, tmp_path):
    for name in ("google_export.ics", "weekly_exdate.ics"):
        (tmp_path / name).write_bytes((data / name).read_bytes())
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "copy.ics").write_bytes((data / "weekly_exdate.ics").read_bytes())
    read = read_calendars([tmp_path], owner="maya@acme.com")
    assert len(read.files) == 3
    assert len(read.meetings) == 9 + 5
    assert read.skipped == {"declined": 1, "duplicate": 5}
