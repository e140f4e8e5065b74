"""The one way LeadShift writes a date for people to read: 4 Mar 2026 (no leading zero).
Plain Python, so engines, commands and templates (the `|day` filter) share it."""

from __future__ import annotations

import datetime as dt


def day(value: dt.date) -> str:
    return f"{value.day} {value:%b %Y}"


def moment(value: dt.datetime) -> str:
    return f"{day(value)}, {value:%H:%M}"
