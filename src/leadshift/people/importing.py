"""Reading and checking a people file (CSV or YAML): plain Python, no Django.

A CSV has the header ``email,name,title,manager,team,target_role,roles`` (manager by e-mail,
roles separated by ``;``, every cell but email and name may be empty); a YAML file is a list
of mappings with the same keys. `check` finds every problem at once, each placed by line and
column (CSV) or line and key (YAML), against what the organisation already holds, so the
import is all or nothing.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from leadshift.files import InputError, PathPart, Problem, parse_text
from leadshift.people.roles import parse_roles

COLUMNS = ("email", "name", "title", "manager", "team", "target_role", "roles")
REQUIRED = ("email", "name")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


@dataclass(frozen=True)
class Row:
    """One person as the file gives them; `where` places each key (line, path) for problems."""

    email: str
    name: str
    title: str = ""
    manager: str = ""
    team: str = ""
    target_role: str = ""
    roles: frozenset[str] | None = None  # None: the cell was empty
    where: dict[str, tuple[int | None, tuple[PathPart, ...]]] = field(default_factory=dict)

    def problem(self, key: str, message: str) -> Problem:
        line, path = self.where.get(key, (None, (key,)))
        return Problem(message, path=path, line=line)


@dataclass(frozen=True)
class OrgState:
    """What the organisation already holds, as the check needs it."""

    managers: dict[str, str]  # existing person's e-mail -> their manager's e-mail ("" for none)
    inactive: frozenset[str] = frozenset()  # e-mails of deactivated people
    elsewhere: frozenset[str] = frozenset()  # e-mails already in another organisation
    teams: frozenset[str] = frozenset()  # current team names
    archived_teams: frozenset[str] = frozenset()
    target_roles: frozenset[str] = frozenset()


def _cell(value: object) -> str:
    if value is None:
        return ""
    return str(value).strip()


def _row(values: Mapping[str, object], where: dict, problems: list[Problem]) -> Row | None:
    roles_value = values.get("roles")
    unknown: list[str] = []
    roles: frozenset[str] | None = None
    if isinstance(roles_value, list):
        roles_text = ";".join(_cell(v) for v in roles_value)
    else:
        roles_text = _cell(roles_value)
    if roles_text:
        known, unknown = parse_roles(roles_text)
        roles = frozenset(known)
    row = Row(
        email=_cell(values.get("email")).lower(),
        name=_cell(values.get("name")),
        title=_cell(values.get("title")),
        manager=_cell(values.get("manager")).lower(),
        team=_cell(values.get("team")),
        target_role=_cell(values.get("target_role")),
        roles=roles,
        where=where,
    )
    for key in REQUIRED:
        if not getattr(row, key):
            problems.append(row.problem(key, f"the {key} is required"))
    if row.email and not _EMAIL.match(row.email):
        problems.append(row.problem("email", f"{row.email!r} is not an e-mail address"))
    if row.manager and not _EMAIL.match(row.manager):
        problems.append(row.problem("manager", f"{row.manager!r} is not an e-mail address"))
    for name in unknown:
        problems.append(
            row.problem("roles", f"unknown role {name!r} (roles: admin, leader, member)")
        )
    return row


def _read_csv(text: str, filename: str | None) -> tuple[list[Row], list[Problem]]:
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    try:
        header = [h.strip().lower() for h in next(reader)]
    except StopIteration:
        raise InputError([Problem("the file is empty")], filename) from None
    problems = [
        Problem(f"unknown column {h!r} (columns: {', '.join(COLUMNS)})", path=(h,), line=1)
        for h in header
        if h not in COLUMNS
    ]
    problems += [
        Problem(f"the header has no {c!r} column", line=1) for c in REQUIRED if c not in header
    ]
    if problems:
        raise InputError(problems, filename)
    rows: list[Row] = []
    while True:
        line = reader.line_num + 1
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            raise InputError([Problem(f"not valid CSV: {exc}", line=line)], filename) from exc
        if not any(c.strip() for c in cells):
            continue
        if len(cells) > len(header):
            problems.append(
                Problem(f"{len(cells)} cells but the header has {len(header)}", line=line)
            )
            continue
        values = dict(zip(header, cells, strict=False))
        where = {k: (line, (k,)) for k in COLUMNS}
        row = _row(values, where, problems)
        if row is not None:
            rows.append(row)
    return rows, problems


def _read_yaml(text: str, filename: str | None) -> tuple[list[Row], list[Problem]]:
    doc = parse_text(text, filename)
    if not isinstance(doc.data, list):
        raise doc.error([doc.problem("expected a list of people, each a mapping of email, name…")])
    problems: list[Problem] = []
    rows: list[Row] = []
    for i, item in enumerate(doc.data):
        if not isinstance(item, dict):
            problems.append(doc.problem("expected a mapping with email, name…", (i,)))
            continue
        for key in item:
            if key not in COLUMNS:
                problems.append(
                    doc.problem(f"unknown key {key!r} (keys: {', '.join(COLUMNS)})", (i, key))
                )
        where = {k: (doc.line_of((i, k)), (i, k)) for k in COLUMNS}
        row = _row(item, where, problems)
        if row is not None:
            rows.append(row)
    return rows, problems


def read_people(
    text: str, filename: str | None = None, fmt: str | None = None
) -> tuple[list[Row], list[Problem]]:
    """The rows of a CSV or YAML people file and the problems of its rows; a file that cannot
    be read as people at all raises InputError, placed."""
    name = (filename or "").lower()
    if fmt is None:
        fmt = "csv" if name.endswith(".csv") else "yaml" if name.endswith((".yaml", ".yml")) else ""
    if not fmt:
        first = text.lstrip("\ufeff").lstrip().split("\n", 1)[0].lower()
        fmt = "csv" if first.startswith("email") and "," in first else "yaml"
    return _read_csv(text, filename) if fmt == "csv" else _read_yaml(text, filename)


def _loop(start: str, managers: dict[str, str]) -> list[str] | None:
    """The chain from `start` back to itself through managers, if there is one."""
    chain = [start]
    node = managers.get(start, "")
    while node:
        if node == start:
            return [*chain, node]
        if node in chain:
            return None  # a loop further up, reported at its own rows
        chain.append(node)
        node = managers.get(node, "")
    return None


def by_place(problems: list[Problem]) -> list[Problem]:
    def column(p: Problem) -> int:
        last = p.path[-1] if p.path else ""
        return COLUMNS.index(last) if last in COLUMNS else len(COLUMNS)

    return sorted(problems, key=lambda p: (p.line or 0, column(p)))


def check(rows: list[Row], org: OrgState) -> list[Problem]:
    """Every problem of the rows against the organisation; empty when the import may go ahead."""
    problems: list[Problem] = []
    first_line: dict[str, int | None] = {}
    for row in rows:
        if row.email in first_line:
            at = first_line[row.email]
            problems.append(
                row.problem(
                    "email",
                    f"duplicate e-mail {row.email}" + (f", first on line {at}" if at else ""),
                )
            )
            continue
        first_line[row.email] = row.where.get("email", (None, ()))[0]
        if row.email in org.elsewhere:
            problems.append(row.problem("email", f"{row.email} is already in another organisation"))
    in_file = set(first_line)
    managers = dict(org.managers)
    for row in rows:
        managers[row.email] = row.manager
    for row in rows:
        if row.manager:
            if row.manager not in in_file and row.manager not in org.managers:
                problems.append(
                    row.problem(
                        "manager",
                        f"unknown manager {row.manager} (in neither the file nor the organisation)",
                    )
                )
            elif row.manager not in in_file and row.manager in org.inactive:
                problems.append(row.problem("manager", f"manager {row.manager} is deactivated"))
            elif (chain := _loop(row.email, managers)) is not None:
                problems.append(
                    row.problem("manager", "the manager chain loops: " + " → ".join(chain))
                )
        if row.team:
            if row.team in org.archived_teams:
                problems.append(row.problem("team", f"team {row.team!r} is archived"))
            elif row.team not in org.teams:
                problems.append(
                    row.problem(
                        "team",
                        f"unknown team {row.team!r}; create it first "
                        "(the Teams page or `leadshift teams add`)",
                    )
                )
        if row.target_role and row.target_role not in org.target_roles:
            known = ", ".join(sorted(org.target_roles))
            problems.append(
                row.problem(
                    "target_role", f"unknown target role {row.target_role!r} (roles: {known})"
                )
            )
    return problems
