"""A list page's one step: apply the person's search, filters and sort to the rows the page
built, and answer the page or, when asked, the same rows as CSV."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from leadshift.core.listing import Column, Listing, Row, apply, csv_rows


def list_page(
    request: HttpRequest,
    rows: Sequence[Row],
    columns: Sequence[Column],
    template: str,
    context: dict[str, Any],
    filename: str,
) -> HttpResponse:
    listing = apply(rows, columns, request.GET)
    if wants_csv(request):
        return csv_response(listing, filename)
    return render(request, template, {**context, "listing": listing})


def wants_csv(request: HttpRequest) -> bool:
    return request.GET.get("format") == "csv"


def csv_response(listing: Listing, filename: str) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="{filename}-{stamp}.csv"'
    csv.writer(response).writerows(csv_rows(listing))
    return response
