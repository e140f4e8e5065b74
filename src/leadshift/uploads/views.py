from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render

from leadshift.people.access import person_required
from leadshift.uploads.models import Upload
from leadshift.uploads.services import back_url, done_message, upload_json


def _mine(request: HttpRequest, upload_id: int) -> Upload:
    return get_object_or_404(Upload, pk=upload_id, uploaded_by=request.person)


@person_required
def upload_page(request: HttpRequest, upload_id: int) -> HttpResponse:
    upload = _mine(request, upload_id)
    if upload.status == Upload.Status.DONE:
        messages.success(request, done_message(upload))
        return redirect(back_url(upload))
    return render(request, "uploads/upload.html", {"upload": upload, "back": back_url(upload)})


@person_required
def upload_status(request: HttpRequest, upload_id: int) -> HttpResponse:
    return JsonResponse(upload_json(_mine(request, upload_id)))
