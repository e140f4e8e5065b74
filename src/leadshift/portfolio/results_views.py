"""Pages for key results and their actuals, initiative status and tracker sync, hires and
attrition, and the portfolio's health."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from leadshift.core.errors import Invalid
from leadshift.core.versioning import expect_version, posted_version
from leadshift.files import InputError
from leadshift.portfolio import services
from leadshift.portfolio.access import leader_required
from leadshift.portfolio.health import Health
from leadshift.portfolio.models import (
    STATUS_CHOICES,
    Initiative,
    KeyResult,
    KeyResultActual,
    Objective,
)
from leadshift.portfolio.trajectory import assess
from leadshift.portfolio.views import _float
from leadshift.reports.charts import LineSeries, line_chart, value_bars_chart

# Distinct on white and on each other, each at least 3:1 against the chart's background.
SERIES_COLOURS = ("#2f6fde", "#c2410c", "#0f766e", "#7c3aed", "#be185d", "#4d7c0f")


def _date(raw: str | None, field: str) -> dt.date:
    try:
        return dt.date.fromisoformat((raw or "").strip())
    except ValueError:
        raise Invalid("enter a date like 2026-03-31", field=field) from None


def _read_upload(request: HttpRequest) -> tuple[str, str, list[str]]:
    upload = request.FILES.get("file")
    if upload is None:
        text = request.POST.get("text", "")
        return text, "pasted.csv", [] if text.strip() else ["choose a file or paste its text"]
    name = upload.name or "upload.csv"
    try:
        return upload.read().decode("utf-8"), name, []
    except UnicodeDecodeError:
        return "", name, [f"{name}: the file is not UTF-8 text"]


# --- An objective and its key results ---------------------------------------------------


def _objective(request: HttpRequest, objective_id: int) -> Objective:
    return get_object_or_404(Objective, pk=objective_id, organisation=request.person.organisation)


def _key_result(request: HttpRequest, kr_id: int) -> KeyResult:
    return get_object_or_404(
        KeyResult.objects.select_related("objective"),
        pk=kr_id,
        objective__organisation=request.person.organisation,
    )


@leader_required
def objective_detail(
    request: HttpRequest,
    objective_id: int,
    errors: dict | None = None,
    values: dict | None = None,
    status: int = 200,
) -> HttpResponse:
    objective = _objective(request, objective_id)
    today = timezone.localdate()
    rows = [
        {
            "kr": k,
            "verdict": assess(services.key_result_input(k, today)),
            "actuals": list(k.actuals.all()),
        }
        for k in objective.key_results.prefetch_related("actuals")
    ]
    return render(
        request,
        "portfolio/objective.html",
        {
            "objective": objective,
            "rows": rows,
            "today": today,
            "errors": errors or {},
            "values": values or {},
        },
        status=status,
    )


def _act(request: HttpRequest, objective_id: int, run: Any) -> HttpResponse:
    try:
        note = run()
    except Invalid as exc:
        return objective_detail(
            request,
            objective_id,
            errors={"form": exc.message, "field": exc.field, "which": request.POST.get("form")},
            values=request.POST.dict(),
            status=400,
        )
    messages.success(request, note)
    return redirect("portfolio_objective", objective_id)


@require_POST
@leader_required
def key_result_save(request: HttpRequest, objective_id: int) -> HttpResponse:
    objective = _objective(request, objective_id)

    def run() -> str:
        existing = None
        if request.POST.get("key_result"):
            existing = get_object_or_404(
                KeyResult, pk=request.POST["key_result"], objective=objective
            )
            expect_version(existing, posted_version(request))
        kr = services.do_save_key_result(
            objective,
            request.person,
            key=request.POST.get("key", ""),
            name=request.POST.get("name", ""),
            unit=request.POST.get("unit", ""),
            baseline=_float(request.POST.get("baseline"), "baseline", required=True) or 0.0,
            target=_float(request.POST.get("target"), "target", required=True) or 0.0,
            starts_on=_date(request.POST.get("starts_on"), "starts_on"),
            due_on=_date(request.POST.get("due_on"), "due_on"),
            key_result=existing,
        )
        return f"Saved the key result “{kr.name}”."

    return _act(request, objective.id, run)


@require_POST
@leader_required
def key_result_delete(request: HttpRequest, kr_id: int) -> HttpResponse:
    kr = _key_result(request, kr_id)
    services.do_delete_key_result(kr, request.person)
    messages.success(request, f"Deleted the key result “{kr.name}” and its actuals.")
    return redirect("portfolio_objective", kr.objective_id)


@require_POST
@leader_required
def actual_add(request: HttpRequest, kr_id: int) -> HttpResponse:
    kr = _key_result(request, kr_id)

    def run() -> str:
        a = services.do_record_actual(
            kr,
            request.person,
            on=_date(request.POST.get("on"), f"on-{kr.id}"),
            value=_float(request.POST.get("value"), f"value-{kr.id}", required=True) or 0.0,
            note=request.POST.get("note", ""),
        )
        verdict = assess(services.key_result_input(kr))
        state = "off its trajectory" if verdict.off_track else "on track"
        return f"Recorded {a.value:g} for “{kr.name}” on {a.taken_on}: {state}."

    return _act(request, kr.objective_id, run)


@require_POST
@leader_required
def actual_delete(request: HttpRequest, actual_id: int) -> HttpResponse:
    a = get_object_or_404(
        KeyResultActual.objects.select_related("key_result"),
        pk=actual_id,
        key_result__objective__organisation=request.person.organisation,
    )
    services.do_delete_actual(a, request.person)
    messages.success(request, f"Deleted the actual of {a.taken_on}.")
    return redirect("portfolio_objective", a.key_result.objective_id)


# --- Health -----------------------------------------------------------------------------


def progress_chart_of(h: Health) -> str:
    """Each objective's key-result progress over time, one line per objective."""
    days = sorted({d for o in h.objectives for d, _ in o.series})
    if not days:
        return ""
    series = []
    for k, o in enumerate(o for o in h.objectives if o.series):
        by_day = dict(o.series)
        values: list[float | None] = []
        last: float | None = None
        for d in days:
            last = by_day.get(d, last)
            values.append(last)
        series.append(LineSeries(o.name, values, SERIES_COLOURS[k % len(SERIES_COLOURS)]))
    return line_chart(
        [d.strftime("%-d %b") for d in days],
        series,
        title="Key-result progress per objective",
        percent=True,
        y_label="share of the way from baseline to target",
    )


def value_chart_of(h: Health) -> str:
    v = h.value
    bars = [("Delivered (done)", v.delivered), ("In progress", v.in_progress)]
    if h.has_plan:
        bars.insert(0, ("Planned (plan of record)", v.planned))
        bars.append(("Dropped from the plan", v.dropped_from_plan))
    return value_bars_chart(
        bars, title="Planned against delivered value", highlight="Delivered (done)"
    )


@leader_required
def health(
    request: HttpRequest, problems: list[str] | None = None, status: int = 200
) -> HttpResponse:
    org = request.person.organisation
    h = services.health_of(org, request.person)
    ids = {o.key: o.id for o in Objective.objects.filter(organisation=org)}
    return render(
        request,
        "portfolio/health.html",
        {
            "health": h,
            "objectives": [{"o": o, "id": ids.get(o.key)} for o in h.objectives],
            "value_chart": value_chart_of(h),
            "progress_chart": progress_chart_of(h),
            "problems": problems or [],
        },
        status=status,
    )


@require_POST
@leader_required
def actuals_import(request: HttpRequest) -> HttpResponse:
    text, filename, problems = _read_upload(request)
    if not problems:
        try:
            n = services.do_import_actuals(
                request.person.organisation, request.person, text, filename
            )
        except InputError as exc:
            problems = [p.describe(exc.filename) for p in exc.problems]
        except Invalid as exc:
            problems = [exc.message]
        else:
            messages.success(request, f"Recorded {n} actual{'s' if n != 1 else ''}.")
            return redirect("portfolio_health")
    return health(request, problems=problems, status=400)


# --- Initiative status and sync ---------------------------------------------------------


@require_POST
@leader_required
def initiative_status(request: HttpRequest, initiative_id: int) -> HttpResponse:
    item = get_object_or_404(Initiative, pk=initiative_id, organisation=request.person.organisation)
    expect_version(item, posted_version(request))
    raw_finish = request.POST.get("finished_on", "").strip()
    try:
        services.do_set_status(
            item,
            request.person,
            status=request.POST.get("status", ""),
            finished_on=_date(raw_finish, "finished_on") if raw_finish else None,
            reason=request.POST.get("reason", ""),
            external_key=request.POST.get("external_key", ""),
        )
    except Invalid as exc:
        messages.error(request, exc.message)
        return redirect("portfolio_initiative", item.id)
    messages.success(request, f"“{item.name}” is now {item.get_status_display().lower()}.")
    return redirect("portfolio_initiative", item.id)


@leader_required
def sync_page(request: HttpRequest) -> HttpResponse:
    problems: list[str] = []
    source = request.POST.get("source", "jira")
    if request.method == "POST":
        text, filename, problems = _read_upload(request)
        if not problems:
            try:
                got = services.do_sync(
                    request.person.organisation,
                    request.person,
                    text,
                    filename,
                    source,
                    reason=request.POST.get("reason", ""),
                )
            except InputError as exc:
                problems = [p.describe(exc.filename) for p in exc.problems]
            except Invalid as exc:
                problems = [exc.message]
            else:
                messages.success(
                    request,
                    f"Synced {got['rows']} initiatives: {got['changed']} changed status or finish.",
                )
                return redirect("portfolio_initiatives")
    return render(
        request,
        "portfolio/sync.html",
        {"problems": problems, "source": source, "statuses": STATUS_CHOICES},
        status=400 if problems else 200,
    )


# --- Hires and attrition ----------------------------------------------------------------


@require_POST
@leader_required
def capacity_changes_save(request: HttpRequest) -> HttpResponse:
    from leadshift.portfolio.views import _act as act_on_home
    from leadshift.portfolio.views import home

    def run() -> str:
        cells: dict[tuple[int, int], tuple[float, float]] = {}
        for key, raw in request.POST.items():
            if key.startswith("hires-"):
                _, tid, pid = key.split("-")
                lost = request.POST.get(f"attrition-{tid}-{pid}")
                cells[(int(tid), int(pid))] = (
                    _float(raw, key) or 0.0,
                    _float(lost, f"attrition-{tid}-{pid}") or 0.0,
                )
        n = services.do_set_capacity_changes(request.person.organisation, request.person, cells)
        return f"Saved hires and attrition for {n} team-periods."

    return act_on_home(request, home, run, "portfolio_home")
