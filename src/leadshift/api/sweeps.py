"""Scenario sweeps through the API: start one (the web form's sweep text, or the sweep file's
content as JSON), poll its progress, read its table. Leaders only, as on the pages: anyone
else, and anything of another organisation, is 404."""

from __future__ import annotations

import dataclasses
import json
from typing import Any

from django.http import Http404, HttpRequest
from django.urls import reverse
from ninja import Router, Schema
from pydantic import Field

from leadshift.api.assessments import ERRORS
from leadshift.api.auth import actor
from leadshift.api.schemas import ObjectIn
from leadshift.core.errors import Invalid
from leadshift.files import InputError, format_path
from leadshift.people.models import Person
from leadshift.planning import services
from leadshift.planning.models import Scenario, Sweep
from leadshift.portfolio.access import is_leader

router = Router(tags=["planning"])


class SweepIn(ObjectIn):
    sweep: str | None = Field(
        None, description="The sweep file's text, YAML or JSON (as the scenario page's form)"
    )
    spec: dict[str, Any] | None = Field(
        None, description="Or the sweep file's content as a JSON object"
    )


class Problem(Schema):
    field: str
    line: int | None
    message: str


class Unprocessable(Schema):
    detail: str
    field: str | None
    problems: list[Problem]


def _leader(request: HttpRequest) -> Person:
    me = actor(request)
    if not is_leader(me):
        raise Http404("No such page")
    return me


def _sweep(me: Person, sweep_id: int) -> Sweep:
    found = Sweep.objects.filter(pk=sweep_id, organisation_id=me.organisation_id).first()
    if found is None:
        raise Http404("No such sweep")
    return found


def _status(sweep: Sweep) -> dict[str, Any]:
    return {
        **services.sweep_status(sweep),
        "scenario": sweep.scenario_id,
        "scenario_name": sweep.scenario_name,
        "status_url": reverse("api:sweep_progress", args=[sweep.id]),
        "result_url": reverse("api:sweep_result", args=[sweep.id]),
    }


def _unprocessable(exc: Invalid, prefix: str, text_lines: bool) -> tuple[int, dict[str, Any]]:
    """Each problem of the sweep placed by its field under ``prefix`` (and its line in the
    text sent, when a text was sent)."""
    cause = exc.__cause__
    found = cause.problems if isinstance(cause, InputError) else []
    problems = [
        {
            "field": ".".join(filter(None, [prefix, format_path(p.path)])),
            "line": p.line if text_lines else None,
            "message": p.message,
        }
        for p in found
    ]
    detail = "; ".join(f"{p['field']}: {p['message']}" for p in problems) or exc.message
    first = problems[0]["field"] if problems else exc.field
    return 422, {"detail": detail, "field": first, "problems": problems}


@router.post("/scenarios/{scenario_id}/sweeps", response={202: dict, 422: Unprocessable, **ERRORS})
def start_sweep(request: HttpRequest, scenario_id: int, payload: SweepIn) -> tuple[int, Any]:
    """Start a sweep of the scenario: send `sweep` (the sweep file's text) or `spec` (its
    content as an object). A bad sweep is answered 422 with every problem placed by field."""
    me = _leader(request)
    scenario = Scenario.objects.filter(pk=scenario_id, organisation_id=me.organisation_id).first()
    if scenario is None:
        raise Http404("No such scenario")
    if (payload.sweep is None) == (payload.spec is None):
        return 422, {
            "detail": "send the sweep as `sweep` (the file's text) or `spec` (an object), one of them",
            "field": "sweep",
            "problems": [],
        }
    as_text = payload.sweep is not None
    text = payload.sweep if payload.sweep is not None else json.dumps(payload.spec)
    try:
        sweep = services.do_start_sweep(scenario, me, text, filename="sweep" if as_text else "spec")
    except Invalid as exc:
        return _unprocessable(exc, "sweep" if as_text else "spec", as_text)
    return 202, _status(sweep)


@router.get("/sweeps/{sweep_id}", response={200: dict, **ERRORS}, url_name="sweep_progress")
def sweep_progress(request: HttpRequest, sweep_id: int) -> dict[str, Any]:
    """Its status (queued, running, done, failed), the variants done of all, and the reason
    when it failed."""
    return _status(_sweep(_leader(request), sweep_id))


@router.get("/sweeps/{sweep_id}/result", response={200: dict, **ERRORS}, url_name="sweep_result")
def sweep_result(request: HttpRequest, sweep_id: int) -> dict[str, Any]:
    """The table once done: each variant beside the base (the first row), its status and
    message (e.g. "stopped at the node limit"), value, gain, delivered P50 and the
    initiatives that come in or go out. Before then `rows` is null."""
    from leadshift.allocation.sweep import results_from_json, rows

    sweep = _sweep(_leader(request), sweep_id)
    table = rows(results_from_json(sweep.result)) if sweep.result else None
    return {
        **_status(sweep),
        "where": sweep.where,
        "time_limit": sweep.spec.get("time_limit"),
        "node_limit": sweep.spec.get("node_limit") or None,
        "trials": sweep.spec.get("trials", 0),
        "seed": sweep.spec.get("seed", 0),
        "rows": [dataclasses.asdict(r) for r in table] if table is not None else None,
    }
