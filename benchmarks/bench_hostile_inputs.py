"""Hostile input files through the parsers: time and peak memory now, beside the figures the
attack on the server found before the limits (issue #11).

Each file is built here: nested YAML aliases ("billion laughs", 457 bytes for 9**10 values), JSON nested
100,000 deep, a 184-byte .ics with `RRULE:FREQ=SECONDLY` and no end, a 1,000,000-row
initiatives CSV, and two 19 MB calendars (long descriptions; many small events). Every one is
now refused in words, or read within its limits. Peak memory is tracemalloc's, in a second run.

    .venv/bin/python benchmarks/bench_hostile_inputs.py
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

LOL = '"lol"'
BILLION_LAUGHS = "".join(
    f"{name}: &{name} [{', '.join([f'*{prev}' if prev else LOL] * 9)}]\n"
    for name, prev in zip("abcdefghij", [None, *"abcdefghi"], strict=True)
)


def secondly_ics() -> bytes:
    return (
        b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nBEGIN:VEVENT\r\nUID:x\r\n"
        b"DTSTART:20260101T000000Z\r\nDTEND:20260101T000001Z\r\nRRULE:FREQ=SECONDLY\r\n"
        b"END:VEVENT\r\nEND:VCALENDAR\r\n"
    )


def big_ics(target: int, *, description: int) -> bytes:
    """About ``target`` bytes of meetings; each event carries a description of that length."""
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:x"]
    size, i, t0 = 0, 0, datetime(2026, 1, 5, 9)
    text = "Agenda: the roadmap, the risks and the quarter's numbers. " * (description // 58 + 1)
    while size < target:
        start = t0 + timedelta(days=i // 6, hours=i % 6)
        event = [
            "BEGIN:VEVENT",
            f"UID:ev-{i}@example.com",
            f"DTSTART:{start:%Y%m%dT%H%M%S}Z",
            f"DTEND:{start + timedelta(minutes=45):%Y%m%dT%H%M%S}Z",
            f"SUMMARY:Review {i}",
            "ATTENDEE;PARTSTAT=ACCEPTED:mailto:maya@example.com",
        ]
        if description:
            event.append("DESCRIPTION:" + text[:description])
        event.append("END:VEVENT")
        lines += event
        size += sum(len(x) + 2 for x in event)
        i += 1
    lines.append("END:VCALENDAR")
    return ("\r\n".join(lines) + "\r\n").encode()


def outcome(fn: Callable[[], Any]) -> str:
    from leadshift.files import InputError

    try:
        result = fn()
    except InputError as exc:
        return "refused: " + exc.describe().splitlines()[0][:90]
    meetings = getattr(result, "meetings", None)
    return f"read: {len(meetings)} meetings" if meetings is not None else "read"


def measure(fn: Callable[[], Any]) -> tuple[float, float, str]:
    started = time.perf_counter()
    said = outcome(fn)
    seconds = time.perf_counter() - started
    tracemalloc.start()
    outcome(fn)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return seconds, peak / 1e6, said


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="2 MB calendars instead of 19 MB")
    args, _ = parser.parse_known_args(argv)  # `make bench BENCH_ARGS=…` passes every bench's
    mb = 2 if args.quick else 19
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "leadshift.settings")
    os.environ.setdefault("LEADSHIFT_DATA_DIR", tempfile.mkdtemp())
    import django

    django.setup()
    from leadshift.files import parse_text
    from leadshift.people.models import Organisation
    from leadshift.portfolio.actuals_file import read_actuals
    from leadshift.portfolio.importing import read_import
    from leadshift.portfolio.sync_file import read_sync
    from leadshift.timeuse.ics import read_calendar
    from leadshift.timeuse.rules import rules_from_text

    secondly = secondly_ics()
    rows = "id,name,value\n" + "".join(f"i{n},Initiative {n},{n % 90}\n" for n in range(1_000_000))
    short_rows = "id\n" + "x\n" * 1_000_000  # under the size limit: the row limit stops it
    # Short rows, under the size limit: the row limit must stop them, bad as every row is.
    actuals = "objective,key_result,date,value\n" + "o,k,x,x\n" * 1_000_000
    jira = "Issue key,Status\n" + "K,B\n" * 1_000_000
    described = big_ics(mb * 1_000_000, description=3000)
    small = big_ics(mb * 1_000_000, description=0)
    org = Organisation(name="Bench", slug="bench")  # unsaved: the rows are refused before a query
    cases: list[tuple[str, int, Callable[[], Any], str]] = [
        (
            "nested-alias YAML (timeuse rules)",
            len(BILLION_LAUGHS),
            lambda: rules_from_text(BILLION_LAUGHS, "rules.yaml"),
            "never returned",
        ),
        (
            "nested-alias YAML (portfolio)",
            len(BILLION_LAUGHS),
            lambda: parse_text(BILLION_LAUGHS, "portfolio.yaml"),
            "never returned",
        ),
        (
            "JSON nested 100,000 deep",
            200_000,
            lambda: parse_text("[" * 100_000 + "]" * 100_000, "deep.json"),
            "RecursionError (500)",
        ),
        (
            "SECONDLY .ics, no end",
            len(secondly),
            lambda: read_calendar(secondly, filename="secondly.ics"),
            "1.76 GB in 2.5 min, never returned",
        ),
        (
            "initiatives CSV, 1,000,000 rows",
            len(rows),
            lambda: read_import(org, rows, "rows.csv"),
            "5 min, 2 GB",
        ),
        (
            "initiatives CSV, 1,000,000 short rows",
            len(short_rows),
            lambda: read_import(org, short_rows, "rows.csv"),
            "5 min, 2 GB (the 1,000,000-row file)",
        ),
        (
            "actuals CSV, 1,000,000 bad rows",
            len(actuals),
            lambda: read_actuals(actuals, "actuals.csv"),
            "new reader (10,000-row limit)",
        ),
        (
            "Jira export, 1,000,000 bad rows",
            len(jira),
            lambda: read_sync(jira, "jira.csv", "jira"),
            "new reader (10,000-row limit)",
        ),
        (
            f"{mb} MB .ics, long descriptions",
            len(described),
            lambda: read_calendar(described, filename="described.ics", start=datetime(2026, 1, 1)),
            "46 s, 1.1 GB (a 19 MB file)",
        ),
        (
            f"{mb} MB .ics, small events",
            len(small),
            lambda: read_calendar(small, filename="small.ics"),
            "46 s, 1.1 GB (a 19 MB file)",
        ),
    ]
    print(f"{'hostile file':<36} {'bytes':>11} {'time':>8} {'peak MB':>8}  outcome | before")
    for name, size, fn, before in cases:
        seconds, peak, said = measure(fn)
        print(f"{name:<36} {size:>11,} {seconds:>7.2f}s {peak:>8.2f}  {said} | before: {before}")


if __name__ == "__main__":
    main()
