"""Benchmark: a year of a busy calendar (about 6,000 meetings after expansion) read and classified.

Target from the issue: "a year of a busy calendar (about 6,000 events after expansion) imports
and classifies in seconds". The calendar is generated (fixed seed): recurring series (daily
stand-ups, weekly 1:1s and reviews, fortnightly sprint ceremonies, monthly portfolio and board
meetings) in five time zones including Windows names as Outlook writes them, with EXDATEs,
moved and cancelled occurrences and declined invitations, plus one-off meetings.

Baseline: classifying every occurrence on its own, without sharing the answer within a series.

    PYTHONPATH=src python benchmarks/bench_timeuse.py [--quick] [--events N]
"""

from __future__ import annotations

import argparse
import random
import time
from datetime import date, datetime, timedelta

import icalendar
import recurring_ical_events

from leadshift.timeuse.aggregate import aggregate, summary_json
from leadshift.timeuse.ics import read_calendar
from leadshift.timeuse.rules import Context, classify, classify_all, load_rules

OWNER = "maya@acme.com"
REPORTS = [f"pm{i}@acme.com" for i in range(6)]
EXECS = ["ceo@acme.com", "cfo@acme.com", "cto@acme.com"]
# IANA names and the Windows names Outlook writes for the same places.
ZONES = [
    "Europe/Berlin",
    "W. Europe Standard Time",
    "America/New_York",
    "Pacific Standard Time",
    "Europe/London",
]
TITLES = {
    "daily": ["Payments stand-up", "Checkout daily", "Platform scrum", "Mobile stand-up"],
    "weekly": [
        "Feature review",
        "Backlog refinement",
        "Strategy sync",
        "Design review",
        "Exec staff meeting",
        "Roadmap review",
        "Marketing sync",
        "Bug triage",
        "Portfolio council",
        "Customer advisory call",
        "Hiring debrief",
    ],
    "fortnightly": ["Sprint planning", "Sprint review", "Retro"],
    "monthly": ["Board prep", "Portfolio review", "OKR check-in", "Business review"],
    "one_off": [
        "Customer call",
        "Interview",
        "Vendor demo",
        "Strategy offsite prep",
        "Pricing decision",
        "Coffee",
        "Incident review",
        "User research session",
        "Budget review",
        "Lunch",
    ],
}
YEAR_START = date(2026, 1, 5)


def _fmt(moment: datetime) -> str:
    return moment.strftime("%Y%m%dT%H%M%S")


def _people(rng: random.Random, title: str) -> list[str]:
    if "1:1" in title:
        return [rng.choice(REPORTS)]
    pool = REPORTS + EXECS + [f"eng{i}@acme.com" for i in range(20)] + ["x@globex.com"]
    return rng.sample(pool, rng.randint(2, 7))


def _event(
    uid: str,
    title: str,
    tzid: str,
    start: datetime,
    minutes: int,
    people: list[str],
    extra: list[str],
    status: str = "ACCEPTED",
) -> list[str]:
    lines = [
        "BEGIN:VEVENT",
        f"UID:{uid}",
        "DTSTAMP:20260101T000000Z",
        f"DTSTART;TZID={tzid}:{_fmt(start)}",
        f"DTEND;TZID={tzid}:{_fmt(start + timedelta(minutes=minutes))}",
        f"SUMMARY:{title}",
        f"ORGANIZER;CN=Maya:mailto:{OWNER}",
        f"ATTENDEE;CN=Maya;PARTSTAT={status}:mailto:{OWNER}",
    ]
    lines += [f"ATTENDEE;PARTSTAT=ACCEPTED:mailto:{p}" for p in people]
    return lines + extra + ["END:VEVENT"]


def busy_year(target: int, seed: int = 7) -> tuple[bytes, int]:
    """An ICS calendar whose expansion gives about ``target`` meetings; returns (bytes, series)."""
    rng = random.Random(seed)
    weeks = 52
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//LeadShift bench//EN",
        f"X-WR-CALNAME:{OWNER}",
        "X-WR-TIMEZONE:Europe/Berlin",
    ]
    made, series = 0, 0
    kinds = [
        ("daily", 5 * weeks, "FREQ=DAILY;BYDAY=MO,TU,WE,TH,FR"),
        ("weekly", weeks, "FREQ=WEEKLY"),
        ("fortnightly", weeks // 2, "FREQ=WEEKLY;INTERVAL=2"),
        ("monthly", 12, "FREQ=MONTHLY;BYDAY=1TH"),
    ]
    one_to_ones = [(f"Maya / {r.split('@')[0]} 1:1", r) for r in REPORTS]
    while made < target * 0.93:
        kind, per_year, rule = rng.choices(kinds, weights=[2, 10, 3, 2])[0]
        title = rng.choice(TITLES[kind])
        people = _people(rng, title)
        if kind == "weekly" and rng.random() < 0.3:
            title, report = rng.choice(one_to_ones)
            people = [report]
        tzid = rng.choice(ZONES)
        day = YEAR_START + timedelta(days=rng.randint(0, 4))
        start = datetime(day.year, day.month, day.day, rng.randint(8, 17), rng.choice([0, 30]))
        count = min(per_year, max(1, int((target - made) / 0.97)))
        uid = f"series-{series}@bench"
        extra = [f"RRULE:{rule};COUNT={count}"]
        if kind in ("weekly", "daily") and count > 10:
            excluded = start + timedelta(weeks=rng.randint(1, 8))
            extra.append(f"EXDATE;TZID={tzid}:{_fmt(excluded)}")
        lines += _event(uid, title, tzid, start, rng.choice([15, 30, 45, 60, 90]), people, extra)
        if kind == "weekly" and count > 12:
            moved_from = start + timedelta(weeks=10)
            moved_to = moved_from + timedelta(days=1, hours=1)
            lines += _event(
                uid,
                title,
                tzid,
                moved_to,
                60,
                people,
                [f"RECURRENCE-ID;TZID={tzid}:{_fmt(moved_from)}"],
            )
            cancelled = start + timedelta(weeks=11)
            lines += _event(
                uid,
                title,
                tzid,
                cancelled,
                60,
                people,
                [f"RECURRENCE-ID;TZID={tzid}:{_fmt(cancelled)}", "STATUS:CANCELLED"],
            )
        made += count
        series += 1
    one_offs = 0
    while made < target:
        tzid = rng.choice(ZONES)
        day = YEAR_START + timedelta(days=rng.randint(0, 360))
        start = datetime(day.year, day.month, day.day, rng.randint(8, 18), rng.choice([0, 30]))
        title = rng.choice(TITLES["one_off"])
        people = _people(rng, title)
        status = "DECLINED" if rng.random() < 0.1 else "ACCEPTED"
        lines += _event(
            f"one-{one_offs}@bench",
            title,
            tzid,
            start,
            rng.choice([30, 45, 60]),
            people,
            [],
            status,
        )
        made += 1
        one_offs += 1
    lines.append("END:VCALENDAR")
    return ("\r\n".join(lines) + "\r\n").encode(), series


def run(target: int) -> None:
    data, series = busy_year(target)
    rules = load_rules()
    context = Context.of(owner=OWNER, reports=REPORTS, executives=EXECS)

    t0 = time.perf_counter()
    read = read_calendar(
        data, owner=OWNER, start=date(2026, 1, 1), end=date(2026, 12, 31), filename="busy-year.ics"
    )
    t1 = time.perf_counter()
    found = classify_all(read.meetings, rules, context)
    t2 = time.perf_counter()
    use = aggregate(
        read.meetings,
        found,
        read.timezone,
        all_day=read.all_day,
        skipped=read.skipped,
        timezone_name=read.timezone_name,
        window=read.window,
    )
    summary = summary_json(use)
    t3 = time.perf_counter()
    naive = [classify(m, rules, context) for m in read.meetings]
    t4 = time.perf_counter()
    assert naive == found
    cal = icalendar.Calendar.from_ical(data)
    bare = len(recurring_ical_events.of(cal).between(date(2026, 1, 1), date(2027, 1, 1)))
    t5 = time.perf_counter()

    n = len(read.meetings)
    total = t3 - t0
    print(
        f"calendar: {len(data) / 1e6:.2f} MB, {series} series, {n} meetings after expansion, "
        f"skipped {read.skipped}, {summary['total_hours']:.0f} h, "
        f"{len(summary['weeks'])} weeks"
    )
    print()
    print(f"{'stage':<40}{'seconds':>10}{'meetings/s':>14}")
    print(f"{'read + check + expand (ICS)':<40}{t1 - t0:>10.3f}{n / (t1 - t0):>14,.0f}")
    print(f"{'classify (series share an answer)':<40}{t2 - t1:>10.3f}{n / (t2 - t1):>14,.0f}")
    print(f"{'aggregate + summary JSON':<40}{t3 - t2:>10.3f}{n / (t3 - t2):>14,.0f}")
    print(f"{'total':<40}{total:>10.3f}{n / total:>14,.0f}")
    print()
    print(
        f"{'baseline: classify each occurrence':<40}{t4 - t3:>10.3f}{n / (t4 - t3):>14,.0f}"
        f"   ({(t4 - t3) / (t2 - t1):.1f}x the series-shared classify)"
    )
    print(
        f"{'baseline: bare icalendar + expansion':<40}{t5 - t4:>10.3f}{bare / (t5 - t4):>14,.0f}"
        f"   ({bare} occurrences, no checks, no skipping)"
    )
    verdict = "meets" if total < 10 else "misses"
    print(
        f"target: a year of ~6,000 events in seconds (< 10 s): {total:.2f} s for {n} -> {verdict}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="600 meetings instead of 6,000")
    parser.add_argument("--events", type=int, default=None)
    args = parser.parse_args()
    run(args.events or (600 if args.quick else 6000))


if __name__ == "__main__":
    main()
