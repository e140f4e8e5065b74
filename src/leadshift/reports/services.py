"""PDFs made by the task worker: ask for one, follow it, hand it over, clean old ones away."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from leadshift.core.errors import LeadShiftError
from leadshift.people.models import Person
from leadshift.reports.assemble import build_report
from leadshift.reports.models import Rendering
from leadshift.reports.render import pdf_bytes


def keep_hours() -> float:
    return float(getattr(settings, "LEADSHIFT_RENDERING_KEEP_HOURS", 24))


def clean_old_renderings(now: dt.datetime | None = None) -> int:
    """Remove renderings asked for more than the keep time ago; returns how many went."""
    cutoff = (now or timezone.now()) - dt.timedelta(hours=keep_hours())
    deleted, _ = Rendering.objects.filter(created_at__lt=cutoff).delete()
    return deleted


@transaction.atomic
def do_request_rendering(kind: str, subject_id: int, viewer: Person) -> Rendering:
    """Queue the PDF of a report the viewer may see (NotFound otherwise), or give back the
    same request still pending, so asking twice makes one PDF."""
    as_of = timezone.localdate()
    build_report(kind, subject_id, viewer, as_of)  # the page's own access rules
    clean_old_renderings()
    same = (
        Rendering.objects.filter(
            requested_by=viewer,
            kind=kind,
            subject_id=subject_id,
            as_of=as_of,
            status__in=[Rendering.Status.QUEUED, Rendering.Status.RUNNING],
        )
        .order_by("-created_at")
        .first()
    )
    if same is not None:
        return same
    rendering = Rendering.objects.create(
        organisation_id=viewer.organisation_id,
        requested_by=viewer,
        kind=kind,
        subject_id=subject_id,
        as_of=as_of,
        stage="Waiting for a worker",
    )
    from leadshift.reports.tasks import enqueue

    # Queued in the same transaction: a worker picks it up even after a web restart.
    rendering.task_id = enqueue(rendering.id)
    rendering.save(update_fields=["task_id"])
    return rendering


def _step(rendering_id: int, progress: int, stage: str) -> None:
    Rendering.objects.filter(pk=rendering_id).update(progress=progress, stage=stage)


def render_rendering(rendering_id: int) -> None:
    """The worker's part: build the report as the person who asked, lay it out, store it."""
    rendering = Rendering.objects.select_related("requested_by__organisation").get(pk=rendering_id)
    viewer = rendering.requested_by
    try:
        if viewer is None:
            raise LeadShiftError("the person who asked for it was removed while it waited")
        _step(rendering_id, 10, "Gathering the report's data")
        report = build_report(rendering.kind, rendering.subject_id, viewer, rendering.as_of)
        _step(rendering_id, 40, "Laying out the pages")
        pdf = pdf_bytes(report, rendering.as_of)
    except LeadShiftError as exc:
        Rendering.objects.filter(pk=rendering_id).update(
            status=Rendering.Status.FAILED,
            error=f"The PDF could not be made: {exc}.",
            stage="",
            finished_at=timezone.now(),
        )
        return
    # One update at the end: a worker stopped midway leaves no half-written PDF.
    Rendering.objects.filter(pk=rendering_id).update(
        status=Rendering.Status.DONE,
        pdf=pdf,
        filename=f"{report.filename}.pdf",
        progress=100,
        stage="",
        finished_at=timezone.now(),
    )


def may_download(rendering: Rendering, viewer: Person) -> bool:
    """Only the person who asked, and only while they may still see the report."""
    if rendering.requested_by_id != viewer.id or rendering.status != Rendering.Status.DONE:
        return False
    try:
        build_report(rendering.kind, rendering.subject_id, viewer, timezone.localdate())
    except LeadShiftError:
        return False
    return True


def rendering_json(rendering: Rendering) -> dict[str, Any]:
    done = rendering.status == Rendering.Status.DONE
    return {
        "id": rendering.id,
        "status": rendering.status,
        "progress": rendering.progress,
        "stage": rendering.stage,
        "error": rendering.error,
        "filename": rendering.filename,
        "status_url": reverse("rendering_status", args=[rendering.id]),
        "download_url": reverse("rendering_download", args=[rendering.id]) if done else None,
    }
