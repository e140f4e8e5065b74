"""A list page's one step: apply the person's search, filters, sort and page to the rows the
page built, and answer the page or, when asked, every matching row as CSV.

A list given as a queryset is searched, filtered, counted, sorted and cut to its page in the
database, so a page of 50 of 5,000 initiatives loads 50 (and their prefetches), not 5,000."""

from __future__ import annotations

import csv
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from functools import reduce
from operator import and_, or_
from typing import Any

from django.db.models import CharField, Count, F, Model, Q, QuerySet, TextField
from django.db.models.functions import Lower
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone

from leadshift.core.listing import (
    PAGE_SIZE,
    Column,
    Facet,
    Listing,
    Query,
    Row,
    apply,
    csv_lines,
    facet_options,
    listing,
    pager,
    read,
    text,
)


def list_page(
    request: HttpRequest,
    rows: Sequence[Row] | QuerySet[Any],
    columns: Sequence[Column],
    template: str,
    context: dict[str, Any],
    filename: str,
) -> HttpResponse:
    found = listed(rows, columns, request.GET)
    if wants_csv(request):
        return csv_response(found, filename)
    return render(request, template, {**context, "listing": found})


def listed(
    rows: Sequence[Row] | QuerySet[Any], columns: Sequence[Column], params: Mapping[str, str]
) -> Listing:
    if isinstance(rows, QuerySet):
        return apply_queryset(rows, columns, params)
    return apply(rows, columns, params)


def wants_csv(request: HttpRequest) -> bool:
    return request.GET.get("format") == "csv"


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_response(found: Listing, filename: str) -> StreamingHttpResponse:
    """Every matching row, written as it is read: a list of thousands never sits whole in
    memory as text."""
    writer = csv.writer(_Echo())
    response = StreamingHttpResponse(
        (writer.writerow(line) for line in csv_lines(found)),
        content_type="text/csv; charset=utf-8",
    )
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="{filename}-{stamp}.csv"'
    return response


# --- the same list, in the database -------------------------------------------------------


def _model_field(model: type[Model], path: str) -> Any:
    found: Any = None
    for part in path.split("__"):
        found = model._meta.get_field(part)
        model = found.related_model
    return found


def _searched(qs: QuerySet[Any], columns: Sequence[Column], words: Iterable[str]) -> QuerySet[Any]:
    paths = [c.field for c in columns if c.search and c.field]
    model = qs.model
    for word in words:
        # Through a subquery, so a word found in two of an initiative's teams finds it once.
        hit = reduce(or_, (Q(**{f"{p}__icontains": word}) for p in paths))
        qs = qs.filter(pk__in=model._default_manager.filter(hit).values("pk"))
    return qs


def _raw_values(qs: QuerySet[Any], path: str, wanted: str) -> list[Any]:
    # The stored values that read as the chosen option (True for "yes", say).
    stored = qs.order_by().values_list(path, flat=True).distinct()
    return [v for v in stored if text(v) == wanted]


def _sorted(qs: QuerySet[Any], col: Column, descending: bool) -> QuerySet[Any]:
    if col.order is not None:
        qs = qs.annotate(**{f"_sort_{col.key}": col.order})
        expr: Any = F(f"_sort_{col.key}")
    else:
        assert col.field is not None
        expr = F(col.field)
        if isinstance(_model_field(qs.model, col.field), CharField | TextField):
            expr = Lower(col.field)
    expr = expr.desc(nulls_last=True) if descending else expr.asc(nulls_last=True)
    return qs.order_by(expr, "pk")


def apply_queryset(
    qs: QuerySet[Any],
    columns: Sequence[Column],
    params: Mapping[str, str],
    page_size: int = PAGE_SIZE,
) -> Listing:
    """As listing.apply, with the work done by the database: each column that is searched,
    filtered or sorted names its `field` (or `order`)."""
    for c in columns:
        needs_field = (c.search or c.facet) and not c.field
        if needs_field or (c.sortable and not (c.field or c.order)):
            raise ValueError(f"column {c.key!r} needs a field to be listed from the database")
    query: Query = read(columns, params)
    by_key = {c.key: c for c in columns}
    searched = _searched(qs, columns, query.words)
    chosen = {}
    for key, wanted in query.filters.items():
        path = by_key[key].field
        assert path is not None
        chosen[key] = Q(**{f"{path}__in": _raw_values(qs, path, wanted)})

    def within(skip: str | None = None) -> QuerySet[Any]:
        return searched.filter(reduce(and_, (q for k, q in chosen.items() if k != skip), Q()))

    facets = []
    for c in columns:
        if not c.facet:
            continue
        assert c.field is not None
        counts: Counter[str] = Counter()
        grouped = (
            within(skip=c.key)
            .order_by()
            .values_list(c.field)
            .annotate(n=Count("pk", distinct=True))
        )
        for raw, n in grouped:
            counts[text(raw)] += n
        facets.append(Facet(c.key, c.label, facet_options(counts, query.filters.get(c.key))))

    shown = within()
    if query.sort:
        shown = _sorted(shown, by_key[query.sort.lstrip("-")], query.sort.startswith("-"))
    else:
        # The page's own order, made total so no row falls between two pages.
        own = list(shown.query.order_by) or list(shown.model._meta.ordering)
        shown = shown.order_by(*own, "pk")
    page = pager(query, shown.count(), page_size)
    rows = list(shown[page.start - 1 : page.end]) if page.count else []
    return listing(
        query,
        columns,
        rows=rows,
        page=page,
        total=qs.count(),
        facets=facets,
        matching=lambda: shown.iterator(chunk_size=500),
    )
