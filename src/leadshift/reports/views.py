from __future__ import annotations

from django.db.models import Exists, OuterRef
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone

from leadshift.core.listing import Column
from leadshift.core.lists import list_page
from leadshift.people.access import person_required
from leadshift.people.models import Person
from leadshift.planning.services import plan_of_record
from leadshift.portfolio.access import is_leader
from leadshift.reports.assemble import build_report
from leadshift.reports.models import Rendering
from leadshift.reports.render import page_html, pdf_bytes
from leadshift.reports.services import do_request_rendering, may_download, rendering_json

PEOPLE_COLUMNS = [Column("name", "Person", lambda p: p.name, search=True, field="name")]


@person_required
def index(request: HttpRequest) -> HttpResponse:
    me = request.person
    # A page of the people one leads at a time: 2,000 rows of links is no page to read.
    people = (
        Person.objects.visible_to(me)
        .exclude(pk=me.pk)
        .annotate(leads=Exists(Person.objects.filter(manager=OuterRef("pk"))))
        .order_by("name")
    )
    return list_page(
        request,
        people,
        PEOPLE_COLUMNS,
        "reports/index.html",
        {
            "briefs": me.briefs.all()[:5],
            "leader": is_leader(me),
            "has_plan": plan_of_record(me.organisation, me) is not None,
        },
        "people-you-lead",
    )


@person_required
def report(request: HttpRequest, kind: str, subject_id: int) -> HttpResponse:
    today = timezone.localdate()
    built = build_report(kind, subject_id, request.person, today)
    if request.GET.get("format") == "json":
        return JsonResponse(built.data, json_dumps_params={"ensure_ascii": False})
    return HttpResponse(page_html(built, today, request))


@person_required
def report_pdf(request: HttpRequest, kind: str, subject_id: int) -> HttpResponse:
    """POST (the page's script): queue the PDF for the worker and answer where to follow it.
    GET (a plain link, without script): render it in the request."""
    if request.method == "POST":
        rendering = do_request_rendering(kind, subject_id, request.person)
        return JsonResponse(rendering_json(rendering), status=202)
    today = timezone.localdate()
    built = build_report(kind, subject_id, request.person, today)
    response = HttpResponse(pdf_bytes(built, today), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{built.filename}.pdf"'
    return response


def _mine(request: HttpRequest, rendering_id: int) -> Rendering:
    return get_object_or_404(Rendering, pk=rendering_id, requested_by=request.person)


@person_required
def rendering_status(request: HttpRequest, rendering_id: int) -> HttpResponse:
    return JsonResponse(rendering_json(_mine(request, rendering_id)))


@person_required
def rendering_download(request: HttpRequest, rendering_id: int) -> HttpResponse:
    rendering = _mine(request, rendering_id)
    if not may_download(rendering, request.person):
        raise Http404("No such PDF")
    response = HttpResponse(bytes(rendering.pdf or b""), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{rendering.filename}"'
    return response
