from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from typing import Any

import yaml
from django.contrib import messages
from django.db.models import Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from leadshift.core import dates
from leadshift.core.errors import Invalid
from leadshift.core.listing import Column
from leadshift.core.lists import list_page
from leadshift.core.versioning import expect_version, posted_version
from leadshift.files import InputError
from leadshift.people.models import Team
from leadshift.portfolio import services
from leadshift.portfolio.access import leader_required
from leadshift.portfolio.document import settings_for
from leadshift.portfolio.lifecycle import THRESHOLD_HELP, threshold_names
from leadshift.portfolio.models import (
    HORIZON_CHOICES,
    METRICS,
    RECOMMENDATION_CHOICES,
    STATUS_CHOICES,
    Initiative,
    Objective,
    Period,
    Product,
    TeamCapacity,
)
from leadshift.reports.charts import MapPoint, portfolio_map_chart
from leadshift.undo.views import offer_undo
from leadshift.uploads.services import do_queue_portfolio_import, in_background


def _float(raw: str | None, field: str, *, required: bool = False) -> float | None:
    raw = (raw or "").strip().replace(",", "")
    if not raw:
        if required:
            raise Invalid("enter a number", field=field)
        return None
    try:
        return float(raw)
    except ValueError:
        raise Invalid(f"enter a number, not {raw!r}", field=field) from None


def _int_or_none(raw: str | None) -> int | None:
    try:
        return int(raw) if raw else None
    except ValueError:
        return None


def _act(
    request: HttpRequest, page: Callable[..., HttpResponse], run: Callable[[], str], to: str
) -> HttpResponse:
    """Run a change; on bad input show the page again with the message and what was typed."""
    try:
        note = run()
    except Invalid as exc:
        return page(
            request,
            errors={"form": exc.message, "field": exc.field, "which": request.POST.get("form")},
            values=request.POST.dict() | {"_lists": dict(request.POST.lists())},
            status=400,
        )
    if note:
        messages.success(request, note)
    return redirect(to)


# --- Overview: objectives, periods, capacity, horizon mix ------------------------------


@leader_required
def home(
    request: HttpRequest, errors: dict | None = None, values: dict | None = None, status: int = 200
) -> HttpResponse:
    org = request.person.organisation
    periods = list(Period.objects.filter(organisation=org))
    teams = list(Team.objects.filter(organisation=org))
    rows = {
        (c.team_id, c.period_id): c for c in TeamCapacity.objects.filter(team__organisation=org)
    }
    caps = {k: c.person_weeks for k, c in rows.items()}
    capacity_rows = [
        {
            "team": t,
            "cells": [
                {
                    "period": p,
                    "name": f"cap-{t.id}-{p.id}",
                    "value": caps.get((t.id, p.id)),
                    "ids": f"{t.id}-{p.id}",
                    "row": rows.get((t.id, p.id)),
                }
                for p in periods
            ],
        }
        for t in teams
    ]
    st = settings_for(org)
    return render(
        request,
        "portfolio/home.html",
        {
            "objectives": Objective.objects.filter(organisation=org).prefetch_related(
                "periods", "key_results"
            ),
            "periods": periods,
            "capacity_rows": capacity_rows,
            "mix": st,
            "horizons": HORIZON_CHOICES,
            "mix_values": {h: round(100 * st.horizon_target.get(h, 0)) for h, _ in HORIZON_CHOICES},
            "counts": {
                "products": Product.objects.filter(organisation=org).count(),
                "initiatives": Initiative.objects.filter(organisation=org).count(),
            },
            "errors": errors or {},
            "values": values or {},
        },
        status=status,
    )


@require_POST
@leader_required
def objective_save(request: HttpRequest) -> HttpResponse:
    org, me = request.person.organisation, request.person

    def run() -> str:
        existing = None
        if request.POST.get("objective"):
            existing = get_object_or_404(Objective, pk=request.POST["objective"], organisation=org)
            expect_version(existing, posted_version(request))
        o = services.do_save_objective(
            org,
            me,
            key=request.POST.get("key", ""),
            name=request.POST.get("name", ""),
            weight=_float(request.POST.get("weight"), "weight", required=True) or 0.0,
            description=request.POST.get("description", ""),
            period_ids=[int(x) for x in request.POST.getlist("periods") if x.isdigit()],
            objective=existing,
        )
        return f"Saved the objective “{o.name}”."

    return _act(request, home, run, "portfolio_home")


@require_POST
@leader_required
def objective_delete(request: HttpRequest, objective_id: int) -> HttpResponse:
    o = get_object_or_404(Objective, pk=objective_id, organisation=request.person.organisation)
    offer_undo(request, services.do_delete_objective(o, request.person))
    messages.success(request, f"Deleted the objective “{o.name}”.")
    return redirect("portfolio_home")


@require_POST
@leader_required
def period_add(request: HttpRequest) -> HttpResponse:
    def run() -> str:
        p = services.do_add_period(
            request.person.organisation, request.person, name=request.POST.get("name", "")
        )
        return f"Added the period {p.name}."

    return _act(request, home, run, "portfolio_home")


@require_POST
@leader_required
def capacity_save(request: HttpRequest) -> HttpResponse:
    def run() -> str:
        cells: dict[tuple[int, int], float | None] = {}
        for key, raw in request.POST.items():
            if key.startswith("cap-"):
                _, tid, pid = key.split("-")
                cells[(int(tid), int(pid))] = _float(raw, key)
        n = services.do_set_capacity(request.person.organisation, request.person, cells)
        return f"Saved capacity for {n} team-periods."

    return _act(request, home, run, "portfolio_home")


@require_POST
@leader_required
def mix_save(request: HttpRequest) -> HttpResponse:
    def run() -> str:
        target = {}
        if request.POST.get("enabled"):
            for h, _ in HORIZON_CHOICES:
                v = _float(request.POST.get(f"mix-{h}"), f"mix-{h}")
                if v:
                    target[h] = v
        services.do_save_horizon_mix(
            request.person.organisation,
            request.person,
            target=target,
            tolerance=_float(request.POST.get("tolerance"), "tolerance") or 0.0,
            basis=request.POST.get("basis", "effort"),
        )
        return "Saved the horizon mix." if target else "No horizon mix rule now."

    return _act(request, home, run, "portfolio_home")


# --- Products and the lifecycle --------------------------------------------------------


def product_map(views: list[services.ProductView], th: Any) -> str:
    points = [
        MapPoint(
            name=v.product.name,
            x=v.advice.metrics["relative_share"],
            y=v.advice.metrics["market_growth"],
            size=v.advice.metrics.get("revenue", 0.0),
            stage=v.decision,
            overridden=v.overridden,
        )
        for v in views
        if "relative_share" in v.advice.metrics and "market_growth" in v.advice.metrics
    ]
    if not points:
        return ""
    return portfolio_map_chart(
        points, growing_market=th.growing_market, leading_share=th.leading_share
    )


@leader_required
def products(
    request: HttpRequest, errors: dict | None = None, values: dict | None = None, status: int = 200
) -> HttpResponse:
    org = request.person.organisation
    views = services.product_views(org)
    th = services.thresholds_of(org)
    return render(
        request,
        "portfolio/products.html",
        {
            "views": views,
            "chart": product_map(views, th),
            "unplaced": [
                v
                for v in views
                if "relative_share" not in v.advice.metrics
                or "market_growth" not in v.advice.metrics
            ],
            "thresholds": [
                {
                    "name": n,
                    "label": THRESHOLD_HELP[n][0],
                    "help": THRESHOLD_HELP[n][1],
                    "value": getattr(th, n),
                }
                for n in threshold_names()
            ],
            "teams": Team.objects.current().filter(organisation=org),
            "stages": RECOMMENDATION_CHOICES,
            "errors": errors or {},
            "values": values or {},
        },
        status=status,
    )


@require_POST
@leader_required
def thresholds_save(request: HttpRequest) -> HttpResponse:
    def run() -> str:
        values: dict[str, float] = {}
        for n in threshold_names():
            v = _float(request.POST.get(n), n)
            if v is not None:
                values[n] = v
        services.do_save_thresholds(request.person.organisation, request.person, values)
        return "Saved the thresholds; the recommendations below use them."

    return _act(request, products, run, "portfolio_products")


@require_POST
@leader_required
def product_add(request: HttpRequest) -> HttpResponse:
    def run() -> str:
        p = services.do_save_product(
            request.person.organisation,
            request.person,
            key=request.POST.get("key", ""),
            name=request.POST.get("name", ""),
            description=request.POST.get("description", ""),
            stage=request.POST.get("stage", ""),
            team_id=_int_or_none(request.POST.get("team")),
        )
        return f"Added {p.name}. Add its metric snapshots below."

    return _act(request, products, run, "portfolio_products")


def _product(request: HttpRequest, product_id: int) -> Product:
    return get_object_or_404(Product, pk=product_id, organisation=request.person.organisation)


@leader_required
def product_detail(
    request: HttpRequest,
    product_id: int,
    errors: dict | None = None,
    values: dict | None = None,
    status: int = 200,
) -> HttpResponse:
    product = _product(request, product_id)
    view = next(
        v for v in services.product_views(product.organisation) if v.product.id == product.id
    )
    return render(
        request,
        "portfolio/product.html",
        {
            "product": product,
            "view": view,
            "metrics": METRICS,
            "rows": [
                {"snapshot": s, "values": [getattr(s, m) for m, _, _ in METRICS]}
                for s in view.snapshots
            ],
            "stages": RECOMMENDATION_CHOICES,
            "errors": errors or {},
            "values": values or {},
        },
        status=status,
    )


@require_POST
@leader_required
def snapshot_add(request: HttpRequest, product_id: int) -> HttpResponse:
    product = _product(request, product_id)

    def page(req: HttpRequest, **kw: Any) -> HttpResponse:
        return product_detail(req, product_id, **kw)

    def run() -> str:
        try:
            day = dt.date.fromisoformat(request.POST.get("taken_on", ""))
        except ValueError:
            raise Invalid("enter the date like 2025-09-30", field="taken_on") from None
        metrics = {m: _float(request.POST.get(m), m) for m, _, _ in METRICS}
        services.do_add_snapshot(
            product,
            request.person,
            taken_on=day,
            label=request.POST.get("label", ""),
            metrics=metrics,
        )
        return f"Saved the snapshot of {dates.day(day)}."

    return _act(request, page, run, f"/portfolio/products/{product.id}/")


@require_POST
@leader_required
def product_override(request: HttpRequest, product_id: int) -> HttpResponse:
    product = _product(request, product_id)

    def page(req: HttpRequest, **kw: Any) -> HttpResponse:
        return product_detail(req, product_id, **kw)

    def run() -> str:
        rec = request.POST.get("recommendation", "")
        expect_version(product, posted_version(request))
        services.do_override_recommendation(
            product, request.person, recommendation=rec, reason=request.POST.get("reason", "")
        )
        return (
            f"{product.name} is now marked {rec}; your reason is kept."
            if rec
            else (f"{product.name} follows the recommendation again.")
        )

    return _act(request, page, run, f"/portfolio/products/{product.id}/")


# --- Initiatives ---------------------------------------------------------------------


@leader_required
def initiatives(request: HttpRequest) -> HttpResponse:
    org = request.person.organisation
    items = (
        Initiative.objects.filter(organisation=org)
        .select_related("product", "earliest_start", "latest_start", "deadline")
        .prefetch_related("efforts__team", "objective_links__objective", "after")
    )
    return list_page(
        request, items, INITIATIVE_COLUMNS, "portfolio/initiatives.html", {}, "initiatives"
    )


INITIATIVE_COLUMNS = [
    Column("name", "Initiative", lambda i: i.name, search=True, field="name"),
    Column("key", "Key", lambda i: i.key, search=True, field="key"),
    Column(
        "product",
        "Product",
        lambda i: i.product.name if i.product else "",
        search=True,
        facet=True,
        field="product__name",
    ),
    Column("mandatory", "Mandatory", lambda i: i.mandatory, facet=True, field="mandatory"),
    Column("value", "Value (likely)", lambda i: i.value_likely, field="value_likely"),
    Column(
        "effort",
        "Effort per period",
        lambda i: sum(e.likely for e in i.efforts.all()),
        order=Sum("efforts__likely"),
    ),
    Column(
        "teams",
        "Teams",
        lambda i: ", ".join(e.team.name for e in i.efforts.all()),
        search=True,
        sortable=False,
        field="efforts__team__name",
    ),
    Column("duration", "Runs (periods)", lambda i: i.duration, field="duration"),
    Column("horizon", "Horizon", lambda i: i.horizon, facet=True, field="horizon"),
    Column(
        "objectives",
        "Objectives",
        lambda i: ", ".join(link.objective.key for link in i.objective_links.all()),
        search=True,
        sortable=False,
        field="objective_links__objective__key",
    ),
]


def _initiative_input(request: HttpRequest, teams: list[Team]) -> services.InitiativeInput:
    post = request.POST
    efforts: dict[int, tuple[float, float | None, float | None]] = {}
    for t in teams:
        likely = _float(post.get(f"effort-{t.id}"), f"effort-{t.id}")
        if likely is None:
            continue
        efforts[t.id] = (
            likely,
            _float(post.get(f"effort-{t.id}-low"), f"effort-{t.id}"),
            _float(post.get(f"effort-{t.id}-high"), f"effort-{t.id}"),
        )
    objectives: dict[int, float | None] = {}
    for oid in post.getlist("objectives"):
        if oid.isdigit():
            objectives[int(oid)] = _float(post.get(f"share-{oid}"), "objectives")
    duration = _float(post.get("duration"), "duration") or 1
    if duration != int(duration):
        raise Invalid("duration is a whole number of periods", field="duration")
    return services.InitiativeInput(
        key=post.get("key", ""),
        name=post.get("name", ""),
        description=post.get("description", ""),
        value=_float(post.get("value"), "value", required=True) or 0.0,
        value_low=_float(post.get("value_low"), "value_low"),
        value_high=_float(post.get("value_high"), "value_high"),
        product_id=_int_or_none(post.get("product")),
        duration=int(duration),
        earliest_id=_int_or_none(post.get("earliest")),
        latest_id=_int_or_none(post.get("latest")),
        deadline_id=_int_or_none(post.get("deadline")),
        horizon=post.get("horizon", ""),
        mandatory=post.get("mandatory") == "on",
        after_ids=[int(x) for x in post.getlist("after") if x.isdigit()],
        objectives=objectives,
        efforts=efforts,
        **{
            k: _float(post.get(k), k)
            for k in ("reach", "impact", "confidence", "cost_of_delay", "job_size")
        },
    )


@leader_required
def initiative_form(request: HttpRequest, initiative_id: int | None = None) -> HttpResponse:
    org = request.person.organisation
    item = (
        get_object_or_404(Initiative, pk=initiative_id, organisation=org) if initiative_id else None
    )
    teams = list(Team.objects.filter(organisation=org))
    error: dict[str, Any] = {}
    if request.method == "POST":
        if item is not None:
            expect_version(item, posted_version(request))
        try:
            saved = services.do_save_initiative(
                org, request.person, _initiative_input(request, teams), item
            )
        except Invalid as exc:
            error = {"form": exc.message, "field": exc.field}
        else:
            messages.success(request, f"Saved “{saved.name}”.")
            return redirect("portfolio_initiatives")
    post = request.POST
    efforts = {e.team_id: e for e in item.efforts.all()} if item else {}
    links = {link.objective_id: link for link in item.objective_links.all()} if item else {}

    def val(name: str, current: Any) -> Any:
        return (
            post.get(name, "") if request.method == "POST" else ("" if current is None else current)
        )

    def num(x: float | None) -> str:
        return "" if x is None else f"{x:g}"

    team_rows = [
        {
            "team": t,
            "likely": val(f"effort-{t.id}", num(efforts[t.id].likely) if t.id in efforts else None),
            "low": val(f"effort-{t.id}-low", num(efforts[t.id].low) if t.id in efforts else None),
            "high": val(
                f"effort-{t.id}-high", num(efforts[t.id].high) if t.id in efforts else None
            ),
        }
        for t in teams
    ]
    chosen_obj = (
        {int(x) for x in post.getlist("objectives") if x.isdigit()}
        if request.method == "POST"
        else set(links)
    )
    objective_rows = [
        {
            "objective": o,
            "checked": o.id in chosen_obj,
            "share": val(f"share-{o.id}", num(links[o.id].share) if o.id in links else None),
        }
        for o in Objective.objects.filter(organisation=org)
    ]
    after = (
        {int(x) for x in post.getlist("after") if x.isdigit()}
        if request.method == "POST"
        else {a.id for a in item.after.all()}
        if item
        else set()
    )
    fields = {
        "key": val("key", item.key if item else None),
        "name": val("name", item.name if item else None),
        "description": val("description", item.description if item else None),
        "value": val("value", num(item.value_likely) if item else None),
        "value_low": val("value_low", num(item.value_low) if item else None),
        "value_high": val("value_high", num(item.value_high) if item else None),
        "duration": val("duration", item.duration if item else 1),
        "product": str(val("product", item.product_id if item else None)),
        "earliest": str(val("earliest", item.earliest_start_id if item else None)),
        "latest": str(val("latest", item.latest_start_id if item else None)),
        "deadline": str(val("deadline", item.deadline_id if item else None)),
        "horizon": val("horizon", item.horizon if item else None),
        "mandatory": (post.get("mandatory") == "on")
        if request.method == "POST"
        else bool(item and item.mandatory),
    }
    for k in ("reach", "impact", "confidence", "cost_of_delay", "job_size"):
        fields[k] = val(k, num(getattr(item, k)) if item else None)
    return render(
        request,
        "portfolio/initiative_form.html",
        {
            "item": item,
            "statuses": STATUS_CHOICES,
            "f": fields,
            "team_rows": team_rows,
            "objective_rows": objective_rows,
            "others": Initiative.objects.filter(organisation=org).exclude(
                pk=item.pk if item else None
            ),
            "after": after,
            "periods": Period.objects.filter(organisation=org),
            "products": Product.objects.filter(organisation=org),
            "horizons": HORIZON_CHOICES,
            "errors": error,
        },
        status=400 if error else 200,
    )


@require_POST
@leader_required
def initiative_delete(request: HttpRequest, initiative_id: int) -> HttpResponse:
    """Delete; with risks attached, first ask whether to keep them or move them."""
    org = request.person.organisation
    item = get_object_or_404(Initiative, pk=initiative_id, organisation=org)
    choice = request.POST.get("risks") or None
    to = request.POST.get("to", "")
    move_to = Initiative.objects.filter(organisation=org, pk=to).first() if to.isdigit() else None
    try:
        n = services.do_delete_initiative(item, request.person, risks=choice, move_to=move_to)
    except Invalid as exc:
        return render(
            request,
            "portfolio/initiative_delete.html",
            {
                "item": item,
                "risks": list(item.risks.order_by("title", "id")),
                "others": Initiative.objects.filter(organisation=org).exclude(pk=item.pk),
                # The first visit asks; a message only when a choice was made and refused.
                "error": exc.message if choice else "",
            },
            status=400 if choice else 200,
        )
    kept = ""
    if n:
        where = f"moved to “{move_to.name}”" if choice == "move" and move_to else "kept, detached"
        kept = f" Its {n} risk{'s' if n != 1 else ''} {'were' if n != 1 else 'was'} {where}."
    messages.success(request, f"Deleted “{item.name}”.{kept}")
    return redirect("portfolio_initiatives")


# --- Import and export ---------------------------------------------------------------


@leader_required
def import_page(request: HttpRequest) -> HttpResponse:
    problems: list[str] = []
    text = ""
    kind = ""
    if request.method == "POST":
        upload = request.FILES.get("file")
        kind = request.POST.get("kind", "")
        if upload is not None:
            filename = upload.name or "upload"
            try:
                text = upload.read().decode("utf-8")
            except UnicodeDecodeError:
                problems = [f"{filename}: the file is not UTF-8 text"]
        else:
            text = request.POST.get("text", "")
            filename = {"initiatives-csv": "pasted.csv", "snapshots-csv": "pasted.csv"}.get(
                kind, "pasted.yaml"
            )
        if not problems and not text.strip():
            problems = ["choose a file or paste its text"]
        if not problems:
            try:
                if in_background():  # checked now, written by the task worker
                    queued = do_queue_portfolio_import(
                        request.person.organisation, request.person, text, filename, kind or None
                    )
                    return redirect("upload", queued.id)
                counts = services.do_import(
                    request.person.organisation, request.person, text, filename, kind or None
                )
            except InputError as exc:
                problems = [p.describe(exc.filename) for p in exc.problems]
            except Invalid as exc:
                problems = [exc.message]
            else:
                done = ", ".join(f"{n} {k}" for k, n in counts.items())
                messages.success(request, f"Imported {done}. Nothing else was changed.")
                return redirect("portfolio_home")
    return render(
        request,
        "portfolio/import.html",
        {"problems": problems, "text": text if upload_is_text(request) else "", "kind": kind},
        status=400 if problems else 200,
    )


def upload_is_text(request: HttpRequest) -> bool:
    return request.method == "POST" and "file" not in request.FILES


@leader_required
def export(request: HttpRequest) -> HttpResponse:
    org = request.person.organisation
    data = services.export_document(org, request.person)
    fmt = request.GET.get("format", "yaml")
    if fmt == "json":
        body = json.dumps(data, indent=2, ensure_ascii=False)
        ctype, ext = "application/json", "json"
    else:
        body = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)
        ctype, ext = "application/yaml", "yaml"
    response = HttpResponse(body, content_type=f"{ctype}; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{org.slug}-portfolio.{ext}"'
    return response
