"""Key-result actuals from a CSV file (plain: no Django).

Columns: ``objective`` (its id), ``key_result`` (its id within the objective), ``date``
(YYYY-MM-DD), ``value`` (a number; ``1,200`` and ``12.5%`` read as 1200 and 12.5), ``note``
(optional). Every problem is collected with its line and column before one InputError is
raised; the caller matches the ids against the organisation's key results.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass

from leadshift.files import MAX_BYTES, InputError, Problem

COLUMNS = ("objective", "key_result", "date", "value", "note")
REQUIRED = ("objective", "key_result", "date", "value")
MAX_ROWS = 10_000
MAX_NOTE = 300


@dataclass(frozen=True)
class ActualRow:
    line: int
    objective: str
    key_result: str
    on: dt.date
    value: float
    note: str
    columns: dict[str, int]
    """Column number (1-based) of each field, for placing problems found later."""


def _at(message: str, line: int, column: int | None = None) -> Problem:
    return Problem(message, line=line, column=column)


def parse_number(raw: str) -> float | None:
    text = raw.strip().replace(",", "").replace("\u00a0", "").removesuffix("%").strip()
    try:
        value = float(text)
    except ValueError:
        return None
    return value if value == value and abs(value) != float("inf") else None


def read_actuals(text: str, filename: str) -> list[ActualRow]:
    """The rows of an actuals CSV; InputError naming file:line:column for every bad cell."""
    if len(text) > MAX_BYTES:
        raise InputError([Problem(f"the file is larger than {MAX_BYTES // 2**20} MB")], filename)
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    try:
        header = [h.strip().lower() for h in next(reader)]
    except StopIteration:
        raise InputError([Problem("the file is empty", line=1)], filename) from None
    except csv.Error as exc:
        raise InputError([Problem(f"not valid CSV: {exc}", line=1)], filename) from exc
    problems: list[Problem] = []
    for k, name in enumerate(header, start=1):
        if name not in COLUMNS:
            problems.append(_at(f"unknown column {name!r} (known: {', '.join(COLUMNS)})", 1, k))
    for name in REQUIRED:
        if name not in header:
            problems.append(Problem(f"the header needs a {name!r} column", line=1))
    if problems:
        raise InputError(problems, filename)
    col = {name: header.index(name) for name in COLUMNS if name in header}
    where = {name: k + 1 for name, k in col.items()}
    rows: list[ActualRow] = []
    seen: dict[tuple[str, str, dt.date], int] = {}
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
            got = {n: (cells[k].strip() if k < len(cells) else "") for n, k in col.items()}
            before = len(problems)
            for name in ("objective", "key_result"):
                if not got[name]:
                    problems.append(_at(f"{name}: this cell is empty", line, where[name]))
            try:
                on = dt.date.fromisoformat(got["date"])
            except ValueError:
                problems.append(
                    _at(f"date: expected YYYY-MM-DD, got {got['date']!r}", line, where["date"])
                )
                on = dt.date.min
            value = parse_number(got["value"])
            if value is None:
                problems.append(
                    _at(f"value: expected a number, got {got['value']!r}", line, where["value"])
                )
            note = got.get("note", "")
            if len(note) > MAX_NOTE:
                problems.append(_at(f"note: up to {MAX_NOTE} characters", line, where.get("note")))
            if len(problems) > before:
                continue
            ident = (got["objective"], got["key_result"], on)
            if ident in seen:
                problems.append(
                    _at(
                        f"date: {on} for {got['objective']}/{got['key_result']} is already on "
                        f"line {seen[ident]}",
                        line,
                        where["date"],
                    )
                )
                continue
            seen[ident] = line
            assert value is not None
            rows.append(
                ActualRow(line, got["objective"], got["key_result"], on, value, note, where)
            )
    except csv.Error as exc:
        problems.append(Problem(f"not valid CSV: {exc}", line=reader.line_num))
    if problems:
        raise InputError(problems, filename)
    return rows
