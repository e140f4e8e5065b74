"""Reading calendars (ICS files) into the meetings a person actually spent time in.

A whole file is checked before anything is returned: every broken line, unknown time zone or
unreadable date is reported with its line number in one InputError, so nothing is ever half
imported. Recurring series are expanded with recurring-ical-events (RRULE, RDATE, EXDATE, moved
and cancelled occurrences); times are kept in their own zone during expansion so that a 09:00
weekly meeting stays at 09:00 local time across daylight-saving changes, then converted to UTC.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, tzinfo
from functools import lru_cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import icalendar
import recurring_ical_events
from dateutil import rrule as dateutil_rrule
from icalendar.parser import Contentline
from icalendar.timezone.windows_to_olson import WINDOWS_TO_OLSON

from leadshift.files import InputError, Problem

OWNER_STATUSES = ("accepted", "declined", "tentative", "needs-action", "delegated")

# Why an occurrence was not counted as meeting time; all-day events are listed apart, not here.
SKIP_CANCELLED = "cancelled"
SKIP_DECLINED = "declined"
SKIP_ZERO_LENGTH = "zero_length"
SKIP_DUPLICATE = "duplicate"

# Limits that hold before a series is expanded: dateutil builds every occurrence of a span
# in memory, so a 184-byte `RRULE:FREQ=SECONDLY` with no end once grew the server to 1.76 GB.
MAX_OCCURRENCES = 50_000  # occurrences counted in one read
MAX_SERIES_STEPS = 200_000  # occurrences stepped through, window or not, to find them
MAX_FILE_BYTES = 20 * 1024 * 1024  # as an upload may be
MAX_EVENTS = 20_000  # VEVENT blocks in one file: icalendar takes a few ms each
# Properties that an event holds once (RFC 5545); a second one would be silently ignored.
_ONCE = ("UID", "DTSTART", "DTEND", "DURATION", "RECURRENCE-ID", "STATUS")


@dataclass(frozen=True, slots=True)
class Meeting:
    """One occurrence of an event, as the person lived it."""

    uid: str
    title: str
    start: datetime  # aware, UTC
    end: datetime  # aware, UTC
    duration_hours: float
    all_day: bool
    organiser: str | None
    attendees: tuple[str, ...]  # lower-case e-mails of people (rooms and resources left out)
    attendee_count: int  # people in the meeting, the person included
    recurring: bool
    owner_status: str | None  # accepted / declined / tentative / needs-action / None
    location: str | None = None


@dataclass
class CalendarRead:
    """What one or more calendar files hold inside the window that was read."""

    meetings: list[Meeting]
    all_day: list[Meeting]
    skipped: dict[str, int]
    owner: str | None
    timezone: tzinfo  # the person's zone, used for weeks and months
    timezone_name: str
    window: tuple[datetime, datetime]  # UTC, start inclusive, end exclusive
    files: list[str] = field(default_factory=list)
    # Series without an end were counted up to this instant (the window's own end unless the
    # window was extended to take in the whole of a finite series); None if there were none.
    endless_until: datetime | None = None
    endless_series: int = 0

    @property
    def meeting_hours(self) -> float:
        return sum(m.duration_hours for m in self.meetings)


# --- line scanning --------------------------------------------------------------------------

_NAME = re.compile(r"[A-Za-z0-9-]+")
_PARAM_VALUE = r'(?:"[^"]*"|[^";:,]*)'
_CONTENT_LINE = re.compile(
    rf"^[A-Za-z0-9-]+(?:;[A-Za-z0-9-]+={_PARAM_VALUE}(?:,{_PARAM_VALUE})*)*:"
)
_TZID_PARAM = re.compile(r';TZID=("([^"]*)"|[^;:]*)', re.IGNORECASE)
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


@dataclass
class _EventLines:
    begin: int
    props: dict[str, int] = field(default_factory=dict)


@dataclass
class _Scan:
    events: list[_EventLines] = field(default_factory=list)
    tzid_uses: list[tuple[str, int]] = field(default_factory=list)
    tzid_defined: set[str] = field(default_factory=set)
    wr_timezone: tuple[str, int] | None = None
    wr_calname: str | None = None
    kept: list[str] = field(default_factory=list)  # the lines icalendar is given

    @property
    def text(self) -> str:
        return "\r\n".join(self.kept) + "\r\n"


def _logical_lines(text: str) -> Iterator[tuple[int, str]]:
    """Unfold RFC 5545 continuation lines, keeping the line each logical line starts on."""
    start, parts = 0, list[str]()
    for number, raw in enumerate(text.splitlines(), start=1):
        if raw[:1] in (" ", "\t") and parts:
            parts.append(raw[1:])
            continue
        if parts:
            yield start, "".join(parts)
        start, parts = number, [raw]
    if parts:
        yield start, "".join(parts)


def _is_content_line(line: str) -> bool:
    if _CONTENT_LINE.match(line):
        return True
    # Rare but legal quoting the fast pattern misses: ask icalendar's own parser.
    try:
        Contentline(line).parts()
    except ValueError:
        return False
    return True


def _scan(text: str) -> tuple[_Scan, list[Problem]]:
    scan, problems = _Scan(), []
    stack: list[tuple[str, int]] = []
    kept: list[bool] = []  # per open component: whether its lines go to icalendar
    seen_calendar = False
    event: _EventLines | None = None
    for number, line in _logical_lines(text):
        if not line.strip():
            continue
        if not seen_calendar:
            if line.strip().upper() != "BEGIN:VCALENDAR":
                shown = line.strip()[:60]
                message = f"this is not a calendar: expected BEGIN:VCALENDAR, found {shown!r}"
                return scan, [Problem(message, line=number)]
            seen_calendar = True
        if not _is_content_line(line):
            shown = line[:60]
            problems.append(
                Problem(
                    f"broken line: expected NAME:VALUE or NAME;PARAM=...:VALUE, found {shown!r}",
                    line=number,
                )
            )
            continue
        name_match = _NAME.match(line)
        name = name_match.group(0).upper() if name_match else ""
        value = _value_of(line)
        if name == "BEGIN":
            component = value.strip().upper()
            if not stack and component != "VCALENDAR":
                problems.append(Problem(f"BEGIN:{component} outside a VCALENDAR", line=number))
            parent = stack[-1][0] if stack else None
            keep = (not kept or kept[-1]) and _KEPT_COMPONENTS.get(component, "-") == parent
            stack.append((component, number))
            kept.append(keep)
            if keep:
                scan.kept.append(line)
            if component == "VEVENT":
                event = _EventLines(begin=number)
                scan.events.append(event)
                if len(scan.events) > MAX_EVENTS:
                    message = f"more than {MAX_EVENTS:,} events; export a shorter period"
                    return scan, [*problems, Problem(message, line=number)]
            continue
        if name == "END":
            component = value.strip().upper()
            if not stack:
                problems.append(Problem(f"END:{component} without a matching BEGIN", line=number))
                continue
            open_name, open_line = stack[-1]
            if open_name != component:
                problems.append(
                    Problem(
                        f"END:{component} does not close BEGIN:{open_name} (line {open_line})",
                        line=number,
                    )
                )
                continue
            stack.pop()
            if kept.pop():
                scan.kept.append(line)
            if component == "VEVENT":
                event = None
            continue
        if not stack:
            problems.append(Problem("a property outside any BEGIN/END block", line=number))
            continue
        inside = stack[-1][0]
        if kept[-1] and (inside != "VEVENT" or name in _KEPT_EVENT_PROPERTIES):
            scan.kept.append(line)
        if inside == "VTIMEZONE" and name == "TZID":
            scan.tzid_defined.add(value.strip())
        if inside == "VCALENDAR" and name == "X-WR-TIMEZONE":
            scan.wr_timezone = (value.strip(), number)
        if inside == "VCALENDAR" and name == "X-WR-CALNAME":
            scan.wr_calname = value.strip()
        if event is not None and inside == "VEVENT":
            if name in _ONCE and name in event.props:
                problems.append(
                    Problem(
                        f"{name} appears twice in one event (first on line {event.props[name]}); "
                        "an event has one",
                        line=number,
                    )
                )
            if name in ("RRULE", "RDATE", "EXDATE") and not value.strip():
                problems.append(
                    Problem(f"{name} is empty; write a value or drop the line", line=number)
                )
            if name == "RDATE" and _has_period_of_dates(value):
                # icalendar would read each date as midnight: a 24-hour meeting.
                problems.append(
                    Problem(
                        "RDATE holds a period of dates; a period runs from one date-time to "
                        "another, e.g. 20250103T090000/20250103T100000",
                        line=number,
                    )
                )
            event.props.setdefault(name, number)
        if ";" in line.split(":", 1)[0] or '"' in line:
            match = _TZID_PARAM.search(line)
            if match and inside != "VTIMEZONE":
                scan.tzid_uses.append((match.group(2) or match.group(1), number))
    for component, opened in stack:
        problems.append(
            Problem(f"BEGIN:{component} is never closed by END:{component}", line=opened)
        )
    if not seen_calendar:
        problems.append(Problem("the file is empty, not a calendar"))
    return scan, problems


# Only what the reading uses is handed to icalendar, whose parse costs about a millisecond a
# line: long descriptions, attachments and alarms are most of a large export's bytes.
_KEPT_COMPONENTS = {
    "VCALENDAR": None,
    "VTIMEZONE": "VCALENDAR",
    "STANDARD": "VTIMEZONE",
    "DAYLIGHT": "VTIMEZONE",
    "VEVENT": "VCALENDAR",
}
_KEPT_EVENT_PROPERTIES = frozenset(
    [
        "UID",
        "DTSTART",
        "DTEND",
        "DURATION",
        "RRULE",
        "RDATE",
        "EXDATE",
        "RECURRENCE-ID",
        "STATUS",
        "ATTENDEE",
        "ORGANIZER",
        "SUMMARY",
        "LOCATION",
        "SEQUENCE",
    ]
)


def _has_period_of_dates(value: str) -> bool:
    for item in value.upper().split(","):
        if "/" in item:
            first, second = item.split("/", 1)
            if "T" not in first or ("T" not in second and not second.lstrip("+-").startswith("P")):
                return True
    return False


def _value_of(line: str) -> str:
    """The value after the first colon that is not inside a quoted parameter."""
    quoted = False
    for i, char in enumerate(line):
        if char == '"':
            quoted = not quoted
        elif char == ":" and not quoted:
            return line[i + 1 :]
    return ""


# --- time zones -----------------------------------------------------------------------------


@lru_cache(maxsize=512)
def resolve_zone(name: str) -> tzinfo | None:
    """The IANA zone for an IANA name, a Windows name as Outlook writes it (through the
    Windows-to-IANA table), or a libical-style ``/vendor/Area/City`` name; None if unknown."""
    name = name.strip().strip('"')
    candidates = [name]
    if name in WINDOWS_TO_OLSON:
        candidates.insert(0, WINDOWS_TO_OLSON[name])
    if name.startswith("/"):
        parts = name.strip("/").split("/")
        candidates.extend("/".join(parts[i:]) for i in range(len(parts)))
    for candidate in candidates:
        if candidate.upper() in ("UTC", "GMT", "Z"):
            return UTC
        try:
            return ZoneInfo(candidate)
        except (ZoneInfoNotFoundError, ValueError):
            continue
    return None


def _zone_problems(scan: _Scan) -> list[Problem]:
    problems = []
    reported: set[str] = set()
    for tzid, number in scan.tzid_uses:
        if tzid in reported or tzid in scan.tzid_defined or resolve_zone(tzid) is not None:
            continue
        reported.add(tzid)
        problems.append(
            Problem(
                f"unknown time zone {tzid!r}: not an IANA or Windows zone name, and the file "
                "has no VTIMEZONE block defining it",
                line=number,
            )
        )
    if scan.wr_timezone and resolve_zone(scan.wr_timezone[0]) is None:
        name, number = scan.wr_timezone
        problems.append(Problem(f"unknown time zone {name!r} in X-WR-TIMEZONE", line=number))
    return problems


def _zone_name(zone: tzinfo) -> str:
    return str(getattr(zone, "key", None) or zone)


# --- checking parsed events -----------------------------------------------------------------


def _event_problems(event: icalendar.Component, lines: _EventLines) -> list[Problem]:
    problems = []
    for prop, message in event.errors:
        where = lines.props.get(str(prop).upper(), lines.begin) if prop else lines.begin
        label = f"{prop}: " if prop else ""
        problems.append(Problem(f"{label}{message}", line=where))
    if problems:
        return problems
    if "DTSTART" not in event:
        return [Problem("event has no DTSTART", line=lines.begin)]
    start = _dt(event, "DTSTART")
    end_prop = event.get("DTEND")
    if end_prop is not None:
        end = end_prop.dt
        if type(start) is not type(end):
            problems.append(
                Problem(
                    "DTEND is not the same kind (date or date-time) as DTSTART",
                    line=lines.props.get("DTEND"),
                )
            )
        elif _as_comparable(end) < _as_comparable(start):
            problems.append(Problem("DTEND is before DTSTART", line=lines.props.get("DTEND")))
    problems.extend(_date_kind_problems(event, start, lines))
    for rule in _as_list(event.get("RRULE")):
        text = rule.to_ical().decode()
        # UNTIL's zone only has to agree with DTSTART's, which recurring-ical-events settles.
        text = ";".join(p for p in text.split(";") if not p.upper().startswith("UNTIL="))
        try:
            dateutil_rrule.rrulestr("RRULE:" + text, dtstart=datetime(2000, 1, 1))
        except (ValueError, TypeError) as exc:
            problems.append(Problem(f"RRULE cannot be read: {exc}", line=lines.props.get("RRULE")))
    return problems


def _kind(value: Any) -> str:
    return "date-time" if isinstance(value, datetime) else "date"


def _date_kind_problems(
    event: icalendar.Component, start: date | datetime, lines: _EventLines
) -> list[Problem]:
    """RDATE and EXDATE must be written like DTSTART: a date beside a date-time cannot be
    compared."""
    problems = []
    for name in ("RDATE", "EXDATE"):
        for prop in _as_list(event.get(name)):
            for item in getattr(prop, "dts", []):
                value = item.dt
                if isinstance(value, tuple):  # a period (checked in the scan): its start
                    value = value[0]
                if _kind(value) != _kind(start):
                    problems.append(
                        Problem(
                            f"{name} holds a {_kind(value)} but DTSTART is a {_kind(start)}; "
                            "write both the same way",
                            line=lines.props.get(name),
                        )
                    )
                    break
    return problems


def _dt(component: Any, name: str) -> Any:
    """A date, date-time or duration property's value (icalendar's property types are a union)."""
    return component[name].dt


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _as_comparable(value: date | datetime) -> datetime:
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    return datetime(value.year, value.month, value.day, tzinfo=UTC)


# --- occurrences to meetings ----------------------------------------------------------------


def _email(value: Any) -> str:
    text = str(value).strip()
    if text.lower().startswith("mailto:"):
        text = text[7:]
    return text.strip().lower()


def _people(occurrence: icalendar.Component) -> list[tuple[str, str | None]]:
    """(email, partstat) of every attendee who is a person, not a room or a resource."""
    out = []
    for attendee in _as_list(occurrence.get("ATTENDEE")):
        params = getattr(attendee, "params", {})
        if str(params.get("CUTYPE", "INDIVIDUAL")).upper() in ("ROOM", "RESOURCE"):
            continue
        email = _email(attendee)
        if not email and params.get("EMAIL"):
            email = _email(params["EMAIL"])
        status = params.get("PARTSTAT")
        out.append((email, str(status).lower() if status else None))
    return out


def _to_utc(value: date | datetime, zone: tzinfo) -> datetime:
    if not isinstance(value, datetime):
        value = datetime(value.year, value.month, value.day)
    if value.tzinfo is None:
        # Floating time: the person's own zone, the only reading a floating time has.
        value = value.replace(tzinfo=zone)
    return value.astimezone(UTC)


def _recurring_uids(calendar: icalendar.Calendar) -> set[str]:
    # Expanded occurrences all carry a RECURRENCE-ID, so the series is judged before expanding.
    return {
        _uid(event)
        for event in calendar.walk("VEVENT")
        if "RRULE" in event or "RDATE" in event or "RECURRENCE-ID" in event
    }


def _meeting(
    occurrence: icalendar.Component, owner: str | None, zone: tzinfo, recurring: set[str]
) -> Meeting:
    start_value = _dt(occurrence, "DTSTART")
    all_day = not isinstance(start_value, datetime)
    if "DTEND" in occurrence:
        end_value = _dt(occurrence, "DTEND")
    elif "DURATION" in occurrence:
        end_value = start_value + _dt(occurrence, "DURATION")
    else:
        end_value = start_value + timedelta(days=1) if all_day else start_value
    start, end = _to_utc(start_value, zone), _to_utc(end_value, zone)
    people = _people(occurrence)
    organiser_prop = occurrence.get("ORGANIZER")
    organiser = _email(organiser_prop) if organiser_prop is not None else None
    attendees = tuple(dict.fromkeys(email for email, _ in people if email))
    owner_status = None
    if owner:
        for email, status in people:
            if email == owner:
                owner_status = status or "needs-action"
    everyone = set(attendees)
    if organiser:
        everyone.add(organiser)
    if owner:
        everyone.add(owner)
    location = occurrence.get("LOCATION")
    return Meeting(
        uid=_uid(occurrence),
        title=str(occurrence.get("SUMMARY", "")).strip(),
        start=start,
        end=end,
        duration_hours=(end - start).total_seconds() / 3600.0,
        all_day=all_day,
        organiser=organiser or None,
        attendees=attendees,
        attendee_count=max(1, len(everyone)),
        recurring=_uid(occurrence) in recurring,
        owner_status=owner_status,
        location=str(location).strip() if location else None,
    )


# --- reading --------------------------------------------------------------------------------


@dataclass
class _Checked:
    calendars: list[icalendar.Calendar]
    scan: _Scan
    filename: str | None
    events: list[tuple[icalendar.Component, _EventLines]] = field(default_factory=list)


def _decode(data: bytes, filename: str | None) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(
            [Problem("the file is not UTF-8 text, so not an iCalendar file")], filename
        ) from exc


def _check(text: str, filename: str | None) -> _Checked:
    scan, problems = _scan(text)
    if problems:
        raise InputError(problems, filename)
    problems = _zone_problems(scan)
    if problems:
        raise InputError(problems, filename)
    try:
        calendars = list(icalendar.Calendar.from_ical(scan.text, multiple=True))
    except ValueError as exc:
        raise InputError([Problem(f"the calendar cannot be read: {exc}")], filename) from exc
    events = [e for cal in calendars for e in cal.walk("VEVENT")]
    if len(events) != len(scan.events):
        raise InputError(
            [Problem("the calendar's events cannot be told apart (nested or unclosed VEVENT)")],
            filename,
        )
    for event, lines in zip(events, scan.events, strict=True):
        problems.extend(_event_problems(event, lines))
    if problems:
        raise InputError(problems, filename)
    for cal in calendars:
        _separate_shared_uids(cal)
    return _Checked(calendars, scan, filename, list(zip(events, scan.events, strict=True)))


# Two events sharing a UID, neither a moved occurrence, are two events: the expander would keep
# one. The later ones get a UID of their own, marked so that the marker can be dropped again.
_UID_MARK = "\x00"


def _separate_shared_uids(calendar: icalendar.Calendar) -> None:
    seen: Counter[str] = Counter()
    for event in calendar.walk("VEVENT"):
        if "RECURRENCE-ID" in event or "UID" not in event:
            continue
        uid = str(event["UID"])
        seen[uid] += 1
        if seen[uid] > 1:
            event["UID"] = f"{uid}{_UID_MARK}{seen[uid]}"


def _uid(component: Any) -> str:
    return str(component.get("UID", "")).split(_UID_MARK, 1)[0]


def _load(source: str | Path | bytes, filename: str | None) -> tuple[str, str | None]:
    if isinstance(source, bytes):
        return _decode(source, filename), filename
    path = Path(source)
    name = filename or str(path)
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            message = f"the file is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB"
            raise InputError([Problem(f"{message}; export a shorter period")], name)
        data = path.read_bytes()
    except FileNotFoundError as exc:
        raise InputError([Problem("no such file")], name) from exc
    except IsADirectoryError as exc:
        raise InputError(
            [Problem("this is a folder; use read_calendars for folders")], name
        ) from exc
    except OSError as exc:
        raise InputError([Problem(f"cannot read the file: {exc.strerror}")], name) from exc
    return _decode(data, name), name


def _boundary(value: date | datetime | None, zone: tzinfo, *, end: bool) -> datetime | None:
    """A UTC instant; a date means the start of that day, or its end for the window's end."""
    if value is None:
        return None
    if not isinstance(value, datetime):
        value = datetime(value.year, value.month, value.day, tzinfo=zone)
        if end:
            value += timedelta(days=1)
    elif value.tzinfo is None:
        value = value.replace(tzinfo=zone)
    return value.astimezone(UTC)


def _explicit_span(checked: list[_Checked]) -> tuple[datetime | None, datetime | None]:
    """The earliest and latest dates written in the files (starts, ends, UNTIL, RDATE)."""
    earliest: datetime | None = None
    latest: datetime | None = None

    def see(value: Any) -> None:
        nonlocal earliest, latest
        if isinstance(value, date):
            moment = _as_comparable(value)
            latest = moment if latest is None or moment > latest else latest
            earliest = moment if earliest is None or moment < earliest else earliest

    for item in checked:
        for cal in item.calendars:
            for event in cal.walk("VEVENT"):
                for prop in ("DTSTART", "DTEND", "RECURRENCE-ID"):
                    if prop in event:
                        see(_dt(event, prop))
                for rdate in _as_list(event.get("RDATE")):
                    for period in getattr(rdate, "dts", []):
                        see(period.dt if not isinstance(period.dt, tuple) else period.dt[0])
                for rule in _as_list(event.get("RRULE")):
                    for until in rule.get("UNTIL", []):
                        see(until)
    return earliest, latest


def _person_zone(checked: list[_Checked], default_tz: str | None) -> tuple[tzinfo, str]:
    if default_tz:
        zone = resolve_zone(default_tz)
        if zone is None:
            raise InputError([Problem(f"unknown time zone {default_tz!r}")])
        return zone, _zone_name(zone)
    for item in checked:
        if item.scan.wr_timezone:
            zone = resolve_zone(item.scan.wr_timezone[0])
            if zone is not None:
                return zone, _zone_name(zone)
    counts = Counter(tzid for item in checked for tzid, _ in item.scan.tzid_uses)
    for tzid, _ in counts.most_common():
        zone = resolve_zone(tzid)
        if zone is not None:
            return zone, _zone_name(zone)
    return UTC, "UTC"


def _guess_owner(checked: list[_Checked]) -> str | None:
    # Google names an exported calendar after its owner's address.
    for item in checked:
        name = (item.scan.wr_calname or "").strip().lower()
        if _EMAIL.match(name):
            return name
    return None


@dataclass
class _Series:
    uid: str
    line: int | None
    filename: str | None
    rule: dateutil_rrule.rrule
    until: datetime | None  # UTC
    finite: bool


def _series(checked: list[_Checked], zone: tzinfo) -> list[_Series]:
    out = []
    for item in checked:
        for event, lines in item.events:
            if "RRULE" not in event or "RECURRENCE-ID" in event:
                continue
            start = _dt(event, "DTSTART")
            if not isinstance(start, datetime):
                start = datetime(start.year, start.month, start.day)
            for rule in _as_list(event.get("RRULE")):
                text = rule.to_ical().decode()
                # UNTIL is compared as an instant below: its zone need not match DTSTART's.
                text = ";".join(p for p in text.split(";") if not p.upper().startswith("UNTIL="))
                until = next(iter(rule.get("UNTIL", [])), None)
                out.append(
                    _Series(
                        uid=_uid(event),
                        line=lines.props.get("RRULE", lines.begin),
                        filename=item.filename,
                        rule=dateutil_rrule.rrulestr("RRULE:" + text, dtstart=start),
                        until=_to_utc(until, zone) if until is not None else None,
                        finite=until is not None or "COUNT=" in text.upper(),
                    )
                )
    return out


class _Budget:
    """Occurrences stepped through and counted across one read, refused in words past the caps."""

    def __init__(self) -> None:
        self.steps = 0
        self.counted = 0

    def walk(
        self, series: _Series, zone: tzinfo, start: datetime, stop: datetime | None
    ) -> datetime | None:
        """Step through the series up to ``stop`` (or its own end); the last occurrence."""
        # Bounds in the series' own terms (aware, or floating in the person's zone), so that
        # each of up to MAX_SERIES_STEPS occurrences is compared without a conversion.
        floating = series.rule._dtstart.tzinfo is None

        def own(moment: datetime | None) -> datetime | None:
            if moment is None or not floating:
                return moment
            return moment.astimezone(zone).replace(tzinfo=None)

        start_own, stop_own, until_own = own(start), own(stop), own(series.until)
        last = None
        for occurrence in series.rule:
            if (until_own is not None and occurrence > until_own) or (
                stop_own is not None and occurrence >= stop_own
            ):
                break
            self.steps += 1
            if self.steps > MAX_SERIES_STEPS:
                until = f"before {stop:%Y-%m-%d}" if stop is not None else "in all"
                raise InputError(
                    [
                        Problem(
                            f"this series repeats more than {MAX_SERIES_STEPS:,} times {until}; "
                            "read a shorter period (from and to dates) or end the series "
                            "with COUNT or UNTIL",
                            line=series.line,
                        )
                    ],
                    series.filename,
                )
            if start_own is None or occurrence >= start_own:
                self.counted += 1
                if self.counted > MAX_OCCURRENCES:
                    raise InputError(
                        [
                            Problem(
                                f"the calendar holds more than {MAX_OCCURRENCES:,} occurrences "
                                "in the period read (this series among them); read a shorter "
                                "period",
                                line=series.line,
                            )
                        ],
                        series.filename,
                    )
            last = occurrence
        return None if last is None else _to_utc(last, zone)


def _expand(
    checked: list[_Checked],
    *,
    owner: str | None,
    start: date | datetime | None,
    end: date | datetime | None,
    default_tz: str | None,
) -> CalendarRead:
    owner = owner.strip().lower() if owner else _guess_owner(checked)
    zone, zone_name = _person_zone(checked, default_tz)
    window_start = _boundary(start, zone, end=False)
    window_end = _boundary(end, zone, end=True)
    earliest, latest = _explicit_span(checked)
    now = datetime.now(UTC)
    if window_start is None:
        window_start = (earliest or now) - timedelta(days=1)
    series = _series(checked, zone)
    endless_until = None
    if window_end is None:
        # Series without an end run up to today, or to the last date the files name if later;
        # a finite series is read to its last occurrence, however far ahead.
        endless_until = max(latest or now, now) + timedelta(days=1)
        window_end = endless_until
        ends = [_Budget().walk(s, zone, window_start, None) for s in series if s.finite]
        finite_end = max((end for end in ends if end is not None), default=None)
        if finite_end is not None and finite_end + timedelta(days=1) > window_end:
            window_end = finite_end + timedelta(days=1)
    if window_end <= window_start:
        raise InputError([Problem("the window's end is not after its start")])
    budget = _Budget()  # what the expansion below will step through, checked before it runs
    for one in series:
        budget.walk(one, zone, window_start, window_end)
    endless = {s.uid for s in series if not s.finite}
    if not endless:
        endless_until = None
    meetings: list[Meeting] = []
    all_day: list[Meeting] = []
    skipped: Counter[str] = Counter()
    seen: set[tuple[str, datetime]] = set()
    for item in checked:
        for cal in item.calendars:
            try:
                occurrences = list(recurring_ical_events.of(cal).between(window_start, window_end))
            except Exception as exc:  # the library raises its own error types for bad series
                raise InputError(
                    [Problem(f"a recurring event cannot be expanded: {exc}")], item.filename
                ) from exc
            recurring = _recurring_uids(cal)
            for occurrence in occurrences:
                status = str(occurrence.get("STATUS", "")).upper()
                meeting = _meeting(occurrence, owner, zone, recurring)
                if meeting.end <= window_start or meeting.start >= window_end:
                    continue  # floating times read in another zone can fall just outside
                if endless_until and meeting.uid in endless and meeting.start >= endless_until:
                    continue  # the window reaches further only for finite series
                key = (meeting.uid, meeting.start)
                if meeting.uid and key in seen:
                    skipped[SKIP_DUPLICATE] += 1
                    continue
                seen.add(key)
                if status == "CANCELLED":
                    skipped[SKIP_CANCELLED] += 1
                elif meeting.owner_status == "declined":
                    skipped[SKIP_DECLINED] += 1
                elif meeting.all_day:
                    all_day.append(meeting)
                elif meeting.duration_hours <= 0:
                    skipped[SKIP_ZERO_LENGTH] += 1
                else:
                    meetings.append(meeting)
    meetings.sort(key=lambda m: (m.start, m.uid))
    all_day.sort(key=lambda m: (m.start, m.uid))
    return CalendarRead(
        meetings=meetings,
        all_day=all_day,
        skipped=dict(sorted(skipped.items())),
        owner=owner,
        timezone=zone,
        timezone_name=zone_name,
        window=(window_start, window_end),
        files=[item.filename for item in checked if item.filename],
        endless_until=endless_until,
        endless_series=len(endless),
    )


def read_calendar(
    source: str | Path | bytes,
    *,
    owner: str | None = None,
    start: date | datetime | None = None,
    end: date | datetime | None = None,
    filename: str | None = None,
    default_tz: str | None = None,
) -> CalendarRead:
    """Read one ICS file (a path, or its bytes) into meetings within [start, end].

    ``start``/``end`` as dates are whole days in the person's zone, both included. ``owner`` is
    the person's e-mail (their declined invitations are skipped); Google exports name it in
    X-WR-CALNAME, which is used when no owner is given. ``default_tz`` is the person's zone,
    otherwise X-WR-TIMEZONE or the zone most events are written in.
    """
    text, name = _load(source, filename)
    checked = _check(text, name)
    return _expand([checked], owner=owner, start=start, end=end, default_tz=default_tz)


def calendar_files(paths: Iterable[str | Path]) -> list[Path]:
    """The .ics files named, a folder standing for the .ics files inside it (recursively)."""
    files: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found = sorted(p for p in path.rglob("*") if p.suffix.lower() == ".ics")
            if not found:
                raise InputError([Problem("the folder holds no .ics file")], str(path))
            files.extend(found)
        else:
            files.append(path)
    return files


def read_calendars(
    paths: Iterable[str | Path],
    *,
    owner: str | None = None,
    start: date | datetime | None = None,
    end: date | datetime | None = None,
    default_tz: str | None = None,
) -> CalendarRead:
    """Read several ICS files or folders as one calendar; the same occurrence counts once.

    Every file is checked before any is expanded, so one bad file stops the whole import.
    """
    checked = [_check(*_load(path, None)) for path in calendar_files(paths)]
    return _expand(checked, owner=owner, start=start, end=end, default_tz=default_tz)


def read_uploads(
    files: Iterable[tuple[str, bytes]],
    *,
    owner: str | None = None,
    start: date | datetime | None = None,
    end: date | datetime | None = None,
    default_tz: str | None = None,
) -> CalendarRead:
    """Several uploaded files (name, bytes) read as one calendar, each checked before any is
    expanded, so one bad file stops the whole import."""
    checked = [_check(*_load(data, name)) for name, data in files]
    if not checked:
        raise InputError([Problem("choose at least one .ics file")])
    return _expand(checked, owner=owner, start=start, end=end, default_tz=default_tz)


def read_any(
    paths: Iterable[str | Path],
    **options: Any,
) -> CalendarRead:
    """``read_calendar`` for one file, ``read_calendars`` otherwise (for the command line)."""
    paths = list(paths)
    if len(paths) == 1 and Path(paths[0]).is_file():
        return read_calendar(paths[0], **options)
    return read_calendars(paths, **options)


__all__ = [
    "OWNER_STATUSES",
    "CalendarRead",
    "Meeting",
    "calendar_files",
    "read_any",
    "read_calendar",
    "read_calendars",
    "read_uploads",
    "resolve_zone",
]
