"""Imports uploaded on the web: the file is checked whole in the request (problems shown at
once, placed by line, nothing written), stored, and written by the task worker in one
transaction, all or nothing."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from leadshift.core.errors import LeadShiftError
from leadshift.files import InputError
from leadshift.people.models import Organisation, Person
from leadshift.uploads.models import Upload


def in_background() -> bool:
    return bool(getattr(settings, "LEADSHIFT_RUNS_IN_BACKGROUND", True))


KEEP = dt.timedelta(days=1)


def clean_old_uploads(now: dt.datetime | None = None) -> int:
    """Finished imports are kept a day, for their page; the file's text goes with them."""
    cutoff = (now or timezone.now()) - KEEP
    deleted, _ = Upload.objects.filter(
        created_at__lt=cutoff, status__in=[Upload.Status.DONE, Upload.Status.FAILED]
    ).delete()
    return deleted


def _queue(
    org: Organisation, actor: Person, kind: str, text: str, filename: str, **kw: Any
) -> Upload:
    from leadshift.uploads.tasks import enqueue

    clean_old_uploads()
    upload = Upload.objects.create(
        organisation=org,
        uploaded_by=actor,
        kind=kind,
        filename=filename[:255],
        text=text,
        stage="Waiting for a worker",
        **kw,
    )
    # Queued in the same transaction: a worker picks it up even after a web restart.
    upload.task_id = enqueue(upload.id)
    upload.save(update_fields=["task_id"])
    return upload


@transaction.atomic
def do_queue_people_import(actor: Person, org: Organisation, text: str, filename: str) -> Upload:
    """Check a people file (InputError, nothing stored, if anything is wrong) and queue it."""
    from leadshift.people.services import check_people_file

    rows = check_people_file(actor, org, text, filename)
    return _queue(org, actor, "people", text, filename, rows=len(rows))


@transaction.atomic
def do_queue_portfolio_import(
    org: Organisation, actor: Person, text: str, filename: str, file_kind: str | None = None
) -> Upload:
    """Check a portfolio file (InputError or Invalid if anything is wrong) and queue it."""
    from leadshift.portfolio.access import check_leader
    from leadshift.portfolio.importing import read_import

    check_leader(actor, org)
    parsed = read_import(org, text, filename, file_kind)
    return _queue(org, actor, "portfolio", text, filename, file_kind=parsed.kind)


def _update(upload_id: int, **fields: Any) -> None:
    Upload.objects.filter(pk=upload_id).update(**fields)


def _fail(upload_id: int, error: str, problems: list[str] | None = None) -> None:
    _update(
        upload_id,
        status=Upload.Status.FAILED,
        error=error,
        problems=problems or [],
        stage="",
        finished_at=timezone.now(),
    )


def _write(upload: Upload, org: Organisation, actor: Person) -> dict[str, int]:
    if upload.kind == Upload.Kind.PEOPLE:
        from leadshift.people.services import do_import_people

        return do_import_people(actor, org, upload.text, upload.filename)
    from leadshift.portfolio.services import do_import

    return do_import(org, actor, upload.text, upload.filename, upload.file_kind or None)


def run_upload(upload_id: int) -> None:
    """The worker's part: check the file again against what is saved now, then write it and
    mark it imported in one transaction (a worker stopped midway leaves nothing written)."""
    upload = Upload.objects.select_related("organisation", "uploaded_by").get(pk=upload_id)
    org, actor = upload.organisation, upload.uploaded_by
    if org is None:
        _fail(
            upload_id, "The organisation was deleted while the import waited; nothing was imported."
        )
        return
    if actor is None or actor.organisation_id != org.id:
        _fail(
            upload_id,
            "The person who uploaded the file was removed while it waited; nothing was imported.",
        )
        return
    what = f"{upload.rows} people" if upload.kind == Upload.Kind.PEOPLE else "the portfolio"
    _update(upload_id, progress=30, stage=f"Writing {what}")
    try:
        with transaction.atomic():
            counts = _write(upload, org, actor)
            _update(
                upload_id,
                status=Upload.Status.DONE,
                counts=counts,
                progress=100,
                stage="",
                finished_at=timezone.now(),
            )
    except InputError as exc:
        _fail(
            upload_id,
            "The file no longer fits what is saved (it changed while the import waited); "
            "nothing was imported.",
            [p.describe(exc.filename) for p in exc.problems],
        )
    except LeadShiftError as exc:
        _fail(upload_id, f"Nothing was imported: {exc.message}")


def done_message(upload: Upload) -> str:
    counts = upload.counts or {}
    if upload.kind == Upload.Kind.PEOPLE:
        return (
            f"Imported {upload.filename}: {counts.get('added', 0)} added, "
            f"{counts.get('updated', 0)} updated."
        )
    done = ", ".join(f"{n} {k}" for k, n in counts.items())
    return f"Imported {done}. Nothing else was changed."


def back_url(upload: Upload) -> str:
    return reverse("people_admin" if upload.kind == Upload.Kind.PEOPLE else "portfolio_home")


def upload_json(upload: Upload) -> dict[str, Any]:
    return {
        "id": upload.id,
        "status": upload.status,
        "percent": upload.progress,
        "stage": upload.stage,
        "error": upload.error,
        "problems": upload.problems,
        "counts": upload.counts,
    }
