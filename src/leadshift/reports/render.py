"""One report, three forms: the web page's HTML, the printable HTML (and its PDF), and JSON."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.http import HttpRequest
from django.template.loader import render_to_string

from leadshift.reports.assemble import Report
from leadshift.reports.pdf import html_to_pdf


def _context(report: Report, as_of: dt.date) -> dict[str, Any]:
    return {
        "report": report,
        "subject": report.subject,
        "as_of": as_of,
        "body": report.template,
        **report.context,
    }


def printable_html(report: Report, as_of: dt.date) -> str:
    return render_to_string("reports/print.html", _context(report, as_of))


def page_html(report: Report, as_of: dt.date, request: HttpRequest) -> str:
    return render_to_string("reports/page.html", _context(report, as_of), request=request)


def pdf_bytes(report: Report, as_of: dt.date) -> bytes:
    return html_to_pdf(printable_html(report, as_of))


def json_text(report: Report) -> str:
    return json.dumps(report.data, indent=2, ensure_ascii=False, default=str)
