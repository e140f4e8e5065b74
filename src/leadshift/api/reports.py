from __future__ import annotations

from typing import Literal

from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Router

from leadshift.api.assessments import ERRORS
from leadshift.api.auth import actor
from leadshift.core.errors import NotFound
from leadshift.reports.assemble import Report, build_report
from leadshift.reports.render import pdf_bytes

router = Router(tags=["reports"])

Kind = Literal[
    "readiness", "team", "stakeholders", "brief", "decisions", "portfolio", "risk", "saved-brief"
]


def _build(request: HttpRequest, kind: str, subject_id: int) -> Report:
    try:
        return build_report(kind, subject_id, actor(request), timezone.localdate())
    except NotFound as exc:
        raise Http404("No such report") from exc


@router.get("/reports/{kind}/{subject_id}", response={200: dict, **ERRORS})
def report_json(request: HttpRequest, kind: Kind, subject_id: int) -> dict:
    """A report's data: readiness, team, stakeholders, brief or decisions of a person;
    portfolio or risk of the organisation (subject_id: your own id); saved-brief of a brief id."""
    return _build(request, kind, subject_id).data


@router.get("/reports/{kind}/{subject_id}/pdf", response={200: None, **ERRORS})
def report_pdf(request: HttpRequest, kind: Kind, subject_id: int) -> HttpResponse:
    """The same report as a PDF, with the charts of the web page."""
    built = _build(request, kind, subject_id)
    response = HttpResponse(pdf_bytes(built, timezone.localdate()), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{built.filename}.pdf"'
    return response
