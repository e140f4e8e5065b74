"""Writing uploaded imports as background tasks, done by `leadshift worker`."""

from __future__ import annotations

from django_tasks import task

from leadshift.scale.leases import Leased, leased
from leadshift.uploads.models import Upload


@task()
def write_upload(upload_id: int) -> None:
    from leadshift.uploads.services import run_upload

    with leased(Upload, upload_id) as mine:
        if mine:
            run_upload(upload_id)


def enqueue(upload_id: int) -> str:
    return str(write_upload.enqueue(upload_id).id)


LEASED = Leased(Upload, enqueue, "import")
