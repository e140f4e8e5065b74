from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router

from leadshift.api.auth import actor
from leadshift.api.schemas import ERRORS
from leadshift.frameworks.services import framework_for

router = Router(tags=["framework"])


@router.get("/framework", response={200: dict[str, Any], **ERRORS})
def framework(request: HttpRequest) -> dict:
    """The organisation's framework: shifts, capabilities with levels, tracks, roles."""
    fv = framework_for(actor(request).organisation)
    return fv.data.model_dump(mode="json", by_alias=True)
