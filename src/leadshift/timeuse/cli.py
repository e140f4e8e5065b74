"""`leadshift timeuse`: a calendar's time per shift, per week, and its trend.

The lead's `leadshift` group adds this with ``main.add_command(timeuse_command)``; until then it
runs as ``python -m leadshift.timeuse``.
"""

from __future__ import annotations

import json
import sys
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

import click

from leadshift.files import InputError

if TYPE_CHECKING:
    from leadshift.timeuse.aggregate import TimeUse


def _emails(values: tuple[str, ...]) -> list[str]:
    return [e.strip() for v in values for e in v.split(",") if e.strip()]


def _bar(share: float | None, width: int = 20) -> str:
    if share is None:
        return " " * width
    filled = round(share * width)
    return "#" * filled + "." * (width - filled)


def _print_text(use: TimeUse, weeks: int) -> None:
    from leadshift.timeuse.rules import POLE_ENDS, SHIFTS

    out = click.echo
    window = use.window
    if window:
        out(f"window {window[0]:%Y-%m-%d} to {window[1]:%Y-%m-%d} (zone {use.timezone})")
    if use.endless_until:
        # Stated, since "to" may reach further for finite series than for endless ones.
        out(
            f"{use.endless_series} series without an end counted up to "
            f"{use.endless_until:%Y-%m-%d} (today or the last date in the files; --to reads further)"
        )
    out(
        f"{use.total.meetings} meetings, {use.total_hours:.1f} h "
        f"({use.total.unclassified_hours:.1f} h unclassified); "
        f"{use.all_day_events} all-day events ({use.all_day_days:g} days) not counted"
    )
    if use.skipped:
        out("skipped: " + ", ".join(f"{k} {v}" for k, v in use.skipped.items()))
    out("")
    out(f"{'shift':<13}{'pm h':>8}{'leader h':>10}  leader share          trend/month")
    for shift in SHIFTS:
        pm, leader = (use.total.by_pole[f"{shift}:{end}"] for end in POLE_ENDS)
        share = use.total.leader_share(shift)
        trend = use.trend[shift]
        slope = "" if trend.slope_per_month is None else f"{trend.slope_per_month:+.3f} "
        out(f"{shift:<13}{pm:>8.1f}{leader:>10.1f}  {_bar(share)}  {slope}{trend.direction}")
    if weeks and use.weeks:
        out("")
        out("week       hours " + "".join(f"{s[:5]:>7}" for s in SHIFTS) + "   (leader share)")
        for key, period in list(use.weeks.items())[-weeks:]:
            shares = "".join(
                f"{'-' if (v := period.leader_share(s)) is None else f'{v:.2f}':>7}" for s in SHIFTS
            )
            out(f"{key}  {period.total_hours:>5.1f} {shares}")


@click.command("timeuse")
@click.argument("calendars", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--owner", help="Your e-mail: your declined invitations are skipped.")
@click.option("--from", "start", type=click.DateTime(["%Y-%m-%d"]), help="First day (included).")
@click.option("--to", "end", type=click.DateTime(["%Y-%m-%d"]), help="Last day (included).")
@click.option("--json", "as_json", is_flag=True, help="Print the aggregates as JSON.")
@click.option(
    "--rules",
    "rules_file",
    type=click.Path(path_type=Path),
    help="Your own rule file (the default rules show with --show-rules).",
)
@click.option("--reports", multiple=True, help="E-mails of the PMs you lead (comma-separated).")
@click.option("--executives", multiple=True, help="E-mails of executives and board members.")
@click.option("--tz", "zone", help="Your time zone for weeks (default: the calendar's).")
@click.option("--weeks", default=12, show_default=True, help="Weeks shown in the text table.")
@click.option("--show-rules", is_flag=True, help="Print the rules in use and stop.")
def timeuse_command(
    calendars: tuple[Path, ...],
    owner: str | None,
    start: object,
    end: object,
    as_json: bool,
    rules_file: Path | None,
    reports: tuple[str, ...],
    executives: tuple[str, ...],
    zone: str | None,
    weeks: int,
    show_rules: bool,
) -> None:
    """Time per shift per week from one or more ICS files or folders of them."""
    # Imported here: every `leadshift` command registers this one, and the calendar reader
    # and the engines (scipy) would slow each command's start-up.
    from leadshift.timeuse.aggregate import summary_json, time_use
    from leadshift.timeuse.ics import read_any
    from leadshift.timeuse.rules import Context, load_rules

    try:
        rules = load_rules(rules_file)
        if show_rules:
            click.echo(json.dumps(rules.describe(), indent=2, ensure_ascii=False))
            return
        read = read_any(
            calendars,
            owner=owner,
            start=start.date() if isinstance(start, datetime) else None,
            end=end.date() if isinstance(end, datetime) else None,
            default_tz=zone,
        )
    except InputError as exc:
        click.secho(exc.describe(), fg="red", err=True)
        sys.exit(2)
    context = Context.of(owner=read.owner, reports=_emails(reports), executives=_emails(executives))
    use = time_use(read, rules, context)
    if as_json:
        click.echo(json.dumps(summary_json(use), indent=2))
    else:
        _print_text(use, weeks)
