"""Report PDFs as background tasks, done by `leadshift worker`."""

from __future__ import annotations

from django_tasks import task

from leadshift.reports.models import Rendering
from leadshift.scale.leases import Leased, leased


@task()
def render_pdf(rendering_id: int) -> None:
    from leadshift.reports.services import render_rendering

    with leased(Rendering, rendering_id) as mine:
        if mine:
            render_rendering(rendering_id)


def enqueue(rendering_id: int) -> str:
    return str(render_pdf.enqueue(rendering_id).id)


LEASED = Leased(Rendering, enqueue, "PDF")
