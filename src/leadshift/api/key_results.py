"""Key results and their actuals, initiative status and tracker sync, portfolio health.
Leaders and admins only; anything of another organisation answers 404, as on the pages."""

from __future__ import annotations

import datetime as dt

from django.http import Http404, HttpRequest
from ninja import Router

from leadshift.api.assessments import ERRORS
from leadshift.api.portfolio import _leader, _problems
from leadshift.api.schemas import ObjectIn, VersionedIn
from leadshift.core.versioning import expect_version
from leadshift.files import InputError
from leadshift.people.models import Person
from leadshift.portfolio import services
from leadshift.portfolio.models import Initiative, KeyResult, Objective
from leadshift.portfolio.trajectory import assess

router = Router(tags=["key results"])


def _objective(me: Person, key: str) -> Objective:
    o = Objective.objects.filter(organisation=me.organisation, key=key).first()
    if o is None:
        raise Http404(f"No objective {key!r} in your organisation")
    return o


def _key_result(me: Person, objective: str, key: str) -> KeyResult:
    kr = KeyResult.objects.filter(
        objective__organisation=me.organisation, objective__key=objective, key=key
    ).first()
    if kr is None:
        raise Http404(f"No key result {objective}/{key} in your organisation")
    return kr


def key_result_out(kr: KeyResult) -> dict:
    v = assess(services.key_result_input(kr))
    return {
        "key": kr.key,
        "version": kr.version,
        "objective": kr.objective.key,
        "name": kr.name,
        "unit": kr.unit,
        "baseline": kr.baseline,
        "target": kr.target,
        "direction": kr.direction,
        "start": kr.starts_on.isoformat(),
        "due": kr.due_on.isoformat(),
        "actuals": [
            {"date": a.taken_on.isoformat(), "value": a.value, "note": a.note}
            for a in kr.actuals.all()
        ],
        "trajectory": {
            "expected": round(v.expected, 6),
            "actual": v.actual,
            "as_of": v.as_of.isoformat() if v.as_of else None,
            "progress": None if v.progress is None else round(v.progress, 4),
            "expected_progress": round(v.expected_progress, 4),
            "behind_by": round(v.behind_by, 4),
            "off_track": v.off_track,
            "reason": v.reason,
        },
    }


@router.get("/portfolio/objectives/{key}/key-results", response={200: list[dict], **ERRORS})
def key_results(request: HttpRequest, key: str) -> list[dict]:
    """An objective's key results, each with its actuals and where it stands on its line."""
    me = _leader(request)
    o = _objective(me, key)
    return [key_result_out(k) for k in o.key_results.prefetch_related("actuals")]


class KeyResultIn(VersionedIn):
    key: str
    name: str
    unit: str = ""
    baseline: float
    target: float
    start: dt.date
    due: dt.date


@router.post("/portfolio/objectives/{key}/key-results", response={200: dict, **ERRORS})
def save_key_result(request: HttpRequest, key: str, payload: KeyResultIn) -> dict:
    """Add a key result, or update the one with this key."""
    me = _leader(request)
    o = _objective(me, key)
    existing = KeyResult.objects.filter(objective=o, key=payload.key).first()
    if existing is not None:
        expect_version(existing, payload.version)
    kr = services.do_save_key_result(
        o,
        me,
        key=payload.key,
        name=payload.name,
        unit=payload.unit,
        baseline=payload.baseline,
        target=payload.target,
        starts_on=payload.start,
        due_on=payload.due,
        key_result=existing,
    )
    return key_result_out(kr)


class ActualIn(ObjectIn):
    date: dt.date
    value: float
    note: str = ""


@router.post(
    "/portfolio/objectives/{objective}/key-results/{key}/actuals",
    response={200: dict, **ERRORS},
)
def record_actual(request: HttpRequest, objective: str, key: str, payload: ActualIn) -> dict:
    """Record a measured value (a second one on the same date replaces it)."""
    me = _leader(request)
    kr = _key_result(me, objective, key)
    services.do_record_actual(kr, me, on=payload.date, value=payload.value, note=payload.note)
    return key_result_out(kr)


class FileIn(ObjectIn):
    text: str
    filename: str = "request.csv"


@router.post("/portfolio/actuals/import", response={200: dict, **ERRORS})
def import_actuals(request: HttpRequest, payload: FileIn) -> dict:
    """Actuals CSV text (objective,key_result,date,value,note): all or nothing; 400 lists
    every problem as file:line:column."""
    me = _leader(request)
    try:
        return {
            "recorded": services.do_import_actuals(
                me.organisation, me, payload.text, payload.filename
            )
        }
    except InputError as exc:
        raise _problems(exc) from exc


class StatusIn(VersionedIn):
    status: str
    finished: dt.date | None = None
    reason: str = ""
    external_key: str | None = None


@router.put("/portfolio/initiatives/{key}/status", response={200: dict, **ERRORS})
def set_status(request: HttpRequest, key: str, payload: StatusIn) -> dict:
    """Move an initiative along proposed → planned → in_progress → done (or dropped); going
    back needs a reason."""
    me = _leader(request)
    item = Initiative.objects.filter(organisation=me.organisation, key=key).first()
    if item is None:
        raise Http404("No such initiative")
    expect_version(item, payload.version)
    item = services.do_set_status(
        item,
        me,
        status=payload.status,
        finished_on=payload.finished,
        reason=payload.reason,
        external_key=payload.external_key,
    )
    return {
        "key": item.key,
        "version": item.version,
        "status": item.status,
        "finished": item.finished_on.isoformat() if item.finished_on else None,
        "status_reason": item.status_reason,
        "external_key": item.external_key,
    }


class SyncIn(FileIn):
    source: str
    reason: str = ""


@router.post("/portfolio/sync", response={200: dict, **ERRORS})
def sync(request: HttpRequest, payload: SyncIn) -> dict:
    """Initiative status from a Jira or Linear CSV export (`source`: jira or linear), by
    external key: all or nothing; 400 names every unknown or duplicate key by line."""
    me = _leader(request)
    try:
        return services.do_sync(
            me.organisation,
            me,
            payload.text,
            payload.filename,
            payload.source,
            reason=payload.reason,
        )
    except InputError as exc:
        raise _problems(exc) from exc


@router.get("/portfolio/health", response={200: dict, **ERRORS})
def health(request: HttpRequest) -> dict:
    """Planned against delivered value; each objective's key-result progress over time."""
    me = _leader(request)
    return services.health_json(services.health_of(me.organisation, me))
