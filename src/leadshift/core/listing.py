"""Search, sort and filter for the long lists (team, risks, decisions, initiatives,
stakeholders), as one plain module: a page lists its columns once and gets the same
controls, the same query string and the same CSV export as every other list.

The rows are whatever the page already builds (models or dicts); a column says how to read
its value from a row. Nothing here touches the database: the lists are the rows a person
may see, already loaded for the page."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

Row = Any


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    value: Callable[[Row], object]
    search: bool = False  # the search box looks in this column
    facet: bool = False  # the list can be filtered to one of its values
    sortable: bool = True


@dataclass(frozen=True)
class Option:
    value: str
    count: int
    selected: bool


@dataclass(frozen=True)
class Facet:
    key: str
    label: str
    options: tuple[Option, ...]


@dataclass(frozen=True)
class Header:
    key: str
    label: str
    url: str  # the same list sorted by this column (reversed when it already is)
    aria_sort: str  # "ascending", "descending" or "none"


@dataclass
class Listing:
    rows: list[Row]
    total: int
    q: str
    sort: str
    filters: dict[str, str]
    facets: list[Facet]
    headers: dict[str, Header]
    columns: Sequence[Column]
    csv_query: str  # the query string of this very view, asking for CSV
    filtered: bool = field(default=False)


def text(value: object) -> str:
    """How a value reads in the list, in the search and in the CSV."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def _sort_key(value: object) -> tuple[int, Any]:
    # Empty values last whichever the direction; numbers as numbers, text without case.
    if value is None or value == "":
        return (1, "")
    if isinstance(value, bool):
        return (0, int(value))
    if isinstance(value, int | float | Decimal):
        return (0, float(value))
    if isinstance(value, date):
        return (0, value.toordinal())
    return (0, str(value).casefold())


def _query(params: Mapping[str, str], **changes: str) -> str:
    merged = {k: v for k, v in params.items() if v and k not in ("format",)}
    merged.update(changes)
    return urlencode({k: v for k, v in merged.items() if v})


def apply(rows: Sequence[Row], columns: Sequence[Column], params: Mapping[str, str]) -> Listing:
    """The rows the query in `params` asks for: `q` (every word in some searched column),
    one `f_<column>` per filtered column, `sort` (a column key, `-key` for descending).
    Without `sort`, the page's own order stands."""
    by_key = {c.key: c for c in columns}
    known = {k: v for k, v in params.items() if k in ("q", "sort") or k.startswith("f_")}
    q = (params.get("q") or "").strip()
    sort = params.get("sort") or ""
    if sort.lstrip("-") not in by_key or not by_key[sort.lstrip("-")].sortable:
        sort = ""
    filters = {c.key: params[f"f_{c.key}"] for c in columns if c.facet and params.get(f"f_{c.key}")}

    words = q.casefold().split()
    searched = [c for c in columns if c.search]

    def matches(row: Row, skip: str | None = None) -> bool:
        for key, wanted in filters.items():
            if key != skip and text(by_key[key].value(row)) != wanted:
                return False
        if words:
            hay = " ".join(text(c.value(row)) for c in searched).casefold()
            return all(w in hay for w in words)
        return True

    shown = [r for r in rows if matches(r)]
    if sort:
        col = by_key[sort.lstrip("-")]
        shown.sort(key=lambda r: _sort_key(col.value(r)), reverse=sort.startswith("-"))
        if sort.startswith("-"):
            # Reversing moved the empty values first; they belong at the end.
            shown.sort(key=lambda r: _sort_key(col.value(r))[0])

    facets = []
    for c in columns:
        if not c.facet:
            continue
        # Counts within the other filters, so each option says what choosing it would show.
        counts = Counter(text(c.value(r)) for r in rows if matches(r, skip=c.key))
        options = tuple(
            Option(v, n, filters.get(c.key) == v) for v, n in sorted(counts.items()) if v
        )
        facets.append(Facet(c.key, c.label, options))

    headers = {}
    for c in columns:
        if not c.sortable:
            continue
        if sort == c.key:
            nxt, aria = f"-{c.key}", "ascending"
        elif sort == f"-{c.key}":
            nxt, aria = c.key, "descending"
        else:
            nxt, aria = c.key, "none"
        headers[c.key] = Header(c.key, c.label, "?" + _query(known, sort=nxt), aria)

    return Listing(
        rows=shown,
        total=len(rows),
        q=q,
        sort=sort,
        filters=filters,
        facets=facets,
        headers=headers,
        columns=columns,
        csv_query="?" + _query(known, format="csv"),
        filtered=bool(words or filters),
    )


# A spreadsheet runs a cell that starts like a formula; a list exported from LeadShift holds
# text people typed, so such a cell is written as text (OWASP's CSV injection advice).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")


def safe_cell(value: object) -> str:
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return text(value)
    cell = text(value)
    return "'" + cell if cell.startswith(FORMULA_START) else cell


def csv_rows(listing: Listing) -> list[list[str]]:
    head = [c.label for c in listing.columns]
    return [head] + [[safe_cell(c.value(r)) for c in listing.columns] for r in listing.rows]
