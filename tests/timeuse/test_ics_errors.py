"""Bad input ends with a clear message naming the line, and nothing half imported."""

import pytest

from leadshift.files import InputError
from leadshift.timeuse.ics import read_calendar, read_calendars

GOOD_EVENT = (
    "BEGIN:VEVENT\nUID:ok\nDTSTART:20260105T090000Z\nDTEND:20260105T100000Z\n"
    "SUMMARY:Fine\nEND:VEVENT\n"
)


def calendar(body: str) -> bytes:
    return f"BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:t\n{body}END:VCALENDAR\n".encode()


def problems(source: bytes, **kwargs):
    with pytest.raises(InputError) as caught:
        read_calendar(source, filename="cal.ics", **kwargs)
    return caught.value


def test_it_says_a_csv_file_is_not_a_calendar():
    error = problems(b"name,email\nMaya,maya@acme.com\n")
    assert "not a calendar" in str(error)
    assert error.problems[0].line == 1
    assert str(error).startswith("cal.ics:1:")


def test_it_says_an_empty_file_is_not_a_calendar():
    assert "empty" in str(problems(b"\n\n"))


def test_it_says_a_binary_file_is_not_text():
    assert "not UTF-8" in str(problems(b"\xff\xfe\x00B\x00E"))


def test_it_names_the_line_of_a_broken_line():
    body = (
        GOOD_EVENT
        + "BEGIN:VEVENT\nUID:b\nDTSTART:20260106T090000Z\nthis line is broken\nEND:VEVENT\n"
    )
    error = problems(calendar(body))
    assert [p.line for p in error.problems] == [13]
    assert "broken line" in error.problems[0].message


def test_it_names_the_line_and_the_zone_that_is_unknown():
    body = (
        "BEGIN:VEVENT\nUID:z\nDTSTART;TZID=Mars/Olympus_Mons:20260105T090000\n"
        "DTEND;TZID=Mars/Olympus_Mons:20260105T100000\nEND:VEVENT\n"
    )
    error = problems(calendar(body))
    assert len(error.problems) == 1
    assert error.problems[0].line == 6
    assert "Mars/Olympus_Mons" in error.problems[0].message


def test_it_accepts_a_custom_zone_that_a_vtimezone_block_defines():
    body = (
        "BEGIN:VTIMEZONE\nTZID:Company Time\nBEGIN:STANDARD\nDTSTART:19700101T000000\n"
        "TZOFFSETFROM:+0300\nTZOFFSETTO:+0300\nEND:STANDARD\nEND:VTIMEZONE\n"
        "BEGIN:VEVENT\nUID:c\nDTSTART;TZID=Company Time:20260105T090000\n"
        "DTEND;TZID=Company Time:20260105T100000\nEND:VEVENT\n"
    )
    read = read_calendar(calendar(body))
    assert read.meetings[0].start.hour == 6


def test_it_names_the_line_of_an_unreadable_date():
    body = "BEGIN:VEVENT\nUID:d\nDTSTART:2026-01-05 nine\nEND:VEVENT\n"
    error = problems(calendar(body))
    assert error.problems[0].line == 6
    assert "DTSTART" in error.problems[0].message


def test_it_names_the_line_of_an_unreadable_rrule():
    body = (
        "BEGIN:VEVENT\nUID:r\nDTSTART:20260105T090000Z\nDTEND:20260105T100000Z\n"
        "RRULE:FREQ=WEEKLY;BYDAYX=MO\nEND:VEVENT\n"
    )
    error = problems(calendar(body))
    assert error.problems[0].line == 8
    assert "RRULE" in error.problems[0].message


def test_it_reports_an_event_that_ends_before_it_starts():
    body = "BEGIN:VEVENT\nUID:e\nDTSTART:20260105T090000Z\nDTEND:20260105T080000Z\nEND:VEVENT\n"
    error = problems(calendar(body))
    assert error.problems[0].line == 7
    assert "before DTSTART" in error.problems[0].message


def test_it_reports_an_unclosed_event_at_its_begin_line():
    error = problems(b"BEGIN:VCALENDAR\nVERSION:2.0\nBEGIN:VEVENT\nUID:x\nEND:VCALENDAR\n")
    found = [(p.line, p.message) for p in error.problems]
    assert (5, "END:VCALENDAR does not close BEGIN:VEVENT (line 3)") in found
    assert (3, "BEGIN:VEVENT is never closed by END:VEVENT") in found


def test_it_collects_every_broken_line_in_one_error():
    body = "BEGIN:VEVENT\nUID:a\nbroken one\nDTSTART:20260105T090000Z\nbroken two\nEND:VEVENT\n"
    error = problems(calendar(body))
    assert [p.line for p in error.problems] == [6, 8]


def test_it_imports_nothing_from_a_folder_when_one_file_is_bad(data, tmp_path):
    (tmp_path / "a.ics").write_bytes((data / "weekly_exdate.ics").read_bytes())
    (tmp_path / "b.ics").write_bytes(calendar("BEGIN:VEVENT\nUID:x\nnot a line\nEND:VEVENT\n"))
    with pytest.raises(InputError) as caught:
        read_calendars([tmp_path])
    assert caught.value.filename.endswith("b.ics")
    assert caught.value.problems[0].line == 6


def test_it_names_a_missing_file(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        read_calendar(tmp_path / "nope.ics")


def test_it_rejects_an_empty_folder(tmp_path):
    with pytest.raises(InputError, match=r"no \.ics file"):
        read_calendars([tmp_path])
