"""Initiative status from a Jira or Linear CSV export (plain: no Django).

Jira ("Export → CSV (all fields)"): the key is ``Issue key``, the status ``Status``, the
finish ``Resolved`` (e.g. ``14/Oct/26 3:05 PM``); a done issue whose ``Resolution`` says it
was not done (Won't Do, Duplicate, …) counts as dropped. Linear ("Export CSV"): the key is
``ID``, the status ``Status``, the finish ``Completed`` (or ``Canceled`` for a dropped one),
ISO dates. Other columns are ignored; Jira repeats some (Sprint, Labels), so columns are read
by position, the first of each name.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass

from leadshift.files import MAX_BYTES, InputError, Problem

SOURCES = ("jira", "linear")
MAX_ROWS = 10_000

# A tracker's status name (lower case) → the initiative's status.
STATUS_MAP = {
    "backlog": "proposed",
    "triage": "proposed",
    "idea": "proposed",
    "new": "proposed",
    "open": "planned",
    "to do": "planned",
    "todo": "planned",
    "selected for development": "planned",
    "ready": "planned",
    "planned": "planned",
    "in progress": "in_progress",
    "in development": "in_progress",
    "in review": "in_progress",
    "review": "in_progress",
    "code review": "in_progress",
    "testing": "in_progress",
    "in qa": "in_progress",
    "started": "in_progress",
    "done": "done",
    "closed": "done",
    "resolved": "done",
    "completed": "done",
    "released": "done",
    "shipped": "done",
    "canceled": "dropped",
    "cancelled": "dropped",
    "won't do": "dropped",
    "duplicate": "dropped",
    "rejected": "dropped",
}
NOT_DONE_RESOLUTIONS = {"won't do", "won't fix", "duplicate", "cannot reproduce", "declined"}

COLUMNS = {
    "jira": {"key": "Issue key", "status": "Status", "finished": "Resolved"},
    "linear": {"key": "ID", "status": "Status", "finished": "Completed"},
}
JIRA_DATES = ("%d/%b/%y %I:%M %p", "%d/%b/%Y %I:%M %p", "%d/%b/%y", "%Y-%m-%d %H:%M")


@dataclass(frozen=True)
class SyncRow:
    line: int
    key: str
    status: str
    """One of the initiative statuses."""
    tracker_status: str
    finished: dt.date | None


def parse_date(raw: str) -> dt.date | None:
    text = raw.strip()
    try:
        return dt.datetime.fromisoformat(text.replace("Z", "+00:00")).date()
    except ValueError:
        pass
    for fmt in JIRA_DATES:
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def read_sync(text: str, filename: str, source: str) -> list[SyncRow]:
    """The rows of a tracker export; InputError naming each bad line (and column)."""
    if source not in SOURCES:
        raise InputError([Problem(f"unknown source {source!r} (jira or linear)")], filename)
    if len(text) > MAX_BYTES:
        raise InputError([Problem(f"the file is larger than {MAX_BYTES // 2**20} MB")], filename)
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    try:
        header = [h.strip() for h in next(reader)]
    except (StopIteration, csv.Error):
        raise InputError([Problem("the file is empty or not CSV", line=1)], filename) from None
    names = COLUMNS[source]
    lower = [h.lower() for h in header]
    col: dict[str, int] = {}
    missing = []
    for field, name in names.items():
        if name.lower() in lower:
            col[field] = lower.index(name.lower())
        elif field != "finished":
            missing.append(name)
    if missing:
        raise InputError(
            [
                Problem(
                    f"not a {source.capitalize()} export: no {' or '.join(map(repr, missing))} "
                    "column",
                    line=1,
                )
            ],
            filename,
        )
    resolution = lower.index("resolution") if source == "jira" and "resolution" in lower else None
    canceled = lower.index("canceled") if source == "linear" and "canceled" in lower else None
    problems: list[Problem] = []
    rows: list[SyncRow] = []
    seen: dict[str, int] = {}
    try:
        # Counted whether or not a row is good: a million bad rows must stop as early.
        for count, cells in enumerate(reader, start=1):
            line = reader.line_num
            if count > MAX_ROWS:
                raise InputError(
                    [Problem(f"more than {MAX_ROWS:,} rows; split the file", line=line)], filename
                )
            if not any(c.strip() for c in cells):
                continue

            def cell(k: int | None, cells: list[str] = cells) -> str:
                return cells[k].strip() if k is not None and k < len(cells) else ""

            key, raw_status = cell(col["key"]), cell(col["status"])
            if not key:
                problems.append(
                    Problem(f"{names['key']}: this cell is empty", line=line, column=col["key"] + 1)
                )
                continue
            if key in seen:
                problems.append(
                    Problem(
                        f"{key} is listed twice (also on line {seen[key]})",
                        line=line,
                        column=col["key"] + 1,
                    )
                )
                continue
            seen[key] = line
            status = STATUS_MAP.get(raw_status.lower())
            if status is None:
                problems.append(
                    Problem(
                        f"{key}: unknown status {raw_status!r} (known: "
                        f"{', '.join(sorted(STATUS_MAP))})",
                        line=line,
                        column=col["status"] + 1,
                    )
                )
                continue
            if status == "done" and cell(resolution).lower() in NOT_DONE_RESOLUTIONS:
                status = "dropped"
            finished_raw = cell(col.get("finished"))
            if status == "dropped" and not finished_raw:
                finished_raw = cell(canceled)
            finished = None
            if finished_raw:
                finished = parse_date(finished_raw)
                if finished is None:
                    problems.append(
                        Problem(
                            f"{key}: {names['finished']}: not a date: {finished_raw!r}",
                            line=line,
                            column=col["finished"] + 1,
                        )
                    )
                    continue
            rows.append(SyncRow(line, key, status, raw_status, finished))
    except csv.Error as exc:
        problems.append(Problem(f"not valid CSV: {exc}", line=reader.line_num))
    if problems:
        raise InputError(problems, filename)
    return rows
