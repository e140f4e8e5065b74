"""Search, sort, filter and paging for the long lists (team, risks, decisions, initiatives,
stakeholders, the team heatmap), as one plain module: a page lists its columns once and gets
the same controls, the same query string, the same pager and the same CSV export as every
other list.

The rows here are whatever the page already builds (models or dicts); a column says how to
read its value from a row. Nothing here touches the database: core/lists.py does the same
search, filters and sort in the database when a list is a queryset, and both end in the
Listing built here."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

Row = Any

PAGE_SIZE = 50


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    value: Callable[[Row], object]
    search: bool = False  # the search box looks in this column
    facet: bool = False  # the list can be filtered to one of its values
    sortable: bool = True
    # Where a queryset holds the value (a lookup path), for search, filters and sort in the
    # database; `order` is an expression to sort by instead (an aggregate, say).
    field: str | None = None
    order: Any = None


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


@dataclass(frozen=True)
class PageLink:
    number: int
    url: str
    current: bool


@dataclass(frozen=True)
class Pager:
    number: int
    pages: int
    count: int  # the rows that match, over all pages
    start: int  # 1-based, 0 when nothing matches
    end: int
    previous: str  # the query string of the page before ("" on the first)
    next: str
    links: tuple[PageLink | None, ...]  # None stands for the pages left out between

    @property
    def many(self) -> bool:
        return self.pages > 1


@dataclass(frozen=True)
class Query:
    """What the query string asks of a list, checked against its columns."""

    q: str
    words: tuple[str, ...]
    sort: str
    filters: dict[str, str]
    page: int
    known: dict[str, str]  # the list's own parameters, kept in every link


@dataclass
class Listing:
    rows: list[Row]  # the rows on this page
    total: int  # every row of the list, before search and filters
    q: str
    sort: str
    filters: dict[str, str]
    facets: list[Facet]
    headers: dict[str, Header]
    columns: Sequence[Column]
    csv_query: str  # the query string of this very view, asking for CSV
    filtered: bool = field(default=False)
    pager: Pager | None = None
    # Every matching row in order, for the CSV export (read once, as it is written).
    matching: Callable[[], Iterable[Row]] | None = None

    def every_row(self) -> Iterable[Row]:
        return self.matching() if self.matching is not None else self.rows

    @property
    def count_text(self) -> str:
        pager = self.pager
        count = pager.count if pager else len(self.rows)
        if pager and pager.many:
            shown = f"Showing {pager.start:,}–{pager.end:,} of {count:,}"
            return shown + (f" ({self.total:,} in all)" if self.filtered else "")
        return f"{count:,} of {self.total:,} shown" if self.filtered else f"{self.total:,} in all"


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


def read(columns: Sequence[Column], params: Mapping[str, str]) -> Query:
    """`q` (every word in some searched column), one `f_<column>` per filtered column, `sort`
    (a column key, `-key` for descending) and `page`; anything else is left out."""
    by_key = {c.key: c for c in columns}
    known = {k: v for k, v in params.items() if k in ("q", "sort") or k.startswith("f_")}
    q = (params.get("q") or "").strip()
    sort = params.get("sort") or ""
    if sort.lstrip("-") not in by_key or not by_key[sort.lstrip("-")].sortable:
        sort = ""
    filters = {c.key: params[f"f_{c.key}"] for c in columns if c.facet and params.get(f"f_{c.key}")}
    raw_page = params.get("page") or "1"
    page = int(raw_page) if raw_page.isdigit() and int(raw_page) > 0 else 1
    return Query(q, tuple(q.casefold().split()), sort, filters, page, known)


def pager(query: Query, count: int, size: int = PAGE_SIZE) -> Pager:
    """The page the query asks for, moved onto the last page when it asks past the end."""
    pages = max(1, -(-count // size))
    number = min(query.page, pages)

    def url(n: int) -> str:
        return "?" + _query(query.known, page=str(n) if n > 1 else "")

    near = {1, pages, *range(number - 2, number + 3)}
    links: list[PageLink | None] = []
    for n in sorted(k for k in near if 1 <= k <= pages):
        if links and links[-1] is not None and n > links[-1].number + 1:
            links.append(None)
        links.append(PageLink(n, url(n), n == number))
    return Pager(
        number=number,
        pages=pages,
        count=count,
        start=(number - 1) * size + 1 if count else 0,
        end=min(number * size, count),
        previous=url(number - 1) if number > 1 else "",
        next=url(number + 1) if number < pages else "",
        links=tuple(links),
    )


def headers(columns: Sequence[Column], query: Query) -> dict[str, Header]:
    out = {}
    for c in columns:
        if not c.sortable:
            continue
        if query.sort == c.key:
            nxt, aria = f"-{c.key}", "ascending"
        elif query.sort == f"-{c.key}":
            nxt, aria = c.key, "descending"
        else:
            nxt, aria = c.key, "none"
        # A new order starts again on the first page.
        out[c.key] = Header(c.key, c.label, "?" + _query(query.known, sort=nxt), aria)
    return out


def facet_options(counts: Mapping[str, int], selected: str | None) -> tuple[Option, ...]:
    return tuple(Option(v, n, selected == v) for v, n in sorted(counts.items()) if v)


def listing(
    query: Query,
    columns: Sequence[Column],
    *,
    rows: list[Row],
    page: Pager,
    total: int,
    facets: list[Facet],
    matching: Callable[[], Iterable[Row]],
) -> Listing:
    return Listing(
        rows=rows,
        total=total,
        q=query.q,
        sort=query.sort,
        filters=query.filters,
        facets=facets,
        headers=headers(columns, query),
        columns=columns,
        csv_query="?" + _query(query.known, format="csv"),
        filtered=bool(query.words or query.filters),
        pager=page,
        matching=matching,
    )


def apply(
    rows: Sequence[Row],
    columns: Sequence[Column],
    params: Mapping[str, str],
    page_size: int = PAGE_SIZE,
) -> Listing:
    """The page of rows the query in `params` asks for (see `read`). Without `sort`, the
    page's own order stands."""
    query = read(columns, params)
    by_key = {c.key: c for c in columns}
    searched = [c for c in columns if c.search]

    def matches(row: Row, skip: str | None = None) -> bool:
        for key, wanted in query.filters.items():
            if key != skip and text(by_key[key].value(row)) != wanted:
                return False
        if query.words:
            hay = " ".join(text(c.value(row)) for c in searched).casefold()
            return all(w in hay for w in query.words)
        return True

    shown = [r for r in rows if matches(r)]
    if query.sort:
        col = by_key[query.sort.lstrip("-")]
        shown.sort(key=lambda r: _sort_key(col.value(r)), reverse=query.sort.startswith("-"))
        if query.sort.startswith("-"):
            # Reversing moved the empty values first; they belong at the end.
            shown.sort(key=lambda r: _sort_key(col.value(r))[0])

    facets = []
    for c in columns:
        if not c.facet:
            continue
        # Counts within the other filters, so each option says what choosing it would show.
        counts = Counter(text(c.value(r)) for r in rows if matches(r, skip=c.key))
        facets.append(Facet(c.key, c.label, facet_options(counts, query.filters.get(c.key))))

    page = pager(query, len(shown), page_size)
    return listing(
        query,
        columns,
        rows=shown[page.start - 1 : page.end] if shown else [],
        page=page,
        total=len(rows),
        facets=facets,
        matching=lambda: shown,
    )


# A spreadsheet runs a cell that starts like a formula; a list exported from LeadShift holds
# text people typed, so such a cell is written as text (OWASP's CSV injection advice).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")


def safe_cell(value: object) -> str:
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return text(value)
    cell = text(value)
    return "'" + cell if cell.startswith(FORMULA_START) else cell


def csv_lines(listing: Listing) -> Iterator[list[str]]:
    """The header and every matching row (not only this page), one at a time."""
    yield [c.label for c in listing.columns]
    for r in listing.every_row():
        yield [safe_cell(c.value(r)) for c in listing.columns]


def csv_rows(listing: Listing) -> list[list[str]]:
    return list(csv_lines(listing))
